-- opskit metadata, schema version 4: no foreign key from ops_attr to ops_record. The store deletes a record's
-- attributes itself before the record, in the same transaction, and writes them only after it, so the constraint
-- guarded nothing the store does not; on H2 it cost an index of its own, which every registration wrote into (3.1 KB
-- of about 42 KB, 9% of the bytes a registration writes), and on PostgreSQL a lookup of the record per attribute row.
ALTER TABLE ops_attr DROP CONSTRAINT IF EXISTS ops_attr_record_fk;
