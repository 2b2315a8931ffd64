import type { RandomSource } from '../core/random.js';

// No I or O: a reference is read out over the phone and typed back by people.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** Built once: building a formatter costs about a hundred times what formatting with it does. */
const CHINA_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** `CX-20261124-7K3Q`: the date the request was received (China time) and four random characters. */
export function newReference(receivedAt: Date, random: RandomSource): string {
  const date = CHINA_DATE.format(receivedAt).replaceAll('-', '');
  const suffix = Array.from({ length: 4 }, () => ALPHABET[random.int(ALPHABET.length)]).join('');
  return `CX-${date}-${suffix}`;
}

/** A reference as it appears within a text (a receipt, a notice). */
export const REFERENCE_IN_TEXT = /CX-\d{8}-[0-9A-HJ-NP-Z]{4}/;
