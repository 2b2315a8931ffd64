import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Locale } from '../i18n/languages.js';
import { Classifier } from './classifier.js';

/** Where `npm run build` writes the trained models and the server loads them from. */
export const MODEL_FILE = 'dist/nlu-model.json';

const modelFileSchema = z.object({
  version: z.literal(1),
  locales: z.record(
    z.string(),
    z.object({ intents: z.record(z.string(), z.unknown()), answers: z.record(z.string(), z.unknown()) }),
  ),
});
export type ModelFile = z.infer<typeof modelFileSchema>;

/** One language's two classifiers: what a message means, and what a reply to the warning chooses. */
export interface LanguageModels {
  intents: Classifier;
  answers: Classifier;
}

export class ModelFileError extends Error {
  override name = 'ModelFileError';
}

const loaded = new Map<string, Promise<Record<Locale, LanguageModels>>>();

/**
 * The models `npm run build` trained, read once a process (they never change while it runs); a
 * missing or damaged file says how to get a good one.
 */
export function loadModels(locales: readonly Locale[], file = MODEL_FILE): Promise<Record<Locale, LanguageModels>> {
  const key = `${file}|${locales.join(',')}`;
  let models = loaded.get(key);
  if (!models) {
    models = readModels(locales, file);
    models.catch(() => loaded.delete(key));
    loaded.set(key, models);
  }
  return models;
}

async function readModels(locales: readonly Locale[], file: string): Promise<Record<Locale, LanguageModels>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ModelFileError(`The language model ${file} is missing: run "npm run build" to train it from the corpus.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = modelFileSchema.safeParse(json);
  if (!parsed.success)
    throw new ModelFileError(`The language model ${file} is damaged: run "npm run build" to train it again.`);
  const result = {} as Record<Locale, LanguageModels>;
  for (const locale of locales) {
    const m = parsed.data.locales[locale];
    if (!m) throw new ModelFileError(`The language model ${file} has no ${locale} models: run "npm run build".`);
    result[locale] = { intents: Classifier.fromJSON(m.intents), answers: Classifier.fromJSON(m.answers) };
  }
  return result;
}
