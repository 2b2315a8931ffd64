import { LANGUAGES } from '../../src/i18n/languages.js';
import { SpokenDigits } from '../../src/nlu/spokenDigits.js';

const spoken = new SpokenDigits(Object.values(LANGUAGES).map((l) => l.lexicon));

describe('numbers said in words', () => {
  it.each([
    ['四八三九二零', '483920'],
    ['验证码是四八三 九二〇', '验证码是483 920'],
    ['幺三八幺二三四五六七八', '13812345678'],
    ['一三八一二三四五六七八', '13812345678'],
    ['four eight three nine two oh', '483920'],
    ['the code is four eight three nine two zero thanks', 'the code is 483920 thanks'],
    ['double five one two three four', '551234'],
    ['4 8 three nine 2 oh', '483920'],
  ])('%s reads as %s', (text, digits) => {
    expect(spoken.inDigits(text)).toBe(digits);
  });

  it.each(['one of them please', '我要第一个', '一个月', 'oh no', 'I have two memberships'])(
    '%s holds no number',
    (text) => {
      expect(spoken.inDigits(text)).toBeNull();
    },
  );
});
