import { dirname } from 'node:path';
import { setImmediate as nextTurnOfEventLoop } from 'node:timers/promises';
import { toJsonText } from './jsonText.js';
import { DATA_FILE_MODE, diskFiles, syncDirectory, writeAll, type StoreFiles } from '../storeFiles.js';

/** Records serialised between two yields to the event loop: a few milliseconds of work. */
const RECORDS_PER_SLICE = 2000;

/** One top-level value: its brackets, its records, and how one record is written (undefined: left out). */
interface Part {
  key: string;
  open: string;
  close: string;
  items: unknown[];
  write: (item: unknown) => string | undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * A map's records are taken by key and looked up as they are written: with tens of thousands of
 * keys, Object.entries held the event loop several times as long as Object.keys
 * (bench/analysis.md, change 15).
 */
function partOf(key: string, value: unknown): Part {
  if (Array.isArray(value))
    return { key, open: '[', close: ']', items: value, write: (item) => toJsonText(item) ?? 'null' };
  if (isPlainObject(value)) {
    return {
      key,
      open: '{',
      close: '}',
      items: Object.keys(value),
      write: (name) => {
        const json = toJsonText(value[name as string]);
        return json === undefined ? undefined : `${JSON.stringify(name)}:${json}`;
      },
    };
  }
  return { key, open: '', close: '', items: [value], write: (item) => JSON.stringify(item) };
}

function partsOf(data: Record<string, unknown>): Part[] {
  return Object.entries(data).map(([key, value]) => partOf(key, value));
}

function recordCount(parts: Part[]): number {
  return parts.reduce((count, part) => count + part.items.length, 0);
}

/** How many records `data` holds, counted as {@link writeSnapshot} counts them (a plain top-level value is one). */
export function countRecords(data: Record<string, unknown>): number {
  return recordCount(partsOf(data));
}

export interface SnapshotOptions {
  files?: StoreFiles;
  /**
   * Called once the whole document is on disk in the temporary file, before the rename makes it
   * the snapshot; a throw abandons it (the temporary file is removed and the snapshot left as it was).
   */
  beforeRename?: () => Promise<void>;
}

/**
 * Writes `data` (an object whose top-level values are lists or string-keyed maps of records) as
 * compact JSON, byte for byte what JSON.stringify gives, through a temporary file and a rename,
 * so the file is always a whole document; resolves with the number of records it was given. A
 * record that carries its JSON text (jsonText.ts) is written with it. The temporary file is
 * fsynced before the rename and the directory after it, so once this resolves the new snapshot
 * survives power loss, and before, the old one does.
 *
 * lowdb writes a document with one JSON.stringify, which holds the event loop for the whole
 * document (bench/analysis.md, change 9) and fails once the string passes V8's limit on one
 * string (about 512 MB). Here records are serialised a slice at a time with the event loop free
 * in between, and no string holds more than one slice.
 *
 * Which records are written is fixed when this is called (each list is copied, and each map's
 * keys). A record changed or replaced while the write goes on may be written before or after the
 * change, and one deleted meanwhile is left out: a journalled store logs every change after the
 * call, whole, so replaying its journal onto this snapshot ends at the same state either way.
 */
export async function writeSnapshot(
  file: string,
  data: Record<string, unknown>,
  options: SnapshotOptions = {},
): Promise<number> {
  const files = options.files ?? diskFiles;
  // Each part's records are fixed here (see above): counting them, for countRecords, needs no copy.
  const parts = partsOf(data)
    .map((part) => ({ ...part, items: part.items.slice() }))
    .filter((part) => part.open || part.write(part.items[0]) !== undefined);
  const temporary = `${file}.tmp`;
  const handle = await files.open(temporary, 'w', DATA_FILE_MODE);
  try {
    try {
      let text = '{';
      for (const [i, part] of parts.entries()) {
        text += `${i ? ',' : ''}${JSON.stringify(part.key)}:${part.open}`;
        let written = 0;
        for (let start = 0; start < part.items.length; start += RECORDS_PER_SLICE) {
          for (const item of part.items.slice(start, start + RECORDS_PER_SLICE)) {
            const json = part.write(item);
            if (json === undefined) continue;
            text += `${written ? ',' : ''}${json}`;
            written += 1;
          }
          await writeAll(handle, text);
          text = '';
          await nextTurnOfEventLoop();
        }
        text += part.close;
      }
      await writeAll(handle, `${text}}`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await options.beforeRename?.();
  } catch (err) {
    await files.unlink(temporary).catch(() => undefined);
    throw err;
  }
  await files.rename(temporary, file);
  await syncDirectory(files, dirname(file));
  return recordCount(parts);
}
