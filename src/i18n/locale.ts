import type { Locale } from '../config.js';

const HAN = /\p{Script=Han}/u;
const LATIN_WORD = /(?<![\w@.-])[A-Za-z]{2,}(?![\w@.-])/;
// From the start of a word only: `\S+@` tried at every character of a long word was quadratic.
const EMAIL = /(?<!\S)\S+@\S+/g;

/**
 * The language a message is written in, or null when it carries none (a number, a code, emoji).
 * Chinese characters win: people mix in English words ("我想cancel"), rarely the reverse.
 */
export function languageOf(text: string): Locale | null {
  if (HAN.test(text)) return 'zh-CN';
  if (LATIN_WORD.test(text.replace(EMAIL, ' '))) return 'en-US';
  return null;
}

/** Maps whatever a channel sends (`en`, `zh-cn`, `zh-Hans-CN`, `fr-FR`) to a supported locale. */
export function toSupportedLocale(raw: string | undefined): Locale | null {
  if (!raw) return null;
  const lower = raw.toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('en')) return 'en-US';
  return null;
}
