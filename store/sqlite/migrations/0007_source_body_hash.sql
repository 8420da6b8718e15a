-- 0007: the hash of each source's feed body last stored in full
-- (store.FetchState.BodyHash), so that an unchanged body from a server
-- without ETag or Last-Modified is skipped after a restart too. Sources
-- stored before have none (''): their next fetch is parsed, as it was.

ALTER TABLE sources ADD COLUMN body_hash TEXT NOT NULL DEFAULT ''; -- SHA-256 in hex
