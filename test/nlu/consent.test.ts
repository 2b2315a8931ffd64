import { actsOf } from '../../src/nlu/acts.js';
import { readConsent, type CancelChoice, type ConsentInput } from '../../src/nlu/consent.js';
import { normalizeText } from '../../src/nlu/normalize.js';
import { LANGUAGES } from '../../src/i18n/languages.js';

const LEXICONS = Object.values(LANGUAGES).map((l) => l.lexicon);

const ALL: CancelChoice[] = ['period_end', 'immediate', 'offer'];
const read = (
  text: string,
  answer: { label: string; score: number } = { label: 'unsure', score: 0.9 },
  offered = ALL,
  extra: Partial<ConsentInput> = {},
) =>
  readConsent({
    normalized: normalizeText(text),
    acts: actsOf(normalizeText(text), LEXICONS),
    offered,
    answer,
    intent: 'none',
    lexicons: LEXICONS,
    ...extra,
  });
// What a classifier might say at its most mistaken: sure the reply chooses to cancel now.
const confidentNow = { label: 'immediate', score: 1 };

describe('the consent rule', () => {
  it.each([
    'yes?',
    'ok?',
    '确定？',
    '好的吗',
    '是吗',
    'cancel now?',
    '立即取消吗',
    'what if I cancel now',
    'will I get a refund now',
    '会退多少钱？',
    '现在取消会怎样呢',
  ])('a question never consents, whatever the model says: %s', (text) => {
    expect(read(text, confidentNow).kind).toBe('question');
  });

  it.each([
    'not sure yet',
    '让我考虑一下',
    'yes… hold on',
    '好…等一下',
    'maybe now',
    'wait, cancel now',
    '行 但是我要先问下退款',
  ])('a hedge or a mixed signal never consents: %s', (text) => {
    expect(read(text, confidentNow).kind).not.toBe('choose');
  });

  it.each(['only if I get a refund now', '如果能全额退款的话就现在取消', 'unless the refund is small, cancel now'])(
    'a condition never consents: %s',
    (text) => {
      expect(read(text, confidentNow)).toEqual({ kind: 'unclear', reason: 'condition' });
    },
  );

  it.each(['please', 'thanks', 'thank you!', '谢谢', '请', '麻烦了', '🙏'])(
    'politeness alone never consents: %s',
    (text) => {
      expect(read(text, { label: 'yes', score: 1 }).kind).toBe('unclear');
    },
  );

  it.each([
    "don't cancel now",
    '先别动',
    '不要现在取消',
    "don't refund me now",
    'no, cancel now',
    'never mind the refund, cancel now',
  ])('a negation never consents: %s', (text) => {
    expect(read(text, confidentNow).kind).not.toBe('choose');
  });

  it('a negation of the change with a "keep" reading keeps the membership', () => {
    expect(read('不用了，还是留着吧', { label: 'keep', score: 0.9 })).toEqual({ kind: 'keep' });
    expect(read('nah, leave it as it is', { label: 'keep', score: 0.9 })).toEqual({ kind: 'keep' });
  });

  it.each(['yes', '是的', '好的', '确定', 'OK', 'sure', 'ok, thanks', '好的谢谢', 'yes, cancel it', '对 确认'])(
    'a bare yes chooses the reversible option, never cancelling now, whatever the model says: %s',
    (text) => {
      expect(read(text, confidentNow)).toEqual({ kind: 'choose', choice: 'period_end' });
      expect(read(text, confidentNow, ['period_end', 'offer'])).toEqual({ kind: 'choose', choice: 'period_end' });
    },
  );

  it.each(['yes', '好的', 'ok, thanks'])(
    'without the period end on offer, a bare yes never cancels now; the bot asks which: %s',
    (text) => {
      expect(read(text, confidentNow, ['immediate', 'offer'])).toEqual({ kind: 'unclear', reason: 'plainYes' });
      expect(read(text, confidentNow, ['immediate'])).toEqual({ kind: 'unclear', reason: 'plainYes' });
    },
  );

  it.each(['probably the refund one I think', 'i guess cancel it now and refund me'])(
    'a tentative reply never cancels now: %s',
    (text) => {
      expect(read(text, confidentNow)).toEqual({ kind: 'unclear', reason: 'tentative' });
    },
  );

  it.each(['应该是立即取消退款吧', '应该是到期取消吧'])(
    '"应该…吧" asks back rather than chooses, whichever option it names: %s',
    (text) => {
      expect(read(text, confidentNow)).toMatchObject({ kind: 'unclear' });
      expect(read(text, { label: 'periodEnd', score: 0.9 })).toMatchObject({ kind: 'unclear' });
    },
  );

  it.each(['i think at the end of the period', '我觉得到期再取消吧'])(
    'a tentative reply may choose the period end, which can be undone: %s',
    (text) => {
      expect(read(text, { label: 'periodEnd', score: 0.9 })).toEqual({ kind: 'choose', choice: 'period_end' });
    },
  );

  it.each(["cancel my wife's membership instead", '我妈的会员也帮我一起取消了'])(
    "someone else's account is not this member's to decide: %s",
    (text) => {
      expect(read(text, { label: 'keep', score: 0.9 })).toEqual({ kind: 'unclear', reason: 'otherPerson' });
    },
  );

  it.each(['i want to cancel but keep my coupons', '想取消但积分别清掉'])(
    'keeping something not on offer beside "cancel" keeps nothing: %s',
    (text) => {
      expect(read(text, { label: 'keep', score: 0.9 }).kind).toBe('unclear');
    },
  );

  it.each(['my wife said cancel it right away and get the refund, so do that', '我老公说直接取消退钱，那就这样吧'])(
    'advice the member takes as their own decides: %s',
    (text) => {
      expect(read(text, confidentNow)).toEqual({ kind: 'choose', choice: 'immediate' });
    },
  );

  it.each([
    'my wife keeps telling me to cancel it today lol',
    'my wife said cancel it now and get the refund',
    'my wife said cancel her membership now with the refund, so do that',
  ])('advice not taken, or about their account, decides nothing: %s', (text) => {
    expect(read(text, confidentNow).kind).not.toBe('choose');
  });

  it.each([
    '不是到期！是现在！！退钱',
    'not at the end, NOW. and I want the refund',
    '现在就取消吧，不用等到期了，退钱',
    '不要等到期，现在就退款',
  ])('the period end turned down beside "now" chooses now: %s', (text) => {
    expect(read(text, confidentNow)).toEqual({ kind: 'choose', choice: 'immediate' });
  });

  it.each(['not at the end, maybe now?', 'not at the end, but refund me now', '不是到期，应该是现在退吧'])(
    'the period end turned down beside a doubt chooses nothing: %s',
    (text) => {
      expect(read(text, confidentNow).kind).not.toBe('choose');
    },
  );

  it.each(['NOT the refund one. the other cancel', '不要退款，另一个'])(
    'one way of cancelling turned down beside "the other" chooses the other: %s',
    (text) => {
      expect(read(text, confidentNow)).toEqual({ kind: 'choose', choice: 'period_end' });
    },
  );

  it.each([
    'dont cancel it now, let it expire',
    'Do not refund, do not cancel now, just end it when the month is over',
    'I would like it to stop at the end of the month please not right now',
    '不用马上取消，等到期自动停就行',
    '我不要退款，也不要现在取消，到期停掉就好',
    '到期了再给我停掉就行 现在不要停',
  ])('cancelling now turned down beside the period end named chooses the period end: %s', (text) => {
    expect(read(text, confidentNow)).toEqual({ kind: 'choose', choice: 'period_end' });
  });

  it.each([
    "don't cancel it now?",
    "don't cancel it now, maybe let it expire",
    '不要现在取消，如果到期能退款就到期取消',
    "don't refund me now, my wife's plan should end at the period end",
    'not now, refund me at the end',
    '不要现在取消',
  ])('a refusal of cancelling now chooses nothing when the rest doubts or names no period end: %s', (text) => {
    expect(read(text, confidentNow)).not.toEqual({ kind: 'choose', choice: 'period_end' });
    expect(read(text, confidentNow)).not.toEqual({ kind: 'choose', choice: 'immediate' });
  });

  it.each([
    '我英文不好，就立即取消退款吧',
    '不想要了，立刻取消退钱',
    'my english not so good. i want stop now and money back',
  ])('a negation beside the point, in a clause of its own, does not stop a named choice: %s', (text) => {
    expect(read(text, confidentNow)).toEqual({ kind: 'choose', choice: 'immediate' });
  });

  it.each([
    '不知道，立即取消',
    "I don't know, cancel now",
    '不确定，立即取消退款',
    'not sure, refund now',
    '不想失去积分，立即取消',
    "I don't want to lose my points, cancel now",
    '不，立即取消',
    'no, cancel now',
    '不想等，好的',
    '我英文不好，好的',
  ])('a negation about the decision, or a bare no, still stops the irreversible option: %s', (text) => {
    expect(read(text, confidentNow)).not.toEqual({ kind: 'choose', choice: 'immediate' });
    expect(read(text, confidentNow)).not.toEqual({ kind: 'choose', choice: 'period_end' });
  });

  it("an option named in the member's own words chooses it only with a word of that option", () => {
    expect(read('stop it today and give me the refund', confidentNow)).toEqual({ kind: 'choose', choice: 'immediate' });
    expect(read('现在就停，把钱退我', confidentNow)).toEqual({ kind: 'choose', choice: 'immediate' });
    expect(read('到期再停', { label: 'periodEnd', score: 0.9 })).toEqual({ kind: 'choose', choice: 'period_end' });
    expect(read('leave it running till it ends', { label: 'periodEnd', score: 0.9 })).toEqual({
      kind: 'choose',
      choice: 'period_end',
    });
    // A model sure of "now" on a reply that says nothing of now, today or a refund is not enough.
    expect(read('I see', confidentNow).kind).toBe('unclear');
    expect(read('show me the options', { label: 'offer', score: 1 }).kind).not.toBe('choose');
  });

  it('a model\'s "yes" on an acknowledgement is not a yes', () => {
    for (const text of ['I see', 'got it', '收到', '这样啊'])
      expect(read(text, { label: 'yes', score: 1 }).kind).toBe('unclear');
  });

  it('an option not on offer is not chosen', () => {
    expect(read('cancel now and refund me', confidentNow, ['period_end'])).toEqual({
      kind: 'unclear',
      reason: 'notOffered',
    });
  });

  it('a title or number picked is a choice, unless the reply is a question', () => {
    expect(read('2', { label: 'None', score: 0 }, ALL, { picked: 'immediate' })).toEqual({
      kind: 'choose',
      choice: 'immediate',
    });
    expect(read('Cancel now, refund ¥17.66?', { label: 'None', score: 0 }, ALL, { picked: 'immediate' }).kind).toBe(
      'question',
    );
  });

  it('says what a question is about, for a short answer from the quote', () => {
    expect(read('will I lose my coupons?', confidentNow, ALL, { intent: 'pointsQuestion' })).toEqual({
      kind: 'question',
      topic: 'points',
    });
    expect(read('会退多少钱？', confidentNow, ALL, { intent: 'refundQuestion' })).toEqual({
      kind: 'question',
      topic: 'refund',
    });
  });
});

describe('a bare no or a keep turned down at the warning', () => {
  it.each(['no', 'nope', '不', '不要'])('%s names no option: asked again', (text) => {
    expect(read(text, { label: 'keep', score: 0.9 })).toEqual({ kind: 'unclear', reason: 'plainNo' });
  });
  it.each(['不想保留', "i don't want to keep it"])('%s is neither a keep nor a way of cancelling', (text) => {
    expect(read(text, { label: 'keep', score: 0.9 })).toMatchObject({ kind: 'unclear' });
  });
  it.each(['算了', 'keep it'])('%s still keeps', (text) => {
    expect(read(text, { label: 'keep', score: 0.9 })).toEqual({ kind: 'keep' });
  });
});

describe('the renewal refused in the member’s words', () => {
  it.each(['不想续了', '不要自动续费了就行', '别再扣我钱了', 'i just dont want to be charged again'])(
    '%s chooses the period end',
    (text) => {
      expect(read(text, { label: 'keep', score: 0.9 })).toEqual({ kind: 'choose', choice: 'period_end' });
    },
  );
  it.each(['不想续了，现在就退款', "i don't want to be charged again, cancel now"])(
    '%s says more: never the period end',
    (text) => {
      expect(read(text, { label: 'keep', score: 0.9 })).not.toEqual({ kind: 'choose', choice: 'period_end' });
    },
  );
});

describe('the option named by what it allows', () => {
  it.each(['whichever one i can still undo', '可以反悔的那个'])('%s chooses the period end', (text) => {
    expect(read(text)).toEqual({ kind: 'choose', choice: 'period_end' });
  });
});

describe('a request put as a question', () => {
  const periodEnd = { label: 'periodEnd', score: 0.9 };
  it.each([
    'could you please stop it at the end of the billing cycle?',
    'can u just end it when the term runs out',
    '麻烦帮我到期取消吗',
  ])('asks for the period end it names: %s', (text) => {
    expect(read(text, periodEnd)).toEqual({ kind: 'choose', choice: 'period_end' });
  });
  it.each([
    'could you end it when the term runs out, and will my points stay?',
    'can you tell me when the term ends',
    '能不能帮我看看什么时候到期',
    'could you maybe end it at the end of the term',
  ])('is a question, or a doubt, when the rest asks or doubts: %s', (text) => {
    expect(read(text, periodEnd)).not.toEqual({ kind: 'choose', choice: 'period_end' });
  });
  it('never takes the option that cannot be undone', () => {
    expect(read('could you refund me now?', confidentNow)).not.toEqual({ kind: 'choose', choice: 'immediate' });
  });
});

describe('one way turned down beside the renewal refused', () => {
  it.each(['退款就不要了，以后也别再续了', "no refund needed, i just don't want it to renew"])(
    'is the period end: %s',
    (text) => {
      expect(read(text)).toEqual({ kind: 'choose', choice: 'period_end' });
    },
  );
  it('the period end turned down beside "today" and a refund is now', () => {
    expect(read('不用到期再停 今天就停掉退钱吧')).toEqual({ kind: 'choose', choice: 'immediate' });
  });
});
