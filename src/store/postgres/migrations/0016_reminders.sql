-- Reminders that alert (issue 30, SPEC A1): when an activity's reminder fired for its
-- responsible (`reminded_at`), so that it fires once, whichever screen or script took it.
-- A new deadline or reminder offset makes it fire again.
ALTER TABLE activities ADD COLUMN reminded_at BIGINT;
CREATE INDEX activities_reminders ON activities(responsible_id, deadline)
    WHERE reminder_minutes IS NOT NULL AND reminded_at IS NULL AND NOT completed;
CREATE FUNCTION prospect_reminder_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.deadline IS DISTINCT FROM OLD.deadline OR NEW.reminder_minutes IS DISTINCT FROM OLD.reminder_minutes THEN
        NEW.reminded_at := NULL;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER activities_reminder_reset BEFORE UPDATE OF deadline, reminder_minutes ON activities
    FOR EACH ROW EXECUTE FUNCTION prospect_reminder_reset();
