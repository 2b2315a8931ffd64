import { z } from 'zod';
import {
  apiKeySchema,
  auditEntrySchema,
  cancellationSchema,
  handoffSchema,
  idempotencyKeySchema,
  memberSchema,
  membershipSchema,
  otpChallengeSchema,
  outboxMessageSchema,
  planSchema,
} from '../../model/schema.js';
import { storedMemberSchema, type StoredDb } from '../sealedRecords.js';

/** Each journalled collection: its record schema and the field that names a record. */
export const COLLECTIONS = {
  plans: { schema: planSchema, key: 'id' },
  // Sealed; in plain text in a journal written before sealing (sealed when the store starts).
  members: { schema: z.union([storedMemberSchema, memberSchema]), key: 'id' },
  memberships: { schema: membershipSchema, key: 'id' },
  cancellations: { schema: cancellationSchema, key: 'reference' },
  audit: { schema: auditEntrySchema, key: 'id' },
  outbox: { schema: outboxMessageSchema, key: 'id' },
  otpChallenges: { schema: otpChallengeSchema, key: 'id' },
  handoffs: { schema: handoffSchema, key: 'id' },
  apiKeys: { schema: apiKeySchema, key: 'id' },
  idempotencyKeys: { schema: idempotencyKeySchema, key: 'id' },
} as const;

export type CollectionName = keyof typeof COLLECTIONS;
export type DbChange = { c: CollectionName; v: Record<string, unknown> } | { c: CollectionName; id: string; d: true };

const changeSchema = z.union([
  z.object({
    c: z.enum(Object.keys(COLLECTIONS) as [CollectionName, ...CollectionName[]]),
    v: z.record(z.string(), z.unknown()),
  }),
  z.object({
    c: z.enum(Object.keys(COLLECTIONS) as [CollectionName, ...CollectionName[]]),
    id: z.string(),
    d: z.literal(true),
  }),
]);

/** Applies journalled changes to a loaded snapshot: whole records upserted by key, or deleted. */
export function replayDb(db: StoredDb, raw: unknown[]): void {
  const positions = new Map<CollectionName, Map<string, number>>();
  const position = (c: CollectionName) => {
    let map = positions.get(c);
    if (!map) {
      const key = COLLECTIONS[c].key;
      map = new Map((db[c] as Record<string, unknown>[]).map((r, i) => [String(r[key]), i]));
      positions.set(c, map);
    }
    return map;
  };
  const deleted = new Set<CollectionName>();
  for (const item of raw) {
    const change = changeSchema.parse(item);
    const list = db[change.c] as Record<string, unknown>[];
    const map = position(change.c);
    if ('d' in change) {
      const at = map.get(change.id);
      if (at !== undefined) {
        list[at] = undefined as never;
        map.delete(change.id);
        deleted.add(change.c);
      }
      continue;
    }
    const record = COLLECTIONS[change.c].schema.parse(change.v) as Record<string, unknown>;
    const id = String(record[COLLECTIONS[change.c].key]);
    const at = map.get(id);
    if (at === undefined) {
      map.set(id, list.length);
      list.push(record);
    } else {
      list[at] = record;
    }
  }
  for (const c of deleted) (db as Record<string, unknown[]>)[c] = (db[c] as unknown[]).filter((r) => r !== undefined);
}
