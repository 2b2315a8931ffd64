import { pickChoice } from '../dialogs/answers.js';
import type { Understanding } from '../src/nlu/understanding.js';
import { loadUnderstanding } from './support/understanding.js';

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
});
