import type { ReplyLocale } from '../model/locales.js';
import type { Jurisdiction, Member, Membership, Plan } from '../model/schema.js';
import { billingCycle, type BillingCycle } from './periods.js';

/**
 * A market's billing calendar, for memberships stored without one. The EU spans several zones, so
 * it names none and the member's language decides.
 */
const ZONE_OF_MARKET: Record<Jurisdiction, string | undefined> = {
  CN: 'Asia/Shanghai',
  'US-CA': 'America/Los_Angeles',
  'US-MA': 'America/New_York',
  'US-NY': 'America/New_York',
  EU: undefined,
  DE: 'Europe/Berlin',
};

/** The calendar of a member's language, the last resort. */
const ZONE_OF_LOCALE: Record<ReplyLocale, string> = {
  'zh-CN': 'Asia/Shanghai',
  'zh-Hant': 'Asia/Taipei',
  'zh-Hant-HK': 'Asia/Hong_Kong',
  'en-US': 'America/New_York',
};

/**
 * The time zone whose calendar a membership's periods are counted on: its own `timeZone`, else
 * its market's (the member's notice policy, else the plan's), else its member's language's. Never
 * the offset an instant was stored with: PostgreSQL keeps instants, not offsets, and a fixed
 * offset would not follow daylight saving time, so both engines reach the same answer.
 */
export function billingTimeZone(
  m: Pick<Membership, 'timeZone'>,
  member: Pick<Member, 'reminderPolicy' | 'locale'>,
  plan: Pick<Plan, 'reminderPolicy'>,
): string {
  const market = member.reminderPolicy ?? plan.reminderPolicy;
  return m.timeZone ?? (market && ZONE_OF_MARKET[market]) ?? ZONE_OF_LOCALE[member.locale];
}

/** The billing cycle of a membership, on its billing calendar (periods.ts). */
export function cycleOf(
  m: Pick<Membership, 'timeZone' | 'startedAt' | 'currentPeriodStart' | 'currentPeriodEnd'>,
  member: Pick<Member, 'reminderPolicy' | 'locale'>,
  plan: Pick<Plan, 'reminderPolicy'>,
): BillingCycle {
  return billingCycle(m, billingTimeZone(m, member, plan));
}
