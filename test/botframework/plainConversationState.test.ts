import { MemoryStorage, TestAdapter, TurnContext, type StoreItems } from 'botbuilder';
import { ManualClock } from '../../src/core/clock.js';
import { JsonStateStorage } from '../../src/store/json/jsonStateStorage.js';
import { PlainConversationState } from '../../src/botframework/plainConversationState.js';
import { StateConflictError } from '../../src/store/stateTextStorage.js';

/** MemoryStorage that records which keys each write and delete touched. */
class RecordingStorage extends MemoryStorage {
  readonly writes: string[][] = [];
  readonly deletes: string[][] = [];

  override async write(changes: StoreItems): Promise<void> {
    this.writes.push(Object.keys(changes));
    await super.write(changes);
  }

  override async delete(keys: string[]): Promise<void> {
    this.deletes.push(keys);
    await super.delete(keys);
  }
}

const KEY = 'test/conversations/c1/';

function turn(): TurnContext {
  return new TurnContext(new TestAdapter(), {
    type: 'message',
    channelId: 'test',
    conversation: { id: 'c1' } as never,
    from: { id: 'u1', name: 'User' },
    text: 'hi',
  });
}

describe('PlainConversationState', () => {
  it('writes a changed state, and nothing on a turn that changed nothing', async () => {
    const storage = new RecordingStorage();
    const state = new PlainConversationState(storage);
    const step = state.createProperty<{ n: number }>('step');

    const first = turn();
    await step.set(first, { n: 1 });
    await state.saveChanges(first);
    expect(storage.writes).toEqual([[KEY]]);

    const second = turn();
    expect(await step.get(second)).toEqual({ n: 1 });
    await state.saveChanges(second);
    expect(storage.writes).toHaveLength(1);

    const third = turn();
    (await step.get(third))!.n = 2;
    await state.saveChanges(third);
    await state.saveChanges(third);
    expect(storage.writes).toHaveLength(2);
    expect((await storage.read([KEY]))[KEY].step).toEqual({ n: 2 });
  });

  it('writes when forced, after clear, and deletes from storage', async () => {
    const storage = new RecordingStorage();
    const state = new PlainConversationState(storage);
    const step = state.createProperty<{ n: number }>('step');
    const context = turn();
    await step.set(context, { n: 1 });
    await state.saveChanges(context);
    await state.saveChanges(context, true);
    expect(storage.writes).toHaveLength(2);

    await state.clear(context);
    expect(state.get(context)).toEqual({});
    await state.saveChanges(context);
    expect(storage.writes).toHaveLength(3);
    expect((await storage.read([KEY]))[KEY]).not.toHaveProperty('step');

    await state.delete(context);
    expect(storage.deletes).toEqual([[KEY]]);
    expect(state.get(context)).toBeUndefined();
    expect(await storage.read([KEY])).toEqual({});
  });

  it('with a storage that holds text, hands it the compared text and writes nothing for an unchanged turn', async () => {
    const storage = await JsonStateStorage.open(null, new ManualClock('2026-11-24T08:00:00Z'), 30);
    const writeText = jest.spyOn(storage, 'writeText');
    const write = jest.spyOn(storage, 'write');
    const state = new PlainConversationState(storage);
    const step = state.createProperty<{ n: number; label: string }>('step');

    const first = turn();
    await step.set(first, { n: 1, label: '第一步' });
    await state.saveChanges(first);
    expect(writeText).toHaveBeenCalledTimes(1);
    expect(writeText).toHaveBeenLastCalledWith(KEY, '{"step":{"n":1,"label":"第一步"}}', null);

    const second = turn();
    expect(await step.get(second)).toEqual({ n: 1, label: '第一步' });
    expect(state.get(second)?.eTag).toBe((await storage.readText(KEY))?.eTag);
    await state.saveChanges(second);
    expect(writeText).toHaveBeenCalledTimes(1);

    const third = turn();
    (await step.get(third))!.n = 2;
    await state.saveChanges(third);
    expect(writeText).toHaveBeenCalledTimes(2);
    expect((await storage.read([KEY]))[KEY]).toMatchObject({ step: { n: 2, label: '第一步' } });
    expect(write).not.toHaveBeenCalled();
    await storage.close();
  });

  describe.each([
    ['a storage that holds text', () => JsonStateStorage.open(null, new ManualClock('2026-11-24T08:00:00Z'), 30)],
    ['botbuilder MemoryStorage', async () => new MemoryStorage()],
  ])('saves only over the state the turn read, with %s', (_name, open) => {
    it('rejects the later of two overlapping turns with StateConflictError and keeps the earlier one', async () => {
      const storage = await open();
      const state = new PlainConversationState(storage);
      const count = state.createProperty<number>('count');
      const seed = turn();
      await count.set(seed, 1);
      await state.saveChanges(seed);

      const [a, b] = [turn(), turn()];
      await count.set(a, (await count.get(a, 0)) + 1);
      await count.set(b, (await count.get(b, 0)) + 1);
      await state.saveChanges(a);
      await expect(state.saveChanges(b)).rejects.toThrow(StateConflictError);

      const after = turn();
      expect(await count.get(after)).toBe(2);
      await count.set(after, 3);
      await state.saveChanges(after);
      expect((await storage.read([KEY]))[KEY].count).toBe(3);
    });

    it('a turn saving twice does not conflict with its own write', async () => {
      const storage = await open();
      const state = new PlainConversationState(storage);
      const count = state.createProperty<number>('count');
      const context = turn();
      await count.set(context, 1);
      await state.saveChanges(context);
      await count.set(context, 2);
      await state.saveChanges(context);
      await state.saveChanges(context, true);
      expect((await storage.read([KEY]))[KEY].count).toBe(2);
    });
  });

  it('after a delete, a forced save starts the state afresh but never replaces one another turn wrote meanwhile', async () => {
    const storage = await JsonStateStorage.open(null, new ManualClock('2026-11-24T08:00:00Z'), 30);
    const state = new PlainConversationState(storage);
    const count = state.createProperty<number>('count');
    const failing = turn();
    await count.set(failing, 1);
    await state.saveChanges(failing);
    await state.delete(failing);
    await state.saveChanges(failing, true);
    expect(await storage.readText(KEY)).toMatchObject({ json: '{}' });

    const again = turn();
    await state.load(again);
    await state.delete(again);
    await storage.write({ [KEY]: { count: 7 } });
    await expect(state.saveChanges(again, true)).rejects.toThrow(StateConflictError);
    expect((await storage.read([KEY]))[KEY].count).toBe(7);
  });

  it('names the problem when an activity has no conversation to key the state on', async () => {
    const state = new PlainConversationState(new MemoryStorage());
    const context = new TurnContext(new TestAdapter(), { type: 'message', channelId: 'test', text: 'hi' });
    await expect(state.load(context)).rejects.toThrow('missing activity.conversation.id');
  });
});
