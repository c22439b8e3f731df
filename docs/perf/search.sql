-- The ranked search of a word typed in full (session 8: the newest 500 matches of each kind
-- of record are ranked). The search table is contentless with contentless_delete (schema 7):
-- the shell needs SQLite 3.43 or later to read it.
SELECT rowid FROM (
  SELECT * FROM (SELECT rowid, rank FROM search WHERE search MATCH '"dupont"*' AND rowid % 4 = 0 ORDER BY rowid DESC LIMIT 500)
  UNION ALL SELECT * FROM (SELECT rowid, rank FROM search WHERE search MATCH '"dupont"*' AND rowid % 4 = 1 ORDER BY rowid DESC LIMIT 500)
  UNION ALL SELECT * FROM (SELECT rowid, rank FROM search WHERE search MATCH '"dupont"*' AND rowid % 4 = 2 ORDER BY rowid DESC LIMIT 500)
  UNION ALL SELECT * FROM (SELECT rowid, rank FROM search WHERE search MATCH '"dupont"*' AND rowid % 4 = 3 ORDER BY rowid DESC LIMIT 500)
) ORDER BY rank, rowid DESC LIMIT 120;
