import { amountsIn, numberInWords, periodIn } from '../../src/nlu/amounts.js';
import { normalizeText } from '../../src/nlu/normalize.js';
import { LANGUAGES } from '../../src/i18n/languages.js';

const LEXICONS = Object.values(LANGUAGES).map((l) => l.lexicon);

describe('Chinese numerals', () => {
  it.each([
    ['二十五', 25],
    ['一百九十八', 198],
    ['十四点九九', 14.99],
    ['一九八', 198],
    ['两千', 2000],
    ['十', 10],
  ])('%s is %d', (text, value) => {
    expect(numberInWords(text, LEXICONS)).toBeCloseTo(value);
  });
  it.each(['', '点五', '二十五块', '十四点'])('%s is no number', (text) => {
    expect(numberInWords(text, LEXICONS)).toBeNaN();
  });
});

describe('the sums a message names', () => {
  it.each([
    ['the 14.99 a month one', [14.99]],
    ['the $25 plan', [25]],
    ['每个月扣二十五块', [25]],
    ['一年198元那个', [198]],
    ['每个月扣25的那个', [25]],
    ['¥238 的年卡', [238]],
  ])('%s', (text, sums) => {
    expect(amountsIn(normalizeText(text), LEXICONS)).toEqual(sums);
  });
  it.each(['the 2nd one', '12月10号那个', 'the one ending dec 10', '是十二月到期的', 'my code is 482913'])(
    'none in %s',
    (text) => {
      expect(amountsIn(normalizeText(text), LEXICONS)).toEqual([]);
    },
  );
});

describe('how often a message says it is billed', () => {
  it.each([
    ['the monthly one', 'month'],
    ['按年付的', 'year'],
    ['25 a month', 'month'],
    ['包年那个', 'year'],
    ['the one that renews on january 15', undefined],
    ['monthly or yearly, not sure', undefined],
  ])('%s → %s', (text, period) => {
    expect(periodIn(normalizeText(text), LEXICONS)).toBe(period);
  });
});
