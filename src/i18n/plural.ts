import type { ReplyLocale } from './languages.js';
import { formatNumber } from './format.js';
import { t, type MessageKey, type MessageParams } from './messages.js';

/** Keys that come in a `.one` and an `.other` form ("1 try left", "2 tries left"). */
export type CountedKey = { [K in MessageKey]: K extends `${infer Base}.one` ? Base : never }[MessageKey];

/** One PluralRules per locale: building one costs as much as a hundred uses (src/i18n/format.ts). */
const pluralRules = new Map<ReplyLocale, Intl.PluralRules>();

/** The form of `base` that `count` takes in `locale` (Intl.PluralRules), with `{count}` filled in. */
export function tCount(locale: ReplyLocale, base: CountedKey, count: number, params: MessageParams = {}): string {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  const form = rules.select(count) === 'one' ? 'one' : 'other';
  return t(locale, `${base}.${form}` as MessageKey, { ...params, count: formatNumber(count, locale) });
}

/** How long until `until`, in words: seconds under a minute, whole minutes (rounded up) beyond. */
export function formatWait(locale: ReplyLocale, from: Date, until: Date): string {
  const seconds = Math.max(1, Math.ceil((until.getTime() - from.getTime()) / 1000));
  return seconds < 60
    ? tCount(locale, 'time.seconds', seconds)
    : tCount(locale, 'time.minutes', Math.ceil(seconds / 60));
}
