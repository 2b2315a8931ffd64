import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PersonalDataKeyError } from '../../../src/privacy/fieldCipher.js';
import { runDbCommand } from '../../../src/store/postgres/dbCommands.js';
import { IndexKeyMismatchError } from '../../../src/store/sealedRecords.js';
import { openPostgres } from '../../../src/store/postgres/openPostgres.js';
import { freshDatabase } from '../../support/postgres.js';
import {
  instance,
  NEXT_KEY,
  OTHER_INDEX_KEY,
  PG_KEY,
  pgKeys,
  pgSealer,
  rawQuery,
  seededDatabase,
} from './postgresFixture.js';
import { canonical, outboxMessage, seedDocument } from '../repositoryContract.js';

const seed = seedDocument();
const reference = { conversation: { id: 'conv-77' }, serviceUrl: 'https://smba.example.net/apac/' };

/** Every row of the two tables that hold personal data, as psql would print them. */
const rowsText = async (url: string) =>
  JSON.stringify(await rawQuery(url, 'SELECT row_to_json(members)::text AS row FROM members ORDER BY id')) +
  JSON.stringify(await rawQuery(url, 'SELECT row_to_json(outbox)::text AS row FROM outbox ORDER BY id'));

const allRows = (url: string) =>
  Promise.all([rawQuery(url, 'SELECT * FROM members ORDER BY id'), rawQuery(url, 'SELECT * FROM outbox ORDER BY id')]);

describe('a notice whose address does not open (PostgreSQL)', () => {
  it('is parked with why, its sealed address kept, and the other notices are still claimed', async () => {
    const url = await seededDatabase();
    const repo = instance(url);
    try {
      await repo.transact(async (tx) => {
        tx.put('outbox', outboxMessage('o-lost'));
        tx.put('outbox', outboxMessage('o-fine'));
      });
      // Sealed under a key this service was not given (dropped before db:reseal ran).
      const elsewhere = pgSealer([NEXT_KEY]).sealOutbox(outboxMessage('o-lost')).to;
      await rawQuery(url, "UPDATE outbox SET recipient = $1 WHERE id = 'o-lost'", [elsewhere]);

      const claimed = await repo.claimOutbox('2026-11-24T03:00:00.000Z', 60_000, 10);
      expect(claimed.map((m) => [m.id, m.to])).toEqual([['o-fine', 'emily.carter@example.com']]);
      expect(await rawQuery(url, "SELECT status, recipient, last_error FROM outbox WHERE id = 'o-lost'")).toEqual([
        {
          status: 'failed',
          recipient: elsewhere,
          last_error: expect.stringMatching(/^Personal data sealed under key "pg-2" is not among the keys/),
        },
      ]);
      // Within the lease of the one claimed: nothing more to take, and no claim fails.
      expect(await repo.claimOutbox('2026-11-24T03:00:30.000Z', 60_000, 10)).toEqual([]);
    } finally {
      await repo.close();
    }
  });
});

describe('personal data sealed at rest on PostgreSQL', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pg-sealing-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('holds no name, phone, e-mail, channel address or recipient in plain text, and hands them out open', async () => {
    const url = await seededDatabase();
    const repo = instance(url);
    try {
      const member = (await repo.memberById('m-1006'))!;
      await repo.transact(async (tx) => {
        tx.put('members', { ...member, conversationReference: reference });
        tx.put('outbox', outboxMessage('o-1', { to: 'emily.carter@example.com' }));
      });
      const text = await rowsText(url);
      for (const { name, phone, email } of seed.members) {
        expect(text).not.toContain(name);
        expect(text).not.toContain(phone);
        expect(text.toLowerCase()).not.toContain(email.toLowerCase());
      }
      expect(text).not.toContain('conv-77');
      expect(text).not.toContain('smba.example.net');
      const [row] = await rawQuery<{ phone: string; conversation_reference: string }>(
        url,
        "SELECT phone, conversation_reference FROM members WHERE id = 'm-1006'",
      );
      expect(row.phone).toMatch(/^pd1\.pg-1\./);
      expect(row.conversation_reference).toMatch(/^pd1\.pg-1\./);

      // A restarted service with the same keys sees what was put.
      const again = instance(url);
      try {
        expect(await again.memberById('m-1006')).toEqual({ ...member, conversationReference: reference });
        expect((await again.memberByEmail('EMILY.Carter@Example.COM'))?.id).toBe('m-1006');
        expect((await again.memberByPhone(member.phone))?.id).toBe('m-1006');
        expect((await again.outboxMessage('o-1'))?.to).toBe('emily.carter@example.com');
        expect((await again.outboxOf('m-1006')).map((m) => m.to)).toEqual(['emily.carter@example.com']);
        const [claimed] = await again.claimOutbox('2026-11-24T02:00:00.000Z', 30_000, 10);
        expect(claimed.to).toBe('emily.carter@example.com');
        await again.transact(async (tx) => {
          expect(canonical(await tx.memberByPhone('+8613812345678'))).toEqual(
            canonical(seed.members.find((m) => m.id === 'm-1001')),
          );
          expect((await tx.outboxMessage('o-1'))?.to).toBe('emily.carter@example.com');
        });
      } finally {
        await again.close();
      }
    } finally {
      await repo.close();
    }
  });

  it('does not open a sealed field moved onto another row or field: the place is part of the seal', async () => {
    const url = await seededDatabase();
    const repo = instance(url);
    try {
      await rawQuery(
        url,
        "UPDATE members SET phone = (SELECT phone FROM members WHERE id = 'm-1001') WHERE id = 'm-1002'",
      );
      await expect(repo.memberById('m-1002')).rejects.toThrow(PersonalDataKeyError);
      await expect(repo.memberById('m-1002')).rejects.toThrow(/does not open at members\/m-1002\/phone/);
      await rawQuery(url, "UPDATE members SET name = email WHERE id = 'm-1003'");
      await expect(repo.memberById('m-1003')).rejects.toThrow(/does not open at members\/m-1003\/name/);
      expect((await repo.memberById('m-1001'))?.phone).toBe('+8613812345678');
    } finally {
      await repo.close();
    }
  });

  it('db:reseal after a rotation leaves every row under the new key, plain ones too, and members are still found', async () => {
    const url = await seededDatabase();
    const repo = instance(url);
    await repo.transact(async (tx) => tx.put('outbox', outboxMessage('o-1')));
    await repo.close();
    // A row an instance of an earlier version wrote after the migration: in plain text.
    await rawQuery(
      url,
      `INSERT INTO members (id, name, phone, email, locale, notify_channel)
       VALUES ('m-old', 'Old Writer', '+8613900000001', 'old.writer@example.com', 'en-US', 'email')`,
    );
    const rotated = pgKeys([NEXT_KEY, PG_KEY]);
    expect(await runDbCommand(['reseal'], url, rotated)).toBe(
      `Sealed ${seed.members.length + 1} members, 1 notices and 0 conversation states again under key "pg-2" (500 rows a transaction); every row is now sealed under it.`,
    );
    const fields = await rawQuery<{ field: string }>(
      url,
      `SELECT field FROM members, unnest(ARRAY[name, phone, email]) AS field
       UNION ALL SELECT recipient FROM outbox`,
    );
    expect(fields.length).toBe((seed.members.length + 1) * 3 + 1);
    expect(fields.filter((row) => !row.field.startsWith('pd1.pg-2.'))).toEqual([]);

    // The old key can go: a service given only the new one finds and opens everything.
    const renewed = instance(url, {}, pgSealer([NEXT_KEY]));
    try {
      expect((await renewed.memberByPhone('+8613812345678'))?.name).toBe('张伟');
      expect((await renewed.memberByEmail('OLD.writer@example.com'))?.name).toBe('Old Writer');
      expect((await renewed.outboxMessage('o-1'))?.to).toBe('emily.carter@example.com');
    } finally {
      await renewed.close();
    }
    expect(await runDbCommand(['reseal'], url, rotated)).toMatch(
      /^Sealed 0 members, 0 notices and 0 conversation states again/,
    );
  });

  it('db:reseal refuses rows under a key it was not given, changing nothing', async () => {
    const url = await seededDatabase();
    const before = await allRows(url);
    const refused = runDbCommand(['reseal'], url, pgKeys([NEXT_KEY]));
    await expect(refused).rejects.toBeInstanceOf(PersonalDataKeyError);
    await expect(refused).rejects.toThrow(/^Personal data sealed under key "pg-1" is not among the keys/);
    expect(await allRows(url)).toEqual(before);
  });

  it('db:import refuses a file sealed under a key it lacks, before writing anything, and re-seals one under an earlier key', async () => {
    const source = await seededDatabase();
    const file = join(dir, 'sealed.json');
    await runDbCommand(['export', file], source, pgKeys());

    const target = await freshDatabase();
    await runDbCommand(['migrate'], target, pgKeys([NEXT_KEY]));
    const refused = runDbCommand(['import', file], target, pgKeys([NEXT_KEY]));
    await expect(refused).rejects.toBeInstanceOf(PersonalDataKeyError);
    await expect(refused).rejects.toThrow(
      /^Personal data sealed under key "pg-1" is not among the keys this service was given \(record m-1001\)\./,
    );
    expect(await rawQuery(target, 'SELECT id FROM plans UNION ALL SELECT id FROM members')).toEqual([]);

    await runDbCommand(['import', file], target, pgKeys([NEXT_KEY, PG_KEY]));
    const phones = await rawQuery<{ phone: string }>(target, 'SELECT phone FROM members');
    expect(phones.length).toBe(seed.members.length);
    expect(phones.filter((row) => !row.phone.startsWith('pd1.pg-2.'))).toEqual([]);
    const repo = instance(target, {}, pgSealer([NEXT_KEY]));
    try {
      expect((await repo.memberByEmail('zhang.wei@example.com'))?.phone).toBe('+8613812345678');
    } finally {
      await repo.close();
    }
  });

  it('refuses keys that do not fit the sealed rows, at a start and in every db command, before writing anything', async () => {
    const url = await seededDatabase();
    const file = join(dir, 'sealed.json');
    await runDbCommand(['export', file], url, pgKeys());
    const otherIndex = [PG_KEY];

    const lacking = openPostgres(url, 'off', { sealer: pgSealer([NEXT_KEY]) });
    await expect(lacking).rejects.toBeInstanceOf(PersonalDataKeyError);
    await expect(lacking).rejects.toThrow(/^Personal data sealed under key "pg-1" is not among the keys/);
    const misindexed = openPostgres(url, 'auto', { sealer: pgSealer(otherIndex, OTHER_INDEX_KEY) });
    await expect(misindexed).rejects.toBeInstanceOf(IndexKeyMismatchError);
    await expect(misindexed).rejects.toThrow(
      /^Member m-1001 was indexed with another PERSONAL_DATA_INDEX_KEY than this service's: no member would be found/,
    );
    const importing = runDbCommand(['import', file], url, pgKeys(otherIndex, OTHER_INDEX_KEY));
    await expect(importing).rejects.toBeInstanceOf(IndexKeyMismatchError);

    // A row an instance of the earlier version wrote: sealing it with these keys would make it unfindable.
    await rawQuery(
      url,
      `INSERT INTO members (id, name, phone, email, locale, notify_channel)
       VALUES ('m-old', 'Old Writer', '+8613900000001', 'old.writer@example.com', 'en-US', 'email')`,
    );
    const before = await allRows(url);
    await expect(runDbCommand(['migrate'], url, pgKeys(otherIndex, OTHER_INDEX_KEY))).rejects.toBeInstanceOf(
      IndexKeyMismatchError,
    );
    await expect(runDbCommand(['reseal'], url, pgKeys([NEXT_KEY, PG_KEY], OTHER_INDEX_KEY))).rejects.toBeInstanceOf(
      IndexKeyMismatchError,
    );
    expect(await allRows(url)).toEqual(before);
  });
});
