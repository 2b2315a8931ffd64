import { z } from 'zod';
import type { BillingPort, ChargeRequest, ChargeResult } from '../membership/billing.js';

const answerSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('charged'), chargeId: z.string().min(1) }),
  z.object({ status: z.literal('refused'), reason: z.string().min(1) }),
]);

/** The provider's billing gave no usable answer: the pass asks again later with the same key. */
export class BillingUnansweredError extends Error {
  constructor(detail: string) {
    super(`The billing service gave no answer (${detail}); the renewal is tried again with the same key.`);
    this.name = 'BillingUnansweredError';
  }
}

export interface HttpBillingOptions {
  /** The provider's billing endpoint: each charge is a POST to `<url>/charges`. */
  url: string;
  apiKey?: string;
  timeoutMs: number;
}

/**
 * Asks the provider's billing over HTTP. The idempotency key goes as the `Idempotency-Key` header,
 * so the provider charges a period at most once however often it is asked; a 2xx answer says
 * `charged` (with its id) or `refused` (with a reason). Anything else (a timeout, a 5xx, a body
 * that is not one of those) is no answer.
 */
export class HttpBilling implements BillingPort {
  constructor(private readonly options: HttpBillingOptions) {}

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    let res: Response;
    try {
      res = await fetch(
        new URL('charges', this.options.url.endsWith('/') ? this.options.url : `${this.options.url}/`),
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': request.idempotencyKey,
            ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
          },
          body: JSON.stringify(request),
          signal: AbortSignal.timeout(this.options.timeoutMs),
        },
      );
    } catch (err) {
      throw new BillingUnansweredError((err as Error).name === 'TimeoutError' ? 'timed out' : (err as Error).message);
    }
    if (!res.ok) throw new BillingUnansweredError(`HTTP ${res.status}`);
    const parsed = answerSchema.safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw new BillingUnansweredError('the body was not a charge outcome');
    return parsed.data;
  }
}
