import { z } from 'zod';
import type { StoredRecords } from '../model/repository.js';
import { dbSchema, memberSchema, type Member, type OutboxMessage } from '../model/schema.js';
import { isSealed, keyIdOf, type FieldCipher } from '../privacy/fieldCipher.js';

const sealedText = z.string().refine(isSealed, 'expected a sealed field (pd1.<key id>.<data>)');

/**
 * A member as both engines keep it: name, phone, e-mail and the channel address sealed
 * (fieldCipher.ts), with blind indexes for the look-ups by phone and by e-mail (lower-cased).
 * Id, language and channel stay readable, as do memberships and cancellations.
 */
export const storedMemberSchema = memberSchema.extend({
  name: sealedText,
  phone: sealedText,
  email: sealedText,
  conversationReference: sealedText.optional(),
  phoneIndex: z.string().min(1),
  emailIndex: z.string().min(1),
});
export type StoredMember = z.infer<typeof storedMemberSchema>;

/**
 * The member data file as read: members sealed, or in plain text as the seed file (demo data) and
 * files written before sealing hold them; the store seals those when it starts.
 */
export const storedDbSchema = dbSchema.extend({
  members: z.array(z.union([storedMemberSchema, memberSchema])),
});
export type StoredDb = z.infer<typeof storedDbSchema>;

/** A member read from a file or an import: sealed already, or still in plain text. */
export type AnyMember = Member | StoredMember;

const place = (collection: string, id: string, field: string) => `${collection}/${id}/${field}`;

export const isStoredMember = (member: AnyMember): member is StoredMember =>
  'phoneIndex' in member && isSealed(member.phone);

/** Data was indexed under another blind-index key than the service's. */
export class IndexKeyMismatchError extends Error {
  constructor(memberId: string) {
    super(
      `Member ${memberId} was indexed with another PERSONAL_DATA_INDEX_KEY than this service's: no member would be found by phone or e-mail. Give the service the index key the data was sealed with.`,
    );
    this.name = 'IndexKeyMismatchError';
  }
}

/**
 * Seals records as the store writes them and opens them as it hands them out: members' personal
 * fields and a notice's address (`to`). The domain only ever sees plain records.
 */
export class RecordSealer {
  constructor(private readonly cipher: FieldCipher) {}

  /** The ids of the keys it opens with. */
  get keyIds(): ReadonlySet<string> {
    return this.cipher.keyIds;
  }

  /** The id of the key it seals with. */
  get currentKeyId(): string {
    return this.cipher.currentKeyId;
  }

  /**
   * Checks on one sealed member that the keys fit the data before anything is served or written:
   * it opens (else PersonalDataKeyError: a key missing, or another under the same id) and its phone
   * indexes to what was stored (else IndexKeyMismatchError). Wrong keys would otherwise fail every
   * read, or quietly find nobody and let a second member take a phone already held.
   */
  checkFits(stored: StoredMember): void {
    const member = this.openMember(stored);
    if (this.phoneIndex(member.phone) !== stored.phoneIndex) throw new IndexKeyMismatchError(stored.id);
  }

  /** {@link checkFits} on the first sealed member of a document (a file, an import); none: nothing to fit. */
  checkFitsAny(members: AnyMember[]): void {
    const stored = members.find(isStoredMember);
    if (stored) this.checkFits(stored);
  }

  phoneIndex(e164: string): string {
    return this.cipher.index('phone', e164);
  }

  emailIndex(email: string): string {
    return this.cipher.index('email', email.toLowerCase());
  }

  sealMember(member: Member): StoredMember {
    const { id, conversationReference, ...rest } = member;
    const seal = (field: string, value: string) => this.cipher.seal(value, place('members', id, field));
    const stored: StoredMember = {
      ...rest,
      id,
      name: seal('name', member.name),
      phone: seal('phone', member.phone),
      email: seal('email', member.email),
      phoneIndex: this.phoneIndex(member.phone),
      emailIndex: this.emailIndex(member.email),
    };
    if (conversationReference)
      stored.conversationReference = seal('conversationReference', JSON.stringify(conversationReference));
    return stored;
  }

  openMember(stored: StoredMember): Member {
    const { id, phoneIndex: _phone, emailIndex: _email, conversationReference, ...rest } = stored;
    const open = (field: string, value: string) => this.cipher.open(value, place('members', id, field));
    const member: Member = {
      ...rest,
      id,
      name: open('name', stored.name),
      phone: open('phone', stored.phone),
      email: open('email', stored.email),
    };
    if (conversationReference)
      member.conversationReference = JSON.parse(
        open('conversationReference', conversationReference),
      ) as Member['conversationReference'];
    return member;
  }

  sealOutbox(message: OutboxMessage): OutboxMessage {
    return { ...message, to: this.cipher.seal(message.to, place('outbox', message.id, 'to')) };
  }

  openOutbox(message: OutboxMessage): OutboxMessage {
    return { ...message, to: this.cipher.open(message.to, place('outbox', message.id, 'to')) };
  }

  /** A member as read from a file or an import, sealed (as it was when sealed under the current key). */
  sealedMember(member: AnyMember): StoredMember {
    if (!isStoredMember(member)) return this.sealMember(member);
    return this.isCurrent(member.phone) ? member : this.sealMember(this.openMember(member));
  }

  /** A notice as read from a file or an import, its address sealed under the current key. */
  sealedOutbox(message: OutboxMessage): OutboxMessage {
    if (!isSealed(message.to)) return this.sealOutbox(message);
    return this.isCurrent(message.to) ? message : this.sealOutbox(this.openOutbox(message));
  }

  /** Whether the record must be sealed again: in plain text, or sealed under an earlier key. */
  needsSealing(record: AnyMember | OutboxMessage): boolean {
    const field = 'to' in record ? record.to : isStoredMember(record) ? record.phone : null;
    return field === null || !this.isCurrent(field);
  }

  private isCurrent(field: string): boolean {
    return keyIdOf(field) === this.cipher.currentKeyId;
  }
}

/** The records as a store holds them: members sealed (a notice's address too, in the same type). */
export interface HeldRecords extends Omit<StoredRecords, 'members'> {
  members: StoredMember;
}

/** The member data as the JSON store holds it once started: every member sealed. */
export type SealedDb = Omit<StoredDb, 'members'> & { members: StoredMember[] };

/**
 * The first record of a document (members, then notices) sealed under a key that is not among
 * `keyIds`, with that key: checked before anything is written, so data sealed under a key the
 * service lacks stops the start (or an import) instead of failing record by record.
 */
export function firstMissingKey(
  document: { members: AnyMember[]; outbox: OutboxMessage[] },
  keyIds: ReadonlySet<string>,
): { keyId: string; recordId: string } | undefined {
  for (const record of [...document.members, ...document.outbox]) {
    if (!('to' in record) && !isStoredMember(record)) continue;
    const fields = 'to' in record ? [record.to] : [record.name, record.phone, record.email];
    for (const field of fields) {
      const keyId = keyIdOf(field);
      if (keyId !== null && !keyIds.has(keyId)) return { keyId, recordId: record.id };
    }
  }
  return undefined;
}
