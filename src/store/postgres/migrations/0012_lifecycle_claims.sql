-- The lifecycle pass's claims (claimPeriodsEnded): a membership whose period ended is held by one
-- instance until lifecycle_lease_until, so instances passing at once share the due list.
ALTER TABLE memberships ADD COLUMN lifecycle_lease_until timestamptz;
ALTER TABLE memberships ADD COLUMN lifecycle_lease_holder text;
-- A renewal charge asked for and not yet settled (src/membership/renewalCharge.ts): {key, askedAt}.
ALTER TABLE memberships ADD COLUMN renewal_charge jsonb;
