-- Version 23: counts the sales head's reports add up instead of reading one row per record
-- (issue 29: each report within 150 ms at a million leads). Kept by triggers on every path
-- that writes a record or an activity, like `stage_totals`; `domain::report` still defines
-- each figure, and the engine reads these only for periods that begin and end on an hour
-- (a local midnight), reading records one by one otherwise. Every count is kept twice, by
-- hour and by day (UTC, `tally_units`): a period reads its whole days, and the hours at its
-- ends. Every key column is NOT NULL (0 or '' for none) so that one key is one row.
CREATE TABLE tally_units (unit INTEGER PRIMARY KEY);
INSERT INTO tally_units VALUES (3600000), (86400000);

-- `record_tallies`: the leads and deals by when they came in (`bucket`, ms / `unit`), for a
-- deal when its lead came in (`lead_bucket`, -1 without one), and what a funnel or the
-- conversion report tells apart: pipeline, responsible, source, the stage it is in, the
-- stages it has been in (`visited`: ids in order, comma-separated, its stage included) and
-- its currency; `records` and the sum of their amounts.
CREATE TABLE record_tallies (
    entity         TEXT NOT NULL,
    unit           INTEGER NOT NULL,
    bucket         INTEGER NOT NULL,
    lead_bucket    INTEGER NOT NULL,
    pipeline_id    INTEGER NOT NULL,
    responsible_id INTEGER NOT NULL,
    source_id      INTEGER NOT NULL,
    stage_id       INTEGER NOT NULL,
    visited        TEXT NOT NULL,
    currency       TEXT NOT NULL,
    records        INTEGER NOT NULL,
    amount_minor   INTEGER NOT NULL,
    PRIMARY KEY (entity, unit, bucket, lead_bucket, pipeline_id, responsible_id, source_id, stage_id, visited, currency)
) WITHOUT ROWID;
CREATE INDEX record_tallies_lead_bucket ON record_tallies(entity, unit, lead_bucket);

-- `activity_tallies`: activities by kind and responsible: `due_open` / `due_done` by their
-- deadline (open or done), `done` / `late` by when they were done (on time or after their
-- deadline).
CREATE TABLE activity_tallies (
    what           TEXT NOT NULL CHECK (what = 'due_open' OR what = 'due_done' OR what = 'done' OR what = 'late'),
    unit           INTEGER NOT NULL,
    bucket         INTEGER NOT NULL,
    responsible_id INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    n              INTEGER NOT NULL,
    PRIMARY KEY (what, unit, bucket, responsible_id, kind)
) WITHOUT ROWID;

-- A record's first stage (when it came in) is told from its moves: a past period's funnel
-- corrects only the records moved since its end, found by this index.
ALTER TABLE stage_moves ADD COLUMN first INTEGER NOT NULL DEFAULT 0;
UPDATE stage_moves SET first = 1 WHERE id IN (SELECT min(id) FROM stage_moves GROUP BY entity, record_id);
CREATE INDEX stage_moves_since ON stage_moves(entity, at, record_id) WHERE first = 0;

-- The conversion report's median reads the converted leads of a period one by one, from the index alone.
CREATE INDEX leads_stage_created ON leads(stage_id, created_at, closed_at, responsible_id, source_id);

-- The stage moves' own triggers fold into the tallies' (one trigger runs its statements in
-- order: the record's old key is read before its new move is kept).
DROP TRIGGER leads_stage_moves_insert;
DROP TRIGGER leads_stage_moves_move;
DROP TRIGGER deals_stage_moves_insert;
DROP TRIGGER deals_stage_moves_move;

CREATE TRIGGER leads_tally_insert AFTER INSERT ON leads
BEGIN
    INSERT INTO stage_moves (entity, record_id, stage_id, at, first) VALUES ('lead', NEW.id, NEW.stage_id, NEW.moved_at, 1);
    INSERT INTO record_tallies
    SELECT 'lead', u.unit, NEW.created_at / u.unit, -1, 0, coalesce(NEW.responsible_id, 0), coalesce(NEW.source_id, 0),
           NEW.stage_id, CAST(NEW.stage_id AS TEXT), coalesce(NEW.currency, ''), 1, coalesce(NEW.amount_minor, 0)
      FROM tally_units u WHERE 1
    ON CONFLICT DO UPDATE SET records = records + excluded.records, amount_minor = amount_minor + excluded.amount_minor;
END;
CREATE TRIGGER leads_tally_change AFTER UPDATE OF stage_id, responsible_id, source_id, amount_minor, currency, created_at ON leads
WHEN NEW.stage_id IS NOT OLD.stage_id OR NEW.responsible_id IS NOT OLD.responsible_id
  OR NEW.source_id IS NOT OLD.source_id OR NEW.amount_minor IS NOT OLD.amount_minor
  OR NEW.currency IS NOT OLD.currency OR NEW.created_at IS NOT OLD.created_at
BEGIN
    INSERT INTO record_tallies
    SELECT 'lead', u.unit, OLD.created_at / u.unit, -1, 0, coalesce(OLD.responsible_id, 0), coalesce(OLD.source_id, 0),
           OLD.stage_id, (SELECT group_concat(s) FROM (SELECT stage_id AS s FROM stage_moves
                          WHERE entity = 'lead' AND record_id = OLD.id UNION SELECT OLD.stage_id ORDER BY 1)),
           coalesce(OLD.currency, ''), -1, -coalesce(OLD.amount_minor, 0)
      FROM tally_units u WHERE 1
    ON CONFLICT DO UPDATE SET records = records + excluded.records, amount_minor = amount_minor + excluded.amount_minor;
    INSERT INTO stage_moves (entity, record_id, stage_id, at)
    SELECT 'lead', NEW.id, NEW.stage_id, NEW.moved_at WHERE NEW.stage_id IS NOT OLD.stage_id;
    INSERT INTO record_tallies
    SELECT 'lead', u.unit, NEW.created_at / u.unit, -1, 0, coalesce(NEW.responsible_id, 0), coalesce(NEW.source_id, 0),
           NEW.stage_id, (SELECT group_concat(s) FROM (SELECT stage_id AS s FROM stage_moves
                          WHERE entity = 'lead' AND record_id = NEW.id UNION SELECT NEW.stage_id ORDER BY 1)),
           coalesce(NEW.currency, ''), 1, coalesce(NEW.amount_minor, 0)
      FROM tally_units u WHERE 1
    ON CONFLICT DO UPDATE SET records = records + excluded.records, amount_minor = amount_minor + excluded.amount_minor;
END;
CREATE TRIGGER leads_tally_delete AFTER DELETE ON leads
BEGIN
    INSERT INTO record_tallies
    SELECT 'lead', u.unit, OLD.created_at / u.unit, -1, 0, coalesce(OLD.responsible_id, 0), coalesce(OLD.source_id, 0),
           OLD.stage_id, (SELECT group_concat(s) FROM (SELECT stage_id AS s FROM stage_moves
                          WHERE entity = 'lead' AND record_id = OLD.id UNION SELECT OLD.stage_id ORDER BY 1)),
           coalesce(OLD.currency, ''), -1, -coalesce(OLD.amount_minor, 0)
      FROM tally_units u WHERE 1
    ON CONFLICT DO UPDATE SET records = records + excluded.records, amount_minor = amount_minor + excluded.amount_minor;
END;

-- A deleted lead's deals let go of it first: their tallies move from the lead's period while
-- the lead is there to say when it came in (the reference's own SET NULL comes too late).
CREATE TRIGGER leads_tally_release BEFORE DELETE ON leads
BEGIN
    UPDATE deals SET lead_id = NULL WHERE lead_id = OLD.id;
END;

CREATE TRIGGER deals_tally_insert AFTER INSERT ON deals
BEGIN
    INSERT INTO stage_moves (entity, record_id, stage_id, at, first) VALUES ('deal', NEW.id, NEW.stage_id, NEW.moved_at, 1);
    INSERT INTO record_tallies
    SELECT 'deal', u.unit, NEW.created_at / u.unit, coalesce((SELECT created_at / u.unit FROM leads WHERE id = NEW.lead_id), -1),
           NEW.pipeline_id, coalesce(NEW.responsible_id, 0), coalesce(NEW.source_id, 0), NEW.stage_id,
           CAST(NEW.stage_id AS TEXT), coalesce(NEW.currency, ''), 1, coalesce(NEW.amount_minor, 0)
      FROM tally_units u WHERE 1
    ON CONFLICT DO UPDATE SET records = records + excluded.records, amount_minor = amount_minor + excluded.amount_minor;
END;
CREATE TRIGGER deals_tally_change
AFTER UPDATE OF stage_id, responsible_id, source_id, amount_minor, currency, created_at, pipeline_id, lead_id ON deals
WHEN NEW.stage_id IS NOT OLD.stage_id OR NEW.responsible_id IS NOT OLD.responsible_id
  OR NEW.source_id IS NOT OLD.source_id OR NEW.amount_minor IS NOT OLD.amount_minor
  OR NEW.currency IS NOT OLD.currency OR NEW.created_at IS NOT OLD.created_at
  OR NEW.pipeline_id IS NOT OLD.pipeline_id OR NEW.lead_id IS NOT OLD.lead_id
BEGIN
    INSERT INTO record_tallies
    SELECT 'deal', u.unit, OLD.created_at / u.unit, coalesce((SELECT created_at / u.unit FROM leads WHERE id = OLD.lead_id), -1),
           OLD.pipeline_id, coalesce(OLD.responsible_id, 0), coalesce(OLD.source_id, 0), OLD.stage_id,
           (SELECT group_concat(s) FROM (SELECT stage_id AS s FROM stage_moves
             WHERE entity = 'deal' AND record_id = OLD.id UNION SELECT OLD.stage_id ORDER BY 1)),
           coalesce(OLD.currency, ''), -1, -coalesce(OLD.amount_minor, 0)
      FROM tally_units u WHERE 1
    ON CONFLICT DO UPDATE SET records = records + excluded.records, amount_minor = amount_minor + excluded.amount_minor;
    INSERT INTO stage_moves (entity, record_id, stage_id, at)
    SELECT 'deal', NEW.id, NEW.stage_id, NEW.moved_at WHERE NEW.stage_id IS NOT OLD.stage_id;
    INSERT INTO record_tallies
    SELECT 'deal', u.unit, NEW.created_at / u.unit, coalesce((SELECT created_at / u.unit FROM leads WHERE id = NEW.lead_id), -1),
           NEW.pipeline_id, coalesce(NEW.responsible_id, 0), coalesce(NEW.source_id, 0), NEW.stage_id,
           (SELECT group_concat(s) FROM (SELECT stage_id AS s FROM stage_moves
             WHERE entity = 'deal' AND record_id = NEW.id UNION SELECT NEW.stage_id ORDER BY 1)),
           coalesce(NEW.currency, ''), 1, coalesce(NEW.amount_minor, 0)
      FROM tally_units u WHERE 1
    ON CONFLICT DO UPDATE SET records = records + excluded.records, amount_minor = amount_minor + excluded.amount_minor;
END;
CREATE TRIGGER deals_tally_delete AFTER DELETE ON deals
BEGIN
    INSERT INTO record_tallies
    SELECT 'deal', u.unit, OLD.created_at / u.unit, coalesce((SELECT created_at / u.unit FROM leads WHERE id = OLD.lead_id), -1),
           OLD.pipeline_id, coalesce(OLD.responsible_id, 0), coalesce(OLD.source_id, 0), OLD.stage_id,
           (SELECT group_concat(s) FROM (SELECT stage_id AS s FROM stage_moves
             WHERE entity = 'deal' AND record_id = OLD.id UNION SELECT OLD.stage_id ORDER BY 1)),
           coalesce(OLD.currency, ''), -1, -coalesce(OLD.amount_minor, 0)
      FROM tally_units u WHERE 1
    ON CONFLICT DO UPDATE SET records = records + excluded.records, amount_minor = amount_minor + excluded.amount_minor;
END;

-- An activity's rows: by its deadline (open or done), by when it was done (on time or late).
CREATE TRIGGER activities_tally_insert AFTER INSERT ON activities
BEGIN
    INSERT INTO activity_tallies
    SELECT CASE WHEN NEW.completed THEN 'due_done' ELSE 'due_open' END, u.unit, NEW.deadline / u.unit,
           coalesce(NEW.responsible_id, 0), NEW.kind, 1
      FROM tally_units u WHERE 1
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO activity_tallies
    SELECT CASE WHEN NEW.completed_at > NEW.deadline THEN 'late' ELSE 'done' END, u.unit, NEW.completed_at / u.unit,
           coalesce(NEW.responsible_id, 0), NEW.kind, 1
      FROM tally_units u WHERE NEW.completed_at IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER activities_tally_change AFTER UPDATE OF kind, responsible_id, deadline, completed, completed_at ON activities
WHEN NEW.kind IS NOT OLD.kind OR NEW.responsible_id IS NOT OLD.responsible_id OR NEW.deadline IS NOT OLD.deadline
  OR NEW.completed IS NOT OLD.completed OR NEW.completed_at IS NOT OLD.completed_at
BEGIN
    INSERT INTO activity_tallies
    SELECT CASE WHEN OLD.completed THEN 'due_done' ELSE 'due_open' END, u.unit, OLD.deadline / u.unit,
           coalesce(OLD.responsible_id, 0), OLD.kind, -1
      FROM tally_units u WHERE 1
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO activity_tallies
    SELECT CASE WHEN OLD.completed_at > OLD.deadline THEN 'late' ELSE 'done' END, u.unit, OLD.completed_at / u.unit,
           coalesce(OLD.responsible_id, 0), OLD.kind, -1
      FROM tally_units u WHERE OLD.completed_at IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO activity_tallies
    SELECT CASE WHEN NEW.completed THEN 'due_done' ELSE 'due_open' END, u.unit, NEW.deadline / u.unit,
           coalesce(NEW.responsible_id, 0), NEW.kind, 1
      FROM tally_units u WHERE 1
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO activity_tallies
    SELECT CASE WHEN NEW.completed_at > NEW.deadline THEN 'late' ELSE 'done' END, u.unit, NEW.completed_at / u.unit,
           coalesce(NEW.responsible_id, 0), NEW.kind, 1
      FROM tally_units u WHERE NEW.completed_at IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER activities_tally_delete AFTER DELETE ON activities
BEGIN
    INSERT INTO activity_tallies
    SELECT CASE WHEN OLD.completed THEN 'due_done' ELSE 'due_open' END, u.unit, OLD.deadline / u.unit,
           coalesce(OLD.responsible_id, 0), OLD.kind, -1
      FROM tally_units u WHERE 1
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO activity_tallies
    SELECT CASE WHEN OLD.completed_at > OLD.deadline THEN 'late' ELSE 'done' END, u.unit, OLD.completed_at / u.unit,
           coalesce(OLD.responsible_id, 0), OLD.kind, -1
      FROM tally_units u WHERE OLD.completed_at IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
