-- Version 9: the count and amount of every Kanban column, kept as records change.
--
-- A board's column heads (how many cards, how much in each currency) were a GROUP BY over
-- every lead of the pipeline: about 8 ms at 100k leads, paid again after every stage move
-- and every refresh, which made a move typed on the Kanban take 16-21 ms (p99 28 ms, budget
-- 16). The triggers below keep one row per (stage, currency) up to date in the statement
-- that changes a record, whoever writes (every path of the app, any version of it from now
-- on, or a script), so the heads are a read of a few rows. A record without a currency is
-- counted under ''; one without an amount adds 0. `store::records::Store::board` reads it.
CREATE TABLE stage_totals (
    stage_id     INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    records      INTEGER NOT NULL,
    amount_minor INTEGER NOT NULL,
    PRIMARY KEY (stage_id, currency)
) WITHOUT ROWID;

INSERT INTO stage_totals (stage_id, currency, records, amount_minor)
SELECT stage_id, coalesce(currency, ''), count(*), coalesce(sum(amount_minor), 0) FROM leads GROUP BY 1, 2
UNION ALL
SELECT stage_id, coalesce(currency, ''), count(*), coalesce(sum(amount_minor), 0) FROM deals GROUP BY 1, 2;

CREATE TRIGGER leads_totals_insert AFTER INSERT ON leads BEGIN
    INSERT INTO stage_totals (stage_id, currency, records, amount_minor)
    VALUES (NEW.stage_id, coalesce(NEW.currency, ''), 1, coalesce(NEW.amount_minor, 0))
    ON CONFLICT (stage_id, currency) DO UPDATE SET
        records = records + 1, amount_minor = amount_minor + excluded.amount_minor;
END;

CREATE TRIGGER leads_totals_delete AFTER DELETE ON leads BEGIN
    UPDATE stage_totals SET records = records - 1, amount_minor = amount_minor - coalesce(OLD.amount_minor, 0)
    WHERE stage_id = OLD.stage_id AND currency = coalesce(OLD.currency, '');
END;

CREATE TRIGGER leads_totals_update AFTER UPDATE OF stage_id, currency, amount_minor ON leads BEGIN
    UPDATE stage_totals SET records = records - 1, amount_minor = amount_minor - coalesce(OLD.amount_minor, 0)
    WHERE stage_id = OLD.stage_id AND currency = coalesce(OLD.currency, '');
    INSERT INTO stage_totals (stage_id, currency, records, amount_minor)
    VALUES (NEW.stage_id, coalesce(NEW.currency, ''), 1, coalesce(NEW.amount_minor, 0))
    ON CONFLICT (stage_id, currency) DO UPDATE SET
        records = records + 1, amount_minor = amount_minor + excluded.amount_minor;
END;

CREATE TRIGGER deals_totals_insert AFTER INSERT ON deals BEGIN
    INSERT INTO stage_totals (stage_id, currency, records, amount_minor)
    VALUES (NEW.stage_id, coalesce(NEW.currency, ''), 1, coalesce(NEW.amount_minor, 0))
    ON CONFLICT (stage_id, currency) DO UPDATE SET
        records = records + 1, amount_minor = amount_minor + excluded.amount_minor;
END;

CREATE TRIGGER deals_totals_delete AFTER DELETE ON deals BEGIN
    UPDATE stage_totals SET records = records - 1, amount_minor = amount_minor - coalesce(OLD.amount_minor, 0)
    WHERE stage_id = OLD.stage_id AND currency = coalesce(OLD.currency, '');
END;

CREATE TRIGGER deals_totals_update AFTER UPDATE OF stage_id, currency, amount_minor ON deals BEGIN
    UPDATE stage_totals SET records = records - 1, amount_minor = amount_minor - coalesce(OLD.amount_minor, 0)
    WHERE stage_id = OLD.stage_id AND currency = coalesce(OLD.currency, '');
    INSERT INTO stage_totals (stage_id, currency, records, amount_minor)
    VALUES (NEW.stage_id, coalesce(NEW.currency, ''), 1, coalesce(NEW.amount_minor, 0))
    ON CONFLICT (stage_id, currency) DO UPDATE SET
        records = records + 1, amount_minor = amount_minor + excluded.amount_minor;
END;
