-- The provider's API keys (src/api/apiKeyService.ts): a public id and a SHA-256 hash of the secret,
-- never the secret. Few rows, read by id on each API request.
CREATE TABLE api_keys (
  id text PRIMARY KEY,
  secret_hash text NOT NULL,
  scopes text[] NOT NULL,
  created_at timestamptz NOT NULL,
  label text,
  revoked_at timestamptz,
  replaced_by text,
  seq bigint GENERATED ALWAYS AS IDENTITY
);

-- The provider's feed of cancellations (GET /v1/cancellations): paged by (received_at, reference).
CREATE INDEX cancellations_feed ON cancellations (received_at, reference);
