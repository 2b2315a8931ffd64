import type { Request } from 'restify';
import { z } from 'zod';
import type { ApiKey } from '../model/schema.js';
import type { ApiCall } from './apiCall.js';
import type { ApiOperation } from './apiOperations.js';
import { ApiProblem, invalidRequest } from './apiProblem.js';

/** A route without query parameters ignores any sent. */
const noQuery = z.object({});

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

/** The request as the operation's schemas read it: path parameters, query, required headers, body. */
export function parsedCall(op: ApiOperation, req: Request, key: ApiKey): ApiCall {
  const params = op.params.safeParse(req.params ?? {});
  if (!params.success) throw invalidRequest(issues(params.error));
  const query = (op.query ?? noQuery).safeParse(Object.fromEntries(new URLSearchParams(req.getQuery())));
  if (!query.success) throw invalidRequest(issues(query.error));
  return {
    key,
    params: params.data as ApiCall['params'],
    query: query.data,
    headers: requiredHeaders(op, req),
    body: parsedBody(op, req.body),
  };
}
