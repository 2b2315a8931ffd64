// npm run nlu:eval: the trained models (dist/nlu-model.json) on each corpus's test split, which
// training never sees: per-label precision and recall, the confusion matrix's largest off-diagonal
// cells, non-consent replies read as consent, and codes found in sentences. Exit 1 below the bar.
import { LOCALES } from '../i18n/languages.js';
import { readCorpus } from './corpus.js';
import { evaluateLocale, formatReport, PASS_ACCURACY } from './evaluation.js';
import { loadModels } from './models.js';
import { Understanding } from './understanding.js';

const understanding = new Understanding(await loadModels(LOCALES));
let failed = false;
for (const locale of LOCALES) {
  const report = await evaluateLocale(understanding, readCorpus(locale));
  console.log(formatReport(report));
  if (
    report.intents.accuracy < PASS_ACCURACY ||
    report.answers.accuracy < PASS_ACCURACY ||
    report.falseConsent.length > 0
  )
    failed = true;
}
process.exitCode = failed ? 1 : 0;
