-- Version 13: the counts the sales head's reports add up, as SQLite's migration 23 (issue 29:
-- each report within 150 ms at a million leads). Kept by triggers that run as the schema's
-- owner; a user's own role reads the rows of the responsibles its level reaches.
CREATE TABLE tally_units (unit BIGINT PRIMARY KEY);
INSERT INTO tally_units VALUES (3600000), (86400000);

CREATE TABLE record_tallies (
    entity         TEXT NOT NULL,
    unit           BIGINT NOT NULL,
    bucket         BIGINT NOT NULL,
    lead_bucket    BIGINT NOT NULL,
    pipeline_id    BIGINT NOT NULL,
    responsible_id BIGINT NOT NULL,
    source_id      BIGINT NOT NULL,
    stage_id       BIGINT NOT NULL,
    visited        TEXT NOT NULL,
    currency       TEXT NOT NULL,
    records        BIGINT NOT NULL,
    amount_minor   BIGINT NOT NULL,
    PRIMARY KEY (entity, unit, bucket, lead_bucket, pipeline_id, responsible_id, source_id, stage_id, visited, currency)
);
CREATE INDEX record_tallies_lead_bucket ON record_tallies(entity, unit, lead_bucket);

CREATE TABLE activity_tallies (
    what           TEXT NOT NULL CHECK (what IN ('due_open', 'due_done', 'done', 'late')),
    unit           BIGINT NOT NULL,
    bucket         BIGINT NOT NULL,
    responsible_id BIGINT NOT NULL,
    kind           TEXT NOT NULL,
    n              BIGINT NOT NULL,
    PRIMARY KEY (what, unit, bucket, responsible_id, kind)
);

-- A record's first stage (when it came in) is told from its moves: a past period's funnel
-- corrects only the records moved since its end, found by this index.
ALTER TABLE stage_moves ADD COLUMN first BIGINT NOT NULL DEFAULT 0;
UPDATE stage_moves SET first = 1 WHERE id IN (SELECT min(id) FROM stage_moves GROUP BY entity, record_id);
CREATE INDEX stage_moves_since ON stage_moves(entity, at, record_id) WHERE first = 0;

CREATE OR REPLACE FUNCTION prospect_stage_moves() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    kind TEXT := CASE TG_TABLE_NAME WHEN 'leads' THEN 'lead' ELSE 'deal' END;
BEGIN
    IF TG_LEVEL = 'STATEMENT' THEN
        INSERT INTO stage_moves (entity, record_id, stage_id, at, first)
        SELECT kind, n.id, n.stage_id, n.moved_at, 1 FROM new_rows n ORDER BY n.id;
    ELSE
        INSERT INTO stage_moves (entity, record_id, stage_id, at) VALUES (kind, NEW.id, NEW.stage_id, NEW.moved_at);
    END IF;
    RETURN NULL;
END $$;

ALTER TABLE record_tallies ENABLE ROW LEVEL SECURITY;
CREATE POLICY prospect_read ON record_tallies FOR SELECT USING (
    CASE entity WHEN 'lead' THEN (SELECT prospect_level('lead', 'read')) ELSE (SELECT prospect_level('deal', 'read')) END = 4
    OR (CASE entity WHEN 'lead' THEN (SELECT prospect_level('lead', 'read')) ELSE (SELECT prospect_level('deal', 'read')) END > 0
        AND (responsible_id = 0 OR responsible_id = ANY (CASE entity WHEN 'lead' THEN (SELECT prospect_reach('lead', 'read'))
                                                         ELSE (SELECT prospect_reach('deal', 'read')) END))));
ALTER TABLE activity_tallies ENABLE ROW LEVEL SECURITY;
CREATE POLICY prospect_read ON activity_tallies FOR SELECT USING (
    (SELECT prospect_level('activity', 'read')) = 4
    OR ((SELECT prospect_level('activity', 'read')) > 0
        AND (responsible_id = 0 OR responsible_id = ANY ((SELECT prospect_reach('activity', 'read'))::bigint[]))));

-- The stages a record has been in (its stage included), ids in order: part of its key.
CREATE FUNCTION prospect_visited(p_entity TEXT, p_id BIGINT, p_stage BIGINT) RETURNS TEXT
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT string_agg(s::text, ',' ORDER BY s)
      FROM (SELECT stage_id AS s FROM stage_moves WHERE entity = p_entity AND record_id = p_id UNION SELECT p_stage) x
$$;

-- One record added to (sign 1) or taken from (-1) its key's rows (by hour and by day).
CREATE FUNCTION prospect_tally_record(p_entity TEXT, p_created BIGINT, p_lead BIGINT, p_pipeline BIGINT,
    p_responsible BIGINT, p_source BIGINT, p_stage BIGINT, p_visited TEXT, p_currency TEXT, p_amount BIGINT,
    p_sign INTEGER) RETURNS void
LANGUAGE sql SECURITY DEFINER AS $$
    INSERT INTO record_tallies
    SELECT p_entity, u.unit, p_created / u.unit, coalesce((SELECT created_at / u.unit FROM leads WHERE id = p_lead), -1),
           coalesce(p_pipeline, 0), coalesce(p_responsible, 0), coalesce(p_source, 0), p_stage, p_visited,
           coalesce(p_currency, ''), p_sign, p_sign * coalesce(p_amount, 0)
      FROM tally_units u ORDER BY u.unit
    ON CONFLICT (entity, unit, bucket, lead_bucket, pipeline_id, responsible_id, source_id, stage_id, visited, currency)
    DO UPDATE SET records = record_tallies.records + excluded.records,
                  amount_minor = record_tallies.amount_minor + excluded.amount_minor
$$;

-- Records written in a statement (a bulk load's thousands) are added in one insert; a change
-- or a deletion moves its record's count. Fires before the stage moves' own trigger (names
-- in order), so the old key is read before the new move is kept.
CREATE FUNCTION prospect_record_tallies() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    kind TEXT := CASE TG_TABLE_NAME WHEN 'leads' THEN 'lead' ELSE 'deal' END;
BEGIN
    IF TG_LEVEL = 'STATEMENT' THEN
        IF kind = 'lead' THEN
            INSERT INTO record_tallies
            SELECT 'lead', u.unit, n.created_at / u.unit, -1, 0, coalesce(n.responsible_id, 0), coalesce(n.source_id, 0),
                   n.stage_id, n.stage_id::text, coalesce(n.currency, ''), count(*), sum(coalesce(n.amount_minor, 0))
              FROM new_rows n, tally_units u GROUP BY 2, 3, 6, 7, 8, 9, 10 ORDER BY 2, 3, 6, 7, 8, 9, 10
            ON CONFLICT (entity, unit, bucket, lead_bucket, pipeline_id, responsible_id, source_id, stage_id, visited, currency)
            DO UPDATE SET records = record_tallies.records + excluded.records,
                          amount_minor = record_tallies.amount_minor + excluded.amount_minor;
        ELSE
            INSERT INTO record_tallies
            SELECT 'deal', u.unit, n.created_at / u.unit, coalesce(l.created_at / u.unit, -1), n.pipeline_id,
                   coalesce(n.responsible_id, 0), coalesce(n.source_id, 0), n.stage_id, n.stage_id::text,
                   coalesce(n.currency, ''), count(*), sum(coalesce(n.amount_minor, 0))
              FROM new_rows n LEFT JOIN leads l ON l.id = n.lead_id CROSS JOIN tally_units u
             GROUP BY 2, 3, 4, 5, 6, 7, 8, 9, 10 ORDER BY 2, 3, 4, 5, 6, 7, 8, 9, 10
            ON CONFLICT (entity, unit, bucket, lead_bucket, pipeline_id, responsible_id, source_id, stage_id, visited, currency)
            DO UPDATE SET records = record_tallies.records + excluded.records,
                          amount_minor = record_tallies.amount_minor + excluded.amount_minor;
        END IF;
        RETURN NULL;
    END IF;
    IF kind = 'lead' THEN
        PERFORM prospect_tally_record('lead', OLD.created_at, NULL, 0, OLD.responsible_id, OLD.source_id, OLD.stage_id,
            prospect_visited('lead', OLD.id, OLD.stage_id), OLD.currency, OLD.amount_minor, -1);
        IF TG_OP = 'UPDATE' THEN
            PERFORM prospect_tally_record('lead', NEW.created_at, NULL, 0, NEW.responsible_id, NEW.source_id,
                NEW.stage_id, prospect_visited('lead', NEW.id, NEW.stage_id), NEW.currency, NEW.amount_minor, 1);
        END IF;
    ELSE
        PERFORM prospect_tally_record('deal', OLD.created_at, OLD.lead_id, OLD.pipeline_id, OLD.responsible_id,
            OLD.source_id, OLD.stage_id, prospect_visited('deal', OLD.id, OLD.stage_id), OLD.currency,
            OLD.amount_minor, -1);
        IF TG_OP = 'UPDATE' THEN
            PERFORM prospect_tally_record('deal', NEW.created_at, NEW.lead_id, NEW.pipeline_id, NEW.responsible_id,
                NEW.source_id, NEW.stage_id, prospect_visited('deal', NEW.id, NEW.stage_id), NEW.currency,
                NEW.amount_minor, 1);
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER leads_reports_tally_insert AFTER INSERT ON leads
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION prospect_record_tallies();
CREATE TRIGGER leads_reports_tally_change
    AFTER UPDATE OF stage_id, responsible_id, source_id, amount_minor, currency, created_at ON leads
    FOR EACH ROW WHEN (NEW.stage_id IS DISTINCT FROM OLD.stage_id OR NEW.responsible_id IS DISTINCT FROM OLD.responsible_id
        OR NEW.source_id IS DISTINCT FROM OLD.source_id OR NEW.amount_minor IS DISTINCT FROM OLD.amount_minor
        OR NEW.currency IS DISTINCT FROM OLD.currency OR NEW.created_at IS DISTINCT FROM OLD.created_at)
    EXECUTE FUNCTION prospect_record_tallies();
CREATE TRIGGER leads_reports_tally_delete AFTER DELETE ON leads
    FOR EACH ROW EXECUTE FUNCTION prospect_record_tallies();
CREATE TRIGGER deals_reports_tally_insert AFTER INSERT ON deals
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION prospect_record_tallies();
CREATE TRIGGER deals_reports_tally_change
    AFTER UPDATE OF stage_id, responsible_id, source_id, amount_minor, currency, created_at, pipeline_id, lead_id ON deals
    FOR EACH ROW WHEN (NEW.stage_id IS DISTINCT FROM OLD.stage_id OR NEW.responsible_id IS DISTINCT FROM OLD.responsible_id
        OR NEW.source_id IS DISTINCT FROM OLD.source_id OR NEW.amount_minor IS DISTINCT FROM OLD.amount_minor
        OR NEW.currency IS DISTINCT FROM OLD.currency OR NEW.created_at IS DISTINCT FROM OLD.created_at
        OR NEW.pipeline_id IS DISTINCT FROM OLD.pipeline_id OR NEW.lead_id IS DISTINCT FROM OLD.lead_id)
    EXECUTE FUNCTION prospect_record_tallies();
CREATE TRIGGER deals_reports_tally_delete AFTER DELETE ON deals
    FOR EACH ROW EXECUTE FUNCTION prospect_record_tallies();

-- A deleted lead's deals let go of it first: their tallies move from the lead's period while
-- the lead is there to say when it came in (the reference's own SET NULL comes too late).
CREATE FUNCTION prospect_release_lead() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    UPDATE deals SET lead_id = NULL WHERE lead_id = OLD.id;
    RETURN OLD;
END $$;
CREATE TRIGGER leads_reports_release BEFORE DELETE ON leads
    FOR EACH ROW EXECUTE FUNCTION prospect_release_lead();

-- An activity's two rows: by its deadline (open or done), by when it was done (on time or late).
CREATE FUNCTION prospect_activity_tallies() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    IF TG_LEVEL = 'STATEMENT' THEN
        INSERT INTO activity_tallies
        SELECT x.what, u.unit, x.at / u.unit, x.responsible_id, x.kind, count(*)
          FROM (SELECT CASE WHEN n.completed THEN 'due_done' ELSE 'due_open' END AS what, n.deadline AS at,
                       coalesce(n.responsible_id, 0) AS responsible_id, n.kind
                  FROM new_rows n
                UNION ALL
                SELECT CASE WHEN n.completed_at > n.deadline THEN 'late' ELSE 'done' END, n.completed_at,
                       coalesce(n.responsible_id, 0), n.kind
                  FROM new_rows n WHERE n.completed_at IS NOT NULL) x CROSS JOIN tally_units u
         GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (what, unit, bucket, responsible_id, kind) DO UPDATE SET n = activity_tallies.n + excluded.n;
        RETURN NULL;
    END IF;
    INSERT INTO activity_tallies
    SELECT x.what, u.unit, x.at / u.unit, x.responsible_id, x.kind, sum(x.n)
      FROM (SELECT CASE WHEN OLD.completed THEN 'due_done' ELSE 'due_open' END AS what, OLD.deadline AS at,
                   coalesce(OLD.responsible_id, 0) AS responsible_id, OLD.kind AS kind, -1 AS n
            UNION ALL
            SELECT CASE WHEN OLD.completed_at > OLD.deadline THEN 'late' ELSE 'done' END, OLD.completed_at,
                   coalesce(OLD.responsible_id, 0), OLD.kind, -1 WHERE OLD.completed_at IS NOT NULL
            UNION ALL
            SELECT CASE WHEN NEW.completed THEN 'due_done' ELSE 'due_open' END, NEW.deadline,
                   coalesce(NEW.responsible_id, 0), NEW.kind, 1 WHERE TG_OP = 'UPDATE'
            UNION ALL
            SELECT CASE WHEN NEW.completed_at > NEW.deadline THEN 'late' ELSE 'done' END, NEW.completed_at,
                   coalesce(NEW.responsible_id, 0), NEW.kind, 1 WHERE TG_OP = 'UPDATE' AND NEW.completed_at IS NOT NULL) x
      CROSS JOIN tally_units u
     GROUP BY 1, 2, 3, 4, 5 HAVING sum(x.n) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (what, unit, bucket, responsible_id, kind) DO UPDATE SET n = activity_tallies.n + excluded.n;
    RETURN NULL;
END $$;

CREATE TRIGGER activities_reports_tally_insert AFTER INSERT ON activities
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION prospect_activity_tallies();
CREATE TRIGGER activities_reports_tally_change
    AFTER UPDATE OF kind, responsible_id, deadline, completed, completed_at ON activities
    FOR EACH ROW WHEN (NEW.kind IS DISTINCT FROM OLD.kind OR NEW.responsible_id IS DISTINCT FROM OLD.responsible_id
        OR NEW.deadline IS DISTINCT FROM OLD.deadline OR NEW.completed IS DISTINCT FROM OLD.completed
        OR NEW.completed_at IS DISTINCT FROM OLD.completed_at)
    EXECUTE FUNCTION prospect_activity_tallies();
CREATE TRIGGER activities_reports_tally_delete AFTER DELETE ON activities
    FOR EACH ROW EXECUTE FUNCTION prospect_activity_tallies();

DO $$
DECLARE
    f TEXT;
BEGIN
    FOR f IN VALUES ('prospect_visited(text, bigint, bigint)'), ('prospect_stage_moves()'),
                    ('prospect_tally_record(text, bigint, bigint, bigint, bigint, bigint, bigint, text, text, bigint, integer)'),
                    ('prospect_record_tallies()'), ('prospect_activity_tallies()'), ('prospect_release_lead()') LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_catalog, pg_temp', f, current_schema());
    END LOOP;
END $$;

-- The helpers are the triggers' alone (as the totals', migration 4): a user's role neither
-- writes a tally nor reads the stages of a record it does not see through them.
REVOKE EXECUTE ON FUNCTION prospect_visited(TEXT, BIGINT, BIGINT) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION prospect_tally_record(TEXT, BIGINT, BIGINT, BIGINT, BIGINT, BIGINT, BIGINT, TEXT, TEXT, BIGINT, INTEGER) FROM PUBLIC;

-- The conversion report's median reads the converted leads of a period one by one, from the index alone.
CREATE INDEX leads_stage_created ON leads(stage_id, created_at) INCLUDE (closed_at, responsible_id, source_id, id);
