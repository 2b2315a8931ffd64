import { maskText } from '../core/mask.js';

/** Keys whose values are credentials wherever they sit (headers, channelData, options). */
const SECRET_KEY = /authorization|password|secret|token|cookie/i;
/** Errno-style codes (ENOSPC, ERR_HTTP_HEADERS_SENT) say what failed and hold nothing personal. */
const ERRNO_CODE = /^[A-Z][A-Z0-9_]{1,40}$/;
const MAX_DEPTH = 8;

/**
 * What a log line may hold of a value: strings masked (phones, emails, codes), credentials by key
 * replaced, an error as its type, message, stack and code, an HTTP request as its method and path
 * only (never its headers or body), bytes as their count. Cycles and depth are cut, so any object
 * a library hands to the logger can be written.
 */
export function loggable(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return maskText(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  if (value instanceof Date) return value;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  if (value instanceof Error) return loggableError(value, depth, seen);
  if (isRequest(value)) return { method: value.method, url: maskText(String(value.url)) };
  if (Array.isArray(value)) return value.map((v) => loggable(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value))
    out[key] = SECRET_KEY.test(key) ? '[redacted]' : loggable(v, depth + 1, seen);
  return out;
}

function loggableError(err: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const { code, statusCode, cause } = err as Error & { code?: unknown; statusCode?: unknown; cause?: unknown };
  return {
    type: err.name,
    message: maskText(err.message),
    stack: err.stack === undefined ? undefined : maskText(err.stack),
    code: typeof code === 'string' && ERRNO_CODE.test(code) ? code : loggable(code, depth + 1, seen),
    statusCode,
    cause: cause === undefined ? undefined : loggable(cause, depth + 1, seen),
  };
}

function isRequest(value: object): value is { method: unknown; url: unknown } {
  return 'method' in value && 'url' in value && 'headers' in value;
}
