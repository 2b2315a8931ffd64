import {
  daysInMonth,
  instantAt,
  isoInZone,
  isTimeZone,
  offsetMinutesAt,
  wallTimeAt,
} from '../../src/core/zonedTime.js';

const wall = (year: number, month: number, day: number, hour = 0, minute = 0) => ({
  year,
  month,
  day,
  hour,
  minute,
  second: 0,
  millisecond: 0,
});

describe('wall-clock time in an IANA time zone', () => {
  it('knows IANA names and refuses offsets and made-up zones', () => {
    expect(['Asia/Shanghai', 'America/Los_Angeles', 'UTC', 'America/Argentina/Buenos_Aires'].map(isTimeZone)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['+08:00', 'GMT+8 ', 'Mars/Olympus_Mons', '', 'Asia/../etc'].map(isTimeZone)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('reads the wall clock and the offset at an instant', () => {
    const ms = Date.parse('2027-02-28T16:00:00Z');
    expect(wallTimeAt(ms, 'Asia/Shanghai')).toEqual(wall(2027, 3, 1));
    expect(offsetMinutesAt(ms, 'Asia/Shanghai')).toBe(480);
    expect(offsetMinutesAt(Date.parse('2027-07-01T00:00:00Z'), 'America/Los_Angeles')).toBe(-420);
    expect(offsetMinutesAt(Date.parse('2027-01-01T00:00:00Z'), 'America/Los_Angeles')).toBe(-480);
  });

  it('finds the instant of a wall-clock time, across daylight saving time', () => {
    const la = 'America/Los_Angeles';
    expect(isoInZone(instantAt(wall(2027, 1, 14), la), la)).toBe('2027-01-14T00:00:00-08:00');
    expect(isoInZone(instantAt(wall(2027, 4, 14), la), la)).toBe('2027-04-14T00:00:00-07:00');
    // 02:30 on 14 March 2027 never shows in Los Angeles: as far past the gap as it was into it.
    expect(isoInZone(instantAt(wall(2027, 3, 14, 2, 30), la), la)).toBe('2027-03-14T03:30:00-07:00');
    // 01:30 on 7 November 2027 shows twice: the earlier.
    expect(isoInZone(instantAt(wall(2027, 11, 7, 1, 30), la), la)).toBe('2027-11-07T01:30:00-07:00');
  });

  it('writes an instant with the offset of its zone, milliseconds only when there are some', () => {
    expect(isoInZone(Date.parse('2028-02-29T16:00:00Z'), 'Asia/Shanghai')).toBe('2028-03-01T00:00:00+08:00');
    expect(isoInZone(Date.parse('2027-01-01T00:00:00.250Z'), 'UTC')).toBe('2027-01-01T00:00:00.250+00:00');
    expect(isoInZone(Date.parse('2027-01-01T00:00:00Z'), 'Asia/Kolkata')).toBe('2027-01-01T05:30:00+05:30');
  });

  it('counts the days of a month, leap years included', () => {
    expect([daysInMonth(2027, 2), daysInMonth(2028, 2), daysInMonth(2100, 2), daysInMonth(2027, 12)]).toEqual([
      28, 29, 28, 31,
    ]);
  });
});
