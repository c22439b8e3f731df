-- Version 24: the reports' longer periods and the forecast within 150 ms at a million leads
-- (issue 29). The tallies of migration 23 are kept by weeks and by four weeks too (from the
-- epoch, each a whole number of days): a quarter or a year reads a few dozen of them and the
-- shorter units at its ends, rather than a row per day. The triggers count into every unit of
-- `tally_units`; the new units' rows are added up from the days'.
INSERT INTO tally_units VALUES (604800000), (2419200000);
INSERT INTO record_tallies
SELECT r.entity, w.unit, r.bucket * 86400000 / w.unit,
       CASE WHEN r.lead_bucket = -1 THEN -1 ELSE r.lead_bucket * 86400000 / w.unit END,
       r.pipeline_id, r.responsible_id, r.source_id, r.stage_id, r.visited, r.currency, sum(r.records), sum(r.amount_minor)
  FROM record_tallies r, tally_units w
 WHERE r.unit = 86400000 AND w.unit > 86400000
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
INSERT INTO activity_tallies
SELECT a.what, w.unit, a.bucket * 86400000 / w.unit, a.responsible_id, a.kind, sum(a.n)
  FROM activity_tallies a, tally_units w
 WHERE a.unit = 86400000 AND w.unit > 86400000
 GROUP BY 1, 2, 3, 4, 5;

-- The leads-to-deals funnel reads the deals' tallies by when their lead came in: from the
-- index alone (a WITHOUT ROWID table's index holds its key; the counts make it cover).
DROP INDEX record_tallies_lead_bucket;
CREATE INDEX record_tallies_lead_bucket ON record_tallies(entity, unit, lead_bucket, records, amount_minor);

-- The deals of a period read one by one (a funnel of deals over a period not on an hour, in a
-- half-hour time zone) are found by this index rather than by reading every deal.
CREATE INDEX deals_created ON deals(created_at);

-- `forecast_tallies`: the deals by what the forecast tells apart (pipeline, stage, responsible,
-- source, the month of the close date, '' without one, the deal's own probability, -1
-- without one, currency): how many and the sum of their amounts. The forecast reads the
-- open stages' rows and weighs each by its probability, or its stage's.
CREATE TABLE forecast_tallies (
    pipeline_id    INTEGER NOT NULL,
    stage_id       INTEGER NOT NULL,
    responsible_id INTEGER NOT NULL,
    source_id      INTEGER NOT NULL,
    month          TEXT NOT NULL,
    probability    INTEGER NOT NULL,
    currency       TEXT NOT NULL,
    deals          INTEGER NOT NULL,
    amount_minor   INTEGER NOT NULL,
    PRIMARY KEY (pipeline_id, stage_id, responsible_id, source_id, month, probability, currency)
) WITHOUT ROWID;

CREATE TRIGGER deals_forecast_insert AFTER INSERT ON deals
BEGIN
    INSERT INTO forecast_tallies
    VALUES (NEW.pipeline_id, NEW.stage_id, coalesce(NEW.responsible_id, 0), coalesce(NEW.source_id, 0),
            coalesce(substr(NEW.close_date, 1, 7), ''), coalesce(NEW.probability, -1), coalesce(NEW.currency, ''),
            1, coalesce(NEW.amount_minor, 0))
    ON CONFLICT DO UPDATE SET deals = deals + excluded.deals, amount_minor = amount_minor + excluded.amount_minor;
END;
CREATE TRIGGER deals_forecast_change
AFTER UPDATE OF pipeline_id, stage_id, responsible_id, source_id, close_date, probability, currency, amount_minor ON deals
WHEN NEW.pipeline_id IS NOT OLD.pipeline_id OR NEW.stage_id IS NOT OLD.stage_id
  OR NEW.responsible_id IS NOT OLD.responsible_id OR NEW.source_id IS NOT OLD.source_id
  OR NEW.close_date IS NOT OLD.close_date OR NEW.probability IS NOT OLD.probability
  OR NEW.currency IS NOT OLD.currency OR NEW.amount_minor IS NOT OLD.amount_minor
BEGIN
    INSERT INTO forecast_tallies
    VALUES (OLD.pipeline_id, OLD.stage_id, coalesce(OLD.responsible_id, 0), coalesce(OLD.source_id, 0),
            coalesce(substr(OLD.close_date, 1, 7), ''), coalesce(OLD.probability, -1), coalesce(OLD.currency, ''),
            -1, -coalesce(OLD.amount_minor, 0))
    ON CONFLICT DO UPDATE SET deals = deals + excluded.deals, amount_minor = amount_minor + excluded.amount_minor;
    INSERT INTO forecast_tallies
    VALUES (NEW.pipeline_id, NEW.stage_id, coalesce(NEW.responsible_id, 0), coalesce(NEW.source_id, 0),
            coalesce(substr(NEW.close_date, 1, 7), ''), coalesce(NEW.probability, -1), coalesce(NEW.currency, ''),
            1, coalesce(NEW.amount_minor, 0))
    ON CONFLICT DO UPDATE SET deals = deals + excluded.deals, amount_minor = amount_minor + excluded.amount_minor;
END;
CREATE TRIGGER deals_forecast_delete AFTER DELETE ON deals
BEGIN
    INSERT INTO forecast_tallies
    VALUES (OLD.pipeline_id, OLD.stage_id, coalesce(OLD.responsible_id, 0), coalesce(OLD.source_id, 0),
            coalesce(substr(OLD.close_date, 1, 7), ''), coalesce(OLD.probability, -1), coalesce(OLD.currency, ''),
            -1, -coalesce(OLD.amount_minor, 0))
    ON CONFLICT DO UPDATE SET deals = deals + excluded.deals, amount_minor = amount_minor + excluded.amount_minor;
END;
