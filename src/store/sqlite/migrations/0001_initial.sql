-- Prospect schema, version 1. Instants are INTEGER unix milliseconds (UTC); dates are
-- 'YYYY-MM-DD' text; money is INTEGER minor units next to a currency code.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE departments (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    parent_id INTEGER REFERENCES departments(id) ON DELETE SET NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT NOT NULL,
    department_id INTEGER REFERENCES departments(id) ON DELETE SET NULL,
    is_admin      INTEGER NOT NULL DEFAULT 0,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL
);

CREATE TABLE roles (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
INSERT INTO roles (name) VALUES ('Administrator'), ('Head'), ('Manager'), ('Observer');

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role_id INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, role_id)
) WITHOUT ROWID;

CREATE TABLE pipelines (
    id     INTEGER PRIMARY KEY,
    entity TEXT NOT NULL CHECK (entity IN ('lead', 'deal')),
    name   TEXT NOT NULL COLLATE NOCASE,
    sort   INTEGER NOT NULL,
    UNIQUE (entity, name)
);

CREATE TABLE stages (
    id          INTEGER PRIMARY KEY,
    pipeline_id INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
    code        TEXT NOT NULL COLLATE NOCASE,
    name        TEXT NOT NULL,
    color       TEXT NOT NULL,
    semantics   TEXT NOT NULL CHECK (semantics IN ('in_progress', 'success', 'failure')),
    sort        INTEGER NOT NULL,
    UNIQUE (pipeline_id, code)
);

CREATE TABLE sources (
    id     INTEGER PRIMARY KEY,
    code   TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name   TEXT NOT NULL,
    sort   INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE companies (
    id             INTEGER PRIMARY KEY,
    title          TEXT NOT NULL,
    title_key      TEXT,
    company_type   TEXT,
    industry       TEXT,
    employees      TEXT,
    revenue_minor  INTEGER,
    currency       TEXT,
    address        TEXT,
    comments       TEXT,
    source_id      INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    responsible_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    opened         INTEGER NOT NULL DEFAULT 1,
    lead_id        INTEGER REFERENCES leads(id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL,
    created_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    modified_at    INTEGER NOT NULL,
    modified_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX companies_title_key ON companies(title_key);

CREATE TABLE contacts (
    id                 INTEGER PRIMARY KEY,
    honorific          TEXT,
    first_name         TEXT NOT NULL,
    middle_name        TEXT,
    last_name          TEXT NOT NULL,
    name_key           TEXT,
    contact_type       TEXT,
    position           TEXT,
    birth_date         TEXT,
    address            TEXT,
    comments           TEXT,
    source_id          INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    source_description TEXT,
    responsible_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    opened             INTEGER NOT NULL DEFAULT 1,
    lead_id            INTEGER REFERENCES leads(id) ON DELETE SET NULL,
    created_at         INTEGER NOT NULL,
    created_by         INTEGER REFERENCES users(id) ON DELETE SET NULL,
    modified_at        INTEGER NOT NULL,
    modified_by        INTEGER REFERENCES users(id) ON DELETE SET NULL,
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX contacts_name_key ON contacts(name_key);

CREATE TABLE contact_companies (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, company_id)
) WITHOUT ROWID;
CREATE INDEX contact_companies_company ON contact_companies(company_id);

CREATE TABLE leads (
    id                 INTEGER PRIMARY KEY,
    title              TEXT,
    honorific          TEXT,
    first_name         TEXT,
    middle_name        TEXT,
    last_name          TEXT,
    name_key           TEXT,
    company_title      TEXT,
    company_key        TEXT,
    position           TEXT,
    birth_date         TEXT,
    source_id          INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    source_description TEXT,
    stage_id           INTEGER NOT NULL REFERENCES stages(id),
    stage_description  TEXT,
    amount_minor       INTEGER,
    currency           TEXT,
    responsible_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    comments           TEXT,
    opened             INTEGER NOT NULL DEFAULT 1,
    address            TEXT,
    is_repeat          INTEGER NOT NULL DEFAULT 0,
    contact_id         INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    company_id         INTEGER REFERENCES companies(id) ON DELETE SET NULL,
    created_at         INTEGER NOT NULL,
    created_by         INTEGER REFERENCES users(id) ON DELETE SET NULL,
    modified_at        INTEGER NOT NULL,
    modified_by        INTEGER REFERENCES users(id) ON DELETE SET NULL,
    moved_at           INTEGER NOT NULL,
    moved_by           INTEGER REFERENCES users(id) ON DELETE SET NULL,
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX leads_stage ON leads(stage_id, id);
CREATE INDEX leads_responsible ON leads(responsible_id, id);
CREATE INDEX leads_created ON leads(created_at);
CREATE INDEX leads_name_key ON leads(name_key);
CREATE INDEX leads_company_key ON leads(company_key);

CREATE TABLE deals (
    id             INTEGER PRIMARY KEY,
    title          TEXT,
    pipeline_id    INTEGER NOT NULL REFERENCES pipelines(id),
    stage_id       INTEGER NOT NULL REFERENCES stages(id),
    stage_description TEXT,
    amount_minor   INTEGER,
    currency       TEXT,
    probability    INTEGER,
    responsible_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    contact_id     INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    company_id     INTEGER REFERENCES companies(id) ON DELETE SET NULL,
    lead_id        INTEGER REFERENCES leads(id) ON DELETE SET NULL,
    begin_date     TEXT,
    close_date     TEXT,
    source_id      INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    comments       TEXT,
    opened         INTEGER NOT NULL DEFAULT 1,
    created_at     INTEGER NOT NULL,
    created_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    modified_at    INTEGER NOT NULL,
    modified_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    moved_at       INTEGER NOT NULL,
    moved_by       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX deals_stage ON deals(stage_id, id);
CREATE INDEX deals_contact ON deals(contact_id);
CREATE INDEX deals_company ON deals(company_id);
CREATE INDEX deals_responsible ON deals(responsible_id, id);

-- Phones, e-mails, websites, messengers of any record; `normalized` is the match key.
CREATE TABLE comms (
    id         INTEGER PRIMARY KEY,
    entity     TEXT NOT NULL,
    entity_id  INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('phone', 'email', 'web', 'messenger')),
    label      TEXT NOT NULL,
    value      TEXT NOT NULL,
    normalized TEXT NOT NULL,
    sort       INTEGER NOT NULL
);
CREATE INDEX comms_owner ON comms(entity, entity_id);
CREATE INDEX comms_match ON comms(kind, normalized);

CREATE TABLE activities (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('call', 'meeting', 'task', 'email')),
    subject          TEXT NOT NULL,
    description      TEXT,
    start_at         INTEGER,
    end_at           INTEGER,
    deadline         INTEGER NOT NULL,
    direction        TEXT CHECK (direction IN ('in', 'out')),
    priority         TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high')),
    responsible_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    completed        INTEGER NOT NULL DEFAULT 0,
    completed_at     INTEGER,
    reminder_minutes INTEGER,
    location         TEXT,
    created_at       INTEGER NOT NULL,
    created_by       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    modified_at      INTEGER NOT NULL,
    modified_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX activities_open ON activities(completed, responsible_id, deadline);

CREATE TABLE activity_bindings (
    activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    entity      TEXT NOT NULL,
    entity_id   INTEGER NOT NULL,
    PRIMARY KEY (activity_id, entity, entity_id)
) WITHOUT ROWID;
CREATE INDEX activity_bindings_owner ON activity_bindings(entity, entity_id);

-- Append-only history of every record; rows outlive the record they describe.
CREATE TABLE timeline (
    id        INTEGER PRIMARY KEY,
    entity    TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    at        INTEGER NOT NULL,
    user_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    payload   TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX timeline_owner ON timeline(entity, entity_id, id);

-- Recent changes, so that other clients reload only what moved (live refresh).
CREATE TABLE changes (
    id        INTEGER PRIMARY KEY,
    entity    TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    at        INTEGER NOT NULL
);

-- Custom fields (SPEC F): definitions per entity and one value per record and field.
CREATE TABLE custom_fields (
    id       INTEGER PRIMARY KEY,
    entity   TEXT NOT NULL,
    code     TEXT NOT NULL,
    label    TEXT NOT NULL,
    kind     TEXT NOT NULL,
    section  TEXT NOT NULL DEFAULT 'more',
    sort     INTEGER NOT NULL DEFAULT 0,
    options  TEXT NOT NULL DEFAULT '{}',
    UNIQUE (entity, code)
);
CREATE TABLE custom_values (
    field_id  INTEGER NOT NULL REFERENCES custom_fields(id) ON DELETE CASCADE,
    entity_id INTEGER NOT NULL,
    value     TEXT,
    PRIMARY KEY (field_id, entity_id)
) WITHOUT ROWID;

-- Full-text search over names, titles, companies, phones and e-mails of every record.
-- rowid = record id * 4 + entity tag (lead 0, contact 1, company 2, deal 3).
CREATE VIRTUAL TABLE search USING fts5(
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
