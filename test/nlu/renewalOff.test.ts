import { asksRenewalOff } from '../../src/nlu/renewalOff.js';
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

describe('ending the automatic renewal', () => {
  it.each(['please switch off the auto-renewal', 'disable recurring billing', '帮我关闭自动续费', '把连续包月停掉'])(
    'is asked for: %s',
    (text) => {
      expect(asksRenewalOff(normalizeText(text), LEXICONS)).toBe(true);
    },
  );
  it.each(["don't turn off the auto renewal", '不要关闭自动续费', 'how does auto renewal work', '自动续费是什么时候'])(
    'is not asked for: %s',
    (text) => {
      expect(asksRenewalOff(normalizeText(text), LEXICONS)).toBe(false);
    },
  );

  it.each([
    ['just switch off the auto-renewal, leave everything else', 'en-US'],
    ['只要关闭自动续费，别的别动', 'zh-CN'],
  ] as const)('at the warning, is the period end: %s', async (text, locale) => {
    expect(await understanding.readConsent(text, locale, BOTH)).toEqual({ kind: 'choose', choice: 'period_end' });
  });
  it.each([
    ['switch off the auto-renewal right away', 'en-US'],
    ['马上关闭自动续费', 'zh-CN'],
    ['maybe switch off the auto-renewal', 'en-US'],
  ] as const)('at the warning, with "now" or a doubt, chooses nothing: %s', async (text, locale) => {
    expect(await understanding.readConsent(text, locale, BOTH)).not.toMatchObject({ kind: 'choose' });
  });
  it.each(["i'm not cancelling, i only want to switch off the auto renewal", '不是要取消会员，就想关闭自动续费'])(
    'opens the cancellation, whose period end is exactly that: %s',
    async (text) => {
      expect((await understanding.intentOf(text, 'en-US')).intent).toBe('cancel');
    },
  );
});
