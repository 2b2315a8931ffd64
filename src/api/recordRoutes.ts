import type { z } from 'zod';
import type { memberIn, membershipIn, renewalBody } from './apiSchemas.js';
import type { ApiLookups, ApiServices, Handler } from './apiServices.js';
import { memberBody } from './apiViews.js';

/** The provider's billing and records: renewals it charged, members and memberships as it holds them. */
export function recordHandlers(s: Pick<ApiServices, 'renewals' | 'records'>, find: ApiLookups) {
  const recordRenewal: Handler = async ({ key, params, body }) => {
    const report = body as z.infer<typeof renewalBody>;
    // A charge already on record is answered as a repeat too, whatever the Idempotency-Key.
    const result = await s.renewals.record({ ...report, membershipId: params.membershipId!, actor: key.id });
    const { memberId, id } = result.membership;
    return {
      status: result.replayed ? 200 : 201,
      body: { membership: await find.membershipOf(memberId, id), replayed: result.replayed },
    };
  };
  const putMember: Handler = async ({ key, params, body }) => {
    const fields = body as z.infer<typeof memberIn>;
    const { record, created } = await s.records.putMember(params.memberId, fields, key.id);
    const plain = key.scopes.includes('personal');
    return { status: created ? 201 : 200, body: memberBody(record, await find.memberships(record.id), plain) };
  };
  const putMembership: Handler = async ({ key, params, body }) => {
    const fields = body as z.infer<typeof membershipIn>;
    const { membershipId, memberId } = { membershipId: params.membershipId!, memberId: params.memberId };
    const { created } = await s.records.putMembership(memberId, membershipId, fields, key.id);
    return { status: created ? 201 : 200, body: await find.membershipOf(memberId, membershipId) };
  };
  return { recordRenewal, putMember, putMembership };
}
