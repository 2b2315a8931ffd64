import type { Response } from 'restify';
import type { Logger } from '../log.js';
import type { ApiResult } from './apiCall.js';
import { ApiProblem, problemFor } from './apiProblem.js';

/** What goes back on the wire: status, JSON body, its content type and any headers. */
export interface ApiAnswer {
  status: number;
  body: unknown;
  type: string;
  headers?: Record<string, string>;
}

export const jsonAnswer = (result: ApiResult): ApiAnswer => ({ ...result, type: 'application/json' });

/** Any failure as problem+json; one the API does not know is logged and answered 500. */
export function problemAnswer(err: unknown, instance: string, logger: Logger, context: object): ApiAnswer {
  const known = problemFor(err);
  if (!known) logger.error({ err, ...context }, 'API request failed');
  const problem = known ?? new ApiProblem(500, 'internal', 'Internal error', 'The request failed; try again.');
  return {
    status: problem.status,
    body: problem.body(instance),
    type: 'application/problem+json',
    headers: problem.headers,
  };
}

export function send(res: Response, answer: ApiAnswer): void {
  res.writeHead(answer.status, { 'Content-Type': answer.type, 'Cache-Control': 'no-store', ...answer.headers });
  res.end(JSON.stringify(answer.body));
}
