import type { Activity } from 'botbuilder';

export const MAX_BODY_BYTES = 256 * 1024;

/**
 * Compressed bodies are refused before a byte is read: the size limit counts what arrives, and a
 * body under it can expand to many times the limit in memory (docs/RELIABILITY.md, "Hardening",
 * has the figures). Bot Framework channels send JSON uncompressed.
 */
export function checkContentEncoding(contentEncoding: string | undefined): { status: 415; error: string } | null {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return null;
  return { status: 415, error: 'Content-Encoding is not accepted; send the activity as uncompressed JSON.' };
}

/** Only white space (a test, not a trimmed copy of every body). */
const BLANK = /^\s*$/;

export type RequestCheck = { ok: true; activity: Partial<Activity> } | { ok: false; status: 400 | 415; error: string };

/**
 * Checks a POST to /api/messages before the adapter sees it, so a malformed request gets a short
 * JSON error instead of a stack trace or a turn run on half an activity.
 */
export function checkActivityRequest(contentType: string | undefined, body: unknown): RequestCheck {
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType ?? '')) {
    return { ok: false, status: 415, error: 'Content-Type must be application/json.' };
  }
  const raw = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '';
  if (BLANK.test(raw))
    return { ok: false, status: 400, error: 'The body is empty; send one Bot Framework activity as JSON.' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { ok: false, status: 400, error: 'The body is not valid JSON.' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, status: 400, error: 'The body must be one activity (a JSON object), not an array or a value.' };
  }
  const a = parsed as Partial<Activity>;
  const missing = [
    typeof a.type !== 'string' && 'type',
    typeof a.conversation?.id !== 'string' && 'conversation.id',
    typeof a.from?.id !== 'string' && 'from.id',
    typeof a.serviceUrl !== 'string' && 'serviceUrl',
  ].filter(Boolean);
  if (missing.length) return { ok: false, status: 400, error: `The activity is missing ${missing.join(', ')}.` };
  return { ok: true, activity: a };
}
