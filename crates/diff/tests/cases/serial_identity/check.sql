-- The sequences continue after the rows that exist.
INSERT INTO t (d) VALUES (100);
DO $$
BEGIN
  ASSERT (SELECT max(a) FROM t) = 6, 'a continues from its serial sequence';
  ASSERT (SELECT max(b) FROM t) = 6, 'b continues from its identity sequence';
  ASSERT (SELECT max(c) FROM t) = 6, 'c starts after max(c)';
  ASSERT (SELECT max(e) FROM t) = 10, 'e keeps its value and steps by 5';
  ASSERT (SELECT max(f) FROM t) = 6, 'f continues';
END
$$;
