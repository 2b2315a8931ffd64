-- Acting API requests by Idempotency-Key (src/api/idempotency.ts): the first answer, kept for the
-- same request sent again on any instance. Read by id on each acting request.
CREATE TABLE idempotency_keys (
  id text PRIMARY KEY,
  operation text NOT NULL,
  fingerprint text NOT NULL,
  created_at timestamptz NOT NULL,
  locked_until timestamptz,
  response jsonb,
  seq bigint GENERATED ALWAYS AS IDENTITY
);
