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
  const read = (text: string) => understanding.confirmation(text, 'eraseData');

  it('takes a plain yes or the request itself, in either language', () => {
    for (const yes of ['yes', 'ok', 'Yes please', 'yes, delete my data', 'erase my personal data'])
      expect([yes, read(yes)]).toEqual([yes, true]);
    for (const yes of ['好的', '是的', '确认', '删除我的个人信息', '好的，删除我的数据吧'])
      expect([yes, read(yes)]).toEqual([yes, true]);
  });

  it('takes "keep nothing" in so many words as the request itself', () => {
    for (const yes of [
      "please don't store any of my data",
      'keep nothing, wipe it',
      '什么都别留',
      '我不想你们再保存任何信息',
    ])
      expect([yes, read(yes)]).toEqual([yes, true]);
    for (const narrowed of ["don't keep my email", '不要保留我的手机号', "don't keep anything, maybe"])
      expect([narrowed, read(narrowed)]).not.toEqual([narrowed, true]);
  });

  it('sets aside a negation beside the point when the rest names the erasure', () => {
    for (const yes of ['I never asked to be on your lists, delete my data', '反正以后也不用了，帮我删掉个人信息'])
      expect([yes, read(yes)]).toEqual([yes, true]);
    for (const no of ["don't delete it, i never use it anyway", '别 yes erase it', '唔好 全部删掉'])
      expect([no, read(no)]).not.toEqual([no, true]);
  });

  it('takes a plain no, "keep it" or a refusal naming the erasure as no', () => {
    for (const no of ['no', 'nope', 'keep it', "don't delete it yet", 'do not erase anything'])
      expect([no, read(no)]).toEqual([no, false]);
    for (const no of ['不', '不用了', '算了', '不要', '先别删', '不要删除'])
      expect([no, read(no)]).toEqual([no, false]);
  });

  it('takes a thumbs-up alone as no yes to a step that moves or destroys personal data', () => {
    expect(read('👍')).toBeUndefined();
    expect(read('👎')).toBe(false);
  });

  it('answers a question and takes nothing from a hedge, a condition or a negation', () => {
    expect(read('can it be undone?')).toBe('question');
    expect(read('删除后还能恢复吗')).toBe('question');
    for (const unclear of ['maybe', 'let me think about it', 'only if you keep my receipts', 'delete it next week'])
      expect([unclear, read(unclear)]).toEqual([unclear, undefined]);
    for (const unclear of ['我再想想', '如果能恢复的话就删', '应该删吧', 'probably delete it'])
      expect([unclear, read(unclear)]).toEqual([unclear, undefined]);
  });

  it('erases nothing on a narrowed request or one for someone else', () => {
    for (const text of [
      'only delete my phone number',
      'delete everything except my email',
      "delete my son's data",
      'erase my wife’s account',
      '删我儿子的数据',
      '只删手机号',
      '除了邮箱都删',
      '帮我老婆删掉数据',
    ])
      expect([text, read(text)]).toEqual([text, undefined]);
  });

  it('never reads a non-consent reply (the corpora’s and 500 generated ones) as a yes', () => {
    const replies = [
      ...LOCALES.flatMap((l) => readCorpus(l).nonConsent),
      ...fc.sample(nonConsentReply, { numRuns: 500, seed: 14 }),
    ];
    const yeses: string[] = [];
    for (const reply of replies) if (read(reply) === true) yeses.push(reply);
    expect(yeses).toEqual([]);
  });
});
