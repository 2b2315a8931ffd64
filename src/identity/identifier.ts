import { Culture, SequenceRecognizer } from '@microsoft/recognizers-text-sequence';

export type Country = 'CN' | 'US';
export type Identifier = { kind: 'phone'; value: string } | { kind: 'email'; value: string };

const COUNTRY_CODES: Record<Country, string> = { CN: '86', US: '1' };
const CN_MOBILE = /^1[3-9]\d{9}$/;
const US_NATIONAL = /^[2-9]\d{2}[2-9]\d{6}$/;
/** 1-650-555-0119, 1 (650) 555 0119: the grouping of a US number with its country code, never a Chinese mobile's. */
const US_GROUPED = /^\+?1[-. ]\(?[2-9]\d{2}\)?[-. ]\d{3}[-. ]\d{4}$/;

/**
 * Turns the digits of a phone number as people type it into E.164, or null when they cannot be a
 * number we serve: `138 1234 5678`, `+86-138…`, `0086 138…`, `8613812345678`, `(415) 555-0123`.
 */
export function toE164(raw: string, defaultCountry: Country): string | null {
  const trimmed = raw.normalize('NFKC').trim();
  const international = trimmed.startsWith('+') || trimmed.startsWith('00') || US_GROUPED.test(trimmed);
  let digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('00')) digits = digits.slice(2);
  if (
    international ||
    (digits.length === 13 && digits.startsWith('86')) ||
    (digits.length === 11 && digits.startsWith('1') && !CN_MOBILE.test(digits))
  ) {
    if (digits.startsWith('86') && CN_MOBILE.test(digits.slice(2))) return `+${digits}`;
    if (digits.startsWith('1') && US_NATIONAL.test(digits.slice(1))) return `+${digits}`;
    return null;
  }
  if (CN_MOBILE.test(digits)) return defaultCountry === 'CN' ? `+86${digits}` : null;
  if (US_NATIONAL.test(digits)) return `+${COUNTRY_CODES.US}${digits}`;
  return null;
}

type Model = ReturnType<SequenceRecognizer['getPhoneNumberModel']>;
const MODELS = new Map<string, { phone: Model; email: Model }>();

/**
 * The recognizers' models for the text's culture, built once a process: the package's
 * recognizePhoneNumber/recognizeEmail build a whole recognizer at every call (about 8 times slower).
 */
function modelsFor(text: string): { phone: Model; email: Model } {
  const culture = /\p{Script=Han}/u.test(text) ? Culture.Chinese : Culture.English;
  let models = MODELS.get(culture);
  if (!models) {
    const recognizer = new SequenceRecognizer(culture);
    models = { phone: recognizer.getPhoneNumberModel(culture), email: recognizer.getEmailModel(culture) };
    MODELS.set(culture, models);
  }
  return models;
}

/**
 * Finds the phone number or email in what a member wrote, also inside a sentence ("我的手机号是…",
 * "my number is …"). The recognizers find the span; normalisation is ours, because they do not
 * produce E.164 and keep trailing punctuation on emails (checked in the tests).
 */
export function parseIdentifier(text: string, defaultCountry: Country): Identifier | null {
  const normalized = text.normalize('NFKC');
  const models = modelsFor(normalized);
  const email = models.email.parse(normalized)[0] ?? null;
  // The recognizer keeps a sentence's closing full stop ("…@example.com."). The look-behind keeps
  // the strip linear: only the start of the closing run is tried, not every dot before it.
  if (email)
    return {
      kind: 'email',
      value: String(email.resolution.value)
        .toLowerCase()
        .replace(/(?<![.,;:!?。，])[.,;:!?。，]+$/u, ''),
    };
  const direct = /@/.test(normalized) ? null : normalized.match(/(?:\+|00)?\d[\d\s\-().]{5,}\d/g);
  const recognized = models.phone.parse(normalized).map((r) => String(r.text));
  const numbers = new Set<string>();
  for (const candidate of [...recognized, ...(direct ?? [])]) {
    const e164 = toE164(candidate, defaultCountry);
    if (e164) numbers.add(e164);
  }
  // "13600005555 还是 13600005556 来着": two numbers and no word of which is meant; asked again.
  return numbers.size === 1 ? { kind: 'phone', value: [...numbers][0] } : null;
}
