import fc from 'fast-check';
import { answerTheWarning, nonConsentReply } from '../support/nonConsent.js';

const RUNS = 10_000;

describe('no non-consent reply changes a membership (10,000 generated)', () => {
  it(`${RUNS} questions, hedges, negations, conditions and courtesies at the warning leave the store as it was`, async () => {
    const replies = fc.sample(nonConsentReply, { numRuns: RUNS });
    const { c, seen, consentedBy } = await answerTheWarning(replies);
    expect(consentedBy).toEqual([]);
    expect(seen.length).toBeGreaterThanOrEqual(replies.length);
    expect(c.app.store.data.cancellations).toHaveLength(2);
    expect(c.app.store.data.memberships.find((m) => m.id === 'ms-2001')).toMatchObject({
      status: 'active',
      autoRenew: true,
    });
    expect(c.app.store.data.outbox.filter((m) => m.template !== 'otp')).toEqual([]);
  }, 1_800_000);
});
