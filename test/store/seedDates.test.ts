import { readFileSync } from 'node:fs';
import { ManualClock } from '../../src/core/clock.js';
import { daysBetween, seedAsOf } from '../../src/store/seedDates.js';
import { createJsonApp } from '../support/jsonApp.js';
import { testConfig } from '../support/testConfig.js';

describe('seed dates', () => {
  const asOf = '2026-11-24T02:00:00Z';
  const seed = {
    memberships: [{ id: 'ms-1', currentPeriodEnd: '2026-12-05T00:00:00-08:00', points: 10 }],
    cancellations: [{ reference: 'CX-20261118-4H7M', receivedAt: '2026-11-18T20:14:00+08:00' }],
  };

  it('counts whole calendar days from the seed to now', () => {
    expect(daysBetween(new Date('2026-11-24T02:00:00Z'), new Date('2026-11-24T23:59:00Z'))).toBe(0);
    expect(daysBetween(new Date('2026-11-24T02:00:00Z'), new Date('2027-01-02T00:30:00Z'))).toBe(39);
  });

  it('moves every date, and the day a reference names, by the days since the seed was written', () => {
    expect(seedAsOf(seed, asOf, new Date('2027-01-02T12:00:00Z'))).toEqual({
      memberships: [{ id: 'ms-1', currentPeriodEnd: '2027-01-13T00:00:00-08:00', points: 10 }],
      cancellations: [{ reference: 'CX-20261227-4H7M', receivedAt: '2026-12-27T20:14:00+08:00' }],
    });
  });

  it('keeps a seed without datesAsOf as written', () => {
    expect(seedAsOf(seed, undefined, new Date('2030-01-01T00:00:00Z'))).toEqual(seed);
  });

  it('seeds a new data file as of its first start: no period of the demo has ended', async () => {
    const config = testConfig();
    const now = new Date('2027-08-03T09:00:00Z');
    const app = await createJsonApp(config, { clock: new ManualClock(now) });
    await app.close();
    const db = JSON.parse(readFileSync(config.DB_FILE, 'utf8')) as {
      datesAsOf?: string;
      memberships: { id: string; status: string; currentPeriodEnd: string }[];
    };
    expect(db.datesAsOf).toBeUndefined();
    const running = db.memberships.filter((m) => m.status === 'active' || m.status === 'pending_cancel');
    expect(running.length).toBeGreaterThan(0);
    for (const m of running) expect(Date.parse(m.currentPeriodEnd)).toBeGreaterThan(now.getTime());
    // Emily's monthly period ended on Dec 5, 2026 as written; 252 days later it ends on Aug 14, 2027.
    expect(db.memberships.find((m) => m.id === 'ms-2007')?.currentPeriodEnd).toBe('2027-08-14T00:00:00-08:00');
  });
});
