import { readFileSync, writeFileSync } from 'node:fs';
import { ManualClock } from '../../src/core/clock.js';
import { DemoResetError, resetDemo } from '../../src/devtools/demoReset.js';
import { StoreLockedError } from '../../src/store/storeErrors.js';
import { createJsonApp } from '../support/jsonApp.js';
import { testConfig } from '../support/testConfig.js';

type Stored = { memberships: { id: string; status: string; currentPeriodEnd: string }[] };
const stored = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Stored;

describe('demo reset', () => {
  it('reseeds the data as of now, dropping what the demo changed', async () => {
    const config = testConfig();
    const app = await createJsonApp(config, { clock: new ManualClock('2026-11-24T02:00:00Z') });
    await app.repository.transact(async (tx) => {
      tx.put('memberships', { ...(await tx.membership('ms-2001'))!, status: 'cancelled' });
    });
    await app.close();
    writeFileSync(`${config.STATE_FILE}.journal`, 'left over\n');

    const message = await resetDemo(config, new ManualClock('2027-03-10T09:00:00Z'));

    expect(message).toContain('2027-03-10');
    const db = stored(config.DB_FILE);
    expect(db.memberships.find((m) => m.id === 'ms-2001')?.status).toBe('active');
    // Emily's period, written to end 11 days after the seed's date, ends 11 days after the reset.
    expect(db.memberships.find((m) => m.id === 'ms-2007')?.currentPeriodEnd).toBe('2027-03-21T00:00:00-08:00');
  });

  it('refuses while a bot holds the data file', async () => {
    const config = testConfig();
    const app = await createJsonApp(config);
    await expect(resetDemo(config)).rejects.toThrow(StoreLockedError);
    await app.close();
  });

  it('refuses on PostgreSQL, saying what to do instead', async () => {
    const config = { ...testConfig(), DATABASE_URL: 'postgres://127.0.0.1:1/none' };
    await expect(resetDemo(config)).rejects.toThrow(DemoResetError);
  });
});
