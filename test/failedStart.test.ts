import { ManualClock } from '../src/core/clock.js';
import { StoreWriteError } from '../src/store/storeErrors.js';
import { failingFiles } from './support/failingFiles.js';
import { createJsonApp } from './support/jsonApp.js';
import { testConfig } from './support/testConfig.js';

describe('a start that fails after the storage is open', () => {
  it('releases the data files, so the next start (once the disk has room) opens them', async () => {
    const config = testConfig();
    // After ms-2004's cancellation takes effect, so the start's sweep has a change to write.
    const clock = new ManualClock('2026-12-20T00:00:00.000Z');
    const disk = failingFiles();
    // The seed's first copy is written; the sweep's journal line is not.
    disk.fill({ only: /journal/ });
    await expect(createJsonApp(config, { clock, files: disk.files })).rejects.toBeInstanceOf(StoreWriteError);
    disk.free();
    const app = await createJsonApp(config, { clock, files: disk.files });
    expect(app.store.data.memberships.find((m) => m.id === 'ms-2004')?.status).toBe('cancelled');
    await app.close();
  });
});
