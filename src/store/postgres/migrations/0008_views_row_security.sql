-- Version 8: saved views keep to their readers, as the records and the fields' values do
-- since version 4 (version 7 made the table without it): on a connection of a person's own
-- role, a view shows to its owner, to everyone when shared or the file's own, and is
-- changed by its owner or an administrator. The owner of the tables (the administrators'
-- connection) is not subject to it.

-- The connected person's user id (none for a connection that is nobody's), and whether they
-- administer the file.
CREATE FUNCTION prospect_user_id() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT id FROM users WHERE db_role = session_user
$$;
CREATE FUNCTION prospect_is_admin() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT coalesce((SELECT is_admin AND active FROM users WHERE db_role = session_user), false)
$$;

ALTER TABLE list_views ENABLE ROW LEVEL SECURITY;
CREATE POLICY prospect_read ON list_views FOR SELECT
    USING (owner_id IS NULL OR shared OR owner_id = (SELECT prospect_user_id()) OR (SELECT prospect_is_admin()));
CREATE POLICY prospect_write ON list_views FOR INSERT
    WITH CHECK (owner_id = (SELECT prospect_user_id()) OR (SELECT prospect_is_admin()));
CREATE POLICY prospect_change ON list_views FOR UPDATE
    USING (owner_id = (SELECT prospect_user_id()) OR (SELECT prospect_is_admin()))
    WITH CHECK (owner_id = (SELECT prospect_user_id()) OR (SELECT prospect_is_admin()));
CREATE POLICY prospect_delete ON list_views FOR DELETE
    USING (owner_id = (SELECT prospect_user_id()) OR (SELECT prospect_is_admin()));
