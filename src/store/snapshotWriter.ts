import { open, rename } from 'node:fs/promises';
import { setImmediate as nextTurnOfEventLoop } from 'node:timers/promises';

/** Records serialised between two yields to the event loop: a few milliseconds of work. */
const RECORDS_PER_SLICE = 2000;

type Part =
  | { key: string; kind: 'list'; records: unknown[] }
  | { key: string; kind: 'map'; entries: [string, unknown][] }
  | { key: string; kind: 'value'; value: unknown };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * Writes `data` (an object whose top-level values are lists or string-keyed maps of records) as
 * compact JSON, byte for byte what JSON.stringify gives, through a temporary file and a rename,
 * so the file is always a whole document.
 *
 * lowdb writes a document with one JSON.stringify: at 100k members that held the event loop for
 * about 0.3 s, at 1M for seconds, and near 1.2M members the string passes V8's limit (about
 * 512 MB) and the write fails. Here records are serialised a slice at a time with the event loop
 * free in between, and no string holds more than one slice.
 *
 * Which records are written is fixed when this is called (each list and map is copied, not its
 * records). A record changed in place while the write goes on may be written before or after the
 * change: a journalled store logs every change after the call, whole, so replaying its journal
 * onto this snapshot ends at the same state either way.
 */
export async function writeSnapshot(file: string, data: Record<string, unknown>): Promise<void> {
  const parts: Part[] = Object.entries(data).map(([key, value]): Part => {
    if (Array.isArray(value)) return { key, kind: 'list', records: value.slice() };
    if (isPlainObject(value)) return { key, kind: 'map', entries: Object.entries(value) };
    return { key, kind: 'value', value };
  });
  const temporary = `${file}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    let first = true;
    let text = '{';
    for (const part of parts) {
      const whole = part.kind === 'value' ? JSON.stringify(part.value) : '';
      if (part.kind === 'value' && whole === undefined) continue;
      text += `${first ? '' : ','}${JSON.stringify(part.key)}:`;
      first = false;
      if (part.kind === 'value') {
        text += whole;
        continue;
      }
      const items = part.kind === 'list' ? part.records : part.entries;
      text += part.kind === 'list' ? '[' : '{';
      let firstItem = true;
      for (let start = 0; start < items.length; start += RECORDS_PER_SLICE) {
        const slice: string[] = [];
        for (const item of items.slice(start, start + RECORDS_PER_SLICE)) {
          if (part.kind === 'list') {
            slice.push(JSON.stringify(item) ?? 'null');
          } else {
            const [key, value] = item as [string, unknown];
            const json = JSON.stringify(value);
            if (json !== undefined) slice.push(`${JSON.stringify(key)}:${json}`);
          }
        }
        if (slice.length) {
          text += `${firstItem ? '' : ','}${slice.join(',')}`;
          firstItem = false;
        }
        await handle.write(text);
        text = '';
        await nextTurnOfEventLoop();
      }
      text += part.kind === 'list' ? ']' : '}';
    }
    await handle.write(`${text}}`);
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
}
