-- Notices for users that another user's change (or a timer) causes: "your business is approved", "the deal you
-- reserved was paused". A notice is written in the transaction that records its change and handed to its user's
-- session only after that commits, so nobody is told of anything that is not durable; the unit that renders it
-- for its user deletes the row. At start-up the rows left (a crash between the two) are rendered again.
CREATE TABLE notices (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL,
  kind text NOT NULL,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
