import { LOCALES } from '../../src/i18n/languages.js';
import { readCorpus } from '../../src/nlu/corpus.js';
import { evaluateLocale, PASS_ACCURACY, type LocaleReport } from '../../src/nlu/evaluation.js';
import { loadUnderstanding } from '../support/understanding.js';

describe.each(LOCALES)('the %s test split, never trained on', (locale) => {
  let report: LocaleReport;
  beforeAll(async () => {
    report = await evaluateLocale(await loadUnderstanding(), readCorpus(locale));
  });

  it(`understands at least ${PASS_ACCURACY * 100} % of the split (intents and answers at the warning together)`, () => {
    const right = report.intents.accuracy * report.intents.total + report.answers.accuracy * report.answers.total;
    expect(right / (report.intents.total + report.answers.total)).toBeGreaterThanOrEqual(PASS_ACCURACY);
    expect(report.intents.accuracy).toBeGreaterThanOrEqual(PASS_ACCURACY);
  });

  it('reads none of the non-consent replies as consent', () => {
    expect(report.falseConsent).toEqual([]);
  });

  it('finds the code in every sentence that holds one, and none elsewhere', () => {
    expect(report.codes.misses).toEqual([]);
  });

  it('keeps test and train apart', () => {
    const corpus = readCorpus(locale);
    const squeeze = (s: string) =>
      s
        .normalize('NFKC')
        .toLowerCase()
        .replace(/[\s\p{P}\p{S}]+/gu, '');
    for (const part of [corpus.intents, corpus.answers] as Record<string, { train: string[]; test: string[] }>[]) {
      const train = new Set(
        Object.values(part)
          .flatMap((s) => s.train)
          .map(squeeze),
      );
      // Emoji- or punctuation-only items all squeeze to nothing; they differ, so they are left out.
      expect(
        Object.values(part)
          .flatMap((s) => s.test)
          .filter((t) => squeeze(t) !== '' && train.has(squeeze(t))),
      ).toEqual([]);
    }
  });
});
