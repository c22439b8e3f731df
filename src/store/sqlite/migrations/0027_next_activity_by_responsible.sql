-- A user's records by their next activity (the activities board's overdue, today and coming
-- lists, newest deadline first): read in index order and stopped at the page, instead of
-- every record of theirs with an activity sorted (thousands at 100k leads).
CREATE INDEX leads_responsible_next ON leads(responsible_id, next_activity_at, id) WHERE next_activity_at IS NOT NULL;
CREATE INDEX deals_responsible_next ON deals(responsible_id, next_activity_at, id) WHERE next_activity_at IS NOT NULL;
