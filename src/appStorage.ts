import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Storage } from 'botbuilder';
import type { Config } from './config.js';
import type { Clock } from './core/clock.js';
import { InMemoryRateLimiter, type RateLimiter } from './core/rateLimiter.js';
import { InProcessTurnLock, type TurnLock } from './core/turnLock.js';
import type { Logger } from './log.js';
import type { Repository } from './model/repository.js';
import { dbSchema, type Db } from './model/schema.js';
import { loadDataStore } from './store/json/dataStore.js';
import { JsonRepository } from './store/json/jsonRepository.js';
import { JsonStateStorage } from './store/json/jsonStateStorage.js';
import { JsonStore } from './store/json/jsonStore.js';
import type { FieldCipher } from './privacy/fieldCipher.js';
import type { PersonalDataKeys } from './store/personalDataKeys.js';
import { firstMissingKey, RecordSealer, storedDbSchema, type StoredDb } from './store/sealedRecords.js';
import { SealedStateStorage, StateResealer } from './store/sealedStateStorage.js';
import { seedAsOf, seedDatesAsOf } from './store/seedDates.js';
import { setAsideKey, type SetAsideListener } from './store/stateTextStorage.js';
import { StoreLoadError } from './store/storeErrors.js';
import { databaseLocation } from './store/postgres/databaseUrl.js';
import { openPostgres } from './store/postgres/openPostgres.js';
import { PostgresRateLimiter } from './store/postgres/postgresRateLimiter.js';
import { PostgresStateStorage } from './store/postgres/postgresStateStorage.js';
import { PostgresTurnLock } from './store/postgres/postgresTurnLock.js';
import type { StoreFiles } from './store/storeFiles.js';
import { warnIfLarge } from './store/json/storeSizeWarning.js';
import { stateKeyOfTurnLock } from './turnLockMiddleware.js';

/** Which store the configuration names, for the start-up line: the JSON file or the database, never a password. */
export function storeInUse(config: Pick<Config, 'DATABASE_URL' | 'DB_FILE'>): string {
  return config.DATABASE_URL
    ? `PostgreSQL at ${databaseLocation(config.DATABASE_URL)}`
    : `the JSON file ${config.DB_FILE}`;
}

export interface StorageOverrides {
  /** "memory" loads the seed into memory and never touches DB_FILE (tests, benchmarks). */
  db?: 'file' | 'memory';
  /** Replaces the engine's conversation state, e.g. with botbuilder's MemoryStorage in tests. */
  stateStorage?: Storage;
  /** The data files' file operations (tests inject writes that fail, as on a full disk). */
  files?: StoreFiles;
}

/**
 * Everything the app keeps, on the engine the configuration names: the port the composition root
 * builds on, whichever engine is behind it.
 */
export interface AppStorage {
  /** The member data: the storage port the domain works through. */
  repository: Repository;
  /** The conversations' state, as botbuilder's Storage. */
  stateStorage: Storage;
  /** The JSON store when it is the engine; null on PostgreSQL. */
  store: JsonStore<typeof storedDbSchema> | null;
  /** Serialises the turns of one conversation: in this process, or across instances on PostgreSQL. */
  turnLock: TurnLock;
  /**
   * A rate limiter counting in this process, or across instances on PostgreSQL.
   *
   * @param name - Keeps its counts apart from the other limiters'.
   * @param limit - Events allowed per window (0: no limit).
   * @param windowMs - The window's length.
   * @returns The limiter.
   */
  rateLimiter(name: string, limit: number, windowMs: number): RateLimiter;
  /**
   * Drops conversation state idle past STATE_IDLE_DAYS.
   *
   * @param worthKeeping - True for a state worth the full STATE_IDLE_DAYS; others go after a day.
   */
  purgeIdleState(worthKeeping: (value: Record<string, unknown>) => boolean): Promise<void>;
  /**
   * Why the storage cannot keep the service's promises now, probed again on each call.
   *
   * @returns A sentence a person can act on for each problem; empty when all is well.
   */
  problems(): Promise<string[]>;
  /**
   * Writes everything pending and releases files and connections.
   *
   * @remarks Called once, at the end; nothing may use the storage afterwards.
   */
  close(): Promise<void>;
}

/** How long a turn waits for the one before it in its conversation, on another instance. */
const TURN_LOCK_WAIT_MS = 10_000;

/**
 * Opens the storage: PostgreSQL when DATABASE_URL is set (member data, conversation state, turn
 * lock and rate limits shared by every instance; no file is written), else the JSON store and the
 * state file. `checkBeforeWriting` runs after everything is read and checked, before anything is
 * written (the key files).
 */
export async function openStorage(opening: Opening): Promise<AppStorage> {
  return opening.config.DATABASE_URL && opening.overrides.db !== 'memory'
    ? openPostgresStorage(opening)
    : openJsonStorage(opening);
}

/** What opening the storage takes. */
export interface Opening {
  config: Config;
  overrides: StorageOverrides;
  clock: Clock;
  logger: Logger;
  checkBeforeWriting: () => void;
  /** The keys personal data is sealed with, read (not generated) yet. */
  personalDataKeys: PersonalDataKeys;
}

async function openPostgresStorage({
  config,
  overrides,
  clock,
  logger,
  checkBeforeWriting,
  personalDataKeys,
}: Opening): Promise<AppStorage> {
  checkBeforeWriting();
  const cipher = personalDataKeys.cipher();
  const { pool, lockPool, repository } = await openPostgres(config.DATABASE_URL!, config.DATABASE_MIGRATE, {
    sealer: new RecordSealer(cipher),
    deadlines: { connectMs: config.DATABASE_CONNECT_TIMEOUT_MS, queryMs: config.DATABASE_QUERY_TIMEOUT_MS },
    healthTimeoutMs: config.DATABASE_HEALTH_TIMEOUT_MS,
    secretGraceMs: config.OTP_TTL_SECONDS * 1000,
    onIdleError: (err) => logger.warn({ err: err.message }, 'an idle database connection broke'),
    onListenerError: (err) => logger.warn({ err: err.message }, 'the outbox listener is reconnecting'),
    applied: (names) => logger.info({ names }, 'database migrations applied'),
    sealed: (counts) => logger.info(counts, 'personal data left in plain text sealed'),
  });
  const stateRows = new PostgresStateStorage(pool, clock, config.STATE_IDLE_DAYS);
  await checkNewestState(stateRows, cipher, logger).catch(async (err: unknown) => {
    await repository.close();
    await lockPool.end();
    throw err;
  });
  const setAside = reportSetAside(logger);
  const sealedState = new SealedStateStorage(stateRows, cipher, setAside);
  const turnLock = turnLockOn(lockPool, overrides.stateStorage ? undefined : stateRows, logger);
  return {
    repository,
    stateStorage: overrides.stateStorage ?? sealedState,
    store: null,
    rateLimiter: (name, limit, windowMs) => new PostgresRateLimiter(pool, name, limit, windowMs),
    turnLock,
    purgeIdleState: async (worthKeeping) => {
      await stateRows.purgeIdle(sealedState.judgingOpened(worthKeeping), setAside);
    },
    problems: async () => {
      const problem = await repository.problem();
      return problem ? [problem] : [];
    },
    close: async () => {
      await repository.close();
      await turnLock.close();
      await lockPool.end();
    },
  };
}

/** A conversation state that does not open is set aside (never deleted unsaid): the log names it and why. */
function reportSetAside(logger: Logger): SetAsideListener {
  return (key, err) =>
    logger.error(
      { key, setAsideAs: setAsideKey(key), err },
      'a conversation state that cannot be opened was set aside; its conversation starts again',
    );
}

/**
 * The start's key check of the conversation state on PostgreSQL, on the newest state alone (the
 * members' check reads one member, for the same reason): a store sealed under a key dropped
 * before `db:reseal` sealed its states again is reported, and the start goes on.
 */
/**
 * The turn lock shared by every instance, which reads the conversation's state with the lock in
 * one round trip when the state rows are `stateRows` (a state storage given by the caller reads its own).
 */
function turnLockOn(
  lockPool: ConstructorParameters<typeof PostgresTurnLock>[0],
  stateRows: PostgresStateStorage | undefined,
  logger: Logger,
): PostgresTurnLock {
  return new PostgresTurnLock(
    lockPool,
    TURN_LOCK_WAIT_MS,
    (key, err) =>
      logger.warn({ key, err: err.message }, 'a turn lock was lost: the turn went on under the state compare-and-set'),
    stateRows && {
      keyOf: stateKeyOfTurnLock,
      read: (session, key) => stateRows.readWithLock(session, key),
      forget: (key) => stateRows.forgetRead(key),
    },
  );
}

async function checkNewestState(stateRows: PostgresStateStorage, cipher: FieldCipher, logger: Logger): Promise<void> {
  const newest = await stateRows.newestText();
  const resealer = new StateResealer(cipher);
  if (newest) resealer.reseal(newest.key, newest.json);
  reportUnopenedState(logger, resealer, 'the newest');
}

/**
 * The JSON store's start seals every conversation state again under the current key, as
 * JsonRepository.open does the members and notices, and reports those no key given opens.
 */
async function resealStateFile(stateFile: JsonStateStorage, cipher: FieldCipher, logger: Logger): Promise<void> {
  const resealer = new StateResealer(cipher);
  const resealed = await stateFile.rewriteAll((key, json) => resealer.reseal(key, json));
  if (resealed)
    logger.info(
      { states: resealed, key: cipher.currentKeyId },
      'conversation states sealed again under the current key',
    );
  reportUnopenedState(logger, resealer, 'all');
}

/**
 * One line when conversations would read states that no key given opens (their key was dropped
 * too early): the start goes on, as each such state is set aside when read, but until then the
 * key can still be given back (after the current one) and the conversations kept.
 */
function reportUnopenedState(logger: Logger, resealer: StateResealer, checked: string): void {
  const { states, keyIds } = resealer.unopened(true);
  if (states === 0) return;
  const named = keyIds.map((id) => `"${id}"`).join(', ');
  logger.warn(
    { states, keyIds },
    `${states} of ${resealer.checked} conversation states checked (${checked}) are sealed under key ${named}, which no key in PERSONAL_DATA_KEYS opens: those conversations start again, each state set aside when read; to keep them, add that key after the current one and restart`,
  );
}

/** Data sealed under a key the service was not given stops the start, with nothing written. */
function checkKeys(file: string, data: StoredDb, keyIds: ReadonlySet<string>): void {
  const missing = firstMissingKey(data, keyIds);
  if (missing) {
    const { keyId, recordId } = missing;
    throw new StoreLoadError(
      file,
      `record ${recordId} holds personal data sealed under key "${keyId}", which the service was not given (PERSONAL_DATA_KEYS keeps earlier keys after the current one)`,
    );
  }
}

async function readSeed(file: string): Promise<Db> {
  return dbSchema.parse(JSON.parse(await readFile(file, 'utf8')));
}

async function openJsonStorage(opening: Opening): Promise<AppStorage> {
  const { config, overrides, clock, logger } = opening;
  const loaded = await loadJsonFiles(opening);
  const { store, repository, stateFile, sealedState } = await startJsonFiles(loaded, logger);
  const setAside = reportSetAside(logger);
  if (overrides.db !== 'memory') warnWhenLarge(store, config.DB_FILE, config.STORE_WARN_MB, logger);
  if (stateFile) warnWhenLarge(stateFile, config.STATE_FILE, config.STORE_WARN_MB, logger);
  return {
    repository,
    stateStorage: overrides.stateStorage ?? sealedState!,
    store,
    turnLock: new InProcessTurnLock(),
    rateLimiter: (_name, limit, windowMs) => new InMemoryRateLimiter(limit, windowMs, clock),
    purgeIdleState: async (worthKeeping) => {
      if (stateFile) await stateFile.purgeIdle(sealedState.judgingOpened(worthKeeping), setAside);
    },
    problems: async () => {
      const problems: string[] = [];
      for (const candidate of [store, stateFile]) {
        const failure = candidate?.unavailable;
        // The file's name and the error code only: the endpoint answers anyone who can reach it.
        if (failure && !(await candidate.probe()))
          problems.push(`${basename(failure.file)} cannot be written (${failure.errno ?? 'error'})`);
      }
      return problems;
    },
    close: async () => {
      await store.close();
      await stateFile?.close();
    },
  };
}

/** The JSON engine's files read and checked, nothing written yet, and the keys that seal them. */
interface LoadedJsonFiles {
  loadedDb: Awaited<ReturnType<typeof loadDataStore>>;
  loadedState: Awaited<ReturnType<typeof JsonStateStorage.load>> | undefined;
  cipher: FieldCipher;
  sealer: RecordSealer;
}

/**
 * Reads and checks every file before any is written: a bad state file or key file found last must
 * not find the member data already seeded or compacted. Releases what it read if one fails.
 */
async function loadJsonFiles(opening: Opening): Promise<LoadedJsonFiles> {
  const { config, overrides, clock } = opening;
  const loadedDb =
    overrides.db === 'memory'
      ? await JsonStore.load({ schema: storedDbSchema, file: null, initial: await readSeed(config.SEED_FILE) })
      : await loadDataStore(
          config.DB_FILE,
          config.SEED_FILE,
          config.STORE_COMPACT_AFTER,
          config.STORE_COMPACT_PERCENT,
          overrides.files,
        );
  let loadedState: LoadedJsonFiles['loadedState'];
  try {
    if (!overrides.stateStorage) {
      loadedState = await JsonStateStorage.load(
        config.STATE_FILE,
        clock,
        config.STATE_IDLE_DAYS,
        config.STORE_COMPACT_AFTER,
        config.STORE_COMPACT_PERCENT,
        overrides.files,
      );
    }
    checkKeys(config.DB_FILE, loadedDb.data, opening.personalDataKeys.keyIds);
    opening.checkBeforeWriting();
    // The keys before any data is written (generating a development key writes SECRETS_DIR only).
    const cipher = opening.personalDataKeys.cipher();
    const sealer = new RecordSealer(cipher);
    sealer.checkFitsAny(loadedDb.data.members);
    if (loadedDb.fresh) await sealSeed(loadedDb.data, sealer, config.SEED_FILE, clock);
    return { loadedDb, loadedState, cipher, sealer };
  } catch (err) {
    loadedState?.release();
    loadedDb.release();
    throw err;
  }
}

/**
 * A new data file's first copy of the seed is written sealed: the plain seed never reaches it. Its
 * dates are moved to today, so the demo tells the same story on any day.
 */
async function sealSeed(data: StoredDb, sealer: RecordSealer, seedFile: string, clock: Clock): Promise<void> {
  Object.assign(data, seedAsOf({ ...data }, await seedDatesAsOf(seedFile), clock.now()));
  data.members = data.members.map((m) => sealer.sealedMember(m));
  data.outbox = data.outbox.map((m) => sealer.sealedOutbox(m));
}

/** Starts the member data, its repository and the state file, closing what started if a later one fails. */
async function startJsonFiles(loaded: LoadedJsonFiles, logger: Logger) {
  const { loadedDb, loadedState, cipher, sealer } = loaded;
  let store: JsonStore<typeof storedDbSchema>;
  try {
    store = await loadedDb.start();
  } catch (err) {
    loadedState?.release();
    throw err;
  }
  let repository: JsonRepository;
  try {
    repository = await JsonRepository.open(store, sealer);
  } catch (err) {
    loadedState?.release();
    await store.close();
    throw err;
  }
  if (!loadedState) return { store, repository, stateFile: undefined, sealedState: undefined };
  let stateFile: JsonStateStorage | undefined;
  try {
    stateFile = await loadedState.start();
    const sealedState = new SealedStateStorage(stateFile, cipher, reportSetAside(logger));
    await resealStateFile(stateFile, cipher, logger);
    return { store, repository, stateFile, sealedState };
  } catch (err) {
    await stateFile?.close().catch(() => undefined);
    await store.close();
    throw err;
  }
}

/** Warns now and after each snapshot when the file has grown past STORE_WARN_MB. */
function warnWhenLarge(
  store: { afterEachSnapshot(listener: (file: string) => void): void },
  file: string,
  warnAboveMb: number,
  logger: Logger,
): void {
  warnIfLarge(file, warnAboveMb, logger);
  store.afterEachSnapshot((written) => warnIfLarge(written, warnAboveMb, logger));
}
