import { JURISDICTIONS, type Jurisdiction, type Member, type Plan } from '../model/schema.js';

export type { Jurisdiction };
/** A notice before a monthly renewal, before a yearly one, or before the first charge at a new price. */
export type NoticeKind = 'month' | 'year' | 'price';
const KINDS: readonly NoticeKind[] = ['month', 'year', 'price'];

interface Bounds {
  min: number;
  max: number;
}

/**
 * The days before the event each jurisdiction's law lets a notice be sent. China: at least 5 days
 * before each automatic renewal. California: a reminder before a yearly renewal, a price change
 * 7–30 days ahead. Massachusetts: 5–30 days before renewals of terms longer than a month. New York:
 * notice before a price increase (kept to California's 7–30). The EU and Germany set no period: the
 * product's own 5–30. Every renewal is reminded everywhere; the law only narrows when.
 */
const LEGAL: Record<Jurisdiction, Record<NoticeKind, Bounds>> = {
  CN: { month: { min: 5, max: 30 }, year: { min: 5, max: 30 }, price: { min: 5, max: 30 } },
  'US-CA': { month: { min: 5, max: 30 }, year: { min: 5, max: 30 }, price: { min: 7, max: 30 } },
  'US-MA': { month: { min: 5, max: 30 }, year: { min: 5, max: 30 }, price: { min: 5, max: 30 } },
  'US-NY': { month: { min: 5, max: 30 }, year: { min: 5, max: 30 }, price: { min: 7, max: 30 } },
  EU: { month: { min: 5, max: 30 }, year: { min: 5, max: 30 }, price: { min: 5, max: 30 } },
  DE: { month: { min: 5, max: 30 }, year: { min: 5, max: 30 }, price: { min: 5, max: 30 } },
};

/** Days before a price change's first charge its notice is sent, where the setting names none. */
export const DEFAULT_PRICE_NOTICE_DAYS = 14;

/** The notice periods in force: days for each jurisdiction and kind, and whose apply when no one is named. */
export interface ReminderPolicy {
  fallback: Jurisdiction;
  days: Readonly<Record<Jurisdiction, Readonly<Record<NoticeKind, number>>>>;
}

/** The defaults: `CN` when no one is named, renewal reminders as the plan-period settings say. */
export function defaultReminderPolicy(
  renewal: { month: number; year: number } = { month: 7, year: 15 },
): ReminderPolicy {
  const days = Object.fromEntries(
    JURISDICTIONS.map((j) => [j, { month: renewal.month, year: renewal.year, price: DEFAULT_PRICE_NOTICE_DAYS }]),
  ) as Record<Jurisdiction, Record<NoticeKind, number>>;
  return { fallback: 'CN', days };
}

/** What the REMINDER_POLICY setting may hold, for the message that refuses a value. */
export const REMINDER_POLICY_FORMAT =
  'comma-separated entries default=<jurisdiction> or <jurisdiction>:<month|year|price>=<days>, ' +
  `jurisdictions ${JURISDICTIONS.join(', ')}, e.g. default=US-CA,US-CA:price=21`;

/**
 * The policy with the setting's changes over `base`: a problem (a sentence) when an entry names an
 * unknown jurisdiction or kind, or days outside what that jurisdiction's law allows.
 */
export function parseReminderPolicy(spec: string, base: ReminderPolicy): ReminderPolicy | string {
  let fallback = base.fallback;
  const days = Object.fromEntries(JURISDICTIONS.map((j) => [j, { ...base.days[j] }])) as Record<
    Jurisdiction,
    Record<NoticeKind, number>
  >;
  for (const entry of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const fallbackEntry = /^default=(.+)$/.exec(entry);
    if (fallbackEntry) {
      if (!isJurisdiction(fallbackEntry[1])) return `unknown jurisdiction "${fallbackEntry[1]}"`;
      fallback = fallbackEntry[1];
      continue;
    }
    const m = /^([A-Z-]+):([a-z]+)=(\d{1,3})$/.exec(entry);
    if (!m) return `"${entry}" is not <jurisdiction>:<month|year|price>=<days>`;
    const [, jurisdiction, kind, value] = m;
    if (!isJurisdiction(jurisdiction)) return `unknown jurisdiction "${jurisdiction}"`;
    if (!KINDS.includes(kind as NoticeKind)) return `unknown notice "${kind}" (month, year or price)`;
    const { min, max } = LEGAL[jurisdiction][kind as NoticeKind];
    const n = Number(value);
    if (n < min || n > max) return `${jurisdiction} ${kind} notices are sent ${min}–${max} days ahead, not ${n}`;
    days[jurisdiction][kind as NoticeKind] = n;
  }
  return { fallback, days };
}

const isJurisdiction = (s: string): s is Jurisdiction => (JURISDICTIONS as readonly string[]).includes(s);

/** Whose law applies: the member's market, else the plan's, else the policy's fallback. */
export function jurisdictionOf(
  member: Pick<Member, 'reminderPolicy'>,
  plan: Pick<Plan, 'reminderPolicy'>,
  policy: ReminderPolicy,
): Jurisdiction {
  return member.reminderPolicy ?? plan.reminderPolicy ?? policy.fallback;
}

/** The latest a price change's notice may go out and still count: its jurisdiction's minimum. */
export const minimumPriceNoticeDays = (jurisdiction: Jurisdiction): number => LEGAL[jurisdiction].price.min;
