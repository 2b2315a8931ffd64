import { MemoryStorage, type StoreItems } from 'botbuilder';
import { enUS as en } from '../src/i18n/catalog.en-US.js';
import { CommitOutcomeUnknownError } from '../src/model/repositoryErrors.js';
import { DatabaseUnreachableError } from '../src/store/postgres/pool.js';
import { conversation } from './support/conversation.js';

/** A state storage where, once armed, another turn of the conversation saves just before this one. */
class OvertakenStorage extends MemoryStorage {
  armed = false;

  override async write(changes: StoreItems): Promise<void> {
    if (this.armed) {
      this.armed = false;
      const [key] = Object.keys(changes);
      const stored = (await this.read([key]))[key] as Record<string, unknown>;
      await super.write({ [key]: { ...stored, savedByTheOtherTurn: true, eTag: '*' } });
    }
    return super.write(changes);
  }
}

describe('onTurnError', () => {
  it('tells the user nothing changed and clears the conversation, which then starts afresh', async () => {
    const c = await conversation();
    await c.say('check my membership');
    await c.say('13812345678');
    const list = jest.spyOn(c.app.services.memberships, 'list').mockRejectedValueOnce(new Error('disk on fire'));
    const replies = await c.say(c.lastCode());
    expect(replies.at(-1)!.text).toBe(
      "Sorry, something went wrong on my side. Nothing was changed unless I gave you a reference number. Let's start again.",
    );
    list.mockRestore();
    expect((await c.say('check my membership'))[0].text).toBe(
      "First I need to check it's you. What is the phone number or email registered with your membership?",
    );
  });

  it('says the data cannot be saved when the database cannot be reached, and keeps the conversation at its step', async () => {
    const c = await conversation();
    await c.say('check my membership');
    await c.say('13812345678');
    const down = new DatabaseUnreachableError(
      'postgres://app:secret@db.internal/members',
      new Error('connect ECONNREFUSED'),
    );
    const list = jest.spyOn(c.app.services.memberships, 'list').mockRejectedValueOnce(down);
    const replies = await c.say(c.lastCode());
    expect(replies.at(-1)!.text).toBe(en['error.storeUnavailable']);
    list.mockRestore();
    // Not cleared: the conversation is still at the code step (a fresh one would ask for the number).
    expect((await c.say('resend'))[0].text).not.toBe(
      "First I need to check it's you. What is the phone number or email registered with your membership?",
    );
  });

  it('never says "nothing was changed" when the outcome of a commit is unknown, and asks for the message again', async () => {
    const c = await conversation();
    await c.say('I want to cancel');
    await c.say('13812345678');
    await c.say(c.lastCode());
    const lost = new CommitOutcomeUnknownError(new Error('Connection terminated unexpectedly'));
    const cancel = jest.spyOn(c.app.services.memberships, 'cancel').mockRejectedValueOnce(lost);
    expect((await c.say('at period end')).at(-1)!.text).toBe(en['error.outcomeUnknown']);
    cancel.mockRestore();
    // The same answer again goes on from the warning, and commits once.
    expect(c.text(await c.say('at period end'))).toContain('Reference number:');
    expect(c.app.store.data.cancellations).toHaveLength(3);
  });

  it('keeps the state another turn of the conversation saved first, and asks the member to send again', async () => {
    const storage = new OvertakenStorage();
    const c = await conversation({ storage });
    await c.say('check my membership');
    storage.armed = true;
    const replies = await c.say('13812345678');
    expect(replies.at(-1)!.text).toBe(en['error.turnOverlap']);
    const key = 'emulator/conversations/conv-1/';
    const stored = (await storage.read([key]))[key];
    expect(stored.savedByTheOtherTurn).toBe(true);
    expect(stored.dialogState).toBeDefined();
  });
});
