-- Version 2: each record keeps the deadline of its nearest open activity, so the activities
-- board, card markers and "sort by next activity" read an indexed column instead of running
-- a subquery per record. Maintained by store::activities::refresh_next.

ALTER TABLE leads ADD COLUMN next_activity_at INTEGER;
ALTER TABLE deals ADD COLUMN next_activity_at INTEGER;
ALTER TABLE contacts ADD COLUMN next_activity_at INTEGER;
ALTER TABLE companies ADD COLUMN next_activity_at INTEGER;

UPDATE leads SET next_activity_at = (SELECT min(a.deadline) FROM activity_bindings b JOIN activities a ON a.id = b.activity_id
    WHERE b.entity = 'lead' AND b.entity_id = leads.id AND a.completed = 0);
UPDATE deals SET next_activity_at = (SELECT min(a.deadline) FROM activity_bindings b JOIN activities a ON a.id = b.activity_id
    WHERE b.entity = 'deal' AND b.entity_id = deals.id AND a.completed = 0);
UPDATE contacts SET next_activity_at = (SELECT min(a.deadline) FROM activity_bindings b JOIN activities a ON a.id = b.activity_id
    WHERE b.entity = 'contact' AND b.entity_id = contacts.id AND a.completed = 0);
UPDATE companies SET next_activity_at = (SELECT min(a.deadline) FROM activity_bindings b JOIN activities a ON a.id = b.activity_id
    WHERE b.entity = 'company' AND b.entity_id = companies.id AND a.completed = 0);

CREATE INDEX leads_next_activity ON leads(next_activity_at);
CREATE INDEX deals_next_activity ON deals(next_activity_at);
CREATE INDEX activities_deadline ON activities(deadline);
