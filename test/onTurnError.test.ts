import { conversation } from './support/conversation.js';

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
});
