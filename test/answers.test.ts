import { Culture, recognizeBoolean } from '@microsoft/recognizers-text-suite';
import { pickChoice, yesOrNo } from '../dialogs/answers.js';

describe('yesOrNo: the synonym layer over the recognizers', () => {
  it.each(['是的', '确认', '确定取消', '对', '好的', 'yes', 'Sure', 'OK', '确定。'])('%s is yes', (text) => {
    expect(yesOrNo(text)).toBe(true);
  });
  it.each(['不', '不要', '算了', '保留', 'no', 'keep it', 'Nope', '不取消'])('%s is no', (text) => {
    expect(yesOrNo(text)).toBe(false);
  });
  it.each(['嗯？', '也许吧', '不知道', 'maybe', '', '🤔', 'yes no'])('%j is neither', (text) => {
    expect(yesOrNo(text)).toBeUndefined();
  });
  it('covers Chinese forms the recognizer misses', () => {
    for (const text of ['确定取消', '不要', '算了']) expect(recognizeBoolean(text, Culture.Chinese)).toEqual([]);
  });
});

describe('pickChoice', () => {
  const plans = ['Music Plus Annual', 'Video VIP Monthly'];
  const zh = ['音乐Plus年卡', '视频VIP月卡'];
  it.each([
    ['2', plans, 1], ['the second one', plans, 1], ['第二个', zh, 1], ['第一个', zh, 0], ['视频那个', zh, 1], ['音乐', zh, 0],
    ['the video one', plans, 1], ['music', plans, 0], ['Video VIP Monthly', plans, 1], ['３', ['a', 'b', 'c'], 2],
  ] as const)('%s → %i', (text, titles, index) => {
    expect(pickChoice(text, [...titles])).toBe(index);
  });
  it.each([['no', ['Cancel now, refund ¥62.59', 'Keep my membership']], ['VIP', ['Video VIP Monthly', 'Video VIP Annual']], ['5', plans], ['x', plans]] as const)(
    '%s picks nothing', (text, titles) => {
      expect(pickChoice(text, [...titles])).toBeUndefined();
    });
});
