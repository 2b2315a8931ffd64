// ITU country calling codes form a prefix code: 1 and 7 stand alone, these two-digit codes are
// whole, and every other code has three digits. Enough to split an E.164 number without a table.
const TWO_DIGIT_COUNTRY = new Set([
  '20',
  '27',
  '30',
  '31',
  '32',
  '33',
  '34',
  '36',
  '39',
  '40',
  '41',
  '43',
  '44',
  '45',
  '46',
  '47',
  '48',
  '49',
  '51',
  '52',
  '53',
  '54',
  '55',
  '56',
  '57',
  '58',
  '60',
  '61',
  '62',
  '63',
  '64',
  '65',
  '66',
  '81',
  '82',
  '84',
  '86',
  '90',
  '91',
  '92',
  '93',
  '94',
  '95',
  '98',
]);

function countryCode(digits: string): string {
  if (digits.startsWith('1') || digits.startsWith('7')) return digits[0];
  return TWO_DIGIT_COUNTRY.has(digits.slice(0, 2)) ? digits.slice(0, 2) : digits.slice(0, 3);
}

function maskNational(national: string): string {
  if (national.length < 7) return '*'.repeat(national.length);
  return national.length >= 10 ? `${national.slice(0, 3)}****${national.slice(-4)}` : `****${national.slice(-4)}`;
}

/**
 * Shows enough of a phone number for a person to recognise it, split at the country code when it
 * is given in E.164 form: `+86 138****5678`, `+1 415****0123`. Without a `+` the digits are national.
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (!phone.trim().startsWith('+')) return maskNational(digits);
  const country = countryCode(digits);
  return `+${country} ${maskNational(digits.slice(country.length))}`;
}

/** `zoe@example.com` → `z***@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** A phone number as the member reads it: Chinese numbers (the service's home) without +86, others with their country code. */
export function maskPhoneForMember(phone: string): string {
  return maskPhone(phone).replace(/^\+86 /, '');
}

// An email is tried only where a run of address characters starts (the look-behind): without it
// every character of a long run started a scan to the run's end, quadratic in the run's length
// (docs/RELIABILITY.md, #14 item 2).
const EMAIL = /(?<![^\s@<>"'(),;:])[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[A-Za-z]{2,}/g;
// Runs of 7+ digits, allowing the spaces, dashes and full-width digits people type. Linear: a
// start that fails has no digit 6 or more characters further on in its run, so at most six
// starts of one run can fail, and a start that succeeds consumes the run.
const PHONE = /\+?[0-9０-９][0-9０-９\s-]{5,}[0-9０-９]/g;
const CODE = /(?<![0-9０-９])[0-9０-９](?:\s?[0-9０-９]){5}(?![0-9０-９])/g;

/**
 * Masks anything in free text that looks like an email, a phone number or a one-time code.
 * Used on every log line and transcript: it errs on the side of hiding.
 */
export function maskText(text: string): string {
  return text
    .replace(EMAIL, (m) => maskEmail(m))
    .replace(PHONE, (m) => {
      const digitCount = m.replace(/[^0-9０-９]/g, '').length;
      if (digitCount === 6) return '******';
      return digitCount >= 7 ? maskPhone(m.normalize('NFKC')) : m;
    })
    .replace(CODE, '******');
}

/** Applies `mask` ({@link maskText} unless told) to every string inside a JSON-like value. */
export function maskDeep<T>(value: T, mask: (text: string) => string = maskText): T {
  if (typeof value === 'string') return mask(value) as T;
  if (Array.isArray(value)) return (value as unknown[]).map((v) => maskDeep(v, mask)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, mask)])) as T;
  }
  return value;
}
