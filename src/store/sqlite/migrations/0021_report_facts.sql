-- Version 21: what the sales head's reports read (SPEC V8, issue 29). A stage has a
-- probability (percent; NULL: the default of its place, `domain::report::stage_probability`)
-- and a rotting limit in days (NULL: it does not rot). A lead or deal keeps when it reached a
-- final stage (`closed_at`, won or lost; NULL while open): kept by triggers, so every path
-- that moves or writes a record (a move, an import, a conversion, a stage deleted) keeps it.
-- Moved between two final stages of one kind (a stage deleted, lost for another reason), it
-- keeps its date; from lost to won it takes the new one.
ALTER TABLE stages ADD COLUMN probability INTEGER CHECK (probability BETWEEN 0 AND 100);
ALTER TABLE stages ADD COLUMN rot_days INTEGER CHECK (rot_days > 0);
ALTER TABLE leads ADD COLUMN closed_at INTEGER;
ALTER TABLE deals ADD COLUMN closed_at INTEGER;

UPDATE leads SET closed_at = moved_at
 WHERE stage_id IN (SELECT id FROM stages WHERE semantics <> 'in_progress');
UPDATE deals SET closed_at = moved_at
 WHERE stage_id IN (SELECT id FROM stages WHERE semantics <> 'in_progress');

CREATE INDEX deals_closed ON deals(closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX leads_closed ON leads(closed_at) WHERE closed_at IS NOT NULL;

CREATE TRIGGER leads_closed_insert AFTER INSERT ON leads
WHEN NEW.closed_at IS NULL AND (SELECT semantics FROM stages WHERE id = NEW.stage_id) <> 'in_progress'
BEGIN
    UPDATE leads SET closed_at = NEW.moved_at WHERE id = NEW.id;
END;
CREATE TRIGGER leads_open_insert AFTER INSERT ON leads
WHEN NEW.closed_at IS NOT NULL AND (SELECT semantics FROM stages WHERE id = NEW.stage_id) = 'in_progress'
BEGIN
    UPDATE leads SET closed_at = NULL WHERE id = NEW.id;
END;
CREATE TRIGGER leads_closed_move AFTER UPDATE OF stage_id ON leads
WHEN NEW.stage_id IS NOT OLD.stage_id
BEGIN
    UPDATE leads SET closed_at = CASE
        WHEN (SELECT semantics FROM stages WHERE id = NEW.stage_id) = 'in_progress' THEN NULL
        WHEN (SELECT semantics FROM stages WHERE id = OLD.stage_id) = (SELECT semantics FROM stages WHERE id = NEW.stage_id)
            AND OLD.closed_at IS NOT NULL THEN OLD.closed_at
        ELSE NEW.moved_at END
     WHERE id = NEW.id;
END;
CREATE TRIGGER deals_closed_insert AFTER INSERT ON deals
WHEN NEW.closed_at IS NULL AND (SELECT semantics FROM stages WHERE id = NEW.stage_id) <> 'in_progress'
BEGIN
    UPDATE deals SET closed_at = NEW.moved_at WHERE id = NEW.id;
END;
CREATE TRIGGER deals_open_insert AFTER INSERT ON deals
WHEN NEW.closed_at IS NOT NULL AND (SELECT semantics FROM stages WHERE id = NEW.stage_id) = 'in_progress'
BEGIN
    UPDATE deals SET closed_at = NULL WHERE id = NEW.id;
END;
CREATE TRIGGER deals_closed_move AFTER UPDATE OF stage_id ON deals
WHEN NEW.stage_id IS NOT OLD.stage_id
BEGIN
    UPDATE deals SET closed_at = CASE
        WHEN (SELECT semantics FROM stages WHERE id = NEW.stage_id) = 'in_progress' THEN NULL
        WHEN (SELECT semantics FROM stages WHERE id = OLD.stage_id) = (SELECT semantics FROM stages WHERE id = NEW.stage_id)
            AND OLD.closed_at IS NOT NULL THEN OLD.closed_at
        ELSE NEW.moved_at END
     WHERE id = NEW.id;
END;
