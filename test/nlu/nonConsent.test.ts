import fc from 'fast-check';
import { answerTheWarning, expectNothingChanged, nonConsentReply } from '../support/nonConsent.js';

/** `npm run test:stress` raises this to 10,000. */
const RUNS = Number(process.env.NON_CONSENT_RUNS ?? 500);

describe('no question, hedge, negation, condition or politeness changes a membership (property)', () => {
  it(`${RUNS} generated non-consent replies at the warning, in both languages and scripts, leave the store as it was`, async () => {
    const replies = fc.sample(nonConsentReply, { numRuns: RUNS, seed: 20261124 });
    const { c, warning, seen, consentedBy } = await answerTheWarning(replies);
    expect(consentedBy).toEqual([]);
    expect(warning.at(-1)!.choices).toContain('Cancel now, refund ¥62.59');
    expect(seen.length).toBeGreaterThanOrEqual(replies.length);
    expectNothingChanged(c);
    expect(seen.filter((text) => /Reference number|受理编号/.test(text))).toEqual([]);
  }, 600_000);
});
