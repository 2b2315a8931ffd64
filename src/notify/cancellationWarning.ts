import { formatDate, formatMoney, formatPrice } from '../i18n/format.js';
import { forfeitList } from '../i18n/forfeits.js';
import { inLocale, type ReplyLocale } from '../i18n/languages.js';
import { t } from '../i18n/messages.js';
import type { CancellationQuote } from '../membership/refundQuote.js';
import type { CancelOption, Plan } from '../model/schema.js';

/** A choice at the warning and its label. */
export interface CancelOptionTitle {
  decision: CancelOption | 'offer' | 'keep';
  title: string;
}

/** The real choices, each with its consequence in the label; "keep" is always there. */
export function cancelOptionTitles(quote: CancellationQuote, l: ReplyLocale): CancelOptionTitle[] {
  const money = (minor: number) => formatMoney(minor, quote.currency, l);
  const list: CancelOptionTitle[] = [];
  for (const o of quote.options) {
    list.push(
      o.option === 'period_end'
        ? {
            decision: 'period_end',
            title: quote.renewalDue
              ? t(l, 'cancel.option.renewalDue')
              : t(l, 'cancel.option.periodEnd', { date: formatDate(o.effectiveAt, l) }),
          }
        : { decision: 'immediate', title: t(l, 'cancel.option.immediate', { refund: money(o.refund) }) },
    );
  }
  if (quote.retentionOffer) {
    list.push({
      decision: 'offer',
      title: t(l, 'cancel.option.offer', {
        plan: inLocale(quote.retentionOffer.name, l),
        price: offerPrice(quote.retentionOffer, l),
      }),
    });
  }
  list.push({ decision: 'keep', title: t(l, 'cancel.option.keep') });
  return list;
}

/** The warning: what ends when, the refund and fee, what is forfeited; all before anything changes. */
export function cancelWarning(quote: CancellationQuote, l: ReplyLocale): string {
  const lines = [t(l, 'cancel.warning.title', { plan: inLocale(quote.planName, l) })];
  lines.push(...optionLines(quote, l));
  if (quote.options.length === 1 && !quote.renewalDue) lines.push(t(l, 'cancel.warning.noImmediate'));
  const f = quote.forfeited;
  lines.push(forfeitLine(quote, l));
  // Advice only about what the member has.
  const advice =
    f.points > 0 && f.coupons.length > 0
      ? 'both'
      : f.points > 0
        ? 'points'
        : f.coupons.length > 0
          ? 'coupons'
          : undefined;
  if (advice) lines.push(t(l, `cancel.warning.advice.${advice}`));
  if (quote.retentionOffer)
    lines.push(
      t(l, 'cancel.warning.offer', {
        plan: inLocale(quote.retentionOffer.name, l),
        price: offerPrice(quote.retentionOffer, l),
      }),
    );
  lines.push(t(l, 'cancel.warning.ask'));
  return lines.join('\n');
}

/** Each option's line of the warning: when benefits end, the refund and the fee. */
export function optionLines(quote: CancellationQuote, l: ReplyLocale): string[] {
  const money = (minor: number) => formatMoney(minor, quote.currency, l);
  return quote.options.map((o) =>
    o.option === 'period_end'
      ? quote.renewalDue
        ? t(l, 'cancel.warning.renewalDue')
        : t(l, 'cancel.warning.periodEnd', { date: formatDate(o.effectiveAt, l) })
      : o.fee > 0
        ? t(l, 'cancel.warning.immediate', { refund: money(o.refund), fee: money(o.fee) })
        : t(l, 'cancel.warning.immediateNoFee', { refund: money(o.refund) }),
  );
}

/** What ending the membership forfeits: points, coupons, tier. */
export function forfeitLine(quote: CancellationQuote, l: ReplyLocale): string {
  const f = quote.forfeited;
  const items = forfeitList(l, {
    points: f.points,
    couponCount: f.coupons.length,
    couponValue: formatMoney(f.couponTotal, quote.currency, l),
    tier: inLocale(f.tier, l),
  });
  return t(l, 'cancel.warning.forfeit', { items });
}

/** The retention offer's price with its period. */
function offerPrice(offer: Plan, l: ReplyLocale): string {
  return formatPrice(offer.price, offer.currency, offer.period, l);
}
