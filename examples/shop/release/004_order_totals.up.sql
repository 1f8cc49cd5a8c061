CREATE FUNCTION order_total_cents(p_order bigint) RETURNS bigint
    LANGUAGE sql STABLE
    AS $$
        SELECT coalesce(sum(oi.quantity * p.price_cents), 0)
        FROM order_items oi JOIN products p ON p.id = oi.product_id
        WHERE oi.order_id = p_order
    $$;

CREATE VIEW customer_order_totals AS
    SELECT c.id AS customer_id, count(o.id) AS orders, coalesce(sum(o.total_cents), 0) AS total_cents
    FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
    GROUP BY c.id;
