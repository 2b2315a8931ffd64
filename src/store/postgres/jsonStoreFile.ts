import { readDataText } from '../dataFileText.js';
import { replayDb } from '../json/dbJournal.js';
import { Journal } from '../json/journal.js';
import { acquireLock } from '../json/lockFile.js';
import { storedDbSchema, type StoredDb } from '../sealedRecords.js';
import { StoreLoadError } from '../storeErrors.js';

/**
 * A JSON store's member data as the service would load it (the snapshot, validated, with its
 * journal replayed), read without writing anything: members sealed, or in plain text (a store
 * written before sealing, or the seed file). Holding the store's lock while reading makes
 * sure no running instance is changing it meanwhile.
 */
export async function readJsonStoreFile(file: string): Promise<StoredDb> {
  const release = acquireLock(file);
  try {
    const text = await readDataText(file);
    if (text === null) throw new StoreLoadError(file, 'the file does not exist');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new StoreLoadError(file, `not valid JSON (${(err as Error).message})`);
    }
    const parsed = storedDbSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new StoreLoadError(
        file,
        `schema error at ${issue.path.map(String).join('.') || '(document)'}: ${issue.message}`,
      );
    }
    const journal = await Journal.read(`${file}.journal`);
    try {
      replayDb(parsed.data, journal.changes);
    } catch (err) {
      throw new StoreLoadError(journal.file, `a change does not apply (${(err as Error).message.split('\n')[0]})`);
    }
    return parsed.data;
  } finally {
    release();
  }
}
