import { createHash } from 'node:crypto';
import type { RandomSource } from '../core/random.js';
import { FieldCipher, KEY_ID, type FieldKey } from '../privacy/fieldCipher.js';
import { loadSecret, type GeneratedSecret } from './secretFiles.js';

export const PERSONAL_DATA_KEY: GeneratedSecret = {
  file: 'personal-data-key',
  setting: 'PERSONAL_DATA_KEYS',
  lost: 'member data sealed with it can no longer be read: restore the key instead if you have it',
};
export const PERSONAL_DATA_INDEX_KEY: GeneratedSecret = {
  file: 'personal-data-index-key',
  setting: 'PERSONAL_DATA_INDEX_KEY',
  lost: 'members can no longer be found by phone or e-mail: restore the key instead if you have it',
};

/** A key as configured: 64 hex digits, or base64 of 32 bytes; null if it is neither. */
function keyBytes(text: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === 32 ? bytes : null;
}

/**
 * PERSONAL_DATA_KEYS: `id:key` pairs separated by commas, the first sealing and every one
 * opening; or what is wrong, in words (the keys themselves are never repeated).
 */
export function parsePersonalDataKeys(setting: string): FieldKey[] | string {
  const keys: FieldKey[] = [];
  for (const [i, pair] of setting
    .split(',')
    .map((p) => p.trim())
    .entries()) {
    const colon = pair.indexOf(':');
    const id = colon < 0 ? '' : pair.slice(0, colon);
    if (!KEY_ID.test(id)) return `pair ${i + 1} has no key id (id:key, the id 1–32 letters, digits, _ or -)`;
    const key = keyBytes(pair.slice(colon + 1));
    if (!key) return `key "${id}" is not 32 bytes as 64 hex digits or base64`;
    if (keys.some((k) => k.id === id)) return `key id "${id}" is listed twice`;
    keys.push({ id, key });
  }
  return keys;
}

/** A generated development key's id: named by its own hash, so two checkouts' keys never share an id. */
const generatedKey = (hex: string): FieldKey => ({
  id: `dev-${createHash('sha256').update(hex).digest('hex').slice(0, 8)}`,
  key: Buffer.from(hex, 'hex'),
});

/** The keys for personal data, checked (what it can open is known) before anything is written. */
export interface PersonalDataKeys {
  /** The ids of the keys there are now, before a missing development key is generated. */
  readonly keyIds: ReadonlySet<string>;
  /** The cipher; generates the development keys that are missing. */
  cipher(): FieldCipher;
}

/**
 * The sealing keys and the blind-index key: from PERSONAL_DATA_KEYS and PERSONAL_DATA_INDEX_KEY;
 * otherwise (development) generated once into SECRETS_DIR beside the code-hashing key, never
 * beside the data (secretFiles.ts). `dir` null: keys for this process only (data in memory).
 */
export function loadPersonalDataKeys(
  configured: { keys?: FieldKey[]; indexKey?: string },
  dir: string | null,
  random: RandomSource,
): PersonalDataKeys {
  const sealing = configured.keys ? null : loadSecret(PERSONAL_DATA_KEY, undefined, dir, random);
  const index = loadSecret(PERSONAL_DATA_INDEX_KEY, configured.indexKey, dir, random);
  const known = configured.keys ?? (sealing!.onHand ? [generatedKey(sealing!())] : []);
  let cipher: FieldCipher | undefined;
  return {
    keyIds: new Set(known.map((k) => k.id)),
    cipher: () =>
      (cipher ??= new FieldCipher(configured.keys ?? [generatedKey(sealing!())], Buffer.from(index(), 'utf8'))),
  };
}
