-- Reminders that alert (issue 30, SPEC A1): when an activity's reminder fired for its
-- responsible (`reminded_at`), so that it fires once, whichever screen or script took it.
-- A new deadline or reminder offset makes it fire again.
ALTER TABLE activities ADD COLUMN reminded_at INTEGER;
CREATE INDEX activities_reminders ON activities(responsible_id, deadline)
    WHERE reminder_minutes IS NOT NULL AND reminded_at IS NULL AND completed = 0;
CREATE TRIGGER activities_reminder_reset AFTER UPDATE OF deadline, reminder_minutes ON activities
WHEN NEW.reminded_at IS NOT NULL
 AND (NEW.deadline IS NOT OLD.deadline OR NEW.reminder_minutes IS NOT OLD.reminder_minutes)
BEGIN
    UPDATE activities SET reminded_at = NULL WHERE id = NEW.id;
END;
