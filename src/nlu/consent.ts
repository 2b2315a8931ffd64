import { actsOf, type Act } from './acts.js';
import { speaksOfDecision, withoutAsideNegations, withoutClauses } from './asides.js';
import { asksRenewalOff } from './renewalOff.js';
import { blockingAct, DOUBTS, permits, type Action } from './actionPolicy.js';
import { everyMatch, saysAny, withoutSpans, type PatternOf } from './lexiconSpans.js';
import type { Lexicon } from '../i18n/lexicon.js';

/** What the member may choose at the cancellation warning. */
export type CancelChoice = 'period_end' | 'immediate' | 'offer';

/** What a reply to the warning amounts to. Only `choose` changes anything. */
export type ConsentReading =
  | { kind: 'choose'; choice: CancelChoice }
  | { kind: 'keep' }
  | { kind: 'question'; topic: QuestionTopic }
  | { kind: 'unclear'; reason: UnclearReason };

export type QuestionTopic = 'refund' | 'points' | 'other';
export type UnclearReason = Exclude<Act, 'question'> | 'notOffered' | 'plainYes' | 'plainNo' | 'unknown';

/** The classifier's labels for replies to the warning (the corpus's "answers"). */
export type AnswerLabel = 'immediate' | 'periodEnd' | 'offer' | 'keep' | 'yes' | 'unsure';

export interface ConsentInput {
  /** The reply as normalizeText left it. */
  normalized: string;
  /** What the reply does (acts.ts). */
  acts: ReadonlySet<Act>;
  /** The choices on offer; period_end is the reversible one. */
  offered: readonly CancelChoice[];
  /** An option the reply names by its exact title or number, if any. */
  picked?: CancelChoice | 'keep';
  /** The answer classifier's best label and its score. */
  answer: { label: string; score: number };
  /** The same, for the decision a reason or a hesitation leads to ({@link concludingText}), if there is one. */
  decisionAnswer?: { label: string; score: number };
  /** The intent classifier's best label, for what a question is about. */
  intent: string;
  /** Every language's lexicon: a Chinese member may well type "ok?" or "wait". */
  lexicons: readonly Lexicon[];
}

/** Below this score the classifier's label is not taken as a choice. */
export const MIN_CHOICE_SCORE = 0.6;

/** Punctuation and symbols, but not the pictographs a lexicon reads (normalize.ts keeps only those). */
const PUNCTUATION = /(?:(?!\p{Extended_Pictographic})[\p{P}\p{S}\s])+/gu;
const APOSTROPHES = /['’]/gu;
const PICTOGRAPHS = /\p{Extended_Pictographic}/gu;

const ACTION_OF: Readonly<Record<CancelChoice, Action>> = {
  period_end: 'cancelAtPeriodEnd',
  immediate: 'cancelNow',
  offer: 'switchPlan',
};

/**
 * The one consent rule for the warning, over the action policy (actionPolicy.ts):
 * - a question is answered; keeping the membership needs no more than saying so;
 * - every change must pass the policy: no question, negation, condition, hedge, deferral,
 *   narrowed scope or other person; the irreversible option (now, with refund) only when the
 *   reply names it ("now", "today", "refund") or picks its button;
 * - a bare yes chooses the reversible option (the period end); politeness alone says nothing.
 */
export function readConsent(given: ConsentInput): ConsentReading {
  const input = withAsideNegationsSetAside(given);
  const { acts } = input;
  // "cancel my wife's membership instead": not this member's to decide, whatever else it says.
  if (input.lexicons.some((l) => l.othersAccount.test(input.normalized)))
    return { kind: 'unclear', reason: 'otherPerson' };
  const besideRefusal = chosenBesideRefusal(input);
  if (besideRefusal) return besideRefusal;
  // "don't cancel it now" turns down the moment, not the cancellation: neither kept nor chosen.
  if (refusesOnlyNow(input)) return { kind: 'unclear', reason: 'negation' };
  // "不取消了，还要看剧呢": refusing the cancellation keeps the membership, whatever particle ends it.
  if (!input.normalized.includes('?') && input.lexicons.some((l) => l.negatedCancel.test(input.normalized)))
    return { kind: 'keep' };
  if (acts.has('question')) return periodEndRequested(input) ?? { kind: 'question', topic: topicOf(input.intent) };
  const renewalOff = renewalOffReading(input);
  if (renewalOff) return renewalOff;
  const concluded = periodEndConcluded(input);
  if (concluded) return concluded;
  const candidate = candidateOf(input);
  if (candidate.kind === 'unclear' && candidate.reason === 'unknown')
    return withAsidesSetAside(input, { kind: 'unclear', reason: doubtIn(acts) });
  if (candidate.kind !== 'choose') return candidate;
  const action = ACTION_OF[candidate.choice];
  // A yes beside a negation set aside ("ok, i don't care") is too little: the option must be named.
  const support = { yes: candidate.byYes && input === given, named: !candidate.byYes, command: false };
  if (permits(action, support, acts)) return { kind: 'choose', choice: candidate.choice };
  const doubt = blockingAct(action, acts);
  return withAsidesSetAside(input, { kind: 'unclear', reason: doubt && doubt !== 'question' ? doubt : 'unknown' });
}

/** The reply without the negations that reach no word of the decision (asides.ts), and its acts then. */
function withAsideNegationsSetAside(input: ConsentInput): ConsentInput {
  if (!input.acts.has('negation')) return input;
  const focus = withoutAsideNegations(input.normalized, input.lexicons);
  if (focus === input.normalized || focus === '') return input;
  // Only the negation is set aside: "是不是", "扣手续费不" still ask, whatever their 不 reaches.
  const left = actsOf(focus, input.lexicons);
  return { ...input, normalized: focus, acts: new Set([...input.acts].filter((a) => a !== 'negation' || left.has(a))) };
}

/**
 * "我英文不好，立即取消退款吧": a negation in a clause of its own that says nothing of the decision
 * is set aside, and the rest is read again; only an option named in words is taken from it, never a yes.
 */
function withAsidesSetAside(input: ConsentInput, reading: ConsentReading): ConsentReading {
  if (reading.kind !== 'unclear' || !input.acts.has('negation')) return reading;
  const focus = withoutAsides(input.normalized, input.lexicons);
  if (focus === input.normalized) return reading;
  const acts = actsOf(focus, input.lexicons);
  const candidate = candidateOf({ ...input, normalized: focus, acts });
  if (candidate.kind !== 'choose' || candidate.byYes) return reading;
  const support = { yes: false, named: true, command: false };
  return permits(
    ACTION_OF[candidate.choice],
    support,
    new Set([...input.acts].filter((a) => a !== 'negation' || acts.has(a))),
  )
    ? { kind: 'choose', choice: candidate.choice }
    : reading;
}

/** The clauses left once those negating something beside the point are gone; the text itself if none is. */
export function withoutAsides(normalized: string, lexicons: readonly Lexicon[]): string {
  return withoutClauses(normalized, (clause) => isAside(clause, lexicons));
}

function isAside(clause: string, lexicons: readonly Lexicon[]): boolean {
  if (!lexicons.some((l) => l.negationWord.test(clause))) return false;
  const bare = stripPoliteness(clause, lexicons);
  if (lexicons.some((l) => l.negatives.includes(bare) || l.keepWords.includes(bare))) return false;
  return !speaksOfDecision(clause, lexicons);
}

/** One way of cancelling turned down, and the words that must then name the other. */
interface TurnedDown {
  choice: CancelChoice;
  refusal: PatternOf;
  /** Any of these names the option chosen instead. */
  names: readonly PatternOf[];
  /** The words of the option turned down, which must not come back in the rest. */
  refused: PatternOf;
}

/**
 * "不要退款，也不要现在取消，到期停掉就好", "don't cancel it now, let it expire", "not that one, the
 * other": cancelling now turned down beside the period end (or "the other") named chooses the
 * period end. "不是到期！是现在！！退钱": the period end turned down beside "now" chooses now, the
 * irreversible option, so the rest must carry no doubt at all, not even a "but" or a "probably".
 */
const TURNED_DOWN: readonly TurnedDown[] = [
  {
    choice: 'period_end',
    refusal: (l) => l.refusedNow,
    names: [(l) => l.periodEnd, (l) => l.theOther, (l) => l.refusedRenewal],
    refused: (l) => l.immediacy,
  },
  { choice: 'immediate', refusal: (l) => l.refusedPeriodEnd, names: [(l) => l.immediacy], refused: (l) => l.periodEnd },
];

/** The option chosen beside the other turned down, by the action policy over what is left; undefined if none. */
function chosenBesideRefusal(input: ConsentInput): ConsentReading | undefined {
  if (input.acts.has('question')) return undefined;
  for (const rule of TURNED_DOWN) {
    if (!input.offered.includes(rule.choice)) continue;
    const rest = withoutSpans(input.normalized, rule.refusal, input.lexicons);
    if (rest === input.normalized) continue;
    const says = (pattern: PatternOf) => saysAny(rest, pattern, input.lexicons);
    if (!rule.names.some(says) || says(rule.refused) || says((l) => l.negatedCancel)) continue;
    const support = { yes: false, named: true, command: false };
    // "不想退款 也不想再续了": the renewal refused names the period end; its own negation is no doubt.
    const decided = withoutSpans(rest, (l) => l.refusedRenewal, input.lexicons);
    if (permits(ACTION_OF[rule.choice], support, actsOf(decided, input.lexicons)))
      return { kind: 'choose', choice: rule.choice };
  }
  return undefined;
}

/**
 * "能不能帮我到期再停", "could you just end it at the end of the billing cycle?": a request put as a
 * question asks for what it names. Only the reversible option is taken so; the rest must ask nothing.
 */
function periodEndRequested(input: ConsentInput): ConsentReading | undefined {
  let rest = input.normalized;
  for (const l of input.lexicons) rest = rest.replace(l.requestLead, '');
  if (rest === input.normalized) return undefined;
  rest = rest.replace(/[\s?？]*(?:吗|嘛|么|呢)?[\s?？!！。.]*$/u, '');
  const acts = actsOf(rest, input.lexicons);
  if (acts.has('question')) return undefined;
  const candidate = candidateOf({ ...input, normalized: rest, acts });
  const support = { yes: false, named: true, command: false };
  return candidate.kind === 'choose' &&
    candidate.choice === 'period_end' &&
    !candidate.byYes &&
    permits('cancelAtPeriodEnd', support, acts)
    ? { kind: 'choose', choice: 'period_end' }
    : undefined;
}

/**
 * "turn off autopay", "只关掉自动续费，会员别动": ending the renewal, and only that, is the period end;
 * the "only" and the "leave the rest alone" say the same, so they do not stop it. Any other doubt does.
 */
function renewalOffReading(input: ConsentInput): ConsentReading | undefined {
  if (!input.offered.includes('period_end') || !asksRenewalOff(input.normalized, input.lexicons)) return undefined;
  // "turn off autopay now" may mean the renewal now or the membership now: asked, never guessed.
  if (saysAny(input.normalized, (l) => l.immediacy, input.lexicons)) return unclear('unknown');
  const doubts = new Set([...input.acts].filter((a) => a !== 'negation' && a !== 'narrowed'));
  return permits('cancelAtPeriodEnd', { yes: false, named: true, command: false }, doubts)
    ? { kind: 'choose', choice: 'period_end' }
    : undefined;
}

const unclear = (reason: UnclearReason): ConsentReading => ({ kind: 'unclear', reason });

/** What leaves a reason without a decision drawn from it. */
const UNCONCLUDED: readonly Act[] = ['question', 'condition', 'deferral', 'otherPerson'];

/**
 * "I'd rather not lose what I paid for, so stop it at the end": a reason, however negated, then a
 * decision drawn from it. Only the reversible option is taken so, and only when the decision itself
 * carries no doubt and the whole asks nothing, sets no condition and speaks for no one else.
 */
function periodEndConcluded(input: ConsentInput): ConsentReading | undefined {
  if (!input.acts.has('negation') && !input.acts.has('hedge')) return undefined;
  if (UNCONCLUDED.some((a) => input.acts.has(a))) return undefined;
  const decision = concludingText(input.normalized, input.lexicons);
  if (decision === undefined) return undefined;
  const acts = actsOf(decision, input.lexicons);
  if (!decision || DOUBTS.some((d) => acts.has(d))) return undefined;
  const candidate = candidateOf({ ...input, normalized: decision, acts, answer: input.decisionAnswer ?? input.answer });
  return candidate.kind === 'choose' && candidate.choice === 'period_end' && !candidate.byYes
    ? { kind: 'choose', choice: 'period_end' }
    : undefined;
}

/**
 * The decision a reply comes to, if it comes to one: what follows the last "so …" ("所以", "那就");
 * or, when the member closes the matter ("…就这样吧", "…, that's it"), what follows the last
 * hesitation, whose thinking aloud is then over ("我想想啊到期之后再取消吧就这样吧"), without the
 * closing words. Undefined when there is neither.
 */
export function concludingText(normalized: string, lexicons: readonly Lexicon[]): string | undefined {
  let start = -1;
  for (const l of lexicons)
    for (const m of normalized.matchAll(l.conclusion)) start = Math.max(start, m.index + m[0].length);
  const closed = withoutSpans(normalized, (l) => l.decisionCloser, lexicons).trimEnd();
  if (closed !== normalized.trimEnd())
    for (const l of lexicons)
      for (const m of closed.matchAll(everyMatch(l.hedge))) start = Math.max(start, m.index + m[0].length);
  return start < 0 ? undefined : closed.slice(start).trim();
}

/** A refusal of cancelling now, and nothing else said: no period end, no keeping. */
function refusesOnlyNow(input: ConsentInput): boolean {
  const rest = withoutSpans(input.normalized, (l) => l.refusedNow, input.lexicons);
  if (rest === input.normalized) return false;
  const bare = stripPoliteness(rest, input.lexicons);
  const says = (pattern: PatternOf) => saysAny(rest, pattern, input.lexicons);
  return (
    !says((l) => l.periodEnd) &&
    !says((l) => l.actionWords.keep) &&
    !input.lexicons.some((l) => l.keepWords.includes(bare) || l.negatives.includes(bare))
  );
}

type Candidate = Exclude<ConsentReading, { kind: 'choose' }> | { kind: 'choose'; choice: CancelChoice; byYes: boolean };

/** What the reply would choose if nothing stood in the way, before the policy looks at its acts. */
function candidateOf(input: ConsentInput): Candidate {
  const text = input.normalized;
  const any = (pick: (l: Lexicon) => RegExp) => input.lexicons.some((l) => pick(l).test(text));
  const bare = stripPoliteness(text, input.lexicons);
  // A bare "no" to "what would you like to do?" says neither keep nor which way: asked, never ended.
  if (input.lexicons.some((l) => l.bareNo.includes(bare))) return { kind: 'unclear', reason: 'plainNo' };
  if (input.lexicons.some((l) => l.negatives.includes(bare) || l.keepWords.includes(bare))) return { kind: 'keep' };
  // "不想保留", "I don't want to keep it": a keep turned down is no keep, and no cancel either.
  if (saysAny(text, (l) => l.refusedKeep, input.lexicons) && !saysCancel(bare, input.lexicons)) return unknown();
  // "whichever one i can still undo", "可以反悔的那个": the option named by what it allows.
  if (!saysCancel(bare, input.lexicons) && namesAlone(bare, (l) => l.reversibleOption, input.lexicons))
    return named('period_end', input.offered);
  // "keep access until my current month is up", "保留权益到月底那个": keeping until the end is the period end.
  if (saysAny(text, (l) => l.keptUntilEnd, input.lexicons)) return named('period_end', input.offered);
  // "不想续了", "i just don't want to be charged again": the renewal refused and nothing more is the period end.
  if (!saysCancel(bare, input.lexicons) && namesAlone(bare, (l) => l.refusedRenewal, input.lexicons))
    return named('period_end', input.offered);
  if (
    input.acts.has('negation') &&
    (input.answer.label === 'keep' || input.picked === 'keep') &&
    !saysCancel(bare, input.lexicons)
  )
    return { kind: 'keep' };
  if (input.picked) return input.picked === 'keep' ? { kind: 'keep' } : named(input.picked, input.offered);
  if (bare === '') return { kind: 'unclear', reason: 'politeness' };
  if (isPlainYes(bare, input.lexicons)) return reversibleChoice(input.offered);

  // "立即取消", "cancel now": "cancel" with the option's own words and nothing else names it,
  // whatever the model's score. (The period end's words include renewal, which alone may mean keeping.)
  if (
    !input.acts.has('negation') &&
    saysCancel(bare, input.lexicons) &&
    namesAlone(bare, (l) => l.immediacy, input.lexicons)
  )
    return named('immediate', input.offered);
  // The classifier names the option; a word of that option must be there too, so that "I see" or
  // "show me the options" (which a model may place anywhere) never chooses anything.
  const { label, score } = input.answer;
  if (score < MIN_CHOICE_SCORE) return { kind: 'unclear', reason: 'unknown' };
  switch (label as AnswerLabel) {
    case 'keep':
      // "I want to cancel but keep my coupons" keeps nothing that is on offer: it asks again.
      return saysCancel(bare, input.lexicons) ? unknown() : { kind: 'keep' };
    case 'periodEnd':
      return any((l) => l.periodEnd) ? named('period_end', input.offered) : unknown();
    case 'offer':
      return any((l) => l.switching) && !any((l) => l.negationWord) ? named('offer', input.offered) : unknown();
    case 'immediate':
    case 'yes':
      // A yes that says "now" ("立即取消吧", "ok, cancel it now") names that option; a yes the
      // lexicon does not know ("I see", "got it") is an acknowledgement, not a choice.
      return any((l) => l.immediacy) && !any((l) => l.negationWord) ? named('immediate', input.offered) : unknown();
    default:
      return unknown();
  }
}

function saysCancel(bare: string, lexicons: readonly Lexicon[]): boolean {
  return lexicons.some((l) => l.bareCancel.some((word) => bare.includes(word)));
}

/** Whether the reply is an option's words, "cancel" and fillers, and nothing else. */
function namesAlone(bare: string, option: (l: Lexicon) => RegExp, lexicons: readonly Lexicon[]): boolean {
  if (!lexicons.some((l) => option(l).test(bare))) return false;
  let rest = bare;
  for (const l of lexicons) {
    rest = rest
      .replace(everyMatch(option(l)), ' ')
      .replace(l.yesFillers, ' ')
      .replace(l.pickFillers, ' ');
    for (const word of l.bareCancel) rest = rest.split(word).join(' ');
  }
  return rest.replace(/\s+/g, '') === '';
}

/** The doubt a reply carries, to answer it ("take your time"), or 'unknown'. */
function doubtIn(acts: ReadonlySet<Act>): UnclearReason {
  const doubt = DOUBTS.find((d) => d !== 'question' && acts.has(d));
  return doubt && doubt !== 'question' ? doubt : 'unknown';
}

const unknown = (): Candidate => ({ kind: 'unclear', reason: 'unknown' });

/** A plain yes, possibly with "cancel it" after it: "yes, cancel it", "好的，取消吧". */
export function isPlainYes(bare: string, lexicons: readonly Lexicon[]): boolean {
  const affirmatives = lexicons.flatMap((l) => l.affirmatives.map((a) => a.replace(/ /g, '').replace(APOSTROPHES, '')));
  // Whole first: "go ahead" is a yes of its own, though "go ahead" may also follow one.
  if (madeOfAffirmatives(bare.replace(/ /g, ''), affirmatives)) return true;
  const rest = withoutSpans(bare, (l) => l.yesFillers, lexicons);
  return madeOfAffirmatives(rest.replace(/ /g, ''), affirmatives);
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
  const rest = withoutSpans(text, (l) => l.politeness, lexicons);
  // "don't" is "dont", as members also type it.
  const bare = rest.replace(APOSTROPHES, '').replace(PUNCTUATION, ' ').trim().replace(/ +/g, ' ');
  // A pictograph beside words ("不要🙅") only underlines them; alone ("👍") it is the answer.
  return /[\p{L}\p{N}]/u.test(bare) ? bare.replace(PICTOGRAPHS, '').trim().replace(/ +/g, ' ') : bare;
}

/**
 * A yes to "what would you like to do?" chooses the reversible option, the period end: the member
 * came to cancel, and that choice can be undone. Where it is not on offer, the bot asks which.
 */
function reversibleChoice(offered: readonly CancelChoice[]): Candidate {
  return offered.includes('period_end')
    ? { kind: 'choose', choice: 'period_end', byYes: true }
    : { kind: 'unclear', reason: 'plainYes' };
}

function named(choice: CancelChoice, offered: readonly CancelChoice[]): Candidate {
  return offered.includes(choice)
    ? { kind: 'choose', choice, byYes: false }
    : { kind: 'unclear', reason: 'notOffered' };
}

function topicOf(intent: string): QuestionTopic {
  if (intent === 'refundQuestion') return 'refund';
  if (intent === 'pointsQuestion') return 'points';
  return 'other';
}
