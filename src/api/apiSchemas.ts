import { z } from 'zod';
import {
  API_SCOPES,
  cancelOptionSchema,
  couponSchema,
  localeSchema,
  memberSchema,
  timeZoneSchema,
} from '../model/schema.js';

// The API's contract, request and response, in one place: the routes parse with these, the tests
// check responses against them, and docs/openapi.json is generated from them (openApiDocument.ts).

const instant = z.iso
  .datetime({ offset: true })
  .meta({ description: 'ISO 8601 instant', example: '2027-03-01T00:00:00.000Z' });
const minorUnits = z.number().int().nonnegative().meta({ description: 'money in minor units (fen, cents)' });
const currency = z.enum(['CNY', 'USD']);
const timeZone = timeZoneSchema.meta({
  description:
    "the billing calendar's IANA time zone: periods are counted in its months and years; absent, the market's (CN: Asia/Shanghai, US-CA: America/Los_Angeles, …) or the member's language's",
  example: 'Asia/Shanghai',
});
const localizedText = z.record(z.string(), z.string()).meta({ description: 'one text per language (zh-CN, en-US)' });

export const apiScope = z.enum(API_SCOPES).meta({ id: 'Scope' });

export const problemSchema = z
  .object({
    type: z.string().meta({ description: 'a URI naming the kind of problem: urn:membership-assistant:problem:<code>' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.string().meta({ description: 'stable, for programs to act on (docs/API.md lists them)' }),
    instance: z.string().optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const couponOut = z
  .object({ id: z.string(), name: localizedText, value: minorUnits, expiresAt: instant })
  .meta({ id: 'Coupon' });

export const membershipOut = z
  .object({
    id: z.string(),
    planId: z.string(),
    planName: localizedText,
    status: z.enum(['active', 'pending_cancel', 'cancelled', 'expired']),
    autoRenew: z.boolean(),
    startedAt: instant,
    currentPeriodStart: instant,
    currentPeriodEnd: instant,
    effectiveAt: instant
      .optional()
      .meta({ description: 'when a pending cancellation takes effect, or an immediate one did' }),
    remainingDays: z.number().int().nonnegative(),
    nextCharge: z
      .object({ amount: minorUnits, currency, at: instant })
      .nullable()
      .meta({ description: 'null when the membership will not renew' }),
    points: z.number().int().nonnegative(),
    coupons: z.array(couponOut).meta({ description: 'coupons not expired yet' }),
    canUndo: z.boolean(),
    timeZone: timeZone.optional(),
  })
  .meta({ id: 'Membership' });

export const cancellationOut = z
  .object({
    reference: z.string().meta({ example: 'CX-20261207-7K2Q' }),
    memberId: z.string(),
    membershipId: z.string(),
    planId: z.string(),
    option: cancelOptionSchema,
    receivedAt: instant,
    effectiveAt: instant,
    refund: minorUnits,
    fee: minorUnits,
    currency,
    forfeited: z.object({
      points: z.number().int().nonnegative(),
      coupons: z.array(z.object({ id: z.string(), value: minorUnits })),
    }),
    reason: z.string().optional(),
    undoneAt: instant.optional(),
  })
  .meta({ id: 'Cancellation' });

export const memberOut = z
  .object({
    id: z.string(),
    locale: localeSchema,
    notifyChannel: z.enum(['sms', 'email', 'in-app']),
    name: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    personalFields: z
      .enum(['plain', 'masked', 'erased'])
      .meta({ description: 'plain with the `personal` scope, else masked; null fields once erased' }),
    memberships: z.array(membershipOut),
  })
  .meta({ id: 'Member' });

export const membershipListOut = z.object({ memberships: z.array(membershipOut) }).meta({ id: 'MembershipList' });
export const cancellationListOut = z
  .object({ cancellations: z.array(cancellationOut) })
  .meta({ id: 'CancellationList' });

export const feedQuery = z.object({
  after: z
    .string()
    .max(200)
    .optional()
    .meta({ description: 'the `nextCursor` of the page before; none: from the first cancellation' }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const cancellationFeedOut = z
  .object({
    cancellations: z.array(cancellationOut),
    nextCursor: z.string().meta({ description: 'pass as `after` for the next page, now or when polling later' }),
    hasMore: z.boolean(),
  })
  .meta({ id: 'CancellationFeed' });

export const quoteOut = z
  .object({
    membershipId: z.string(),
    planName: localizedText,
    currency,
    periodEnd: instant,
    options: z.array(
      z.object({ option: cancelOptionSchema, effectiveAt: instant, refund: minorUnits, fee: minorUnits }),
    ),
    forfeited: z.object({
      points: z.number().int().nonnegative(),
      coupons: z.array(couponOut),
      couponTotal: minorUnits,
      tier: localizedText,
    }),
    retentionOffer: z
      .object({
        planId: z.string(),
        planName: localizedText,
        price: minorUnits,
        currency,
        period: z.enum(['month', 'year']),
      })
      .optional(),
  })
  .meta({ id: 'Quote', description: 'what each way of cancelling would mean, as the member is shown it' });

/** The reasons the conversation records (src/nlu/understanding.ts), so reports count both alike. */
export const cancelReason = z.enum(['security', 'privacy', 'expensive', 'service', 'other']);

export const cancelBody = z
  .object({ option: cancelOptionSchema, reason: cancelReason.optional() })
  .strict()
  .meta({ id: 'CancelRequest' });

export const cancelOut = z
  .object({
    cancellation: cancellationOut,
    membership: membershipOut,
    replayed: z.boolean().meta({ description: 'true when this answers an earlier request (same Idempotency-Key)' }),
  })
  .meta({ id: 'CancelResult' });

export const exportOut = z
  .object({ channel: z.enum(['sms', 'email', 'in-app']), maskedAddress: z.string().optional() })
  .meta({ id: 'DataExport', description: "the copy of the member's data was sent to their own channel" });

export const erasureOut = z
  .object({ keptCancellations: z.array(z.string()), erasedNotices: z.number().int().nonnegative() })
  .meta({ id: 'Erasure' });

export const memberParams = z.object({ memberId: z.string().min(1).max(100) });
export const membershipParams = memberParams.extend({ membershipId: z.string().min(1).max(100) });

export const membershipIdParams = z.object({ membershipId: z.string().min(1).max(100) });

export const renewalBody = z
  .object({
    chargeId: z
      .string()
      .min(1)
      .max(200)
      .meta({ description: "your billing's id of the charge: one charge renews once, whatever the Idempotency-Key" }),
    amount: minorUnits,
    currency,
    periodStart: instant.meta({ description: 'the start of the period paid for: the current period end' }),
  })
  .strict()
  .meta({ id: 'RenewalRequest' });

export const renewalOut = z
  .object({
    membership: membershipOut,
    replayed: z.boolean().meta({ description: 'true when this charge was already on record: nothing changed' }),
  })
  .meta({ id: 'RenewalResult' });

export const memberIn = z
  .object({
    name: z.string().min(1).max(200),
    phone: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/)
      .meta({ description: 'E.164', example: '+8613812345678' }),
    email: z.email().max(320),
    locale: memberSchema.shape.locale,
    notifyChannel: memberSchema.shape.notifyChannel,
  })
  .strict()
  .meta({ id: 'MemberRecord', description: 'a member as your systems hold them; sealed at rest here' });

export const membershipIn = z
  .object({
    planId: z.string().min(1),
    autoRenew: z.boolean(),
    startedAt: instant,
    currentPeriodStart: instant,
    currentPeriodEnd: instant,
    pricePaid: minorUnits,
    points: z.number().int().nonnegative(),
    coupons: z.array(couponSchema.strict()),
    timeZone: timeZone.optional(),
  })
  .strict()
  .meta({
    id: 'MembershipRecord',
    description:
      'a membership as your systems hold it; a new one starts active, its status then changes by cancelling, undoing, renewing',
  });
