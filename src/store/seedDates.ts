import { readFile } from 'node:fs/promises';

/**
 * Demo data that never goes stale: a seed's dates are written as of one moment (`datesAsOf`), and
 * a new store moves every date by the whole days from that moment to its own first start, so each
 * day the demo tells the same story (a period with the same days left, an undo still open).
 */

const DAY_MS = 86_400_000;
/** An ISO-8601 instant as the schema stores them: the calendar date, then the time and zone. */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}.*)$/;
/** A cancellation reference names the day it was received (referenceNumber.ts). */
const REFERENCE = /^CX-(\d{4})(\d{2})(\d{2})-([0-9A-Z]{4})$/;

/** Whole calendar days (UTC) from `asOf` to `now`; negative when the seed is dated in the future. */
export function daysBetween(asOf: Date, now: Date): number {
  const day = (d: Date) => Math.floor(d.getTime() / DAY_MS);
  return day(now) - day(asOf);
}

function addDays(year: string, month: string, day: string, days: number): Date {
  return new Date(Date.UTC(Number(year), Number(month) - 1, Number(day) + days));
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The same wall-clock time and zone `days` later (or earlier). */
function movedText(text: string, days: number): string {
  const instant = INSTANT.exec(text);
  if (instant) {
    const d = addDays(instant[1], instant[2], instant[3], days);
    return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}${instant[4]}`;
  }
  const reference = REFERENCE.exec(text);
  if (reference) {
    const d = addDays(reference[1], reference[2], reference[3], days);
    return `CX-${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${reference[4]}`;
  }
  return text;
}

function moved(value: unknown, days: number): unknown {
  if (typeof value === 'string') return movedText(value, days);
  if (Array.isArray(value)) return value.map((item) => moved(item, days));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, moved(item, days)]));
  }
  return value;
}

/**
 * The seed's records as of `now`: every date (and the day in each cancellation reference) moved by
 * the whole days since `asOf`. Without `asOf` the seed is kept as written.
 */
export function seedAsOf<T>(records: T, asOf: string | undefined, now: Date): T {
  if (!asOf || Number.isNaN(Date.parse(asOf))) return records;
  return moved(records, daysBetween(new Date(asOf), now)) as T;
}

/** The moment a seed file's dates are written as of (its top-level `datesAsOf`), if it says. */
export async function seedDatesAsOf(seedFile: string): Promise<string | undefined> {
  const seed = JSON.parse(await readFile(seedFile, 'utf8')) as { datesAsOf?: unknown };
  return typeof seed.datesAsOf === 'string' ? seed.datesAsOf : undefined;
}
