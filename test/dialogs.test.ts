import { conversation } from './support/conversation.js';
import { signHostToken } from './support/hostToken.js';
import { openedOutbox } from './support/openedRecords.js';

const verifyAs = async (c: Awaited<ReturnType<typeof conversation>>, intent: string, phone: string) => {
  await c.say(intent);
  await c.say(phone);
  return c.say(c.lastCode());
};

describe('cancelling, in Chinese, in four turns', () => {
  it('intent, number, code, confirm: cancels at period end and records everything', async () => {
    const c = await conversation();
    expect((await c.say('我想取消会员'))[0].text).toBe('首先需要确认是您本人。请输入会员注册时使用的手机号或邮箱。');
    const sent = await c.say('138 1234 5678');
    expect(sent.map((r) => r.text)).toEqual([
      '如果138****5678已在我们这里注册，6位验证码已发送，10分钟内有效。',
      '请输入验证码。（如果没收到，可以说“重新发送”。）',
    ]);
    const warning = await c.say(c.lastCode());
    expect(warning[0].text).toBe('张伟，验证成功。');
    expect(warning[1].text).toContain('•到期后取消：停止自动续费，权益保留至2027-03-01，不退款。');
    expect(warning[1].text).toContain('•权益终止时将失去：1,280积分、2张优惠券（共¥50.00）和黄金会员身份。');
    expect(warning[1].choices).toEqual(['到期后取消（权益保留至2027-03-01）', '立即取消并退款¥62.59', '保留会员']);
    expect(c.app.store.data.memberships.find((m) => m.id === 'ms-2001')?.status).toBe('active');

    const done = await c.say('到期后取消（权益保留至2027-03-01）');
    expect(done[0].text).toMatch(
      /^已完成，您的取消申请已确认。\n状态：已关闭自动续费，权益保留至2027-03-01。\n退款：无。\n.*\n.*\n受理编号：CX-20261124-[0-9A-Z]{4}\n确认短信已发送至138\*\*\*\*5678。$/,
    );
    expect(done[1].choices).toEqual(['价格太贵', '对服务不满意', '账户安全', '隐私顾虑', '其他', '跳过']);
    const record = c.app.store.data.cancellations.at(-1)!;
    expect(record).toMatchObject({ membershipId: 'ms-2001', option: 'period_end', refund: 0 });
    expect(c.app.store.data.memberships.find((m) => m.id === 'ms-2001')).toMatchObject({
      status: 'pending_cancel',
      autoRenew: false,
    });
    expect((await openedOutbox(c.app.store, c.app.repository)).at(-1)).toMatchObject({
      template: 'cancellation-scheduled',
      to: '+8613812345678',
    });

    await c.say('价格太贵');
    expect(c.app.store.data.cancellations.at(-1)!.reason).toBe('expensive');
    const types = c.app.store.data.audit.map((a) => a.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'verification.succeeded',
        'cancellation.quote_shown',
        'cancellation.decision',
        'cancellation.committed',
        'cancellation.reason',
      ]),
    );
  });
});

describe('the retention offer', () => {
  it('is one extra choice in the same message; taking it cancels nothing and asks a colleague to confirm', async () => {
    const c = await conversation();
    await verifyAs(c, '帮我退订', '13900001111');
    const warning = await c.say('音乐那个');
    expect(warning[0].text).toContain('如果愿意，您也可以改为音乐轻享月卡（¥9.00/月）。');
    expect(warning[0].choices).toEqual([
      '到期后取消（权益保留至2027-01-15）',
      '立即取消并退款¥17.66',
      '改为音乐轻享月卡（¥9.00/月）',
      '保留会员',
    ]);
    const noted = await c.say('改为音乐轻享月卡（¥9.00/月）');
    expect(noted[0].text).toBe(
      '已记录：您希望改为音乐轻享月卡。目前没有取消任何会员；同事会在一个工作日内与您确认更换。',
    );
    expect(c.app.store.data.memberships.find((m) => m.id === 'ms-2003')?.status).toBe('active');
    expect(c.app.store.data.handoffs).toHaveLength(1);
    expect(
      c.app.store.data.audit.filter((a) => a.type === 'cancellation.decision').map((a) => a.data?.decision),
    ).toEqual(['offer']);
  });
});

describe('in English', () => {
  it('cancels now with the pro-rata refund, choosing among two memberships by ordinal', async () => {
    const c = await conversation();
    await c.say('I want to cancel');
    await c.say('my number is 139 0000 1111');
    const pick = await c.say(c.lastCode());
    expect(pick[0].text).toMatch(/^Thank you, 李娜, you are verified\.$/);
    expect(pick[1]).toMatchObject({
      text: 'Which membership do you want to cancel?',
      choices: ['Music Plus Annual', 'Video VIP Monthly'],
    });
    const warning = await c.say('the first one');
    expect(warning[0].text).toContain('• Now: benefits end today; refund ¥17.66 (¥10.00 fee deducted).');
    expect(warning[0].text).toContain('If you prefer, you can also switch to Music Lite Monthly at ¥9.00/month.');
    expect(warning[0].choices).toEqual([
      'Cancel at period end (keep benefits until Jan 15, 2027)',
      'Cancel now, refund ¥17.66',
      'Switch to Music Lite Monthly (¥9.00/month)',
      'Keep my membership',
    ]);
    const done = await c.say('Cancel now, refund ¥17.66');
    expect(done[0].text).toContain(
      'Refund: ¥17.66 (after a ¥10.00 cancellation fee), back to your original payment method within 3–5 working days.',
    );
    expect(c.app.store.data.memberships.find((m) => m.id === 'ms-2003')).toMatchObject({
      status: 'cancelled',
      points: 0,
    });
    expect((await c.say('Skip'))[0].text).toBe('No problem.');
    expect(c.app.store.data.cancellations.at(-1)!.reason).toBeUndefined();
  });

  it('understands "the video one", asks again on a bare "no" and keeps the membership on "keep it"', async () => {
    const c = await conversation();
    await verifyAs(c, 'stop my subscription', '13900001111');
    const warning = await c.say('the video one');
    expect(warning[0].choices).toEqual([
      'Cancel at period end (keep benefits until Dec 10, 2026)',
      'Keep my membership',
    ]);
    expect(warning[0].text).toContain('This plan has no refund for the current period');
    expect((await c.say('no'))[0].text).toBe(
      'Nothing has changed. Would you like to keep your membership, or cancel it one of the ways below?',
    );
    expect((await c.say('keep it'))[0].text).toBe('OK, your membership stays as it is. Nothing was changed.');
    expect(c.app.store.data.memberships.find((m) => m.id === 'ms-2002')?.status).toBe('active');
  });

  it('takes an option word only as a choice: "I know" picks nothing, "maybe later" is a hedge, "cancel it now please" chooses', async () => {
    const c = await conversation();
    await verifyAs(c, 'cancel my membership', '+86 138 1234 5678');
    expect((await c.say('I know'))[0].text).toBe(
      'Sorry, I didn\'t catch that. Please pick one of the options, or say "keep" to change nothing.',
    );
    const hedge = await c.say('maybe later');
    expect(hedge[0].text).toBe(
      'Take your time: nothing changes until you pick one of the options. You can also come back later.',
    );
    expect(hedge[1]).toMatchObject({
      text: 'What would you like to do?',
      choices: [
        'Cancel at period end (keep benefits until Mar 1, 2027)',
        'Cancel now, refund ¥62.59',
        'Keep my membership',
      ],
    });
    expect(c.app.store.data.cancellations).toHaveLength(2);
    const done = await c.say('cancel it now please');
    expect(done[0].text).toContain('Refund: ¥62.59');
    expect(c.app.store.data.memberships.find((m) => m.id === 'ms-2001')?.status).toBe('cancelled');
  });

  it('answers a question about the refund (退款多少) from the quote in short, and takes 立即取消吧', async () => {
    const c = await conversation({ locale: 'zh-CN' });
    await verifyAs(c, '我想取消会员', '138 1234 5678');
    const answer = await c.say('退款多少');
    expect(answer[0].text).toContain('¥62.59');
    expect(answer[0].text.split('\n')).toHaveLength(2);
    expect(answer[1].text).toBe('请选择：');
    expect(c.app.store.data.cancellations).toHaveLength(2);
    await c.say('立即取消吧');
    expect(c.app.store.data.memberships.find((m) => m.id === 'ms-2001')?.status).toBe('cancelled');
  });

  it('asks an unclear confirmation again twice, then ends with nothing changed', async () => {
    const c = await conversation();
    await verifyAs(c, 'cancel my membership', '+86 138 1234 5678');
    const first = await c.say('🦄');
    expect(first.map((r) => r.text)[0]).toBe(
      'Sorry, I didn\'t catch that. Please pick one of the options, or say "keep" to change nothing.',
    );
    // A question is answered and does not count as a miss.
    expect((await c.say('what?'))[0].text).toBe('Nothing changes until you pick one of the options below.');
    await c.say('blah');
    const end = await c.say('xyz');
    expect(end[0].text).toBe("I didn't get a clear answer, so nothing has changed. Your membership is as it was.");
    expect(c.app.store.data.cancellations).toHaveLength(2);
  });
});

describe('verification', () => {
  it.each([
    ['en-US', 'I want to cancel my membership, my number is 138 1234 5678', 'If 138****5678 is registered with us'],
    ['zh-CN', '帮我取消会员，手机号13812345678', '如果138****5678已在我们这里注册'],
  ] as const)('%s: a phone number given with the request is not asked for again', async (locale, text, sent) => {
    const c = await conversation({ locale });
    const replies = await c.say(text);
    expect(replies[0].text).toContain(sent);
    expect(c.app.store.data.outbox.filter((m) => m.template === 'otp')).toHaveLength(1);
    const warning = await c.say(c.lastCode());
    expect(warning.at(-1)!.choices.length).toBeGreaterThan(1);
  });

  it('answers an unregistered number with the same words as a registered one', async () => {
    const a = await conversation();
    const b = await conversation();
    await a.say('cancel my membership');
    await b.say('cancel my membership');
    const registered = (await a.say('138 1234 5678')).map((r) => r.text.replace('138****5678', 'X'));
    const unknown = (await b.say('138 9999 0000')).map((r) => r.text.replace('138****0000', 'X'));
    expect(unknown).toEqual(registered);
    expect(b.app.store.data.outbox).toHaveLength(0);
    expect((await b.say('123456'))[0].text).toBe('That code is not right. 4 tries left.');
  });

  it('says how many tries are left, re-asks a malformed code, and accepts the right one next', async () => {
    const c = await conversation();
    await c.say('check my membership');
    await c.say('zhang.wei@example.com');
    expect((await c.say('12 34'))[0].text).toBe(
      'Sorry, I didn\'t catch that. A code has 6 digits, e.g. 123 456. Please type the code, or say "resend".',
    );
    const wrong = c.lastCode() === '000000' ? '111111' : '000000';
    expect((await c.say(wrong))[0].text).toBe('That code is not right. 4 tries left.');
    const status = await c.say(c.lastCode());
    expect(status[1].text).toBe('Here is your membership:');
    expect(status[1].cards[0]).toContain('Video VIP Annual\nTier: Gold\nStatus: Active');
    expect(status[1].cards[0]).toContain('Coupons: 2 worth ¥50.00, nearest expiry Dec 31, 2026');
  });

  it('a resend within the interval keeps the code and says when a new one can be sent; after it, sends one', async () => {
    const c = await conversation();
    await c.say('cancel my membership');
    await c.say('13812345678');
    const throttled = await c.say('resend');
    expect(throttled[0].text).toBe(
      'The code I sent is still valid: type it as soon as it arrives. A new code can be sent in 1 minute. If the text message does not come, type the email address registered with us instead and I will send a code there.',
    );
    c.clock.advance(61_000);
    const resent = await c.say('重新发送');
    expect(resent[0].text).toBe('如果138****5678已在我们这里注册，6位验证码已发送，10分钟内有效。');
  });

  it('skips verification with a valid host token: intent and confirm are two turns', async () => {
    const secret = 'h'.repeat(32);
    const c = await conversation({ config: { MEMBER_TOKEN_SECRET: secret } });
    const token = signHostToken(secret, 'm-1006', 'user1', Math.floor(Date.parse('2026-11-24T02:05:00Z') / 1000));
    const warning = await c.say({ text: 'I want to cancel', channelData: { memberToken: token } });
    expect(warning[0].choices[0]).toBe('Cancel at period end (keep benefits until Dec 5, 2026)');
    await c.say('at period end');
    expect(c.app.store.data.memberships.find((m) => m.id === 'ms-2007')?.status).toBe('pending_cancel');
    expect((await openedOutbox(c.app.store, c.app.repository)).at(-1)).toMatchObject({
      channel: 'email',
      to: 'emily.carter@example.com',
    });
  });

  it('ignores a forged host token', async () => {
    const c = await conversation({ config: { MEMBER_TOKEN_SECRET: 'h'.repeat(32) } });
    const forged = signHostToken(
      'x'.repeat(32),
      'm-1006',
      'user1',
      Math.floor(Date.parse('2026-11-24T02:05:00Z') / 1000),
    );
    const replies = await c.say({ text: 'I want to cancel', channelData: { memberToken: forged } });
    expect(replies[0].text).toMatch(/^First I need to check it's you/);
  });
});

describe('interruptions at a prompt', () => {
  it('help explains the step and asks again; quit stops with nothing changed', async () => {
    const c = await conversation();
    await verifyAs(c, '取消会员', '13812345678');
    const help = await c.say('帮助');
    expect(help[0].text).toBe('请从选项中选择一项，每个选项都写明了结果。选择“保留会员”不会做任何更改。');
    expect(help[1].choices).toHaveLength(3);
    const quit = await c.say('退出');
    expect(['好的，已停止。没有做任何更改。', '好的，会员保持不变，没有做任何更改。']).toContain(quit[0].text);
    expect(c.app.store.data.memberships.find((m) => m.id === 'ms-2001')?.status).toBe('active');
  });

  it('bare 取消 inside the flow asks which is meant', async () => {
    const c = await conversation();
    await c.say('查询会员');
    const ask = await c.say('取消');
    expect(ask[0]).toMatchObject({
      text: '您是想退出当前操作，还是想取消会员？',
      choices: ['退出当前操作', '取消会员'],
    });
    expect((await c.say('退出当前操作'))[0].text).toBe('好的，已停止。没有做任何更改。');
  });

  it('switches language mid-flow and re-asks the same prompt in the new language', async () => {
    const c = await conversation();
    await c.say('我想取消会员');
    const switched = await c.say('English please');
    expect(switched.map((r) => r.text)).toEqual([
      'OK, I will continue in English.',
      "First I need to check it's you. What is the phone number or email registered with your membership?",
    ]);
  });

  it('records a handoff request for a person and keeps the flow', async () => {
    const c = await conversation();
    await c.say('cancel my membership');
    const handoff = await c.say('human');
    expect(handoff[0].text).toMatch(/^I have asked a support colleague/);
    expect(c.app.store.data.handoffs).toHaveLength(1);
    expect(handoff[1].text).toMatch(/^First I need to check it's you/);
  });

  it('answers an attachment or an over-long message with what it expects, staying at the prompt', async () => {
    const c = await conversation();
    await c.say('cancel my membership');
    const attachment = await c.say({
      text: '',
      attachments: [{ contentType: 'image/png', contentUrl: 'http://127.0.0.1/x.png' }],
    });
    expect(attachment.map((r) => r.text)).toEqual([
      'I can only read text messages. Please type your answer.',
      "First I need to check it's you. What is the phone number or email registered with your membership?",
    ]);
    const long = await c.say('a'.repeat(5001));
    expect(long[0].text).toBe('That message is too long for me. Please send a shorter one.');
  });
});

describe('status, undo and nothing active', () => {
  it('offers undo for a pending cancellation and resumes the membership', async () => {
    const c = await conversation();
    const status = await verifyAs(c, '我的会员还有几天到期', '137 0000 2222');
    expect(status[1].cards[0]).toContain('状态：生效中，至2026-12-15；不再续费，在此之前可以撤销取消');
    expect(status[1].cards[0]).toContain('取消受理编号：CX-20261118-4H7M');
    expect(status[2]).toMatchObject({
      text: '您的取消申请尚未生效。需要撤销取消、继续保留会员吗？',
      choices: ['撤销取消', '保持不变'],
    });
    expect((await c.say('撤销取消'))[0].text).toBe(
      '已完成：您的视频VIP月卡将继续有效，自动续费已恢复。下次扣款：2026-12-15，¥25.00。确认通知正在发送。',
    );
    expect(c.app.store.data.memberships.find((m) => m.id === 'ms-2004')).toMatchObject({
      status: 'active',
      autoRenew: true,
    });
  });

  it('says there is nothing active to cancel and shows what there is', async () => {
    const c = await conversation();
    const replies = await verifyAs(c, '取消会员', '158 0000 3333');
    expect(replies[1].text).toBe(
      '您目前没有可以取消的会员。账户中的记录如下：\n音乐轻享月卡：已取消\n没有可以再取消的会员。',
    );
  });

  it('asked to undo a cancellation that took effect at once, says plainly that it cannot be', async () => {
    const c = await conversation();
    await verifyAs(c, 'I want to cancel', 'emily.carter@example.com');
    await c.say('Cancel now, refund $0.00');
    const replies = await c.say('please undo my cancellation');
    const said = replies.map((r) => r.text);
    expect(said).toContain(
      'Your Fitness Pro Monthly cancellation took effect on Nov 24, 2026 and cannot be undone: the membership has ended and cannot be restored.',
    );
    expect(c.app.store.data.memberships.find((m) => m.id === 'ms-2007')?.status).toBe('cancelled');
  });

  it('asked to undo with nothing cancelled, says there is nothing to undo', async () => {
    const c = await conversation();
    const replies = await verifyAs(c, '撤销取消', '138 1234 5678');
    expect(replies.map((r) => r.text)).toContain('没有可以撤销的取消：这个账户下没有取消过任何会员。');
  });

  it('renders the same facts as plain text on a channel without cards', async () => {
    const c = await conversation({ channelId: 'sms' });
    const replies = await verifyAs(c, 'check my membership', 'emily.carter@example.com');
    expect(replies[1].cards).toEqual([]);
    expect(replies[1].text).toContain('Fitness Pro Monthly\nTier: Pro\nStatus: Active');
  });
});
