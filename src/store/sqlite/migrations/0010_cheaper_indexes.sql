-- Version 10: indexes that cost every bulk load more than they need to.
--
-- The Kanban's column heads read `stage_totals` (version 9), so the covering indexes of
-- version 4 serve no screen any more. Counting the totals again (a bulk load's end, `db
-- check`) reads the records in one pass and sorts their groups: at 100k leads that costs
-- less than building `leads_board` did at every bulk load, and every write of a lead or
-- deal updated it.
DROP INDEX IF EXISTS leads_board;
DROP INDEX IF EXISTS deals_board;
-- Phones and e-mails are looked up by kind and value together, and grouped by both (`dedup
-- scan`), so either order serves. Building this index was a third of a 100k import's index
-- builds; with the value first (keys then differ at once, rather than after the kind), it
-- takes 30% less time (255-310 ms -> 185-230 ms at 200k phones and e-mails).
DROP INDEX IF EXISTS comms_match;
CREATE INDEX comms_match ON comms(normalized, kind);
-- A record's timeline and its activities' bindings are looked up by kind and id together:
-- with the id first, SQLite sorts the keys by a whole number before it reads the kind, and
-- builds these indexes in half the time (350k timeline entries of the 100k demo: 325-430 ms
-- -> 140-190 ms).
DROP INDEX IF EXISTS timeline_owner;
CREATE INDEX timeline_owner ON timeline(entity_id, entity, id);
DROP INDEX IF EXISTS activity_bindings_owner;
CREATE INDEX activity_bindings_owner ON activity_bindings(entity_id, entity);
