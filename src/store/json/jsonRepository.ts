import type { RecordReader, RenewalLeadDays, Repository, StoredRecords, Transaction } from '../../model/repository.js';
import { DuplicateRecordError } from '../../model/repositoryErrors.js';
import {
  isFiledIdentifier,
  type Cancellation,
  type Membership,
  type OtpChallenge,
  type OutboxMessage,
} from '../../model/schema.js';
import { SECRET_TEMPLATES } from '../../notify/notifier.js';
import { isUnreadable } from '../../privacy/fieldCipher.js';
import { COLLECTIONS, type DbChange } from './dbJournal.js';
import { JsonIndexes } from './jsonIndexes.js';
import type { JsonStore } from './jsonStore.js';
import type { HeldRecords, RecordSealer, SealedDb, storedDbSchema, StoredMember } from '../sealedRecords.js';
import { plainCopy } from './plainCopy.js';

type Collection = keyof HeldRecords;
type AnyRecord = HeldRecords[Collection];

const copy = plainCopy;
const DAY_MS = 86_400_000;

/**
 * The challenges listed under a requester issued at or after `since`: they are listed in the order
 * they were put, which is the order they were issued, so only that tail is looked at.
 */
function issuedSince(listed: readonly OtpChallenge[] | undefined, since: string): OtpChallenge[] {
  if (!listed) return [];
  const sinceMs = Date.parse(since);
  let start = listed.length;
  while (start > 0 && Date.parse(listed[start - 1].issuedAt) >= sinceMs) start--;
  return listed.slice(start);
}

/** Newest first, at most `limit`. */
function latest(challenges: OtpChallenge[], limit: number): OtpChallenge[] {
  return challenges.sort((a, b) => Date.parse(b.issuedAt) - Date.parse(a.issuedAt)).slice(0, limit);
}
const keyOf = (collection: Collection, record: object) =>
  String((record as Record<string, unknown>)[COLLECTIONS[collection].key]);

/**
 * A one-time code's message keeps its text in memory only: written to the journal or a snapshot
 * (both serialise through JSON.stringify, hence toJSON) the text is blank, so a code never rests
 * in the data files. A restart before delivery loses the code; the dispatcher then parks the
 * message and the member asks for a new one. Not enumerable: copies ({...m}, plainCopy)
 * are plain records with the text.
 */
function keepTextInMemory(message: OutboxMessage): void {
  Object.defineProperty(message, 'toJSON', {
    value: () => ({ ...message, text: '' }),
    enumerable: false,
    configurable: true,
  });
}

/** Which stored records a prune drops. */
type Prune = { [K in Collection]: { collection: K; drops: (record: HeldRecords[K]) => boolean } }[Collection];

/**
 * What one transaction wrote, not yet applied to the store. Its prunes apply before its puts (the
 * domain prunes first); its reads see neither what a prune dropped nor the stored version of a
 * record it put.
 */
class Pending {
  readonly puts = new Map<Collection, Map<string, AnyRecord>>();
  readonly prunes: Prune[] = [];

  /** This transaction's puts to one collection, by key: a map holds only its own collection's records. */
  putsTo<K extends Collection>(collection: K): Map<string, HeldRecords[K]> | undefined {
    return this.puts.get(collection) as Map<string, HeldRecords[K]> | undefined;
  }

  /** This transaction's version of a record: its own put, else the stored one unless pruned. */
  get<K extends Collection>(
    collection: K,
    key: string,
    stored: HeldRecords[K] | undefined,
  ): HeldRecords[K] | undefined {
    const mine = this.putsTo(collection)?.get(key);
    if (mine) return mine;
    return stored && !this.dropped(collection, stored) ? stored : undefined;
  }

  dropped<K extends Collection>(collection: K, record: HeldRecords[K]): boolean {
    return this.prunes.some(
      (prune) => prune.collection === collection && (prune.drops as (r: HeldRecords[K]) => boolean)(record),
    );
  }

  /** `stored` with this transaction's versions of its records, and its new records that `match`. */
  overlay<K extends Collection>(
    collection: K,
    stored: HeldRecords[K][],
    match: (record: HeldRecords[K]) => boolean,
  ): HeldRecords[K][] {
    const mine = this.putsTo(collection);
    const kept = this.prunes.length ? stored.filter((record) => !this.dropped(collection, record)) : stored;
    if (!mine) return kept;
    const seen = new Set<string>();
    const merged = kept.map((record) => {
      const key = keyOf(collection, record);
      seen.add(key);
      return mine.get(key) ?? record;
    });
    for (const [key, record] of mine) if (!seen.has(key) && match(record)) merged.push(record);
    return merged.filter(match);
  }
}

/**
 * The domain's {@link Repository} over the JSON store (the embedded default). Transactions run one
 * at a time in this process (the store belongs to one process: its lock file says so); what a
 * transaction puts is applied to memory when it ends and written with the store's group commit, so
 * the next transaction may start while the disk write is under way, as before. If the write fails
 * the store rolls memory back, indexes included.
 */
export class JsonRepository implements Repository {
  private readonly indexes: JsonIndexes;
  /** The end of the transaction queue: each transaction waits for the one before it to apply. */
  private queue: Promise<void> = Promise.resolve();
  /** Messages whose transaction is not on disk yet: nobody may deliver them yet. */
  private readonly uncommitted = new Set<string>();
  /** Claimed messages and when their hold ends (ms). */
  private readonly leases = new Map<string, number>();
  /** Memberships claimed by a lifecycle pass and when their hold ends (ms); one process, so held in memory. */
  private readonly periodLeases = new Map<string, number>();
  private readonly listeners: (() => void)[] = [];

  private constructor(
    private readonly store: JsonStore<typeof storedDbSchema>,
    private readonly sealer: RecordSealer,
  ) {
    this.indexes = new JsonIndexes(this.data);
  }

  /**
   * The repository over a started store. Members and notices the file holds in plain text (a file
   * written before sealing) or sealed under an earlier key are sealed under the current key, and
   * challenges that name a number or address in plain text are dropped (they live a day at most
   * and would escape an erasure); then the snapshot is rewritten, so neither the plain text nor
   * the old key's ciphertext rests in the snapshot or the journal (the old file is replaced by
   * rename).
   */
  static async open(store: JsonStore<typeof storedDbSchema>, sealer: RecordSealer): Promise<JsonRepository> {
    const data = store.data;
    const members = data.members.filter((m) => sealer.needsSealing(m));
    const outbox = data.outbox.filter((m) => sealer.needsSealing(m));
    const challenges = data.otpChallenges.filter((c) => !isFiledIdentifier(c.identifier));
    if (members.length + outbox.length + challenges.length > 0) {
      const changes: DbChange[] = [];
      await store.update(
        (db) => {
          const sealedMembers = new Map(members.map((m) => [m, sealer.sealedMember(m)]));
          const sealedOutbox = new Map(outbox.map((m) => [m, sealer.sealedOutbox(m)]));
          db.members = db.members.map((m) => sealedMembers.get(m) ?? m);
          db.outbox = db.outbox.map((m) => sealedOutbox.get(m) ?? m);
          db.otpChallenges = db.otpChallenges.filter((c) => isFiledIdentifier(c.identifier));
          for (const m of sealedMembers.values()) changes.push({ c: 'members', v: m });
          for (const m of sealedOutbox.values()) changes.push({ c: 'outbox', v: m });
          for (const c of challenges) changes.push({ c: 'otpChallenges', id: c.id, d: true });
        },
        () => changes,
      );
      await store.flush();
    }
    return new JsonRepository(store, sealer);
  }

  private get data(): SealedDb {
    return this.store.data as SealedDb;
  }

  memberById(id: string) {
    return this.reveal('members', this.indexes.membersById.get(id));
  }
  memberByPhone(e164: string) {
    return this.reveal('members', this.indexes.membersByPhone.get(this.sealer.phoneIndex(e164)));
  }
  memberByEmail(email: string) {
    return this.reveal('members', this.indexes.membersByEmail.get(this.sealer.emailIndex(email)));
  }
  plan(id: string) {
    return this.read(() => this.indexes.plansById.get(id));
  }
  membership(id: string) {
    return this.read(() => this.indexes.membershipsById.get(id));
  }
  membershipsOf(memberId: string) {
    return this.read(() => this.indexes.membershipsByMember.get(memberId) ?? []);
  }
  cancellationsOf(membershipId: string) {
    return this.read(() => this.indexes.cancellationsByMembership.get(membershipId) ?? []);
  }
  cancellationByRequest(requestId: string) {
    return this.read(() => this.indexes.cancellationsByRequest.get(requestId));
  }
  cancellationByReference(reference: string) {
    return this.read(() => this.indexes.cancellationsByReference.get(reference));
  }
  challenge(id: string) {
    return this.read(() => this.indexes.challengesById.get(id));
  }
  challengesFor(identifier: string) {
    return this.read(() => this.indexes.challengesByIdentifier.get(identifier) ?? []);
  }
  challengesBy(requesterKey: string) {
    return this.read(() => this.indexes.challengesByRequester.get(requesterKey) ?? []);
  }
  /** Transactions run one at a time here, so holding the key needs nothing more. */
  latestChallengesBy(requesterKey: string, since: string, limit: number) {
    return this.read(() => latest(issuedSince(this.indexes.challengesByRequester.get(requesterKey), since), limit));
  }
  outboxMessage(id: string) {
    return this.reveal('outbox', this.indexes.outboxById.get(id));
  }
  async outboxOf(memberId: string) {
    return this.revealAll('outbox', this.indexes.outboxByMember.get(memberId) ?? []);
  }
  apiKey(id: string) {
    return this.read(() => this.indexes.apiKeysById.get(id));
  }
  idempotencyKey(id: string) {
    return this.read(() => this.indexes.idempotencyKeysById.get(id));
  }
  /** A scan: the feed is read by the provider's program now and then, never in a turn. */
  async cancellationsAfter(after: { receivedAt: string; reference: string } | null, until: string, limit: number) {
    const untilMs = Date.parse(until);
    const afterMs = after ? Date.parse(after.receivedAt) : -Infinity;
    const position = (c: Cancellation) => Date.parse(c.receivedAt);
    return this.data.cancellations
      .filter((c) => {
        const at = position(c);
        return at <= untilMs && (at > afterMs || (at === afterMs && c.reference > after!.reference));
      })
      .sort((a, b) => position(a) - position(b) || (a.reference < b.reference ? -1 : 1))
      .slice(0, limit)
      .map(copy);
  }
  async apiKeys() {
    return this.data.apiKeys.map(copy);
  }

  async dueCancellations(now: string, limit: number): Promise<Membership[]> {
    const nowMs = Date.parse(now);
    return this.data.memberships
      .filter((m) => m.status === 'pending_cancel' && Date.parse(m.effectiveAt ?? m.currentPeriodEnd) <= nowMs)
      .slice(0, limit)
      .map(copy);
  }

  async claimPeriodsEnded(now: string, leaseMs: number, limit: number): Promise<Membership[]> {
    const nowMs = Date.parse(now);
    const endOf = (m: Membership) => Date.parse(m.graceUntil ?? m.currentPeriodEnd);
    const due = this.data.memberships
      .filter((m) => m.status === 'active' && !m.appStore && endOf(m) <= nowMs)
      .filter((m) => (this.periodLeases.get(m.id) ?? 0) <= nowMs)
      .sort((a, b) => endOf(a) - endOf(b))
      .slice(0, limit);
    for (const m of due) this.periodLeases.set(m.id, nowMs + leaseMs);
    return due.map(copy);
  }

  releasePeriodClaims(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.periodLeases.delete(id);
    return Promise.resolve();
  }

  async renewalsToRemind(now: string, lead: RenewalLeadDays, limit: number): Promise<Membership[]> {
    const nowMs = Date.parse(now);
    const plans = new Map(this.data.plans.map((p) => [p.id, p]));
    const due = (m: Membership) => {
      const plan = plans.get(m.planId);
      const member = this.indexes.membersById.get(m.memberId);
      const jurisdiction = member?.reminderPolicy ?? plan?.reminderPolicy ?? lead.fallback;
      const days = lead.days[jurisdiction][plan?.period ?? 'month'];
      return Date.parse(m.currentPeriodEnd) - days * DAY_MS <= nowMs;
    };
    const reminded = (m: Membership) =>
      m.remindedFor !== undefined && Date.parse(m.remindedFor) === Date.parse(m.currentPeriodEnd);
    return this.data.memberships
      .filter((m) => m.status === 'active' && m.autoRenew && !m.graceUntil && !m.appStore && due(m) && !reminded(m))
      .slice(0, limit)
      .map(copy);
  }

  async priceNoticesDue(now: string, limit: number): Promise<Membership[]> {
    const nowMs = Date.parse(now);
    return this.data.memberships
      .filter((m) => m.priceChange && !m.priceChange.notifiedAt && Date.parse(m.priceChange.noticeAt) <= nowMs)
      .slice(0, limit)
      .map(copy);
  }

  async claimOutbox(
    now: string,
    leaseMs: number,
    limit: number,
    channel?: OutboxMessage['channel'],
  ): Promise<OutboxMessage[]> {
    const nowMs = Date.parse(now);
    const claimed: OutboxMessage[] = [];
    const unreadable: { message: OutboxMessage; reason: string }[] = [];
    for (const message of this.indexes.pendingOutbox.values()) {
      if (claimed.length + unreadable.length >= limit) break;
      if (channel && message.channel !== channel) continue;
      if (this.uncommitted.has(message.id) || message.nextAttemptAt > now) continue;
      if ((this.leases.get(message.id) ?? 0) > nowMs) continue;
      this.leases.set(message.id, nowMs + leaseMs);
      try {
        claimed.push(this.sealer.openOutbox(message));
      } catch (err) {
        if (!isUnreadable(err)) throw err;
        unreadable.push({ message, reason: err.message });
      }
    }
    if (unreadable.length) await this.park(unreadable);
    return claimed;
  }

  /**
   * Parks notices whose address does not open (sealed under a key the service lacks), with why,
   * so they stop every claim that reaches them no longer. The sealed address is kept as it is: given
   * the key back, an operator can still read it.
   */
  private park(unreadable: { message: OutboxMessage; reason: string }[]): Promise<void> {
    return this.inTurn(async (pending) => {
      const puts = new Map<string, AnyRecord>();
      for (const { message, reason } of unreadable) {
        const parked: OutboxMessage = { ...message, status: 'failed', lastError: reason };
        if (SECRET_TEMPLATES.has(parked.template)) keepTextInMemory(parked);
        puts.set(parked.id, parked);
      }
      pending.puts.set('outbox', puts);
    });
  }

  onOutbox(listener: () => void): void {
    this.listeners.push(listener);
  }

  async auditEntries() {
    return this.data.audit.map(copy);
  }

  async forgetEarlierVersions(): Promise<void> {
    await this.store.flush();
  }

  transact<R>(work: (tx: Transaction) => Promise<R>): Promise<R> {
    return this.inTurn((pending) => work(this.transaction(pending)));
  }

  /** Runs a transaction's `fill` of what it writes in the queue's turn, then applies it (see {@link transact}). */
  private async inTurn<R>(fill: (pending: Pending) => Promise<R>): Promise<R> {
    const turn = this.queue;
    let release!: () => void;
    this.queue = new Promise((resolve) => (release = resolve));
    await turn;
    let written: Promise<unknown>;
    let result: R;
    try {
      const pending = new Pending();
      result = await fill(pending);
      this.checkUnique(pending);
      const applying = this.apply(pending);
      written = applying.written;
      // The next transaction may start once this one's change is in memory (its disk write joins
      // the store's group commit); if the write fails the store rolls both back, in order.
      await applying.applied;
    } finally {
      release();
    }
    await written;
    return result;
  }

  /**
   * Applies what a transaction wrote to the store: `applied` once in memory, `written` once on disk.
   * One that wrote nothing still waits for the writes before it, and fails with them: its answer
   * may rest on a change that is not on disk yet.
   */
  private apply(pending: Pending): { applied: Promise<void>; written: Promise<unknown> } {
    const outbox = [...(pending.putsTo('outbox')?.values() ?? [])];
    const added = outbox.filter((m) => !this.indexes.outboxById.has(m.id)).map((m) => m.id);
    const undo: (() => void)[] = [];
    const changes: DbChange[] = [];
    for (const id of added) this.uncommitted.add(id);
    let markApplied!: () => void;
    const applied = new Promise<void>((resolve) => (markApplied = resolve));
    const written = this.store
      .update(
        (stored) => {
          markApplied();
          // Started, the store holds every member sealed.
          const db = stored as SealedDb;
          for (const prune of pending.prunes) {
            const before = this.indexes.snapshotOf(db);
            const drops = prune.drops as (record: AnyRecord) => boolean;
            (db as Record<Collection, AnyRecord[]>)[prune.collection] = (db[prune.collection] as AnyRecord[]).filter(
              (record) => !drops(record),
            );
            changes.push(...this.indexes.deletedSince(before, db));
            undo.push(() => this.indexes.restore(db, before));
          }
          for (const [collection, records] of pending.puts) {
            for (const [key, record] of records) {
              changes.push({ c: collection, v: record as unknown as Record<string, unknown> });
              undo.push(this.indexes.put(db, collection, key, record));
            }
          }
        },
        () => changes,
        () => {
          for (const step of undo.reverse()) step();
        },
      )
      .finally(() => {
        markApplied();
        for (const id of added) this.uncommitted.delete(id);
      })
      .then(() => {
        // A message put back (sent, or with its next attempt) is no longer held; one whose write
        // failed stays held until its claim's lease ends, as on any engine.
        for (const id of pending.puts.get('outbox')?.keys() ?? []) this.leases.delete(id);
        if (added.length) for (const listener of this.listeners) listener();
      });
    return { applied, written };
  }

  private transaction(pending: Pending): Transaction {
    // Assigned, not spread: spreading these objects of closures took V8's slow path, tens of µs a
    // transaction, the JSON store's largest own entry in a journey's profile.
    return Object.assign(
      this.memberReads(pending),
      this.membershipReads(pending),
      this.challengeReads(pending),
      Object.assign(this.outboxReads(pending), this.writes(pending)),
    );
  }

  /** This transaction's record by its key, else the stored one (unless this transaction pruned it). */
  private own<K extends Collection>(pending: Pending, collection: K, read: () => HeldRecords[K] | undefined) {
    return async (key: string) => this.reveal(collection, pending.get(collection, key, read()));
  }

  /**
   * A look-up by a unique field: this transaction's record with it, else the stored one unless
   * this transaction put it with another value or pruned it.
   */
  private unique<K extends Collection>(
    pending: Pending,
    collection: K,
    stored: HeldRecords[K] | undefined,
    matches: (record: HeldRecords[K]) => boolean,
  ): HeldRecords[K] | undefined {
    const mine = pending.overlay(collection, [], matches)[0];
    if (mine) return mine;
    const current = stored && pending.get(collection, keyOf(collection, stored), stored);
    return current && matches(current) ? current : undefined;
  }

  /** Members, plans, API keys and their requests' records, as this transaction sees them. */
  private memberReads(
    pending: Pending,
  ): Pick<RecordReader, 'memberById' | 'memberByPhone' | 'memberByEmail' | 'plan' | 'apiKey' | 'idempotencyKey'> {
    return {
      memberById: (id) => this.own(pending, 'members', () => this.indexes.membersById.get(id))(id),
      memberByPhone: async (e164) => {
        const index = this.sealer.phoneIndex(e164);
        return this.reveal(
          'members',
          this.unique(
            pending,
            'members',
            this.indexes.membersByPhone.get(index),
            (m: StoredMember) => m.phoneIndex === index,
          ),
        );
      },
      memberByEmail: async (email) => {
        const index = this.sealer.emailIndex(email);
        return this.reveal(
          'members',
          this.unique(
            pending,
            'members',
            this.indexes.membersByEmail.get(index),
            (m: StoredMember) => m.emailIndex === index,
          ),
        );
      },
      plan: (id) => this.plan(id),
      apiKey: (id) => this.own(pending, 'apiKeys', () => this.indexes.apiKeysById.get(id))(id),
      idempotencyKey: (id) => this.own(pending, 'idempotencyKeys', () => this.indexes.idempotencyKeysById.get(id))(id),
    };
  }

  /** Memberships and their cancellations, as this transaction sees them. */
  private membershipReads(
    pending: Pending,
  ): Pick<
    RecordReader,
    'membership' | 'membershipsOf' | 'cancellationsOf' | 'cancellationByRequest' | 'cancellationByReference'
  > {
    return {
      membership: (id) => this.own(pending, 'memberships', () => this.indexes.membershipsById.get(id))(id),
      membershipsOf: async (memberId) =>
        copy(
          pending.overlay(
            'memberships',
            this.indexes.membershipsByMember.get(memberId) ?? [],
            (m: Membership) => m.memberId === memberId,
          ),
        ),
      cancellationsOf: async (membershipId) =>
        copy(
          pending.overlay(
            'cancellations',
            this.indexes.cancellationsByMembership.get(membershipId) ?? [],
            (c: Cancellation) => c.membershipId === membershipId,
          ),
        ),
      cancellationByRequest: async (requestId) =>
        copy(
          this.unique(
            pending,
            'cancellations',
            this.indexes.cancellationsByRequest.get(requestId),
            (c: Cancellation) => c.requestId === requestId,
          ),
        ),
      cancellationByReference: (reference) =>
        this.own(pending, 'cancellations', () => this.indexes.cancellationsByReference.get(reference))(reference),
    };
  }

  /** One-time code challenges, as this transaction sees them. */
  private challengeReads(
    pending: Pending,
  ): Pick<RecordReader, 'challenge' | 'challengesFor' | 'challengesBy' | 'latestChallengesBy'> {
    return {
      challenge: (id) => this.own(pending, 'otpChallenges', () => this.indexes.challengesById.get(id))(id),
      challengesFor: async (identifier) =>
        copy(
          pending.overlay(
            'otpChallenges',
            this.indexes.challengesByIdentifier.get(identifier) ?? [],
            (c: OtpChallenge) => c.identifier === identifier,
          ),
        ),
      challengesBy: async (requesterKey) =>
        copy(
          pending.overlay(
            'otpChallenges',
            this.indexes.challengesByRequester.get(requesterKey) ?? [],
            (c: OtpChallenge) => (c.requesters ?? []).includes(requesterKey),
          ),
        ),
      latestChallengesBy: async (requesterKey, since, limit) =>
        copy(
          latest(
            pending
              .overlay('otpChallenges', issuedSince(this.indexes.challengesByRequester.get(requesterKey), since), (c) =>
                (c.requesters ?? []).includes(requesterKey),
              )
              .filter((c) => Date.parse(c.issuedAt) >= Date.parse(since)),
            limit,
          ),
        ),
    };
  }

  /** Notices, as this transaction sees them. */
  private outboxReads(pending: Pending): Pick<RecordReader, 'outboxMessage' | 'outboxOf'> {
    return {
      outboxMessage: (id) => this.own(pending, 'outbox', () => this.indexes.outboxById.get(id))(id),
      outboxOf: async (memberId) =>
        this.revealAll(
          'outbox',
          pending.overlay(
            'outbox',
            this.indexes.outboxByMember.get(memberId) ?? [],
            (m: OutboxMessage) => m.memberId === memberId,
          ),
        ),
    };
  }

  /** The transaction's puts and prunes, applied to memory and the journal when it ends. */
  private writes(pending: Pending): Pick<Transaction, 'put' | 'pruneChallenges' | 'pruneSpentSecrets' | 'pruneAudit'> {
    return {
      put: (collection, record) => {
        const stored = this.seal(collection, record);
        if (collection === 'outbox' && SECRET_TEMPLATES.has((stored as OutboxMessage).template))
          keepTextInMemory(stored as OutboxMessage);
        let records = pending.puts.get(collection);
        if (!records) pending.puts.set(collection, (records = new Map<string, AnyRecord>()));
        records.set(keyOf(collection, stored), stored);
      },
      pruneChallenges: (cutoff) =>
        pending.prunes.push({
          collection: 'otpChallenges',
          // An open challenge nobody answered ends when it expires (an unregistered number's always does).
          drops: (c) => (c.closedAt ?? (c.state === 'open' ? c.expiresAt : c.issuedAt)) < cutoff,
        }),
      pruneSpentSecrets: (cutoff) => {
        const cutoffMs = Date.parse(cutoff);
        pending.prunes.push({
          collection: 'outbox',
          drops: (m) =>
            m.status !== 'pending' &&
            SECRET_TEMPLATES.has(m.template) &&
            Date.parse(m.sentAt ?? m.nextAttemptAt) < cutoffMs,
        });
      },
      pruneAudit: (cutoff, keptPrefixes) => {
        // Compared as instants: an entry written with an offset (+08:00) does not sort as text.
        const cutoffMs = Date.parse(cutoff);
        pending.prunes.push({
          collection: 'audit',
          drops: (entry) => Date.parse(entry.at) < cutoffMs && !keptPrefixes.some((p) => entry.type.startsWith(p)),
        });
      },
    };
  }

  /**
   * The uniqueness the domain relies on, as PostgreSQL's constraints hold it: one cancellation a
   * request, one member a phone number and an e-mail (any case), one open challenge an identifier.
   */
  private checkUnique(pending: Pending): void {
    const taken = <T extends AnyRecord>(
      collection: Collection,
      what: string,
      records: Map<string, T> | undefined,
      valueOf: (record: T) => string | null,
      holder: (value: string) => AnyRecord | undefined,
    ) => {
      const mine = new Map<string, string>();
      for (const [key, record] of records ?? []) {
        const value = valueOf(record);
        if (value === null) continue;
        // The stored holder counts unless this transaction puts it with another value.
        const stored = holder(value);
        const storedNow = stored && (pending.get(collection, keyOf(collection, stored), stored) as T | undefined);
        const storedKey = storedNow && valueOf(storedNow) === value ? keyOf(collection, storedNow) : undefined;
        for (const other of [mine.get(value), storedKey]) {
          if (other !== undefined && other !== key) throw new DuplicateRecordError(collection, what);
        }
        mine.set(value, key);
      }
    };
    const cancellations = pending.putsTo('cancellations');
    taken(
      'cancellations',
      'request id',
      cancellations,
      (c) => c.requestId,
      (v) => this.indexes.cancellationsByRequest.get(v),
    );
    const members = pending.putsTo('members');
    taken(
      'members',
      'phone',
      members,
      (m) => m.phoneIndex,
      (v) => this.indexes.membersByPhone.get(v),
    );
    taken(
      'members',
      'e-mail',
      members,
      (m) => m.emailIndex,
      (v) => this.indexes.membersByEmail.get(v),
    );
    const challenges = pending.putsTo('otpChallenges');
    taken(
      'otpChallenges',
      'open challenge for the identifier',
      challenges,
      (c) => (c.state === 'open' ? c.identifier : null),
      (v) => (this.indexes.challengesByIdentifier.get(v) ?? []).find((c) => c.state === 'open'),
    );
  }

  /** A read outside any transaction: a copy of what memory holds now. */
  private async read<T>(find: () => T): Promise<T> {
    return copy(find());
  }

  /** A held record as the domain sees it: a copy, its sealed fields opened. */
  private async reveal<K extends Collection>(
    collection: K,
    held: HeldRecords[K] | undefined,
  ): Promise<StoredRecords[K] | undefined> {
    if (held === undefined) return undefined;
    if (collection === 'members') return this.sealer.openMember(held as StoredMember) as StoredRecords[K];
    if (collection === 'outbox') return this.sealer.openOutbox(held as OutboxMessage) as StoredRecords[K];
    return copy(held) as StoredRecords[K];
  }

  private async revealAll<K extends Collection>(collection: K, held: HeldRecords[K][]): Promise<StoredRecords[K][]> {
    return Promise.all(held.map((record) => this.reveal(collection, record) as Promise<StoredRecords[K]>));
  }

  /** A record put, as memory and the files hold it: a copy, members and a notice's address sealed. */
  private seal<K extends Collection>(collection: K, record: StoredRecords[K]): HeldRecords[K] {
    if (collection === 'members') return this.sealer.sealMember(record as StoredRecords['members']) as HeldRecords[K];
    if (collection === 'outbox') return this.sealer.sealOutbox(record as OutboxMessage) as HeldRecords[K];
    return copy(record) as HeldRecords[K];
  }
}
