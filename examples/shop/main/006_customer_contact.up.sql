-- The legacy_code column came from the old CRM import and nothing reads it any more.
ALTER TABLE customers DROP COLUMN legacy_code;
ALTER TABLE customers ADD COLUMN phone text;
