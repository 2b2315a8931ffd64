import type { Lexicon } from '../i18n/lexicon.js';

/** Picks one pattern of a lexicon ("its period-end words"). */
export type PatternOf = (l: Lexicon) => RegExp;

/** The text with what each lexicon's pattern finds replaced by a space (every match, for a global pattern). */
export function withoutSpans(text: string, pattern: PatternOf, lexicons: readonly Lexicon[]): string {
  let rest = text;
  for (const l of lexicons) rest = rest.replace(pattern(l), ' ');
  return rest;
}

/** Whether any lexicon's pattern finds something in the text. */
export function saysAny(text: string, pattern: PatternOf, lexicons: readonly Lexicon[]): boolean {
  return lexicons.some((l) => pattern(l).test(text));
}

const everywhere = new WeakMap<RegExp, RegExp>();
/** A lexicon pattern that matches every occurrence, made once. */
export function everyMatch(pattern: RegExp): RegExp {
  let g = everywhere.get(pattern);
  if (!g) everywhere.set(pattern, (g = new RegExp(pattern.source, 'gu')));
  return g;
}
