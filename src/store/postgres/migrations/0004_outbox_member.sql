-- A member's notices (RecordReader.outboxOf): a copy of their data and its erasure read them by
-- member, oldest first.
CREATE INDEX outbox_member ON outbox (member_id, seq);
