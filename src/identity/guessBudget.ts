import type { OtpChallenge } from '../model/schema.js';

/**
 * The guesses a code takes from the budget of whoever asked for it, at `now`. While it can still
 * be answered, every attempt it allows: codes asked at once cannot add up past the budget before
 * anyone guesses. Afterwards the wrong entries it took, and at least one, so that a budget also
 * bounds how many codes a requester asks (and how many a check has to read).
 */
function guessesCharged(challenge: OtpChallenge, now: Date, maxAttempts: number): number {
  const answerable = challenge.state === 'open' && Date.parse(challenge.expiresAt) > now.getTime();
  return answerable ? maxAttempts : Math.max(1, challenge.failedAttempts);
}

/**
 * When a requester may have another code, given its codes issued within the last `windowMs`,
 * newest first: null when one more code's attempts fit in `budget`, else the moment the code that
 * overfills it leaves the window (the newer ones then leave room for one more).
 */
export function budgetRetryAt(
  latest: readonly OtpChallenge[],
  budget: number,
  maxAttempts: number,
  windowMs: number,
  now: Date,
): Date | null {
  let charged = 0;
  for (const challenge of latest) {
    charged += guessesCharged(challenge, now, maxAttempts);
    if (charged + maxAttempts > budget) return new Date(Date.parse(challenge.issuedAt) + windowMs);
  }
  return null;
}
