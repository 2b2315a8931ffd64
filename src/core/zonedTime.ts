/** A wall-clock date and time in some time zone; `month` 1–12. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** An IANA name ("Asia/Shanghai", "America/Los_Angeles", "UTC"), not an offset such as "+08:00". */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True for an IANA time zone name this runtime knows. */
export function isTimeZone(name: string): boolean {
  if (!ZONE_NAME.test(name)) return false;
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time in `zone` at the instant `ms`. */
export function wallTimeAt(ms: number, zone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(ms)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const { year, month, day, hour, minute, second } = parts;
  return { year, month, day, hour, minute, second, millisecond: ((ms % 1000) + 1000) % 1000 };
}

const asUtc = (w: WallTime) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond);

/** Minutes `zone` is ahead of UTC at the instant `ms`. */
export function offsetMinutesAt(ms: number, zone: string): number {
  return Math.round((asUtc(wallTimeAt(ms, zone)) - ms) / 60_000);
}

/**
 * The instant the wall clock in `zone` reads `wall`. A time the clocks skip (spring forward) is
 * read with the offset before the change, so it lands as far past the gap as it was into it; a
 * time they show twice (fall back) is the earlier one, as Temporal's "compatible" disambiguation does.
 */
export function instantAt(wall: WallTime, zone: string): number {
  const local = asUtc(wall);
  const before = offsetMinutesAt(local - 86_400_000, zone);
  const after = offsetMinutesAt(local + 86_400_000, zone);
  const candidates = [local - before * 60_000, local - after * 60_000];
  const exact = candidates.filter((ms) => asUtc(wallTimeAt(ms, zone)) === local);
  return exact.length ? Math.min(...exact) : local - before * 60_000;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The instant `ms` as ISO-8601 with the offset `zone` has then (`2028-03-01T00:00:00+08:00`). */
export function isoInZone(ms: number, zone: string): string {
  const w = wallTimeAt(ms, zone);
  const offset = offsetMinutesAt(ms, zone);
  const sign = offset < 0 ? '-' : '+';
  const fraction = w.millisecond ? `.${pad(w.millisecond, 3)}` : '';
  return (
    `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${fraction}` +
    `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
  );
}

/** The number of days in a month of the proleptic Gregorian calendar (`month` 1–12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
