import { conversation } from './support/conversation.js';
import { maskPhone, maskPhoneForMember, maskText } from '../src/core/mask.js';

type Chat = Awaited<ReturnType<typeof conversation>>;

const verifyAs = async (c: Chat, intent: string, phone: string) => {
  await c.say(intent);
  await c.say(phone);
  return c.say(c.lastCode());
};

/** Issue #17: what the member reads, item by item. */
describe('the receipt states every consequence the warning stated (#17.1, #17.9)', () => {
  it('cancel now with a fee: the chat receipt names the fee, the refund, what is lost and that it cannot be undone', async () => {
    const c = await conversation({ locale: 'zh-CN' });
    await verifyAs(c, '我想取消会员', '13900001111');
    const warning = await c.say('音乐那个');
    expect(warning[0].text).toContain('•立即取消：权益今天终止；退款¥17.66（已扣除手续费¥10.00）。');
    const done = await c.say('立即取消并退款¥17.66');
    const reference = c.app.store.data.cancellations.at(-1)!.reference;
    expect(done[0].text).toBe(
      [
        '已完成，您的取消申请已确认。',
        '状态：已于今天（2026-11-24）取消。',
        '退款：¥17.66（已扣除手续费¥10.00），将在3–5个工作日内原路退回。',
        '随权益一并清除：860积分、1张优惠券（共¥15.00）和白金会员身份。',
        '此次取消已立即生效，无法撤销。',
        `受理编号：${reference}`,
        '确认短信已发送至139****1111。',
      ].join('\n'),
    );
    // The SMS says the same in short.
    expect(c.app.store.data.outbox.at(-1)).toMatchObject({ template: 'cancellation-confirmed', channel: 'sms' });
    expect(c.app.store.data.outbox.at(-1)!.text).toBe(
      `取消成功：音乐Plus年卡（会员编号ms-2003），受理时间2026-11-24 10:00。权益已于2026-11-24终止。手续费：¥10.00。退款：¥17.66。随权益一并清除：860积分、1张优惠券（共¥15.00）和白金会员身份。此次取消无法撤销。受理编号：${reference}。`,
    );
  });

  it('cancel at period end: the receipt says until when it can be undone, and how; no fee where there is none', async () => {
    const c = await conversation();
    await verifyAs(c, 'I want to cancel', '+1 415 555 0123');
    const done = await c.say('Cancel at period end (keep benefits until Dec 5, 2026)');
    const reference = c.app.store.data.cancellations.at(-1)!.reference;
    expect(done[0].text).toBe(
      [
        'Done. Your cancellation is confirmed.',
        'Status: auto-renew is off; your benefits last until Dec 5, 2026.',
        'Refund: none.',
        'When your benefits end you lose: 450 points, 1 coupon worth $25.00, and your Pro status.',
        'Changed your mind? You can undo this cancellation until Dec 5, 2026: ask me to check your membership and choose "Undo the cancellation".',
        `Reference number: ${reference}`,
        'A confirmation has been sent by e-mail to e***@example.com.',
      ].join('\n'),
    );
  });

  it('a member with no points and no coupons hears no advice about them, and loses only the tier; in-app receipts name no address', async () => {
    const c = await conversation();
    const warning = await verifyAs(c, 'I want to cancel', '+1 415 555 0188');
    expect(warning[1].text).toBe(
      [
        'Before you decide — cancelling Cloud 2TB Annual:',
        '• At period end: auto-renew stops, you keep all benefits until Jul 1, 2027, no refund.',
        '• Now: benefits end today; refund $44.99 ($15.00 fee deducted).',
        '• When benefits end you lose: your Premium status.',
        'What would you like to do?',
      ].join('\n'),
    );
    const done = await c.say('Cancel now, refund $44.99');
    expect(done[0].text).toContain(
      '\nRefund: $44.99 (after a $15.00 cancellation fee), back to your original payment method within 3–5 working days.\n',
    );
    expect(done[0].text).toContain('\nRemoved with your benefits: your Premium status.\n');
    expect(done[0].text.split('\n').at(-1)).toBe('A confirmation has been sent to your messages in the app.');
    const notice = c.app.store.data.outbox.at(-1)!;
    expect(notice).toMatchObject({ channel: 'in-app', template: 'cancellation-confirmed' });
    expect(notice.text).toContain(
      'Fee: $15.00. Refund: $44.99. Removed with your benefits: your Premium status. This cannot be undone.',
    );
  });

  it('advice names only what the member has: points without coupons', async () => {
    const c = await conversation({ locale: 'zh-CN' });
    await verifyAs(c, '我想取消会员', '13900001111');
    const warning = await c.say('视频那个');
    expect(warning[0].text).toContain('•权益终止时将失去：300积分和黄金会员身份。');
    expect(warning[0].text).toContain('建议先用掉您的积分。');
    expect(warning[0].text).not.toContain('优惠券');
  });
});

describe('a pending cancellation reads as what it is (#17.3) and its undo says what happens next (#17.2)', () => {
  it('status text and card facts: active until the date, will not renew, can be undone until then; the undo names the next charge', async () => {
    const c = await conversation({ locale: 'zh-CN' });
    const shown = await verifyAs(c, '查询我的会员', '13700002222');
    const card = shown.find((r) => r.cards.length)!.cards[0];
    expect(card).toContain('状态：生效中，至2026-12-15；不再续费，在此之前可以撤销取消');
    expect(card).toContain('自动续费：已关闭');
    expect(card).toContain('支付金额：¥25.00/月');
    expect(card).not.toContain('已取消');
    const undone = await c.say('撤销取消');
    expect(undone[0].text).toBe(
      '已完成：您的视频VIP月卡将继续有效，自动续费已恢复。下次扣款：2026-12-15，¥25.00。确认通知正在发送。',
    );
    expect(c.app.store.data.outbox.at(-1)).toMatchObject({ template: 'cancellation-undone' });
    expect(c.app.store.data.outbox.at(-1)!.text).toBe(
      '您的视频VIP月卡（ms-2004）将继续有效：取消申请已撤销，自动续费已恢复。下次扣款：2026-12-15，¥25.00。',
    );
  });

  it('in English, on a channel without cards, the same facts as text', async () => {
    const c = await conversation({ channelId: 'sms' });
    const shown = await verifyAs(c, 'check my membership', '13700002222');
    const text = shown.map((r) => r.text).join('\n');
    expect(text).toContain(
      'Status: Active until Dec 15, 2026; it will not renew, and you can undo the cancellation until then',
    );
    expect(text).toContain('Price paid: ¥25.00/month');
  });
});

describe('numbers masked per country; the channel named with an address only where there is one (#17.4)', () => {
  it('a US number is shown as +1 415****0123', async () => {
    const c = await conversation();
    await c.say('I want to cancel');
    const sent = await c.say('+1 415 555 0123');
    expect(sent[0].text).toBe(
      'If +1 415****0123 is registered with us, a 6-digit code has just been sent to it. It is valid for 10 minutes.',
    );
  });
});

describe('asking for a new code too early keeps the code (#17.6)', () => {
  it('says when a new code can be sent, offers e-mail, keeps the prompt open, and the pending code still works', async () => {
    const c = await conversation({ locale: 'zh-CN' });
    await c.say('我想取消会员');
    await c.say('13812345678');
    const code = c.lastCode();
    c.clock.advance(15_000);
    const early = await c.say('没收到');
    expect(early.map((r) => r.text)).toEqual([
      '刚才发送的验证码仍然有效，收到后直接输入即可。45秒后可以发送新的验证码。如果短信迟迟没到，也可以输入您注册的邮箱，我会把验证码发到邮箱。',
      '请输入验证码。（如果没收到，可以说“重新发送”。）',
    ]);
    expect(c.app.store.data.outbox.filter((m) => m.template === 'otp')).toHaveLength(1);
    const verified = await c.say(code);
    expect(verified[0].text).toBe('张伟，验证成功。');
  });

  it('in English, says "in 45 seconds"; typing the e-mail address sends a code there instead', async () => {
    const c = await conversation();
    await c.say('I want to cancel');
    await c.say('+1 415 555 0123');
    c.clock.advance(15_000);
    const early = await c.say('resend');
    expect(early[0].text).toBe(
      'The code I sent is still valid: type it as soon as it arrives. A new code can be sent in 45 seconds. If the text message does not come, type the email address registered with us instead and I will send a code there.',
    );
    const byMail = await c.say('emily.carter@example.com');
    expect(byMail[0].text).toBe(
      'If e***@example.com is registered with us, a 6-digit code has just been sent to it. It is valid for 10 minutes.',
    );
    expect(c.app.store.data.outbox.filter((m) => m.template === 'otp').map((m) => m.channel)).toEqual(['sms', 'email']);
    expect((await c.say(c.lastCode()))[0].text).toBe('Thank you, Emily Carter, you are verified.');
  });

  it('counts tries left with the plural rules: "1 try left"', async () => {
    const c = await conversation();
    await c.say('I want to cancel');
    await c.say('emily.carter@example.com');
    const wrong = c.lastCode() === '000000' ? '111111' : '000000';
    for (let i = 0; i < 3; i += 1) await c.say(wrong);
    expect((await c.say(wrong))[0].text).toBe('That code is not right. 1 try left.');
  });
});

describe('the optional reason question never holds the member (#17.7)', () => {
  it('a status request there ends it without a reason and shows the membership', async () => {
    const c = await conversation({ locale: 'zh-CN' });
    await verifyAs(c, '我想取消会员', '13812345678');
    await c.say('到期后取消（权益保留至2027-03-01）');
    const status = await c.say('查询我的会员');
    expect(status[0].text).toBe('您的会员信息如下：');
    expect(status[0].cards[0]).toContain('状态：生效中，至2027-03-01；不再续费，在此之前可以撤销取消');
    expect(status.at(-1)!.choices).toEqual(['撤销取消', '保持不变']);
    expect(c.app.store.data.cancellations.at(-1)!.reason).toBeUndefined();
  });

  it('"help" there ends it and answers the help request', async () => {
    const c = await conversation();
    await verifyAs(c, 'I want to cancel', '+1 415 555 0123');
    await c.say('Cancel at period end (keep benefits until Dec 5, 2026)');
    const help = await c.say('help');
    expect(help[0].text).toMatch(/^I can show your membership/);
    expect(help[1].choices).toEqual(['Check my membership', 'Cancel membership', 'Help']);
    expect((await c.say('thanks'))[0].text).toBe("You're welcome!");
    expect(c.app.store.data.cancellations.at(-1)!.reason).toBeUndefined();
  });
});

describe('a bare "cancel" as the first message (#17.8)', () => {
  it.each([
    ['取消', 'zh-CN', '首先需要确认是您本人。请输入会员注册时使用的手机号或邮箱。'],
    [
      'cancel',
      'en-US',
      "First I need to check it's you. What is the phone number or email registered with your membership?",
    ],
  ])('"%s" starts cancelling', async (text, locale, expected) => {
    const c = await conversation({ locale });
    expect((await c.say(text)).map((r) => r.text)).toEqual([expected]);
  });
});

describe('prices with their period (#17.10)', () => {
  it('the retention offer names the period', async () => {
    const c = await conversation();
    await verifyAs(c, 'I want to cancel', '13900001111');
    const warning = await c.say('the music one');
    expect(warning[0].text).toContain('If you prefer, you can also switch to Music Lite Monthly at ¥9.00/month.');
    expect(warning[0].choices).toContain('Switch to Music Lite Monthly (¥9.00/month)');
  });
});

describe('masking from the E.164 form (#17.4)', () => {
  it('splits at the country code: +1, +44, +86; the member reads a Chinese number without +86', () => {
    expect(maskPhone('+14155550123')).toBe('+1 415****0123');
    expect(maskPhone('+447700900123')).toBe('+44 770****0123');
    expect(maskPhone('+8613812345678')).toBe('+86 138****5678');
    expect(maskPhoneForMember('+14155550123')).toBe('+1 415****0123');
    expect(maskPhoneForMember('+8613812345678')).toBe('138****5678');
    expect(maskText('call +1 415 555 0123 please')).toBe('call +1 415****0123 please');
  });
});
