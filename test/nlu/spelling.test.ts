import { enUS } from '../../src/i18n/lexicon.en-US.js';
import { zhCN } from '../../src/i18n/lexicon.zh-CN.js';
import { Speller, editDistance } from '../../src/nlu/spelling.js';

const speller = new Speller([zhCN, enUS]);

describe('Speller', () => {
  it.each([
    ['cancle my subscrption', 'cancel my subscription'],
    ['canecl it', 'cancel it'],
    ['immediatly', 'immediately'],
    ['kep my membersip', 'kep my membership'],
    ['keeep', 'keep'],
    ['undoo', 'undo'],
    ['erse it', 'erase it'],
    ['vidoe', 'video'],
    ['periodend', 'period end'],
    ['cancelmymembership', 'cancel my membership'],
  ])('reads %s as %s', (typed, meant) => {
    expect(speller.correct(typed)).toBe(meant);
  });

  it.each([
    ['not quite sure', 'a short word beside a key word is another word'],
    ['the deep end', 'one letter swapped in a short key word'],
    ['i have cancer', 'one letter swapped in a six-letter key word'],
    ['theme music', 'run of short words with no key word'],
    ['取消 vip 会员', 'characters and short Latin words'],
    ['delete', 'a key word itself'],
  ])('leaves %s as typed (%s)', (typed) => {
    expect(speller.correct(typed)).toBe(typed);
  });

  it('leaves a word close to two key words as typed', () => {
    const twoKeys = new Speller([{ ...enUS, spelling: { keyWords: ['abcde', 'abcdf'], glueWords: [] } }]);
    expect(twoKeys.correct('abcdx')).toBe('abcdx');
  });

  it('counts a turned pair of letters as one edit', () => {
    expect(editDistance('vidoe', 'video')).toBe(1);
    expect(editDistance('imediatly', 'immediately')).toBe(2);
  });
});

describe('Speller, beyond letters', () => {
  it('leaves a key word with an ending as it is', () => {
    expect(speller.correct('i dont want to be charged again')).toBe('i dont want to be charged again');
  });
  it('reads one letter typed as its keyboard neighbour in a short key word', () => {
    expect(speller.correct('keeo it')).toBe('keep it');
  });
  it('reads the characters an input method offers first for the same sound', () => {
    expect(speller.correct('到其取消')).toBe('到期取消');
    expect(speller.correct('立即去消')).toBe('立即取消');
  });
});
