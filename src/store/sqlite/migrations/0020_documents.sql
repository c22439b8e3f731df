-- Version 20: quotes, invoices and credit notes (SPEC E5, issue 28). A document belongs to
-- a deal and keeps its own copy of the client (JSON, `domain::document::Party`), its lines
-- (`line_items` whose owner is its kind) and its totals. A number is given once, from the
-- counter of its kind and year, in the transaction that gives it: unique (the indexes) and
-- without gaps (an invoice is numbered when issued, never as a draft).
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL,
    number      TEXT,
    seq_year    INTEGER,
    seq         INTEGER,
    status      TEXT NOT NULL,
    deal_id     INTEGER NOT NULL REFERENCES deals(id),
    source_id   INTEGER REFERENCES documents(id),
    client      TEXT NOT NULL,
    currency    TEXT NOT NULL,
    issue_date  TEXT,
    valid_until TEXT,
    due_date    TEXT,
    notes       TEXT,
    net_minor   INTEGER NOT NULL,
    tax_minor   INTEGER NOT NULL,
    gross_minor INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    created_by  INTEGER REFERENCES users(id),
    modified_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX documents_number ON documents (kind, number) WHERE number IS NOT NULL;
CREATE UNIQUE INDEX documents_seq ON documents (kind, seq_year, seq) WHERE seq IS NOT NULL;
CREATE INDEX documents_deal ON documents (deal_id);
CREATE TABLE document_counters (
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (kind, year)
);
