-- A search looks for the newest entries of each kind of record holding a word (postgres::
-- search): one GIN index per kind answers that without intersecting the whole index with
-- the kind's rows (5 ms for 20,000 contacts, 1.3 ms with its own index). The kinds' codes
-- are those of `Entity::code`; a query names its kind as a literal so the planner picks
-- the kind's index. Queries over every kind go through them one kind at a time.
CREATE INDEX search_words_lead ON search USING GIN (words) WHERE entity = 'lead';
CREATE INDEX search_words_deal ON search USING GIN (words) WHERE entity = 'deal';
CREATE INDEX search_words_contact ON search USING GIN (words) WHERE entity = 'contact';
CREATE INDEX search_words_company ON search USING GIN (words) WHERE entity = 'company';
DROP INDEX search_words;
