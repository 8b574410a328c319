-- Updates received from Telegram and not yet handled. An update is written here (with the getUpdates offset that
-- confirms it, in one transaction) before anything handles it, so Telegram may forget it at once; the unit that
-- records its effects deletes its row. At start-up the rows left are handled before new updates are read.
-- The payload is the update as Telegram sent it; text rather than jsonb, because it is stored once and read back
-- only after a crash, and because jsonb refuses some escapes that JSON allows (\u0000).
CREATE TABLE inbox (
  update_id bigint PRIMARY KEY,
  payload text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
