import type { Understanding } from '../../src/nlu/understanding.js';
import { loadUnderstanding } from '../support/understanding.js';

let understanding: Understanding;
beforeAll(async () => {
  understanding = await loadUnderstanding();
});

describe('the answer to "undo the cancellation and keep the membership?"', () => {
  it.each([
    'yes',
    '好的',
    'keep my membership',
    'keep it please',
    '保留',
    '保留会员',
    '不取消了',
    'please restore my membership',
    '帮我恢复会员',
  ])('%s undoes', async (text) => {
    expect(await understanding.undoAnswer(text, 'en-US')).toBe(true);
  });
  it.each(['no', 'nope', '不用了', '算了', 'I want to end my membership', '我还是要取消会员'])(
    '%s leaves it cancelled',
    async (text) => {
      expect(await understanding.undoAnswer(text, 'en-US')).toBe(false);
    },
  );
  it.each(['yes?', 'what happens if I undo?', '🤔', 'asdf'])('%s is not an answer', async (text) => {
    expect(await understanding.undoAnswer(text, 'en-US')).toBeUndefined();
  });
});
