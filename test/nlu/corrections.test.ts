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

  it.each([
    ['到期取消……算了还是现在退吧', 'immediate'],
    ['cancel now, oops i mean at the end of the period', 'period_end'],
  ])('"算了还是" and the like correct too: %s chooses %s', async (text, choice) => {
    expect(await atWarning(text)).toEqual({ kind: 'choose', choice });
  });

  it.each([
    ['不恢复……算了还是恢复吧', true],
    ['restore it, oops i mean leave it as it is', false],
    ['不要……等一下，还是撤销吧', true],
    ['no... wait yes, undo', true],
  ])('at the undo question: %s', (text, answer) => {
    expect(understanding.undoAnswer(text)).toBe(answer);
  });

  it('takes the code given last: "482 019, sorry, 482 091"', () => {
    expect(understanding.codeIn('482 019, sorry, 482 091')).toBe('482091');
    expect(understanding.codeIn('是 381 204 不对 是 381 240')).toBe('381240');
    expect(understanding.codeIn('482 019, sorry')).toBe('482019');
  });
});

describe('a negation undone by another says nothing', () => {
  it.each([
    ['不是不想取消，是想等到期再取消', 'period_end'],
    ['我不是不想取消 我是想到期再取消', 'period_end'],
  ])('%s chooses %s', async (text, choice) => {
    expect(await atWarning(text)).toEqual({ kind: 'choose', choice });
  });

  it.each([
    ['不是不删，删吧', true],
    ["it's not that I don't want it gone, delete it", true],
    ['全部删掉，一个都别留', true],
  ])('erase: %s', (text, answer) => {
    expect(understanding.confirmation(text, 'eraseData')).toBe(answer);
  });

  it('undo: 不是不想要，恢复吧', () => {
    expect(understanding.undoAnswer('不是不想要，恢复吧')).toBe(true);
  });
});
