import { ConversationState, MemoryStorage } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import type { ConversationData } from '../../dialogs/conversationData.js';
import { MainDialog } from '../../dialogs/mainDialog.js';
import { conversation } from '../support/conversation.js';
import { dialogApp, speaker } from '../support/dialogClient.js';
import { signHostToken } from '../support/hostToken.js';

/**
 * The main dialog's task waterfall on its own (verify, run the task, say goodbye), begun with a
 * task as the router begins it; the routing and the interruptions around it are covered by
 * test/interruptions.test.ts and the transcripts.
 */
describe('MainDialog', () => {
  async function task(task: 'status' | 'cancel') {
    const { app, clock, lastCode } = await dialogApp();
    const storage = new MemoryStorage();
    const state = new ConversationState(storage);
    const client = new DialogTestClient('test', new MainDialog(app.services, state), { task }, [], state);
    /** What the conversation state holds between turns, as saved. */
    const saved = async () => {
      const key = 'test/conversations/Convo1/'; // ConversationState's key for the TestAdapter's conversation
      const all = await storage.read([key]);
      return (all[key] as { conversationData?: ConversationData }).conversationData;
    };
    return { app, clock, lastCode, client, saved };
  }

  it('verifies the member, runs the task, says goodbye with the menu and remembers the member', async () => {
    const { app, lastCode, client, saved } = await task('status');
    const say = speaker(client, 'en-US');
    expect(await say('hi')).toEqual([
      "First I need to check it's you. What is the phone number or email registered with your membership?",
    ]);
    await say('chen.jing@example.com');
    const replies = await say(lastCode());
    expect(replies[0]).toBe('Thank you, 陈静, you are verified.');
    expect(replies[1]).toMatch(/^Here is your membership:\n\nVideo VIP Monthly\n/);
    expect(replies[2]).toBe(
      'Anything else? You can check your membership or ask for help at any time.\n1. Check my membership\n2. Cancel membership\n3. Help',
    );
    expect(client.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.complete });
    expect((await saved())?.verification).toMatchObject({ memberId: 'm-1005', userId: 'user1', via: 'code' });
    expect((await app.repository.memberById('m-1005'))?.conversationReference).toMatchObject({
      conversation: { id: 'Convo1' },
      channelId: 'test',
    });
  });

  it('does not ask a member verified a moment ago again, but does once the verification has lapsed', async () => {
    const { app, clock, lastCode, client } = await task('status');
    const say = speaker(client, 'en-US');
    await say('hi');
    await say('chen.jing@example.com');
    await say(lastCode());

    clock.advance(60_000);
    expect((await say('hi'))[0]).toMatch(/^Here is your membership:/);

    clock.advance((app.config.VERIFIED_IDLE_MINUTES + 1) * 60_000);
    expect(await say('hi')).toEqual([
      "First I need to check it's you. What is the phone number or email registered with your membership?",
    ]);
    expect(client.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.waiting });
  });

  it('ends without running the task when verification ends without a member, and keeps no identity', async () => {
    const { app, client, saved } = await task('cancel');
    // Another conversation took the only code this identifier may have for now.
    const other = speaker(
      new DialogTestClient('test', new MainDialog(app.services, new ConversationState(new MemoryStorage())), {
        task: 'cancel',
      }),
      'en-US',
    );
    await other('hi');
    await other('chen.jing@example.com');

    const say = speaker(client, 'en-US');
    await say('hi');
    const [refused] = await say('chen.jing@example.com');
    expect(refused).toMatch(/^For your security/);
    expect(client.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.complete, result: undefined });
    expect((await saved())?.verification).toBeUndefined();
    expect(app.store.data.audit.filter((a) => a.type.startsWith('cancellation.'))).toEqual([]);
  });

  it('looks the member of a host token up once in the turn that starts the task', async () => {
    const secret = 'h'.repeat(32);
    const c = await conversation({ config: { MEMBER_TOKEN_SECRET: secret } });
    const reads = jest.spyOn(c.app.repository, 'memberById');
    const token = signHostToken(secret, 'm-1006', 'user1', Math.floor(Date.parse('2026-11-24T02:05:00Z') / 1000));
    const warning = await c.say({ text: 'I want to cancel', channelData: { memberToken: token } });
    expect(warning[0].choices[0]).toBe('Cancel at period end (keep benefits until Dec 5, 2026)');
    // The token's check and the conversation remembered share the turn's one read.
    expect(reads.mock.calls).toEqual([['m-1006']]);
  });

  it.each([
    [
      "cancel my wife's membership",
      "I can only act on your own membership and data. For someone else's account, they need to ask themselves.",
    ],
    ['帮我妈把她的会员取消了', '我只能处理您本人的会员和数据。如果是别人的账户，需要本人来办理。'],
  ])("starts no task on someone else's account: %s", async (text, answer) => {
    const c = await conversation();
    const replies = await c.say(text);
    expect(replies[0].text).toBe(answer);
    expect(replies.some((r) => /phone number|手机号/.test(r.text ?? ''))).toBe(false);
    expect(c.app.store.data.audit.filter((a) => a.type.startsWith('otp'))).toEqual([]);
  });

  it("starts the task when someone else only uses the member's own account", async () => {
    const c = await conversation();
    const replies = await c.say('my son signed up on my phone by accident, I want to cancel it');
    expect(replies[0].text).toMatch(/phone number or email/);
  });
});
