-- Version 5: a deal's other contacts (SPEC E3), as SQLite's migration 16. The primary contact
-- stays deals.contact_id; this table holds the others, never the primary, each once.
CREATE TABLE deal_contacts (
    deal_id    BIGINT NOT NULL REFERENCES deals(id) ON DELETE CASCADE,
    contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    PRIMARY KEY (deal_id, contact_id)
);
CREATE INDEX deal_contacts_contact ON deal_contacts(contact_id, deal_id);

-- Seen with the deal or with the contact, as contact_companies (migration 4); written only
-- with the deal seen.
ALTER TABLE deal_contacts ENABLE ROW LEVEL SECURITY;
CREATE POLICY prospect_read ON deal_contacts FOR SELECT
    USING (prospect_sees('deal', deal_id) OR prospect_sees('contact', contact_id));
CREATE POLICY prospect_write ON deal_contacts FOR INSERT WITH CHECK (prospect_sees('deal', deal_id));
CREATE POLICY prospect_change ON deal_contacts FOR UPDATE
    USING (prospect_sees('deal', deal_id)) WITH CHECK (prospect_sees('deal', deal_id));
CREATE POLICY prospect_delete ON deal_contacts FOR DELETE USING (prospect_sees('deal', deal_id));
