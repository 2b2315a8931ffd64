/** The membership does not exist or belongs to someone else; the two look the same on purpose. */
export class MembershipNotFoundError extends Error {
  constructor(readonly membershipId: string) {
    super(`No membership ${membershipId} belongs to the verified member.`);
    this.name = 'MembershipNotFoundError';
  }
}

/** Only an active membership can be cancelled (or renewed, or replaced by the provider). */
export class MembershipNotActiveError extends Error {
  constructor(
    readonly membershipId: string,
    readonly status: string,
    doing: 'cancel' | 'renew' | 'replace' = 'cancel',
  ) {
    super(`Membership ${membershipId} is ${status}, not active; there is nothing to ${doing}.`);
    this.name = 'MembershipNotActiveError';
  }
}

/**
 * A renewal charge for the membership's current period was asked for and its outcome is not on
 * record yet: cancelling now could leave a charge taken for a cancelled membership, so nothing changes.
 */
export class RenewalInProgressError extends Error {
  constructor(readonly membershipId: string) {
    super(
      `A renewal charge for membership ${membershipId} is being taken right now; nothing was changed. Try again in a few minutes, once the renewal is on record.`,
    );
    this.name = 'RenewalInProgressError';
  }
}

/** The plan does not offer that way of cancelling (e.g. "immediately" without a pro-rata refund). */
export class CancelOptionUnavailableError extends Error {
  constructor(
    readonly membershipId: string,
    readonly option: string,
  ) {
    super(`Membership ${membershipId} cannot be cancelled "${option}" under its plan's rules.`);
    this.name = 'CancelOptionUnavailableError';
  }
}

/** An app store bills the membership: it is cancelled in the store, never here. */
export class BilledByAppStoreError extends Error {
  constructor(
    readonly membershipId: string,
    readonly store: 'app-store' | 'google-play',
  ) {
    super(
      `Membership ${membershipId} is billed by ${store === 'app-store' ? 'the App Store' : 'Google Play'}: only the member can cancel it, in the store (${APP_STORE_LINKS[store]}).`,
    );
    this.name = 'BilledByAppStoreError';
  }
}

/** Where a member manages a subscription each store bills. */
export const APP_STORE_LINKS = {
  'app-store': 'https://apps.apple.com/account/subscriptions',
  'google-play': 'https://play.google.com/store/account/subscriptions',
} as const;

/** Undo is only possible for a pending cancellation before it takes effect. */
export class UndoNotPossibleError extends Error {
  constructor(
    readonly membershipId: string,
    readonly reason: 'not_pending' | 'already_effective',
  ) {
    super(
      reason === 'not_pending'
        ? `Membership ${membershipId} has no pending cancellation to undo.`
        : `The cancellation of ${membershipId} has already taken effect and cannot be undone.`,
    );
    this.name = 'UndoNotPossibleError';
  }
}
