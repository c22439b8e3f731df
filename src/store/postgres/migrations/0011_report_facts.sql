-- Version 11: what the sales head's reports read (SPEC V8, issue 29), as SQLite's migration
-- 21: a stage's probability and rotting limit, and when a lead or deal reached a final stage
-- (`closed_at`), kept by a trigger on every path that writes a record.
ALTER TABLE stages ADD COLUMN probability BIGINT CHECK (probability BETWEEN 0 AND 100);
ALTER TABLE stages ADD COLUMN rot_days BIGINT CHECK (rot_days > 0);
ALTER TABLE leads ADD COLUMN closed_at BIGINT;
ALTER TABLE deals ADD COLUMN closed_at BIGINT;

UPDATE leads SET closed_at = moved_at
 WHERE stage_id IN (SELECT id FROM stages WHERE semantics <> 'in_progress');
UPDATE deals SET closed_at = moved_at
 WHERE stage_id IN (SELECT id FROM stages WHERE semantics <> 'in_progress');

CREATE INDEX deals_closed ON deals(closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX leads_closed ON leads(closed_at) WHERE closed_at IS NOT NULL;

CREATE FUNCTION prospect_closed_at() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    now_semantics TEXT;
    was_semantics TEXT;
BEGIN
    SELECT semantics INTO now_semantics FROM stages WHERE id = NEW.stage_id;
    IF now_semantics = 'in_progress' THEN
        NEW.closed_at := NULL;
    ELSIF TG_OP = 'INSERT' THEN
        NEW.closed_at := coalesce(NEW.closed_at, NEW.moved_at);
    ELSE
        SELECT semantics INTO was_semantics FROM stages WHERE id = OLD.stage_id;
        IF was_semantics IS DISTINCT FROM now_semantics OR OLD.closed_at IS NULL THEN
            NEW.closed_at := NEW.moved_at;
        END IF;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER leads_closed_insert BEFORE INSERT ON leads
    FOR EACH ROW EXECUTE FUNCTION prospect_closed_at();
CREATE TRIGGER leads_closed_move BEFORE UPDATE OF stage_id ON leads
    FOR EACH ROW WHEN (NEW.stage_id IS DISTINCT FROM OLD.stage_id) EXECUTE FUNCTION prospect_closed_at();
CREATE TRIGGER deals_closed_insert BEFORE INSERT ON deals
    FOR EACH ROW EXECUTE FUNCTION prospect_closed_at();
CREATE TRIGGER deals_closed_move BEFORE UPDATE OF stage_id ON deals
    FOR EACH ROW WHEN (NEW.stage_id IS DISTINCT FROM OLD.stage_id) EXECUTE FUNCTION prospect_closed_at();

-- As migration 4's functions: the tables it reads are Prospect's, whatever the client's path.
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION prospect_closed_at() SET search_path = %I, pg_catalog, pg_temp', current_schema());
END $$;
