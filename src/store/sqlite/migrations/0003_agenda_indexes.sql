-- Version 3: indexes for the activities board (counts per stage and due range) and for each
-- user's calendar (activities by responsible and due time).
CREATE INDEX leads_stage_next_activity ON leads(stage_id, next_activity_at);
CREATE INDEX deals_stage_next_activity ON deals(stage_id, next_activity_at);
CREATE INDEX activities_responsible_deadline ON activities(responsible_id, deadline);
