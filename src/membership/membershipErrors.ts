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
