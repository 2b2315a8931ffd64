import type { OutboxMessage } from '../model/schema.js';

/** Hands one message to the outside world; throws a {@link DeliveryError} when it could not. */
export interface Transport {
  /**
   * Sends one message on its channel, to its `to`.
   *
   * @param message - The message as the outbox holds it: channel, address, language and text.
   * @param signal - Aborts when the dispatcher gives up on this send (its deadline passed): a
   * transport that can should drop the work then, so the abandoned send does not finish behind the retry.
   * @returns Once the channel has taken the message (the gateway answered, the file line is written).
   * @remarks A rejection with a {@link DeliveryError} whose `retryable` is false parks the message;
   * any other rejection is retried later (up to the attempts allowed), so a send may be repeated
   * after a failure that hid a success.
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
