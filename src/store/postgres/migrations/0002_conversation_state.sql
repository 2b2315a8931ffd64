-- Conversation state (botbuilder's Storage, src/store/postgres/postgresStateStorage.ts). The state is
-- the JSON text the turn serialised, kept as text: what a turn compares with is what it reads back,
-- byte for byte (jsonb would reorder and reformat it, and refuses a "\u0000" a member may type).
-- `etag` changes on every write; a write names the one it read (compare-and-set).
CREATE TABLE conversation_state (
  key text PRIMARY KEY,
  etag text NOT NULL,
  state text NOT NULL,
  updated_at timestamptz NOT NULL,
  -- NULL until an idle purge has read the state and judged it worth keeping for the whole idle
  -- period (true); every write sets it back to NULL. A purge reads each idle state once.
  worth_keeping boolean
);

CREATE INDEX conversation_state_updated_at ON conversation_state (updated_at);
CREATE INDEX conversation_state_unjudged ON conversation_state (updated_at) WHERE worth_keeping IS NULL;
