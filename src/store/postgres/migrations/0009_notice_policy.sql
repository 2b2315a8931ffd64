-- Notice periods by jurisdiction (src/membership/reminderPolicy.ts), chosen per member or plan; a
-- membership's own price after a price change, the change on record with its notice; and the app
-- store that bills a membership, which is cancelled there and never here.
ALTER TABLE plans ADD COLUMN reminder_policy text;
ALTER TABLE members ADD COLUMN reminder_policy text;
ALTER TABLE memberships ADD COLUMN price bigint;
ALTER TABLE memberships ADD COLUMN price_change jsonb;
ALTER TABLE memberships ADD COLUMN app_store text;
-- priceNoticesDue: the few changes whose notice is not yet sent (a cast to timestamptz cannot be indexed).
CREATE INDEX memberships_price_notice_unsent ON memberships (seq)
  WHERE price_change IS NOT NULL AND price_change ->> 'notifiedAt' IS NULL;
