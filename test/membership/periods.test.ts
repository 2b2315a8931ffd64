import { billingCycle, nextPeriodEnd } from '../../src/membership/periods.js';

const SHANGHAI = 'Asia/Shanghai';
const LA = 'America/Los_Angeles';

/** The period ends of a membership renewed `n` times from its first period. */
function periodEnds(first: { start: string; end: string }, period: 'month' | 'year', zone: string, n: number) {
  const m = { startedAt: first.start, currentPeriodStart: first.start, currentPeriodEnd: first.end };
  const ends: string[] = [];
  for (let i = 0; i < n; i++) {
    const end = nextPeriodEnd(m.currentPeriodEnd, period, billingCycle(m, zone));
    ends.push(end);
    m.currentPeriodStart = m.currentPeriodEnd;
    m.currentPeriodEnd = end;
  }
  return ends;
}

describe('period ends on the billing calendar', () => {
  it('renews a year after 1 March in Beijing to 1 March, whatever offset the end was stored with', () => {
    const cycle = billingCycle(
      {
        startedAt: '2024-03-01T00:00:00+08:00',
        currentPeriodStart: '2026-03-01T00:00:00+08:00',
        currentPeriodEnd: '2027-02-28T16:00:00.000Z',
      },
      SHANGHAI,
    );
    // PostgreSQL hands the instant back in UTC: 28 February 16:00. On UTC's calendar a year later is 29 February.
    expect(nextPeriodEnd('2027-02-28T16:00:00.000Z', 'year', cycle)).toBe('2028-03-01T00:00:00+08:00');
    expect(nextPeriodEnd('2027-03-01T00:00:00+08:00', 'year', cycle)).toBe('2028-03-01T00:00:00+08:00');
  });

  it('keeps the 31st: 31 January, then the end of February, then 31 March, 30 April, 31 May', () => {
    const first = { start: '2026-12-31T00:00:00+08:00', end: '2027-01-31T00:00:00+08:00' };
    expect(periodEnds(first, 'month', SHANGHAI, 4)).toEqual([
      '2027-02-28T00:00:00+08:00',
      '2027-03-31T00:00:00+08:00',
      '2027-04-30T00:00:00+08:00',
      '2027-05-31T00:00:00+08:00',
    ]);
    // The 30th the same way, through a leap February.
    const thirtieth = { start: '2027-12-30T00:00:00+08:00', end: '2028-01-30T00:00:00+08:00' };
    expect(periodEnds(thirtieth, 'month', SHANGHAI, 2)).toEqual([
      '2028-02-29T00:00:00+08:00',
      '2028-03-30T00:00:00+08:00',
    ]);
  });

  it('renews a year from 29 February to 28 February, and to 29 February again in the next leap year', () => {
    const first = { start: '2028-02-29T00:00:00+08:00', end: '2029-02-28T00:00:00+08:00' };
    expect(periodEnds(first, 'year', SHANGHAI, 3)).toEqual([
      '2030-02-28T00:00:00+08:00',
      '2031-02-28T00:00:00+08:00',
      '2032-02-29T00:00:00+08:00',
    ]);
  });

  it('keeps the wall-clock time through daylight saving time in Los Angeles; the offset moves', () => {
    const first = { start: '2027-01-14T00:00:00-08:00', end: '2027-02-14T00:00:00-08:00' };
    expect(periodEnds(first, 'month', LA, 9)).toEqual([
      '2027-03-14T00:00:00-08:00',
      '2027-04-14T00:00:00-07:00',
      '2027-05-14T00:00:00-07:00',
      '2027-06-14T00:00:00-07:00',
      '2027-07-14T00:00:00-07:00',
      '2027-08-14T00:00:00-07:00',
      '2027-09-14T00:00:00-07:00',
      '2027-10-14T00:00:00-07:00',
      '2027-11-14T00:00:00-08:00',
    ]);
    // On the day the clocks go forward, 02:30 does not exist: 03:30, the time the next period is counted from.
    const gap = { start: '2027-01-14T02:30:00-08:00', end: '2027-02-14T02:30:00-08:00' };
    expect(periodEnds(gap, 'month', LA, 2)).toEqual(['2027-03-14T03:30:00-07:00', '2027-04-14T03:30:00-07:00']);
  });

  it('refuses what is not an instant', () => {
    expect(() => nextPeriodEnd('soon', 'month', { zone: SHANGHAI, anchorDay: 1 })).toThrow(RangeError);
  });
});
