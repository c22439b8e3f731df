-- Version 20: the Kanban's column totals kept once per statement for new and removed records
-- (issue 25), not once per row. A row at a time, every new lead of an import updated the same
-- few total rows again (138 µs a row at 100k leads), so a bulk load switched the triggers off
-- with `ALTER TABLE`, which only the tables' owner may do: a member's import of 20,000 rows
-- was refused. Moves and edits (one record, and a column list the statement form cannot
-- have) keep the row trigger.
CREATE FUNCTION prospect_statement_totals() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- As `prospect_add_to_total`: a total past a 64-bit amount is NULL (overflowed).
        INSERT INTO stage_totals (stage_id, currency, records, amount_minor)
        SELECT stage_id, currency, n,
               CASE WHEN s BETWEEN -9223372036854775808 AND 9223372036854775807 THEN s::bigint END
          FROM (SELECT stage_id, coalesce(currency, '') AS currency, count(*) AS n,
                       sum(coalesce(amount_minor, 0)::numeric) AS s
                  FROM new_rows GROUP BY 1, 2) a
         ORDER BY stage_id, currency
        ON CONFLICT (stage_id, currency) DO UPDATE
           SET records = stage_totals.records + excluded.records,
               amount_minor = CASE
                   WHEN stage_totals.amount_minor IS NULL OR excluded.amount_minor IS NULL THEN NULL
                   WHEN stage_totals.amount_minor::numeric + excluded.amount_minor::numeric
                        BETWEEN -9223372036854775808 AND 9223372036854775807
                   THEN stage_totals.amount_minor + excluded.amount_minor
               END;
    ELSE
        -- The rows locked in one order first, so two deletes cannot wait on each other.
        PERFORM 1 FROM stage_totals t
          WHERE (t.stage_id, t.currency) IN (SELECT stage_id, coalesce(currency, '') FROM old_rows)
          ORDER BY t.stage_id, t.currency FOR UPDATE;
        UPDATE stage_totals t
           SET records = t.records - o.n,
               amount_minor = CASE
                   WHEN t.amount_minor IS NULL THEN NULL
                   WHEN t.amount_minor::numeric - o.s BETWEEN -9223372036854775808 AND 9223372036854775807
                   THEN (t.amount_minor::numeric - o.s)::bigint
               END
          FROM (SELECT stage_id, coalesce(currency, '') AS currency, count(*) AS n,
                       sum(coalesce(amount_minor, 0)::numeric) AS s
                  FROM old_rows GROUP BY 1, 2) o
         WHERE t.stage_id = o.stage_id AND t.currency = o.currency;
    END IF;
    RETURN NULL;
END $$;

-- Kept as the owner, whoever writes a record. The catalog first, as migration 18 for the
-- hand-over: `count`, `sum` and the operators cannot be shadowed by a member's objects in a
-- schema they may create in; then Prospect's tables, never the session's temporary ones.
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION prospect_statement_totals() SECURITY DEFINER SET search_path = pg_catalog, %I, pg_temp',
                   current_schema());
END $$;

DROP TRIGGER leads_totals ON leads;
DROP TRIGGER deals_totals ON deals;
CREATE TRIGGER leads_totals AFTER UPDATE OF stage_id, currency, amount_minor ON leads
    FOR EACH ROW EXECUTE FUNCTION prospect_totals();
CREATE TRIGGER deals_totals AFTER UPDATE OF stage_id, currency, amount_minor ON deals
    FOR EACH ROW EXECUTE FUNCTION prospect_totals();
CREATE TRIGGER leads_totals_insert AFTER INSERT ON leads
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION prospect_statement_totals();
CREATE TRIGGER deals_totals_insert AFTER INSERT ON deals
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION prospect_statement_totals();
CREATE TRIGGER leads_totals_delete AFTER DELETE ON leads
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION prospect_statement_totals();
CREATE TRIGGER deals_totals_delete AFTER DELETE ON deals
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION prospect_statement_totals();
