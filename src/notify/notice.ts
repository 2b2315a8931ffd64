import type { Cancellation, Localized } from '../model/schema.js';

/** An amount in minor units, with its currency. */
export interface Money {
  amount: number;
  currency: string;
}

/**
 * What the caller wants said; the notifier decides the channel, the address and the words (so a
 * plan's name comes in every language: the notice's language is the notifier's to choose).
 */
export type Notice =
  | { template: 'otp'; code: string; minutes: number; via: 'sms' | 'email' }
  | { template: 'cancellation-confirmed' | 'cancellation-scheduled'; cancellation: Cancellation; planName: Localized }
  | {
      template: 'cancellation-undone';
      planName: Localized;
      membershipId: string;
      periodEnd: string;
      nextCharge: { amount: number; currency: string };
    }
  | { template: 'cancellation-effective'; planName: Localized; membershipId: string }
  /** Before an automatic renewal: what renews, when, for how much, and how to cancel before then. */
  | {
      template: 'renewal-reminder';
      planName: Localized;
      membershipId: string;
      renewsAt: string;
      charge: Money;
      /** Opens the chat page at this membership's cancellation. */
      link: string;
    }
  /** Before the first renewal at a new price: the old and new price, and when it is first charged. */
  | { template: 'price-change'; planName: Localized; membershipId: string; from: string; before: Money; after: Money }
  | { template: 'membership-renewed'; planName: Localized; membershipId: string; periodEnd: string; charge: Money }
  | { template: 'renewal-refused'; planName: Localized; membershipId: string; graceUntil: string; charge: Money }
  | { template: 'membership-expired'; planName: Localized; membershipId: string }
  /** A copy of everything held about the member (src/privacy/personalDataService.ts), as JSON. */
  | { template: 'data-export'; document: string }
  /** Where that copy went, for a member who reads text messages: the copy itself never goes by SMS. */
  | { template: 'data-export-sent'; address: string };
