import { rename, writeFile } from 'node:fs/promises';
import { PersonalDataKeyError } from '../../privacy/fieldCipher.js';
import type { PersonalDataKeys } from '../personalDataKeys.js';
import { firstMissingKey, RecordSealer, type StoredDb } from '../sealedRecords.js';
import { StateResealer } from '../sealedStateStorage.js';
import { DATA_FILE_MODE } from '../storeFiles.js';
import { exportDocument, importDocument } from './documentTransfer.js';
import { readJsonStoreFile } from './jsonStoreFile.js';
import { checkKeysFit } from './keyFit.js';
import { checkReachable, createPool, type DatabaseDeadlines } from './pool.js';
import { resealRows, SEAL_BATCH, type ResealCounts, type RowCounts } from './sealRows.js';
import { requireCurrent, requireMigrated, upgradeDatabase } from './upgrade.js';

const USAGE =
  'usage: npm run db:migrate | npm run db:reseal | npm run db:import -- <json store file> | npm run -s db:export [-- <file>] (standard output without a file)';

const COMMANDS = ['migrate', 'reseal', 'import', 'export'];

/** Writes beside the target and renames, so a failed export never leaves half a file where a whole one was. */
async function writeWhole(file: string, text: string): Promise<void> {
  const temporary = `${file}.tmp-${process.pid}`;
  await writeFile(temporary, text, { mode: DATA_FILE_MODE });
  await rename(temporary, file);
}

const rows = ({ members, outbox }: RowCounts) => `${members} members and ${outbox} notices`;

/** What `db:reseal` says it did, and what it had to leave: states no key given opens. */
function resealReport({ members, outbox, states }: ResealCounts, keyId: string, resealer: StateResealer): string {
  const sealed = `Sealed ${members} members, ${outbox} notices and ${states} conversation states again under key "${keyId}" (${SEAL_BATCH} rows a transaction)`;
  const left = resealer.unopened();
  if (left.states === 0) return `${sealed}; every row is now sealed under it.`;
  const named = left.keyIds.map((id) => `"${id}"`).join(', ');
  return `${sealed}; every row is now sealed under it but ${left.states} conversation states under ${named}, which no key in PERSONAL_DATA_KEYS opens: left as they are, their conversations start again.`;
}

/**
 * A file sealed under a key the service lacks is refused whole, naming the key and a record sealed
 * under it, before a development key is generated.
 */
function refuseMissingKeys(keys: PersonalDataKeys, document: StoredDb): void {
  const missing = firstMissingKey(document, keys.keyIds);
  if (missing)
    throw new PersonalDataKeyError(
      missing.keyId,
      `is not among the keys this service was given (record ${missing.recordId})`,
    );
}

/**
 * A command's statements are larger than a turn's (500-row batches, a migration building an
 * index) and no member waits on them, so they may take longer than the service's; a database that
 * does not answer at all still stops the command.
 */
const COMMAND_DEADLINES: DatabaseDeadlines = { connectMs: 5_000, queryMs: 10_000 };

/**
 * Runs one command of the db tool (src/dbCli.ts) and returns what to print. `keys` seal what is
 * written (migrate, reseal, import); export writes the rows as they are, sealed.
 */
export async function runDbCommand(
  args: string[],
  databaseUrl: string | undefined,
  keys: PersonalDataKeys,
): Promise<string> {
  const [command, file] = args;
  if (!COMMANDS.includes(command) || (command === 'import' && !file)) throw new UsageError(USAGE);
  if (!databaseUrl)
    throw new UsageError('DATABASE_URL is not set: name the PostgreSQL database in .env or the environment.');
  // Read and checked before connecting: a bad file is reported without touching the database.
  const document = command === 'import' ? await readJsonStoreFile(file) : null;
  if (document) refuseMissingKeys(keys, document);
  const sealer = command === 'export' ? null : new RecordSealer(keys.cipher());
  const pool = createPool(databaseUrl, {
    max: 2,
    applicationName: `membership-assistant db ${command}`,
    deadlines: COMMAND_DEADLINES,
  });
  try {
    await checkReachable(pool, databaseUrl);
    if (command === 'migrate') {
      const { applied, sealed } = await upgradeDatabase(pool, sealer!);
      const said = [applied.length ? `Applied ${applied.join(', ')}.` : 'The schema is up to date; nothing to apply.'];
      if (sealed.members || sealed.outbox) said.push(`Sealed ${rows(sealed)} that were in plain text.`);
      return said.join(' ');
    }
    if (command === 'reseal') {
      // Rows still in plain text are sealed too: only the SQL files must be applied.
      await requireMigrated(pool);
      const resealer = new StateResealer(keys.cipher());
      const resealed = await resealRows(pool, sealer!, resealer);
      return resealReport(resealed, sealer!.currentKeyId, resealer);
    }
    await requireCurrent(pool);
    if (document) {
      await checkKeysFit(pool, sealer!);
      const counts = await importDocument(pool, document, sealer!);
      const listed = Object.entries(counts).map(([name, n]) => `${n} ${name}`);
      return `Imported ${file} into the database (one transaction): ${listed.join(', ')}.`;
    }
    const exported = await exportDocument(pool);
    const text = `${JSON.stringify(exported, null, 2)}\n`;
    // Without a file the document itself is the output (npm run -s db:export > backup.json).
    if (!file) return text.trimEnd();
    await writeWhole(file, text);
    return `Exported the database to ${file}.`;
  } finally {
    await pool.end();
  }
}

/** A command line the tool cannot run: the message says what it takes. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
