-- Version 4: Kanban column heads (count and sum per stage and currency) read this covering
-- index alone, in order, instead of visiting every record.
CREATE INDEX leads_board ON leads(stage_id, currency, amount_minor);
CREATE INDEX deals_board ON deals(stage_id, currency, amount_minor);
