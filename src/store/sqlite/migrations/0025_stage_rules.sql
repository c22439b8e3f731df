-- Stage automation rules (issue 30, SPEC I7): on entering a stage, a rule's actions run
-- when its conditions hold. Conditions and actions are kept as JSON arrays
-- (`domain::automation`: typed conditions as a list's `--where` takes them, tagged actions).
CREATE TABLE stage_rules (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    stage_id   INTEGER NOT NULL REFERENCES stages(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    conditions TEXT NOT NULL DEFAULT '[]',
    actions    TEXT NOT NULL,
    on_error   TEXT NOT NULL DEFAULT 'refuse' CHECK (on_error IN ('refuse', 'skip')),
    enabled    INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX stage_rules_stage ON stage_rules(stage_id);
