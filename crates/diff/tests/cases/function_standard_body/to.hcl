table "events" {
  schema = schema.public
  column "at" {
    null = false
    type = text
  }
  column "n" {
    null = false
    type = integer
  }
  index "events_at_idx" {
    on {
      expr = "public.parse_iso8601_datetime(at)"
    }
  }
  check "events_n_positive" {
    expr = "(public.positive(n))"
  }
}
table "z_audit" {
  schema = schema.public
  column "id" {
    null = true
    type = bigint
  }
}
function "audit_count" {
  schema     = schema.public
  lang       = SQL
  return     = bigint
  as         = <<-SQL
    BEGIN ATOMIC
     SELECT count(*) AS count
        FROM public.z_audit;
    END
  SQL
  volatility = STABLE
}
function "fulltext_index" {
  schema     = schema.public
  lang       = SQL
  return     = tsvector
  as         = "RETURN (to_tsvector('simple'::regconfig, public.fulltext_replace($1, ' '::text)) || to_tsvector('simple'::regconfig, $1))"
  volatility = IMMUTABLE
  strict     = true
  arg {
    type = text
  }
}
function "fulltext_replace" {
  schema     = schema.public
  lang       = SQL
  return     = text
  as         = "RETURN regexp_replace($1, '[^a-z0-9]+'::text, $2, 'g'::text)"
  volatility = IMMUTABLE
  strict     = true
  arg {
    type = text
  }
  arg {
    type = text
  }
}
function "parse_iso8601_datetime" {
  schema     = schema.public
  lang       = SQL
  return     = timestamptz
  as         = "RETURN ($1)::timestamp with time zone"
  volatility = IMMUTABLE
  arg {
    type = text
  }
}
function "positive" {
  schema     = schema.public
  lang       = SQL
  return     = boolean
  as         = <<-SQL
    BEGIN ATOMIC
     SELECT
             CASE
                 WHEN (n > 0) THEN true
                 ELSE false
             END AS "case";
    END
  SQL
  volatility = IMMUTABLE
  arg "n" {
    type = integer
  }
}
schema "public" {
  comment = "standard public schema"
}
