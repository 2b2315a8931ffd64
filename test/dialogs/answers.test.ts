import { factsRuleOut, pickByDate, pickByFacts, pickChoice } from '../../dialogs/answers.js';
import type { Understanding } from '../../src/nlu/understanding.js';
import { loadUnderstanding } from '../support/understanding.js';

let understanding: Understanding;
beforeAll(async () => {
  understanding = await loadUnderstanding();
});

describe('pickChoice: a choice by its title, its number or a part of it', () => {
  const plans = ['Music Plus Annual', 'Video VIP Monthly'];
  const zh = ['音乐Plus年卡', '视频VIP月卡'];
  it.each([
    ['2', plans, 1],
    ['the second one', plans, 1],
    ['第二个', zh, 1],
    ['第一个', zh, 0],
    ['视频那个', zh, 1],
    ['音乐', zh, 0],
    ['the video one', plans, 1],
    ['music', plans, 0],
    ['Video VIP Monthly', plans, 1],
    ['３', ['a', 'b', 'c'], 2],
    ['第二個', zh, 1],
    ['拣第二个', zh, 1],
    ['是第一个', zh, 0],
  ] as const)('%s → %i', (text, titles, index) => {
    expect(pickChoice(understanding, text, [...titles])).toBe(index);
  });
  it.each([
    ['no', ['Cancel now, refund ¥62.59', 'Keep my membership']],
    ['VIP', ['Video VIP Monthly', 'Video VIP Annual']],
    ['5', plans],
    ['x', plans],
    ['1?', plans],
    ['-1', plans],
  ] as const)('%s picks nothing', (text, titles) => {
    expect(pickChoice(understanding, text, [...titles])).toBeUndefined();
  });

  it("a plan described in the member's words: by what it is for and how often it is paid", () => {
    const names = ['音乐Plus年卡', '视频VIP月卡'];
    const aliases = [understanding.planAliases('music-plus-annual'), understanding.planAliases('video-vip-monthly')];
    expect(pickChoice(understanding, '听歌那个', names, aliases)).toBe(0);
    expect(pickChoice(understanding, '看剧的', names, aliases)).toBe(1);
    expect(pickChoice(understanding, 'the yearly one', ['Music Plus Annual', 'Video VIP Monthly'], aliases)).toBe(0);
    expect(pickChoice(understanding, 'the movies one', ['Music Plus Annual', 'Video VIP Monthly'], aliases)).toBe(1);
  });

  it.each(['the last one', 'bottom one', 'last option', '最后一个', '选最后那个', '下面那个'])(
    '"%s" picks the last of the list, however long',
    (text) => {
      expect(pickChoice(understanding, text, ['a', 'b'])).toBe(1);
      expect(pickChoice(understanding, text, ['a', 'b', 'c', 'd'])).toBe(3);
    },
  );

  it.each([
    ['the one that renews on December 10', 0],
    ['the one ending in January', 1],
    ['12月10号到期那个', 0],
    ['一月份到期的那个', 1],
    ['the dec 10th one', 0],
  ] as const)('"%s" picks the membership whose period ends then', (text, index) => {
    expect(pickByDate(understanding, text, ['2026-12-10', '2027-01-15'])).toBe(index);
  });

  it.each(['the one in December or January', 'the one ending in March', 'may I ask which one'])(
    '"%s" picks nothing by date',
    (text) => {
      expect(pickByDate(understanding, text, ['2026-12-10', '2027-01-15'])).toBeUndefined();
    },
  );
});

describe('pickByFacts: a choice by its price, its billing period or its perks', () => {
  const facts = [
    { price: 198, period: 'year' as const, perks: ['数字专辑兑换券', 'Digital album voucher'] },
    { price: 25, period: 'month' as const, perks: [] },
  ];
  it.each([
    ['the one billed 25 bucks each month', 1],
    ['每月二十五块的那个', 1],
    ['一年一百九十八的', 0],
    ['the $198 one', 0],
    ['the one that comes with an album voucher', 0],
    ['带专辑兑换券那个', 0],
    ['the yearly one', 0],
    ['按月扣费的', 1],
  ] as const)('%s → %i', (text, index) => {
    expect(pickByFacts(understanding, text, facts)).toBe(index);
  });
  it.each(['the 14.99 one', 'the one for 30 a month', '每年25的那个', 'the one with the cinema ticket', '12月那个'])(
    'nothing when the facts fit none or name nothing: %s',
    (text) => {
      expect(pickByFacts(understanding, text, facts)).toBeUndefined();
    },
  );
  it('a price that does not fit rules out a choice picked by name', () => {
    expect(factsRuleOut(understanding, 'the 14.99 a month video one', facts[1])).toBe(true);
    expect(factsRuleOut(understanding, 'the 25 a month video one', facts[1])).toBe(false);
  });
});
