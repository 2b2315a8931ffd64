import type { ApiKey } from '../model/schema.js';

/** One authenticated request to a /v1 route, as its handler reads it. */
export interface ApiCall {
  key: ApiKey;
  params: { memberId: string; membershipId?: string };
  query: Record<string, unknown>;
  body: unknown;
  headers: Record<string, string>;
}

/** What a handler answers: the status and the JSON body (and headers of its own, on a replay). */
export interface ApiResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
