import { DeliveryError } from './transport.js';

/** Calls `fire` after `ms` unless the returned function cancels it first; tests fire by hand. */
export type Timer = (ms: number, fire: () => void) => () => void;

export const realTimer: Timer = (ms, fire) => {
  const handle = setTimeout(fire, ms);
  // A pending deadline must not keep a process that is otherwise done alive.
  handle.unref();
  return () => clearTimeout(handle);
};

/**
 * A send that ran past its deadline. Retryable: the server may still be fine for the next
 * attempt, and a message is never recorded as sent without the transport's word for it.
 */
export class SendTimeoutError extends DeliveryError {
  constructor(readonly deadlineMs: number) {
    super(`no answer within ${deadlineMs} ms; the send was abandoned and is tried again`, true);
    this.name = 'SendTimeoutError';
  }
}

/**
 * Runs `send` for at most `deadlineMs`, all of it. A mail server that trickles one reply line
 * every few seconds never trips a socket's idle timeout, so only a total deadline bounds it.
 * When it passes, the signal aborts (the transport drops its connection, so the abandoned send
 * cannot finish behind the retry) and this rejects at once, whether or not the transport listened.
 */
export async function withinDeadline(
  send: (signal: AbortSignal) => Promise<void>,
  deadlineMs: number,
  timer: Timer,
): Promise<void> {
  const controller = new AbortController();
  let cancel!: () => void;
  const expired = new Promise<never>((_, reject) => {
    cancel = timer(deadlineMs, () => {
      const timeout = new SendTimeoutError(deadlineMs);
      controller.abort(timeout);
      reject(timeout);
    });
  });
  try {
    await Promise.race([send(controller.signal), expired]);
  } finally {
    cancel();
  }
}
