import type { Lexicon } from '../i18n/lexicon.js';

/**
 * What a message does, apart from what it is about: it may ask, refuse, set a condition, hesitate,
 * put off, narrow what is on offer, speak for someone else, or only be polite. Any of the first
 * seven stops an act that changes or sends something (actionPolicy.ts).
 */
export type Act =
  'question' | 'negation' | 'condition' | 'hedge' | 'deferral' | 'narrowed' | 'otherPerson' | 'politeness';

export const ACTS: readonly Act[] = [
  'question',
  'negation',
  'condition',
  'hedge',
  'deferral',
  'narrowed',
  'otherPerson',
  'politeness',
];

/** Which lexicon pattern finds each act. */
const PATTERN: Readonly<Record<Act, (l: Lexicon) => RegExp>> = {
  question: (l) => l.question,
  negation: (l) => l.negation,
  condition: (l) => l.condition,
  hedge: (l) => l.hedge,
  deferral: (l) => l.deferral,
  narrowed: (l) => l.narrowed,
  otherPerson: (l) => l.otherPerson,
  politeness: (l) => l.politeness,
};

/** The acts of a normalised message, in every language's words (a Chinese member may type "ok?" or "wait"). */
export function actsOf(normalized: string, lexicons: readonly Lexicon[]): ReadonlySet<Act> {
  const found = new Set<Act>();
  if (normalized.includes('?')) found.add('question');
  for (const act of ACTS) {
    if (found.has(act)) continue;
    for (const l of lexicons) {
      const pattern = PATTERN[act](l);
      // Global patterns (politeness) keep their position between calls; test from the start.
      pattern.lastIndex = 0;
      if (pattern.test(normalized)) {
        found.add(act);
        break;
      }
    }
  }
  return found;
}
