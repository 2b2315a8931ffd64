import { storedDbSchema } from '../sealedRecords.js';
import { replayDb } from './dbJournal.js';
import { JsonStore, type LoadedStore } from './jsonStore.js';
import type { StoreFiles } from '../storeFiles.js';

/** Transactions in the journal before the data file's snapshot is rewritten. */
export const COMPACT_AFTER = 5000;

/** The member data file as the service opens it: validated snapshot plus journal. */
export async function openDataStore(
  file: string,
  seedFile?: string,
  compactAfter = COMPACT_AFTER,
  percentOfSnapshot?: number,
  files?: StoreFiles,
): Promise<JsonStore<typeof storedDbSchema>> {
  return (await loadDataStore(file, seedFile, compactAfter, percentOfSnapshot, files)).start();
}

/** The member data file read and checked, nothing written yet (see JsonStore.load). */
export function loadDataStore(
  file: string,
  seedFile?: string,
  compactAfter = COMPACT_AFTER,
  percentOfSnapshot?: number,
  files?: StoreFiles,
): Promise<LoadedStore<typeof storedDbSchema>> {
  return JsonStore.load({
    schema: storedDbSchema,
    file,
    seedFile,
    journal: { replay: replayDb, compactAfter, percentOfSnapshot },
    files,
  });
}
