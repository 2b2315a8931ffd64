import { appendFileSync, copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock } from '../../../src/core/clock.js';
import { JsonStateStorage } from '../../../src/store/json/jsonStateStorage.js';
import { StateConflictError } from '../../../src/store/stateTextStorage.js';
import { scratchDir } from '../../support/testConfig.js';

describe('JsonStateStorage', () => {
  const clock = new ManualClock('2026-11-24T08:00:00Z');

  it('reads back what was written, with an eTag', async () => {
    const storage = await JsonStateStorage.open(join(scratchDir(), 'state.json'), clock, 30);
    await storage.write({ 'conv/1': { step: 2, nested: { locale: 'zh-CN' } } });
    const items = await storage.read(['conv/1', 'missing']);
    expect(items['conv/1']).toMatchObject({ step: 2, nested: { locale: 'zh-CN' } });
    expect(typeof items['conv/1'].eTag).toBe('string');
    expect(items).not.toHaveProperty('missing');
    await storage.close();
  });

  it('hands out copies: neither a changed read nor a changed written object alters what is stored', async () => {
    const storage = await JsonStateStorage.open(join(scratchDir(), 'state.json'), clock, 30);
    const written = { dialog: { stack: ['a'] } };
    await storage.write({ k: written });
    written.dialog.stack.push('changed after the write');
    const first = (await storage.read(['k'])).k;
    first.dialog.stack.push('changed after the read');
    const second = (await storage.read(['k'])).k;
    expect(second.dialog).toEqual({ stack: ['a'] });
    expect(second).not.toBe(first);
    await storage.close();
  });

  it('rejects a write carrying a stale eTag and keeps the newer value', async () => {
    const storage = await JsonStateStorage.open(join(scratchDir(), 'state.json'), clock, 30);
    await storage.write({ k: { v: 1 } });
    const first = (await storage.read(['k'])).k;
    await storage.write({ k: { ...first, v: 2 } });
    await expect(storage.write({ k: { ...first, v: 3 } })).rejects.toThrow(
      'Storage: error writing "k" due to eTag conflict.',
    );
    expect((await storage.read(['k'])).k.v).toBe(2);
    await storage.write({ k: { v: 4, eTag: '*' } });
    expect((await storage.read(['k'])).k.v).toBe(4);
    await storage.close();
  });

  it('writes all items of a batch or none when one of them conflicts', async () => {
    const storage = await JsonStateStorage.open(join(scratchDir(), 'state.json'), clock, 30);
    await storage.write({ a: { v: 1 }, b: { v: 1 } });
    await expect(storage.write({ a: { v: 2 }, b: { v: 2, eTag: 'stale' } })).rejects.toThrow('eTag conflict');
    const items = await storage.read(['a', 'b']);
    expect([items.a.v, items.b.v]).toEqual([1, 1]);
    await storage.close();
  });

  it('survives a restart', async () => {
    const file = join(scratchDir(), 'state.json');
    const storage = await JsonStateStorage.open(file, clock, 30);
    await storage.write({ 'emulator/conversations/c1/': { dialogState: { dialogStack: [{ id: 'codePrompt' }] } } });
    await storage.close();
    const reopened = await JsonStateStorage.open(file, clock, 30);
    const items = await reopened.read(['emulator/conversations/c1/']);
    expect(items['emulator/conversations/c1/'].dialogState.dialogStack[0].id).toBe('codePrompt');
    await reopened.close();
  });

  it('takes and hands over a state as text, and keeps it over a restart', async () => {
    const file = join(scratchDir(), 'state.json');
    const storage = await JsonStateStorage.open(file, clock, 30);
    await storage.write({ k: { v: 1 } });
    const before = (await storage.readText('k'))!;
    expect(before.json).toBe('{"v":1}');
    const eTag = await storage.writeText('k', '{"v":2,"note":"文本"}', before.eTag);
    const after = (await storage.readText('k'))!;
    expect(after).toEqual({ eTag, json: '{"v":2,"note":"文本"}' });
    expect(after.eTag).not.toBe(before.eTag);
    await expect(storage.write({ k: { v: 3, eTag: before.eTag } })).rejects.toThrow(StateConflictError);
    expect(await storage.readText('missing')).toBeUndefined();
    await storage.close();
    const reopened = await JsonStateStorage.open(file, clock, 30);
    expect(await reopened.read(['k'])).toEqual({ k: { v: 2, note: '文本', eTag: after.eTag } });
    await reopened.close();
  });

  it('writes text only over the eTag it expects: the one read, nothing stored (null), or any ("*")', async () => {
    const storage = await JsonStateStorage.open(join(scratchDir(), 'state.json'), clock, 30);
    const first = await storage.writeText('k', '{"v":1}', null);
    await expect(storage.writeText('k', '{"v":"again"}', null)).rejects.toThrow(StateConflictError);
    const second = await storage.writeText('k', '{"v":2}', first);
    await expect(storage.writeText('k', '{"v":"stale"}', first)).rejects.toThrow(
      'Storage: error writing "k" due to eTag conflict. Another turn saved',
    );
    await expect(storage.writeText('gone', '{"v":1}', second)).rejects.toThrow(StateConflictError);
    expect(await storage.readText('k')).toEqual({ eTag: second, json: '{"v":2}' });
    expect(await storage.readText('gone')).toBeUndefined();
    const third = await storage.writeText('k', '{"v":3}', '*');
    expect(await storage.readText('k')).toEqual({ eTag: third, json: '{"v":3}' });
    await storage.close();
  });

  it('deletes, and purges conversations idle for longer than the configured days', async () => {
    const local = new ManualClock('2026-11-01T00:00:00Z');
    const storage = await JsonStateStorage.open(join(scratchDir(), 'state.json'), local, 7);
    await storage.write({ old: { v: 1 }, gone: { v: 1 } });
    local.advance(6 * 24 * 3600 * 1000);
    await storage.write({ recent: { v: 1 } });
    await storage.delete(['gone']);
    local.advance(2 * 24 * 3600 * 1000);
    expect(await storage.purgeIdle()).toBe(1);
    expect(Object.keys(await storage.read(['old', 'recent', 'gone']))).toEqual(['recent']);
    await storage.close();
  });
});

describe('JsonStateStorage on disk: snapshot plus journal', () => {
  const clock = new ManualClock('2026-11-24T08:00:00Z');
  const copyAsIfCrashed = (file: string) => {
    const dir = scratchDir();
    copyFileSync(file, join(dir, 'state.json'));
    if (existsSync(`${file}.journal`)) copyFileSync(`${file}.journal`, join(dir, 'state.json.journal'));
    return join(dir, 'state.json');
  };

  it('appends one journal line a write and leaves the snapshot alone', async () => {
    const file = join(scratchDir(), 'state.json');
    const storage = await JsonStateStorage.open(file, clock, 30);
    const snapshot = readFileSync(file, 'utf8');
    await storage.write({ a: { v: 1 } });
    await storage.write({ b: { v: 2 } });
    expect(readFileSync(file, 'utf8')).toBe(snapshot);
    expect(
      readFileSync(`${file}.journal`, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)[0].k),
    ).toEqual(['a', 'b']);
    await storage.close();
    expect(JSON.parse(readFileSync(file, 'utf8')).items.b.value).toEqual({ v: 2 });
    expect(readFileSync(`${file}.journal`, 'utf8')).toBe('');
  });

  it('writes journal lines and snapshots byte for byte as JSON.stringify of the plain records', async () => {
    const file = join(scratchDir(), 'state.json');
    const storage = await JsonStateStorage.open(file, clock, 30);
    const value = {
      dialogState: { dialogStack: [{ id: 'codePrompt', state: { attemptCount: 2 } }] },
      conversationData: { locale: 'zh-CN', note: '引号 "quoted"' },
    };
    await storage.write({ 'emulator/conversations/"a"/': { ...value, eTag: '*' } });
    const [line] = readFileSync(`${file}.journal`, 'utf8').split('\n');
    const [change] = JSON.parse(line) as [{ k: string; e: string; u: string; v: unknown }];
    expect(change).toEqual({
      k: 'emulator/conversations/"a"/',
      e: expect.any(String),
      u: '2026-11-24T08:00:00.000Z',
      v: value,
    });
    expect(line).toBe(JSON.stringify([{ k: change.k, e: change.e, u: change.u, v: value }]));
    await storage.close();
    expect(readFileSync(file, 'utf8')).toBe(
      JSON.stringify({ items: { [change.k]: { eTag: change.e, updatedAt: change.u, value } } }),
    );
    const reopened = await JsonStateStorage.open(file, clock, 30);
    expect(await reopened.read([change.k])).toEqual({ [change.k]: { ...value, eTag: change.e } });
    await reopened.close();
  });

  it('recovers every acknowledged write after a crash (no close), ignoring a torn last line', async () => {
    const file = join(scratchDir(), 'state.json');
    const storage = await JsonStateStorage.open(file, clock, 30);
    await storage.write({ a: { v: 1 } });
    await storage.write({ a: { v: 2 }, b: { v: 3 } });
    await storage.delete(['b']);
    const crashed = copyAsIfCrashed(file);
    appendFileSync(`${crashed}.journal`, '{"k":"c","e":"x","u":"2026-11');
    const recovered = await JsonStateStorage.open(crashed, clock, 30);
    const items = await recovered.read(['a', 'b', 'c']);
    expect(Object.keys(items)).toEqual(['a']);
    expect(items.a.v).toBe(2);
    await recovered.close();
    await storage.close();
  });

  it('refuses a journal damaged before its last line, naming the file and line, and leaves it as it was', async () => {
    const file = join(scratchDir(), 'state.json');
    const storage = await JsonStateStorage.open(file, clock, 30);
    await storage.write({ a: { v: 1 } });
    await storage.write({ b: { v: 1 } });
    const crashed = copyAsIfCrashed(file);
    await storage.close();
    const damaged = readFileSync(`${crashed}.journal`, 'utf8').replace('"k":"a"', '"k":');
    writeFileSync(`${crashed}.journal`, damaged);
    await expect(JsonStateStorage.open(crashed, clock, 30)).rejects.toThrow(
      `Cannot load ${crashed}.journal: line 1 is not a journal entry`,
    );
    expect(readFileSync(`${crashed}.journal`, 'utf8')).toBe(damaged);
  });

  it('compacts the journal into the snapshot after 5,000 transactions', async () => {
    const file = join(scratchDir(), 'state.json');
    const storage = await JsonStateStorage.open(file, clock, 30);
    for (let i = 0; i < 5000; i++) await storage.write({ [`k${i % 10}`]: { v: i } });
    await storage.write({ k0: { v: 'after the threshold' } });
    await storage.settled();
    expect(
      readFileSync(`${file}.journal`, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)[0].v),
    ).toEqual([{ v: 'after the threshold' }]);
    expect(existsSync(`${file}.journal.old`)).toBe(false);
    expect(JSON.parse(readFileSync(file, 'utf8')).items.k9.value).toEqual({ v: 4999 });
    await storage.close();
  });

  it('with a share of the snapshot set, waits until the journal holds that share of its records', async () => {
    const file = join(scratchDir(), 'state.json');
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`c${i}`, { v: i }]));
    const first = await JsonStateStorage.open(file, clock, 30, 10, 100);
    await first.write(many);
    await first.close();
    // 300 records in the snapshot: 10 transactions are not enough any more, 300 are.
    const storage = await JsonStateStorage.open(file, clock, 30, 10, 100);
    const journalLines = () => readFileSync(`${file}.journal`, 'utf8').split('\n').filter(Boolean).length;
    for (let i = 0; i < 299; i++) await storage.write({ c0: { v: `write ${i}` } });
    await storage.settled();
    expect(journalLines()).toBe(299);
    await storage.write({ c0: { v: 'the 300th' } });
    await storage.settled();
    expect(journalLines()).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).items.c0.value).toEqual({ v: 'the 300th' });
    await storage.close();
  });
});
