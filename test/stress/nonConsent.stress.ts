import fc from 'fast-check';
import { answerTheWarning, expectNothingChanged, nonConsentReply } from '../support/nonConsent.js';

const RUNS = 10_000;

describe('no non-consent reply changes a membership (10,000 generated)', () => {
  it(`${RUNS} questions, hedges, negations, conditions and courtesies at the warning leave the store as it was`, async () => {
    const replies = fc.sample(nonConsentReply, { numRuns: RUNS });
    const { c, seen, consentedBy } = await answerTheWarning(replies);
    expect(consentedBy).toEqual([]);
    expect(seen.length).toBeGreaterThanOrEqual(replies.length);
    expectNothingChanged(c);
  }, 1_800_000);
});
