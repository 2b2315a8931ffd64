import type { Understanding } from '../../src/nlu/understanding.js';
import { loadUnderstanding } from '../support/understanding.js';

let understanding: Understanding;
beforeAll(async () => {
  understanding = await loadUnderstanding();
});

describe('a command turned down in passing is no command', () => {
  it.each([
    '不用转人工，保持不变',
    '不用换英文，选第一个',
    '我不想退出聊天，就是想问立即取消退多少',
    'no need for an agent, just cancel at period end',
    "I don't want to switch to English, the second one",
    "I don't want to leave the chat, what's the refund",
  ])('%s', (text) => {
    expect(understanding.commandOf(text)).toBeNull();
  });

  it.each([
    ['转人工', 'human'],
    ['换英文吧', 'switchLanguage'],
    ['退出聊天', 'quit'],
    ['talk to a human', 'human'],
  ])('and a command said is still one: %s', (text, command) => {
    expect(understanding.commandOf(text)).toBe(command);
  });
});
