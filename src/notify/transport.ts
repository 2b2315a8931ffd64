import type { OutboxMessage } from '../model/schema.js';

/** Hands one message to the outside world; throws a {@link DeliveryError} when it could not. */
export interface Transport {
  /**
   * `signal` aborts when the dispatcher gives up on this send (its deadline passed): a transport
   * that can should drop the work then, so the abandoned send does not finish behind the retry.
   */
  send(message: OutboxMessage, signal: AbortSignal): Promise<void>;
}

/** A failed delivery; `retryable` is false when trying again cannot help (a 4xx from a gateway). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** The record every transport writes or sends: the outbox contract in ARCHITECTURE.md. */
export function deliveryRecord(message: OutboxMessage) {
  const { id, at, memberId, channel, to, locale, template, text } = message;
  return { id, at, memberId, channel, to, locale, template, text };
}
