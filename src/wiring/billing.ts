import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { RandomSource } from '../core/random.js';
import type { BillingPort } from '../membership/billing.js';
import { HttpBilling } from '../billing/httpBilling.js';
import { RecordedBilling } from '../billing/recordedBilling.js';

/** The provider's billing over HTTP when BILLING_URL names it, else the development adapter (in memory for tests). */
export function billingFor(config: Config, clock: Clock, random: RandomSource, inMemory: boolean): BillingPort {
  if (config.BILLING_URL)
    return new HttpBilling({
      url: config.BILLING_URL,
      apiKey: config.BILLING_API_KEY,
      timeoutMs: config.BILLING_TIMEOUT_MS,
    });
  return new RecordedBilling(inMemory ? null : config.BILLING_FILE, clock, random);
}
