import type { Plan } from '../model/schema.js';

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(T.*)$/;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * The end of the period after one ending at `end`: a calendar month or year later, at the same
 * wall-clock time and zone; a day the shorter month lacks becomes its last (Jan 31 → Feb 28).
 */
export function nextPeriodEnd(end: string, period: Plan['period']): string {
  const m = INSTANT.exec(end);
  if (!m) throw new RangeError(`not an ISO-8601 instant: ${end}`);
  const months = period === 'year' ? 12 : 1;
  const first = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  const day = Math.min(Number(m[3]), lastDay);
  return `${pad(first.getUTCFullYear(), 4)}-${pad(first.getUTCMonth() + 1)}-${pad(day)}${m[4]}`;
}
