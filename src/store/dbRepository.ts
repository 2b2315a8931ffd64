import type { Repository, Transaction } from '../model/repository.js';
import type { Cancellation, Db, Member, Membership, OtpChallenge, OutboxMessage, Plan, dbSchema } from '../model/schema.js';
import { COLLECTIONS, type CollectionName, type DbChange } from './dbJournal.js';
import type { JsonStore } from './jsonStore.js';

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
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

  /**
   * @param afterOutbox called once a transaction that added outbox messages is on disk, so they can
   *   be delivered at once instead of on the next timer tick.
   */
  constructor(private readonly store: JsonStore<typeof dbSchema>, private readonly afterOutbox: () => void = () => undefined) {
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

  memberById(id: string) { return this.membersById.get(id); }
  memberByPhone(e164: string) { return this.membersByPhone.get(e164); }
  memberByEmail(email: string) { return this.membersByEmail.get(email.toLowerCase()); }
  plan(id: string) { return this.plansById.get(id); }
  membership(id: string) { return this.membershipsById.get(id); }
  membershipsOf(memberId: string) { return this.membershipsByMember.get(memberId) ?? []; }
  memberships(filter: (membership: Membership) => boolean) { return this.store.data.memberships.filter(filter); }
  cancellationsOf(membershipId: string) { return this.cancellationsByMembership.get(membershipId) ?? []; }
  cancellationByRequest(requestId: string) { return this.cancellationsByRequest.get(requestId); }
  referenceExists(reference: string) { return this.cancellationsByReference.has(reference); }
  cancellationByReference(reference: string) { return this.cancellationsByReference.get(reference); }
  challenge(id: string) { return this.challengesById.get(id); }
  challengesFor(identifier: string) { return this.challengesByIdentifier.get(identifier) ?? []; }
  challengesBy(requesterKey: string) { return this.challengesByRequester.get(requesterKey) ?? []; }
  outboxMessage(id: string) { return this.outboxById.get(id); }
  outbox(filter: (message: OutboxMessage) => boolean) { return this.store.data.outbox.filter(filter); }
  audit() { return this.store.data.audit; }

  transact<R>(change: (tx: Transaction) => R): Promise<R> {
    const changes = new Map<string, DbChange>();
    const committed = this.store.update((db) => change(this.transaction(db, changes)), () => [...changes.values()]);
    return committed.then((result) => {
      if ([...changes.values()].some((c) => c.c === 'outbox' && 'v' in c && c.v.status === 'pending')) this.afterOutbox();
      return result;
    });
  }

  /** A transaction that also collects its changes (one per record) for the store's journal. */
  private transaction(db: Db, changes: Map<string, DbChange>): Transaction {
    const upsert = (c: CollectionName, record: object) => {
      const value = record as Record<string, unknown>;
      changes.set(`${c}\u0000${String(value[COLLECTIONS[c].key])}`, { c, v: value });
    };
    return {
      changed: (collection, record) => upsert(collection, record),
      addChallenge: (c) => {
        db.otpChallenges.push(c);
        this.indexChallenge(c);
        upsert('otpChallenges', c);
      },
      addCancellation: (c) => {
        db.cancellations.push(c);
        this.indexCancellation(c);
        upsert('cancellations', c);
      },
      addAudit: (entry) => {
        db.audit.push(entry);
        upsert('audit', entry);
      },
      addOutbox: (message) => {
        db.outbox.push(message);
        this.outboxById.set(message.id, message);
        upsert('outbox', message);
      },
      addHandoff: (handoff) => {
        db.handoffs.push(handoff);
        upsert('handoffs', handoff);
      },
      pruneChallenges: (cutoff) => {
        const keep = db.otpChallenges.filter((c) => c.state === 'open' || (c.closedAt ?? c.issuedAt) >= cutoff);
        if (keep.length === db.otpChallenges.length) return;
        const kept = new Set(keep);
        for (const c of db.otpChallenges) {
          if (!kept.has(c)) changes.set(`otpChallenges\u0000${c.id}`, { c: 'otpChallenges', id: c.id, d: true });
        }
        db.otpChallenges = keep;
        this.challengesById.clear();
        this.challengesByIdentifier.clear();
        this.challengesByRequester.clear();
        for (const c of keep) this.indexChallenge(c);
      },
    };
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
