import { pino, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import { loggable } from './privacy/loggable.js';
import { maskText } from './core/mask.js';

export type { Logger };

/**
 * JSON lines in production; pino-pretty when a person watches a terminal. Every value that
 * reaches a log line passes through {@link loggable}, so a phone number or email that slips into a
 * message is hidden even if the caller forgot, and a request or error handed over by a library
 * (restify logs through this logger too) brings neither headers nor body. Values are masked, not
 * keys: an error's `code` (ENOSPC) stays readable while a one-time code in any string is hidden.
 */
export function createLogger(
  level: string,
  options: { pretty?: boolean; destination?: NodeJS.WritableStream } = {},
): Logger {
  const pretty = options.pretty ?? (process.env.NODE_ENV !== 'production' && Boolean(process.stdout.isTTY));
  const base = {
    level,
    base: undefined,
    formatters: { log: (obj: Record<string, unknown>) => loggable(obj) as Record<string, unknown> },
    // loggable already wrote errors; pino's own serializer would rename their type to "Object".
    serializers: { err: (err: unknown) => err },
    hooks: {
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? maskText(a) : a)),
        );
      },
    },
  };
  if (options.destination) return pino(base, options.destination as pino.DestinationStream);
  // In-process, not as a transport: a transport's worker thread loads files by path, which the bundle no longer has.
  if (pretty) return pino(base, pinoPretty({ translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', sync: true }));
  return pino(base);
}
