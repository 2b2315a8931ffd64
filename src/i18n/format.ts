import type { ReplyLocale } from './languages.js';
import { t } from './messages.js';

/**
 * Formatters built once per locale, zone and currency: building one costs about 0.1 ms (ICU data
 * loading), formatting with it about 1 µs, and a turn of the cancellation journey formats a dozen
 * dates and amounts (see bench/analysis.md).
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, build: () => F): F {
  let formatter = formatters.get(key) as F | undefined;
  if (!formatter) {
    formatter = build();
    formatters.set(key, formatter);
  }
  return formatter;
}

/** A count (points, days, characters) as the locale groups digits: 1,280 on the card and in every sentence alike. */
export function formatNumber(count: number, locale: ReplyLocale): string {
  return cached(`number|${locale}`, () => new Intl.NumberFormat(locale)).format(count);
}

/**
 * How a currency is named beside an amount: the bare sign ($, ¥) where it cannot be misread, the
 * full one in Hong Kong, where "$" alone is the Hong Kong dollar (US$14.99, CN¥9.00).
 */
const CURRENCY_DISPLAY: Partial<Record<ReplyLocale, 'symbol'>> = { 'zh-Hant-HK': 'symbol' };

/** Money is stored in minor units (fen, cents); this is the only place it becomes text. */
export function formatMoney(minor: number, currency: string, locale: ReplyLocale): string {
  const currencyDisplay = CURRENCY_DISPLAY[locale] ?? 'narrowSymbol';
  return cached(
    `money|${locale}|${currency}`,
    () => new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay }),
  ).format(minor / 100);
}

/**
 * How each locale writes a calendar date: 2026-03-01 on the mainland, Mar 1, 2026 in English,
 * 2026年3月1日 in Taiwan and Hong Kong alike.
 */
const DATES: Record<ReplyLocale, { tag: string; options: Intl.DateTimeFormatOptions }> = {
  'zh-CN': { tag: 'en-CA', options: { year: 'numeric', month: '2-digit', day: '2-digit' } },
  'en-US': { tag: 'en-US', options: { year: 'numeric', month: 'short', day: 'numeric' } },
  'zh-Hant': { tag: 'zh-Hant-TW', options: { year: 'numeric', month: 'long', day: 'numeric' } },
  'zh-Hant-HK': { tag: 'zh-Hant-HK', options: { year: 'numeric', month: 'long', day: 'numeric' } },
};

/** A calendar date in the member's locale, read in China Standard Time where the service runs. */
export function formatDate(iso: string | Date, locale: ReplyLocale, timeZone = 'Asia/Shanghai'): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  const { tag, options } = DATES[locale];
  return cached(`date|${locale}|${timeZone}`, () => new Intl.DateTimeFormat(tag, { timeZone, ...options })).format(
    date,
  );
}

export function formatDateTime(iso: string | Date, locale: ReplyLocale, timeZone = 'Asia/Shanghai'): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  const time = cached(
    `time|${timeZone}`,
    () => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }),
  ).format(date);
  return `${formatDate(date, locale, timeZone)} ${time}`;
}

/** A price with its period, as a member compares prices: "¥9.00/月", "$9.99/month". */
export function formatPrice(minor: number, currency: string, period: 'month' | 'year', locale: ReplyLocale): string {
  return t(locale, `price.${period}`, { price: formatMoney(minor, currency, locale) });
}
