import { LANGUAGES, LOCALES, type Locale } from '../i18n/languages.js';
import { normalizeText } from './normalize.js';

/** The language a message is written in, and whether it says so with a whole sentence. */
export interface WrittenLanguage {
  locale: Locale;
  /** A sentence may switch a conversation; a stray word ("ok", "VIP", "好的") never does. */
  sentence: boolean;
}

/** Three characters or words of a language make a sentence of it ("取消会员" does, "好的" does not). */
const SENTENCE = 3;
// From the start of a word only: `\S+@` tried at every character of a long word was quadratic.
const ADDRESS = /(?<!\S)\S+@\S+/g;

/**
 * The language of a message, or null when it carries none (digits, a code, emoji, an address,
 * "ok"). Languages are tried in the registry's order, so Chinese characters win over the English
 * words members mix in ("我想cancel").
 */
export function writtenLanguage(text: string): WrittenLanguage | null {
  const normalized = normalizeText(text).replace(ADDRESS, ' ');
  const whole = normalized.replace(/[\p{P}\p{S}\s]/gu, '');
  for (const locale of LOCALES) {
    const { script, lexicon } = LANGUAGES[locale];
    if (lexicon.neutralWords.includes(whole)) continue;
    const units = (normalized.match(script.pattern) ?? []).filter((u) => !lexicon.neutralWords.includes(u));
    if (units.length > 0) return { locale, sentence: units.length >= SENTENCE };
  }
  return null;
}

/** The script a text is in, to pick the model that reads it; null for digits and symbols alone. */
export function scriptOf(normalized: string): Locale | null {
  return LOCALES.find((l) => new RegExp(LANGUAGES[l].script.pattern.source, 'u').test(normalized)) ?? null;
}

/**
 * Which language a request to switch asks for: the one it names ("说中文", "English please"),
 * leaving out a name after a negation ("不要英文，要中文"); with two languages and none named,
 * the other one.
 */
export function languageAsked(text: string, current: Locale): Locale | null {
  const normalized = normalizeText(text);
  const named = LOCALES.filter((locale) =>
    LANGUAGES[locale].names.some((name) => {
      for (let at = normalized.indexOf(name); at >= 0; at = normalized.indexOf(name, at + 1)) {
        const before = normalized.slice(Math.max(0, at - 6), at);
        if (!LOCALES.some((l) => LANGUAGES[l].lexicon.negationWord.test(before))) return true;
      }
      return false;
    }),
  );
  if (named.length === 1) return named[0];
  const others = LOCALES.filter((l) => l !== current);
  return named.length === 0 && others.length === 1 ? others[0] : null;
}
