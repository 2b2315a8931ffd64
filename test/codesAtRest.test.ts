import { chmodSync, copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { OutboxMessage } from '../src/model/schema.js';
import { LOST_SECRET, OutboxDispatcher } from '../src/notify/outboxDispatcher.js';
import { openDataStore } from '../src/store/json/dataStore.js';
import { JsonStateStorage } from '../src/store/json/jsonStateStorage.js';
import { ManualClock } from '../src/core/clock.js';
import { domain } from './support/domain.js';
import { scratchDir } from './support/testConfig.js';

const zhang = { kind: 'phone', value: '+8613812345678' } as const;

/** Everything the data files hold right now (snapshot, journal and a journal being compacted). */
function onDisk(file: string): string {
  return [file, `${file}.journal`, `${file}.journal.old`]
    .filter(existsSync)
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
}

async function setUp(compactAfter = 100_000) {
  const file = join(scratchDir(), 'db.json');
  const store = await openDataStore(file, 'data/seed.json', compactAfter);
  const d = await domain({ store });
  const delivered: OutboxMessage[] = [];
  const dispatcher = new OutboxDispatcher(
    d.repo,
    () => ({
      send: async (m) => {
        delivered.push(m);
      },
    }),
    d.clock,
  );
  return { ...d, file, delivered, dispatcher };
}

describe('one-time codes at rest (item 6)', () => {
  it('never writes a code to the data files, in the journal or in a snapshot, and still delivers it from memory', async () => {
    const { store, otp, file, delivered, dispatcher } = await setUp(1);
    await otp.requestCode(zhang);
    const code = /\d{6}/.exec(store.data.outbox.find((m) => m.template === 'otp')!.text)![0];
    await store.settled();
    // The journal line, and the snapshot the compaction after it wrote (compactAfter 1), hold the message, without its code.
    expect(onDisk(file)).toContain('"template":"otp"');
    expect(onDisk(file)).not.toContain(code);
    await dispatcher.deliverDue();
    expect(delivered.map((m) => /\d{6}/.exec(m.text)?.[0])).toEqual([code]);
    await store.close();
    expect(onDisk(file)).not.toContain(code);
  });

  it("after a restart before delivery, parks the code's message instead of sending it without its code", async () => {
    const { store, otp, file } = await setUp();
    await otp.requestCode(zhang);
    const copy = join(scratchDir(), 'db.json');
    copyFileSync(file, copy);
    copyFileSync(`${file}.journal`, `${copy}.journal`);
    const restarted = await domain({ store: await openDataStore(copy) });
    const delivered: OutboxMessage[] = [];
    const report = await new OutboxDispatcher(
      restarted.repo,
      () => ({
        send: async (m) => {
          delivered.push(m);
        },
      }),
      restarted.clock,
    ).deliverDue();
    expect(report).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect(delivered).toEqual([]);
    expect(restarted.store.data.outbox.find((m) => m.template === 'otp')).toMatchObject({
      status: 'failed',
      lastError: LOST_SECRET,
      text: '',
    });
    await restarted.store.close();
    await store.close();
  });

  it('creates the data files readable by the service only (0600), and narrows ones an earlier version left open', async () => {
    const dir = scratchDir();
    const file = join(dir, 'db.json');
    const mode = (f: string) => statSync(f).mode & 0o777;
    const store = await openDataStore(file, 'data/seed.json');
    const state = await JsonStateStorage.open(join(dir, 'state.json'), new ManualClock('2026-11-24T02:00:00Z'), 30);
    await state.writeText('k', '{}', null);
    expect([file, `${file}.journal`, join(dir, 'state.json'), join(dir, 'state.json.journal')].map(mode)).toEqual([
      0o600, 0o600, 0o600, 0o600,
    ]);
    await state.close();
    await store.close();
    chmodSync(file, 0o644);
    chmodSync(`${file}.journal`, 0o644);
    const reopened = await openDataStore(file);
    expect([file, `${file}.journal`].map(mode)).toEqual([0o600, 0o600]);
    await reopened.close();
  });
});
