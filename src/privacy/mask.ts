/** Shows enough of a phone number for a person to recognise it: `+86 138****5678`. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const cn = digits.startsWith('86') && digits.length === 13;
  const national = cn ? digits.slice(2) : digits;
  const masked = national.length < 7 ? '*'.repeat(national.length) : `${national.slice(0, 3)}****${national.slice(-4)}`;
  if (cn) return `+86 ${masked}`;
  return phone.trim().startsWith('+') ? `+${masked}` : masked;
}

/** `zoe@example.com` → `z***@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** A phone number without the country code, as people in that country read it: `138****5678`. */
export function maskPhoneNational(phone: string): string {
  return maskPhone(phone).replace(/^\+(86 )?/, '');
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

/** Applies {@link maskText} to every string inside a JSON-like value. */
export function maskDeep<T>(value: T): T {
  if (typeof value === 'string') return maskText(value) as T;
  if (Array.isArray(value)) return (value as unknown[]).map((v) => maskDeep(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v)])) as T;
  }
  return value;
}
