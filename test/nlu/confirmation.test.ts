import fc from 'fast-check';
import { LOCALES } from '../../src/i18n/languages.js';
import { readCorpus } from '../../src/nlu/corpus.js';
import type { Understanding } from '../../src/nlu/understanding.js';
import { nonConsentReply } from '../support/nonConsent.js';
import { loadUnderstanding } from '../support/understanding.js';

/** "Erase your personal data now?": only a clear yes (or the request itself) erases. */
describe('the confirmation of a change for good (erasure)', () => {
  let understanding: Understanding;
  beforeAll(async () => {
    understanding = await loadUnderstanding();
  });
  const read = (text: string, locale: 'zh-CN' | 'en-US' = 'en-US') =>
    understanding.confirmation(text, locale, 'eraseData');

  it('takes a plain yes or the request itself, in either language', async () => {
    for (const yes of ['yes', 'ok', 'Yes please', 'yes, delete my data', 'erase my personal data'])
      expect([yes, await read(yes)]).toEqual([yes, true]);
    for (const yes of ['好的', '是的', '确认', '删除我的个人信息', '好的，删除我的数据吧'])
      expect([yes, await read(yes, 'zh-CN')]).toEqual([yes, true]);
  });

  it('takes a plain no, "keep it" or "stop" as no', async () => {
    for (const no of ['no', 'nope', 'keep it', 'quit', 'cancel']) expect([no, await read(no)]).toEqual([no, false]);
    for (const no of ['不', '不用了', '算了', '不要']) expect([no, await read(no, 'zh-CN')]).toEqual([no, false]);
  });

  it('answers a question and takes nothing from a hedge, a condition or a negation', async () => {
    expect(await read('can it be undone?')).toBe('question');
    expect(await read('删除后还能恢复吗', 'zh-CN')).toBe('question');
    for (const unclear of ['maybe', 'let me think about it', 'only if you keep my receipts', "don't delete it yet"])
      expect([unclear, await read(unclear)]).toEqual([unclear, undefined]);
    for (const unclear of ['我再想想', '如果能恢复的话就删', '先别删'])
      expect([unclear, await read(unclear, 'zh-CN')]).toEqual([unclear, undefined]);
  });

  it('never reads a non-consent reply (the corpora’s and 500 generated ones) as a yes', async () => {
    const replies = [
      ...LOCALES.flatMap((l) => readCorpus(l).nonConsent),
      ...fc.sample(nonConsentReply, { numRuns: 500, seed: 14 }),
    ];
    const yeses: string[] = [];
    for (const reply of replies) if ((await read(reply)) === true) yeses.push(reply);
    expect(yeses).toEqual([]);
  });
});
