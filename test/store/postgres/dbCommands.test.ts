import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storedDbSchema, storedMemberSchema } from '../../../src/store/sealedRecords.js';
import { runDbCommand, UsageError } from '../../../src/store/postgres/dbCommands.js';
import { SchemaOutdatedError } from '../../../src/store/postgres/migrate.js';
import { StoreLoadError } from '../../../src/store/storeErrors.js';
import { freshDatabase } from '../../support/postgres.js';
import { pgKeys, pgSealer, rawQuery } from './postgresFixture.js';
import { canonical, outboxMessage, seedDocument } from '../repositoryContract.js';

describe('moving data between the JSON store and PostgreSQL (npm run db:*)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'db-transfer-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A JSON store file as the service leaves it: a snapshot, and a journal of changes since. */
  function jsonStore(): string {
    const file = join(dir, 'db.json');
    const snapshot = seedDocument();
    snapshot.outbox.push(
      outboxMessage('o-code', { template: 'otp', text: '', status: 'sent', sentAt: '2026-11-24T02:00:01.000Z' }),
    );
    writeFileSync(file, JSON.stringify(snapshot));
    const cancelled = {
      ...snapshot.memberships[0],
      status: 'pending_cancel',
      effectiveAt: '2027-03-01T00:00:00+08:00',
    };
    const journal = [
      [{ c: 'memberships', v: cancelled }],
      [
        {
          c: 'audit',
          v: { id: 'au-1', at: '2026-11-24T10:00:00+08:00', type: 'cancellation.requested', memberId: 'm-1001' },
        },
      ],
    ];
    writeFileSync(`${file}.journal`, journal.map((line) => `${JSON.stringify(line)}\n`).join(''));
    return file;
  }

  /** An exported file as the domain would see it: members and notices opened. */
  function opened(file: string) {
    const document = storedDbSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    const sealer = pgSealer();
    return {
      ...document,
      members: document.members.map((member) => sealer.openMember(storedMemberSchema.parse(member))),
      outbox: document.outbox.map((message) => sealer.openOutbox(message)),
    };
  }

  it('imports a JSON store (snapshot and journal) in one go; importing it again changes nothing but the seals', async () => {
    const url = await freshDatabase();
    const file = jsonStore();
    expect(await runDbCommand(['migrate'], url, pgKeys())).toMatch(
      /^Applied 0001_membership_data\.sql(, \d{4}_\w+\.sql)*\.$/,
    );
    expect(await runDbCommand(['migrate'], url, pgKeys())).toBe('The schema is up to date; nothing to apply.');
    expect(await runDbCommand(['import', file], url, pgKeys())).toMatch(
      /^Imported .* 6 plans, 11 members, 11 memberships, 2 cancellations, 1 audit, 1 outbox/,
    );
    const first = await rawQuery(url, 'SELECT id, status, effective_at, seq FROM memberships ORDER BY id');
    expect(first[0]).toMatchObject({
      id: 'ms-2001',
      status: 'pending_cancel',
      effective_at: new Date('2027-02-28T16:00:00Z'),
    });

    const exported = join(dir, 'export-1.json');
    await runDbCommand(['export', exported], url, pgKeys());
    await runDbCommand(['import', file], url, pgKeys());
    expect(await rawQuery(url, 'SELECT id, status, effective_at, seq FROM memberships ORDER BY id')).toEqual(first);
    const again = join(dir, 'export-2.json');
    await runDbCommand(['export', again], url, pgKeys());
    // Plain members were sealed again, with new random IVs: the same data, other bytes.
    expect(opened(again)).toEqual(opened(exported));
    // What is sealed under the current key already is written as it is: importing an export changes nothing.
    await runDbCommand(['import', exported], url, pgKeys());
    const third = join(dir, 'export-3.json');
    await runDbCommand(['export', third], url, pgKeys());
    expect(readFileSync(third, 'utf8')).toBe(readFileSync(exported, 'utf8'));
    // Nothing was written beside the JSON store, and its lock was given back.
    expect(() => readFileSync(`${file}.lock`)).toThrow();
  });

  it('exports the rows as held, sealed, with every record; imported into a fresh database and exported again, the file is the same', async () => {
    const source = await freshDatabase();
    await runDbCommand(['migrate'], source, pgKeys());
    await runDbCommand(['import', jsonStore()], source, pgKeys());
    const exported = join(dir, 'out.json');
    expect(await runDbCommand(['export', exported], source, pgKeys())).toBe(`Exported the database to ${exported}.`);
    const text = readFileSync(exported, 'utf8');
    expect(text).not.toContain('zhang.wei@example.com');
    expect(text).not.toContain('张伟');
    expect(text).not.toContain('+8613812345678');
    expect(text).not.toContain('emily.carter@example.com');
    const document = opened(exported);
    const seed = seedDocument();
    expect(document.members).toEqual(canonical(seed.members));
    expect(document.outbox.map((message) => message.to)).toEqual(['emily.carter@example.com']);
    expect(document.plans).toEqual(seed.plans);
    expect(document.memberships.find((m) => m.id === 'ms-2001')?.status).toBe('pending_cancel');
    expect(document.audit.map((entry) => entry.id)).toEqual(['au-1']);

    const target = await freshDatabase();
    await runDbCommand(['migrate'], target, pgKeys());
    await runDbCommand(['import', exported], target, pgKeys());
    const roundTrip = join(dir, 'round-trip.json');
    await runDbCommand(['export', roundTrip], target, pgKeys());
    expect(readFileSync(roundTrip, 'utf8')).toBe(readFileSync(exported, 'utf8'));
    // Without a file, the same document is the command's output.
    expect(`${await runDbCommand(['export'], target, pgKeys())}\n`).toBe(readFileSync(exported, 'utf8'));
  });

  it('refuses a file that is not a valid store, before touching the database', async () => {
    const url = await freshDatabase();
    await runDbCommand(['migrate'], url, pgKeys());
    const bad = join(dir, 'bad.json');
    const document = seedDocument() as unknown as { members: { phone: string }[] };
    document.members[0].phone = '138';
    writeFileSync(bad, JSON.stringify(document));
    const refused = runDbCommand(['import', bad], url, pgKeys());
    await expect(refused).rejects.toBeInstanceOf(StoreLoadError);
    await expect(refused).rejects.toThrow(/members\.0\.phone/);
    expect(await rawQuery(url, 'SELECT id FROM members')).toEqual([]);
  });

  it('refuses to import into a database whose schema is not migrated, naming the command', async () => {
    const url = await freshDatabase();
    const refused = runDbCommand(['import', jsonStore()], url, pgKeys());
    await expect(refused).rejects.toBeInstanceOf(SchemaOutdatedError);
    await expect(refused).rejects.toThrow(/npm run db:migrate/);
  });

  it('says how it is used when the command line is incomplete', async () => {
    await expect(runDbCommand(['import'], 'postgres://x@127.0.0.1/db', pgKeys())).rejects.toBeInstanceOf(UsageError);
    await expect(runDbCommand(['migrate'], undefined, pgKeys())).rejects.toThrow(/DATABASE_URL is not set/);
  });
});
