-- dbmigration diff
-- from: release.hcl
-- to: main.hcl
-- tool: dbmigration 0.1.0
-- 12 change(s), 1 destructive.

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

-- Add column "unit_price_cents" of table "public"."order_items"
ALTER TABLE public.order_items ADD COLUMN unit_price_cents integer NOT NULL;

-- Add column "currency" of table "public"."orders"
ALTER TABLE public.orders ADD COLUMN currency character(3) DEFAULT 'EUR'::bpchar NOT NULL;

-- Add column "updated_at" of table "public"."orders"
ALTER TABLE public.orders ADD COLUMN updated_at timestamp with time zone;

-- Create index "orders_customer_id_idx" on "public"."orders"
CREATE INDEX orders_customer_id_idx ON public.orders USING btree (customer_id);

-- Add foreign key "refunds_order_id_fkey" to table "public"."refunds" referencing "public"."orders"
ALTER TABLE public.refunds ADD CONSTRAINT refunds_order_id_fkey FOREIGN KEY (order_id) REFERENCES public.orders (id);

-- Create trigger "orders_set_updated_at" on "public"."orders"
CREATE TRIGGER orders_set_updated_at BEFORE UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- Drop column "legacy_code" of table "public"."customers" (data loss; may be a rename: no rename guessing is done)
ALTER TABLE public.customers DROP COLUMN legacy_code;
