-- Composite values are converted field by field, by name.
DO $$
BEGIN
  ASSERT (SELECT (p).a FROM t WHERE id = 1) = 1, 'pair.a kept';
  ASSERT (SELECT (p).b FROM t WHERE id = 1) = 'x', 'pair.b kept';
  ASSERT (SELECT (w).x FROM t WHERE id = 1) = 1, 'swapped.x kept by name';
  ASSERT (SELECT (w).y FROM t WHERE id = 1) = 2, 'swapped.y kept by name';
  ASSERT (SELECT p IS NULL AND w IS NULL FROM t WHERE id = 2), 'NULL stays NULL';
END
$$;
