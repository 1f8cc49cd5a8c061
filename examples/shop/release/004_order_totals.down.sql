DROP VIEW customer_order_totals;
DROP FUNCTION order_total_cents(bigint);
