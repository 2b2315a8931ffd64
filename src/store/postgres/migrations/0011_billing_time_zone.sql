-- The billing calendar's IANA time zone (src/membership/billingZone.ts): PostgreSQL keeps instants,
-- not the offset they were written with, so a period's months and years are counted in this zone.
-- NULL: the market's zone, else the member's language's, as before this column.
ALTER TABLE memberships ADD COLUMN time_zone text;
