import { Writable } from 'node:stream';
import pg from 'pg';
import { createApp, type App } from '../../src/app.js';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { createLogger } from '../../src/log.js';
import { FieldCipher, PersonalDataKeyError } from '../../src/privacy/fieldCipher.js';
import { JsonStateStorage } from '../../src/store/jsonStateStorage.js';
import { PostgresStateStorage } from '../../src/store/postgres/postgresStateStorage.js';
import { SealedStateStorage } from '../../src/store/sealedStateStorage.js';
import type { StateTextStorage } from '../../src/store/stateTextStorage.js';
import { createJsonApp } from '../support/jsonApp.js';
import { migratedDatabase } from '../support/postgresSchema.js';
import { testConfig } from '../support/testConfig.js';
import { PG_KEY, PG_KEY_SETTINGS, rawQuery, seededDatabase } from './postgresFixture.js';

const NOW = '2026-11-24T02:00:00.000Z';
const DAY = 24 * 3600 * 1000;
const KEY = 'emulator/conversations/lost';
/** A key the service is not given: what it sealed does not open (a key dropped too early). */
const GONE = new FieldCipher([{ id: 'gone-1', key: Buffer.alloc(32, 9) }], Buffer.from('x'.repeat(32)));
const cipher = () => new FieldCipher([PG_KEY], Buffer.from('x'.repeat(32)));
const chose = { conversationData: { localeChosen: true } };
const worthKeeping = (value: Record<string, unknown>) =>
  (value.conversationData as { localeChosen?: boolean } | undefined)?.localeChosen === true;

/** Where a test hears what was set aside. */
function listener() {
  const told: { key: string; err: unknown }[] = [];
  return { told, tell: (key: string, err: unknown) => told.push({ key, err }) };
}

/** The error lines an app logged, parsed. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger('error', { destination }) };
}

/** `key`'s state sealed under a key the service lacks, written straight to the engine. */
async function unopenable(inner: StateTextStorage, key = KEY): Promise<string> {
  await new SealedStateStorage(inner, GONE).write({ [key]: { ...chose, eTag: '*' } });
  return (await inner.readText(key))!.json;
}

/** The purge's contract, on either engine: what does not open is set aside and told, never thrown. */
async function purgesAroundWhatDoesNotOpen(inner: StateTextStorage & PurgingStorage, clock: ManualClock) {
  const sealed = new SealedStateStorage(inner, cipher());
  const kept = await unopenable(inner);
  await sealed.write({ 'emulator/conversations/fine': { ...chose, eTag: '*' } });
  clock.advance(DAY + 1);
  const { told, tell } = listener();

  await expect(inner.purgeIdle(sealed.judgingOpened(worthKeeping), tell)).resolves.toBe(0);
  expect(told).toEqual([{ key: KEY, err: expect.any(PersonalDataKeyError) }]);
  expect(await inner.readText(KEY)).toBeUndefined();
  expect((await inner.readText(`set-aside/${KEY}`))!.json).toBe(kept);
  expect(await sealed.readText('emulator/conversations/fine')).toMatchObject({ json: JSON.stringify(chose) });

  // Never judged again; deleted with the rest once idle for the whole period.
  await expect(inner.purgeIdle(sealed.judgingOpened(worthKeeping), tell)).resolves.toBe(0);
  expect(told).toHaveLength(1);
  clock.advance(30 * DAY + 1);
  await expect(inner.purgeIdle(sealed.judgingOpened(worthKeeping), tell)).resolves.toBe(2);
  expect(await inner.readText(`set-aside/${KEY}`)).toBeUndefined();
}

interface PurgingStorage {
  purgeIdle(
    worthKeeping: (value: Record<string, unknown>, key: string) => boolean,
    onSetAside: (key: string, err: unknown) => void,
  ): Promise<number>;
}

describe('a conversation state that does not open', () => {
  it('is set aside when a turn reads it: the conversation starts from nothing, the sealed text is kept, and the listener told', async () => {
    const inner = await JsonStateStorage.open(null, new ManualClock(NOW), 30);
    const { told, tell } = listener();
    const sealed = new SealedStateStorage(inner, cipher(), tell);
    const kept = await unopenable(inner);

    expect(await sealed.readText(KEY)).toBeUndefined();
    expect(told).toEqual([{ key: KEY, err: expect.any(PersonalDataKeyError) }]);
    expect(await inner.readText(KEY)).toBeUndefined();
    expect((await inner.readText(`set-aside/${KEY}`))!.json).toBe(kept);
    // The conversation writes its new state where the old one was.
    await sealed.writeText(KEY, '{"fresh":true}', null);
    expect((await sealed.readText(KEY))!.json).toBe('{"fresh":true}');

    // Through the Storage interface too (the web page's history reads so).
    await unopenable(inner, 'webchat/history/wc-1');
    expect(await sealed.read(['webchat/history/wc-1', KEY])).toEqual({
      [KEY]: { fresh: true, eTag: expect.any(String) },
    });
    expect(told.map((t) => t.key)).toEqual([KEY, 'webchat/history/wc-1']);
  });

  it('is set aside by the idle purge of the state file, which goes on; kept until the idle period ends', async () => {
    const clock = new ManualClock(NOW);
    await purgesAroundWhatDoesNotOpen(await JsonStateStorage.open(null, clock, 30), clock);
  });

  it('is set aside by the idle purge on PostgreSQL, which goes on; kept until the idle period ends', async () => {
    const pool = new pg.Pool({ connectionString: await migratedDatabase(), max: 2 });
    try {
      const clock = new ManualClock(NOW);
      await purgesAroundWhatDoesNotOpen(new PostgresStateStorage(pool, clock, 30), clock);
    } finally {
      await pool.end();
    }
  });

  it('does not stop a start a day later on the JSON store: the log names it and where it was set aside', async () => {
    const config = testConfig(PG_KEY_SETTINGS);
    const clock = new ManualClock(NOW);
    const before = await JsonStateStorage.open(config.STATE_FILE, clock, config.STATE_IDLE_DAYS);
    const kept = await unopenable(before);
    await before.close();
    clock.advance(DAY + 1);
    const { lines, logger } = capture();

    const app = await createJsonApp(config, { clock, logger, random: seededRandom(5) });
    await app.close();
    expect(lines).toEqual([
      expect.objectContaining({
        key: KEY,
        setAsideAs: `set-aside/${KEY}`,
        err: expect.objectContaining({ type: 'PersonalDataKeyError' }),
        msg: 'a conversation state that cannot be opened was set aside; its conversation starts again',
      }),
    ]);
    const after = await JsonStateStorage.open(config.STATE_FILE, clock, config.STATE_IDLE_DAYS);
    expect(await after.readText(KEY)).toBeUndefined();
    expect((await after.readText(`set-aside/${KEY}`))!.json).toBe(kept);
    await after.close();
  });

  describe('on PostgreSQL', () => {
    let url: string;
    let app: App | undefined;
    afterEach(async () => {
      await app?.close();
      app = undefined;
    });

    const open = (clock: ManualClock, logger = capture().logger) =>
      createApp(testConfig({ DATABASE_URL: url, ...PG_KEY_SETTINGS }), { clock, logger, random: seededRandom(5) });
    const rows = () =>
      rawQuery<{ key: string; worth_keeping: boolean | null }>(
        url,
        'SELECT key, worth_keeping FROM conversation_state ORDER BY key',
      );

    it('does not stop an instance starting a day later; the log names it', async () => {
      url = await seededDatabase();
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      const written = new ManualClock(NOW);
      await unopenable(new PostgresStateStorage(pool, written, 30)).finally(() => pool.end());
      const { lines, logger } = capture();

      app = await open(new ManualClock(new Date(written.now().getTime() + DAY + 1).toISOString()), logger);
      expect(lines).toEqual([expect.objectContaining({ key: KEY, setAsideAs: `set-aside/${KEY}` })]);
      expect(await rows()).toEqual([{ key: `set-aside/${KEY}`, worth_keeping: true }]);
    });

    it('lets the web page go on when its history does not open: the message is answered, the history set aside', async () => {
      url = await seededDatabase();
      const { lines, logger } = capture();
      app = await open(new ManualClock(NOW), logger);
      const started = await app.webChat.start({ locale: 'en-US' });
      if (!started.ok) throw new Error(started.error);
      const { conversationId, token } = started.value;
      const historyKey = `webchat/history/${conversationId}`;
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      await unopenable(new PostgresStateStorage(pool, new ManualClock(NOW), 30), historyKey).finally(() => pool.end());

      const claims = await app.webChat.authorize(`Bearer ${token}`, conversationId);
      if (!claims.ok) throw new Error(claims.error);
      const posted = await app.webChat.post(claims.value, { type: 'message', text: 'help', locale: 'en-US' });
      const roles = posted.ok ? posted.value.activities.map((a) => a.from?.role) : [];
      expect(roles).toEqual(['user', ...roles.slice(1).map(() => 'bot')]);
      expect(roles.length).toBeGreaterThan(1);
      // The conversation starts again from nothing: its welcome, then the message and the replies.
      expect(await app.webChat.history(claims.value)).toHaveLength(1 + roles.length);
      expect(lines).toEqual([expect.objectContaining({ key: historyKey })]);
      expect((await rows()).map((r) => r.key)).toContain(`set-aside/${historyKey}`);
    });
  });
});
