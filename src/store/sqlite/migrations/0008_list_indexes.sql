-- Version 8: indexes for what the lists do, not for what no query does.
--
-- Two indexes no query needs: every query on `next_activity_at` also filters on the stage,
-- so it reads `(stage_id, next_activity_at)` (version 3); `(next_activity_at)` alone only
-- ever served whole-table counts, which any other index serves as well. Each index costs
-- every write of a lead or deal, and every bulk load builds it again.
DROP INDEX IF EXISTS leads_next_activity;
DROP INDEX IF EXISTS deals_next_activity;
-- The lead list sorted by title or amount reads these indexes in order (the expressions
-- are the ones records.rs sorts by) instead of sorting every lead: at 100k leads, 18 ms
-- and 7-12 ms -> under 1 ms.
CREATE INDEX leads_title_order ON leads(lower(coalesce(title, '')));
CREATE INDEX leads_amount_order ON leads(coalesce(amount_minor, -1));
-- Triage (new leads with nothing planned, mine or nobody's, oldest first) reads this index
-- alone: it used to look up each candidate's responsible and creation time in the table,
-- 10 ms per keystroke at 100k leads. The stage and next activity lead it, as before.
DROP INDEX leads_stage_next_activity;
CREATE INDEX leads_stage_next_activity ON leads(stage_id, next_activity_at, responsible_id, created_at);
