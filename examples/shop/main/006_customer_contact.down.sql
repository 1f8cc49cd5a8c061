ALTER TABLE customers DROP COLUMN phone;
ALTER TABLE customers ADD COLUMN legacy_code text;
