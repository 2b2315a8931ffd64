import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Locale } from '../i18n/languages.js';

export const INTENTS = [
  'cancel',
  'status',
  'checkCancelled',
  'undo',
  'refundQuestion',
  'pointsQuestion',
  'resendCode',
  'help',
  'human',
  'quit',
  'startOver',
  'switchLanguage',
  'greeting',
  'thanks',
  'exportData',
  'eraseData',
  'none',
] as const;
export const ANSWERS = ['immediate', 'periodEnd', 'offer', 'keep', 'yes', 'unsure'] as const;

const split = z.object({ train: z.array(z.string().min(1)).min(1), test: z.array(z.string().min(1)).min(1) });
const labelled = <L extends readonly [string, ...string[]]>(labels: L) =>
  z.object(Object.fromEntries(labels.map((l) => [l, split])) as { [K in L[number]]: typeof split }).strict();

/** One language's corpus: what members write, by what they mean, with a test split never trained on. */
export const corpusSchema = z.object({
  locale: z.enum(['zh-CN', 'en-US']),
  intents: labelled(INTENTS),
  answers: labelled(ANSWERS),
  /** Replies to the warning that must never be read as consent (test only). */
  nonConsent: z.array(z.string().min(1)).min(1),
  /** Messages at the code prompt and the code each holds, or null. */
  codeSentences: z.array(
    z.object({
      text: z.string().min(1),
      code: z
        .string()
        .regex(/^\d{6}$/)
        .nullable(),
    }),
  ),
});
export type Corpus = z.infer<typeof corpusSchema>;

/** The corpus file of a language, beside its catalog. */
export const corpusFile = (locale: Locale): string => `src/i18n/corpus.${locale}.json`;

export function readCorpus(locale: Locale, file = corpusFile(locale)): Corpus {
  const parsed = corpusSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new Error(
      `${file} is not a valid corpus: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  if (parsed.data.locale !== locale) throw new Error(`${file} says it is ${parsed.data.locale}, expected ${locale}.`);
  return parsed.data;
}

/** The examples of one part of the corpus, as label and text. */
export function examples(
  part: Record<string, { train: string[]; test: string[] }>,
  which: 'train' | 'test',
): { text: string; label: string }[] {
  return Object.entries(part).flatMap(([label, s]) => s[which].map((text) => ({ text, label })));
}
