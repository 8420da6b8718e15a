-- 0006: placeholder (issue 8 helper): the number is reserved for another
-- change; this file only keeps the series without a gap. Delete it when
-- the real 0006 lands.
SELECT 1;
