import type { RecordReader } from '../../model/repository.js';
import type {
  ApiKey,
  Cancellation,
  IdempotencyKey,
  Member,
  Membership,
  OtpChallenge,
  OutboxMessage,
  Plan,
} from '../../model/schema.js';
import type { RecordSealer, StoredMember } from '../sealedRecords.js';
import { selectList, TABLES, toRecord, type Table } from './tables.js';

export type Run = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * The look-ups as SQL over one connection (or the pool). `lock` is appended to every read of a
 * record a transaction may change: inside one it is FOR NO KEY UPDATE, so the rows it returns stay
 * its own until it ends (a second transaction reading them waits, then sees what the first wrote),
 * while inserts that reference them (foreign keys) still go ahead. Members and notices are held
 * sealed and handed out open; members are found by phone or e-mail through their blind indexes.
 */
export class RecordReads implements RecordReader {
  constructor(
    private readonly run: Run,
    private readonly lock: string,
    /** The text of a one-time code's message, which the row holds blank. */
    private readonly outboxText: (id: string, stored: string) => string,
    protected readonly sealer: RecordSealer,
  ) {}

  private async many<T>(table: Table, where: string, params: unknown[], order = 'seq', locked = true): Promise<T[]> {
    const rows = await this.run(
      `SELECT ${selectList(table)} FROM ${table.name} WHERE ${where} ORDER BY ${order}${locked ? this.lock : ''}`,
      params,
    );
    return rows.map((row) => toRecord<T>(table, row));
  }

  private async one<T>(table: Table, where: string, params: unknown[], locked = true): Promise<T | undefined> {
    return (await this.many<T>(table, where, params, 'seq', locked))[0];
  }

  private async member(where: string, params: unknown[]): Promise<Member | undefined> {
    const stored = await this.one<StoredMember>(TABLES.members, where, params);
    return stored && this.sealer.openMember(stored);
  }

  memberById(id: string) {
    return this.member('id = $1', [id]);
  }
  memberByPhone(e164: string) {
    return this.member('phone_index = $1', [this.sealer.phoneIndex(e164)]);
  }
  memberByEmail(email: string) {
    return this.member('email_index = $1', [this.sealer.emailIndex(email)]);
  }
  /** Plans change only by import: reading one locks nothing, or every cancellation of a plan would queue. */
  plan(id: string) {
    return this.one<Plan>(TABLES.plans, 'id = $1', [id], false);
  }
  membership(id: string) {
    return this.one<Membership>(TABLES.memberships, 'id = $1', [id]);
  }
  membershipsOf(memberId: string) {
    return this.many<Membership>(TABLES.memberships, 'member_id = $1', [memberId]);
  }
  cancellationsOf(membershipId: string) {
    return this.many<Cancellation>(TABLES.cancellations, 'membership_id = $1', [membershipId], 'received_at, seq');
  }
  cancellationByRequest(requestId: string) {
    return this.one<Cancellation>(TABLES.cancellations, 'request_id = $1', [requestId]);
  }
  cancellationByReference(reference: string) {
    return this.one<Cancellation>(TABLES.cancellations, 'reference = $1', [reference]);
  }
  challenge(id: string) {
    return this.one<OtpChallenge>(TABLES.otpChallenges, 'id = $1', [id]);
  }
  challengesFor(identifier: string) {
    return this.many<OtpChallenge>(TABLES.otpChallenges, 'identifier = $1', [identifier], 'issued_at, seq');
  }
  challengesBy(requesterKey: string) {
    return this.many<OtpChallenge>(
      TABLES.otpChallenges,
      'requesters @> ARRAY[$1::text]',
      [requesterKey],
      'issued_at, seq',
    );
  }
  /** Reads no row lock: the key held stands for them (see {@link hold}). */
  async latestChallengesBy(requesterKey: string, since: string, limit: number) {
    await this.hold(requesterKey);
    return this.many<OtpChallenge>(
      TABLES.otpChallenges,
      'requesters @> ARRAY[$1::text] AND issued_at >= $2::timestamptz',
      [requesterKey, since, limit],
      'issued_at DESC, seq DESC LIMIT $3',
      false,
    );
  }
  async outboxMessage(id: string) {
    const message = await this.one<OutboxMessage>(TABLES.outbox, 'id = $1', [id]);
    return message && this.openOutbox(message);
  }
  async outboxOf(memberId: string) {
    const messages = await this.many<OutboxMessage>(TABLES.outbox, 'member_id = $1', [memberId]);
    return messages.map((message) => this.openOutbox(message));
  }

  apiKey(id: string) {
    return this.one<ApiKey>(TABLES.apiKeys, 'id = $1', [id]);
  }
  idempotencyKey(id: string) {
    return this.one<IdempotencyKey>(TABLES.idempotencyKeys, 'id = $1', [id]);
  }

  /** Holds a requester key until the transaction ends; outside one there is nothing to hold. */
  protected async hold(_requesterKey: string): Promise<void> {}

  /** A notice as the domain sees it: its recipient open, and a code's text from memory (the row holds it blank). */
  protected openOutbox(stored: OutboxMessage): OutboxMessage {
    const message = this.sealer.openOutbox(stored);
    message.text = this.outboxText(message.id, message.text);
    return message;
  }
}
