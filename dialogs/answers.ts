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
