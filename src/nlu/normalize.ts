import { LANGUAGES, LOCALES } from '../i18n/languages.js';
import { toSimplified } from '../i18n/traditional.js';
import { RomanizedReader } from './romanized.js';

const ROMANIZED = LOCALES.flatMap((l) => {
  const romanized = LANGUAGES[l].lexicon.romanized;
  return romanized ? [new RomanizedReader(romanized)] : [];
});

/** Pictographs, their joiners and variation selectors: decoration, unless a lexicon gives one a meaning. */
const EMOJI = /\p{Extended_Pictographic}|\u{FE0F}|\u{200D}|[\u{1F3FB}-\u{1F3FF}]/gu;
/** The pictographs the lexicons' words and patterns name (👍 a yes, 💸 a price): the only ones kept. */
const MEANINGFUL = new Set(LOCALES.flatMap((l) => pictographsIn(LANGUAGES[l].lexicon)));

function pictographsIn(lexicon: object): string[] {
  const text = JSON.stringify(lexicon, (_key, value: unknown) => (value instanceof RegExp ? value.source : value));
  return text.match(/\p{Extended_Pictographic}/gu) ?? [];
}

/**
 * One form for every way of writing the same words: NFKC (full-width letters and digits become
 * ASCII, ？ stays a question mark), traditional characters as simplified, lower case, curly
 * apostrophes straight, emoji gone but those the lexicons read, runs of white space as one space, and a message typed in pinyin
 * as its characters (romanized.ts). Punctuation stays: a question mark is a signal, not noise.
 */
export function normalizeText(text: string): string {
  const nfkc = text.normalize('NFKC');
  const simplified = toSimplified(nfkc);
  const plain = simplified
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(EMOJI, (emoji) => (MEANINGFUL.has(emoji) ? ` ${emoji} ` : ' '))
    .replace(/\s+/g, ' ')
    .trim();
  for (const reader of ROMANIZED) {
    const characters = reader.characters(plain);
    if (characters) return characters;
  }
  return plain;
}
