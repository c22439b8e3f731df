-- Version 11: the search index keeps the first three letters of every word as a word of its
-- own, and no longer the first two (`prefix = '2 3'` until now).
--
-- Each prefix index makes writing an entry more work: with both, the search index was the
-- largest part of a bulk load's end (at 100k leads, writing the leads' entries took 556 ms;
-- 406 ms with the three-letter prefixes only, 268 ms with none). They only serve queries of
-- exactly that many letters; longer ones read the words themselves. Two letters are searched
-- newest first, which reads the words that start with them: "ma" in 1.0 ms instead of 0.3,
-- "33" (every French phone) in 3.5 ms instead of 0.1, at 100k leads. Three letters are
-- ranked (bm25), which needs every match: without their prefix index "mar" made the search
-- bench's p99 25 ms instead of 15, so those stay. migrate.rs fills the new table from the
-- records (search::entry_text): a contentless index has no text to copy.
CREATE VIRTUAL TABLE search_v11 USING fts5(
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '3',
    content = '',
    contentless_delete = 1
);
