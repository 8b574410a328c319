-- The after-images of every entity row a batch upserted, on the batch's last event (see persistence/writer.hpp):
-- with them the log alone brings the current-state tables from a snapshot's position up to date. NULL on events
-- that close no batch with entity rows, and on events written before this column existed. json rather than jsonb:
-- the images are written on every batch and read only by a replay, so they are kept as text, unparsed.
ALTER TABLE events ADD COLUMN state json;
