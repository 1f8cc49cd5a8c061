DO $$ BEGIN
  IF (SELECT total FROM items WHERE id = 1) <> 10 OR (SELECT gross FROM items WHERE id = 2) <> 12 THEN
    RAISE EXCEPTION 'virtual columns compute wrong values';
  END IF;
END $$;
