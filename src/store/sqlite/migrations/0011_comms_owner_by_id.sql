-- Version 11: a record's phones and e-mails are looked up by its id first, as its timeline
-- and its activities' bindings have been since version 10.
--
-- A bulk load that reads no record's comms back (the demo, an import that keeps every row)
-- sets this index aside and builds it again at its end: inserting each comm into it cost
-- the writer of a 100k import more than a tenth of its rows' time. With the id first, SQLite
-- sorts the keys by a whole number before it reads the kind, so building it is cheap. Every
-- query gives both columns, but the one that loads the match keys, which now reads them in
-- id order.
DROP INDEX IF EXISTS comms_owner;
CREATE INDEX comms_owner ON comms(entity_id, entity);
