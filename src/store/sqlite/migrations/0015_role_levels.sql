-- Version 15: roles' levels (SPEC R1). One row per role, subject and action; a role always
-- has its 30 rows (five subjects, six actions). The preset roles' rows are written by
-- migrate.rs from domain::access::levels::preset, the one statement of what they allow.
CREATE TABLE role_grants (
    role_id INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    subject TEXT NOT NULL CHECK (subject = 'lead' OR subject = 'deal' OR subject = 'contact' OR subject = 'company' OR subject = 'activity'),
    action  TEXT NOT NULL CHECK (action = 'read' OR action = 'add' OR action = 'update' OR action = 'delete' OR action = 'export' OR action = 'import'),
    level   TEXT NOT NULL CHECK (level = 'none' OR level = 'own' OR level = 'department' OR level = 'subdepartments' OR level = 'all'),
    PRIMARY KEY (role_id, subject, action)
) WITHOUT ROWID;

-- The PostgreSQL role a user connects as (PostgreSQL's migration 4): never set in a file,
-- where there are no roles, but kept so that a copy between the engines has the same columns.
ALTER TABLE users ADD COLUMN db_role TEXT;

-- A restricted user's boards count the records of a few responsibles: by responsible, then
-- stage, then nearest activity (the activities board's buckets), with what a column sums.
CREATE INDEX leads_responsible_stage ON leads(responsible_id, stage_id, next_activity_at, currency, amount_minor);
CREATE INDEX deals_responsible_stage ON deals(responsible_id, stage_id, next_activity_at, currency, amount_minor);
