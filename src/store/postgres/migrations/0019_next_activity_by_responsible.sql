-- A user's records by their next activity (the activities board's overdue, today and coming
-- lists): read in index order and stopped at the page, instead of every record of theirs
-- with an activity fetched and sorted (17 ms for 3,800 leads of one user at 100k leads).
CREATE INDEX leads_responsible_next ON leads (responsible_id, next_activity_at, id) WHERE next_activity_at IS NOT NULL;
CREATE INDEX deals_responsible_next ON deals (responsible_id, next_activity_at, id) WHERE next_activity_at IS NOT NULL;
