import type { Repository, Transaction } from '../model/repository.js';
import type {
  AuditEntry,
  Cancellation,
  Db,
  Member,
  Membership,
  OtpChallenge,
  OutboxMessage,
  Plan,
  dbSchema,
} from '../model/schema.js';
import { SECRET_TEMPLATES } from '../notify/notifier.js';
import { COLLECTIONS, type CollectionName, type DbChange } from './dbJournal.js';
import type { JsonStore } from './jsonStore.js';

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Takes `item` out of `list`; it was added lately, so the search starts at the end. */
function remove<V>(list: V[] | undefined, item: V): void {
  const at = list?.lastIndexOf(item) ?? -1;
  if (at >= 0) list!.splice(at, 1);
}

function unindex<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  remove(list, value);
  if (list?.length === 0) map.delete(key);
}

/**
 * A one-time code's message keeps its text in memory only: written to the journal or a snapshot
 * (both serialise through JSON.stringify, hence toJSON) the text is blank, so a code never rests
 * in the data files. A restart before delivery loses the code; the dispatcher then parks the
 * message and the member asks for a new one. Not enumerable: copies ({...m}, structuredClone)
 * are plain records with the text.
 */
function keepTextInMemory(message: OutboxMessage): void {
  Object.defineProperty(message, 'toJSON', {
    value: () => ({ ...message, text: '' }),
    enumerable: false,
    configurable: true,
  });
}

/** Puts a record changed in place back as it was, keeping the object that indexes point to. */
function restore(record: Record<string, unknown>, before: Record<string, unknown>): void {
  for (const key of Object.keys(record)) if (!(key in before)) delete record[key];
  Object.assign(record, before);
}

/**
 * The domain's {@link Repository} over the JSON store. Indexes are built once when the store is
 * opened and kept up to date by the transaction methods, so look-ups cost the same at 1k or 1M
 * members.
 */
export class DbRepository implements Repository {
  private readonly membersById = new Map<string, Member>();
  private readonly membersByPhone = new Map<string, Member>();
  private readonly membersByEmail = new Map<string, Member>();
  private readonly plansById = new Map<string, Plan>();
  private readonly membershipsById = new Map<string, Membership>();
  private readonly membershipsByMember = new Map<string, Membership[]>();
  private readonly cancellationsByMembership = new Map<string, Cancellation[]>();
  private readonly cancellationsByRequest = new Map<string, Cancellation>();
  private readonly cancellationsByReference = new Map<string, Cancellation>();
  private readonly challengesById = new Map<string, OtpChallenge>();
  private readonly challengesByIdentifier = new Map<string, OtpChallenge[]>();
  private readonly challengesByRequester = new Map<string, OtpChallenge[]>();
  private readonly outboxById = new Map<string, OutboxMessage>();
  /** Messages added by transactions not yet on disk: nobody may deliver them yet. */
  private readonly uncommittedOutbox = new Set<OutboxMessage>();

  /**
   * @param afterOutbox called once a transaction that added outbox messages is on disk, so they can
   *   be delivered at once instead of on the next timer tick.
   */
  constructor(
    private readonly store: JsonStore<typeof dbSchema>,
    private readonly afterOutbox: () => void = () => undefined,
  ) {
    const db = store.data;
    for (const m of db.members) {
      this.membersById.set(m.id, m);
      this.membersByPhone.set(m.phone, m);
      this.membersByEmail.set(m.email.toLowerCase(), m);
    }
    for (const p of db.plans) this.plansById.set(p.id, p);
    for (const ms of db.memberships) {
      this.membershipsById.set(ms.id, ms);
      push(this.membershipsByMember, ms.memberId, ms);
    }
    for (const c of db.cancellations) this.indexCancellation(c);
    for (const c of db.otpChallenges) this.indexChallenge(c);
    for (const o of db.outbox) this.outboxById.set(o.id, o);
  }

  memberById(id: string) {
    return this.membersById.get(id);
  }
  memberByPhone(e164: string) {
    return this.membersByPhone.get(e164);
  }
  memberByEmail(email: string) {
    return this.membersByEmail.get(email.toLowerCase());
  }
  plan(id: string) {
    return this.plansById.get(id);
  }
  membership(id: string) {
    return this.membershipsById.get(id);
  }
  membershipsOf(memberId: string) {
    return this.membershipsByMember.get(memberId) ?? [];
  }
  memberships(filter: (membership: Membership) => boolean) {
    return this.store.data.memberships.filter(filter);
  }
  cancellationsOf(membershipId: string) {
    return this.cancellationsByMembership.get(membershipId) ?? [];
  }
  cancellationByRequest(requestId: string) {
    return this.cancellationsByRequest.get(requestId);
  }
  referenceExists(reference: string) {
    return this.cancellationsByReference.has(reference);
  }
  cancellationByReference(reference: string) {
    return this.cancellationsByReference.get(reference);
  }
  challenge(id: string) {
    return this.challengesById.get(id);
  }
  challengesFor(identifier: string) {
    return this.challengesByIdentifier.get(identifier) ?? [];
  }
  challengesBy(requesterKey: string) {
    return this.challengesByRequester.get(requesterKey) ?? [];
  }
  outboxMessage(id: string) {
    return this.outboxById.get(id);
  }
  outbox(filter: (message: OutboxMessage) => boolean) {
    return this.store.data.outbox.filter((m) => !this.uncommittedOutbox.has(m) && filter(m));
  }
  audit() {
    return this.store.data.audit;
  }

  /**
   * Runs `change` and writes what it recorded as one journal line. If `change` throws, or the
   * write fails, every record it changed is put back as it was (records named with `changed` are
   * copied when named, so they must be named before they are changed) and every record it added is
   * taken out again, indexes included.
   */
  transact<R>(change: (tx: Transaction) => R): Promise<R> {
    const changes = new Map<string, DbChange>();
    const undo: (() => void)[] = [];
    const added: OutboxMessage[] = [];
    const rollBack = () => {
      for (const step of undo.reverse()) step();
      undo.length = 0;
    };
    const committed = this.store.update(
      (db) => {
        try {
          return change(this.transaction(db, changes, undo, added));
        } catch (err) {
          rollBack();
          throw err;
        }
      },
      () => [...changes.values()],
      rollBack,
    );
    const settled = () => {
      for (const message of added) this.uncommittedOutbox.delete(message);
    };
    return committed.then(
      (result) => {
        settled();
        if (added.length) this.afterOutbox();
        return result;
      },
      (err: unknown) => {
        settled();
        throw err;
      },
    );
  }

  /** A transaction that also collects its changes (one per record) for the store's journal, and how to undo each. */
  private transaction(
    db: Db,
    changes: Map<string, DbChange>,
    undo: (() => void)[],
    added: OutboxMessage[],
  ): Transaction {
    const upsert = (c: CollectionName, record: object) => {
      const value = record as Record<string, unknown>;
      changes.set(`${c}\u0000${String(value[COLLECTIONS[c].key])}`, { c, v: value });
    };
    const copied = new Set<object>();
    return {
      changed: (collection, record) => {
        if (!copied.has(record)) {
          copied.add(record);
          const before = structuredClone(record) as Record<string, unknown>;
          undo.push(() => restore(record, before));
        }
        upsert(collection, record);
      },
      addChallenge: (c) => {
        db.otpChallenges.push(c);
        this.indexChallenge(c);
        upsert('otpChallenges', c);
        undo.push(() => {
          remove(db.otpChallenges, c);
          this.challengesById.delete(c.id);
          unindex(this.challengesByIdentifier, c.identifier, c);
          for (const key of c.requesters ?? []) unindex(this.challengesByRequester, key, c);
        });
      },
      addCancellation: (c) => {
        db.cancellations.push(c);
        this.indexCancellation(c);
        upsert('cancellations', c);
        undo.push(() => {
          remove(db.cancellations, c);
          unindex(this.cancellationsByMembership, c.membershipId, c);
          this.cancellationsByRequest.delete(c.requestId);
          this.cancellationsByReference.delete(c.reference);
        });
      },
      addAudit: (entry) => {
        db.audit.push(entry);
        upsert('audit', entry);
        undo.push(() => remove(db.audit, entry));
      },
      addOutbox: (message) => {
        if (SECRET_TEMPLATES.has(message.template)) keepTextInMemory(message);
        db.outbox.push(message);
        this.outboxById.set(message.id, message);
        this.uncommittedOutbox.add(message);
        added.push(message);
        upsert('outbox', message);
        undo.push(() => {
          remove(db.outbox, message);
          this.outboxById.delete(message.id);
        });
      },
      addHandoff: (handoff) => {
        db.handoffs.push(handoff);
        upsert('handoffs', handoff);
        undo.push(() => remove(db.handoffs, handoff));
      },
      pruneOutbox: (drop) => {
        const before = db.outbox;
        const keep = before.filter((message) => message.status === 'pending' || !drop(message));
        if (keep.length === before.length) return;
        const kept = new Set(keep);
        const dropped = before.filter((message) => !kept.has(message));
        for (const message of dropped) {
          changes.set(`outbox\u0000${message.id}`, { c: 'outbox', id: message.id, d: true });
          this.outboxById.delete(message.id);
        }
        db.outbox = keep;
        undo.push(() => {
          db.outbox = before;
          for (const message of dropped) this.outboxById.set(message.id, message);
        });
      },
      pruneAudit: (cutoff, kept) => {
        const before = db.audit;
        // Compared as instants: an entry written with an offset (+08:00) does not sort as text.
        const cutoffMs = Date.parse(cutoff);
        const purged = (entry: AuditEntry) => Date.parse(entry.at) < cutoffMs && !kept(entry);
        const keep = before.filter((entry) => !purged(entry));
        if (keep.length === before.length) return;
        for (const entry of before) {
          if (purged(entry)) changes.set(`audit\u0000${entry.id}`, { c: 'audit', id: entry.id, d: true });
        }
        db.audit = keep;
        undo.push(() => {
          db.audit = before;
        });
      },
      pruneChallenges: (cutoff) => {
        const before = db.otpChallenges;
        // An open challenge nobody answered ends when it expires (an unregistered number's always does).
        const keep = before.filter((c) => (c.closedAt ?? (c.state === 'open' ? c.expiresAt : c.issuedAt)) >= cutoff);
        if (keep.length === before.length) return;
        const kept = new Set(keep);
        for (const c of before) {
          if (!kept.has(c)) changes.set(`otpChallenges\u0000${c.id}`, { c: 'otpChallenges', id: c.id, d: true });
        }
        db.otpChallenges = keep;
        this.reindexChallenges(keep);
        undo.push(() => {
          db.otpChallenges = before;
          this.reindexChallenges(before);
        });
      },
    };
  }

  private reindexChallenges(challenges: OtpChallenge[]): void {
    this.challengesById.clear();
    this.challengesByIdentifier.clear();
    this.challengesByRequester.clear();
    for (const c of challenges) this.indexChallenge(c);
  }

  private indexCancellation(c: Cancellation): void {
    push(this.cancellationsByMembership, c.membershipId, c);
    this.cancellationsByRequest.set(c.requestId, c);
    this.cancellationsByReference.set(c.reference, c);
  }

  private indexChallenge(c: OtpChallenge): void {
    this.challengesById.set(c.id, c);
    push(this.challengesByIdentifier, c.identifier, c);
    for (const key of c.requesters ?? []) push(this.challengesByRequester, key, c);
  }
}
