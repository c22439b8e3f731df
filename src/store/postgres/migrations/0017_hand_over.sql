-- Version 17: a record given to someone out of its giver's sight. Row-level security checks an
-- UPDATE's new row against the reading policy too, so a person whose level reaches only their
-- own records could not give one away, as the app lets them (and as a stage rule handing a
-- record on does for them). This changes the responsible alone, as the tables' owner, after
-- the update policy's own check on the row as it stands; `prospect_level` still reads who is
-- connected (`session_user`).
CREATE FUNCTION prospect_hand_over(p_entity TEXT, p_id BIGINT, p_responsible BIGINT) RETURNS boolean
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
    IF pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = to_regclass(t)), 'USAGE')
       OR coalesce((SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = session_user), false) THEN
        EXECUTE format('UPDATE %I SET responsible_id = $1 WHERE id = $2', t) USING p_responsible, p_id;
        GET DIAGNOSTICS n = ROW_COUNT;
        RETURN n = 1;
    END IF;
    EXECUTE format(
        'UPDATE %I SET responsible_id = $1 WHERE id = $2 AND ((SELECT prospect_level(%L, ''update'')) = 4 '
        'OR ((SELECT prospect_level(%L, ''update'')) > 0 AND (responsible_id IS NULL '
        'OR responsible_id = ANY ((SELECT prospect_reach(%L, ''update''))::bigint[]))))',
        t, p_entity, p_entity, p_entity)
        USING p_responsible, p_id;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n = 1;
END $$;
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION prospect_hand_over(text, bigint, bigint) SET search_path = %I, pg_catalog, pg_temp',
                   current_schema());
END $$;
