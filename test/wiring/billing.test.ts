import { billingFor } from '../../src/wiring/billing.js';
import { HttpBilling } from '../../src/billing/httpBilling.js';
import { RecordedBilling } from '../../src/billing/recordedBilling.js';
import { loadConfig } from '../../src/config.js';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';

describe('billingFor', () => {
  const clock = new ManualClock('2026-11-24T02:00:00Z');
  it('asks the provider over HTTP when BILLING_URL is set, else records charges for development', () => {
    const http = loadConfig({ BILLING_URL: 'http://127.0.0.1:9/billing', BILLING_API_KEY: 'bk' });
    expect(billingFor(http, clock, seededRandom(1), true)).toBeInstanceOf(HttpBilling);
    expect(billingFor(loadConfig({}), clock, seededRandom(1), true)).toBeInstanceOf(RecordedBilling);
  });

  it('stops the start naming BILLING_URL when it is not an http(s) URL', () => {
    expect(() => loadConfig({ BILLING_URL: 'ftp://billing' })).toThrow(
      'Invalid configuration: BILLING_URL="ftp://billing"; expected an http(s) URL.',
    );
  });
});
