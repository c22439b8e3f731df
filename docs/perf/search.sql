SELECT rowid FROM search WHERE search MATCH '"dupont"*' ORDER BY rank LIMIT 120;
