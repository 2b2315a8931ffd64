import { z } from 'zod';
import { isTimeZone } from '../core/zonedTime.js';
import { LOCALES, REPLY_LOCALES } from './locales.js';

/** Dates are stored as ISO-8601 strings with a zone, so the file reads the same anywhere. */
const isoDate = z.iso.datetime({ offset: true });
const minorUnits = z.number().int().nonnegative();
/** The locale a member is written to in: a language, or a variant of one (zh-Hant). */
export const localeSchema = z.enum(REPLY_LOCALES);
/**
 * A text in every language the assistant speaks: a record over an enum requires each key. A
 * variant's text is made from its language's (inLocale in src/i18n/languages.ts), so adding one
 * leaves every existing file valid.
 */
const localized = z.record(z.enum(LOCALES), z.string().min(1));

/**
 * Whose law sets the notice periods before a renewal or a price change (src/membership/reminderPolicy.ts):
 * China, three US states, the EU and Germany. Chosen per member (their market), else per plan.
 */
/** An IANA time zone name such as Asia/Shanghai or America/Los_Angeles (not an offset). */
export const timeZoneSchema = z
  .string()
  .refine(isTimeZone, 'timeZone must be an IANA time zone name, e.g. Asia/Shanghai or America/Los_Angeles');

export const JURISDICTIONS = ['CN', 'US-CA', 'US-MA', 'US-NY', 'EU', 'DE'] as const;
export const jurisdictionSchema = z.enum(JURISDICTIONS);

export const planSchema = z.object({
  id: z.string().min(1),
  name: localized,
  tier: localized,
  period: z.enum(['month', 'year']),
  price: minorUnits,
  currency: z.enum(['CNY', 'USD']),
  refundPolicy: z.enum(['none', 'prorata']),
  cancellationFee: minorUnits,
  /** A cheaper plan the member may switch to instead of leaving; at most one, never required. */
  retentionOffer: z.object({ planId: z.string().min(1) }).optional(),
  /** Whose notice periods apply to this plan's members when the member names none. */
  reminderPolicy: jurisdictionSchema.optional(),
});

/**
 * What an erased member's personal fields become (src/privacy/personalDataService.ts): each names
 * the member number, so they stay unique, and none can be typed by anyone as a phone or e-mail.
 * `.invalid` is reserved (RFC 2606): no mail is ever delivered there.
 */
export const ERASED_PREFIX = 'erased-';
export const erasedMember = (id: string) => ({
  name: `${ERASED_PREFIX}${id}`,
  phone: `${ERASED_PREFIX}${id}`,
  email: `${ERASED_PREFIX}${id}@erased.invalid`,
});
export const isErased = (member: { phone: string }): boolean => member.phone.startsWith(ERASED_PREFIX);

/** A keyed hash of a phone or e-mail as otpService.ts files challenges (also PostgreSQL's `~`). */
export const KEYED_IDENTIFIER_PATTERN = '^(phone|email):[0-9a-f]{32}$';
const KEYED_IDENTIFIER = new RegExp(KEYED_IDENTIFIER_PATTERN);

/**
 * How a challenge names what its code was asked for: a keyed hash of the phone or e-mail
 * (otpService.ts), or an erased member's placeholder. Anything else is a number or address in
 * plain text, from before challenges were filed so.
 */
export const isFiledIdentifier = (identifier: string): boolean =>
  KEYED_IDENTIFIER.test(identifier) || identifier.startsWith(ERASED_PREFIX);

export const memberSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  /** E.164, or an erased member's placeholder. */
  phone: z.string().regex(/^(\+[1-9]\d{6,14}|erased-.+)$/, 'phone must be E.164, e.g. +8613812345678'),
  email: z.email(),
  locale: localeSchema,
  notifyChannel: z.enum(['sms', 'email', 'in-app']),
  /** Where a proactive in-app message can reach the member; set by the bot when they chat. */
  conversationReference: z.record(z.string(), z.unknown()).optional(),
  /** Whose notice periods apply to the member's renewals and price changes (their market). */
  reminderPolicy: jurisdictionSchema.optional(),
});

export const couponSchema = z.object({
  id: z.string().min(1),
  name: localized,
  value: minorUnits,
  expiresAt: isoDate,
});

export const membershipSchema = z.object({
  id: z.string().min(1),
  memberId: z.string().min(1),
  planId: z.string().min(1),
  status: z.enum(['active', 'pending_cancel', 'cancelled', 'expired']),
  autoRenew: z.boolean(),
  startedAt: isoDate,
  currentPeriodStart: isoDate,
  currentPeriodEnd: isoDate,
  pricePaid: minorUnits,
  points: z.number().int().nonnegative(),
  coupons: z.array(couponSchema),
  /** When a pending cancellation takes effect, or when an immediate one did. */
  effectiveAt: isoDate.optional(),
  /** The renewal's charge was refused: benefits go on until then, when the charge is tried once more. */
  graceUntil: isoDate.optional(),
  /** The end of the period whose renewal reminder was sent: one reminder a period. */
  remindedFor: isoDate.optional(),
  /** The billing's id of the charge that paid for the current period, when a renewal did. */
  lastChargeId: z.string().min(1).optional(),
  /** What its renewals charge since a price change took effect, in place of the plan's price. */
  price: minorUnits.optional(),
  /**
   * A price change on record: renewals from `effectiveAt` on charge `amount`; its notice is due at
   * `noticeAt` (inside the jurisdiction's window before the first charge at the new price) and was
   * sent at `notifiedAt`.
   */
  priceChange: z
    .object({
      amount: minorUnits,
      effectiveAt: isoDate,
      firstChargeAt: isoDate,
      noticeAt: isoDate,
      recordedAt: isoDate,
      notifiedAt: isoDate.optional(),
    })
    .optional(),
  /** Billed by an app store, not the provider: cancelled in the store, never here. */
  appStore: z.enum(['app-store', 'google-play']).optional(),
  /**
   * The billing calendar's IANA time zone: periods are counted in its months and years. Absent,
   * the market's or the member's language's (src/membership/billingZone.ts).
   */
  timeZone: timeZoneSchema.optional(),
  /**
   * A renewal charge asked for under `key` whose outcome is not on record yet: while the key is the
   * current period's, the charge may have been taken, so the membership is not cancelled
   * (src/membership/renewalCharge.ts).
   */
  renewalCharge: z.object({ key: z.string().min(1), askedAt: isoDate }).optional(),
});

export const cancelOptionSchema = z.enum(['period_end', 'immediate']);

export const cancellationSchema = z.object({
  reference: z.string().regex(/^CX-\d{8}-[0-9A-Z]{4}$/),
  requestId: z.string().min(1),
  membershipId: z.string().min(1),
  memberId: z.string().min(1),
  planId: z.string().min(1),
  option: cancelOptionSchema,
  receivedAt: isoDate,
  effectiveAt: isoDate,
  refund: minorUnits,
  fee: minorUnits,
  currency: z.enum(['CNY', 'USD']),
  forfeited: z.object({
    points: z.number().int().nonnegative(),
    coupons: z.array(z.object({ id: z.string(), value: minorUnits })),
    tier: localized,
  }),
  reason: z.string().optional(),
  conversationId: z.string().optional(),
  undoneAt: isoDate.optional(),
});

export const auditEntrySchema = z.object({
  id: z.string().min(1),
  at: isoDate,
  type: z.string().min(1),
  memberId: z.string().optional(),
  membershipId: z.string().optional(),
  conversationId: z.string().optional(),
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});

export const outboxMessageSchema = z.object({
  id: z.string().min(1),
  at: isoDate,
  memberId: z.string().min(1),
  /** `webhook`: an event for the provider's endpoint (`to`), its JSON in `text` (src/webhooks). */
  channel: z.enum(['sms', 'email', 'in-app', 'webhook']),
  to: z.string(),
  locale: localeSchema,
  template: z.string().min(1),
  text: z.string(),
  status: z.enum(['pending', 'sent', 'failed']),
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: isoDate,
  sentAt: isoDate.optional(),
  lastError: z.string().optional(),
  /** Set when the text held a secret (a one-time code) and was blanked after delivery. */
  redacted: z.boolean().optional(),
});

export const otpChallengeSchema = z.object({
  id: z.string().min(1),
  /** A keyed hash of the normalised phone (E.164) or lower-cased email the code was asked for (otpService.ts). */
  identifier: z.string().min(1),
  /** Null when no member has that identifier: the challenge exists so the answer looks the same. */
  memberId: z.string().nullable(),
  codeHash: z.string(),
  issuedAt: isoDate,
  expiresAt: isoDate,
  failedAttempts: z.number().int().nonnegative(),
  state: z.enum(['open', 'used', 'dead', 'expired', 'replaced']),
  closedAt: isoDate.optional(),
  /** Keyed hashes of who asked (conversation, client address): failures count against them. */
  requesters: z.array(z.string()).optional(),
});

export const handoffSchema = z.object({
  id: z.string().min(1),
  at: isoDate,
  conversationId: z.string(),
  memberId: z.string().optional(),
  locale: localeSchema,
  state: z.enum(['open', 'closed']),
});

/** What a provider's API key may do: each route names the scope it needs (src/api/apiRoutes.ts). */
export const API_SCOPES = ['read', 'personal', 'cancel', 'data', 'write', 'billing'] as const;
export const apiScopeSchema = z.enum(API_SCOPES);

/**
 * A provider's API key as stored: its public id (the prefix logs and audit entries name) and a
 * SHA-256 hash of its secret part, never the secret itself.
 */
export const apiKeySchema = z.object({
  id: z.string().regex(/^ak_[0-9a-f]{12}$/),
  secretHash: z.string().regex(/^[0-9a-f]{64}$/),
  scopes: z.array(apiScopeSchema).min(1),
  createdAt: isoDate,
  label: z.string().optional(),
  revokedAt: isoDate.optional(),
  /** The key made to replace it by a rotation. */
  replacedBy: z.string().optional(),
});

/**
 * What an acting API request with an `Idempotency-Key` made: its first answer, kept for the same
 * request sent again, on any instance. While the request runs it holds the key until `lockedUntil`.
 */
export const idempotencyKeySchema = z.object({
  /** `<API key id>:<Idempotency-Key>`: one API key's requests never meet another's. */
  id: z.string().min(1),
  operation: z.string(),
  /** A hash of the operation, its path parameters and its body: what "the same request" means. */
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: isoDate,
  /** Set while the first request runs (no response yet): a repeat before it passes is told to wait. */
  lockedUntil: isoDate.optional(),
  response: z.object({ status: z.number().int(), body: z.unknown() }).optional(),
});

export const dbSchema = z.object({
  plans: z.array(planSchema),
  members: z.array(memberSchema),
  memberships: z.array(membershipSchema),
  cancellations: z.array(cancellationSchema).default([]),
  audit: z.array(auditEntrySchema).default([]),
  outbox: z.array(outboxMessageSchema).default([]),
  otpChallenges: z.array(otpChallengeSchema).default([]),
  handoffs: z.array(handoffSchema).default([]),
  apiKeys: z.array(apiKeySchema).default([]),
  idempotencyKeys: z.array(idempotencyKeySchema).default([]),
});

export type Db = z.infer<typeof dbSchema>;
export type Plan = z.infer<typeof planSchema>;
export type Jurisdiction = z.infer<typeof jurisdictionSchema>;
export type Member = z.infer<typeof memberSchema>;
export type Coupon = z.infer<typeof couponSchema>;
export type Membership = z.infer<typeof membershipSchema>;
export type Cancellation = z.infer<typeof cancellationSchema>;
export type CancelOption = z.infer<typeof cancelOptionSchema>;
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type OutboxMessage = z.infer<typeof outboxMessageSchema>;
export type OtpChallenge = z.infer<typeof otpChallengeSchema>;
export type Handoff = z.infer<typeof handoffSchema>;
export type ApiScope = z.infer<typeof apiScopeSchema>;
export type ApiKey = z.infer<typeof apiKeySchema>;
export type IdempotencyKey = z.infer<typeof idempotencyKeySchema>;
export type Localized = z.infer<typeof localized>;
