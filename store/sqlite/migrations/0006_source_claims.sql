-- 0006: claims on sources, so that of several processes polling one
-- database only one fetches a due source (see ClaimSource in source.go).
-- A claim ends when the fetch is recorded, or lapses at claim_until.

ALTER TABLE sources ADD COLUMN claim_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE sources ADD COLUMN claim_until INTEGER; -- NULL: not claimed
