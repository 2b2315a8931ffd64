import type { Lexicon } from './lexicon.js';

/** What the member may choose at the cancellation warning. */
export type CancelChoice = 'period_end' | 'immediate' | 'offer';

/** What a reply to the warning amounts to. Only `choose` changes anything. */
export type ConsentReading =
  | { kind: 'choose'; choice: CancelChoice }
  | { kind: 'keep' }
  | { kind: 'question'; topic: QuestionTopic }
  | { kind: 'unclear'; reason: UnclearReason };

export type QuestionTopic = 'refund' | 'points' | 'other';
export type UnclearReason = 'hedge' | 'condition' | 'negation' | 'politeness' | 'notOffered' | 'unknown';

/** The classifier's labels for replies to the warning (the corpus's "answers"). */
export type AnswerLabel = 'immediate' | 'periodEnd' | 'offer' | 'keep' | 'yes' | 'unsure';

export interface ConsentInput {
  /** The reply as normalizeText left it. */
  normalized: string;
  /** The choices on offer; period_end is the reversible one. */
  offered: readonly CancelChoice[];
  /** An option the reply names by its exact title or number, if any. */
  picked?: CancelChoice | 'keep';
  /** The answer classifier's best label and its score. */
  answer: { label: string; score: number };
  /** The intent classifier's best label, for what a question is about. */
  intent: string;
  /** Every language's lexicon: a Chinese member may well type "ok?" or "wait". */
  lexicons: readonly Lexicon[];
}

/** Below this score the classifier's label is not taken as a choice. */
export const MIN_CHOICE_SCORE = 0.6;

const PUNCTUATION = /[\p{P}\p{S}\s]+/gu;

/**
 * The one consent rule. A membership changes only on a clear choice:
 * - a question (?, 吗, 呢, "what if"), a hedge, a condition, or a negation never consents; a
 *   question is answered, a negation of the change keeps the membership;
 * - politeness alone says nothing;
 * - an option named by its title, number or in the member's own words chooses it, but an
 *   irreversible one (now, with refund) only when the reply says "now", "today" or "refund" and
 *   holds no negation at all ("don't refund" names the period end, never the refund);
 * - a bare yes chooses the reversible option (cancel at period end), never the irreversible one
 *   unless nothing else is on offer.
 */
export function readConsent(input: ConsentInput): ConsentReading {
  const text = input.normalized;
  const any = (pick: (l: Lexicon) => RegExp) => input.lexicons.some((l) => pick(l).test(text));
  if (text.includes('?') || any((l) => l.question)) return { kind: 'question', topic: topicOf(input.intent) };
  if (any((l) => l.condition)) return { kind: 'unclear', reason: 'condition' };
  if (any((l) => l.hedge)) return { kind: 'unclear', reason: 'hedge' };

  const bare = stripPoliteness(text, input.lexicons);
  if (input.lexicons.some((l) => l.negatives.includes(bare) || l.keepWords.includes(bare))) return { kind: 'keep' };
  if (any((l) => l.negation)) {
    return input.answer.label === 'keep' || input.picked === 'keep'
      ? { kind: 'keep' }
      : { kind: 'unclear', reason: 'negation' };
  }
  if (input.picked) return input.picked === 'keep' ? { kind: 'keep' } : offeredOr(input.picked, input.offered);
  if (bare === '') return { kind: 'unclear', reason: 'politeness' };
  if (isPlainYes(bare, input.lexicons)) return reversibleChoice(input.offered);

  // The classifier names the option; a word of that option must be there too, so that "I see" or
  // "show me the options" (which a model may place anywhere) never chooses anything.
  const { label, score } = input.answer;
  if (score < MIN_CHOICE_SCORE) return { kind: 'unclear', reason: 'unknown' };
  switch (label as AnswerLabel) {
    case 'keep':
      return { kind: 'keep' };
    case 'periodEnd':
      return any((l) => l.periodEnd) ? offeredOr('period_end', input.offered) : { kind: 'unclear', reason: 'unknown' };
    case 'offer':
      return any((l) => l.switching) && !any((l) => l.negationWord)
        ? offeredOr('offer', input.offered)
        : { kind: 'unclear', reason: 'unknown' };
    case 'immediate':
      return any((l) => l.immediacy) && !any((l) => l.negationWord)
        ? offeredOr('immediate', input.offered)
        : { kind: 'unclear', reason: 'unknown' };
    case 'yes':
      // A yes that says "now" ("立即取消吧", "ok, cancel it now") names that option; a yes the
      // lexicon does not know ("I see", "got it") is an acknowledgement, not a choice.
      return any((l) => l.immediacy) && !any((l) => l.negationWord)
        ? offeredOr('immediate', input.offered)
        : { kind: 'unclear', reason: 'unknown' };
    default:
      return { kind: 'unclear', reason: 'unknown' };
  }
}

/** A plain yes, possibly with "cancel it" after it: "yes, cancel it", "好的，取消吧". */
export function isPlainYes(bare: string, lexicons: readonly Lexicon[]): boolean {
  let rest = bare;
  for (const l of lexicons) rest = rest.replace(l.yesFillers, ' ');
  return madeOfAffirmatives(
    rest.replace(/ /g, ''),
    lexicons.flatMap((l) => l.affirmatives.map((a) => a.replace(/ /g, ''))),
  );
}

/** Whether the text is one or more affirmatives in a row ("ok sure", "对确认", "可以可以"). */
function madeOfAffirmatives(text: string, affirmatives: string[]): boolean {
  if (text === '' || text.length > 40) return false;
  const reachable = new Array<boolean>(text.length + 1).fill(false);
  reachable[0] = true;
  for (let i = 0; i < text.length; i++) {
    if (!reachable[i]) continue;
    for (const a of affirmatives) if (text.startsWith(a, i)) reachable[i + a.length] = true;
  }
  return reachable[text.length];
}

/** The reply without courtesy words and punctuation: "ok, thanks!" is "ok". */
export function stripPoliteness(text: string, lexicons: readonly Lexicon[]): string {
  let rest = text;
  for (const l of lexicons) rest = rest.replace(l.politeness, ' ');
  return rest.replace(PUNCTUATION, ' ').trim().replace(/ +/g, ' ');
}

function reversibleChoice(offered: readonly CancelChoice[]): ConsentReading {
  if (offered.includes('period_end')) return { kind: 'choose', choice: 'period_end' };
  const changes = offered.filter((o) => o !== 'offer');
  return changes.length === 1 ? { kind: 'choose', choice: changes[0] } : { kind: 'unclear', reason: 'unknown' };
}

function offeredOr(choice: CancelChoice, offered: readonly CancelChoice[]): ConsentReading {
  return offered.includes(choice) ? { kind: 'choose', choice } : { kind: 'unclear', reason: 'notOffered' };
}

function topicOf(intent: string): QuestionTopic {
  if (intent === 'refundQuestion') return 'refund';
  if (intent === 'pointsQuestion') return 'points';
  return 'other';
}
