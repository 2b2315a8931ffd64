import type { Locale } from '../i18n/languages.js';
import { ANSWERS, examples, type Corpus } from './corpus.js';
import type { CancelChoice, ConsentReading } from './consent.js';
import type { Understanding } from './understanding.js';

/** The bar a language's test split must clear (the tests and `npm run nlu:eval` hold it). */
export const PASS_ACCURACY = 0.95;

export interface LabelScore {
  label: string;
  precision: number;
  recall: number;
  support: number;
}

export interface PartReport {
  accuracy: number;
  total: number;
  labels: LabelScore[];
  /** Off-diagonal cells, largest first: [expected, got, count]. */
  confusions: [string, string, number][];
  misses: { text: string; expected: string; got: string }[];
}

export interface LocaleReport {
  locale: Locale;
  intents: PartReport;
  answers: PartReport;
  /** Non-consent replies the consent rule took as a choice: must be none. */
  falseConsent: { text: string; reading: ConsentReading }[];
  nonConsentTotal: number;
  codes: { right: number; total: number; misses: { text: string; expected: string | null; got: string | null }[] };
}

/** Every choice on offer, as at a warning with a refund and a retention offer: the hardest case. */
const ALL_OFFERED: CancelChoice[] = ['period_end', 'immediate', 'offer'];

/** Which answer label a consent reading corresponds to, to score the rule and model together. */
function answerLabelOf(reading: ConsentReading, text: string, u: Understanding): string {
  if (reading.kind === 'keep') return 'keep';
  // A bare yes to two ways of cancelling is read as a yes: the bot asks which.
  if (reading.kind === 'unclear' && reading.reason === 'plainYes') return 'yes';
  if (reading.kind === 'choose') {
    if (reading.choice === 'immediate') return 'immediate';
    if (reading.choice === 'offer') return 'offer';
    // A bare yes and a named period end both choose it; the corpus tells them apart.
    return u.isPlainYes(text) ? 'yes' : 'periodEnd';
  }
  return 'unsure';
}

export async function evaluateLocale(u: Understanding, corpus: Corpus): Promise<LocaleReport> {
  const locale = corpus.locale;
  const intents = score(
    await Promise.all(
      examples(corpus.intents, 'test').map(async (e) => ({ ...e, got: (await u.intentOf(e.text, locale)).intent })),
    ),
    Object.keys(corpus.intents),
  );
  const answerRows = await Promise.all(
    examples(corpus.answers, 'test').map(async (e) => {
      const reading = await u.readConsent(e.text, locale, ALL_OFFERED);
      const got = answerLabelOf(reading, e.text, u);
      // A bare yes at the warning chooses the period end: either label is right for it.
      return {
        ...e,
        got:
          e.label === 'yes' && got === 'periodEnd'
            ? 'yes'
            : e.label === 'periodEnd' && got === 'yes'
              ? 'periodEnd'
              : got,
      };
    }),
  );
  const answers = score(answerRows, [...ANSWERS]);
  const falseConsent: LocaleReport['falseConsent'] = [];
  for (const text of corpus.nonConsent) {
    const reading = await u.readConsent(text, locale, ALL_OFFERED);
    if (reading.kind === 'choose') falseConsent.push({ text, reading });
  }
  const codeMisses = corpus.codeSentences
    .map((c) => ({ text: c.text, expected: c.code, got: u.codeIn(c.text) }))
    .filter((c) => c.got !== c.expected);
  return {
    locale,
    intents,
    answers,
    falseConsent,
    nonConsentTotal: corpus.nonConsent.length,
    codes: {
      right: corpus.codeSentences.length - codeMisses.length,
      total: corpus.codeSentences.length,
      misses: codeMisses,
    },
  };
}

function score(rows: { text: string; label: string; got: string }[], labels: string[]): PartReport {
  const cells = new Map<string, number>();
  for (const r of rows) cells.set(`${r.label}\u0000${r.got}`, (cells.get(`${r.label}\u0000${r.got}`) ?? 0) + 1);
  const scores = labels.map((label) => {
    const tp = rows.filter((r) => r.label === label && r.got === label).length;
    const predicted = rows.filter((r) => r.got === label).length;
    const support = rows.filter((r) => r.label === label).length;
    return { label, precision: predicted ? tp / predicted : 1, recall: support ? tp / support : 1, support };
  });
  const confusions = [...cells.entries()]
    .map(([key, n]) => [...key.split('\u0000'), n] as [string, string, number])
    .filter(([a, b]) => a !== b)
    .sort((x, y) => y[2] - x[2]);
  const misses = rows.filter((r) => r.got !== r.label).map((r) => ({ text: r.text, expected: r.label, got: r.got }));
  return {
    accuracy: rows.length ? (rows.length - misses.length) / rows.length : 1,
    total: rows.length,
    labels: scores,
    confusions,
    misses,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export function formatReport(r: LocaleReport): string {
  const part = (name: string, p: PartReport) => [
    `${name}: ${pct(p.accuracy)} of ${p.total}`,
    ...p.labels.map(
      (l) =>
        `  ${l.label.padEnd(16)} precision ${pct(l.precision).padStart(7)}  recall ${pct(l.recall).padStart(7)}  (${l.support})`,
    ),
    `  confusions (expected -> got): ${
      p.confusions
        .slice(0, 8)
        .map(([a, b, n]) => `${a}->${b} ${n}`)
        .join(', ') || 'none'
    }`,
    ...p.misses.map((m) => `  miss: ${JSON.stringify(m.text)} expected ${m.expected}, got ${m.got}`),
  ];
  return [
    `== ${r.locale}`,
    ...part('intents', r.intents),
    ...part('answers at the warning (model + consent rule)', r.answers),
    `non-consent replies read as consent: ${r.falseConsent.length} of ${r.nonConsentTotal}`,
    ...r.falseConsent.map((f) => `  FALSE CONSENT: ${JSON.stringify(f.text)} -> ${JSON.stringify(f.reading)}`),
    `codes in sentences: ${r.codes.right} of ${r.codes.total}`,
    ...r.codes.misses.map((m) => `  code miss: ${JSON.stringify(m.text)} expected ${m.expected}, got ${m.got}`),
    '',
  ].join('\n');
}
