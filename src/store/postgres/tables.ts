import type { Db } from '../../model/schema.js';

/** How a record field is kept: the SQL type its value is cast to, and how it comes back. */
type Kind = 'text' | 'int' | 'bool' | 'time' | 'json' | 'texts';

interface Column {
  field: string;
  column: string;
  kind: Kind;
  /** Absent from the record when NULL (an optional field); otherwise NULL reads back as null. */
  optional?: true;
}

export interface Table {
  name: string;
  key: string;
  columns: readonly Column[];
}

const col = (field: string, column: string, kind: Kind, optional?: 'optional'): Column =>
  optional ? { field, column, kind, optional: true } : { field, column, kind };

/**
 * Each collection of dbSchema as its table (src/store/postgres/migrations), fields in the schema's
 * order. Members are as stored (storedMemberSchema): their personal fields sealed.
 */
export const TABLES = {
  plans: {
    name: 'plans',
    key: 'id',
    columns: [
      col('id', 'id', 'text'),
      col('name', 'name', 'json'),
      col('tier', 'tier', 'json'),
      col('period', 'period', 'text'),
      col('price', 'price', 'int'),
      col('currency', 'currency', 'text'),
      col('refundPolicy', 'refund_policy', 'text'),
      col('cancellationFee', 'cancellation_fee', 'int'),
      col('retentionOffer', 'retention_offer', 'json', 'optional'),
      col('reminderPolicy', 'reminder_policy', 'text', 'optional'),
    ],
  },
  members: {
    name: 'members',
    key: 'id',
    columns: [
      col('id', 'id', 'text'),
      col('name', 'name', 'text'),
      col('phone', 'phone', 'text'),
      col('email', 'email', 'text'),
      col('locale', 'locale', 'text'),
      col('notifyChannel', 'notify_channel', 'text'),
      // Sealed (src/store/sealedRecords.ts): the channel address as sealed text, and the blind indexes.
      col('conversationReference', 'conversation_reference', 'text', 'optional'),
      col('phoneIndex', 'phone_index', 'text'),
      col('emailIndex', 'email_index', 'text'),
      col('reminderPolicy', 'reminder_policy', 'text', 'optional'),
    ],
  },
  memberships: {
    name: 'memberships',
    key: 'id',
    columns: [
      col('id', 'id', 'text'),
      col('memberId', 'member_id', 'text'),
      col('planId', 'plan_id', 'text'),
      col('status', 'status', 'text'),
      col('autoRenew', 'auto_renew', 'bool'),
      col('startedAt', 'started_at', 'time'),
      col('currentPeriodStart', 'current_period_start', 'time'),
      col('currentPeriodEnd', 'current_period_end', 'time'),
      col('pricePaid', 'price_paid', 'int'),
      col('points', 'points', 'int'),
      col('coupons', 'coupons', 'json'),
      col('effectiveAt', 'effective_at', 'time', 'optional'),
      col('graceUntil', 'grace_until', 'time', 'optional'),
      col('remindedFor', 'reminded_for', 'time', 'optional'),
      col('lastChargeId', 'last_charge_id', 'text', 'optional'),
      col('price', 'price', 'int', 'optional'),
      col('priceChange', 'price_change', 'json', 'optional'),
      col('appStore', 'app_store', 'text', 'optional'),
      col('timeZone', 'time_zone', 'text', 'optional'),
      col('renewalCharge', 'renewal_charge', 'json', 'optional'),
    ],
  },
  cancellations: {
    name: 'cancellations',
    key: 'reference',
    columns: [
      col('reference', 'reference', 'text'),
      col('requestId', 'request_id', 'text'),
      col('membershipId', 'membership_id', 'text'),
      col('memberId', 'member_id', 'text'),
      col('planId', 'plan_id', 'text'),
      col('option', 'option', 'text'),
      col('receivedAt', 'received_at', 'time'),
      col('effectiveAt', 'effective_at', 'time'),
      col('refund', 'refund', 'int'),
      col('fee', 'fee', 'int'),
      col('currency', 'currency', 'text'),
      col('forfeited', 'forfeited', 'json'),
      col('reason', 'reason', 'text', 'optional'),
      col('conversationId', 'conversation_id', 'text', 'optional'),
      col('undoneAt', 'undone_at', 'time', 'optional'),
    ],
  },
  audit: {
    name: 'audit',
    key: 'id',
    columns: [
      col('id', 'id', 'text'),
      col('at', 'at', 'time'),
      col('type', 'type', 'text'),
      col('memberId', 'member_id', 'text', 'optional'),
      col('membershipId', 'membership_id', 'text', 'optional'),
      col('conversationId', 'conversation_id', 'text', 'optional'),
      col('data', 'data', 'json', 'optional'),
    ],
  },
  outbox: {
    name: 'outbox',
    key: 'id',
    columns: [
      col('id', 'id', 'text'),
      col('at', 'at', 'time'),
      col('memberId', 'member_id', 'text'),
      col('channel', 'channel', 'text'),
      col('to', 'recipient', 'text'),
      col('locale', 'locale', 'text'),
      col('template', 'template', 'text'),
      col('text', 'text', 'text'),
      col('status', 'status', 'text'),
      col('attempts', 'attempts', 'int'),
      col('nextAttemptAt', 'next_attempt_at', 'time'),
      col('sentAt', 'sent_at', 'time', 'optional'),
      col('lastError', 'last_error', 'text', 'optional'),
      col('redacted', 'redacted', 'bool', 'optional'),
    ],
  },
  otpChallenges: {
    name: 'otp_challenges',
    key: 'id',
    columns: [
      col('id', 'id', 'text'),
      col('identifier', 'identifier', 'text'),
      col('memberId', 'member_id', 'text'),
      col('codeHash', 'code_hash', 'text'),
      col('issuedAt', 'issued_at', 'time'),
      col('expiresAt', 'expires_at', 'time'),
      col('failedAttempts', 'failed_attempts', 'int'),
      col('state', 'state', 'text'),
      col('closedAt', 'closed_at', 'time', 'optional'),
      col('requesters', 'requesters', 'texts', 'optional'),
    ],
  },
  handoffs: {
    name: 'handoffs',
    key: 'id',
    columns: [
      col('id', 'id', 'text'),
      col('at', 'at', 'time'),
      col('conversationId', 'conversation_id', 'text'),
      col('memberId', 'member_id', 'text', 'optional'),
      col('locale', 'locale', 'text'),
      col('state', 'state', 'text'),
    ],
  },
  apiKeys: {
    name: 'api_keys',
    key: 'id',
    columns: [
      col('id', 'id', 'text'),
      col('secretHash', 'secret_hash', 'text'),
      col('scopes', 'scopes', 'texts'),
      col('createdAt', 'created_at', 'time'),
      col('label', 'label', 'text', 'optional'),
      col('revokedAt', 'revoked_at', 'time', 'optional'),
      col('replacedBy', 'replaced_by', 'text', 'optional'),
    ],
  },
  idempotencyKeys: {
    name: 'idempotency_keys',
    key: 'id',
    columns: [
      col('id', 'id', 'text'),
      col('operation', 'operation', 'text'),
      col('fingerprint', 'fingerprint', 'text'),
      col('createdAt', 'created_at', 'time'),
      col('lockedUntil', 'locked_until', 'time', 'optional'),
      col('response', 'response', 'json', 'optional'),
    ],
  },
} as const satisfies Record<keyof Db, Table>;

export type TableName = keyof typeof TABLES;

const SQL_TYPE: Record<Kind, string> = {
  text: 'text',
  int: 'bigint',
  bool: 'boolean',
  time: 'timestamptz',
  json: 'jsonb',
  texts: 'text[]',
};

/** The columns to select, in the record's order. */
export function selectList(table: Table, alias?: string): string {
  return table.columns.map((c) => (alias ? `${alias}.${c.column}` : c.column)).join(', ');
}

/** The columns of `table` (as `alias`) named with `prefix`, to select beside another table's. */
export function prefixedList(table: Table, alias: string, prefix: string): string {
  return table.columns.map((c) => `${alias}.${c.column} AS ${prefix}${c.column}`).join(', ');
}

/** The columns of a row named with `prefix`, without it (see {@link prefixedList}). */
export function unprefixed(row: Record<string, unknown>, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) if (name.startsWith(prefix)) out[name.slice(prefix.length)] = value;
  return out;
}

/** One canonical form for every instant read back: UTC with milliseconds, as Date.toISOString writes. */
function fromColumn(kind: Kind, value: unknown): unknown {
  switch (kind) {
    case 'int':
      return Number(value);
    case 'time':
      return (value as Date).toISOString();
    default:
      return value;
  }
}

/** A row as the record dbSchema describes: optional fields absent, not null. */
export function toRecord<T>(table: Table, row: Record<string, unknown>): T {
  const record: Record<string, unknown> = {};
  for (const c of table.columns) {
    const value = row[c.column];
    if (value === null || value === undefined) {
      if (!c.optional) record[c.field] = null;
    } else record[c.field] = fromColumn(c.kind, value);
  }
  return record as T;
}

/** `INSERT … ON CONFLICT (key) DO UPDATE` of every column: a put replaces the whole record. `extraOnUpdate` sets columns outside the record. */
export function upsertSql(table: Table, extraOnUpdate = ''): string {
  const names = table.columns.map((c) => c.column);
  const values = table.columns.map((c, i) => `$${i + 1}::${SQL_TYPE[c.kind]}`);
  const updates = table.columns.filter((c) => c.column !== table.key).map((c) => `${c.column} = EXCLUDED.${c.column}`);
  if (extraOnUpdate) updates.push(extraOnUpdate);
  return (
    `INSERT INTO ${table.name} AS t (${names.join(', ')}) VALUES (${values.join(', ')}) ` +
    `ON CONFLICT (${table.key}) DO UPDATE SET ${updates.join(', ')} RETURNING (xmax = 0) AS inserted`
  );
}

/** The record's fields as the upsert's parameters. */
export function upsertParams(table: Table, record: object): unknown[] {
  const fields = record as Record<string, unknown>;
  return table.columns.map((c) => {
    const value = fields[c.field];
    if (value === undefined || value === null) return null;
    // jsonb parameters go as JSON text; node-postgres would send a JS array as a PostgreSQL array.
    return c.kind === 'json' ? JSON.stringify(value) : value;
  });
}
