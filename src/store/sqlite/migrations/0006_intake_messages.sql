-- E-mails already turned into leads or comments, by Message-ID, so a message read twice
-- (an mbox imported again, a Maildir processed twice) makes nothing twice.
CREATE TABLE intake_messages (
    message_id  TEXT PRIMARY KEY,
    entity      TEXT NOT NULL,
    entity_id   INTEGER NOT NULL,
    received_at INTEGER NOT NULL
) WITHOUT ROWID;
