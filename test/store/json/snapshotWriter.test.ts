import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../../src/core/random.js';
import { syntheticDb } from '../../../src/devtools/syntheticData.js';
import { jsonText } from '../../../src/store/json/jsonText.js';
import { writeSnapshot } from '../../../src/store/json/snapshotWriter.js';
import { scratchDir } from '../../support/testConfig.js';

describe('writeSnapshot', () => {
  it('writes exactly what JSON.stringify gives, for the member data and for conversation state', async () => {
    const file = join(scratchDir(), 'db.json');
    const db = syntheticDb(5000, seededRandom(3)) as unknown as Record<string, unknown>;
    await writeSnapshot(file, db);
    expect(readFileSync(file, 'utf8')).toBe(JSON.stringify(db));

    const state = {
      items: {
        'emulator/conversations/a/': {
          eTag: '1',
          updatedAt: '2026-11-24T02:00:00.000Z',
          value: { dialogState: { dialogStack: [] } },
        },
        'msteams/conversations/"quoted"/': {
          eTag: '2',
          updatedAt: '2026-11-24T02:00:01.000Z',
          value: { conversationData: { locale: 'zh-CN' } },
        },
        skipped: undefined,
      },
      empty: [],
      nothing: undefined,
      count: 3,
    };
    await writeSnapshot(file, state);
    expect(readFileSync(file, 'utf8')).toBe(JSON.stringify(state));
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });

  it('writes a record that carries its JSON text with that text, not by serialising it again', async () => {
    const file = join(scratchDir(), 'state.json');
    const carried = (text: string) => ({ [jsonText]: text, toJSON: () => JSON.parse(text) as unknown });
    const data = { items: { a: carried('{"v":1}'), b: { v: 2 } }, list: [carried('"x"'), 3] };
    await writeSnapshot(file, data);
    expect(readFileSync(file, 'utf8')).toBe('{"items":{"a":{"v":1},"b":{"v":2}},"list":["x",3]}');
    expect(readFileSync(file, 'utf8')).toBe(JSON.stringify(data));
    // The text wins over toJSON: that is what saves the second serialisation.
    await writeSnapshot(file, { items: { a: { [jsonText]: '{"from":"text"}', toJSON: () => ({ from: 'toJSON' }) } } });
    expect(readFileSync(file, 'utf8')).toBe('{"items":{"a":{"from":"text"}}}');
  });

  it('lets other work run while it writes, one slice of records at a time', async () => {
    const file = join(scratchDir(), 'db.json');
    const db = syntheticDb(20_000, seededRandom(4)) as unknown as Record<string, unknown>;
    let turns = 0;
    let writing = true;
    const count = () => {
      turns += 1;
      if (writing) setImmediate(count);
    };
    setImmediate(count);
    await writeSnapshot(file, db);
    writing = false;
    // 20,000 members and 22,000 memberships in slices of 2,000: at least 21 yields.
    expect(turns).toBeGreaterThanOrEqual(21);
  });

  it('holds the list items and map keys there were when it was called; a map record deleted meanwhile is left out, one replaced is written as it is then', async () => {
    const file = join(scratchDir(), 'db.json');
    const records = Array.from({ length: 5000 }, (_, i) => ({ id: `r${i}`, n: i }));
    const map: Record<string, unknown> = { a: { v: 1 }, b: { v: 2 }, c: { v: 3 } };
    const data: Record<string, unknown> = { records, map };
    const writing = writeSnapshot(file, data);
    records.push({ id: 'added later', n: -1 });
    data.records = records.filter((r) => r.n % 2 === 0);
    delete map.a;
    map.b = { v: 'replaced' };
    map.d = { v: 'added later' };
    await expect(writing).resolves.toBe(5003);
    const written = JSON.parse(readFileSync(file, 'utf8')) as {
      records: { id: string }[];
      map: Record<string, unknown>;
    };
    expect(written.records.map((r) => r.id)).toEqual(Array.from({ length: 5000 }, (_, i) => `r${i}`));
    expect(written.map).toEqual({ b: { v: 'replaced' }, c: { v: 3 } });
  });
});
