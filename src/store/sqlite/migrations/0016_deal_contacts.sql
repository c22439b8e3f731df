-- Version 16: a deal's other contacts (SPEC E3). The primary contact stays `deals.contact_id`
-- (boards, lists and the client column read it); this table holds the others, never the
-- primary, each once.
CREATE TABLE deal_contacts (
    deal_id    INTEGER NOT NULL REFERENCES deals(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    PRIMARY KEY (deal_id, contact_id)
) WITHOUT ROWID;
-- A contact's deals, both as primary and as another contact.
CREATE INDEX deal_contacts_contact ON deal_contacts(contact_id, deal_id);
