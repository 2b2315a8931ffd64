import { renewalPrice } from '../src/membership/renewalPrice.js';
import { CardFactory, type Attachment } from 'botbuilder';
import { inLocale, type ReplyLocale } from '../src/i18n/languages.js';
import { formatDate, formatDateTime, formatMoney, formatNumber, formatPrice } from '../src/i18n/format.js';
import { t } from '../src/i18n/messages.js';
import type { MembershipView, SentReminder } from '../src/membership/membershipService.js';

export interface Fact {
  title: string;
  value: string;
}

export function statusText(view: MembershipView, locale: ReplyLocale): string {
  const m = view.membership;
  if (m.status === 'active' && m.graceUntil)
    return t(locale, 'status.grace', { date: formatDate(m.graceUntil, locale) });
  if (view.renewalDue) return t(locale, 'status.renewalDue');
  return m.status === 'pending_cancel'
    ? t(locale, 'status.pending_cancel', { date: formatDate(m.effectiveAt ?? m.currentPeriodEnd, locale) })
    : t(locale, `status.${m.status}`);
}

/** The next-charge row: when and how much auto-renewal charges next, due now, or nothing. */
function nextChargeText(view: MembershipView, locale: ReplyLocale): string {
  const { membership: m, plan } = view;
  if (view.nextCharge) {
    const { at, amount, currency } = view.nextCharge;
    return t(locale, 'fact.nextChargeValue', {
      date: formatDate(at, locale),
      price: formatMoney(amount, currency, locale),
    });
  }
  if (view.renewalDue && m.autoRenew)
    return t(locale, 'fact.nextChargeDue', { price: formatMoney(renewalPrice(m, plan), plan.currency, locale) });
  const running = m.status === 'active' || m.status === 'pending_cancel';
  return t(locale, running ? 'fact.nextChargeOff' : 'fact.none');
}

/** The answer to "did you remind me?": each running membership's reminders from the outbox's record, or when one will come. */
export function remindersAnswer(views: MembershipView[], sent: SentReminder[], locale: ReplyLocale): string {
  const running = views.filter((v) => v.membership.status === 'active' || v.membership.status === 'pending_cancel');
  const mentioned = views.filter((v) => running.includes(v) || sent.some((r) => r.membershipId === v.membership.id));
  if (mentioned.length === 0) return t(locale, 'status.remindedNothing');
  return mentioned
    .map((v) => {
      const plan = inLocale(v.plan.name, locale);
      const last = sent.filter((r) => r.membershipId === v.membership.id).at(-1);
      if (last)
        return t(locale, last.delivered ? 'status.reminded' : 'status.remindedQueued', {
          plan,
          date: formatDateTime(last.at, locale),
          channel: t(locale, `privacy.channel.${last.channel}`),
        });
      if (v.nextCharge) return t(locale, 'status.remindedNotYet', { plan, date: formatDate(v.nextCharge.at, locale) });
      return t(locale, 'status.remindedNone', { plan });
    })
    .join('\n');
}

/** The answer to "when will I be charged next, and how much?": one line a membership that could charge. */
export function nextChargeAnswer(views: MembershipView[], locale: ReplyLocale): string {
  const running = views.filter((v) => v.membership.status === 'active' || v.membership.status === 'pending_cancel');
  if (running.length === 0) return t(locale, 'status.nextChargeNothing');
  return running
    .map((v) => {
      const plan = inLocale(v.plan.name, locale);
      const price = formatMoney(renewalPrice(v.membership, v.plan), v.plan.currency, locale);
      if (v.nextCharge)
        return t(locale, 'status.nextCharge', { plan, price, date: formatDate(v.nextCharge.at, locale) });
      if (v.renewalDue && v.membership.autoRenew) return t(locale, 'status.nextChargeDue', { plan, price });
      return t(locale, 'status.nextChargeOff', { plan });
    })
    .join('\n');
}

/** The facts a member sees about one membership, the same on every channel. */
export function membershipFacts(view: MembershipView, locale: ReplyLocale): Fact[] {
  const { membership: m, plan } = view;
  const money = (minor: number) => formatMoney(minor, plan.currency, locale);
  const facts: Fact[] = [
    { title: t(locale, 'fact.tier'), value: inLocale(plan.tier, locale) },
    { title: t(locale, 'fact.status'), value: statusText(view, locale) },
    {
      title: t(locale, 'fact.period'),
      value: `${formatDate(m.currentPeriodStart, locale)} – ${formatDate(m.currentPeriodEnd, locale)}`,
    },
    {
      title: t(locale, 'fact.remaining'),
      value: view.renewalDue ? t(locale, 'fact.renewalDue') : formatNumber(view.remainingDays, locale),
    },
    { title: t(locale, 'fact.autoRenew'), value: t(locale, m.autoRenew ? 'fact.on' : 'fact.off') },
    { title: t(locale, 'fact.nextCharge'), value: nextChargeText(view, locale) },
    { title: t(locale, 'fact.price'), value: formatPrice(m.pricePaid, plan.currency, plan.period, locale) },
    { title: t(locale, 'fact.points'), value: formatNumber(m.points, locale) },
    {
      title: t(locale, 'fact.coupons'),
      value: view.coupons.count
        ? t(locale, 'fact.couponsValue', {
            count: view.coupons.count,
            value: money(view.coupons.total),
            date: formatDate(view.coupons.nearestExpiry!, locale),
          })
        : t(locale, 'fact.none'),
    },
  ];
  if (view.cancellation) {
    const c = view.cancellation;
    facts.push(
      { title: t(locale, 'fact.reference'), value: c.reference },
      { title: t(locale, 'fact.effective'), value: formatDate(c.effectiveAt, locale) },
      {
        title: t(locale, 'fact.refund'),
        value: c.refund ? formatMoney(c.refund, c.currency, locale) : t(locale, 'fact.none'),
      },
    );
  }
  return facts;
}

/** An Adaptive Card with the plan as its title and the facts as a FactSet. */
export function factsCard(title: string, facts: Fact[]): Attachment {
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.3',
    body: [
      { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'FactSet', facts },
    ],
  });
}

/** The same facts as text, for channels without cards. */
export function factsText(title: string, facts: Fact[], locale: ReplyLocale): string {
  return [title, ...facts.map((f) => t(locale, 'fact.line', { title: f.title, value: f.value }))].join('\n');
}
