import type { Clock } from '../core/clock.js';
import type { RandomSource } from '../core/random.js';
import type { ReplyLocale } from '../i18n/languages.js';
import type { DomainEvent, DomainEvents } from '../membership/domainEvents.js';
import type { Transaction } from '../model/repository.js';
import type { OutboxMessage } from '../model/schema.js';
import type { WebhookEvent } from './webhookSchemas.js';

/** An event as its receivers get it: a stable id, its type, when it happened, and its facts. */
export function webhookEvent(id: string, createdAt: string, event: DomainEvent): WebhookEvent {
  const { type, ...data } = event;
  return { id, type, createdAt, data };
}

/**
 * The domain's events as outbox rows, one per configured endpoint, put in the transaction that
 * makes the event true: delivered after it commits, with the outbox's retries and parking, and
 * never for a change that did not commit. Each endpoint gets its own row, so one that is down
 * holds back no other. The row's text is the event's JSON (ids and amounts, no personal data).
 */
export class WebhookOutbox implements DomainEvents {
  constructor(
    private readonly endpoints: readonly string[],
    private readonly clock: Clock,
    private readonly random: RandomSource,
    /** The row's language column: an event is JSON for a program, so the service's default fills it. */
    private readonly locale: ReplyLocale,
  ) {}

  record(tx: Transaction, event: DomainEvent): void {
    if (this.endpoints.length === 0) return;
    const now = this.clock.now().toISOString();
    const id = `evt_${this.random.hex(12)}`;
    const text = JSON.stringify(webhookEvent(id, now, event));
    this.endpoints.forEach((to, i) => {
      const row: OutboxMessage = {
        id: `${id}.${i}`,
        at: now,
        memberId: event.memberId,
        channel: 'webhook',
        to,
        locale: this.locale,
        template: event.type,
        text,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
      };
      tx.put('outbox', row);
    });
  }
}
