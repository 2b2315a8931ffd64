-- The member data (src/model/schema.ts, dbSchema) as tables. Money is bigint minor units (fen,
-- cents), instants timestamptz, nested values jsonb (or text[] where a look-up needs the items).
-- `seq` keeps the order records were first written in: "oldest first" ties, and exports list
-- records in the order the JSON store did.

CREATE TABLE plans (
  id text PRIMARY KEY,
  name jsonb NOT NULL,
  tier jsonb NOT NULL,
  period text NOT NULL CHECK (period IN ('month', 'year')),
  price bigint NOT NULL CHECK (price >= 0),
  currency text NOT NULL CHECK (currency IN ('CNY', 'USD')),
  refund_policy text NOT NULL CHECK (refund_policy IN ('none', 'prorata')),
  cancellation_fee bigint NOT NULL CHECK (cancellation_fee >= 0),
  retention_offer jsonb,
  seq bigint GENERATED ALWAYS AS IDENTITY
);

CREATE TABLE members (
  id text PRIMARY KEY,
  name text NOT NULL,
  phone text NOT NULL UNIQUE,
  email text NOT NULL,
  locale text NOT NULL,
  notify_channel text NOT NULL CHECK (notify_channel IN ('sms', 'email', 'in-app')),
  conversation_reference jsonb,
  seq bigint GENERATED ALWAYS AS IDENTITY
);
-- memberByEmail looks e-mail up case-insensitively, so two members may not differ only in case.
CREATE UNIQUE INDEX members_email_key ON members (lower(email));

CREATE TABLE memberships (
  id text PRIMARY KEY,
  -- Deferred: a transaction may put a membership before the member it names.
  member_id text NOT NULL REFERENCES members (id) DEFERRABLE INITIALLY DEFERRED,
  plan_id text NOT NULL REFERENCES plans (id) DEFERRABLE INITIALLY DEFERRED,
  status text NOT NULL CHECK (status IN ('active', 'pending_cancel', 'cancelled', 'expired')),
  auto_renew boolean NOT NULL,
  started_at timestamptz NOT NULL,
  current_period_start timestamptz NOT NULL,
  current_period_end timestamptz NOT NULL,
  price_paid bigint NOT NULL CHECK (price_paid >= 0),
  points bigint NOT NULL CHECK (points >= 0),
  coupons jsonb NOT NULL,
  effective_at timestamptz,
  seq bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX memberships_member ON memberships (member_id);
-- dueCancellations: pending ones by the date they take effect.
CREATE INDEX memberships_due ON memberships (status, (coalesce(effective_at, current_period_end)));

CREATE TABLE cancellations (
  reference text PRIMARY KEY,
  request_id text NOT NULL UNIQUE,
  membership_id text NOT NULL REFERENCES memberships (id) DEFERRABLE INITIALLY DEFERRED,
  member_id text NOT NULL,
  plan_id text NOT NULL,
  option text NOT NULL CHECK (option IN ('period_end', 'immediate')),
  received_at timestamptz NOT NULL,
  effective_at timestamptz NOT NULL,
  refund bigint NOT NULL CHECK (refund >= 0),
  fee bigint NOT NULL CHECK (fee >= 0),
  currency text NOT NULL CHECK (currency IN ('CNY', 'USD')),
  forfeited jsonb NOT NULL,
  reason text,
  conversation_id text,
  undone_at timestamptz,
  seq bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX cancellations_membership ON cancellations (membership_id, received_at, seq);

CREATE TABLE audit (
  id text PRIMARY KEY,
  at timestamptz NOT NULL,
  type text NOT NULL,
  member_id text,
  membership_id text,
  conversation_id text,
  data jsonb,
  seq bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX audit_at ON audit (at, seq);

CREATE TABLE outbox (
  id text PRIMARY KEY,
  at timestamptz NOT NULL,
  member_id text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('sms', 'email', 'in-app')),
  recipient text NOT NULL,
  locale text NOT NULL,
  template text NOT NULL,
  -- Blank for one-time codes: their text lives in the memory of the instance that wrote them.
  text text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL,
  sent_at timestamptz,
  last_error text,
  redacted boolean,
  -- Not part of the record: which instance holds the message for delivery, and until when.
  lease_until timestamptz,
  lease_holder text,
  seq bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

CREATE TABLE otp_challenges (
  id text PRIMARY KEY,
  identifier text NOT NULL,
  member_id text,
  code_hash text NOT NULL,
  issued_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  failed_attempts integer NOT NULL CHECK (failed_attempts >= 0),
  state text NOT NULL CHECK (state IN ('open', 'used', 'dead', 'expired', 'replaced')),
  closed_at timestamptz,
  requesters text[],
  seq bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX otp_challenges_identifier ON otp_challenges (identifier, issued_at, seq);
CREATE INDEX otp_challenges_requesters ON otp_challenges USING gin (requesters);
-- A new code replaces the open one: two requests racing for one identifier cannot both leave one open.
CREATE UNIQUE INDEX otp_challenges_one_open ON otp_challenges (identifier) WHERE state = 'open';

CREATE TABLE handoffs (
  id text PRIMARY KEY,
  at timestamptz NOT NULL,
  conversation_id text NOT NULL,
  member_id text,
  locale text NOT NULL,
  state text NOT NULL CHECK (state IN ('open', 'closed')),
  seq bigint GENERATED ALWAYS AS IDENTITY
);
