-- Version 18: lists built from fields (SPEC V2). Each custom value keeps its order key
-- (domain::field_filter::sort_key), indexed with its field: a list sorted or filtered by a
-- field reads that index in order. Saved list views: a name, whose (owner NULL: made by
-- Prospect), shared or not, and what they filter, sort and show (JSON, domain::list_view).
ALTER TABLE custom_values ADD COLUMN sort_key TEXT;
CREATE INDEX custom_values_order ON custom_values (field_id, sort_key);
CREATE TABLE list_views (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    entity   TEXT NOT NULL,
    name     TEXT NOT NULL,
    owner_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    shared   INTEGER NOT NULL DEFAULT 0,
    spec     TEXT NOT NULL
);
CREATE UNIQUE INDEX list_views_name ON list_views (entity, coalesce(owner_id, 0), lower(name));
