import {
  BilledByAppStoreError,
  CancelOptionUnavailableError,
  MembershipNotActiveError,
  RenewalInProgressError,
  MembershipNotFoundError,
  UndoNotPossibleError,
} from '../membership/membershipErrors.js';
import { MemberNotFoundError, RecordConflictError } from '../membership/providerRecords.js';
import { RenewalPeriodError } from '../membership/providerRenewals.js';
import { CommitOutcomeUnknownError } from '../model/repositoryErrors.js';
import { ErasureBlockedError, NoPersonalDataError } from '../privacy/personalDataService.js';
import { TransactionConflictError } from '../store/postgres/postgresRepository.js';
import { DatabaseUnreachableError } from '../store/postgres/pool.js';
import { StoreWriteError } from '../store/storeErrors.js';

/**
 * An answer other than success, as RFC 9457 problem details: `code` is stable for programs,
 * `detail` says what to do, for people.
 */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail: string,
    /** Extra response headers (Retry-After, WWW-Authenticate). */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }

  body(instance: string) {
    return {
      type: `urn:membership-assistant:problem:${this.code}`,
      title: this.title,
      status: this.status,
      detail: this.message,
      code: this.code,
      instance,
    };
  }
}

export const unauthenticated = () =>
  new ApiProblem(
    401,
    'unauthenticated',
    'No valid API key',
    'Send a live key as `Authorization: Bearer <key>`; `npm run api:key -- create --scope <scopes>` makes one.',
    { 'WWW-Authenticate': 'Bearer realm="v1"' },
  );

export const invalidRequest = (detail: string) =>
  new ApiProblem(400, 'invalid_request', 'The request is not valid', detail);

/** The domain's typed errors, and the store's, as problems; anything else is left to the caller (500). */
export function problemFor(err: unknown): ApiProblem | undefined {
  if (err instanceof ApiProblem) return err;
  if (err instanceof MembershipNotFoundError)
    return new ApiProblem(
      404,
      'membership_not_found',
      'Not found',
      `No membership ${err.membershipId} belongs to this member.`,
    );
  if (err instanceof NoPersonalDataError) return new ApiProblem(404, 'member_not_found', 'Not found', err.message);
  if (err instanceof MembershipNotActiveError)
    return new ApiProblem(409, 'membership_not_active', 'Not possible in the current state', err.message);
  if (err instanceof UndoNotPossibleError)
    return new ApiProblem(409, `undo_${err.reason}`, 'Not possible in the current state', err.message);
  if (err instanceof ErasureBlockedError)
    return new ApiProblem(409, 'erasure_blocked', 'Not possible in the current state', err.message);
  if (err instanceof BilledByAppStoreError)
    return new ApiProblem(409, 'billed_by_app_store', 'Cancelled in the app store only', err.message);
  if (err instanceof RenewalInProgressError)
    return new ApiProblem(409, 'renewal_in_progress', 'A renewal is being charged', err.message, {
      'Retry-After': '60',
    });
  if (err instanceof CancelOptionUnavailableError)
    return new ApiProblem(422, 'cancel_option_unavailable', 'Not possible under the plan', err.message);
  if (err instanceof MemberNotFoundError) return new ApiProblem(404, 'member_not_found', 'Not found', err.message);
  if (err instanceof RecordConflictError)
    return err.code === 'plan_not_found'
      ? new ApiProblem(422, err.code, 'Not possible with this plan', err.message)
      : new ApiProblem(409, err.code, 'Not possible in the current state', err.message);
  if (err instanceof RenewalPeriodError)
    return err.reason === 'already_paid'
      ? new ApiProblem(409, 'period_already_paid', 'Not possible in the current state', err.message)
      : new ApiProblem(422, 'renewal_period_not_next', 'Not the next period', err.message);
  if (err instanceof CommitOutcomeUnknownError)
    return new ApiProblem(503, 'outcome_unknown', 'The outcome is unknown', `${err.message}`, { 'Retry-After': '1' });
  if (
    err instanceof StoreWriteError ||
    err instanceof DatabaseUnreachableError ||
    err instanceof TransactionConflictError
  )
    return new ApiProblem(503, 'store_unavailable', 'The store cannot answer now', 'Nothing was changed; try again.', {
      'Retry-After': '1',
    });
  return undefined;
}
