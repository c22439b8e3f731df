-- Version 6: fields of the team's own (SPEC F1, F2), as SQLite's migration 17.
ALTER TABLE custom_fields ADD COLUMN label_fr TEXT;
ALTER TABLE custom_fields ADD COLUMN link_to TEXT;
ALTER TABLE custom_fields ADD COLUMN default_value TEXT;
ALTER TABLE custom_fields ADD COLUMN in_list BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE custom_fields ADD COLUMN required_from TEXT NOT NULL DEFAULT '[]';
