-- Version 23: counts the sales head's reports add up instead of reading one row per record
-- (issue 29: each report within 150 ms at a million leads). Kept by triggers on every path
-- that writes a record or an activity, like `stage_totals`; `domain::report` still defines
-- each figure, and the engine reads these only for periods that begin and end on an hour
-- (a local midnight), reading records one by one otherwise. Every key column is NOT NULL
-- (0 or '' for none) so that one key is one row.
--
-- `record_tallies`: the leads and deals by the hour they came in (`hour`, ms / 3,600,000), for
-- a deal the hour its lead came in (`lead_hour`, -1 without one), and what a funnel or the
-- conversion report tells apart: pipeline, responsible, source, the stage it is in, the
-- stages it has been in (`visited`: ids in order, comma-separated, its stage included) and
-- its currency; `records` and the sum of their amounts.
CREATE TABLE record_tallies (
    entity         TEXT NOT NULL,
    hour           INTEGER NOT NULL,
    lead_hour      INTEGER NOT NULL,
    pipeline_id    INTEGER NOT NULL,
    responsible_id INTEGER NOT NULL,
    source_id      INTEGER NOT NULL,
    stage_id       INTEGER NOT NULL,
    visited        TEXT NOT NULL,
    currency       TEXT NOT NULL,
    records        INTEGER NOT NULL,
    amount_minor   INTEGER NOT NULL,
    PRIMARY KEY (entity, hour, lead_hour, pipeline_id, responsible_id, source_id, stage_id, visited, currency)
) WITHOUT ROWID;
CREATE INDEX record_tallies_lead_hour ON record_tallies(entity, lead_hour);

-- `activity_tallies`: activities by kind, responsible and hour: `due_open` / `due_done` by
-- the hour of their deadline (open or done), `done` / `late` by the hour they were done (on
-- time or after their deadline).
CREATE TABLE activity_tallies (
    what           TEXT NOT NULL CHECK (what = 'due_open' OR what = 'due_done' OR what = 'done' OR what = 'late'),
    hour           INTEGER NOT NULL,
    responsible_id INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    n              INTEGER NOT NULL,
    PRIMARY KEY (what, hour, responsible_id, kind)
) WITHOUT ROWID;

-- A past period's funnel corrects the records moved since its end.
CREATE INDEX stage_moves_at ON stage_moves(entity, at);

-- The stage moves' own triggers fold into the tallies' (one trigger runs its statements in
-- order: the record's old key is read before its new move is kept).
DROP TRIGGER leads_stage_moves_move;
DROP TRIGGER deals_stage_moves_move;

CREATE TRIGGER leads_tally_insert AFTER INSERT ON leads
BEGIN
    INSERT INTO record_tallies VALUES ('lead', NEW.created_at / 3600000, -1, 0, coalesce(NEW.responsible_id, 0),
        coalesce(NEW.source_id, 0), NEW.stage_id, CAST(NEW.stage_id AS TEXT), coalesce(NEW.currency, ''), 1,
        coalesce(NEW.amount_minor, 0))
    ON CONFLICT DO UPDATE SET records = records + 1, amount_minor = amount_minor + excluded.amount_minor;
END;
CREATE TRIGGER leads_tally_change AFTER UPDATE OF stage_id, responsible_id, source_id, amount_minor, currency, created_at ON leads
WHEN NEW.stage_id IS NOT OLD.stage_id OR NEW.responsible_id IS NOT OLD.responsible_id
  OR NEW.source_id IS NOT OLD.source_id OR NEW.amount_minor IS NOT OLD.amount_minor
  OR NEW.currency IS NOT OLD.currency OR NEW.created_at IS NOT OLD.created_at
BEGIN
    UPDATE record_tallies SET records = records - 1, amount_minor = amount_minor - coalesce(OLD.amount_minor, 0)
     WHERE entity = 'lead' AND hour = OLD.created_at / 3600000 AND lead_hour = -1 AND pipeline_id = 0
       AND responsible_id = coalesce(OLD.responsible_id, 0) AND source_id = coalesce(OLD.source_id, 0)
       AND stage_id = OLD.stage_id AND currency = coalesce(OLD.currency, '')
       AND visited = (SELECT group_concat(s) FROM (SELECT stage_id AS s FROM stage_moves
                       WHERE entity = 'lead' AND record_id = OLD.id UNION SELECT OLD.stage_id ORDER BY 1));
    INSERT INTO stage_moves (entity, record_id, stage_id, at)
    SELECT 'lead', NEW.id, NEW.stage_id, NEW.moved_at WHERE NEW.stage_id IS NOT OLD.stage_id;
    INSERT INTO record_tallies
    SELECT 'lead', NEW.created_at / 3600000, -1, 0, coalesce(NEW.responsible_id, 0), coalesce(NEW.source_id, 0),
           NEW.stage_id, (SELECT group_concat(s) FROM (SELECT stage_id AS s FROM stage_moves
                          WHERE entity = 'lead' AND record_id = NEW.id UNION SELECT NEW.stage_id ORDER BY 1)),
           coalesce(NEW.currency, ''), 1, coalesce(NEW.amount_minor, 0) WHERE 1
    ON CONFLICT DO UPDATE SET records = records + 1, amount_minor = amount_minor + excluded.amount_minor;
END;
CREATE TRIGGER leads_tally_delete AFTER DELETE ON leads
BEGIN
    UPDATE record_tallies SET records = records - 1, amount_minor = amount_minor - coalesce(OLD.amount_minor, 0)
     WHERE entity = 'lead' AND hour = OLD.created_at / 3600000 AND lead_hour = -1 AND pipeline_id = 0
       AND responsible_id = coalesce(OLD.responsible_id, 0) AND source_id = coalesce(OLD.source_id, 0)
       AND stage_id = OLD.stage_id AND currency = coalesce(OLD.currency, '')
       AND visited = (SELECT group_concat(s) FROM (SELECT stage_id AS s FROM stage_moves
                       WHERE entity = 'lead' AND record_id = OLD.id UNION SELECT OLD.stage_id ORDER BY 1));
END;

CREATE TRIGGER deals_tally_insert AFTER INSERT ON deals
BEGIN
    INSERT INTO record_tallies VALUES ('deal', NEW.created_at / 3600000,
        coalesce((SELECT created_at / 3600000 FROM leads WHERE id = NEW.lead_id), -1), NEW.pipeline_id,
        coalesce(NEW.responsible_id, 0), coalesce(NEW.source_id, 0), NEW.stage_id, CAST(NEW.stage_id AS TEXT),
        coalesce(NEW.currency, ''), 1, coalesce(NEW.amount_minor, 0))
    ON CONFLICT DO UPDATE SET records = records + 1, amount_minor = amount_minor + excluded.amount_minor;
END;
CREATE TRIGGER deals_tally_change
AFTER UPDATE OF stage_id, responsible_id, source_id, amount_minor, currency, created_at, pipeline_id, lead_id ON deals
WHEN NEW.stage_id IS NOT OLD.stage_id OR NEW.responsible_id IS NOT OLD.responsible_id
  OR NEW.source_id IS NOT OLD.source_id OR NEW.amount_minor IS NOT OLD.amount_minor
  OR NEW.currency IS NOT OLD.currency OR NEW.created_at IS NOT OLD.created_at
  OR NEW.pipeline_id IS NOT OLD.pipeline_id OR NEW.lead_id IS NOT OLD.lead_id
BEGIN
    UPDATE record_tallies SET records = records - 1, amount_minor = amount_minor - coalesce(OLD.amount_minor, 0)
     WHERE entity = 'deal' AND hour = OLD.created_at / 3600000
       AND lead_hour = coalesce((SELECT created_at / 3600000 FROM leads WHERE id = OLD.lead_id), -1)
       AND pipeline_id = OLD.pipeline_id
       AND responsible_id = coalesce(OLD.responsible_id, 0) AND source_id = coalesce(OLD.source_id, 0)
       AND stage_id = OLD.stage_id AND currency = coalesce(OLD.currency, '')
       AND visited = (SELECT group_concat(s) FROM (SELECT stage_id AS s FROM stage_moves
                       WHERE entity = 'deal' AND record_id = OLD.id UNION SELECT OLD.stage_id ORDER BY 1));
    INSERT INTO stage_moves (entity, record_id, stage_id, at)
    SELECT 'deal', NEW.id, NEW.stage_id, NEW.moved_at WHERE NEW.stage_id IS NOT OLD.stage_id;
    INSERT INTO record_tallies
    SELECT 'deal', NEW.created_at / 3600000, coalesce((SELECT created_at / 3600000 FROM leads WHERE id = NEW.lead_id), -1),
           NEW.pipeline_id, coalesce(NEW.responsible_id, 0), coalesce(NEW.source_id, 0),
           NEW.stage_id, (SELECT group_concat(s) FROM (SELECT stage_id AS s FROM stage_moves
                          WHERE entity = 'deal' AND record_id = NEW.id UNION SELECT NEW.stage_id ORDER BY 1)),
           coalesce(NEW.currency, ''), 1, coalesce(NEW.amount_minor, 0) WHERE 1
    ON CONFLICT DO UPDATE SET records = records + 1, amount_minor = amount_minor + excluded.amount_minor;
END;
CREATE TRIGGER deals_tally_delete AFTER DELETE ON deals
BEGIN
    UPDATE record_tallies SET records = records - 1, amount_minor = amount_minor - coalesce(OLD.amount_minor, 0)
     WHERE entity = 'deal' AND hour = OLD.created_at / 3600000
       AND lead_hour = coalesce((SELECT created_at / 3600000 FROM leads WHERE id = OLD.lead_id), -1)
       AND pipeline_id = OLD.pipeline_id
       AND responsible_id = coalesce(OLD.responsible_id, 0) AND source_id = coalesce(OLD.source_id, 0)
       AND stage_id = OLD.stage_id AND currency = coalesce(OLD.currency, '')
       AND visited = (SELECT group_concat(s) FROM (SELECT stage_id AS s FROM stage_moves
                       WHERE entity = 'deal' AND record_id = OLD.id UNION SELECT OLD.stage_id ORDER BY 1));
END;

CREATE TRIGGER activities_tally_insert AFTER INSERT ON activities
BEGIN
    INSERT INTO activity_tallies VALUES (CASE WHEN NEW.completed THEN 'due_done' ELSE 'due_open' END,
        NEW.deadline / 3600000, coalesce(NEW.responsible_id, 0), NEW.kind, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO activity_tallies
    SELECT CASE WHEN NEW.completed_at > NEW.deadline THEN 'late' ELSE 'done' END, NEW.completed_at / 3600000,
           coalesce(NEW.responsible_id, 0), NEW.kind, 1 WHERE NEW.completed_at IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER activities_tally_change AFTER UPDATE OF kind, responsible_id, deadline, completed, completed_at ON activities
WHEN NEW.kind IS NOT OLD.kind OR NEW.responsible_id IS NOT OLD.responsible_id OR NEW.deadline IS NOT OLD.deadline
  OR NEW.completed IS NOT OLD.completed OR NEW.completed_at IS NOT OLD.completed_at
BEGIN
    UPDATE activity_tallies SET n = n - 1
     WHERE what = CASE WHEN OLD.completed THEN 'due_done' ELSE 'due_open' END AND hour = OLD.deadline / 3600000
       AND responsible_id = coalesce(OLD.responsible_id, 0) AND kind = OLD.kind;
    UPDATE activity_tallies SET n = n - 1
     WHERE OLD.completed_at IS NOT NULL AND what = CASE WHEN OLD.completed_at > OLD.deadline THEN 'late' ELSE 'done' END
       AND hour = OLD.completed_at / 3600000 AND responsible_id = coalesce(OLD.responsible_id, 0) AND kind = OLD.kind;
    INSERT INTO activity_tallies VALUES (CASE WHEN NEW.completed THEN 'due_done' ELSE 'due_open' END,
        NEW.deadline / 3600000, coalesce(NEW.responsible_id, 0), NEW.kind, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO activity_tallies
    SELECT CASE WHEN NEW.completed_at > NEW.deadline THEN 'late' ELSE 'done' END, NEW.completed_at / 3600000,
           coalesce(NEW.responsible_id, 0), NEW.kind, 1 WHERE NEW.completed_at IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER activities_tally_delete AFTER DELETE ON activities
BEGIN
    UPDATE activity_tallies SET n = n - 1
     WHERE what = CASE WHEN OLD.completed THEN 'due_done' ELSE 'due_open' END AND hour = OLD.deadline / 3600000
       AND responsible_id = coalesce(OLD.responsible_id, 0) AND kind = OLD.kind;
    UPDATE activity_tallies SET n = n - 1
     WHERE OLD.completed_at IS NOT NULL AND what = CASE WHEN OLD.completed_at > OLD.deadline THEN 'late' ELSE 'done' END
       AND hour = OLD.completed_at / 3600000 AND responsible_id = coalesce(OLD.responsible_id, 0) AND kind = OLD.kind;
END;

-- The conversion report's median reads the converted leads of a period one by one.
CREATE INDEX leads_stage_created ON leads(stage_id, created_at);
