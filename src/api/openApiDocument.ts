import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { API_OPERATIONS, type ApiOperation } from './apiOperations.js';
import { problemSchema } from './apiSchemas.js';

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

function register(registry: OpenAPIRegistry, op: ApiOperation): void {
  const statuses = [...new Set([...COMMON_PROBLEMS, ...op.problems])].sort();
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
