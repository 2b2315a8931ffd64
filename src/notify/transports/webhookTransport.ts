import { createHmac } from 'node:crypto';
import type { OutboxMessage } from '../../model/schema.js';
import { deliveryRecord, DeliveryError, type Transport } from '../transport.js';

export const SIGNATURE_HEADER = 'x-signature';

/** `sha256=<hex HMAC-SHA256 of the exact body>`, the form a gateway checks before trusting a message. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * POSTs each message as JSON to an SMS/email gateway. A 5xx, a timeout or a network error is
 * retryable (the outbox tries again later); any other non-2xx answer is final.
 */
export class WebhookTransport implements Transport {
  constructor(
    private readonly url: string,
    private readonly secret: string,
    private readonly timeoutMs = 5000,
  ) {}

  async send(message: OutboxMessage, signal: AbortSignal): Promise<void> {
    const body = JSON.stringify(deliveryRecord(message));
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signBody(body, this.secret),
          'idempotency-key': message.id,
        },
        body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]),
      });
    } catch (err) {
      throw new DeliveryError(`webhook unreachable: ${(err as Error).message}`, true);
    }
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return;
    throw new DeliveryError(`webhook answered ${res.status}`, res.status >= 500 || res.status === 429);
  }
}
