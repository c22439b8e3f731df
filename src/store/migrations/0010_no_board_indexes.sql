-- Version 10: the Kanban's column heads read `stage_totals` (version 9), so the covering
-- indexes of version 4 serve no screen any more. Counting the totals again (a bulk load's
-- end, `db check`) reads the records in one pass and sorts their groups: at 100k leads
-- that costs less than building `leads_board` did at every bulk load, and every write of a
-- lead or deal updated it.
DROP INDEX IF EXISTS leads_board;
DROP INDEX IF EXISTS deals_board;
