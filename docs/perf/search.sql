-- The ranked search of a word typed in full (session 8: the newest 2,000 matches are ranked).
-- The search table is contentless with contentless_delete (schema 7): the shell needs
-- SQLite 3.43 or later to read it.
SELECT rowid FROM (SELECT rowid, rank FROM search WHERE search MATCH '"dupont"*' ORDER BY rowid DESC LIMIT 2000) ORDER BY rank, rowid DESC LIMIT 120;
