-- opskit metadata, schema version 1: records with optimistic versions, indexed attributes, counters.
CREATE TABLE ops_record (
  collection VARCHAR(255) NOT NULL,
  rkey VARCHAR(255) NOT NULL,
  version BIGINT NOT NULL,
  body CLOB NOT NULL,
  CONSTRAINT ops_record_pk PRIMARY KEY (collection, rkey)
);

CREATE TABLE ops_attr (
  collection VARCHAR(255) NOT NULL,
  rkey VARCHAR(255) NOT NULL,
  name VARCHAR(255) NOT NULL,
  kind CHAR(1) NOT NULL,
  str_value VARCHAR(1024),
  num_value DOUBLE PRECISION,
  long_value BIGINT,
  CONSTRAINT ops_attr_pk PRIMARY KEY (collection, rkey, name),
  CONSTRAINT ops_attr_record_fk FOREIGN KEY (collection, rkey) REFERENCES ops_record (collection, rkey) ON DELETE CASCADE
);

CREATE INDEX ops_attr_by_string ON ops_attr (collection, name, str_value);

CREATE INDEX ops_attr_by_number ON ops_attr (collection, name, num_value);

CREATE TABLE ops_counter (
  name VARCHAR(255) NOT NULL,
  current_value BIGINT NOT NULL,
  CONSTRAINT ops_counter_pk PRIMARY KEY (name)
);
