-- Version 22: every stage a lead or deal was ever in, and when it came into it (SPEC V8, issue
-- 29): the funnel counts a lead that reached "In progress" then went to Junk as having
-- reached it, so a later move does not rewrite the past. Kept by triggers on every path that
-- writes a record (a move, an import, a conversion, a stage deleted); like the timeline, the
-- rows outlive the stage and the record they name.
CREATE TABLE stage_moves (
    id        INTEGER PRIMARY KEY,
    entity    TEXT NOT NULL CHECK (entity IN ('lead', 'deal')),
    record_id INTEGER NOT NULL,
    stage_id  INTEGER NOT NULL,
    at        INTEGER NOT NULL
);
CREATE INDEX stage_moves_record ON stage_moves(entity, record_id, at);

-- The past, from what the timeline kept: each record's first stage when it came in (the stage
-- its first move left, else the one it is in), then each move by the code of the stage it
-- went to, in the record's pipeline (a stage deleted since is left out).
INSERT INTO stage_moves (entity, record_id, stage_id, at)
SELECT 'lead', l.id, coalesce((
    SELECT s.id FROM timeline t JOIN stages s ON s.code = json_extract(t.payload, '$.from.code')
     WHERE t.entity = 'lead' AND t.entity_id = l.id AND t.kind = 'stage_moved' AND json_valid(t.payload)
       AND s.pipeline_id = (SELECT pipeline_id FROM stages WHERE id = l.stage_id)
     ORDER BY t.id LIMIT 1), l.stage_id), l.created_at
  FROM leads l;
INSERT INTO stage_moves (entity, record_id, stage_id, at)
SELECT 'deal', d.id, coalesce((
    SELECT s.id FROM timeline t JOIN stages s ON s.code = json_extract(t.payload, '$.from.code')
     WHERE t.entity = 'deal' AND t.entity_id = d.id AND t.kind = 'stage_moved' AND json_valid(t.payload)
       AND s.pipeline_id = d.pipeline_id
     ORDER BY t.id LIMIT 1), d.stage_id), d.created_at
  FROM deals d;
INSERT INTO stage_moves (entity, record_id, stage_id, at)
SELECT 'lead', l.id, s.id, t.at
  FROM timeline t JOIN leads l ON l.id = t.entity_id
  JOIN stages s ON s.pipeline_id = (SELECT pipeline_id FROM stages WHERE id = l.stage_id)
   AND s.code = json_extract(t.payload, '$.to.code')
 WHERE t.entity = 'lead' AND t.kind = 'stage_moved' AND json_valid(t.payload)
 ORDER BY t.id;
INSERT INTO stage_moves (entity, record_id, stage_id, at)
SELECT 'deal', d.id, s.id, t.at
  FROM timeline t JOIN deals d ON d.id = t.entity_id
  JOIN stages s ON s.pipeline_id = d.pipeline_id AND s.code = json_extract(t.payload, '$.to.code')
 WHERE t.entity = 'deal' AND t.kind = 'stage_moved' AND json_valid(t.payload)
 ORDER BY t.id;

CREATE TRIGGER leads_stage_moves_insert AFTER INSERT ON leads
BEGIN
    INSERT INTO stage_moves (entity, record_id, stage_id, at) VALUES ('lead', NEW.id, NEW.stage_id, NEW.moved_at);
END;
CREATE TRIGGER leads_stage_moves_move AFTER UPDATE OF stage_id ON leads
WHEN NEW.stage_id IS NOT OLD.stage_id
BEGIN
    INSERT INTO stage_moves (entity, record_id, stage_id, at) VALUES ('lead', NEW.id, NEW.stage_id, NEW.moved_at);
END;
CREATE TRIGGER deals_stage_moves_insert AFTER INSERT ON deals
BEGIN
    INSERT INTO stage_moves (entity, record_id, stage_id, at) VALUES ('deal', NEW.id, NEW.stage_id, NEW.moved_at);
END;
CREATE TRIGGER deals_stage_moves_move AFTER UPDATE OF stage_id ON deals
WHEN NEW.stage_id IS NOT OLD.stage_id
BEGIN
    INSERT INTO stage_moves (entity, record_id, stage_id, at) VALUES ('deal', NEW.id, NEW.stage_id, NEW.moved_at);
END;

-- The reasons a failure stage offers (issue 29), an administrator's list in English and
-- French; a loss's reason is still text (`stage_description`), the list's English name when
-- one was picked, so reports count "Price" and "Prix" as one. Free text stays allowed.
CREATE TABLE lost_reasons (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    name    TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name_fr TEXT,
    sort    INTEGER NOT NULL
);
INSERT INTO lost_reasons (name, name_fr, sort) VALUES
    ('Price', 'Prix', 1),
    ('Competitor chosen', 'Concurrent choisi', 2),
    ('No budget', 'Pas de budget', 3),
    ('Bad timing', 'Mauvais moment', 4),
    ('No answer', 'Sans réponse', 5),
    ('Need gone', 'Besoin disparu', 6);
