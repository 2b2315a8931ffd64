import pg from 'pg';
import type { z } from 'zod';
import { TABLES, type TableName } from '../../../src/store/postgres/tables.js';
import { dbSchema } from '../../../src/model/schema.js';
import { storedMemberSchema } from '../../../src/store/sealedRecords.js';
import { migratedDatabase } from '../../support/postgresSchema.js';

/** The PostgreSQL type each kind of column is declared with in the migrations. */
const SQL_TYPES: Record<string, string[]> = {
  text: ['text'],
  int: ['integer', 'bigint'],
  bool: ['boolean'],
  time: ['timestamp with time zone'],
  json: ['jsonb'],
  texts: ['ARRAY'],
};

const collections = Object.keys(TABLES) as TableName[];

/** A schema without its default or optional wrapper. */
function unwrapped(schema: z.ZodType): z.ZodType {
  const inner = (schema.def as { innerType?: z.ZodType }).innerType;
  return inner ? unwrapped(inner) : schema;
}

/** The record schema of a collection as the database holds it (members sealed), as zod states it. */
function recordShape(collection: TableName): Record<string, z.ZodType> {
  if (collection === 'members') return storedMemberSchema.shape;
  return (unwrapped(dbSchema.shape[collection]) as z.ZodArray<z.ZodObject>).element.shape;
}

/** The schema's three statements (zod, the migrations, tables.ts) must say the same. */
describe('the PostgreSQL schema agrees with the zod schema', () => {
  it.each(collections)('%s: tables.ts maps every field of the record, optional where zod says so', (collection) => {
    const shape = recordShape(collection);
    const columns = TABLES[collection].columns;
    expect(columns.map((c) => c.field).sort()).toEqual(Object.keys(shape).sort());
    for (const c of columns) {
      expect([c.field, c.optional === true]).toEqual([c.field, shape[c.field].safeParse(undefined).success]);
    }
  });

  describe('the migrations', () => {
    let columns: { table: string; column: string; type: string; nullable: boolean }[];

    beforeAll(async () => {
      const pool = new pg.Pool({ connectionString: await migratedDatabase(), max: 1 });
      try {
        const { rows } = await pool.query<{
          table_name: string;
          column_name: string;
          data_type: string;
          is_nullable: string;
        }>(
          `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
           WHERE table_schema = current_schema()`,
        );
        columns = rows.map((r) => ({
          table: r.table_name,
          column: r.column_name,
          type: r.data_type,
          nullable: r.is_nullable === 'YES',
        }));
      } finally {
        await pool.end();
      }
    });

    it.each(collections)(
      '%s: create every column tables.ts reads, of its kind, nullable when optional',
      (collection) => {
        const table = TABLES[collection];
        const created = columns.filter((c) => c.table === table.name);
        for (const c of table.columns) {
          const found = created.find((d) => d.column === c.column);
          expect([c.column, found && SQL_TYPES[c.kind].includes(found.type)]).toEqual([c.column, true]);
          if (c.optional) expect([c.column, found?.nullable]).toEqual([c.column, true]);
        }
      },
    );
  });
});
