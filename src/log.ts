import { pino, type Logger } from 'pino';
import { maskDeep, maskText } from './privacy/mask.js';

export type { Logger };

/**
 * JSON lines in production; pino-pretty when a person watches a terminal. Every string that
 * reaches a log line passes through the masker, so a phone number or email that slips into a
 * message is hidden even if the caller forgot.
 */
export function createLogger(level: string, options: { pretty?: boolean; destination?: NodeJS.WritableStream } = {}): Logger {
  const pretty = options.pretty ?? (process.env.NODE_ENV !== 'production' && Boolean(process.stdout.isTTY));
  const base = {
    level,
    base: undefined,
    redact: { paths: ['*.password', '*.secret', '*.token', '*.code', '*.authorization'], censor: '[redacted]' },
    formatters: { log: (obj: Record<string, unknown>) => maskDeep(obj) },
    hooks: {
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? maskText(a) : a)));
      },
    },
  };
  if (options.destination) return pino(base, options.destination as pino.DestinationStream);
  if (pretty) return pino({ ...base, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } });
  return pino(base);
}
