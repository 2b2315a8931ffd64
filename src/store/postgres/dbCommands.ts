import { rename, writeFile } from 'node:fs/promises';
import { DATA_FILE_MODE } from '../storeFiles.js';
import { exportDocument, importDocument } from './documentTransfer.js';
import { readJsonStoreFile } from './jsonStoreFile.js';
import { migrate, pendingMigrations, SchemaOutdatedError } from './migrate.js';
import { checkReachable, createPool } from './pool.js';

const USAGE =
  'usage: npm run db:migrate | npm run db:import -- <json store file> | npm run -s db:export [-- <file>] (standard output without a file)';

/** Writes beside the target and renames, so a failed export never leaves half a file where a whole one was. */
async function writeWhole(file: string, text: string): Promise<void> {
  const temporary = `${file}.tmp-${process.pid}`;
  await writeFile(temporary, text, { mode: DATA_FILE_MODE });
  await rename(temporary, file);
}

/** Runs one command of the db tool (dbCli.ts) and returns what to print. */
export async function runDbCommand(args: string[], databaseUrl: string | undefined): Promise<string> {
  const [command, file] = args;
  if (!['migrate', 'import', 'export'].includes(command) || (command === 'import' && !file))
    throw new UsageError(USAGE);
  if (!databaseUrl)
    throw new UsageError('DATABASE_URL is not set: name the PostgreSQL database in .env or the environment.');
  // Read before connecting: a bad file is reported without touching the database.
  const document = command === 'import' ? await readJsonStoreFile(file) : null;
  const pool = createPool(databaseUrl, { max: 2, applicationName: `membership-assistant db ${command}` });
  try {
    await checkReachable(pool, databaseUrl);
    if (command === 'migrate') {
      const applied = await migrate(pool);
      return applied.length ? `Applied ${applied.join(', ')}.` : 'The schema is up to date; nothing to apply.';
    }
    const pending = await pendingMigrations(pool);
    if (pending.length) throw new SchemaOutdatedError(pending);
    if (document) {
      const counts = await importDocument(pool, document);
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
