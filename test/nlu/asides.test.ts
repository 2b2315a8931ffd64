import { withoutAsideNegations, withoutCourtesyClauses, withoutSettledThought } from '../../src/nlu/asides.js';
import { normalizeText } from '../../src/nlu/normalize.js';
import { LANGUAGES } from '../../src/i18n/languages.js';
import type { Understanding } from '../../src/nlu/understanding.js';
import { loadUnderstanding } from '../support/understanding.js';

const LEXICONS = Object.values(LANGUAGES).map((l) => l.lexicon);
const BOTH = ['period_end', 'immediate'] as const;

let understanding: Understanding;
beforeAll(async () => {
  understanding = await loadUnderstanding();
});

describe('courtesy clauses', () => {
  it.each([
    ['Hi there, many thanks for explaining it all. End it when the term is over.', 'end it when the term is over'],
    ['你好，谢谢你详细的解释。到期取消吧', '到期取消吧'],
  ])('go before the message is read: %s', (text, left) => {
    expect(withoutCourtesyClauses(normalizeText(text), LEXICONS)).toBe(left);
  });
  it.each(['thank you so much!', '谢谢你'])('stay when they are all there is: %s', (text) => {
    expect(withoutCourtesyClauses(normalizeText(text), LEXICONS)).toBe(normalizeText(text));
  });
  it.each([
    ['thanks, how long do i have left', 'how long do i have left'],
    ['谢谢，能退款吗', '能退款吗'],
    ['thank you, can you explain the refund', 'can you explain the refund'],
  ])('never take a question with them: %s', (text, left) => {
    expect(withoutCourtesyClauses(normalizeText(text), LEXICONS)).toBe(left);
  });
});

describe('a settled thought', () => {
  it.each([
    ['having thought it over, end it at the end of the term', 'end it at the end of the term'],
    ['仔细考虑了很久之后，到期再停', '到期再停'],
  ])('is no hesitation: %s', (text, left) => {
    expect(withoutSettledThought(normalizeText(text), LEXICONS).replace(/^[, ，]+/u, '')).toBe(left);
  });
  it.each(['i have not thought it over yet', '我还没想好了', '我考虑一下', 'let me think about it'])(
    'is not one that is still going on: %s',
    (text) => {
      expect(withoutSettledThought(normalizeText(text), LEXICONS)).toBe(normalizeText(text));
    },
  );
});

describe('negations beside the decision', () => {
  it.each([
    ['end it when the term runs out, we never use it these days', 'end it when the term runs out, we days'],
    ['到期停掉吧 平时也没时间听', '到期停掉吧 平时也'],
  ])('are set aside with what they negate: %s', (text, left) => {
    expect(withoutAsideNegations(normalizeText(text), LEXICONS)).toBe(left);
  });
  it.each([
    "i don't want it to end",
    "don't cancel it, end it later",
    'no, end it now',
    '不，到期取消',
    '不想保留了 到期停',
    '先别停',
  ])('stay when they reach the decision or stand alone: %s', (text) => {
    expect(withoutAsideNegations(normalizeText(text), LEXICONS)).toBe(normalizeText(text));
  });
});

describe('at the warning, through the whole reading', () => {
  it.each([
    [
      'Good evening and thank you. Having thought about it, I would rather keep using it till the term ends and not be billed again.',
      'en-US',
    ],
    ['您好，谢谢您的说明。我考虑过后还是希望权益保留到本期结束，之后就不要再续了，谢谢', 'zh-CN'],
    ['just stop it at the end of the term i suppose we never have time to watch', 'en-US'],
  ] as const)('chooses the period end: %s', async (text, locale) => {
    expect(await understanding.readConsent(text, locale, BOTH)).toEqual({ kind: 'choose', choice: 'period_end' });
  });
  it.each([
    ['ok, we never watch it', 'en-US'],
    ['好吧 反正也没怎么用', 'zh-CN'],
    ["i don't want it to end", 'en-US'],
    ['oh sure, end it now, brilliant idea', 'en-US'],
    ['所以现在取消就不能看了是吧', 'zh-CN'],
  ] as const)('chooses nothing when only a yes or nothing named is left: %s', async (text, locale) => {
    expect(await understanding.readConsent(text, locale, BOTH)).not.toMatchObject({ kind: 'choose' });
  });
});

describe('a yes/no question answered by refusing first', () => {
  it.each([
    'nope, had a change of heart',
    'not yet, after the new year maybe',
    '先不删了，以后再说',
    'no thank you, not this time',
  ])('is a no to erasing: %s', (text) => {
    expect(understanding.confirmation(text, 'eraseData')).toBe(false);
  });
  it.each(['nah, leave it how it is for now', '先不恢复了 过阵子再看'])('is a no to the undo: %s', (text) => {
    expect(understanding.undoAnswer(text)).toBe(false);
  });
  it.each(['no wait, ok go ahead', 'nope... ok fine, yes'])(
    'is no answer when a yes or the act follows: %s',
    (text) => {
      expect(understanding.undoAnswer(text)).not.toBe(false);
    },
  );
});

describe('another plan named by its own word', () => {
  it.each(['cancel music lite', '取消音乐轻享', 'the 2 terabyte one'])(
    'is not the Music Plus membership: %s',
    (text) => {
      const own = ['Music Plus Annual', '音乐Plus年卡', ...understanding.planAliases('music-plus-annual')];
      expect(understanding.namesOtherPlan(text, own)).toBe(true);
    },
  );
});

describe('someone else in the story', () => {
  it.each([
    ['please restore my membership, my daughter watches it every day', 'undo'],
    ['帮我恢复会员吧，我老公也在用', 'undo'],
  ])('does not speak for the member: %s', (text) => {
    expect(understanding.undoAnswer(text)).toBe(true);
  });
  it.each([
    "restore my daughter's membership",
    'my husband wants it back',
    '帮我老公恢复一下',
    'my wife says keep it, so restore it',
  ])('who decides, or whose account it is, stops the act: %s', (text) => {
    expect(understanding.undoAnswer(text)).not.toBe(true);
  });
});

describe('thinking aloud, then closing the matter', () => {
  it.each([
    ['hmm let me think… end it when the month is over, final answer', 'en-US'],
    ['嗯我想想啊 那个 到期了再停吧 就这么定了', 'zh-CN'],
  ] as const)('chooses the period end named after the hesitation: %s', async (text, locale) => {
    expect(await understanding.readConsent(text, locale, BOTH)).toEqual({ kind: 'choose', choice: 'period_end' });
  });
  it.each([
    ['let me think, cancel it now with the refund, final answer', 'en-US'],
    ['我想想 到期再停吧 我再想想 就这样', 'zh-CN'],
    ['让我想想，就这样吧', 'zh-CN'],
  ] as const)('chooses nothing when the doubt stays or the option cannot be undone: %s', async (text, locale) => {
    expect(await understanding.readConsent(text, locale, BOTH)).not.toMatchObject({ kind: 'choose' });
  });
});
