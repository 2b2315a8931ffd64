import { LOCALES, REPLY_LOCALES, type Locale, type ReplyLocale } from '../model/locales.js';
import type { Lexicon } from './lexicon.js';
import { enUS as enCatalog, type MessageKey } from './catalog.en-US.js';
import { zhCN as zhCatalog } from './catalog.zh-CN.js';
import { zhHant as zhHantCatalog } from './catalog.zh-Hant.js';
import { zhHantHK as zhHantHKCatalog } from './catalog.zh-Hant-HK.js';
import { enUS as enLexicon } from './lexicon.en-US.js';
import { zhCN as zhLexicon } from './lexicon.zh-CN.js';
import { isTraditional, toHongKong, toTraditional } from './traditional.js';

// The list sits with the data model, which the schema checks stored locales against.
export { LOCALES, REPLY_LOCALES, type Locale, type ReplyLocale } from '../model/locales.js';

type VariantLocale = Exclude<ReplyLocale, Locale>;

export interface Variant {
  of: Locale;
  catalog: () => Record<MessageKey, string>;
  /** A text of the language (a plan's name in the data) as the variant writes it. */
  convert: (text: string) => string;
  /** Whether a message of the language is written in the variant's script. */
  writtenIn: (text: string) => boolean;
  /** How members name the variant, in any language, to ask for it. */
  names: readonly string[];
  /** What channels call it (BCP 47 tags, lower case): zh-TW and zh-HK are answered in traditional script. */
  tags: readonly string[];
  /** A regional usage of another variant: reached by its tags, not offered as a script of its own. */
  regionOf?: VariantLocale;
}

export const VARIANTS: Record<VariantLocale, Variant> = {
  'zh-Hant': {
    of: 'zh-CN',
    catalog: zhHantCatalog,
    convert: toTraditional,
    writtenIn: isTraditional,
    names: ['繁体', '正体', 'traditional chinese'],
    tags: ['zh-hant', 'zh-tw'],
  },
  // Hong Kong and Macau: the same script, their own words (電郵, 短訊, 私隱) and money (US$).
  'zh-Hant-HK': {
    of: 'zh-CN',
    catalog: zhHantHKCatalog,
    convert: toHongKong,
    writtenIn: isTraditional,
    names: ['香港繁体', '港式中文', '香港中文'],
    tags: ['zh-hant-hk', 'zh-hant-mo', 'zh-hk', 'zh-mo'],
    regionOf: 'zh-Hant',
  },
};

/** The languages and their scripts, without regional usages: what a message for everyone is written in once each. */
export const WRITTEN_LOCALES: readonly ReplyLocale[] = REPLY_LOCALES.filter(
  (l) => !(l in VARIANTS) || !VARIANTS[l as VariantLocale].regionOf,
);

const isVariant = (locale: ReplyLocale): locale is VariantLocale => locale in VARIANTS;

/** The language a locale is read in: itself, or the language a variant writes. */
export const languageOf = (locale: ReplyLocale): Locale => (isVariant(locale) ? VARIANTS[locale].of : locale);

/** The catalog replies in `locale` come from. */
export const catalogOf = (locale: ReplyLocale): Record<MessageKey, string> =>
  isVariant(locale) ? VARIANTS[locale].catalog() : LANGUAGES[locale].catalog;

/** A text held in each language (a plan's name) as `locale` writes it. */
export function inLocale(texts: Readonly<Record<Locale, string>>, locale: ReplyLocale): string {
  return isVariant(locale) ? VARIANTS[locale].convert(texts[VARIANTS[locale].of]) : texts[locale];
}

/** The variant of `locale` a message is written in (Chinese in traditional characters), else `locale`. */
export function localeWritten(locale: Locale, text: string): ReplyLocale {
  return (
    (Object.keys(VARIANTS) as VariantLocale[]).find((v) => VARIANTS[v].of === locale && VARIANTS[v].writtenIn(text)) ??
    locale
  );
}

export interface Language {
  catalog: Record<MessageKey, string>;
  lexicon: Lexicon;
  /** How members name this language, in any language ("中文", "Chinese"), to ask for it. */
  names: readonly string[];
  /** Names of the script this language is written in ("简体"), which ask for it over a variant of it. */
  scriptNames?: readonly string[];
  /** What text in this language is made of, and what counts towards a sentence of it. */
  script: { pattern: RegExp; unit: 'character' | 'word' };
}

/** In the order a mixed message is attributed: Chinese characters win ("我想cancel"), rarely the reverse. */
export const LANGUAGES: Record<Locale, Language> = {
  'zh-CN': {
    catalog: zhCatalog,
    lexicon: zhLexicon,
    names: ['中文', '汉语', '普通话', '国语', '华语', '简体', 'chinese', 'mandarin', 'zhongwen'],
    scriptNames: ['简体', 'simplified'],
    script: { pattern: /\p{Script=Han}/gu, unit: 'character' },
  },
  'en-US': {
    catalog: enCatalog,
    lexicon: enLexicon,
    names: ['english', '英文', '英语', '英語'],
    script: { pattern: /[a-z]{2,}/g, unit: 'word' },
  },
};

/**
 * Maps whatever a channel sends (`en`, `zh-cn`, `zh-Hans-CN`, `zh-TW`, `zh-Hant-HK`, `fr-FR`) to a
 * supported locale: a variant's tags first, then the language.
 */
export function toSupportedLocale(raw: string | undefined): ReplyLocale | null {
  if (!raw) return null;
  const known = SUPPORTED.get(raw);
  if (known !== undefined) return known;
  const supported = supportedLocaleOf(raw);
  // Channels send few tags, but a client may send any: the memo stays small.
  if (SUPPORTED.size >= KNOWN_TAGS) SUPPORTED.clear();
  SUPPORTED.set(raw, supported);
  return supported;
}

/** Every turn asks for its language many times (each text it renders): the tags seen are remembered. */
const SUPPORTED = new Map<string, ReplyLocale | null>();
const KNOWN_TAGS = 64;

function supportedLocaleOf(raw: string): ReplyLocale | null {
  const tag = raw.toLowerCase().replace(/_/g, '-');
  // The longest tag that fits wins: zh-Hant-HK is Hong Kong's, though it begins like zh-Hant.
  const fits = (t: string) => tag === t || tag.startsWith(`${t}-`);
  const variant = (Object.keys(VARIANTS) as VariantLocale[])
    .flatMap((v) => VARIANTS[v].tags.filter(fits).map((t) => ({ v, length: t.length })))
    .sort((a, b) => b.length - a.length)[0]?.v;
  if (variant) return variant;
  const language = tag.split('-')[0];
  return LOCALES.find((l) => l.toLowerCase().split('-')[0] === language) ?? null;
}
