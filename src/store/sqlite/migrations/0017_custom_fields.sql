-- Version 17: fields of the team's own (SPEC F1, F2). custom_fields existed unused since
-- version 1; it gains what a field is made of. `options` holds a JSON list of a list's
-- options; `required_from` a JSON list of stage ids (one per pipeline at most).
ALTER TABLE custom_fields ADD COLUMN label_fr TEXT;
ALTER TABLE custom_fields ADD COLUMN link_to TEXT;
ALTER TABLE custom_fields ADD COLUMN default_value TEXT;
ALTER TABLE custom_fields ADD COLUMN in_list INTEGER NOT NULL DEFAULT 0;
ALTER TABLE custom_fields ADD COLUMN required_from TEXT NOT NULL DEFAULT '[]';
