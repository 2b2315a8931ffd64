-- Personal data sealed at rest (src/privacy/fieldCipher.ts): a member's name, phone, e-mail and
-- channel address, and a notice's recipient, hold sealed text. Look-ups by phone and e-mail go
-- through blind indexes (HMAC), which now carry the uniqueness the plain columns had. Rows written
-- before this file stay in plain text, their indexes NULL, until the same migrate run seals them
-- (src/store/postgres/sealRows.ts).
ALTER TABLE members ADD COLUMN phone_index text, ADD COLUMN email_index text;
ALTER TABLE members DROP CONSTRAINT members_phone_key;
DROP INDEX members_email_key;
-- NULL (a row not sealed yet) is never equal to another NULL: plain rows do not collide here.
CREATE UNIQUE INDEX members_phone_index_key ON members (phone_index);
CREATE UNIQUE INDEX members_email_index_key ON members (email_index);
-- A sealed channel address is opaque text: as jsonb it would be a quoted string. A plain one keeps
-- its JSON text until it is sealed.
ALTER TABLE members ALTER COLUMN conversation_reference TYPE text USING conversation_reference::text;
-- Notices whose recipient is not sealed (the pattern is fieldCipher.ts's SEALED_SQL_PATTERN, which
-- no plain address matches): empty once sealed, so looking for them costs nothing.
CREATE INDEX outbox_plain_recipient ON outbox (id)
  WHERE recipient !~ '^pd1\.[A-Za-z0-9_-]{1,32}\.[A-Za-z0-9_-]{38,}$';
