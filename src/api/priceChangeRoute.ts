import { z } from 'zod';
import { PriceChangeRefusedError, type PriceChangeService } from '../membership/priceChangeService.js';
import type { ApiCall, ApiResult } from './apiCall.js';
import { ApiProblem } from './apiProblem.js';
import { IDEMPOTENT } from './idempotencyHeader.js';

const instant = z.iso.datetime({ offset: true }).meta({ example: '2027-01-01T00:00:00Z' });

const priceChangeParams = z.object({ membershipId: z.string().min(1).max(100) });

const priceChangeBody = z
  .object({
    amount: z
      .number()
      .int()
      .nonnegative()
      .max(100_000_000)
      .meta({ description: "the new price in minor units (cents, fen), in the plan's currency" }),
    effectiveAt: instant.meta({ description: 'renewals at or after this instant charge the new price' }),
  })
  .strict()
  .meta({ id: 'PriceChangeRequest' });

export const priceChangeOut = z
  .object({
    membershipId: z.string(),
    amount: z.number().int().nonnegative(),
    effectiveAt: instant,
    firstChargeAt: instant.meta({ description: 'the first renewal that charges the new price' }),
    noticeAt: instant.meta({
      description: "when the member is told, inside their jurisdiction's window before firstChargeAt",
    }),
  })
  .meta({ id: 'PriceChange' });

/** The provider records a future price change; the member is told before it is first charged. */
export const PRICE_CHANGE_OPERATIONS = [
  {
    id: 'recordPriceChange' as const,
    method: 'post' as const,
    path: '/v1/memberships/{membershipId}/price-changes',
    scope: 'billing' as const,
    summary:
      "Records a future price for a membership's renewals; the member's notice goes out before the first charge at it",
    params: priceChangeParams,
    body: priceChangeBody,
    headers: IDEMPOTENT,
    status: 201 as const,
    response: priceChangeOut,
    problems: [404, 409, 422],
  },
];

/** The operation's work, as apiHandlers.ts runs each: no HTTP in it. */
export function priceChangeHandlers(s: { priceChanges: PriceChangeService }) {
  return {
    async recordPriceChange({ key, params, body }: ApiCall): Promise<ApiResult> {
      const { amount, effectiveAt } = body as z.infer<typeof priceChangeBody>;
      const membershipId = params.membershipId!;
      try {
        const change = await s.priceChanges.record({ membershipId, amount, effectiveAt, actor: key.id });
        const { firstChargeAt, noticeAt } = change;
        return { status: 201, body: { membershipId, amount, effectiveAt, firstChargeAt, noticeAt } };
      } catch (err) {
        if (!(err instanceof PriceChangeRefusedError)) throw err;
        const status = err.code === 'notice_too_short' ? 422 : 409;
        throw new ApiProblem(status, `price_change_${err.code}`, 'The price change cannot be recorded', err.message);
      }
    },
  };
}
