import { actsOf, type Act } from './acts.js';
import { everyMatch } from './lexiconSpans.js';
import type { Lexicon } from '../i18n/lexicon.js';

const CLAUSE_BREAK = /[,，。.;；!！…?？]+/u;
/** How far a negation reaches when no verb of wanting carries it on: three words, or three Chinese characters. */
const NEGATION_REACH = 3;

/** Whether the text says anything a decision at a prompt is made of: an option, keeping, cancelling, knowing. */
export function speaksOfDecision(text: string, lexicons: readonly Lexicon[]): boolean {
  return lexicons.some(
    (l) =>
      l.decisionWords.test(text) ||
      l.immediacy.test(text) ||
      l.periodEnd.test(text) ||
      l.switching.test(text) ||
      l.negatedCancel.test(text) ||
      Object.values(l.actionWords).some((w) => w.test(text)),
  );
}

/**
 * "Hello, thank you for laying this out so clearly. …": clauses that only greet or thank, and say
 * nothing of the decision, go before a message is read, so their words ("详细", "thinking") are
 * taken for no doubt. A message that is all courtesy is left as it is: its courtesy is what it says.
 */
export function withoutCourtesyClauses(normalized: string, lexicons: readonly Lexicon[]): string {
  return withoutClauses(normalized, (clause) => isCourtesy(clause, lexicons));
}

/** The clauses that are not `dropped`, joined; the text itself when none is dropped, or all are. */
export function withoutClauses(normalized: string, dropped: (clause: string) => boolean): string {
  const clauses = normalized
    .split(CLAUSE_BREAK)
    .map((c) => c.trim())
    .filter(Boolean);
  const kept = clauses.filter((clause) => !dropped(clause));
  return kept.length === clauses.length || kept.length === 0 ? normalized : kept.join(', ');
}

function isCourtesy(clause: string, lexicons: readonly Lexicon[]): boolean {
  const polite = lexicons.some((l) => {
    l.politeness.lastIndex = 0;
    return l.politeness.test(clause);
  });
  if (!polite || actsOf(clause, lexicons).has('question')) return false;
  return !(
    speaksOfDecision(clause, lexicons) || lexicons.some((l) => Object.values(l.commands).some((w) => w.test(clause)))
  );
}

/**
 * "After thinking it over, …", "考虑之后，…": a thought that is over is no hesitation; the words go
 * so that the decision that follows is read without them.
 */
export function withoutSettledThought(normalized: string, lexicons: readonly Lexicon[]): string {
  let rest = normalized;
  for (const l of lexicons) rest = rest.replace(l.settledThought, ' ');
  return rest === normalized ? normalized : rest.replace(/\s+/g, ' ').trim();
}

/**
 * "just cancel it at the end of the month, i dont really watch anything anymore", "立刻取消吧 反正也不看了":
 * the text without each negation whose reach holds no word of the decision, and what it negates.
 * A negation reaches three words (three characters in Chinese), or the whole clause when a verb of
 * wanting follows it ("i don't want it to end"). The text itself when every negation is of the decision.
 */
export function withoutAsideNegations(normalized: string, lexicons: readonly Lexicon[]): string {
  const spans: [number, number][] = [];
  for (const l of lexicons)
    for (const m of normalized.matchAll(everyMatch(l.negationWord))) {
      const after = m.index + m[0].length;
      const han = /\p{Script=Han}/u.test(m[0]);
      const reach = reachOf(normalized.slice(after), han, l);
      // A "no" on its own ("no, cancel now", "不对") answers the question; only one that negates words is aside.
      if (reach.trim().length < (han ? 2 : 1) || speaksOfDecision(reach, lexicons)) return normalized;
      spans.push([m.index, after + reach.length]);
    }
  if (spans.length === 0) return normalized;
  let rest = normalized;
  for (const [from, to] of spans.sort((a, b) => b[0] - a[0])) rest = rest.slice(0, from) + ' ' + rest.slice(to);
  return rest.replace(/\s+/g, ' ').trim();
}

/** What a negation reaches in the text after it (see withoutAsideNegations). */
function reachOf(after: string, han: boolean, lexicon: Lexicon): string {
  const clause = after.split(CLAUSE_BREAK)[0];
  if (lexicon.volition.test(clause)) return clause;
  // "别 yes erase it": a Chinese negation before English words reaches those words.
  if (han && /^\s*\p{Script=Han}/u.test(clause)) return clause.replace(/^\s+/u, '').slice(0, NEGATION_REACH);
  const words = clause.match(/^\s*(?:\S+\s*){0,3}/u)?.[0] ?? '';
  return words.trimEnd();
}

/**
 * "我想撤销取消，家里人还要用": someone else named in a clause of their own that says nothing of the
 * decision is part of the story, not the one deciding or the one whose account it is; the message
 * then speaks for the member alone.
 */
export function withoutBystanders(
  normalized: string,
  acts: ReadonlySet<Act>,
  lexicons: readonly Lexicon[],
): ReadonlySet<Act> {
  if (!acts.has('otherPerson') || lexicons.some((l) => l.othersAccount.test(normalized))) return acts;
  const clauses = normalized.split(CLAUSE_BREAK).filter((c) => lexicons.some((l) => l.otherPerson.test(c)));
  if (clauses.length === 0 || clauses.some((c) => speaksOfDecision(c, lexicons))) return acts;
  return new Set([...acts].filter((a) => a !== 'otherPerson'));
}
