-- Version 19: the product catalogue and line items (SPEC E4, issue 28). A product's price is
-- minor units of its currency, its tax rate hundredths of a percent (20 % is 2000). A line
-- belongs to one record (`owner` is its kind: lead, deal; quotes and invoices later) and
-- keeps its own copy of what it sells (name, unit, price, rate): a product changed or
-- deleted later leaves the lines already written as they were. Quantities are thousandths
-- (1.5 h is 1500); a discount is a percentage (hundredths) or an amount (minor units).
CREATE TABLE products (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    code        TEXT,
    name        TEXT NOT NULL,
    description TEXT,
    unit        TEXT,
    price_minor INTEGER NOT NULL,
    currency    TEXT NOT NULL,
    tax_rate    INTEGER NOT NULL DEFAULT 0,
    active      INTEGER NOT NULL DEFAULT 1,
    category    TEXT,
    created_at  INTEGER NOT NULL,
    modified_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX products_code ON products (lower(code)) WHERE code IS NOT NULL;
CREATE TABLE line_items (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    owner         TEXT NOT NULL,
    owner_id      INTEGER NOT NULL,
    position      INTEGER NOT NULL,
    product_id    INTEGER REFERENCES products(id) ON DELETE SET NULL,
    name          TEXT NOT NULL,
    unit          TEXT,
    qty           INTEGER NOT NULL,
    unit_price    INTEGER NOT NULL,
    discount_kind TEXT NOT NULL DEFAULT 'none',
    discount      INTEGER NOT NULL DEFAULT 0,
    tax_rate      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX line_items_owner ON line_items (owner, owner_id, position);
CREATE INDEX line_items_product ON line_items (product_id) WHERE product_id IS NOT NULL;
