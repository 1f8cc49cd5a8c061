-- Rows kept; the volatile default computed for every existing row, one value each.
DO $$
BEGIN
  IF (SELECT count(*) FROM users) <> 500 THEN RAISE 'rows lost'; END IF;
  IF (SELECT count(DISTINCT token) FROM users) <> 500 THEN RAISE 'token not backfilled per row'; END IF;
  IF EXISTS (SELECT FROM users WHERE NOT active) THEN RAISE 'active default'; END IF;
  IF EXISTS (SELECT FROM pg_index WHERE NOT indisvalid) THEN RAISE 'an invalid index is left'; END IF;
  IF EXISTS (SELECT FROM pg_constraint WHERE conname LIKE 'dbmigration_not_null%') THEN RAISE 'helper check left'; END IF;
END $$;
