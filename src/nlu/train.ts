// npm run build: trains each language's classifiers from its corpus (train split only) and writes
// them to dist/nlu-model.json, which the server loads at start.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LOCALES } from '../i18n/languages.js';
import { Classifier } from './classifier.js';
import { examples, readCorpus } from './corpus.js';
import { MODEL_FILE, type ModelFile } from './models.js';

const out: ModelFile = { version: 1, locales: {} };
for (const locale of LOCALES) {
  const corpus = readCorpus(locale);
  const intents = await Classifier.train(examples(corpus.intents, 'train'));
  const answers = await Classifier.train(examples(corpus.answers, 'train'));
  out.locales[locale] = { intents: intents.toJSON(), answers: answers.toJSON() };
}
await mkdir(dirname(MODEL_FILE), { recursive: true });
await writeFile(MODEL_FILE, JSON.stringify(out));
