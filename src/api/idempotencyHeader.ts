import { z } from 'zod';

export const idempotencyKey = z
  .string()
  .min(8)
  .max(200)
  .regex(/^[\x21-\x7e]+$/)
  .meta({
    description:
      'a unique value per intended request (a UUID); the same request again gets the first answer, another request with it 422',
  });

/** The header every acting request (every POST) requires: it is answered once per key. */
export const IDEMPOTENT = { 'Idempotency-Key': idempotencyKey };
