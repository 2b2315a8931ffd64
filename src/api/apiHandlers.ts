import type { z } from 'zod';
import type { Clock } from '../core/clock.js';
import type { MemberService } from '../membership/memberService.js';
import type { MembershipService } from '../membership/membershipService.js';
import type { PriceChangeService } from '../membership/priceChangeService.js';
import type { Member } from '../model/schema.js';
import type { ApiCall, ApiResult } from './apiCall.js';

export type { ApiCall, ApiResult } from './apiCall.js';
import type { PersonalDataService } from '../privacy/personalDataService.js';
import type { ProviderRecords } from '../membership/providerRecords.js';
import type { ProviderRenewals } from '../membership/providerRenewals.js';
import type { OperationId } from './apiOperations.js';
import { ApiProblem } from './apiProblem.js';
import type { cancelBody, feedQuery, memberIn, membershipIn, renewalBody } from './apiSchemas.js';
import { readCursor, writeCursor } from './feedCursor.js';
import { priceChangeHandlers } from './priceChangeRoute.js';
import { cancellationBody, memberBody, membershipBody, quoteBody } from './apiViews.js';

/** The domain services the API uses: the conversation's own, so both follow one set of rules. */
export interface ApiServices {
  clock: Clock;
  memberships: MembershipService;
  members: MemberService;
  personalData: PersonalDataService;
  renewals: ProviderRenewals;
  records: ProviderRecords;
  priceChanges: PriceChangeService;
}

/** One checked request: the key that made it, its path parameters, body and required headers. */
type Handler = (call: ApiCall) => Promise<ApiResult>;

const memberNotFound = (id: string) => new ApiProblem(404, 'member_not_found', 'Not found', `No member ${id}.`);

/** The routes' work, by operation (apiOperations.ts), with no HTTP in it. */
export function apiHandlers(s: ApiServices): Record<OperationId, Handler> {
  const member = async (id: string): Promise<Member> => {
    const found = await s.members.member(id);
    if (!found) throw memberNotFound(id);
    return found;
  };
  const memberships = async (memberId: string) => {
    const now = s.clock.now();
    return (await s.memberships.list(memberId)).map((view) => membershipBody(view, now));
  };
  const membershipOf = async (memberId: string, membershipId: string) =>
    (await memberships(memberId)).find((m) => m.id === membershipId)!;

  return {
    ...priceChangeHandlers(s),
    async getMember({ key, params }) {
      const found = await member(params.memberId);
      const body = memberBody(found, await memberships(found.id), key.scopes.includes('personal'));
      return { status: 200, body };
    },
    async listMemberships({ params }) {
      await member(params.memberId);
      return { status: 200, body: { memberships: await memberships(params.memberId) } };
    },
    async listCancellations({ params }) {
      await member(params.memberId);
      const cancellations = await s.memberships.cancellationsOf(params.memberId);
      return { status: 200, body: { cancellations: cancellations.map(cancellationBody) } };
    },
    async listCancellationFeed({ query }) {
      const { after, limit } = query as z.infer<typeof feedQuery>;
      const from = after === undefined ? null : readCursor(after);
      // One more than asked tells whether another page follows.
      const found = await s.memberships.cancellationFeed(from, limit + 1);
      const page = found.slice(0, limit);
      const last = page.at(-1);
      return {
        status: 200,
        body: {
          cancellations: page.map(cancellationBody),
          nextCursor: last ? writeCursor(last) : (after ?? writeCursor(null)),
          hasMore: found.length > limit,
        },
      };
    },
    async quoteCancellation({ params }) {
      await member(params.memberId);
      return { status: 200, body: quoteBody(await s.memberships.quote(params.memberId, params.membershipId!)) };
    },
    async cancelMembership({ key, params, body, headers }) {
      const { option, reason } = body as z.infer<typeof cancelBody>;
      await member(params.memberId);
      // Scoped to the key, as a payment API scopes them to an account: two keys never share one.
      const requestId = `api:${key.id}:${headers['idempotency-key']}`;
      const result = await s.memberships.cancel({
        memberId: params.memberId,
        membershipId: params.membershipId!,
        option,
        requestId,
        actor: key.id,
        ...(reason ? { reason } : {}),
      });
      const { cancellation } = result;
      if (result.alreadyDone && cancellation.requestId !== requestId)
        throw new ApiProblem(
          409,
          'already_cancelled',
          'Not possible in the current state',
          `Membership ${cancellation.membershipId} was already cancelled (reference ${cancellation.reference}); GET its cancellations to read it.`,
        );
      if (cancellation.membershipId !== params.membershipId || cancellation.option !== option)
        throw new ApiProblem(
          422,
          'idempotency_key_reused',
          'The Idempotency-Key was used for another request',
          `This Idempotency-Key answered a cancellation of ${cancellation.membershipId} (${cancellation.option}); use a new key for a new request.`,
        );
      return {
        status: result.alreadyDone ? 200 : 201,
        body: {
          cancellation: cancellationBody(cancellation),
          membership: await membershipOf(params.memberId, cancellation.membershipId),
          replayed: result.alreadyDone,
        },
      };
    },
    async undoCancellation({ key, params }) {
      await member(params.memberId);
      const view = await s.memberships.undo(params.memberId, params.membershipId!, undefined, key.id);
      return { status: 200, body: membershipBody(view, s.clock.now()) };
    },
    async requestDataExport({ params }) {
      const result = await s.personalData.export(params.memberId);
      return {
        status: 202,
        body: { channel: result.channel, ...(result.maskedAddress ? { maskedAddress: result.maskedAddress } : {}) },
      };
    },
    async recordRenewal({ key, params, body }) {
      const report = body as z.infer<typeof renewalBody>;
      // The charge id names the renewal: a repeat, with any Idempotency-Key, answers the first.
      const result = await s.renewals.record({ ...report, membershipId: params.membershipId!, actor: key.id });
      const { memberId, id } = result.membership;
      return {
        status: result.replayed ? 200 : 201,
        body: { membership: await membershipOf(memberId, id), replayed: result.replayed },
      };
    },
    async putMember({ key, params, body }) {
      const fields = body as z.infer<typeof memberIn>;
      const { record, created } = await s.records.putMember(params.memberId, fields, key.id);
      const plain = key.scopes.includes('personal');
      return { status: created ? 201 : 200, body: memberBody(record, await memberships(record.id), plain) };
    },
    async putMembership({ key, params, body }) {
      const fields = body as z.infer<typeof membershipIn>;
      const { membershipId, memberId } = { membershipId: params.membershipId!, memberId: params.memberId };
      const { created } = await s.records.putMembership(memberId, membershipId, fields, key.id);
      return { status: created ? 201 : 200, body: await membershipOf(memberId, membershipId) };
    },
    async requestErasure({ params }) {
      const result = await s.personalData.erase(params.memberId);
      return {
        status: 200,
        body: { keptCancellations: result.keptCancellations, erasedNotices: result.erasedNotices },
      };
    },
  };
}
