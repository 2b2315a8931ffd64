import type { Locale } from '../config.js';
import { normalizeText } from './normalize.js';
import type { Lexicon } from './lexicon.js';

/** The language a message is written in, and whether it says so with a whole sentence. */
export interface WrittenLanguage {
  locale: Locale;
  /** A sentence may switch a conversation; a stray word ("ok", "VIP", "好的") never does. */
  sentence: boolean;
}

const HAN = /\p{Script=Han}/gu;
// From the start of a word only: `\S+@` tried at every character of a long word was quadratic.
const ADDRESS = /(?<!\S)\S+@\S+/g;
const LATIN_WORD = /[a-z]{2,}/g;

/**
 * The language of a message, or null when it carries none (digits, a code, emoji, "ok").
 * Chinese characters win: members mix in English words ("我想cancel"), rarely the reverse.
 */
export function writtenLanguage(text: string, lexicons: Record<Locale, Lexicon>): WrittenLanguage | null {
  const normalized = normalizeText(text);
  const han = normalized.match(HAN)?.filter((c) => !lexicons['zh-CN'].neutralWords.includes(c)) ?? [];
  if (han.length > 0 && !lexicons['zh-CN'].neutralWords.includes(normalized.replace(/[\p{P}\p{S}\s]/gu, ''))) {
    return { locale: 'zh-CN', sentence: han.length >= 3 };
  }
  const words = (normalized.replace(ADDRESS, ' ').match(LATIN_WORD) ?? []).filter((w) => !lexicons['en-US'].neutralWords.includes(w));
  if (words.length > 0) return { locale: 'en-US', sentence: words.length >= 3 };
  return null;
}
