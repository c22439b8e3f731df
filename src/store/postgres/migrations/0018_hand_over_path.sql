-- Version 18: `prospect_hand_over` (version 17) runs as the tables' owner, so what it calls
-- must be what PostgreSQL ships, never a function of the same name a connected person made
-- in a schema they may create in: pg_catalog comes first on its path and its catalogue
-- calls are written in full. Only Prospect's own roles (and the owner) may call it.
CREATE OR REPLACE FUNCTION prospect_hand_over(p_entity TEXT, p_id BIGINT, p_responsible BIGINT) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    t TEXT := CASE p_entity WHEN 'lead' THEN 'leads' WHEN 'deal' THEN 'deals'
                            WHEN 'contact' THEN 'contacts' WHEN 'company' THEN 'companies' END;
    n INTEGER;
BEGIN
    IF t IS NULL THEN
        RETURN false;
    END IF;
    -- The tables' owners (the administrators' connection) and roles that bypass row-level
    -- security are not held to the policies: nor here.
    IF pg_catalog.pg_has_role(session_user,
                              (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass(t)),
                              'USAGE')
       OR coalesce((SELECT r.rolsuper OR r.rolbypassrls FROM pg_catalog.pg_roles r WHERE r.rolname = session_user),
                   false) THEN
        EXECUTE pg_catalog.format('UPDATE %I SET responsible_id = $1 WHERE id = $2', t) USING p_responsible, p_id;
        GET DIAGNOSTICS n = ROW_COUNT;
        RETURN n = 1;
    END IF;
    EXECUTE pg_catalog.format(
        'UPDATE %I SET responsible_id = $1 WHERE id = $2 AND ((SELECT prospect_level(%L, ''update'')) = 4 '
        'OR ((SELECT prospect_level(%L, ''update'')) > 0 AND (responsible_id IS NULL '
        'OR responsible_id = ANY ((SELECT prospect_reach(%L, ''update''))::bigint[]))))',
        t, p_entity, p_entity, p_entity)
        USING p_responsible, p_id;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n = 1;
END $$;
DO $$
DECLARE
    r TEXT;
BEGIN
    EXECUTE format('ALTER FUNCTION prospect_hand_over(text, bigint, bigint) SET search_path = pg_catalog, %I, pg_temp',
                   current_schema());
    REVOKE EXECUTE ON FUNCTION prospect_hand_over(text, bigint, bigint) FROM PUBLIC;
    FOR r IN SELECT db_role FROM users WHERE db_role IS NOT NULL LOOP
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION prospect_hand_over(text, bigint, bigint) TO %I', r);
        END IF;
    END LOOP;
END $$;
