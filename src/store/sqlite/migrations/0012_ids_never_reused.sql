-- Version 12: ids are never reused, and column totals never overflow.
--
-- SQLite gives a new row the highest id plus one, so deleting the newest lead handed its id
-- to the next one, and the deleted lead's history (comments included) showed on the new
-- record. The record tables become AUTOINCREMENT tables (migrate.rs, never_reuse_ids: the
-- table text changes in place, the rows do not), whose next id comes from sqlite_sequence,
-- seeded here from the highest id each kind ever had: in the table, its timeline, the
-- change log.
--
-- Histories already mixed by a reused id are set apart, never deleted: for each `deleted`
-- entry that a later entry of the same owner follows, the entries from the `created` entry
-- before it up to it belong to the earlier record, and move to the owner `<entity>:reused`
-- (same id), where no screen of the newer record reads them and `db check` counts them. (A
-- record merged into another brought its timeline along: starting at its `created` entry
-- keeps the older entries of the record it was merged into where they are.)
WITH deleted AS (
    SELECT d.entity_id, d.entity, d.id AS last
    FROM timeline d
    WHERE d.kind = 'deleted'
      AND EXISTS (SELECT 1 FROM timeline n WHERE n.entity_id = d.entity_id AND n.entity = d.entity AND n.id > d.id)
), span AS (
    SELECT x.entity_id, x.entity, x.last,
           coalesce((SELECT max(c.id) FROM timeline c
                     WHERE c.entity_id = x.entity_id AND c.entity = x.entity AND c.kind = 'created' AND c.id < x.last), 0)
               AS first
    FROM deleted x
)
UPDATE timeline SET entity = timeline.entity || ':reused'
FROM span s
WHERE timeline.entity_id = s.entity_id AND timeline.entity = s.entity AND timeline.id BETWEEN s.first AND s.last;

-- Column totals: a sum that no longer fits in 64 bits is kept as NULL ("count the records"),
-- never as a floating-point number, which SQLite's `+` makes on overflow and which broke the
-- board and `db check` for everyone. Readers count a NULL column from its records in 128 bits.
-- An amount that is not a whole number (written by another tool; `db check` names it) counts
-- as 0 here and in every reader, so one such value cannot break a column either.
DROP TRIGGER IF EXISTS leads_totals_insert;
DROP TRIGGER IF EXISTS leads_totals_delete;
DROP TRIGGER IF EXISTS leads_totals_update;
DROP TRIGGER IF EXISTS deals_totals_insert;
DROP TRIGGER IF EXISTS deals_totals_delete;
DROP TRIGGER IF EXISTS deals_totals_update;
DROP TABLE stage_totals;
CREATE TABLE stage_totals (
    stage_id     INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    records      INTEGER NOT NULL,
    amount_minor INTEGER,
    PRIMARY KEY (stage_id, currency)
) WITHOUT ROWID;

CREATE TRIGGER leads_totals_insert AFTER INSERT ON leads BEGIN
    INSERT INTO stage_totals (stage_id, currency, records, amount_minor)
    VALUES (NEW.stage_id, coalesce(NEW.currency, ''), 1, (CASE WHEN typeof(NEW.amount_minor) = 'integer' THEN NEW.amount_minor ELSE 0 END))
    ON CONFLICT (stage_id, currency) DO UPDATE SET records = records + 1,
        amount_minor = CASE WHEN typeof(amount_minor + excluded.amount_minor) = 'integer'
                            THEN amount_minor + excluded.amount_minor END;
END;

CREATE TRIGGER leads_totals_delete AFTER DELETE ON leads BEGIN
    UPDATE stage_totals SET records = records - 1,
        amount_minor = CASE WHEN typeof(amount_minor - (CASE WHEN typeof(OLD.amount_minor) = 'integer' THEN OLD.amount_minor ELSE 0 END)) = 'integer'
                            THEN amount_minor - (CASE WHEN typeof(OLD.amount_minor) = 'integer' THEN OLD.amount_minor ELSE 0 END) END
    WHERE stage_id = OLD.stage_id AND currency = coalesce(OLD.currency, '');
END;

CREATE TRIGGER leads_totals_update AFTER UPDATE OF stage_id, currency, amount_minor ON leads BEGIN
    UPDATE stage_totals SET records = records - 1,
        amount_minor = CASE WHEN typeof(amount_minor - (CASE WHEN typeof(OLD.amount_minor) = 'integer' THEN OLD.amount_minor ELSE 0 END)) = 'integer'
                            THEN amount_minor - (CASE WHEN typeof(OLD.amount_minor) = 'integer' THEN OLD.amount_minor ELSE 0 END) END
    WHERE stage_id = OLD.stage_id AND currency = coalesce(OLD.currency, '');
    INSERT INTO stage_totals (stage_id, currency, records, amount_minor)
    VALUES (NEW.stage_id, coalesce(NEW.currency, ''), 1, (CASE WHEN typeof(NEW.amount_minor) = 'integer' THEN NEW.amount_minor ELSE 0 END))
    ON CONFLICT (stage_id, currency) DO UPDATE SET records = records + 1,
        amount_minor = CASE WHEN typeof(amount_minor + excluded.amount_minor) = 'integer'
                            THEN amount_minor + excluded.amount_minor END;
END;

CREATE TRIGGER deals_totals_insert AFTER INSERT ON deals BEGIN
    INSERT INTO stage_totals (stage_id, currency, records, amount_minor)
    VALUES (NEW.stage_id, coalesce(NEW.currency, ''), 1, (CASE WHEN typeof(NEW.amount_minor) = 'integer' THEN NEW.amount_minor ELSE 0 END))
    ON CONFLICT (stage_id, currency) DO UPDATE SET records = records + 1,
        amount_minor = CASE WHEN typeof(amount_minor + excluded.amount_minor) = 'integer'
                            THEN amount_minor + excluded.amount_minor END;
END;

CREATE TRIGGER deals_totals_delete AFTER DELETE ON deals BEGIN
    UPDATE stage_totals SET records = records - 1,
        amount_minor = CASE WHEN typeof(amount_minor - (CASE WHEN typeof(OLD.amount_minor) = 'integer' THEN OLD.amount_minor ELSE 0 END)) = 'integer'
                            THEN amount_minor - (CASE WHEN typeof(OLD.amount_minor) = 'integer' THEN OLD.amount_minor ELSE 0 END) END
    WHERE stage_id = OLD.stage_id AND currency = coalesce(OLD.currency, '');
END;

CREATE TRIGGER deals_totals_update AFTER UPDATE OF stage_id, currency, amount_minor ON deals BEGIN
    UPDATE stage_totals SET records = records - 1,
        amount_minor = CASE WHEN typeof(amount_minor - (CASE WHEN typeof(OLD.amount_minor) = 'integer' THEN OLD.amount_minor ELSE 0 END)) = 'integer'
                            THEN amount_minor - (CASE WHEN typeof(OLD.amount_minor) = 'integer' THEN OLD.amount_minor ELSE 0 END) END
    WHERE stage_id = OLD.stage_id AND currency = coalesce(OLD.currency, '');
    INSERT INTO stage_totals (stage_id, currency, records, amount_minor)
    VALUES (NEW.stage_id, coalesce(NEW.currency, ''), 1, (CASE WHEN typeof(NEW.amount_minor) = 'integer' THEN NEW.amount_minor ELSE 0 END))
    ON CONFLICT (stage_id, currency) DO UPDATE SET records = records + 1,
        amount_minor = CASE WHEN typeof(amount_minor + excluded.amount_minor) = 'integer'
                            THEN amount_minor + excluded.amount_minor END;
END;
-- The totals themselves are counted again from the records by migrate.rs (in 128 bits).
