import type { z } from 'zod';
import { problemSchema } from '../../src/api/apiSchemas.js';

export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  type: string;
  body: T;
  headers: Headers;
}

/** Calls the API over loopback; a problem answer is checked against the Problem schema on the way. */
export async function call<T = Record<string, unknown>>(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  options: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiAnswer<T>> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const type = res.headers.get('content-type') ?? '';
  const body = (await res.json()) as T;
  if (type.startsWith('application/problem+json')) problemSchema.strict().parse(body);
  return { status: res.status, type, body, headers: res.headers };
}

/** The body as the schema reads it, unknown fields refused: a response cannot drift from the contract. */
export function conforms<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.parse(body);
  // zod drops fields it does not know: a field the schema does not name shows up as a difference.
  expect(parsed).toEqual(body);
  return parsed;
}
