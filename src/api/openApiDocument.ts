import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { API_OPERATIONS, type ApiOperation } from './apiOperations.js';
import { problemSchema } from './apiSchemas.js';
import { WEBHOOK_EVENT_TYPES, webhookEventSchema, webhookSummary } from '../webhooks/webhookSchemas.js';

/** The events POSTed to WEBHOOK_URLS, each with its signature headers (docs/API.md, "Webhooks"). */
function registerWebhooks(registry: OpenAPIRegistry): void {
  const headers = z.object({
    'Webhook-Id': z.string().meta({ description: "the event's id, the same on every attempt" }),
    'Webhook-Event': z.string(),
    'Webhook-Signature': z.string().meta({
      description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body"> (one v1 per secret while one is rotated)',
    }),
  });
  for (const type of WEBHOOK_EVENT_TYPES)
    registry.registerWebhook({
      method: 'post',
      path: type,
      summary: webhookSummary(type),
      request: { headers, body: { content: { 'application/json': { schema: webhookEventSchema(type) } } } },
      responses: { 200: { description: 'Any 2xx: received. Anything else is retried, then parked.' } },
    });
}

const PROBLEM_TITLES: Record<number, string> = {
  400: 'The request is not valid',
  401: 'No valid API key',
  403: "The key's scopes do not allow this",
  404: 'Not found',
  409: 'Not possible in the current state',
  422: 'Not possible under the plan or with this Idempotency-Key',
  429: 'Too many requests for this key',
  503: 'The store cannot answer now; try again',
};
const COMMON_PROBLEMS = [400, 401, 403, 429, 503];

const problem = (status: number) => ({
  description: PROBLEM_TITLES[status],
  content: { 'application/problem+json': { schema: problemSchema } },
});

/** An acting request's repeat: the first answer again, a 201 as 200 (nothing was made this time). */
const replayed = (op: ApiOperation): Record<string, ResponseConfig> =>
  op.status === 201
    ? {
        200: {
          description: 'The same request with the same Idempotency-Key, answered before (`Idempotent-Replayed: true`)',
          content: { 'application/json': { schema: op.response } },
        },
      }
    : {};

function register(registry: OpenAPIRegistry, op: ApiOperation): void {
  const idempotent = op.headers !== undefined && 'Idempotency-Key' in op.headers;
  // 409: a request with the key still running; 422: the key used for another request.
  const keyProblems = idempotent ? [409, 422] : [];
  const statuses = [...new Set([...COMMON_PROBLEMS, ...op.problems, ...keyProblems])].sort();
  registry.registerPath({
    operationId: op.id,
    method: op.method,
    path: op.path,
    summary: op.summary,
    description: `Scope: \`${op.scope}\`.`,
    security: [{ bearerAuth: [] }],
    request: {
      params: op.params,
      ...(op.query ? { query: op.query } : {}),
      ...(op.headers ? { headers: z.object(op.headers) } : {}),
      ...(op.body ? { body: { required: true, content: { 'application/json': { schema: op.body } } } } : {}),
    },
    responses: {
      [op.status]: { description: 'Done', content: { 'application/json': { schema: op.response } } },
      ...(idempotent ? replayed(op) : {}),
      ...(op.alsoStatus
        ? { [op.alsoStatus]: { description: 'Created', content: { 'application/json': { schema: op.response } } } }
        : {}),
      ...Object.fromEntries(statuses.map((s) => [s, problem(s)])),
    },
  });
}

/** The OpenAPI 3.1 document of the API, generated from the operations and their zod schemas. */
export function openApiDocument(version: string) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key from `npm run api:key -- create --scope <scopes>`',
  });
  for (const op of API_OPERATIONS) register(registry, op);
  registerWebhooks(registry);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Membership assistant: provider API',
      version,
      description: 'Members, memberships, quotes, cancellations, undo and data requests. See docs/API.md.',
    },
    servers: [{ url: '/' }],
  });
}

/** The document as docs/openapi.json holds it. */
export const openApiText = (version: string) => `${JSON.stringify(openApiDocument(version), null, 2)}\n`;
