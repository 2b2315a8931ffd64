import { z } from 'zod';
import { cancelOptionSchema } from '../model/schema.js';
import type { DomainEventType } from '../membership/domainEvents.js';

// What a webhook receiver is sent, as zod: the OpenAPI document's `webhooks` are generated from
// these, and the tests check every event body against them.

const instant = z.iso.datetime({ offset: true });
const minorUnits = z.number().int().nonnegative();
const currency = z.enum(['CNY', 'USD']);
const actor = z.string().meta({ description: '`member` (the conversation), an API key id, or `billing`' });
const ofMembership = { memberId: z.string(), membershipId: z.string() };

const EVENT_DATA = {
  'membership.cancelled': z.object({
    ...ofMembership,
    reference: z.string(),
    option: cancelOptionSchema,
    receivedAt: instant,
    effectiveAt: instant,
    refund: minorUnits,
    fee: minorUnits,
    currency,
    reason: z.string().optional(),
    actor,
  }),
  'cancellation.undone': z.object({ ...ofMembership, reference: z.string().nullable(), undoneAt: instant, actor }),
  'cancellation.effective': z.object({ ...ofMembership, effectiveAt: instant }),
  'membership.renewed': z.object({
    ...ofMembership,
    chargeId: z.string(),
    amount: minorUnits,
    currency,
    periodStart: instant,
    periodEnd: instant,
    actor,
  }),
  'renewal.refused': z.object({ ...ofMembership, reason: z.string(), graceUntil: instant }),
  'membership.expired': z.object({ ...ofMembership, reason: z.string(), expiredAt: instant }),
  'reminder.sent': z.object({ ...ofMembership, renewsAt: instant, amount: minorUnits, currency }),
  'member.erased': z.object({ memberId: z.string(), erasedAt: instant }),
  'member.updated': z.object({ memberId: z.string(), actor }),
  'membership.updated': z.object({ ...ofMembership, actor }),
} as const satisfies Record<DomainEventType, z.ZodObject>;

export const WEBHOOK_EVENT_TYPES = Object.keys(EVENT_DATA) as DomainEventType[];

const SUMMARIES: Record<DomainEventType, string> = {
  'membership.cancelled': 'A membership was cancelled (in the conversation or through the API)',
  'cancellation.undone': 'A pending cancellation was undone: the membership runs and renews again',
  'cancellation.effective': 'A cancellation at the period end took effect',
  'membership.renewed': 'A membership was renewed for another period (by our billing pass or the provider)',
  'renewal.refused': 'The renewal charge was refused: benefits run until graceUntil, when it is tried again',
  'membership.expired': 'A membership ended without renewal',
  'reminder.sent': 'The member was reminded of an automatic renewal',
  'member.erased': "A member's personal data was erased",
  'member.updated': 'A member was created or changed through the API',
  'membership.updated': 'A membership was created or changed through the API',
};

/** One event as POSTed: the same `id` on every attempt, so a receiver drops duplicates by it. */
export function webhookEventSchema<T extends DomainEventType>(type: T) {
  return z
    .object({
      id: z.string().regex(/^evt_[0-9a-f]{24}$/),
      type: z.literal(type),
      createdAt: instant,
      data: EVENT_DATA[type],
    })
    .strict()
    .meta({ id: `Event_${type.replace('.', '_')}`, description: SUMMARIES[type] });
}

export const webhookSummary = (type: DomainEventType) => SUMMARIES[type];

export type WebhookEvent = { id: string; type: DomainEventType; createdAt: string; data: Record<string, unknown> };
