// Not exported from the package's index; the prototype is what every turn's DialogContext uses.
import { DialogsComponentRegistration } from 'botbuilder-dialogs/lib/dialogsComponentRegistration.js';
import { conversation } from './support/conversation.js';

describe("botbuilder-dialogs' memory-scope configuration", () => {
  it('is built on the first turn only and then reused, with the dialogs working as before', async () => {
    const build = jest.spyOn(DialogsComponentRegistration.prototype, 'getMemoryScopes');
    try {
      const c = await conversation();
      await c.say('I want to cancel');
      await c.say('138 1234 5678');
      const replies = await c.say('12');
      expect(replies.map((r) => r.text)).toEqual([
        'Sorry, I didn\'t catch that. A code has 6 digits, e.g. 123 456. Please type the code, or say "resend".',
        'Please type the code. (Say "resend" if it has not arrived.)',
      ]);
      expect((await c.say(c.lastCode()))[0].text).toBe('Thank you, 张伟, you are verified.');
      expect(build).toHaveBeenCalledTimes(1);
    } finally {
      build.mockRestore();
    }
  });
});
