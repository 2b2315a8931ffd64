import { MemoryStorage, type Activity } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { VerifyIdentityDialog } from '../dialogs/verifyIdentityDialog.js';
import { createApp } from '../src/app.js';
import { ManualClock } from '../src/core/clock.js';
import { seededRandom } from '../src/core/random.js';
import { testConfig } from './support/testConfig.js';

/** The verification dialog on its own, with botbuilder-testing's DialogTestClient. */
describe('VerifyIdentityDialog', () => {
  async function client() {
    const app = await createApp(testConfig(), {
      db: 'memory',
      stateStorage: new MemoryStorage(),
      clock: new ManualClock('2026-11-24T02:00:00Z'),
      random: seededRandom(5),
      deliverOnCommit: false,
    });
    const dialog = new VerifyIdentityDialog(app.services);
    const code = () => /\d{6}/.exec(app.store.data.outbox.at(-1)?.text ?? '')![0];
    return { app, code, client: new DialogTestClient('test', dialog) };
  }

  it('ends with the member id once the right code is typed', async () => {
    const { client: c, code } = await client();
    const locale = { locale: 'en-US' } as Partial<Activity>;
    const ask = await c.sendActivity({ type: 'message', text: 'hi', ...locale });
    expect(ask.text).toBe(
      "First I need to check it's you. What is the phone number or email registered with your membership?",
    );
    await c.sendActivity({ type: 'message', text: 'emily.carter@example.com', ...locale });
    expect(c.getNextReply().text).toBe('Please type the code. (Say "resend" if it has not arrived.)');
    const done = await c.sendActivity({ type: 'message', text: code(), ...locale });
    expect(done.text).toBe('Thank you, Emily Carter, you are verified.');
    expect(c.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.complete, result: 'm-1006' });
  });

  it('keeps the code waiting when a new one is asked for too soon', async () => {
    const { client: c } = await client();
    const locale = { locale: 'zh-CN' } as Partial<Activity>;
    await c.sendActivity({ type: 'message', text: '你好', ...locale });
    await c.sendActivity({ type: 'message', text: '13812345678', ...locale });
    c.getNextReply();
    const early = await c.sendActivity({ type: 'message', text: '重新发送', ...locale });
    expect(early.text).toBe(
      '刚才发送的验证码仍然有效，收到后直接输入即可。1分钟后可以发送新的验证码。如果短信迟迟没到，也可以输入您注册的邮箱，我会把验证码发到邮箱。',
    );
    expect(c.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.waiting });
  });

  it('ends with no member when no code may be sent and none is waiting', async () => {
    const { app } = await client();
    const locale = { locale: 'zh-CN' } as Partial<Activity>;
    const first = new DialogTestClient('test', new VerifyIdentityDialog(app.services));
    await first.sendActivity({ type: 'message', text: '你好', ...locale });
    await first.sendActivity({ type: 'message', text: '13812345678', ...locale });
    const second = new DialogTestClient('test', new VerifyIdentityDialog(app.services));
    await second.sendActivity({ type: 'message', text: '你好', ...locale });
    const throttled = await second.sendActivity({ type: 'message', text: '13812345678', ...locale });
    expect(throttled.text).toBe('为了您的账户安全，暂时不能发送新的验证码。请1分钟后再试。');
    expect(second.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.complete, result: undefined });
  });
});

describe('onTurnError', () => {
  it('tells the user nothing changed and clears the conversation, which then starts afresh', async () => {
    const { conversation } = await import('./support/conversation.js');
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
