-- Version 14: the reports' longer periods and the forecast within 150 ms at a million leads,
-- as SQLite's migration 24 (issue 29). The tallies are kept by weeks and by four weeks too
-- (from the epoch); the new units' rows are added up from the days'.
INSERT INTO tally_units VALUES (604800000), (2419200000);
INSERT INTO record_tallies
SELECT r.entity, w.unit, r.bucket * 86400000 / w.unit,
       CASE WHEN r.lead_bucket = -1 THEN -1 ELSE r.lead_bucket * 86400000 / w.unit END,
       r.pipeline_id, r.responsible_id, r.source_id, r.stage_id, r.visited, r.currency, sum(r.records), sum(r.amount_minor)
  FROM record_tallies r CROSS JOIN tally_units w
 WHERE r.unit = 86400000 AND w.unit > 86400000
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
INSERT INTO activity_tallies
SELECT a.what, w.unit, a.bucket * 86400000 / w.unit, a.responsible_id, a.kind, sum(a.n)
  FROM activity_tallies a CROSS JOIN tally_units w
 WHERE a.unit = 86400000 AND w.unit > 86400000
 GROUP BY 1, 2, 3, 4, 5;

-- The leads-to-deals funnel reads the deals' tallies by when their lead came in: from the
-- index alone where the pages allow.
DROP INDEX record_tallies_lead_bucket;
CREATE INDEX record_tallies_lead_bucket ON record_tallies(entity, unit, lead_bucket)
    INCLUDE (bucket, pipeline_id, responsible_id, source_id, stage_id, visited, currency, records, amount_minor);

-- The deals of a period read one by one (a funnel of deals over a period not on an hour, in a
-- half-hour time zone) are found by this index rather than by reading every deal.
CREATE INDEX deals_created ON deals(created_at);

-- The deals by what the forecast tells apart: see SQLite's migration 24.
CREATE TABLE forecast_tallies (
    pipeline_id    BIGINT NOT NULL,
    stage_id       BIGINT NOT NULL,
    responsible_id BIGINT NOT NULL,
    source_id      BIGINT NOT NULL,
    month          TEXT NOT NULL,
    probability    BIGINT NOT NULL,
    currency       TEXT NOT NULL,
    deals          BIGINT NOT NULL,
    amount_minor   BIGINT NOT NULL,
    PRIMARY KEY (pipeline_id, stage_id, responsible_id, source_id, month, probability, currency)
);
ALTER TABLE forecast_tallies ENABLE ROW LEVEL SECURITY;
CREATE POLICY prospect_read ON forecast_tallies FOR SELECT USING (
    (SELECT prospect_level('deal', 'read')) = 4
    OR ((SELECT prospect_level('deal', 'read')) > 0
        AND (responsible_id = 0 OR responsible_id = ANY ((SELECT prospect_reach('deal', 'read'))::bigint[]))));

-- Deals written in a statement are added in one insert; a change or a deletion moves its
-- deal's count.
CREATE FUNCTION prospect_forecast_tallies() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    IF TG_LEVEL = 'STATEMENT' THEN
        INSERT INTO forecast_tallies
        SELECT n.pipeline_id, n.stage_id, coalesce(n.responsible_id, 0), coalesce(n.source_id, 0),
               coalesce(substr(n.close_date, 1, 7), ''), coalesce(n.probability, -1), coalesce(n.currency, ''),
               count(*), sum(coalesce(n.amount_minor, 0))
          FROM new_rows n GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT (pipeline_id, stage_id, responsible_id, source_id, month, probability, currency)
        DO UPDATE SET deals = forecast_tallies.deals + excluded.deals,
                      amount_minor = forecast_tallies.amount_minor + excluded.amount_minor;
        RETURN NULL;
    END IF;
    INSERT INTO forecast_tallies
    SELECT x.pipeline_id, x.stage_id, x.responsible_id, x.source_id, x.month, x.probability, x.currency,
           sum(x.deals), sum(x.amount_minor)
      FROM (SELECT OLD.pipeline_id AS pipeline_id, OLD.stage_id AS stage_id, coalesce(OLD.responsible_id, 0) AS responsible_id,
                   coalesce(OLD.source_id, 0) AS source_id, coalesce(substr(OLD.close_date, 1, 7), '') AS month,
                   coalesce(OLD.probability, -1) AS probability, coalesce(OLD.currency, '') AS currency,
                   -1 AS deals, -coalesce(OLD.amount_minor, 0) AS amount_minor
            UNION ALL
            SELECT NEW.pipeline_id, NEW.stage_id, coalesce(NEW.responsible_id, 0), coalesce(NEW.source_id, 0),
                   coalesce(substr(NEW.close_date, 1, 7), ''), coalesce(NEW.probability, -1), coalesce(NEW.currency, ''),
                   1, coalesce(NEW.amount_minor, 0) WHERE TG_OP = 'UPDATE') x
     GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (pipeline_id, stage_id, responsible_id, source_id, month, probability, currency)
    DO UPDATE SET deals = forecast_tallies.deals + excluded.deals,
                  amount_minor = forecast_tallies.amount_minor + excluded.amount_minor;
    RETURN NULL;
END $$;

CREATE TRIGGER deals_forecast_tally_insert AFTER INSERT ON deals
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION prospect_forecast_tallies();
CREATE TRIGGER deals_forecast_tally_change
    AFTER UPDATE OF pipeline_id, stage_id, responsible_id, source_id, close_date, probability, currency, amount_minor ON deals
    FOR EACH ROW WHEN (NEW.pipeline_id IS DISTINCT FROM OLD.pipeline_id OR NEW.stage_id IS DISTINCT FROM OLD.stage_id
        OR NEW.responsible_id IS DISTINCT FROM OLD.responsible_id OR NEW.source_id IS DISTINCT FROM OLD.source_id
        OR NEW.close_date IS DISTINCT FROM OLD.close_date OR NEW.probability IS DISTINCT FROM OLD.probability
        OR NEW.currency IS DISTINCT FROM OLD.currency OR NEW.amount_minor IS DISTINCT FROM OLD.amount_minor)
    EXECUTE FUNCTION prospect_forecast_tallies();
CREATE TRIGGER deals_forecast_tally_delete AFTER DELETE ON deals
    FOR EACH ROW EXECUTE FUNCTION prospect_forecast_tallies();

DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION prospect_forecast_tallies() SET search_path = %I, pg_catalog, pg_temp', current_schema());
END $$;
