-- Version 4: the server itself enforces the roles' levels (issue 26). Each person may connect
-- as a PostgreSQL role of their own (`users.db_role`, made by `prospect user add`); for such a
-- connection, row-level security shows and lets change exactly the records their Prospect
-- roles reach, whatever the client (Prospect, psql, a script). The owner of the tables (who
-- made the database and runs its migrations) is not subject to it: it is the administrators'
-- connection. The rule is `domain::access::Rights`, written here once more in SQL; the
-- contract suite runs the rights cases through these policies to keep the two equal.
ALTER TABLE users ADD COLUMN db_role TEXT UNIQUE;

-- A level's rank: none 0, own 1, department 2, subdepartments 3, all 4.
CREATE FUNCTION prospect_rank(level TEXT) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE level WHEN 'own' THEN 1 WHEN 'department' THEN 2 WHEN 'subdepartments' THEN 3
                      WHEN 'all' THEN 4 ELSE 0 END
$$;

-- The connected person's level for one right: an administrator's is 4, a deactivated user's
-- is 0 but to read and export, a connection that is nobody's is 0.
CREATE FUNCTION prospect_level(p_subject TEXT, p_action TEXT) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT coalesce((
        SELECT CASE
            WHEN NOT u.active AND p_action NOT IN ('read', 'export') THEN 0
            WHEN u.is_admin THEN 4
            ELSE coalesce((SELECT max(prospect_rank(g.level)) FROM user_roles ur
                           JOIN role_grants g ON g.role_id = ur.role_id
                           WHERE ur.user_id = u.id AND g.subject = p_subject AND g.action = p_action), 0)
        END
        FROM users u WHERE u.db_role = session_user), 0)
$$;

-- The users whose records the connected person's level for one right reaches: themselves
-- (own), their department's users, or those of their department and the ones under it.
CREATE FUNCTION prospect_reach(p_subject TEXT, p_action TEXT) RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    WITH RECURSIVE me AS (SELECT id, department_id FROM users WHERE db_role = session_user),
    under(id) AS (
        SELECT department_id FROM me WHERE department_id IS NOT NULL
        UNION
        SELECT d.id FROM departments d JOIN under ON d.parent_id = under.id
    )
    SELECT coalesce(CASE prospect_level(p_subject, p_action)
        WHEN 1 THEN (SELECT array_agg(id) FROM me)
        WHEN 2 THEN (SELECT array_agg(u.id) FROM users u, me
                     WHERE u.id = me.id OR u.department_id = me.department_id)
        WHEN 3 THEN (SELECT array_agg(u.id) FROM users u, me
                     WHERE u.id = me.id OR u.department_id IN (SELECT id FROM under))
    END, '{}'::bigint[])
$$;

-- The column totals are kept by their triggers as the owner, whoever writes a record.
ALTER FUNCTION prospect_add_to_total(BIGINT, TEXT, BIGINT, INTEGER) SECURITY DEFINER SET search_path FROM CURRENT;
ALTER FUNCTION prospect_totals() SECURITY DEFINER SET search_path FROM CURRENT;

DO $$
DECLARE
    t TEXT;
    s TEXT;
BEGIN
    FOR t, s IN VALUES ('leads', 'lead'), ('deals', 'deal'), ('contacts', 'contact'), ('companies', 'company') LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY prospect_read ON %I FOR SELECT USING ((SELECT prospect_level(%L, ''read'')) = 4 '
            'OR ((SELECT prospect_level(%L, ''read'')) > 0 AND (responsible_id IS NULL '
            'OR responsible_id = ANY ((SELECT prospect_reach(%L, ''read''))::bigint[]))))', t, s, s, s);
        EXECUTE format(
            'CREATE POLICY prospect_add ON %I FOR INSERT WITH CHECK ((SELECT prospect_level(%L, ''add'')) = 4 '
            'OR ((SELECT prospect_level(%L, ''add'')) > 0 AND (responsible_id IS NULL '
            'OR responsible_id = ANY ((SELECT prospect_reach(%L, ''add''))::bigint[]))))', t, s, s, s);
        -- A record may be given to anyone (as in the app): the check is on the row before.
        EXECUTE format(
            'CREATE POLICY prospect_update ON %I FOR UPDATE USING ((SELECT prospect_level(%L, ''update'')) = 4 '
            'OR ((SELECT prospect_level(%L, ''update'')) > 0 AND (responsible_id IS NULL '
            'OR responsible_id = ANY ((SELECT prospect_reach(%L, ''update''))::bigint[])))) WITH CHECK (true)', t, s, s, s);
        EXECUTE format(
            'CREATE POLICY prospect_delete ON %I FOR DELETE USING ((SELECT prospect_level(%L, ''delete'')) = 4 '
            'OR ((SELECT prospect_level(%L, ''delete'')) > 0 AND (responsible_id IS NULL '
            'OR responsible_id = ANY ((SELECT prospect_reach(%L, ''delete''))::bigint[]))))', t, s, s, s);
    END LOOP;
END $$;

-- Whether the record `entity`/`id` is one the connected person sees (the record tables'
-- policies apply inside): what a record's phones, history, search entry and links follow.
CREATE FUNCTION prospect_sees(p_entity TEXT, p_id BIGINT) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT CASE p_entity
        WHEN 'lead' THEN EXISTS (SELECT 1 FROM leads WHERE id = p_id)
        WHEN 'deal' THEN EXISTS (SELECT 1 FROM deals WHERE id = p_id)
        WHEN 'contact' THEN EXISTS (SELECT 1 FROM contacts WHERE id = p_id)
        WHEN 'company' THEN EXISTS (SELECT 1 FROM companies WHERE id = p_id)
        ELSE false
    END
$$;

-- What belongs to a record is seen, changed and deleted with it (the app deletes a record's
-- phones and search entry before the record). Written entries (a history line after a
-- deletion, a search entry) are accepted: the record's own policies decided the write.
DO $$
DECLARE
    t TEXT;
BEGIN
    FOR t IN VALUES ('comms'), ('timeline'), ('search') LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY prospect_read ON %I FOR SELECT USING (prospect_sees(entity, entity_id))', t);
        EXECUTE format('CREATE POLICY prospect_write ON %I FOR INSERT WITH CHECK (true)', t);
        EXECUTE format('CREATE POLICY prospect_change ON %I FOR UPDATE USING (prospect_sees(entity, entity_id)) WITH CHECK (true)', t);
        EXECUTE format('CREATE POLICY prospect_delete ON %I FOR DELETE USING (prospect_sees(entity, entity_id))', t);
    END LOOP;
END $$;

ALTER TABLE contact_companies ENABLE ROW LEVEL SECURITY;
CREATE POLICY prospect_read ON contact_companies FOR SELECT
    USING (prospect_sees('contact', contact_id) OR prospect_sees('company', company_id));
CREATE POLICY prospect_write ON contact_companies FOR INSERT WITH CHECK (true);
CREATE POLICY prospect_change ON contact_companies FOR UPDATE
    USING (prospect_sees('contact', contact_id) OR prospect_sees('company', company_id)) WITH CHECK (true);
CREATE POLICY prospect_delete ON contact_companies FOR DELETE
    USING (prospect_sees('contact', contact_id) OR prospect_sees('company', company_id));

-- An activity is seen by the level of its responsible, or with one of its records.
ALTER TABLE activities ENABLE ROW LEVEL SECURITY;
CREATE POLICY prospect_read ON activities FOR SELECT USING (
    (SELECT prospect_level('activity', 'read')) = 4
    OR ((SELECT prospect_level('activity', 'read')) > 0
        AND (responsible_id IS NULL OR responsible_id = ANY ((SELECT prospect_reach('activity', 'read'))::bigint[])))
    OR EXISTS (SELECT 1 FROM activity_bindings b WHERE b.activity_id = activities.id
               AND prospect_sees(b.entity, b.entity_id)));
CREATE POLICY prospect_write ON activities FOR INSERT WITH CHECK (true);
CREATE POLICY prospect_change ON activities FOR UPDATE USING (
    (SELECT prospect_level('activity', 'update')) = 4
    OR ((SELECT prospect_level('activity', 'update')) > 0
        AND (responsible_id IS NULL OR responsible_id = ANY ((SELECT prospect_reach('activity', 'update'))::bigint[])))
    OR EXISTS (SELECT 1 FROM activity_bindings b WHERE b.activity_id = activities.id
               AND prospect_sees(b.entity, b.entity_id))) WITH CHECK (true);
CREATE POLICY prospect_delete ON activities FOR DELETE USING (
    (SELECT prospect_level('activity', 'delete')) = 4
    OR ((SELECT prospect_level('activity', 'delete')) > 0
        AND (responsible_id IS NULL OR responsible_id = ANY ((SELECT prospect_reach('activity', 'delete'))::bigint[])))
    OR EXISTS (SELECT 1 FROM activity_bindings b WHERE b.activity_id = activities.id
               AND prospect_sees(b.entity, b.entity_id)));
ALTER TABLE activity_bindings ENABLE ROW LEVEL SECURITY;
CREATE POLICY prospect_read ON activity_bindings FOR SELECT USING (prospect_sees(entity, entity_id));
CREATE POLICY prospect_write ON activity_bindings FOR INSERT WITH CHECK (true);
CREATE POLICY prospect_change ON activity_bindings FOR UPDATE USING (prospect_sees(entity, entity_id)) WITH CHECK (true);
CREATE POLICY prospect_delete ON activity_bindings FOR DELETE USING (prospect_sees(entity, entity_id));

-- The columns' kept totals count every record: only who reads every lead and deal reads them.
ALTER TABLE stage_totals ENABLE ROW LEVEL SECURITY;
CREATE POLICY prospect_read ON stage_totals FOR SELECT
    USING ((SELECT prospect_level('lead', 'read')) = 4 AND (SELECT prospect_level('deal', 'read')) = 4);

-- The functions that decide run with this schema first and the session's temporary schema
-- last: a temporary table named `users` or `leads` cannot stand in for Prospect's. The totals'
-- helper is the triggers' alone.
DO $$
DECLARE
    f TEXT;
BEGIN
    FOR f IN VALUES ('prospect_level(text, text)'), ('prospect_reach(text, text)'), ('prospect_sees(text, bigint)'),
                    ('prospect_add_to_total(bigint, text, bigint, integer)'), ('prospect_totals()') LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_catalog, pg_temp', f, current_schema());
    END LOOP;
END $$;
REVOKE EXECUTE ON FUNCTION prospect_add_to_total(BIGINT, TEXT, BIGINT, INTEGER) FROM PUBLIC;

-- custom_values (custom fields, not used yet) follow their record.
ALTER TABLE custom_values ENABLE ROW LEVEL SECURITY;
CREATE POLICY prospect_read ON custom_values FOR ALL USING (
    EXISTS (SELECT 1 FROM custom_fields f WHERE f.id = field_id AND prospect_sees(f.entity, entity_id)))
    WITH CHECK (true);
