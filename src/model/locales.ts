/**
 * The languages the assistant reads and speaks: the one list. A new language is a catalog, a
 * lexicon and a corpus in src/i18n, and an entry here and in its languages.ts (docs/ARCHITECTURE.md lists the steps).
 */
export const LOCALES = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof LOCALES)[number];

/**
 * Every locale a reply is written in: the languages, and their variants, which are a language
 * written in another script. A variant is read as its language, so it needs no lexicon, corpus or model of its own.
 */
export const REPLY_LOCALES = [...LOCALES, 'zh-Hant', 'zh-Hant-HK'] as const;
export type ReplyLocale = (typeof REPLY_LOCALES)[number];
