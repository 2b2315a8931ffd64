import {
  LANGUAGES,
  LOCALES,
  VARIANTS,
  languageOf,
  localeWritten,
  type Locale,
  type ReplyLocale,
} from '../i18n/languages.js';
import { normalizeText } from './normalize.js';

/** The language a message is written in, and whether it says so with a whole sentence. */
export interface WrittenLanguage {
  /** The language, or its variant when the message is in the variant's script (會員 is zh-Hant). */
  locale: ReplyLocale;
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
 * words members mix in ("我想cancel"). `plain` is the text normalised, when already at hand.
 */
export function writtenLanguage(text: string, plain = normalizeText(text)): WrittenLanguage | null {
  const normalized = plain.replace(ADDRESS, ' ');
  const whole = normalized.replace(/[\p{P}\p{S}\s]/gu, '');
  for (const locale of LOCALES) {
    const { script, lexicon } = LANGUAGES[locale];
    if (lexicon.neutralWords.includes(whole)) continue;
    const units = (normalized.match(script.pattern) ?? []).filter((u) => !lexicon.neutralWords.includes(u));
    if (units.length > 0) return { locale: localeWritten(locale, text), sentence: units.length >= SENTENCE };
  }
  return null;
}

/** The script a text is in, to pick the model that reads it; null for digits and symbols alone. */
export function scriptOf(normalized: string): Locale | null {
  return LOCALES.find((l) => new RegExp(LANGUAGES[l].script.pattern.source, 'u').test(normalized)) ?? null;
}

/** Every locale a member can ask for, with the names that ask for it. */
const NAMED: readonly { locale: ReplyLocale; names: readonly string[] }[] = [
  ...LOCALES.map((locale) => ({ locale, names: LANGUAGES[locale].names })),
  ...(Object.keys(VARIANTS) as (keyof typeof VARIANTS)[]).map((locale) => ({ locale, names: VARIANTS[locale].names })),
];

/**
 * Which language a request to switch asks for: the one it names ("说中文", "English please",
 * "繁體"), leaving out a name after a negation ("不要英文，要中文"). A variant named beside its
 * language ("繁體中文") is the variant; a member in a variant who names only the language ("中文")
 * stays in it, unless the name is of the language's own script ("简体"). With none named, the other
 * language, when there is one.
 */
export function languageAsked(text: string, current: ReplyLocale): ReplyLocale | null {
  const normalized = normalizeText(text);
  const said = (name: string) => {
    for (let at = normalized.indexOf(name); at >= 0; at = normalized.indexOf(name, at + 1)) {
      const before = normalized.slice(Math.max(0, at - 6), at);
      if (!LOCALES.some((l) => LANGUAGES[l].lexicon.negationWord.test(before))) return true;
    }
    return false;
  };
  let named = NAMED.filter(({ names }) => names.some(said)).map(({ locale }) => locale);
  named = named.filter((l) => !named.some((other) => other !== l && languageOf(other) === l));
  if (named.length === 1) {
    const [asked] = named;
    const ownScript = LANGUAGES[languageOf(current)].scriptNames?.some(said) ?? false;
    return asked === languageOf(current) && !ownScript ? current : asked;
  }
  const others = LOCALES.filter((l) => l !== languageOf(current));
  return named.length === 0 && others.length === 1 ? others[0] : null;
}
