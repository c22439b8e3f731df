-- Version 3: roles' levels (SPEC R1). One row per role, subject and action; a role always
-- has its 30 rows. The preset roles' rows are written by migrate.rs from
-- domain::access::levels::preset, the one statement of what they allow.
CREATE TABLE role_grants (
    role_id BIGINT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    subject TEXT NOT NULL CHECK (subject IN ('lead', 'deal', 'contact', 'company', 'activity')),
    action  TEXT NOT NULL CHECK (action IN ('read', 'add', 'update', 'delete', 'export', 'import')),
    level   TEXT NOT NULL CHECK (level IN ('none', 'own', 'department', 'subdepartments', 'all')),
    PRIMARY KEY (role_id, subject, action)
);

-- A restricted user's boards count the records of a few responsibles: by responsible, then
-- stage, then nearest activity (the activities board's buckets), with what a column sums.
CREATE INDEX leads_responsible_stage ON leads(responsible_id, stage_id, next_activity_at, currency, amount_minor);
CREATE INDEX deals_responsible_stage ON deals(responsible_id, stage_id, next_activity_at, currency, amount_minor);
