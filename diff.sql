-- dbmigration diff
-- from: release.hcl
-- to: main.hcl
-- tool: dbmigration 0.1.0
-- 16 change(s), 1 destructive.
-- Online plan (4 hazard(s) marked below); `--unsafe-plan` gives the plain one.
-- Run it as it is, statement by statement and without an outer transaction (`psql -f diff.sql`,
-- not `-1`): it commits between its BEGIN … COMMIT blocks and runs the steps marked
-- "on its own" outside them.

SET lock_timeout = '2s';
SET statement_timeout = '3s';

BEGIN;

-- Check function bodies when they run: they may use objects created later in this plan
SET check_function_bodies = off;

-- Add value 'refunded' to enum type "public"."order_status" (usable once committed: nothing in this plan uses it)
ALTER TYPE public.order_status ADD VALUE 'refunded' AFTER 'paid';

-- Create function "public"."set_updated_at"()
CREATE FUNCTION public.set_updated_at()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$function$;

-- Create table "public"."refunds"
CREATE TABLE public.refunds (
  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
  order_id bigint NOT NULL,
  amount_cents integer NOT NULL,
  reason text,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT refunds_pkey PRIMARY KEY (id),
  CONSTRAINT refunds_amount_cents_check CHECK (amount_cents > 0)
);

-- Add column "phone" of table "public"."customers"
ALTER TABLE public.customers ADD COLUMN phone text;

-- Add column "unit_price_cents" of table "public"."order_items", nullable first: it has no default to fill existing rows
-- Hazard NEEDS_VALUE: the column is NOT NULL without a default: existing rows need a value. Fill them (UPDATE … SET column = … WHERE column IS NULL) before the next steps, or validating NOT NULL fails
ALTER TABLE public.order_items ADD COLUMN unit_price_cents integer;

-- NOT NULL for column "unit_price_cents" of table "public"."order_items", step 1 of 4: a helper check, NOT VALID (no scan)
ALTER TABLE public.order_items ADD CONSTRAINT dbmigration_not_null_unit_price_cents CHECK (unit_price_cents IS NOT NULL) NOT VALID;

COMMIT;

-- NOT NULL for column "unit_price_cents" of table "public"."order_items", step 2 of 4: validate the helper check without blocking writes
-- (on its own, outside any transaction block)
SET statement_timeout = '20min';
ALTER TABLE public.order_items VALIDATE CONSTRAINT dbmigration_not_null_unit_price_cents;
SET statement_timeout = '3s';

BEGIN;

-- NOT NULL for column "unit_price_cents" of table "public"."order_items", step 3 of 4: SET NOT NULL uses the valid check instead of a scan
ALTER TABLE public.order_items ALTER COLUMN unit_price_cents SET NOT NULL;

-- NOT NULL for column "unit_price_cents" of table "public"."order_items", step 4 of 4: drop the helper check
ALTER TABLE public.order_items DROP CONSTRAINT dbmigration_not_null_unit_price_cents;

-- Add column "currency" of table "public"."orders"
ALTER TABLE public.orders ADD COLUMN currency character(3) DEFAULT 'EUR'::bpchar NOT NULL;

-- Add column "updated_at" of table "public"."orders"
ALTER TABLE public.orders ADD COLUMN updated_at timestamp with time zone;

COMMIT;

-- Create index "orders_customer_id_idx" on "public"."orders", without blocking writes
-- (on its own, outside any transaction block)
-- Hazard INDEX_BUILD: builds the index while writes go on (CPU and I/O); if it fails, drop the INVALID index it leaves and run this step again
SET statement_timeout = '20min';
CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders USING btree (customer_id);
SET statement_timeout = '3s';

BEGIN;

-- Add foreign key "refunds_order_id_fkey" to table "public"."refunds" referencing "public"."orders"
ALTER TABLE public.refunds ADD CONSTRAINT refunds_order_id_fkey FOREIGN KEY (order_id) REFERENCES public.orders (id);

-- Create trigger "orders_set_updated_at" on "public"."orders"
CREATE TRIGGER orders_set_updated_at BEFORE UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- Drop column "legacy_code" of table "public"."customers" (data loss; may be a rename: no rename guessing is done)
-- Hazard DELETES_DATA: the data it holds is deleted and cannot be recovered from the schema
-- Hazard RENAME: if this is a rename, the plan loses the data: rename it in a migration instead
ALTER TABLE public.customers DROP COLUMN legacy_code;

COMMIT;
