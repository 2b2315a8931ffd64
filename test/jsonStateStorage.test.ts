import { join } from 'node:path';
import { ManualClock } from '../src/core/clock.js';
import { JsonStateStorage } from '../src/store/jsonStateStorage.js';
import { scratchDir } from './support/testConfig.js';

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

  it('rejects a write carrying a stale eTag and keeps the newer value', async () => {
    const storage = await JsonStateStorage.open(join(scratchDir(), 'state.json'), clock, 30);
    await storage.write({ k: { v: 1 } });
    const first = (await storage.read(['k'])).k;
    await storage.write({ k: { ...first, v: 2 } });
    await expect(storage.write({ k: { ...first, v: 3 } })).rejects.toThrow('Storage: error writing "k" due to eTag conflict.');
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
