import { ManualClock } from '../src/core/clock.js';
import { StoreWriteError } from '../src/store/storeErrors.js';
import { failingFiles } from './support/failingFiles.js';
import { createJsonApp } from './support/jsonApp.js';
import { testConfig } from './support/testConfig.js';

describe('a start that fails after the storage is open', () => {
  it('releases the data files, so the next start (once the disk has room) opens them', async () => {
    const config = testConfig();
    // The demo data is seeded first (its dates moved to that day), then started again after
    // ms-2004's cancellation takes effect, so the start's sweep has a change to write.
    const clock = new ManualClock('2026-12-01T00:00:00.000Z');
    const disk = failingFiles();
    await (await createJsonApp(config, { clock, files: disk.files })).close();
    clock.advance(60 * 86_400_000);
    // The sweep's journal line cannot be written.
    disk.fill({ only: /journal/ });
    await expect(createJsonApp(config, { clock, files: disk.files })).rejects.toBeInstanceOf(StoreWriteError);
    disk.free();
    const app = await createJsonApp(config, { clock, files: disk.files });
    expect(app.store.data.memberships.find((m) => m.id === 'ms-2004')?.status).toBe('cancelled');
    await app.close();
  });
});
