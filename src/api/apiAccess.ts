import type { Request } from 'restify';
import type { RateLimiter } from '../core/rateLimiter.js';
import type { ApiKey } from '../model/schema.js';
import type { ApiKeyService } from './apiKeyService.js';
import type { ApiOperation } from './apiOperations.js';
import { ApiProblem, unauthenticated } from './apiProblem.js';

/** The live key the request carries as `Authorization: Bearer <key>`. */
export async function authenticate(apiKeys: ApiKeyService, req: Request): Promise<ApiKey> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.header('authorization') ?? '');
  const key = match ? await apiKeys.authenticate(match[1]) : undefined;
  if (!key) throw unauthenticated();
  return key;
}

/** The key may make this call: within its rate limit, and holding the operation's scope. */
export async function admit(perKey: RateLimiter, op: ApiOperation, key: ApiKey): Promise<void> {
  if (!(await perKey.take(key.id)))
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
}
