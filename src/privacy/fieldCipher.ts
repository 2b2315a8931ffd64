import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  randomFillSync,
  type KeyObject,
} from 'node:crypto';

/** A key that seals personal fields, and the id written beside each field it sealed (for rotation). */
export interface FieldKey {
  id: string;
  /** 32 bytes: AES-256. */
  key: Buffer;
}

/** Key ids are written into every sealed field, between dots: letters, digits, `_` and `-`. */
export const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** What a sealed field starts with: the format's version. */
const PREFIX = 'pd1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/**
 * A whole sealed field: the prefix, a key id, and at least an IV and a tag (28 bytes, 38 base64url
 * characters). Nothing typed by a person matches it (an e-mail has an @), so plain text that
 * starts with the prefix is never taken for sealed. PostgreSQL's `~` queries use this text, and
 * migration 0005's partial index repeats it, as the queries must; JavaScript checks the same shape
 * with {@link keyIdOf}.
 */
export const SEALED_SQL_PATTERN = '^pd1\\.[A-Za-z0-9_-]{1,32}\\.[A-Za-z0-9_-]{38,}$';
/** The prefix and the key id of {@link SEALED_SQL_PATTERN}: at most 38 characters to match. */
const SEALED_HEAD = /^pd1\.([A-Za-z0-9_-]{1,32})\./;
/** One character outside base64url: looking for it never backtracks, however long the data. */
const NOT_BASE64URL = /[^A-Za-z0-9_-]/;
const MIN_DATA_CHARS = 38;
/** How many IVs one call to the random source fills at once (a call costs as much as 12 bytes of it). */
const IVS_PER_FILL = 256;

/** A sealed field names a key the service was not given, or does not open with it (altered, or another key of that name). */
export class PersonalDataKeyError extends Error {
  constructor(
    readonly keyId: string,
    problem: string,
  ) {
    super(
      `Personal data sealed under key "${keyId}" ${problem}. Give the service that key (PERSONAL_DATA_KEYS keeps earlier keys after the current one), or restore the data sealed with the keys it has.`,
    );
    this.name = 'PersonalDataKeyError';
  }
}

/** A field that should be sealed holds plain text: written by hand, or by an earlier version of the service. */
export class UnsealedFieldError extends Error {
  constructor(readonly place: string) {
    super(
      `The field ${place} holds plain text where sealed personal data belongs (written by hand, or by an earlier version of the service). Restart the service on the JSON store, or run \`npm run db:migrate\` on PostgreSQL: both seal such data.`,
    );
    this.name = 'UnsealedFieldError';
  }
}

/**
 * Personal fields at rest: AES-256-GCM, one random 96-bit IV a field, the field's place (record
 * and field name) as additional data so a sealed value moved to another record or field does not
 * open. A sealed field reads `pd1.<key id>.<base64url(iv ‖ ciphertext ‖ tag)>`: the first key
 * seals, every key listed opens, so a key is rotated by putting a new one first and keeping the
 * old one until every record has been sealed again.
 *
 * Look-ups by phone or e-mail use a blind index: HMAC-SHA-256 under a key of its own (rotating
 * the sealing keys leaves it unchanged), so equal values have equal indexes and nothing else can
 * be learnt from them without the key.
 */
export class FieldCipher {
  /** Prepared once: a Buffer key is copied into a key object by every cipher made from it. */
  private readonly keys: ReadonlyMap<string, KeyObject>;
  private readonly sealingKey: KeyObject;
  readonly currentKeyId: string;
  /** Random bytes for the next IVs, each 12 used once; {@link nextIv} refills it when spent. */
  private readonly ivs = Buffer.alloc(IV_BYTES * IVS_PER_FILL);
  private ivAt = this.ivs.length;

  constructor(
    keys: readonly FieldKey[],
    private readonly indexKey: Buffer,
  ) {
    if (keys.length === 0) throw new Error('FieldCipher needs at least one key.');
    for (const { id, key } of keys) {
      if (!KEY_ID.test(id)) throw new Error(`Key id "${id}" must be 1–32 letters, digits, _ or -.`);
      if (key.length !== 32) throw new Error(`Key "${id}" must be 32 bytes (AES-256).`);
    }
    this.keys = new Map(keys.map(({ id, key }) => [id, createSecretKey(key)]));
    this.currentKeyId = keys[0].id;
    this.sealingKey = this.keys.get(this.currentKeyId)!;
  }

  /** The ids of the keys this cipher opens with. */
  get keyIds(): ReadonlySet<string> {
    return new Set(this.keys.keys());
  }

  seal(plain: string, place: string): string {
    const iv = this.nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.sealingKey, iv);
    cipher.setAAD(Buffer.from(place, 'utf8'));
    const sealed = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}${this.currentKeyId}.${sealed.toString('base64url')}`;
  }

  open(sealed: string, place: string): string {
    const keyId = keyIdOf(sealed);
    if (keyId === null) throw new UnsealedFieldError(place);
    const key = this.keys.get(keyId);
    if (!key) throw new PersonalDataKeyError(keyId, 'is not among the keys this service was given');
    // At least an IV and a tag: keyIdOf requires their 38 characters.
    const bytes = Buffer.from(sealed.slice(PREFIX.length + keyId.length + 1), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(place, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new PersonalDataKeyError(
        keyId,
        `does not open at ${place} (altered, or sealed with another key of that id)`,
      );
    }
  }

  /** A fresh random IV, valid until the next call: seal copies it into the sealed field at once. */
  private nextIv(): Buffer {
    if (this.ivAt === this.ivs.length) {
      randomFillSync(this.ivs);
      this.ivAt = 0;
    }
    return this.ivs.subarray(this.ivAt, (this.ivAt += IV_BYTES));
  }

  /** The blind index of a value of one kind (phone, email): the same value, the same index. */
  index(kind: string, value: string): string {
    return createHmac('sha256', this.indexKey).update(`${kind}\0${value}`, 'utf8').digest('base64url');
  }
}

/**
 * The key id a sealed field names, or null if the text is not a sealed field: what
 * {@link SEALED_SQL_PATTERN} matches. Not that pattern as a JavaScript RegExp: its open-ended run
 * keeps a backtracking entry per character, and V8 overflows its stack on a field of about 8 MB.
 */
export function keyIdOf(text: string): string | null {
  const head = SEALED_HEAD.exec(text);
  if (!head) return null;
  const data = text.slice(head[0].length);
  return data.length >= MIN_DATA_CHARS && !NOT_BASE64URL.test(data) ? head[1] : null;
}

export const isSealed = (text: string): boolean => keyIdOf(text) !== null;

/** A sealed field that cannot be opened with the keys given, or plain text where one belongs. */
export const isUnreadable = (err: unknown): err is PersonalDataKeyError | UnsealedFieldError =>
  err instanceof PersonalDataKeyError || err instanceof UnsealedFieldError;
