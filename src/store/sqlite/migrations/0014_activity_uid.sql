-- Version 14: an activity brought in from a calendar (`prospect import FILE.ics`) keeps the
-- UID it had there, so that importing the same calendar again updates it instead of adding
-- it twice. NULL for every other activity; at most one activity per UID.
ALTER TABLE activities ADD COLUMN uid TEXT;
CREATE UNIQUE INDEX activities_uid ON activities(uid) WHERE uid IS NOT NULL;
