import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { RandomSource } from '../core/random.js';
import type { DomainEvents } from '../membership/domainEvents.js';
import { ProviderRecords } from '../membership/providerRecords.js';
import { ProviderRenewals } from '../membership/providerRenewals.js';
import type { Repository } from '../model/repository.js';
import type { Notifier } from '../notify/notifier.js';
import { WebhookOutbox } from '../webhooks/webhookOutbox.js';

/** What the provider's side adds to the app: its events out, and the records its API writes. */
export interface ProviderWiring {
  /** The domain's events, as webhook rows in the outbox (none while WEBHOOK_URLS is empty). */
  events: DomainEvents;
  renewals: ProviderRenewals;
  records: ProviderRecords;
}

/**
 * Builds the provider's side: the domain's events as webhook rows, and the records its API writes.
 *
 * @returns The event port the domain services record into, and the provider's writers.
 */
export function wireProvider(
  config: Config,
  repository: Repository,
  notifier: Notifier,
  clock: Clock,
  random: RandomSource,
): ProviderWiring {
  const events = new WebhookOutbox(config.WEBHOOK_URLS, clock, random, config.DEFAULT_LOCALE);
  return {
    events,
    renewals: new ProviderRenewals(repository, notifier, clock, random, events),
    records: new ProviderRecords(repository, clock, random, events),
  };
}
