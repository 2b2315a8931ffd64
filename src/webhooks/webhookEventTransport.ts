import type { Clock } from '../core/clock.js';
import type { OutboxMessage } from '../model/schema.js';
import { DeliveryError, type Transport } from '../notify/transport.js';
import { signatureHeader, WEBHOOK_SIGNATURE_HEADER } from './webhookSignature.js';

/**
 * POSTs an event row to its endpoint, signed when it is sent (so a retry an hour later is still
 * inside the receiver's replay window). Any answer but 2xx, a timeout or a network error is
 * retried by the outbox and parked after its last attempt: a receiver fixing its side gets every
 * event. A row whose endpoint is no longer configured is parked, never sent to an address dropped.
 */
export class WebhookEventTransport implements Transport {
  constructor(
    private readonly endpoints: readonly string[],
    private readonly secrets: readonly string[],
    private readonly clock: Clock,
    private readonly timeoutMs = 5000,
  ) {}

  async send(message: OutboxMessage, signal: AbortSignal): Promise<void> {
    if (!this.endpoints.includes(message.to))
      throw new DeliveryError('the endpoint is no longer in WEBHOOK_URLS', false);
    const body = message.text;
    const { id, type } = JSON.parse(body) as { id: string; type: string };
    let res: Response;
    try {
      res = await fetch(message.to, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-event': type,
          [WEBHOOK_SIGNATURE_HEADER]: signatureHeader(body, this.secrets, this.clock.now()),
        },
        body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]),
      });
    } catch (err) {
      throw new DeliveryError(`webhook endpoint unreachable: ${(err as Error).message}`, true);
    }
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) throw new DeliveryError(`webhook endpoint answered ${res.status}`, true);
  }
}
