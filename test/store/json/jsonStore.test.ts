import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { dbSchema, type Db } from '../../../src/model/schema.js';
import { JsonStore } from '../../../src/store/json/jsonStore.js';
import { StoreLoadError, StoreLockedError } from '../../../src/store/storeErrors.js';
import { scratchDir } from '../../support/testConfig.js';

const SEED = 'data/seed.json';
const open = (file: string) => JsonStore.open({ schema: dbSchema, file, seedFile: SEED });

describe('JsonStore', () => {
  it('creates the data file from the seed when it does not exist, and validates it', async () => {
    const file = join(scratchDir(), 'db.json');
    const store = await open(file);
    expect(store.data.members.length).toBeGreaterThanOrEqual(8);
    expect(JSON.parse(readFileSync(file, 'utf8')).members).toHaveLength(store.data.members.length);
    await store.close();
  });

  it.each([
    ['not JSON', '{"plans": [', /not valid JSON/],
    ['truncated', JSON.stringify(JSON.parse(readFileSync(SEED, 'utf8'))).slice(0, 500), /not valid JSON/],
    [
      'a wrong schema',
      JSON.stringify({ plans: [], members: [{ id: 'x' }], memberships: [] }),
      /schema error at members\.0\.name/,
    ],
    [
      'a bad phone',
      readFileSync(SEED, 'utf8').replace('+8613812345678', '13812345678'),
      /schema error at members\.0\.phone: phone must be E\.164/,
    ],
  ])(
    'refuses a file that is %s, names the file and the problem, and leaves it byte for byte',
    async (_what, content, problem) => {
      const file = join(scratchDir(), 'db.json');
      writeFileSync(file, content);
      const attempt = open(file);
      await expect(attempt).rejects.toThrow(StoreLoadError);
      await expect(open(file)).rejects.toThrow(problem);
      await expect(open(file)).rejects.toThrow(file);
      expect(readFileSync(file, 'utf8')).toBe(content);
      expect(existsSync(`${file}.lock`)).toBe(false);
    },
  );

  it('lands every one of many concurrent updates, in fewer writes than updates', async () => {
    const file = join(scratchDir(), 'db.json');
    const store = await open(file);
    const low = (store as unknown as { low: Low<Db> }).low;
    const write = jest.spyOn(low, 'write');
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        store.update((db) => {
          db.memberships[0].points += 1;
          db.audit.push({ id: `a-${i}`, at: '2026-11-24T00:00:00.000Z', type: 'test' });
        }),
      ),
    );
    const onDisk = dbSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(onDisk.audit).toHaveLength(200);
    expect(onDisk.memberships[0].points).toBe(1280 + 200);
    // Writes start a microtask after the change, so a burst made in one tick shares one write.
    expect(write.mock.calls.length).toBe(1);
    await Promise.all([
      store.update((db) => {
        db.memberships[0].points += 1;
      }),
      store.update((db) => {
        db.memberships[0].points += 1;
      }),
    ]);
    expect(write.mock.calls.length).toBe(2);
    await store.close();
  });

  it('resolves an update only after a write that contains it is on disk', async () => {
    const file = join(scratchDir(), 'db.json');
    const store = await open(file);
    const first = store.update((db) => {
      db.audit.push({ id: 'first', at: '2026-11-24T00:00:00.000Z', type: 't' });
    });
    const second = store.update((db) => {
      db.audit.push({ id: 'second', at: '2026-11-24T00:00:00.000Z', type: 't' });
    });
    await second;
    expect(JSON.parse(readFileSync(file, 'utf8')).audit.map((a: { id: string }) => a.id)).toEqual(['first', 'second']);
    await first;
    await store.close();
  });

  it('applies nothing and writes nothing when a change throws before mutating', async () => {
    const file = join(scratchDir(), 'db.json');
    const store = await open(file);
    const before = readFileSync(file, 'utf8');
    await expect(
      store.update(() => {
        throw new Error('rule broken');
      }),
    ).rejects.toThrow('rule broken');
    await store.flush();
    expect(readFileSync(file, 'utf8')).toBe(before);
    await store.close();
  });

  it('keeps what was written across a reopen (written through lowdb, read back by a plain Low)', async () => {
    const file = join(scratchDir(), 'db.json');
    const store = await open(file);
    await store.update((db) => {
      db.memberships[0].autoRenew = false;
    });
    await store.close();
    const plain = new Low<Db>(new JSONFile<Db>(file), {} as Db);
    await plain.read();
    expect(plain.data.memberships[0].autoRenew).toBe(false);
    const again = await open(file);
    expect(again.data.memberships[0].autoRenew).toBe(false);
    await again.close();
  });

  it('refuses a second opener while the first holds the file, and frees it on close', async () => {
    const file = join(scratchDir(), 'db.json');
    const store = await open(file);
    await expect(open(file)).rejects.toThrow(StoreLockedError);
    await expect(open(file)).rejects.toThrow(`in use by another running instance (pid ${process.pid})`);
    await store.close();
    const next = await open(file);
    await next.close();
  });

  it('refuses when another live process holds the lock, and takes over a lock left by a dead one', async () => {
    const file = join(scratchDir(), 'db.json');
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(`${file}.lock`, String(holder.pid));
      await expect(open(file)).rejects.toThrow(`pid ${holder.pid}`);
    } finally {
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.once('exit', resolve));
    }
    const store = await open(file);
    expect(readFileSync(`${file}.lock`, 'utf8')).toBe(String(process.pid));
    await store.close();
  });
});
