import type { Locale } from './languages.js';
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

/** Money is stored in minor units (fen, cents); this is the only place it becomes text. */
export function formatMoney(minor: number, currency: string, locale: Locale): string {
  return cached(
    `money|${locale}|${currency}`,
    () => new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }),
  ).format(minor / 100);
}

/** A calendar date in the member's locale, read in China Standard Time where the service runs. */
export function formatDate(iso: string | Date, locale: Locale, timeZone = 'Asia/Shanghai'): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  if (locale === 'zh-CN')
    return cached(
      `date|zh-CN|${timeZone}`,
      () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
    ).format(date);
  return cached(
    `date|en-US|${timeZone}`,
    () => new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'short', day: 'numeric' }),
  ).format(date);
}

export function formatDateTime(iso: string | Date, locale: Locale, timeZone = 'Asia/Shanghai'): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  const time = cached(
    `time|${timeZone}`,
    () => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }),
  ).format(date);
  return `${formatDate(date, locale, timeZone)} ${time}`;
}

/** A price with its period, as a member compares prices: "¥9.00/月", "$9.99/month". */
export function formatPrice(minor: number, currency: string, period: 'month' | 'year', locale: Locale): string {
  return t(locale, `price.${period}`, { price: formatMoney(minor, currency, locale) });
}
