import type { Understanding } from '../../src/nlu/understanding.js';
import { loadUnderstanding } from '../support/understanding.js';

let understanding: Understanding;
beforeAll(async () => {
  understanding = await loadUnderstanding();
});
const atWarning = (text: string) => understanding.readConsent(text, 'zh-CN', ['period_end', 'immediate', 'offer']);

describe('a member correcting themselves is read by what follows the correction', () => {
  it.each([
    ['立即取消吧 哦不对 还是到期再取消', 'period_end'],
    ['cancel now. wait no, end of period is better', 'period_end'],
  ])('%s chooses %s', async (text, choice) => {
    expect(await atWarning(text)).toEqual({ kind: 'choose', choice });
  });

  it.each(['cancel now, no wait', '立即取消 不对'])(
    'a correction with nothing after it chooses nothing: %s',
    async (text) => {
      expect((await atWarning(text)).kind).not.toBe('choose');
    },
  );

  it('takes a corrected no at a yes/no question', () => {
    expect(understanding.confirmation('yes delete it... no wait, don’t', 'eraseData')).toBe(false);
  });
});
