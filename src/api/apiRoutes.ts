import type { Request, Response, Server } from 'restify';
import type { RateLimiter } from '../core/rateLimiter.js';
import type { Logger } from '../log.js';
import type { MembershipService } from '../membership/membershipService.js';
import type { ApiKey } from '../model/schema.js';
import { admit, authenticate } from './apiAccess.js';
import { jsonAnswer, problemAnswer, send, type ApiAnswer } from './apiAnswer.js';
import { auditCall } from './apiAudit.js';
import type { ApiResult } from './apiCall.js';
import { apiHandlers, type ApiHandlers, type ApiServices } from './apiHandlers.js';
import type { ApiKeyService } from './apiKeyService.js';
import { API_OPERATIONS, type ApiOperation } from './apiOperations.js';
import { ApiProblem } from './apiProblem.js';
import { parsedCall } from './apiRequest.js';
import type { IdempotentRequests } from './idempotentRequests.js';
import { InFlight } from '../core/inFlight.js';
import { openApiDocument } from './openApiDocument.js';

export interface ApiRouteDeps {
  services: ApiServices & { memberships: MembershipService };
  apiKeys: ApiKeyService;
  /** Requests per key per window, counted where every instance sees them. */
  perKey: RateLimiter;
  /** The Idempotency-Key rule of the acting requests. */
  idempotency: IdempotentRequests;
  logger: Logger;
  version: string;
}

export interface ApiRoutes {
  /** Resolves once no API request is in progress (for a graceful shutdown). */
  drain(): Promise<void>;
}

/** `{memberId}` (OpenAPI) → `:memberId` (restify). */
const routePath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/** The operation's work for a checked key: admitted, parsed, and answered once per Idempotency-Key where it takes one. */
async function run(deps: ApiRouteDeps, handlers: ApiHandlers, op: ApiOperation, req: Request, key: ApiKey) {
  await admit(deps.perKey, op, key);
  const call = parsedCall(op, req, key);
  const work = (): Promise<ApiResult> => handlers[op.id as keyof ApiHandlers](call);
  if (!op.headers || !('Idempotency-Key' in op.headers)) return work();
  return deps.idempotency.answer({ call, operation: op.id, instance: req.path() }, work);
}

/** One call: every failure as problem+json, every call with a valid key audited before the answer leaves. */
async function respond(deps: ApiRouteDeps, handlers: ApiHandlers, op: ApiOperation, req: Request, res: Response) {
  let key: ApiKey | undefined;
  let answer: ApiAnswer;
  try {
    key = await authenticate(deps.apiKeys, req);
    answer = jsonAnswer(await run(deps, handlers, op, req, key));
  } catch (err) {
    answer = problemAnswer(err, req.path(), deps.logger, { operation: op.id, keyId: key?.id });
  }
  // Audited first, so a caller that reads the audit trail next finds the call.
  if (key)
    await auditCall({ memberships: deps.services.memberships, logger: deps.logger }, op, key, req, answer.status);
  send(res, answer);
}

/** Anything else under /v1 answers as the API does, not with restify's own error body. */
function serveUnknownRoutes(server: Server): void {
  const unknownRoute = async (req: Request, res: Response) => {
    const problem = new ApiProblem(
      404,
      'not_found',
      'Not found',
      'No such API route; GET /v1/openapi.json lists them.',
    );
    send(res, { status: 404, body: problem.body(req.path()), type: 'application/problem+json' });
  };
  server.get('/v1/*', unknownRoute);
  server.post('/v1/*', unknownRoute);
  server.put('/v1/*', unknownRoute);
}

/**
 * The provider's REST API under /v1: the OpenAPI document (no key), and each operation of
 * apiOperations.ts behind a bearer key, its scope and a per-key rate limit. Every call with a
 * valid key is audited with the key's id; every failure is application/problem+json.
 */
export function registerApiRoutes(server: Server, deps: ApiRouteDeps): ApiRoutes {
  const handlers = apiHandlers(deps.services);
  const document = openApiDocument(deps.version);
  const inFlight = new InFlight();
  server.get('/v1/openapi.json', async (_req, res) => {
    res.json(200, document);
  });
  for (const op of API_OPERATIONS)
    // restify tells an async handler from a callback one by its kind: this one must be `async`.
    server[op.method](routePath(op.path), async (req: Request, res: Response) => {
      await inFlight.around(() => respond(deps, handlers, op, req, res));
    });
  serveUnknownRoutes(server);
  return { drain: () => inFlight.drain() };
}
