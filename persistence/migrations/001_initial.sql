-- The actors hold the live state and allocate entity ids in memory, so ids are plain bigint keys (no serial).
-- Enumerations are stored by their domain::to_string names; times are timestamptz (the application speaks Unix
-- seconds); money is bigint minor units. `version` lets the writer keep the newest snapshot of a row when writes
-- arrive out of order.

CREATE TABLE users (
  id bigint PRIMARY KEY,
  language text NOT NULL CHECK (language IN ('en', 'ru', 'uz')),
  language_chosen boolean NOT NULL DEFAULT false,
  blocked_bot boolean NOT NULL DEFAULT false,
  session jsonb,  -- NULL when the user has no navigation state or drafts worth keeping
  version bigint NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE businesses (
  id bigint PRIMARY KEY,
  owner_id bigint NOT NULL,
  name text NOT NULL,
  address text NOT NULL,
  latitude double precision NOT NULL,
  longitude double precision NOT NULL,
  phone text NOT NULL,
  photo_file_id text NOT NULL DEFAULT '',
  status text NOT NULL CHECK (status IN ('pending', 'verified', 'rejected')),
  reject_reason text NOT NULL DEFAULT '',
  decided_by bigint,  -- the admin who approved or rejected it; NULL while undecided
  version bigint NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX businesses_by_owner ON businesses (owner_id);

-- Foreign keys are checked at commit: one batch writes many units' rows and need not order them by dependency.
CREATE TABLE offers (
  id bigint PRIMARY KEY,
  business_id bigint NOT NULL REFERENCES businesses (id) DEFERRABLE INITIALLY DEFERRED,
  title text NOT NULL,
  description text NOT NULL,
  photo_file_id text NOT NULL DEFAULT '',
  original_price bigint NOT NULL CHECK (original_price >= 0),
  deal_price bigint NOT NULL CHECK (deal_price >= 0),
  currency text NOT NULL,
  quantity_total integer NOT NULL CHECK (quantity_total >= 0),
  quantity_reserved integer NOT NULL CHECK (quantity_reserved >= 0),
  quantity_collected integer NOT NULL CHECK (quantity_collected >= 0),
  pickup_start timestamptz NOT NULL,
  pickup_end timestamptz NOT NULL,
  state text NOT NULL CHECK (state IN ('draft', 'active', 'paused', 'sold_out', 'expired', 'ended')),
  version bigint NOT NULL,
  created_at timestamptz NOT NULL,
  published_at timestamptz,  -- NULL until first published
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX offers_by_state ON offers (state);
CREATE INDEX offers_by_business ON offers (business_id, created_at DESC);

CREATE TABLE reservations (
  id bigint PRIMARY KEY,
  offer_id bigint NOT NULL REFERENCES offers (id) DEFERRABLE INITIALLY DEFERRED,
  customer_id bigint NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  code text NOT NULL UNIQUE,
  status text NOT NULL CHECK (status IN ('active', 'cancelled', 'collected', 'no_show')),
  deal_price bigint NOT NULL CHECK (deal_price >= 0),
  idempotency_key text NOT NULL DEFAULT '',
  version bigint NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
-- A re-delivered update must find the reservation its first delivery made, never make a second one.
CREATE UNIQUE INDEX reservations_by_idempotency_key ON reservations (idempotency_key)
  WHERE idempotency_key <> '';
CREATE INDEX reservations_by_offer ON reservations (offer_id);
CREATE INDEX reservations_by_customer ON reservations (customer_id, created_at DESC);

-- The audit trail: rows are only ever appended.
CREATE TABLE events (
  seq bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL,
  entity_id bigint NOT NULL,
  actor_id bigint NOT NULL,  -- 0 for timers and the system
  payload jsonb NOT NULL DEFAULT 'null'
);
CREATE INDEX events_by_entity ON events (entity_id);

CREATE FUNCTION events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are append-only';
END
$$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION events_are_append_only();

-- Update ids whose effects are committed, so a re-delivered update is recognised after a restart. Ids below the
-- stored update_offset are implied and deleted.
CREATE TABLE processed_updates (
  update_id bigint PRIMARY KEY
);

-- Bot API calls committed with the change that caused them and deleted once Telegram accepted them, so a crash
-- between commit and send neither loses nor invents a message.
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  chat_id bigint NOT NULL,
  method text NOT NULL,
  params jsonb NOT NULL,
  priority integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Small process-wide values, e.g. update_offset: the getUpdates offset below which every update is done.
CREATE TABLE bot_state (
  key text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO bot_state (key, value) VALUES ('update_offset', '0');
