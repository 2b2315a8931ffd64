import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { Db } from '../../src/model/schema.js';
import { FieldCipher, PersonalDataKeyError, UnsealedFieldError } from '../../src/privacy/fieldCipher.js';
import { openDataStore } from '../../src/store/json/dataStore.js';
import { JsonRepository } from '../../src/store/json/jsonRepository.js';
import { parsePersonalDataKeys } from '../../src/store/personalDataKeys.js';
import { IndexKeyMismatchError } from '../../src/store/sealedRecords.js';
import { StoreLoadError } from '../../src/store/storeErrors.js';
import { domain, NOW, seed } from '../support/domain.js';
import { TEST_INDEX_KEY, TEST_KEY, testSealer } from '../support/sealer.js';
import { scratchDir, testConfig } from '../support/testConfig.js';

const KEY_2 = { id: 'test-2', key: Buffer.alloc(32, 9) };

/** Everything the data files hold right now (snapshot, journal and a journal being compacted). */
function onDisk(file: string): string {
  return [file, `${file}.journal`, `${file}.journal.old`]
    .filter(existsSync)
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
}

/** Every personal value of the demo data, as typed and as a look-up would lower-case it. */
const personalValues = (db: Db) =>
  db.members.flatMap((m) => [m.name, m.phone, m.phone.replace(/^\+86/, ''), m.email, m.email.toLowerCase()]);

describe('FieldCipher', () => {
  const cipher = new FieldCipher([TEST_KEY], TEST_INDEX_KEY);

  it('seals a field so that it opens only at its own place, names its key, and never holds the plain text', () => {
    const sealed = cipher.seal('张伟', 'members/m-1001/name');
    expect(sealed).toMatch(/^pd1\.test-1\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('张伟');
    expect(cipher.open(sealed, 'members/m-1001/name')).toBe('张伟');
    // The same value sealed twice differs (a fresh IV each time): equal fields cannot be spotted.
    expect(cipher.seal('张伟', 'members/m-1001/name')).not.toBe(sealed);
    // Moved to another member or another field, it does not open.
    expect(() => cipher.open(sealed, 'members/m-1002/name')).toThrow(PersonalDataKeyError);
    expect(() => cipher.open(sealed, 'members/m-1001/email')).toThrow(PersonalDataKeyError);
  });

  it('refuses a sealed field that was altered, cut short or sealed under a key it was not given, and plain text where a sealed field belongs', () => {
    const sealed = cipher.seal('+8613812345678', 'members/m-1001/phone');
    const flipped = sealed.slice(0, -3) + (sealed.at(-3) === 'A' ? 'B' : 'A') + sealed.slice(-2);
    expect(() => cipher.open(flipped, 'members/m-1001/phone')).toThrow(/does not open at members\/m-1001\/phone/);
    // Too short to hold an IV and a tag: not a sealed field at all.
    expect(() => cipher.open('pd1.test-1.AAAA', 'members/m-1001/phone')).toThrow(UnsealedFieldError);
    const other = new FieldCipher([KEY_2], TEST_INDEX_KEY).seal('x', 'p');
    expect(() => cipher.open(other, 'p')).toThrow(/key "test-2" is not among the keys this service was given/);
  });

  it('rotates: the first key seals, every key listed opens', () => {
    const old = cipher.seal('liu.yang@example.com', 'members/m-1004/email');
    const rotated = new FieldCipher([KEY_2, TEST_KEY], TEST_INDEX_KEY);
    expect(rotated.open(old, 'members/m-1004/email')).toBe('liu.yang@example.com');
    expect(rotated.seal('a', 'p')).toMatch(/^pd1\.test-2\./);
  });

  it('gives equal values of one kind equal blind indexes, and nothing else in common', () => {
    expect(cipher.index('phone', '+8613812345678')).toBe(cipher.index('phone', '+8613812345678'));
    expect(cipher.index('phone', '+8613812345678')).not.toBe(cipher.index('phone', '+8613812345679'));
    expect(cipher.index('phone', 'x')).not.toBe(cipher.index('email', 'x'));
    expect(new FieldCipher([TEST_KEY], Buffer.from('another-index-key')).index('phone', 'x')).not.toBe(
      cipher.index('phone', 'x'),
    );
  });
});

describe('PERSONAL_DATA_KEYS and PERSONAL_DATA_INDEX_KEY', () => {
  const hex = 'ab'.repeat(32);
  const base64 = Buffer.alloc(32, 3).toString('base64');

  it('reads id:key pairs, hex or base64, the first sealing', () => {
    expect(parsePersonalDataKeys(`k2:${base64}, k1:${hex}`)).toEqual([
      { id: 'k2', key: Buffer.alloc(32, 3) },
      { id: 'k1', key: Buffer.from(hex, 'hex') },
    ]);
  });

  it('stops the start in one line naming the setting, never repeating a key', () => {
    for (const [value, problem] of [
      [hex, 'pair 1 has no key id'],
      [`k1:${hex.slice(2)}`, 'key "k1" is not 32 bytes'],
      [`k1:${hex},k1:${base64}`, 'key id "k1" is listed twice'],
    ]) {
      let error: unknown;
      try {
        loadConfig({ PERSONAL_DATA_KEYS: value });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('PERSONAL_DATA_KEYS=(');
      expect(message).toContain(problem);
      expect(message).not.toContain(hex.slice(2, 20));
      expect(message).not.toContain(base64.slice(0, 20));
      expect(message.split('\n')).toHaveLength(1);
    }
  });

  it('are required in production, where a key generated beside the service would travel with it', () => {
    const production = {
      NODE_ENV: 'production',
      ALLOW_UNAUTHENTICATED: 'true',
      OTP_HASH_SECRET: 'p'.repeat(32),
    };
    expect(() => loadConfig(production)).toThrow('Invalid configuration: PERSONAL_DATA_KEYS=(unset)');
    expect(() => loadConfig({ ...production, PERSONAL_DATA_KEYS: `k1:${hex}` })).toThrow(
      'Invalid configuration: PERSONAL_DATA_INDEX_KEY=(unset)',
    );
    expect(
      loadConfig({ ...production, PERSONAL_DATA_KEYS: `k1:${hex}`, PERSONAL_DATA_INDEX_KEY: 'i'.repeat(32) })
        .PERSONAL_DATA_KEYS,
    ).toHaveLength(1);
  });
});

describe('personal data at rest in the JSON store', () => {
  it('seals the seed when the store starts: the files hold no name, phone or e-mail, and members are still found by phone and e-mail', async () => {
    const file = join(scratchDir(), 'db.json');
    const d = await domain({ store: await openDataStore(file, 'data/seed.json') });
    const text = onDisk(file);
    for (const value of personalValues(seed())) expect(text).not.toContain(value);
    expect(JSON.parse(readFileSync(file, 'utf8')).members[0]).toMatchObject({
      id: 'm-1001',
      phone: expect.stringMatching(/^pd1\.test-1\./),
      phoneIndex: expect.any(String),
    });
    // Memberships and cancellations stay readable (../shared/ARCHITECTURE.md).
    expect(text).toContain('"id":"ms-2001","memberId":"m-1001"');
    expect((await d.repo.memberByPhone('+8613812345678'))?.name).toBe('张伟');
    expect((await d.repo.memberByEmail('Emily.Carter@Example.com'))?.id).toBe('m-1006');
    await d.store.close();
  });

  it('writes nothing personal while members verify and cancel: notices, challenges and the journal stay sealed', async () => {
    const file = join(scratchDir(), 'db.json');
    const d = await domain({ store: await openDataStore(file, 'data/seed.json', 100_000) });
    const phone = { kind: 'phone', value: '+8613812345678' } as const;
    const stranger = { kind: 'phone', value: '+8613900001111' } as const;
    const sent = await d.otp.requestCode(phone, { conversationId: 'c-1' });
    await d.otp.requestCode(stranger, { conversationId: 'c-2' });
    const code = /\d{6}/.exec((await d.repo.outboxOf('m-1001'))[0].text)![0];
    expect(sent.status).toBe('sent');
    expect(await d.otp.verify((sent as { challengeId: string }).challengeId, code)).toEqual({
      status: 'verified',
      memberId: 'm-1001',
    });
    await d.memberships.cancel({ memberId: 'm-1001', membershipId: 'ms-2001', option: 'period_end', requestId: 'r-1' });
    await d.store.settled();
    const text = onDisk(file);
    expect(readFileSync(`${file}.journal`, 'utf8')).toContain('"template":"cancellation-scheduled"');
    for (const value of [...personalValues(seed()), '13900001111']) expect(text).not.toContain(value);
    // The domain still sees the plain address it must deliver to.
    expect((await d.repo.outboxOf('m-1001')).map((m) => m.to)).toEqual(['+8613812345678', '+8613812345678']);
    await d.store.close();
  });

  it('seals a file written before sealing, its journal included, on the next start, and drops challenges filed under a plain number', async () => {
    const file = join(scratchDir(), 'db.json');
    const challenge = (id: string, identifier: string) => ({
      id,
      identifier,
      memberId: 'm-1002',
      codeHash: 'h',
      issuedAt: NOW,
      expiresAt: NOW,
      failedAttempts: 0,
      state: 'open',
    });
    const filed = challenge('otp-filed', `phone:${'0'.repeat(32)}`);
    // An e-mail that starts like a sealed field is still plain text.
    const lookalike = { ...seed().members[2], email: 'pd1.john.doe@example.com' };
    writeFileSync(
      file,
      JSON.stringify({
        ...seed(),
        members: seed().members.map((m) => (m.id === lookalike.id ? lookalike : m)),
        otpChallenges: [challenge('otp-plain', '+8613900001111'), filed],
      }),
    );
    const plainMember = { ...seed().members[1], name: '李娜（改）' };
    writeFileSync(`${file}.journal`, `${JSON.stringify([{ c: 'members', v: plainMember }])}\n`);
    const store = await openDataStore(file);
    const repo = await JsonRepository.open(store, testSealer());
    await store.settled();
    for (const value of [...personalValues(seed()), '李娜（改）', '13900001111', 'john.doe'])
      expect(onDisk(file)).not.toContain(value);
    expect((await repo.memberById('m-1002'))?.name).toBe('李娜（改）');
    expect((await repo.memberById(lookalike.id))?.email).toBe('pd1.john.doe@example.com');
    expect(store.data.otpChallenges).toEqual([filed]);
    await store.close();
  });

  it('parks a notice whose address does not open, with why, and still claims the others', async () => {
    const d = await domain({ store: await openDataStore(join(scratchDir(), 'db.json'), 'data/seed.json') });
    await d.otp.requestCode({ kind: 'phone', value: '+8613812345678' });
    await d.otp.requestCode({ kind: 'email', value: 'emily.carter@example.com' });
    const [lost, fine] = d.store.data.outbox;
    // Sealed under a key this service was not given (as if PERSONAL_DATA_KEYS lost it).
    lost.to = new FieldCipher([KEY_2], TEST_INDEX_KEY).seal('+8613812345678', `outbox/${lost.id}/to`);

    const claimed = await d.repo.claimOutbox(NOW, 60_000, 10);
    expect(claimed.map((m) => [m.id, m.to])).toEqual([[fine.id, 'emily.carter@example.com']]);
    expect(d.store.data.outbox[0]).toMatchObject({
      status: 'failed',
      to: lost.to,
      lastError: expect.stringMatching(/^Personal data sealed under key "test-2" is not among the keys/),
    });
    expect(await d.repo.claimOutbox(NOW, 60_000, 10)).toEqual([]);
    await d.store.settled();
    await d.store.close();
  });

  it('re-seals under the first key after a rotation, and then needs the old key no more', async () => {
    const file = join(scratchDir(), 'db.json');
    const first = await openDataStore(file, 'data/seed.json');
    await JsonRepository.open(first, testSealer([TEST_KEY]));
    await first.close();
    expect(onDisk(file)).toContain('pd1.test-1.');

    const rotated = await openDataStore(file);
    await JsonRepository.open(rotated, testSealer([KEY_2, TEST_KEY]));
    await rotated.close();
    expect(onDisk(file)).not.toContain('pd1.test-1.');

    const after = await openDataStore(file);
    const repo = await JsonRepository.open(after, testSealer([KEY_2]));
    expect((await repo.memberByPhone('+8613812345678'))?.name).toBe('张伟');
    await after.close();
  });

  it('refuses to start on data sealed under a key it was not given, naming the key and a record, and leaves the file as it was', async () => {
    const dir = scratchDir();
    const config = testConfig({ DB_FILE: join(dir, 'db.json'), SECRETS_DIR: join(dir, 'secrets') });
    const app = await createApp(config);
    await app.close();
    const before = readFileSync(config.DB_FILE);
    const modified = statSync(config.DB_FILE).mtimeMs;

    const otherKeys = { ...config, PERSONAL_DATA_KEYS: [KEY_2], PERSONAL_DATA_INDEX_KEY: 'i'.repeat(32) };
    const refused = createApp(otherKeys);
    await expect(refused).rejects.toThrow(StoreLoadError);
    await expect(refused).rejects.toThrow(
      /record m-1001 holds personal data sealed under key "dev-[0-9a-f]{8}", which the service was not given/,
    );
    expect(readFileSync(config.DB_FILE)).toEqual(before);
    expect(statSync(config.DB_FILE).mtimeMs).toBe(modified);
  });

  it('refuses to start with another blind-index key, which would find nobody, and leaves the file as it was', async () => {
    const dir = scratchDir();
    const keys = { PERSONAL_DATA_KEYS: `k1:${'ab'.repeat(32)}`, SECRETS_DIR: join(dir, 'secrets') };
    const config = testConfig({ ...keys, DB_FILE: join(dir, 'db.json'), PERSONAL_DATA_INDEX_KEY: 'i'.repeat(32) });
    await (await createApp(config)).close();
    const before = readFileSync(config.DB_FILE);
    const refused = createApp({ ...config, PERSONAL_DATA_INDEX_KEY: 'j'.repeat(32) });
    await expect(refused).rejects.toBeInstanceOf(IndexKeyMismatchError);
    await expect(refused).rejects.toThrow(/^Member m-1001 was indexed with another PERSONAL_DATA_INDEX_KEY/);
    expect(readFileSync(config.DB_FILE)).toEqual(before);
  });

  it('generates the keys before any data is written: where they cannot be written, nothing is, not even the seed', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'not-a-directory'), '');
    const config = testConfig({ DB_FILE: join(dir, 'db.json'), SECRETS_DIR: join(dir, 'not-a-directory', 'secrets') });
    const refused = createApp(config);
    await expect(refused).rejects.toBeInstanceOf(StoreLoadError);
    await expect(refused).rejects.toThrow(/the key cannot be generated/);
    expect(existsSync(config.DB_FILE)).toBe(false);
  });

  it('generates the development keys once into SECRETS_DIR (mode 600), apart from the data, and opens its data with them after a restart', async () => {
    const dir = scratchDir();
    const secrets = join(dir, 'secrets');
    const config = testConfig({ DB_FILE: join(dir, 'data', 'db.json'), SECRETS_DIR: secrets });
    const app = await createApp(config);
    await app.close();
    for (const name of ['personal-data-key', 'personal-data-index-key']) {
      expect(statSync(join(secrets, name)).mode & 0o777).toBe(0o600);
      expect(onDisk(config.DB_FILE)).not.toContain(readFileSync(join(secrets, name), 'utf8'));
    }
    const restarted = await createApp(config);
    expect((await restarted.services.members.contact('m-1001'))?.name).toBe('张伟');
    await restarted.close();
  });
});
