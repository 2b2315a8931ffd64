import { z } from 'zod';
import type { ApiScope } from '../model/schema.js';
import {
  cancelBody,
  cancelOut,
  cancellationFeedOut,
  feedQuery,
  cancellationListOut,
  erasureOut,
  exportOut,
  memberOut,
  memberParams,
  membershipListOut,
  membershipIdParams,
  membershipIn,
  membershipOut,
  membershipParams,
  memberIn,
  quoteOut,
  renewalBody,
  renewalOut,
} from './apiSchemas.js';
import { IDEMPOTENT } from './idempotencyHeader.js';
import { PRICE_CHANGE_OPERATIONS } from './priceChangeRoute.js';

/**
 * One route of the API: what the router serves and the OpenAPI document describes, from the same
 * entry. `path` is written as OpenAPI writes it (`{memberId}`).
 */
export interface ApiOperation {
  id: string;
  method: 'get' | 'post' | 'put';
  path: string;
  scope: ApiScope;
  summary: string;
  params: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Headers the route requires. */
  headers?: Record<string, z.ZodType>;
  status: 200 | 201 | 202;
  /** A PUT that made the record answers 201, one that replaced it 200: both with `response`. */
  alsoStatus?: 201;
  response: z.ZodType;
  /** Problems beyond the ones every route may answer (400, 401, 403, 429, 503). */
  problems: number[];
}

const noParams = z.object({});

export const API_OPERATIONS = [
  {
    id: 'getMember',
    method: 'get',
    path: '/v1/members/{memberId}',
    scope: 'read',
    summary: 'A member with their memberships; personal fields masked unless the key has the `personal` scope',
    params: memberParams,
    status: 200,
    response: memberOut,
    problems: [404],
  },
  {
    id: 'listMemberships',
    method: 'get',
    path: '/v1/members/{memberId}/memberships',
    scope: 'read',
    summary: "The member's memberships, newest period first: status, period, next charge, points, coupons",
    params: memberParams,
    status: 200,
    response: membershipListOut,
    problems: [404],
  },
  {
    id: 'listCancellations',
    method: 'get',
    path: '/v1/members/{memberId}/cancellations',
    scope: 'read',
    summary: "The member's cancellations, undone ones included, oldest first",
    params: memberParams,
    status: 200,
    response: cancellationListOut,
    problems: [404],
  },
  {
    id: 'listCancellationFeed',
    method: 'get',
    path: '/v1/cancellations',
    scope: 'read',
    summary:
      'Every cancellation, oldest first, paged by cursor; listed a minute after it is made, so a page never changes',
    params: noParams,
    query: feedQuery,
    status: 200,
    response: cancellationFeedOut,
    problems: [],
  },
  {
    id: 'quoteCancellation',
    method: 'get',
    path: '/v1/members/{memberId}/memberships/{membershipId}/quote',
    scope: 'read',
    summary: 'What cancelling would mean, for each way the plan allows, before anything changes',
    params: membershipParams,
    status: 200,
    response: quoteOut,
    problems: [404, 409],
  },
  {
    id: 'cancelMembership',
    method: 'post',
    path: '/v1/members/{memberId}/memberships/{membershipId}/cancel',
    scope: 'cancel',
    summary: 'Cancels at the period end or at once; the same Idempotency-Key returns the same cancellation',
    params: membershipParams,
    body: cancelBody,
    headers: IDEMPOTENT,
    status: 201,
    response: cancelOut,
    problems: [404, 409, 422],
  },
  {
    id: 'undoCancellation',
    method: 'post',
    path: '/v1/members/{memberId}/memberships/{membershipId}/undo',
    scope: 'cancel',
    summary: 'Resumes a membership whose cancellation has not taken effect yet',
    params: membershipParams,
    headers: IDEMPOTENT,
    status: 200,
    response: membershipListOut.shape.memberships.element,
    problems: [404, 409],
  },
  {
    id: 'requestDataExport',
    method: 'post',
    path: '/v1/members/{memberId}/data-export',
    scope: 'data',
    summary: 'Sends the member a copy of their data on their own channel (as when they ask the assistant)',
    params: memberParams,
    headers: IDEMPOTENT,
    status: 202,
    response: exportOut,
    problems: [404],
  },
  {
    id: 'requestErasure',
    method: 'post',
    path: '/v1/members/{memberId}/erasure',
    scope: 'data',
    summary: "Erases the member's personal data; refused while a membership is active or pending",
    params: memberParams,
    headers: IDEMPOTENT,
    status: 200,
    response: erasureOut,
    problems: [404, 409],
  },
  {
    id: 'recordRenewal',
    method: 'post',
    path: '/v1/memberships/{membershipId}/renewals',
    scope: 'billing',
    summary:
      'Records a renewal your billing charged: the membership moves to the period paid for; nothing is charged here',
    params: membershipIdParams,
    body: renewalBody,
    headers: IDEMPOTENT,
    status: 201,
    response: renewalOut,
    problems: [404, 409, 422],
  },
  {
    id: 'putMember',
    method: 'put',
    path: '/v1/members/{memberId}',
    scope: 'write',
    summary: 'Creates or replaces a member (201 when created); personal fields in the answer need `personal`',
    params: memberParams,
    body: memberIn,
    status: 200,
    alsoStatus: 201,
    response: memberOut,
    problems: [409],
  },
  {
    id: 'putMembership',
    method: 'put',
    path: '/v1/members/{memberId}/memberships/{membershipId}',
    scope: 'write',
    summary: 'Creates a membership (active) or replaces an active one (201 when created)',
    params: membershipParams,
    body: membershipIn,
    status: 200,
    alsoStatus: 201,
    response: membershipOut,
    problems: [404, 409, 422],
  },
  ...PRICE_CHANGE_OPERATIONS,
] as const satisfies readonly ApiOperation[];

export type OperationId = (typeof API_OPERATIONS)[number]['id'];
