DO $$
BEGIN
  ASSERT (SELECT lv::text FROM t) = 'high', 'domain value kept';
  ASSERT (SELECT (r).l::text || (r).d::text || (r).note FROM t) = 'lowhighn', 'composite fields kept';
  ASSERT (SELECT ls::text FROM t) = '{low,high}', 'array kept';
END
$$;
