import type { Understanding } from '../../src/nlu/understanding.js';
import { loadUnderstanding } from '../support/understanding.js';

let understanding: Understanding;
beforeAll(async () => {
  understanding = await loadUnderstanding();
});

describe('a reply to the warning mixing Chinese and English', () => {
  it.each(['ok啦 cancel at period end 就好', '我要cancel at period end啦'])(
    'is read by both models: %s',
    async (text) => {
      expect(await understanding.readConsent(text, 'zh-CN', ['period_end', 'immediate', 'offer'])).toEqual({
        kind: 'choose',
        choice: 'period_end',
      });
    },
  );

  it.each(['不要 cancel now', '不是现在 refund me', 'cancel now吗'])('still stops at any doubt: %s', async (text) => {
    expect((await understanding.readConsent(text, 'zh-CN', ['period_end', 'immediate', 'offer'])).kind).not.toBe(
      'choose',
    );
  });
});

describe('another membership named at a question about one', () => {
  const video = ['视频VIP月卡', 'Video VIP Monthly'];
  it.each(['cancel at period end for the music one', '音乐那个到期取消', 'undo the music one instead'])(
    'is seen: %s',
    (text) => {
      expect(understanding.namesOtherPlan(text, video)).toBe(true);
    },
  );
  it.each(['cancel at the end of the month', '视频的到期取消', 'yes, undo it', '立即取消退款'])(
    'is not imagined: %s',
    (text) => {
      expect(understanding.namesOtherPlan(text, video)).toBe(false);
    },
  );
});
