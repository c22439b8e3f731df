-- Version 13: every file gets a random id of its own, made once, at creation or on this
-- upgrade, and never changed. An iCalendar export builds its UIDs from it: built from the
-- file's name, the UIDs of two offices' `prospect.db` collided in one calendar.
INSERT OR IGNORE INTO settings (key, value) VALUES ('file_id', lower(hex(randomblob(16))));
