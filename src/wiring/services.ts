import type { BotServices } from '../../dialogs/botServices.js';
import type { Config } from '../config.js';
import { billingFor } from './billing.js';
import { verifyMemberToken } from '../identity/hostToken.js';
import { parseIdentifier } from '../identity/identifier.js';
import { OtpService } from '../identity/otpService.js';
import type { BillingPort } from '../membership/billing.js';
import { LifecycleService } from '../membership/lifecycleService.js';
import { MemberService } from '../membership/memberService.js';
import { MembershipService } from '../membership/membershipService.js';
import { PriceChangeService } from '../membership/priceChangeService.js';
import { CancelLinks } from '../web/cancelLink.js';
import type { Repository } from '../model/repository.js';
import type { Said, Understanding } from '../nlu/understanding.js';
import { Notifier } from '../notify/notifier.js';
import { PersonalDataService, type ConversationCopies } from '../privacy/personalDataService.js';
import { wireProvider, type ProviderWiring } from './provider.js';
import type { Root } from './root.js';

/** What the domain services need from the rest of the root. */
export interface ServiceParts {
  repository: Repository;
  understanding: Understanding;
  /** Keys the one-time codes' hashes. */
  otpHashKey: () => string;
  /** Keys the chat page's tokens, and the reminders' links to a cancellation. */
  webChatKey: () => string;
  /** The chat page's conversation history, which a member's copy and erasure include. */
  conversationCopies: ConversationCopies;
  /** The provider's billing; null for the development adapter (over BILLING_FILE, or in memory with `db: 'memory'`). */
  billing: BillingPort | null;
  /** The data is in memory only, so the development billing is too. */
  inMemory: boolean;
}

/** The domain services: what the conversation calls, and the renewals the background pass runs. */
export interface ServiceWiring {
  services: BotServices;
  lifecycle: LifecycleService;
  /** Webhook events out, and the renewals and records the provider's API writes. */
  provider: ProviderWiring;
}

/**
 * Builds the domain services over the repository port.
 *
 * @param root - The configuration, clock, random source and log.
 * @param parts - The storage, clock, random source and configuration they run on.
 * @returns The services the dialogs call and the lifecycle service for the background pass.
 */
export function wireServices(root: Root, parts: ServiceParts): ServiceWiring {
  const { config, clock, random } = root;
  const { repository, understanding } = parts;
  const notifier = new Notifier(clock, random);
  const provider = wireProvider(config, repository, notifier, clock, random);
  const cancelLinks = new CancelLinks(parts.webChatKey(), config.CHAT_PAGE_URL);
  const otp = new OtpService(repository, notifier, clock, random, otpPolicy(config), parts.otpHashKey());
  const services: BotServices = {
    config,
    clock,
    otp,
    understanding,
    memberships: new MembershipService(
      repository,
      notifier,
      clock,
      random,
      config.AUDIT_RETENTION_DAYS,
      provider.events,
    ),
    members: new MemberService(repository, clock, random),
    priceChanges: new PriceChangeService(repository, clock, random, config.reminderPolicy),
    readCancelLink: (token) => cancelLinks.read(token, clock.now()),
    personalData: new PersonalDataService(
      repository,
      notifier,
      clock,
      random,
      (member) => otp.challengeIdentifiers(member),
      parts.conversationCopies,
      provider.events,
    ),
    parseIdentifier: (text) => identifierIn(text, understanding, config.DEFAULT_COUNTRY),
    verifyMemberToken: (token, userId) =>
      verifyMemberToken(
        token,
        userId,
        {
          secret: config.MEMBER_TOKEN_SECRET,
          issuer: config.MEMBER_TOKEN_ISSUER,
          audience: config.MEMBER_TOKEN_AUDIENCE,
        },
        clock,
      ),
    newRequestId: () => `req-${random.hex(8)}`,
  };
  return {
    services,
    lifecycle: wireLifecycle(root, parts, notifier, provider, cancelLinks),
    provider,
  };
}

/** Renewals, reminders and ends of memberships, over the provider's billing. */
function wireLifecycle(
  root: Root,
  parts: ServiceParts,
  notifier: Notifier,
  provider: ProviderWiring,
  cancelLinks: CancelLinks,
): LifecycleService {
  const { config, clock, random, logger } = root;
  const { repository } = parts;
  return new LifecycleService(
    repository,
    notifier,
    parts.billing ?? billingFor(config, clock, random, parts.inMemory),
    clock,
    random,
    {
      graceDays: config.RENEWAL_GRACE_DAYS,
      reminders: config.reminderPolicy,
    },
    (membershipId, err) =>
      logger.warn(
        { membershipId, err: err.message },
        'the billing did not answer; the renewal is tried again next pass',
      ),
    provider.events,
    (membershipId, until) => cancelLinks.link(membershipId, until),
  );
}

/** The one-time codes' limits, as configured. */
function otpPolicy(config: Config) {
  return {
    ttlSeconds: config.OTP_TTL_SECONDS,
    maxAttempts: config.OTP_MAX_ATTEMPTS,
    resendSeconds: config.OTP_RESEND_SECONDS,
    maxPerHour: config.OTP_MAX_PER_HOUR,
    deadCodesBeforeThrottle: config.OTP_DEAD_CODES_BEFORE_THROTTLE,
    throttleMinutes: config.OTP_THROTTLE_MINUTES,
    identifiersPerConversation: config.OTP_IDENTIFIERS_PER_CONVERSATION,
    guessesPerAddress: config.OTP_GUESSES_PER_HOUR_PER_ADDRESS,
    guessesPerRange: config.OTP_GUESSES_PER_HOUR_PER_RANGE,
  };
}

/**
 * A phone number or e-mail in the text as typed, as digits spoken in words, or as an address spelled
 * out; after a self-correction ("138…0 sorry, 138…8"), the one given last.
 */
function identifierIn(said: Said, understanding: Understanding, country: Config['DEFAULT_COUNTRY']) {
  const text = understanding.corrected(said);
  const spoken = understanding.spokenDigits(text);
  const email = understanding.spokenEmail(text);
  return (
    parseIdentifier(text, country) ??
    (spoken === null ? null : parseIdentifier(spoken, country)) ??
    (email === null ? null : parseIdentifier(email, country))
  );
}
