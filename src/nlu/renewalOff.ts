import type { Lexicon } from '../i18n/lexicon.js';

/** How far before the words a negation turns them around ("don't turn off autopay", "不要关掉自动续费"). */
const NEGATION_BEFORE = 12;

/**
 * Whether the message asks to end the automatic renewal, and not the other way round: "turn off
 * autopay", "只关掉自动续费". That is the period-end option in the member's own words.
 */
export function asksRenewalOff(normalized: string, lexicons: readonly Lexicon[]): boolean {
  return lexicons.some((l) => {
    const found = l.renewalOff.exec(normalized);
    if (found === null) return false;
    // Within its own clause: "不是要取消会员，就想关闭自动续费" asks for it.
    const before = normalized
      .slice(Math.max(0, found.index - NEGATION_BEFORE), found.index)
      .split(/[,，。.;；!！]/u)
      .pop()!;
    return !lexicons.some((m) => m.negationWord.test(before));
  });
}
