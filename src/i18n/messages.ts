import type { MessageKey } from './catalog.en-US.js';
import { catalogOf, type ReplyLocale } from './languages.js';

export type { MessageKey };
export type MessageParams = Record<string, string | number>;

/** The text for `key` in `locale`, with `{name}` placeholders filled from `params`. */
export function t(locale: ReplyLocale, key: MessageKey, params: MessageParams = {}): string {
  return catalogOf(locale)[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
