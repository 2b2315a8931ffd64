import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Journal } from '../../../src/store/json/journal.js';
import { scratchDir } from '../../support/testConfig.js';

const lines = (file: string) =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : null;

/** A snapshot write that finishes when the test says so. */
function gatedSnapshot() {
  let open!: () => void;
  let fail!: (err: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  const write = jest.fn(() => done);
  return { write, open: () => open(), fail: (err: Error) => fail(err) };
}

describe('Journal compaction', () => {
  it('keeps taking appends while the snapshot is written, and ends with only the newer changes', async () => {
    const file = join(scratchDir(), 'db.json.journal');
    const { journal } = await Journal.open(file);
    await journal.append([{ n: 1 }]);
    await journal.append([{ n: 2 }]);
    const snapshot = gatedSnapshot();
    const compaction = journal.compact(snapshot.write);

    await journal.append([{ n: 3 }]);
    expect(snapshot.write).toHaveBeenCalledTimes(1);
    expect(lines(`${file}.old`)).toEqual([[{ n: 1 }], [{ n: 2 }]]);
    expect(lines(file)).toEqual([[{ n: 3 }]]);

    // A crash now: the old snapshot plus both journals still hold everything, in order.
    const crashed = join(scratchDir(), 'db.json.journal');
    copyFileSync(file, crashed);
    copyFileSync(`${file}.old`, `${crashed}.old`);
    const reopened = await Journal.open(crashed);
    expect(reopened.changes).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(reopened.mustCompact).toBe(true);
    await reopened.journal.close();

    snapshot.open();
    await compaction;
    expect(existsSync(`${file}.old`)).toBe(false);
    expect(lines(file)).toEqual([[{ n: 3 }]]);
    expect(journal.length).toBe(1);
    await journal.close();
  });

  it('after a failed snapshot keeps the old journal, and the next compaction covers both before removing anything', async () => {
    const file = join(scratchDir(), 'db.json.journal');
    const { journal } = await Journal.open(file);
    await journal.append([{ n: 1 }]);
    const failing = gatedSnapshot();
    const compaction = journal.compact(failing.write);
    await journal.append([{ n: 2 }]);
    failing.fail(new Error('disk full'));
    await expect(compaction).rejects.toThrow('disk full');
    expect(lines(`${file}.old`)).toEqual([[{ n: 1 }]]);
    expect(lines(file)).toEqual([[{ n: 2 }]]);

    const retry = gatedSnapshot();
    const second = journal.compact(retry.write);
    const waiting = journal.append([{ n: 3 }]);
    await Promise.resolve();
    // Until this snapshot is on disk nothing is renamed or removed.
    expect(lines(`${file}.old`)).toEqual([[{ n: 1 }]]);
    retry.open();
    await second;
    await waiting;
    expect(existsSync(`${file}.old`)).toBe(false);
    expect(lines(file)).toEqual([[{ n: 3 }]]);
    await journal.close();
  });

  it('asks for a compaction at open when the only thing in the journal is a torn line, so new lines never follow it', async () => {
    const file = join(scratchDir(), 'db.json.journal');
    writeFileSync(file, '[{"n":1');
    const { journal, changes, mustCompact } = await Journal.open(file);
    expect(changes).toEqual([]);
    expect(mustCompact).toBe(true);
    await journal.compact(async () => undefined);
    await journal.append([{ n: 2 }]);
    expect(lines(file)).toEqual([[{ n: 2 }]]);
    await journal.close();
  });
});
