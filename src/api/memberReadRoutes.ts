import type { ApiLookups, ApiServices, Handler } from './apiServices.js';
import { cancellationBody, memberBody, quoteBody } from './apiViews.js';

/** Reading a member, their memberships and cancellations, and a quote for cancelling. */
export function memberReadHandlers(s: ApiServices, find: ApiLookups) {
  const getMember: Handler = async ({ key, params }) => {
    const found = await find.member(params.memberId);
    const body = memberBody(found, await find.memberships(found.id), key.scopes.includes('personal'));
    return { status: 200, body };
  };
  const listMemberships: Handler = async ({ params }) => {
    await find.member(params.memberId);
    return { status: 200, body: { memberships: await find.memberships(params.memberId) } };
  };
  const listCancellations: Handler = async ({ params }) => {
    await find.member(params.memberId);
    const cancellations = await s.memberships.cancellationsOf(params.memberId);
    return { status: 200, body: { cancellations: cancellations.map(cancellationBody) } };
  };
  const quoteCancellation: Handler = async ({ params }) => {
    await find.member(params.memberId);
    return { status: 200, body: quoteBody(await s.memberships.quote(params.memberId, params.membershipId!)) };
  };
  return { getMember, listMemberships, listCancellations, quoteCancellation };
}
