import { dbSchema } from '../model/schema.js';
import { replayDb } from './dbJournal.js';
import { JsonStore } from './jsonStore.js';
import type { StoreFiles } from './storeFiles.js';

/** Transactions in the journal before the data file's snapshot is rewritten. */
export const COMPACT_AFTER = 5000;

/** The member data file as the service opens it: validated snapshot plus journal. */
export function openDataStore(file: string, seedFile?: string, compactAfter = COMPACT_AFTER, percentOfSnapshot?: number, files?: StoreFiles): Promise<JsonStore<typeof dbSchema>> {
  return JsonStore.open({ schema: dbSchema, file, seedFile, journal: { replay: replayDb, compactAfter, percentOfSnapshot }, files });
}
