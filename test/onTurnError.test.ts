import { MemoryStorage, type StoreItems } from 'botbuilder';
import { enUS as en } from '../src/i18n/catalog.en-US.js';
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
