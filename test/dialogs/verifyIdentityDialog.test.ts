import { DialogTestClient } from 'botbuilder-testing';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { VerifyIdentityDialog } from '../../dialogs/verifyIdentityDialog.js';
import { dialogApp, speaker } from '../support/dialogClient.js';

/** The verification dialog on its own: a phone number or e-mail, a code, and the member id it ends with. */
describe('VerifyIdentityDialog', () => {
  async function verification() {
    const { app, lastCode } = await dialogApp();
    const client = new DialogTestClient('test', new VerifyIdentityDialog(app.services));
    const challenges = () => app.store.data.otpChallenges.map((c) => ({ state: c.state, failed: c.failedAttempts }));
    return { app, client, lastCode, challenges };
  }

  it('ends with the member id once the right code is typed', async () => {
    const { app, client, lastCode, challenges } = await verification();
    const say = speaker(client, 'en-US');
    expect(await say('hi')).toEqual([
      "First I need to check it's you. What is the phone number or email registered with your membership?",
    ]);
    expect(await say('emily.carter@example.com')).toEqual([
      'If e***@example.com is registered with us, a 6-digit code has just been sent to it. It is valid for 10 minutes.',
      'Please type the code. (Say "resend" if it has not arrived.)',
    ]);
    expect(challenges()).toEqual([{ state: 'open', failed: 0 }]);
    expect(await say(lastCode())).toEqual(['Thank you, Emily Carter, you are verified.']);
    expect(client.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.complete, result: 'm-1006' });
    expect(challenges()).toEqual([{ state: 'used', failed: 0 }]);
    expect(app.store.data.audit.map((a) => a.type)).toEqual(['verification.code_requested', 'verification.succeeded']);
  });

  it('asks again for something that is neither a phone number nor an e-mail, and sends nothing', async () => {
    const { app, client } = await verification();
    const say = speaker(client, 'en-US');
    await say('hi');
    expect(await say('my cat')).toEqual([
      "Sorry, I didn't catch that. I could not read a phone number or email there. Please type it like 138 1234 5678, +1 415 555 0123 or name@example.com.",
      "First I need to check it's you. What is the phone number or email registered with your membership?",
    ]);
    expect(client.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.waiting });
    expect(app.store.data.outbox).toEqual([]);
  });

  it('counts a wrong code against the challenge and keeps waiting for the right one', async () => {
    const { client, lastCode, challenges } = await verification();
    const say = speaker(client, 'en-US');
    await say('hi');
    await say('emily.carter@example.com');
    const wrong = lastCode() === '000000' ? '111111' : '000000';
    expect(await say(wrong)).toEqual([
      'That code is not right. 4 tries left.',
      'Please type the code. (Say "resend" if it has not arrived.)',
    ]);
    expect(client.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.waiting });
    expect(challenges()).toEqual([{ state: 'open', failed: 1 }]);
    await say(lastCode());
    expect(client.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.complete, result: 'm-1006' });
  });

  it('keeps the code waiting when a new one is asked for too soon', async () => {
    const { client, challenges } = await verification();
    const say = speaker(client, 'zh-CN');
    await say('你好');
    await say('13812345678');
    expect(await say('重新发送')).toEqual([
      '刚才发送的验证码仍然有效，收到后直接输入即可。1分钟后可以发送新的验证码。如果短信迟迟没到，也可以输入您注册的邮箱，我会把验证码发到邮箱。',
      '请输入验证码。（如果没收到，可以说“重新发送”。）',
    ]);
    expect(client.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.waiting });
    expect(challenges()).toEqual([{ state: 'open', failed: 0 }]);
  });

  it('ends with no member when no code may be sent and none is waiting', async () => {
    const { app } = await verification();
    const first = speaker(new DialogTestClient('test', new VerifyIdentityDialog(app.services)), 'zh-CN');
    await first('你好');
    await first('13812345678');
    const client = new DialogTestClient('test', new VerifyIdentityDialog(app.services));
    const second = speaker(client, 'zh-CN');
    await second('你好');
    expect(await second('13812345678')).toEqual(['为了您的账户安全，暂时不能发送新的验证码。请1分钟后再试。']);
    expect(client.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.complete, result: undefined });
    expect(app.store.data.outbox.filter((m) => m.template === 'otp')).toHaveLength(1);
  });

  it('sends the code to the number given last when the member corrects themselves', async () => {
    const { client, challenges } = await verification();
    const say = speaker(client, 'en-US');
    await say('hi');
    await say('13812345670 sorry, 13812345678');
    expect(client.dialogTurnResult).toMatchObject({ status: DialogTurnStatus.waiting });
    expect(challenges()).toEqual([{ state: 'open', failed: 0 }]);
  });

  it("sends no code to someone else's number", async () => {
    const { client, challenges } = await verification();
    const say = speaker(client, 'en-US');
    await say('hi');
    expect(await say("can I use my wife's number, 13812345678")).toEqual([
      "I can only act on your own membership and data. For someone else's account, they need to ask themselves.",
      expect.any(String),
    ]);
    expect(challenges()).toEqual([]);
  });
});
