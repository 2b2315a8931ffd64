import { daysInMonth, instantAt, isoInZone, wallTimeAt } from '../core/zonedTime.js';
import type { Membership, Plan } from '../model/schema.js';

/**
 * Where a membership's periods fall: the billing calendar's zone and the day of the month they end
 * on (clamped to a shorter month's last day, never moved by it).
 */
export interface BillingCycle {
  zone: string;
  anchorDay: number;
}

const dayOf = (iso: string, zone: string) => wallTimeAt(Date.parse(iso), zone).day;

/**
 * The cycle of a membership on the calendar of `zone`. Its periods end on the day of the month the
 * current one ends on; when that is its month's last day, a shorter month may have cut it short, so
 * the day the membership or its current period started on counts if later (started on 31 January:
 * 28 February, then 31 March; a yearly one from 29 February ends on 28 February, then 29 February
 * again in a leap year).
 */
export function billingCycle(
  m: Pick<Membership, 'startedAt' | 'currentPeriodStart' | 'currentPeriodEnd'>,
  zone: string,
): BillingCycle {
  const end = wallTimeAt(Date.parse(m.currentPeriodEnd), zone);
  if (end.day < daysInMonth(end.year, end.month)) return { zone, anchorDay: end.day };
  const anchorDay = Math.max(end.day, dayOf(m.startedAt, zone), dayOf(m.currentPeriodStart, zone));
  return { zone, anchorDay };
}

/**
 * The end of the period after one ending at `end`: a calendar month or year later on the cycle's
 * calendar, on its anchor day (or the month's last day when shorter), at the same wall-clock time
 * there, written with the zone's offset on that date (so daylight saving time moves the offset,
 * not the hour).
 */
export function nextPeriodEnd(end: string, period: Plan['period'], cycle: BillingCycle): string {
  const ms = Date.parse(end);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO-8601 instant: ${end}`);
  const wall = wallTimeAt(ms, cycle.zone);
  const months = wall.year * 12 + (wall.month - 1) + (period === 'year' ? 12 : 1);
  const year = Math.floor(months / 12);
  const month = (months % 12) + 1;
  const day = Math.min(cycle.anchorDay, daysInMonth(year, month));
  return isoInZone(instantAt({ ...wall, year, month, day }, cycle.zone), cycle.zone);
}
