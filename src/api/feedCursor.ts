import { ApiProblem } from './apiProblem.js';

/** A position in the cancellation feed: after this cancellation (none: before the first). */
export type FeedPosition = { receivedAt: string; reference: string } | null;

/**
 * The position as an opaque cursor (base64url of JSON), so clients pass it back as they got it
 * and the order's key may change without changing the API.
 */
export function writeCursor(position: FeedPosition): string {
  return Buffer.from(JSON.stringify(position ? [position.receivedAt, position.reference] : [])).toString('base64url');
}

export function readCursor(cursor: string): FeedPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (Array.isArray(parsed) && parsed.length === 0) return null;
  if (
    Array.isArray(parsed) &&
    parsed.length === 2 &&
    typeof parsed[1] === 'string' &&
    typeof parsed[0] === 'string' &&
    !Number.isNaN(Date.parse(parsed[0]))
  )
    return { receivedAt: parsed[0], reference: parsed[1] };
  throw new ApiProblem(
    400,
    'invalid_cursor',
    'The request is not valid',
    'Pass `after` as a `nextCursor` returned by this API.',
  );
}
