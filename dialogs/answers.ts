import type { Said, Understanding } from '../src/nlu/understanding.js';

/**
 * Which of `titles` the answer means: the title itself, its number ("2", "第二个", "the second
 * one", unless `ordinals` is false), or, unless `partial` is false, a distinctive part of it or of its aliases ("视频那个",
 * "music"). A part must be at least two Chinese characters or three letters, so "no" never
 * matches "Cancel now". Undefined when it is not clear.
 */
export function pickChoice(
  understanding: Understanding,
  text: Said,
  titles: string[],
  aliases: string[][] = [],
  partial = true,
  ordinals = true,
): number | undefined {
  const said = understanding.read(text);
  const core = understanding.pickCore(said);
  if (!core) return undefined;
  const exact = titles.findIndex(
    (title) => understanding.pickCore(title) === core || title.trim() === said.text.trim(),
  );
  if (exact >= 0) return exact;
  // Numbers are read as typed: "-1" or "1?" is not a pick of the first choice.
  const ordinal = ordinals ? understanding.ordinalOf(said, titles.length) : undefined;
  if (ordinal !== undefined && ordinal < titles.length) return ordinal;
  const longEnough = /\p{Script=Han}/u.test(core) ? core.length >= 2 : core.length >= 3;
  if (!partial || !longEnough) return undefined;
  // The title holding the answer, or the most of its aliases ("the yearly music one"), if only one does.
  const hits = titles.map((title, i) => {
    const aliasHits = (aliases[i] ?? [])
      .map((a) => understanding.pickCore(a))
      .filter((a) => a !== '' && core.includes(a));
    return (understanding.pickCore(title).includes(core) ? 100 : 0) + new Set(aliasHits).size;
  });
  const best = Math.max(...hits);
  const matches = best > 0 ? hits.map((h, i) => ({ h, i })).filter((m) => m.h === best) : [];
  return matches.length === 1 ? matches[0].i : undefined;
}

/**
 * The one choice whose date the message names ("the one that renews on December 10", "一月份到期的
 *那个"); `dates` are each choice's calendar date as the member sees it (YYYY-MM-DD).
 */
export function pickByDate(understanding: Understanding, text: Said, dates: string[]): number | undefined {
  const named = understanding.datesNamed(text);
  if (named.length !== 1) return undefined;
  const { month, day } = named[0];
  const matches = dates.flatMap((date, i) => {
    const [, m, d] = date.split('-').map(Number);
    return m === month && (day === undefined || d === day) ? [i] : [];
  });
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * Of two choices, the one not set apart: "not the music one", "取消会员 不是音乐那个". Undefined
 * unless exactly one of the two is set apart.
 */
export function otherThanExcluded(
  understanding: Understanding,
  text: Said,
  titles: string[],
  aliases: string[][] = [],
): number | undefined {
  if (titles.length !== 2) return undefined;
  const excluded = new Set(
    understanding
      .excludedParts(text)
      .map((part) => pickChoice(understanding, part, titles, aliases, true, false))
      .filter((i) => i !== undefined),
  );
  return excluded.size === 1 ? 1 - [...excluded][0] : undefined;
}

/** What tells memberships apart besides their names: the price, how often it is billed, its perks. */
export interface ChoiceFacts {
  /** The price of one period, in major units (25, 198, 14.99). */
  price: number;
  period: 'month' | 'year';
  /** The names of its coupons and perks, in every language. */
  perks: string[];
}

/**
 * The one choice the message describes by its facts ("25块一个月那个", "the one with the album
 * voucher", "the yearly 198 one"). A price or a period named rules out every choice it does not
 * fit; of those left, the one most facts point to, if only one. Undefined when nothing is described.
 */
export function pickByFacts(understanding: Understanding, text: Said, facts: ChoiceFacts[]): number | undefined {
  const amounts = understanding.amountsNamed(text);
  const period = understanding.periodNamed(text);
  const scores = facts.map((f) => {
    if (amounts.length > 0 && !amounts.some((a) => Math.abs(a - f.price) < 0.005)) return -1;
    if (period && period !== f.period) return -1;
    return (amounts.length > 0 ? 2 : 0) + (period ? 1 : 0) + understanding.perksNamed(text, f.perks) * 2;
  });
  const best = Math.max(...scores);
  if (best <= 0) return undefined;
  const top = scores.flatMap((s, i) => (s === best ? [i] : []));
  return top.length === 1 ? top[0] : undefined;
}

/** Whether the facts the message names rule out the choice picked by other words ("cancel the 14.99 one" is not the 25 one). */
export function factsRuleOut(understanding: Understanding, text: Said, facts: ChoiceFacts): boolean {
  const amounts = understanding.amountsNamed(text);
  const period = understanding.periodNamed(text);
  return (
    (amounts.length > 0 && !amounts.some((a) => Math.abs(a - facts.price) < 0.005)) ||
    (period !== undefined && period !== facts.period)
  );
}
