import { inLocale, type ReplyLocale } from './languages.js';
import type { Cancellation } from '../model/schema.js';
import { formatMoney } from './format.js';
import { t } from './messages.js';
import { tCount } from './plural.js';

export interface Forfeited {
  points: number;
  couponCount: number;
  /** The coupons' total value, already formatted as money. */
  couponValue: string;
  tier: string;
}

/** What a member loses, naming only what they have: "1,280 points, 2 coupons worth ¥50.00, and your Gold status". */
/** One ListFormat per locale, built once (src/i18n/format.ts says why). */
const listFormats = new Map<ReplyLocale, Intl.ListFormat>();

export function forfeitList(locale: ReplyLocale, f: Forfeited): string {
  const items: string[] = [];
  if (f.points > 0) items.push(tCount(locale, 'forfeit.points', f.points));
  if (f.couponCount > 0) items.push(tCount(locale, 'forfeit.coupons', f.couponCount, { value: f.couponValue }));
  items.push(t(locale, 'forfeit.tier', { tier: f.tier }));
  let list = listFormats.get(locale);
  if (!list) {
    list = new Intl.ListFormat(locale, { type: 'conjunction' });
    listFormats.set(locale, list);
  }
  return list.format(items);
}

/** {@link forfeitList} for a cancellation on record. */
export function cancellationForfeits(locale: ReplyLocale, c: Cancellation): string {
  const coupons = c.forfeited.coupons;
  const couponValue = formatMoney(
    coupons.reduce((sum, x) => sum + x.value, 0),
    c.currency,
    locale,
  );
  return forfeitList(locale, {
    points: c.forfeited.points,
    couponCount: coupons.length,
    couponValue,
    tier: inLocale(c.forfeited.tier, locale),
  });
}
