-- Memberships in time (src/membership/lifecycleService.ts): a refused renewal's grace period, the
-- period whose renewal reminder was sent (one a period), and the charge that paid for this period.
ALTER TABLE memberships ADD COLUMN grace_until timestamptz;
ALTER TABLE memberships ADD COLUMN reminded_for timestamptz;
ALTER TABLE memberships ADD COLUMN last_charge_id text;
-- periodsEnded: active ones by the date their period (or its grace) ends.
CREATE INDEX memberships_period_end ON memberships (status, (coalesce(grace_until, current_period_end)));
