import { ComponentRegistration } from 'botbuilder';
import { DialogsBotComponent } from 'botbuilder-dialogs';
import { conversation } from './support/conversation.js';

describe("botbuilder-dialogs' memory-scope configuration", () => {
  it('is built on the first turn only and then reused, with the dialogs working as before', async () => {
    // Building a configuration reads the registered components twice (memory scopes, then path resolvers).
    const build = jest.spyOn(ComponentRegistration, 'components', 'get');
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
      expect(build).toHaveBeenCalledTimes(2);
    } finally {
      build.mockRestore();
    }
  });

  it("registers botbuilder-dialogs' components once, not with every dialog context of every turn", async () => {
    // The registration's constructor fills its container through DialogsBotComponent.configureServices.
    const register = jest.spyOn(DialogsBotComponent.prototype, 'configureServices');
    try {
      const c = await conversation();
      await c.say('I want to cancel');
      await c.say('138 1234 5678');
      expect((await c.say('12'))[1].text).toBe('Please type the code. (Say "resend" if it has not arrived.)');
      expect((await c.say(c.lastCode()))[0].text).toBe('Thank you, 张伟, you are verified.');
      // Once a process: none here when an earlier test of this file built it already.
      expect(register.mock.calls.length).toBeLessThanOrEqual(1);
    } finally {
      register.mockRestore();
    }
  });
});
