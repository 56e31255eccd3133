-- opskit metadata, schema version 5: string attributes of any length up to the store's limit, compared whole. The
-- attribute index keeps holding str_value, a string's first 1,024 characters, which it seeks and orders by; a longer
-- string also keeps its whole value in str_full (NULL for every other attribute), which comparisons read where the
-- first 1,024 characters cannot decide. Attributes written before hold at most 1,024 characters and no str_full.
ALTER TABLE ops_attr ADD COLUMN IF NOT EXISTS str_full CHARACTER VARYING;
