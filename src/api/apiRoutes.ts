import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { RateLimiter } from '../core/rateLimiter.js';
import type { Logger } from '../log.js';
import type { MembershipService } from '../membership/membershipService.js';
import type { ApiKey } from '../model/schema.js';
import { API_OPERATIONS, type ApiOperation } from './apiOperations.js';
import { apiHandlers, type ApiCall, type ApiResult, type ApiServices } from './apiHandlers.js';
import type { ApiKeyService } from './apiKeyService.js';
import { ApiProblem, invalidRequest, problemFor, unauthenticated } from './apiProblem.js';
import { openApiDocument } from './openApiDocument.js';

export interface ApiRouteDeps {
  services: ApiServices & { memberships: MembershipService };
  apiKeys: ApiKeyService;
  /** Requests per key per window, counted where every instance sees them. */
  perKey: RateLimiter;
  logger: Logger;
  version: string;
}

export interface ApiRoutes {
  /** Resolves once no API request is in progress (for a graceful shutdown). */
  drain(): Promise<void>;
}

/** A route without query parameters ignores any sent. */
const noQuery = z.object({});

/** `{memberId}` (OpenAPI) → `:memberId` (restify). */
const routePath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

const issues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');

function parsedBody(op: ApiOperation, raw: unknown): unknown {
  if (!op.body) return undefined;
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : '';
  let json: unknown;
  try {
    json = JSON.parse(text || 'null');
  } catch {
    throw invalidRequest('The body is not valid JSON.');
  }
  const checked = op.body.safeParse(json);
  if (!checked.success) throw invalidRequest(issues(checked.error));
  return checked.data;
}

function requiredHeaders(op: ApiOperation, req: Request): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [name, schema] of Object.entries(op.headers ?? {})) {
    const value = req.header(name);
    if (value === undefined || value === '')
      throw new ApiProblem(
        400,
        `${name.toLowerCase()}_required`,
        'The request is not valid',
        `Send the ${name} header.`,
      );
    const checked = schema.safeParse(value);
    if (!checked.success) throw invalidRequest(`${name}: ${issues(checked.error)}`);
    found[name.toLowerCase()] = value;
  }
  return found;
}

/**
 * The provider's REST API under /v1: the OpenAPI document (no key), and each operation of
 * apiOperations.ts behind a bearer key, its scope and a per-key rate limit. Every call with a
 * valid key is audited with the key's id; every failure is application/problem+json.
 */
export function registerApiRoutes(server: Server, deps: ApiRouteDeps): ApiRoutes {
  const handlers = apiHandlers(deps.services);
  const document = openApiDocument(deps.version);
  let inFlight = 0;
  const idle: (() => void)[] = [];

  server.get('/v1/openapi.json', async (_req, res) => {
    res.json(200, document);
  });

  const authenticate = async (req: Request): Promise<ApiKey> => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.header('authorization') ?? '');
    const key = match ? await deps.apiKeys.authenticate(match[1]) : undefined;
    if (!key) throw unauthenticated();
    return key;
  };

  const run = async (op: ApiOperation, req: Request, key: ApiKey): Promise<ApiResult> => {
    if (!(await deps.perKey.take(key.id)))
      throw new ApiProblem(429, 'rate_limited', 'Too many requests for this key', 'Wait a minute, then try again.', {
        'Retry-After': '60',
      });
    if (!key.scopes.includes(op.scope))
      throw new ApiProblem(
        403,
        'insufficient_scope',
        "The key's scopes do not allow this",
        `This needs the \`${op.scope}\` scope.`,
      );
    const params = op.params.safeParse(req.params ?? {});
    if (!params.success) throw invalidRequest(issues(params.error));
    const query = (op.query ?? noQuery).safeParse(Object.fromEntries(new URLSearchParams(req.getQuery())));
    if (!query.success) throw invalidRequest(issues(query.error));
    const call: ApiCall = {
      key,
      params: params.data as ApiCall['params'],
      query: query.data,
      headers: requiredHeaders(op, req),
      body: parsedBody(op, req.body),
    };
    return handlers[op.id as keyof typeof handlers](call);
  };

  const send = (
    res: Response,
    status: number,
    body: unknown,
    contentType: string,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store', ...headers });
    res.end(JSON.stringify(body));
  };

  for (const op of API_OPERATIONS) {
    server[op.method](routePath(op.path), async (req: Request, res: Response) => {
      inFlight++;
      let key: ApiKey | undefined;
      let answer: { status: number; body: unknown; type: string; headers?: Record<string, string> };
      try {
        key = await authenticate(req);
        const result = await run(op, req, key);
        answer = { ...result, type: 'application/json' };
      } catch (err) {
        const known = problemFor(err);
        if (!known) deps.logger.error({ err, operation: op.id, keyId: key?.id }, 'API request failed');
        const problem = known ?? new ApiProblem(500, 'internal', 'Internal error', 'The request failed; try again.');
        answer = {
          status: problem.status,
          body: problem.body(req.path()),
          type: 'application/problem+json',
          headers: problem.headers,
        };
      }
      try {
        // Audited before the answer leaves, so a caller that reads the audit trail next finds the call.
        if (key) await audit(deps, op, key, req, answer.status);
        send(res, answer.status, answer.body, answer.type, answer.headers);
      } finally {
        inFlight--;
        if (inFlight === 0) for (const done of idle.splice(0)) done();
      }
    });
  }

  // Anything else under /v1 answers as the API does, not with restify's own error body.
  const unknownRoute = async (req: Request, res: Response) => {
    const problem = new ApiProblem(
      404,
      'not_found',
      'Not found',
      'No such API route; GET /v1/openapi.json lists them.',
    );
    send(res, 404, problem.body(req.path()), 'application/problem+json');
  };
  server.get('/v1/*', unknownRoute);
  server.post('/v1/*', unknownRoute);
  server.put('/v1/*', unknownRoute);

  return {
    drain: () => (inFlight === 0 ? Promise.resolve() : new Promise((resolve) => idle.push(resolve))),
  };
}

/** One audit entry a call, naming the key's id (never the key); a failure to write it is logged, not answered. */
async function audit(deps: ApiRouteDeps, op: ApiOperation, key: ApiKey, req: Request, status: number): Promise<void> {
  const checked = op.params.safeParse(req.params ?? {});
  const params = (checked.success ? checked.data : {}) as { memberId?: string; membershipId?: string };
  const { memberId, membershipId } = params;
  deps.logger.info({ keyId: key.id, operation: op.id, status }, 'API request');
  await deps.services.memberships
    .recordAudit({
      type: 'api.request',
      ...(memberId ? { memberId } : {}),
      ...(membershipId ? { membershipId } : {}),
      data: { keyId: key.id, operation: op.id, status },
    })
    .catch((err: Error) => deps.logger.warn({ keyId: key.id, err: err.message }, 'API call not audited'));
}
