import type { Config } from './config.js';
import type { Clock } from './core/clock.js';
import type { RandomSource } from './core/random.js';
import type { DomainEvents } from './membership/domainEvents.js';
import { ProviderRecords } from './membership/providerRecords.js';
import { ProviderRenewals } from './membership/providerRenewals.js';
import type { Repository } from './model/repository.js';
import type { Notifier } from './notify/notifier.js';
import type { Transport } from './notify/transport.js';
import { WebhookEventTransport } from './webhooks/webhookEventTransport.js';
import { WebhookOutbox } from './webhooks/webhookOutbox.js';

/** What the provider's side adds to the app: its events out, and the records its API writes. */
export interface ProviderWiring {
  /** The domain's events, as webhook rows in the outbox (none while WEBHOOK_URLS is empty). */
  events: DomainEvents;
  /** Delivers the outbox's `webhook` rows. */
  webhooks: Transport;
  renewals: ProviderRenewals;
  records: ProviderRecords;
}

export function providerWiring(
  config: Config,
  repository: Repository,
  notifier: Notifier,
  clock: Clock,
  random: RandomSource,
): ProviderWiring {
  const events = new WebhookOutbox(config.WEBHOOK_URLS, clock, random, config.DEFAULT_LOCALE);
  return {
    events,
    webhooks: new WebhookEventTransport(config.WEBHOOK_URLS, config.WEBHOOK_SECRET, clock),
    renewals: new ProviderRenewals(repository, notifier, clock, random, events),
    records: new ProviderRecords(repository, clock, random, events),
  };
}
