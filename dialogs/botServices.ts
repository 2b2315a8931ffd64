import type { Config } from '../src/config.js';
import type { Clock } from '../src/core/clock.js';
import type { VouchedMember } from '../src/identity/hostToken.js';
import type { Identifier } from '../src/identity/identifier.js';
import type { OtpService } from '../src/identity/otpService.js';
import type { MemberService } from '../src/membership/memberService.js';
import type { MembershipService } from '../src/membership/membershipService.js';
import type { PriceChangeService } from '../src/membership/priceChangeService.js';
import type { Said, Understanding } from '../src/nlu/understanding.js';
import type { PersonalDataService } from '../src/privacy/personalDataService.js';

/** Everything the conversation may call: services only, never the store. */
export interface BotServices {
  config: Config;
  clock: Clock;
  otp: OtpService;
  memberships: MembershipService;
  members: MemberService;
  /** A copy of the member's data, and its erasure. */
  personalData: PersonalDataService;
  /** The provider's price changes (its API); the conversation only reads what they scheduled. */
  priceChanges: PriceChangeService;
  /** What members mean: intents, consent, codes and choices in their own words. */
  understanding: Understanding;
  /** The phone number or e-mail in a message (its text, or the reading already made of it). */
  parseIdentifier(said: Said): Identifier | null;
  /** The member a valid host token issued to this channel user vouches for, and until when; or null. */
  verifyMemberToken(token: unknown, userId: string): VouchedMember | null;
  /** The membership a renewal notice's link names, or null when the link is forged or expired. */
  readCancelLink(token: unknown): string | null;
  newRequestId(): string;
}
