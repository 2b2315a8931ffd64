import type {
  ApiKey,
  AuditEntry,
  Cancellation,
  Handoff,
  IdempotencyKey,
  Membership,
  OtpChallenge,
  OutboxMessage,
  Plan,
} from '../../model/schema.js';
import type { DbChange } from './dbJournal.js';
import type { HeldRecords, SealedDb, StoredMember } from '../sealedRecords.js';
import { plainCopy } from './plainCopy.js';

type Db = SealedDb;
type Collection = keyof HeldRecords;
type AnyRecord = HeldRecords[Collection];
/** A record with its collection: a switch on the collection narrows the record, with no cast per case. */
type Held = { [K in Collection]: { collection: K; record: HeldRecords[K] } }[Collection];

/** The one place a record is paired with its collection; callers hold the two apart, as the journal does. */
const held = (collection: Collection, record: AnyRecord) => ({ collection, record }) as Held;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function unlist<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  const at = list?.lastIndexOf(value) ?? -1;
  if (at >= 0) list!.splice(at, 1);
  if (list?.length === 0) map.delete(key);
}

/** Puts a record's fields back as `next` has them, keeping the object that arrays and indexes hold. */
function replaceFields(record: object, next: object): void {
  const target = record as Record<string, unknown>;
  for (const key of Object.keys(target)) if (!(key in next)) delete target[key];
  Object.assign(target, next);
}

/** The arrays a prune replaces (it filters into a new array, never splices). */
interface PrunedArrays {
  otpChallenges: OtpChallenge[];
  outbox: OutboxMessage[];
  audit: AuditEntry[];
}

/**
 * The JSON store's indexes, built once when it opens and kept right by every put and prune, so a
 * look-up costs the same at 1k or 1M members. A record is replaced in place (its fields), so the
 * arrays and lists holding it stay valid; its secondary keys are re-indexed when they change.
 */
export class JsonIndexes {
  readonly membersById = new Map<string, StoredMember>();
  /** By blind index (sealedRecords.ts): the phone itself is sealed. */
  readonly membersByPhone = new Map<string, StoredMember>();
  readonly membersByEmail = new Map<string, StoredMember>();
  readonly plansById = new Map<string, Plan>();
  readonly membershipsById = new Map<string, Membership>();
  readonly membershipsByMember = new Map<string, Membership[]>();
  readonly cancellationsByMembership = new Map<string, Cancellation[]>();
  readonly cancellationsByRequest = new Map<string, Cancellation>();
  readonly cancellationsByReference = new Map<string, Cancellation>();
  readonly challengesById = new Map<string, OtpChallenge>();
  readonly challengesByIdentifier = new Map<string, OtpChallenge[]>();
  readonly challengesByRequester = new Map<string, OtpChallenge[]>();
  readonly outboxById = new Map<string, OutboxMessage>();
  readonly outboxByMember = new Map<string, OutboxMessage[]>();
  /** Messages still to deliver, in the order they were written. */
  readonly pendingOutbox = new Map<string, OutboxMessage>();
  private readonly auditById = new Map<string, AuditEntry>();
  private readonly handoffsById = new Map<string, Handoff>();
  readonly apiKeysById = new Map<string, ApiKey>();
  readonly idempotencyKeysById = new Map<string, IdempotencyKey>();

  constructor(db: Db) {
    for (const p of db.plans) this.plansById.set(p.id, p);
    for (const m of db.members) this.index('members', m);
    for (const m of db.memberships) this.index('memberships', m);
    for (const c of db.cancellations) this.index('cancellations', c);
    for (const c of db.otpChallenges) this.index('otpChallenges', c);
    for (const o of db.outbox) this.index('outbox', o);
    for (const a of db.audit) this.index('audit', a);
    for (const h of db.handoffs) this.index('handoffs', h);
    for (const k of db.apiKeys) this.index('apiKeys', k);
    for (const k of db.idempotencyKeys) this.index('idempotencyKeys', k);
  }

  /** Inserts `record` or replaces the one with its key; returns how to take that back. */
  put(db: Db, collection: Collection, key: string, record: AnyRecord): () => void {
    const existing = this.byKey(collection).get(key);
    if (!existing) {
      (db[collection] as AnyRecord[]).push(record);
      this.index(collection, record);
      return () => {
        const list = db[collection] as AnyRecord[];
        const at = list.lastIndexOf(record);
        if (at >= 0) list.splice(at, 1);
        this.unindex(collection, record);
      };
    }
    const before = plainCopy(existing);
    this.replace(collection, existing, record);
    return () => this.replace(collection, existing, before);
  }

  /** The arrays as they are before a prune. */
  snapshotOf(db: Db): PrunedArrays {
    return { otpChallenges: db.otpChallenges, outbox: db.outbox, audit: db.audit };
  }

  /** What a prune removed, taken out of the indexes and returned as the journal's deletions. */
  deletedSince(before: PrunedArrays, db: Db): DbChange[] {
    const deleted: DbChange[] = [];
    for (const collection of ['otpChallenges', 'outbox', 'audit'] as const) {
      const now = db[collection] as AnyRecord[];
      if (now === before[collection]) continue;
      const kept = new Set<AnyRecord>(now);
      for (const record of before[collection] as AnyRecord[]) {
        if (kept.has(record)) continue;
        this.unindex(collection, record);
        deleted.push({ c: collection, id: (record as { id: string }).id, d: true });
      }
    }
    return deleted;
  }

  /** Puts pruned arrays back, and their records into the indexes. */
  restore(db: Db, before: PrunedArrays): void {
    for (const collection of ['otpChallenges', 'outbox', 'audit'] as const) {
      if (db[collection] === before[collection]) continue;
      for (const record of db[collection] as AnyRecord[]) this.unindex(collection, record);
      (db as Record<string, unknown>)[collection] = before[collection];
      for (const record of before[collection] as AnyRecord[]) this.index(collection, record);
    }
  }

  /**
   * Replaces a record's fields in place. Its entries in list indexes keep their position unless a
   * list's key changes (the domain never moves a membership to another member, but a put may).
   */
  private replace(collection: Collection, existing: AnyRecord, next: AnyRecord): void {
    const lists = listKeys(collection, existing) !== listKeys(collection, next);
    this.unindex(collection, existing, lists);
    replaceFields(existing, next);
    this.index(collection, existing, lists);
  }

  private byKey(collection: Collection): Map<string, AnyRecord> {
    switch (collection) {
      case 'members':
        return this.membersById;
      case 'memberships':
        return this.membershipsById;
      case 'cancellations':
        return this.cancellationsByReference;
      case 'otpChallenges':
        return this.challengesById;
      case 'outbox':
        return this.outboxById;
      case 'audit':
        return this.auditById;
      case 'handoffs':
        return this.handoffsById;
      case 'apiKeys':
        return this.apiKeysById;
      case 'idempotencyKeys':
        return this.idempotencyKeysById;
    }
  }

  /** Adds a record to the indexes of its collection (the list indexes too unless `lists` is false). */
  private index(collection: Collection, record: AnyRecord, lists = true): void {
    const list = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
      if (lists) push(map, key, value);
    };
    const h = held(collection, record);
    switch (h.collection) {
      case 'members': {
        const m = h.record;
        this.membersById.set(m.id, m);
        this.membersByPhone.set(m.phoneIndex, m);
        this.membersByEmail.set(m.emailIndex, m);
        return;
      }
      case 'memberships': {
        const m = h.record;
        this.membershipsById.set(m.id, m);
        list(this.membershipsByMember, m.memberId, m);
        return;
      }
      case 'cancellations': {
        const c = h.record;
        list(this.cancellationsByMembership, c.membershipId, c);
        this.cancellationsByRequest.set(c.requestId, c);
        this.cancellationsByReference.set(c.reference, c);
        return;
      }
      case 'otpChallenges': {
        const c = h.record;
        this.challengesById.set(c.id, c);
        list(this.challengesByIdentifier, c.identifier, c);
        for (const key of c.requesters ?? []) list(this.challengesByRequester, key, c);
        return;
      }
      case 'outbox': {
        const o = h.record;
        this.outboxById.set(o.id, o);
        list(this.outboxByMember, o.memberId, o);
        if (o.status === 'pending') this.pendingOutbox.set(o.id, o);
        return;
      }
      case 'audit':
        this.auditById.set(h.record.id, h.record);
        return;
      case 'handoffs':
        this.handoffsById.set(h.record.id, h.record);
        return;
      case 'apiKeys':
        this.apiKeysById.set(h.record.id, h.record);
        return;
      case 'idempotencyKeys':
        this.idempotencyKeysById.set((record as IdempotencyKey).id, record as IdempotencyKey);
        return;
    }
  }

  /** Takes a record out of the indexes of its collection (the list indexes too unless `lists` is false). */
  private unindex(collection: Collection, record: AnyRecord, lists = true): void {
    const unlistIf = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
      if (lists) unlist(map, key, value);
    };
    const h = held(collection, record);
    switch (h.collection) {
      case 'members': {
        const m = h.record;
        this.membersById.delete(m.id);
        this.membersByPhone.delete(m.phoneIndex);
        this.membersByEmail.delete(m.emailIndex);
        return;
      }
      case 'memberships': {
        const m = h.record;
        this.membershipsById.delete(m.id);
        unlistIf(this.membershipsByMember, m.memberId, m);
        return;
      }
      case 'cancellations': {
        const c = h.record;
        unlistIf(this.cancellationsByMembership, c.membershipId, c);
        this.cancellationsByRequest.delete(c.requestId);
        this.cancellationsByReference.delete(c.reference);
        return;
      }
      case 'otpChallenges': {
        const c = h.record;
        this.challengesById.delete(c.id);
        unlistIf(this.challengesByIdentifier, c.identifier, c);
        for (const key of c.requesters ?? []) unlistIf(this.challengesByRequester, key, c);
        return;
      }
      case 'outbox': {
        const o = h.record;
        this.outboxById.delete(o.id);
        unlistIf(this.outboxByMember, o.memberId, o);
        this.pendingOutbox.delete(o.id);
        return;
      }
      case 'audit':
        this.auditById.delete(h.record.id);
        return;
      case 'handoffs':
        this.handoffsById.delete(h.record.id);
        return;
      case 'apiKeys':
        this.apiKeysById.delete(h.record.id);
        return;
      case 'idempotencyKeys':
        this.idempotencyKeysById.delete((record as IdempotencyKey).id);
        return;
    }
  }
}

/** The keys a record is listed under, as one string to compare. */
function listKeys(collection: Collection, record: AnyRecord): string {
  const h = held(collection, record);
  switch (h.collection) {
    case 'memberships':
      return h.record.memberId;
    case 'cancellations':
      return h.record.membershipId;
    case 'otpChallenges': {
      const c = h.record;
      return JSON.stringify([c.identifier, c.requesters ?? []]);
    }
    case 'outbox':
      return h.record.memberId;
    default:
      return '';
  }
}
