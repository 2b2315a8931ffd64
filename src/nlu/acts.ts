import type { Lexicon } from '../i18n/lexicon.js';

/**
 * What a message does, apart from what it is about: it may ask, refuse, set a condition, hesitate,
 * put off, narrow what is on offer, speak for someone else, or only be polite. Any of these but
 * politeness stops an act that changes or sends something; a tentative "I think" stops only those
 * that cannot be taken back (actionPolicy.ts).
 */
export type Act =
  | 'question'
  | 'negation'
  | 'condition'
  | 'hedge'
  | 'tentative'
  | 'deferral'
  | 'narrowed'
  | 'otherPerson'
  | 'politeness';

export const ACTS: readonly Act[] = [
  'question',
  'negation',
  'condition',
  'hedge',
  'tentative',
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
  tentative: (l) => l.tentative,
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
  return withAdviceTaken(normalized, found, lexicons);
}

/**
 * "My wife said cancel it now, so do that": someone else's words the member adopts as their own
 * decision speak for the member, not for another account, unless that account is named.
 */
function withAdviceTaken(normalized: string, acts: Set<Act>, lexicons: readonly Lexicon[]): Set<Act> {
  if (!acts.has('otherPerson') || lexicons.some((l) => l.othersAccount.test(normalized))) return acts;
  const adopted = lexicons.some((l) => {
    const reported = l.reportedSpeech.exec(normalized);
    return reported !== null && l.adoption.test(normalized.slice(reported.index + reported[0].length));
  });
  if (!adopted) return acts;
  acts.delete('otherPerson');
  return acts;
}
