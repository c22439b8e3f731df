-- The forecast's tallies made again from the deals (migration 14, a copy, a repair): what
-- the triggers of migration 14 keep.
DELETE FROM forecast_tallies;
INSERT INTO forecast_tallies
SELECT pipeline_id, stage_id, coalesce(responsible_id, 0), coalesce(source_id, 0), coalesce(substr(close_date, 1, 7), ''),
       coalesce(probability, -1), coalesce(currency, ''), count(*), sum(coalesce(amount_minor, 0))
  FROM deals
 GROUP BY 1, 2, 3, 4, 5, 6, 7;
