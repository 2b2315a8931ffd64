import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { createApp, type App } from '../../src/app.js';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { createLogger, type Logger } from '../../src/log.js';
import { FieldCipher, PersonalDataKeyError } from '../../src/privacy/fieldCipher.js';
import { JsonStateStorage } from '../../src/store/json/jsonStateStorage.js';
import { runDbCommand } from '../../src/store/postgres/dbCommands.js';
import { PostgresStateStorage } from '../../src/store/postgres/postgresStateStorage.js';
import { SealedStateStorage, StateResealer } from '../../src/store/sealedStateStorage.js';
import type { StateTextStorage } from '../../src/store/stateTextStorage.js';
import { createJsonApp } from '../support/jsonApp.js';
import { migratedDatabase } from '../support/postgresSchema.js';
import { scratchDir, testConfig } from '../support/testConfig.js';
import { NEXT_KEY, PG_KEY, PG_KEY_SETTINGS, pgKeys, rawQuery, seededDatabase } from './postgres/postgresFixture.js';
import { seedDocument } from './repositoryContract.js';

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

/** The lines an app logged at `level` and above, parsed. */
function capture(level = 'error') {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger(level, { destination }) };
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

/** PERSONAL_DATA_KEYS naming `keys`, the first sealing. */
const keySetting = (...keys: { id: string; key: Buffer }[]) =>
  keys.map(({ id, key }) => `${id}:${key.toString('hex')}`).join(',');
const ROTATED = keySetting(NEXT_KEY, PG_KEY);
const RENEWED = keySetting(NEXT_KEY);

/** The state file and its journal as they are on disk. */
const stateOnDisk = (file: string) =>
  [file, `${file}.journal`]
    .filter(existsSync)
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');

/** A page conversation that has said hello: its id, its token, and the history the member sees. */
async function openedPage(app: App) {
  const started = await app.webChat.start({ locale: 'en-US' });
  if (!started.ok) throw new Error(started.error);
  const { conversationId, token } = started.value;
  const claims = await app.webChat.authorize(`Bearer ${token}`, conversationId);
  if (!claims.ok) throw new Error(claims.error);
  await app.webChat.post(claims.value, { type: 'message', text: 'hello', locale: 'en-US' });
  return { conversationId, token, history: await app.webChat.history(claims.value) };
}

/** What the page opened in `page` shows when loaded again on `app`. */
async function reloaded(app: App, page: { conversationId: string; token: string }) {
  const claims = await app.webChat.authorize(`Bearer ${page.token}`, page.conversationId);
  if (!claims.ok) throw new Error(claims.error);
  return app.webChat.history(claims.value);
}

/** With the old key dropped, the page opened before the rotation shows its whole conversation, and nothing warns. */
async function expectShownWithTheNewKeyOnly(
  open: (logger: Logger) => Promise<App>,
  page: { conversationId: string; token: string; history: unknown[] },
): Promise<void> {
  const { lines, logger } = capture('warn');
  const after = await open(logger);
  try {
    expect(await reloaded(after, page)).toEqual(page.history);
    expect(page.history.length).toBeGreaterThan(1);
    expect(lines).toEqual([]);
  } finally {
    await after.close();
  }
}

describe('StateResealer', () => {
  const rotated = new FieldCipher([NEXT_KEY, PG_KEY], Buffer.from('x'.repeat(32)));
  const renewed = new FieldCipher([NEXT_KEY], Buffer.from('x'.repeat(32)));
  const stored = (by: FieldCipher, place: string) => JSON.stringify({ sealed: by.seal('{"a":1}', place) });

  it('seals again under the current key what an earlier key given opens, plain states too, a state set aside at its conversation place', () => {
    const resealer = new StateResealer(rotated);
    const earlier = resealer.reseal(KEY, stored(cipher(), `state/${KEY}`))!;
    const aside = resealer.reseal(`set-aside/${KEY}`, stored(cipher(), `state/${KEY}`))!;
    const plain = resealer.reseal(KEY, '{"a":1}')!;
    for (const json of [earlier, aside, plain]) {
      const { sealed } = JSON.parse(json) as { sealed: string };
      expect(sealed).toMatch(/^pd1\.pg-2\./);
      expect(renewed.open(sealed, `state/${KEY}`)).toBe('{"a":1}');
    }
    expect(resealer.reseal(KEY, earlier)).toBeUndefined();
    expect(resealer.unopened()).toEqual({ states: 0, keyIds: [] });
  });

  it('leaves what no key given opens as it is, and names its key; states set aside are left out of what the start reports', () => {
    const resealer = new StateResealer(renewed);
    expect(resealer.reseal(KEY, stored(GONE, `state/${KEY}`))).toBeUndefined();
    expect(resealer.reseal(`set-aside/${KEY}`, stored(cipher(), `state/${KEY}`))).toBeUndefined();
    expect(resealer.unopened()).toEqual({ states: 2, keyIds: ['gone-1', 'pg-1'] });
    expect(resealer.unopened(true)).toEqual({ states: 1, keyIds: ['gone-1'] });
    expect(resealer.checked).toBe(1);
  });
});

describe('the documented key rotation (new key first, re-seal, drop the old key)', () => {
  it('leaves no state under the old key on the JSON store: a page opened before it still shows its conversation', async () => {
    const dir = scratchDir();
    const clock = new ManualClock(NOW);
    const open = (keys: string, logger = capture('warn').logger) =>
      createJsonApp(
        testConfig({
          ...PG_KEY_SETTINGS,
          PERSONAL_DATA_KEYS: keys,
          DB_FILE: join(dir, 'db.json'),
          STATE_FILE: join(dir, 'state.json'),
          SECRETS_DIR: join(dir, 'secrets'),
          WEBCHAT_TOKEN_SECRET: 'w'.repeat(32),
        }),
        { clock, logger, random: seededRandom(7) },
      );
    const before = await open(PG_KEY_SETTINGS.PERSONAL_DATA_KEYS);
    const page = await openedPage(before);
    await before.close();
    const stateFile = join(dir, 'state.json');
    expect(stateOnDisk(stateFile)).toContain('pd1.pg-1.');

    await (await open(ROTATED)).close();
    expect(stateOnDisk(stateFile)).not.toContain('pd1.pg-1.');
    expect(stateOnDisk(stateFile)).toContain('pd1.pg-2.');

    await expectShownWithTheNewKeyOnly((logger) => open(RENEWED, logger), page);
    expect(stateOnDisk(stateFile)).not.toContain('set-aside/');
  });

  it('leaves no state row under the old key after db:reseal on PostgreSQL: a page opened before it still shows its conversation', async () => {
    const url = await seededDatabase();
    const clock = new ManualClock(NOW);
    const open = (keys: string, logger = capture('warn').logger) =>
      createApp(
        testConfig({
          DATABASE_URL: url,
          ...PG_KEY_SETTINGS,
          PERSONAL_DATA_KEYS: keys,
          WEBCHAT_TOKEN_SECRET: 'w'.repeat(32),
        }),
        { clock, logger, random: seededRandom(7) },
      );
    const before = await open(PG_KEY_SETTINGS.PERSONAL_DATA_KEYS);
    const page = await openedPage(before);
    await before.close();
    const states = () => rawQuery<{ key: string; state: string }>(url, 'SELECT key, state FROM conversation_state');
    const written = (await states()).length;
    expect(written).toBeGreaterThan(1);
    // A state set aside earlier under a key nobody has any more: left, and said so.
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    await new PostgresStateStorage(pool, clock, 30)
      .writeText(`set-aside/${KEY}`, JSON.stringify({ sealed: GONE.seal('{}', `state/${KEY}`) }), null)
      .finally(() => pool.end());

    expect(await runDbCommand(['reseal'], url, pgKeys([NEXT_KEY, PG_KEY]))).toBe(
      `Sealed ${seedDocument().members.length} members, 0 notices and ${written} conversation states again under key "pg-2" (500 rows a transaction); every row is now sealed under it but 1 conversation states under "gone-1", which no key in PERSONAL_DATA_KEYS opens: left as they are, their conversations start again.`,
    );
    expect((await states()).filter((row) => !row.state.startsWith('{"sealed":"pd1.pg-2.'))).toEqual([
      { key: `set-aside/${KEY}`, state: expect.stringMatching(/^\{"sealed":"pd1\.gone-1\./) },
    ]);

    await expectShownWithTheNewKeyOnly((logger) => open(RENEWED, logger), page);
  });
});

describe('the start-up key check of the conversation state', () => {
  const reported = (states: number, checked: number, which: string) =>
    expect.objectContaining({
      level: 40,
      states,
      keyIds: ['gone-1'],
      msg: `${states} of ${checked} conversation states checked (${which}) are sealed under key "gone-1", which no key in PERSONAL_DATA_KEYS opens: those conversations start again, each state set aside when read; to keep them, add that key after the current one and restart`,
    });

  it('reports, in one line naming the setting, states no key given opens in the state file; the start goes on', async () => {
    const config = testConfig(PG_KEY_SETTINGS);
    const clock = new ManualClock(NOW);
    const file = await JsonStateStorage.open(config.STATE_FILE, clock, config.STATE_IDLE_DAYS);
    const kept = await unopenable(file);
    await new SealedStateStorage(file, cipher()).write({ 'emulator/conversations/fine': { ...chose, eTag: '*' } });
    await file.close();
    const { lines, logger } = capture('warn');

    const app = await createJsonApp(config, { clock, logger, random: seededRandom(5) });
    await app.close();
    expect(lines).toEqual([reported(1, 2, 'all')]);
    const after = await JsonStateStorage.open(config.STATE_FILE, clock, config.STATE_IDLE_DAYS);
    expect((await after.readText(KEY))!.json).toBe(kept);
    await after.close();
  });

  describe('on PostgreSQL', () => {
    let app: App | undefined;
    afterEach(async () => {
      await app?.close();
      app = undefined;
    });

    it('reports, in one line naming the setting, a newest state no key given opens; the start goes on', async () => {
      const url = await seededDatabase();
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      const written = new ManualClock(NOW);
      const rows = new PostgresStateStorage(pool, written, 30);
      await new SealedStateStorage(rows, cipher()).write({ 'emulator/conversations/fine': { ...chose, eTag: '*' } });
      written.advance(1000);
      const kept = await unopenable(rows).finally(() => pool.end());
      const { lines, logger } = capture('warn');

      app = await createApp(testConfig({ DATABASE_URL: url, ...PG_KEY_SETTINGS }), {
        clock: written,
        logger,
        random: seededRandom(5),
      });
      expect(lines).toEqual([reported(1, 1, 'the newest')]);
      expect(await rawQuery(url, 'SELECT state FROM conversation_state WHERE key = $1', [KEY])).toEqual([
        { state: kept },
      ]);
    });
  });
});

describe('a conversation state between its turns', () => {
  const opens = (c: FieldCipher) => jest.spyOn(c, 'open');

  it('is sealed when written and not opened again when the next turn finds it stored as written', async () => {
    const inner = await JsonStateStorage.open(null, new ManualClock(NOW), 30);
    const c = cipher();
    const open = opens(c);
    const sealed = new SealedStateStorage(inner, c);

    const eTag = await sealed.writeText(KEY, '{"turn":1}', null);
    expect((await inner.readText(KEY))!.json).toMatch(/^\{"sealed":"pd1\./);
    expect(await sealed.readText(KEY)).toEqual({ eTag, json: '{"turn":1}' });
    await sealed.write({ [KEY]: { turn: 2, eTag } });
    expect(await sealed.read([KEY])).toEqual({ [KEY]: { turn: 2, eTag: expect.any(String) } });
    expect(open).not.toHaveBeenCalled();
    // Another service over the same store opens it once, then knows it too.
    const other = new SealedStateStorage(inner, c);
    expect((await other.readText(KEY))!.json).toBe('{"turn":2}');
    expect((await other.readText(KEY))!.json).toBe('{"turn":2}');
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('is opened again when stored as other text: written by another instance, or altered and set aside', async () => {
    const inner = await JsonStateStorage.open(null, new ManualClock(NOW), 30);
    const { told, tell } = listener();
    const c = cipher();
    const here = new SealedStateStorage(inner, c, tell);
    const there = new SealedStateStorage(inner, c);
    const eTag = await here.writeText(KEY, '{"turn":1}', null);

    await there.writeText(KEY, '{"turn":2}', eTag);
    expect((await here.readText(KEY))!.json).toBe('{"turn":2}');

    const stored = (await inner.readText(KEY))!;
    const at = stored.json.length - 12;
    const altered = `${stored.json.slice(0, at)}${stored.json[at] === 'A' ? 'B' : 'A'}${stored.json.slice(at + 1)}`;
    await inner.writeText(KEY, altered, stored.eTag);
    expect(await here.readText(KEY)).toBeUndefined();
    expect(told).toEqual([{ key: KEY, err: expect.any(PersonalDataKeyError) }]);
    expect((await inner.readText(`set-aside/${KEY}`))!.json).toBe(altered);
  });
});
