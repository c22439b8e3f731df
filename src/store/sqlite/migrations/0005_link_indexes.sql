-- Linked records on forms (a company's or contact's leads, a lead's deal) and merges that
-- repoint links: each lookup by a link column gets an index.
CREATE INDEX leads_contact ON leads(contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX leads_company ON leads(company_id) WHERE company_id IS NOT NULL;
CREATE INDEX deals_lead ON deals(lead_id) WHERE lead_id IS NOT NULL;
CREATE INDEX contacts_lead ON contacts(lead_id) WHERE lead_id IS NOT NULL;
CREATE INDEX companies_lead ON companies(lead_id) WHERE lead_id IS NOT NULL;
