import type { z } from 'zod';
import type { CancelResult } from '../membership/membershipService.js';
import type { ApiCall } from './apiCall.js';
import { ApiProblem } from './apiProblem.js';
import type { cancelBody } from './apiSchemas.js';
import type { ApiLookups, ApiServices, Handler } from './apiServices.js';
import { cancellationBody, membershipBody } from './apiViews.js';

/**
 * The domain answers a request id it has seen with its cancellation, and a membership cancelled
 * by another request with that one: the first is this request again, the second a conflict, and a
 * request id naming another membership or option means the key was reused.
 */
function checkedResult(result: CancelResult, call: ApiCall, requestId: string): CancelResult {
  const { cancellation } = result;
  const { option } = call.body as z.infer<typeof cancelBody>;
  if (result.alreadyDone && cancellation.requestId !== requestId)
    throw new ApiProblem(
      409,
      'already_cancelled',
      'Not possible in the current state',
      `Membership ${cancellation.membershipId} was already cancelled (reference ${cancellation.reference}); GET its cancellations to read it.`,
    );
  if (cancellation.membershipId !== call.params.membershipId || cancellation.option !== option)
    throw new ApiProblem(
      422,
      'idempotency_key_reused',
      'The Idempotency-Key was used for another request',
      `This Idempotency-Key answered a cancellation of ${cancellation.membershipId} (${cancellation.option}); use a new key for a new request.`,
    );
  return result;
}

/** Cancelling, once per Idempotency-Key, and undoing before it takes effect. */
export function cancelHandlers(s: Pick<ApiServices, 'clock' | 'memberships'>, find: ApiLookups) {
  const cancelMembership: Handler = async (call) => {
    const { key, params, headers } = call;
    const { option, reason } = call.body as z.infer<typeof cancelBody>;
    await find.member(params.memberId);
    // Scoped to the key, as a payment API scopes them to an account: two keys never share one.
    const requestId = `api:${key.id}:${headers['idempotency-key']}`;
    const request = { memberId: params.memberId, membershipId: params.membershipId!, option, requestId };
    const result = await s.memberships.cancel({ ...request, actor: key.id, ...(reason ? { reason } : {}) });
    const { cancellation, alreadyDone } = checkedResult(result, call, requestId);
    return {
      status: alreadyDone ? 200 : 201,
      body: {
        cancellation: cancellationBody(cancellation),
        membership: await find.membershipOf(params.memberId, cancellation.membershipId),
        replayed: alreadyDone,
      },
    };
  };
  const undoCancellation: Handler = async ({ key, params }) => {
    await find.member(params.memberId);
    const view = await s.memberships.undo(params.memberId, params.membershipId!, undefined, key.id);
    return { status: 200, body: membershipBody(view, s.clock.now()) };
  };
  return { cancelMembership, undoCancellation };
}
