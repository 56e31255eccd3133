-- opskit metadata, schema version 2: the attribute indexes end with the record key, so that an ordered query (by an
-- attribute, then by key) reads an index in order and stops at its page instead of sorting every match.
CREATE INDEX ops_attr_by_string_key ON ops_attr (collection, name, str_value, rkey);

CREATE INDEX ops_attr_by_number_key ON ops_attr (collection, name, num_value, rkey);

DROP INDEX ops_attr_by_string;

DROP INDEX ops_attr_by_number;
