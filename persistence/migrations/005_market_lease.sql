-- One node at a time owns the market: the holder of this lease. A standby takes an expired lease by raising the
-- epoch, which only grows; every transaction of the owner checks its epoch first (market_fence), so a node that
-- lost the lease while paused or cut off can never commit again. Times are the database's own clock, so the
-- nodes' clocks need not agree.
CREATE TABLE market_lease (
  id smallint PRIMARY KEY CHECK (id = 1),
  holder text NOT NULL DEFAULT '',
  epoch bigint NOT NULL DEFAULT 0,
  expires_at timestamptz NOT NULL DEFAULT '-infinity'
);
INSERT INTO market_lease (id) VALUES (1);

-- Nodes waiting to take over, as last seen. An owner that knows of one stops acting when its lease runs out; one
-- that knows of none rides out a database outage alone.
CREATE TABLE market_standbys (
  node text PRIMARY KEY,
  seen_at timestamptz NOT NULL
);

-- FOR SHARE makes a take-over wait for the owner's open transaction, and the transaction wait for a take-over
-- under way, which then fails it: a commit either precedes the take-over (and the new owner loads it) or fails.
CREATE FUNCTION market_fence(expected bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM market_lease WHERE id = 1 AND epoch = expected FOR SHARE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'this node no longer owns the market (epoch % was taken over)', expected
      USING ERRCODE = 'LC001';
  END IF;
END
$$;
