import type { Understanding } from '../../src/nlu/understanding.js';
import { loadUnderstanding } from '../support/understanding.js';

let understanding: Understanding;
beforeAll(async () => {
  understanding = await loadUnderstanding();
});

describe('an e-mail address said aloud', () => {
  it.each([
    ['david dot chen at hotmail dot com', 'david.chen@hotmail.com'],
    ["it's jane at acme dot com", "it's jane@acme.com"],
    ['wangfang艾特163点com', 'wangfang@163.com'],
  ])('%s is written out', (text, written) => {
    expect(understanding.spokenEmail(text)).toBe(written);
  });

  it.each(['i am at home', 'look at the dot', 'jane@acme.com', '13812345678', 'at dot'])('%s holds none', (text) => {
    expect(understanding.spokenEmail(text)).toBeNull();
  });
});
