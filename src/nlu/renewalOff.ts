import type { Lexicon } from '../i18n/lexicon.js';

/** How close before the words a negation turns them around ("don't turn off autopay", "不要关掉自动续费"). */
const NEGATION_BEFORE =
  /(?:\b(?:don'?t|do not|not|never|no need to)\s+(?:\w+\s+)?|(?:不|别|不要|不用|不想|唔好|唔使)\s*)$/u;

/**
 * Whether the message asks to end the automatic renewal, and not the other way round: "turn off
 * autopay", "只关掉自动续费". That is the period-end option in the member's own words.
 */
export function asksRenewalOff(normalized: string, lexicons: readonly Lexicon[]): boolean {
  return lexicons.some((l) => {
    const found = l.renewalOff.exec(normalized);
    return found !== null && !NEGATION_BEFORE.test(normalized.slice(0, found.index));
  });
}
