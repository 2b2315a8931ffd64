import fc from 'fast-check';
import type { Understanding } from '../../src/nlu/understanding.js';
import { nonConsentTo } from './nonConsent.js';
import { loadUnderstanding } from './understanding.js';

/** Generated replies that never agree, said to each yes/no question (undo, erase, export): none may be a yes. */
export function describeYesNoPolicy(runs: number): void {
  describe(`no generated non-consent reply agrees at a yes/no question (${runs} each)`, () => {
    let understanding: Understanding;
    beforeAll(async () => {
      understanding = await loadUnderstanding();
    });

    const agreed = (replies: string[], answer: (text: string) => unknown) => replies.filter((r) => answer(r) === true);

    it('the undo question', () => {
      const replies = fc.sample(nonConsentTo('undo'), { numRuns: runs });
      expect(agreed(replies, (r) => understanding.undoAnswer(r))).toEqual([]);
    });

    it('the erasure question', () => {
      const replies = fc.sample(nonConsentTo('erase'), { numRuns: runs });
      expect(agreed(replies, (r) => understanding.confirmation(r, 'eraseData'))).toEqual([]);
    });

    it('the export question', () => {
      const replies = fc.sample(nonConsentTo('export'), { numRuns: runs });
      expect(agreed(replies, (r) => understanding.confirmation(r, 'exportData'))).toEqual([]);
    });
  });
}
