-- User triggers (not internal FK triggers, not clones on partitions of a parent's trigger).
-- tgtype bits: 1 ROW, 2 BEFORE, 64 INSTEAD, 4 INSERT, 8 DELETE, 16 UPDATE, 32 TRUNCATE.
SELECT tg.tgrelid AS relid,
       tg.tgname AS name,
       tg.tgtype::int4 AS type_bits,
       array(SELECT a.attname FROM unnest(tg.tgattr::int2[]) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = tg.tgrelid AND a.attnum = k.attnum
             ORDER BY k.ord)::text[] AS update_of,
       pg_get_triggerdef(tg.oid, true) AS definition,
       tg.tgfoid AS function_oid,
       fn.nspname AS function_schema,
       f.proname AS function_name,
       array_to_string(array(SELECT format_type(x, NULL) FROM unnest(f.proargtypes::oid[]) WITH ORDINALITY u(x, ord)
                             ORDER BY u.ord), ', ') AS function_args,
       tg.tgargs AS args,
       tg.tgnargs::int4 AS nargs,
       tg.tgoldtable::text AS old_table,
       tg.tgnewtable::text AS new_table,
       tg.tgconstraint <> 0 AS is_constraint,
       tg.tgdeferrable AS deferrable,
       tg.tginitdeferred AS deferred,
       tg.tgenabled::text AS enabled,
       obj_description(tg.oid, 'pg_trigger') AS comment
FROM pg_trigger tg
JOIN pg_class c ON c.oid = tg.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc f ON f.oid = tg.tgfoid
JOIN pg_namespace fn ON fn.oid = f.pronamespace
WHERE NOT tg.tgisinternal AND tg.tgparentid = 0
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
