-- hawkbit 1.12.33: sp_distribution_set's primary key is renamed while sp_ds_module, whose
-- foreign key references it, is dropped (replaced by sp_ds_sm): the old key must go before the
-- new one is added, so the dropped table's foreign key goes first.
CREATE TABLE sp_distribution_set (id bigint NOT NULL, name text,
  CONSTRAINT pk_distribution_set PRIMARY KEY (id));
CREATE TABLE sp_ds_sm (ds_id bigint NOT NULL,
  CONSTRAINT fk_ds_sm_ds FOREIGN KEY (ds_id) REFERENCES sp_distribution_set (id));
CREATE TABLE sp_tag (id bigint NOT NULL, CONSTRAINT sp_tag_uq UNIQUE (id));
