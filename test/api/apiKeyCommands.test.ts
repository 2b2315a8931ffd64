import { ApiKeyUsageError, runApiKeyCommand } from '../../src/api/apiKeyCommands.js';
import { ApiKeyService, UnknownApiKeyError } from '../../src/api/apiKeyService.js';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { createJsonApp } from '../support/jsonApp.js';
import { testConfig } from '../support/testConfig.js';

describe('npm run api:key', () => {
  async function keys() {
    const clock = new ManualClock('2026-11-24T02:00:00.000Z');
    const app = await createJsonApp(testConfig(), { clock, random: seededRandom(3), deliverOnCommit: false });
    return { app, service: new ApiKeyService(app.repository, clock, seededRandom(11)) };
  }

  it('creates a key shown once on its own last line, stored as a hash with its scopes', async () => {
    const { app, service } = await keys();
    const out = await runApiKeyCommand(['create', '--scope', 'read,cancel', '--label', 'support desk'], service);
    const token = out.split('\n').pop()!;
    expect(token).toMatch(/^ak_[0-9a-f]{12}_[0-9a-f]{48}$/);
    const [stored] = app.store.data.apiKeys;
    expect(stored).toMatchObject({ id: token.slice(0, 15), scopes: ['read', 'cancel'], label: 'support desk' });
    expect(JSON.stringify(app.store.data)).not.toContain(token.slice(16));
    expect((await service.authenticate(token))?.id).toBe(stored.id);
    expect(await runApiKeyCommand(['list'], service)).toMatch(new RegExp(`^${stored.id}  read,cancel  .* live`));
    await app.close();
  });

  it('rotates (the old key stops, the new one has its scopes) and revokes', async () => {
    const { app, service } = await keys();
    const old = (await runApiKeyCommand(['create', '--scope', 'read'], service)).split('\n').pop()!;
    const fresh = (await runApiKeyCommand(['rotate', old.slice(0, 15)], service)).split('\n').pop()!;
    expect(await service.authenticate(old)).toBeUndefined();
    expect((await service.authenticate(fresh))?.scopes).toEqual(['read']);
    await runApiKeyCommand(['revoke', fresh.slice(0, 15)], service);
    expect(await service.authenticate(fresh)).toBeUndefined();
    const types = (await app.repository.auditEntries()).map((e) => e.type);
    expect(types).toEqual(['api.key.created', 'api.key.created', 'api.key.rotated', 'api.key.revoked']);
    await app.close();
  });

  it('refuses unknown scopes, commands and keys with a message to act on', async () => {
    const { app, service } = await keys();
    await expect(runApiKeyCommand(['create', '--scope', 'read,admin'], service)).rejects.toThrow(ApiKeyUsageError);
    await expect(runApiKeyCommand(['create'], service)).rejects.toThrow(/--scope/);
    await expect(runApiKeyCommand(['revoke', 'ak_000000000000'], service)).rejects.toThrow(UnknownApiKeyError);
    await expect(runApiKeyCommand(['frobnicate'], service)).rejects.toThrow(/usage: npm run api:key/);
    await app.close();
  });
});
