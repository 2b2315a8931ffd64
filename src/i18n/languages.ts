import type { Lexicon } from '../nlu/lexicon.js';
import { enUS as enCatalog, type MessageKey } from './catalog.en-US.js';
import { zhCN as zhCatalog } from './catalog.zh-CN.js';
import { enUS as enLexicon } from './lexicon.en-US.js';
import { zhCN as zhLexicon } from './lexicon.zh-CN.js';

/**
 * The languages the assistant speaks: the one list. A new language is a catalog, a lexicon and a
 * corpus beside these, and an entry here (docs/ARCHITECTURE.md lists the steps).
 */
export const LOCALES = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof LOCALES)[number];

export interface Language {
  catalog: Record<MessageKey, string>;
  lexicon: Lexicon;
  /** How members name this language, in any language ("中文", "Chinese"), to ask for it. */
  names: readonly string[];
  /** What text in this language is made of, and what counts towards a sentence of it. */
  script: { pattern: RegExp; unit: 'character' | 'word' };
}

/** In the order a mixed message is attributed: Chinese characters win ("我想cancel"), rarely the reverse. */
export const LANGUAGES: Record<Locale, Language> = {
  'zh-CN': {
    catalog: zhCatalog,
    lexicon: zhLexicon,
    names: ['中文', '汉语', '普通话', '国语', '华语', '简体', '繁体', 'chinese', 'mandarin', 'zhongwen'],
    script: { pattern: /\p{Script=Han}/gu, unit: 'character' },
  },
  'en-US': {
    catalog: enCatalog,
    lexicon: enLexicon,
    names: ['english', '英文', '英语', '英語'],
    script: { pattern: /[a-z]{2,}/g, unit: 'word' },
  },
};

/** Maps whatever a channel sends (`en`, `zh-cn`, `zh-Hans-CN`, `fr-FR`) to a supported locale. */
export function toSupportedLocale(raw: string | undefined): Locale | null {
  if (!raw) return null;
  const language = raw.toLowerCase().split(/[-_]/)[0];
  return LOCALES.find((l) => l.toLowerCase().split('-')[0] === language) ?? null;
}
