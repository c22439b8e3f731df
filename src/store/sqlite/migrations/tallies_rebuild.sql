-- The report tallies made again from the records, activities and stage moves (migration 23,
-- and after a copy has replaced the stage moves): what the triggers of migration 23 keep.
DELETE FROM record_tallies;
INSERT INTO record_tallies
SELECT entity, hour, lead_hour, pipeline_id, responsible_id, source_id, stage_id, visited, currency, count(*), sum(amount)
  FROM (SELECT 'lead' AS entity, l.created_at / 3600000 AS hour, -1 AS lead_hour, 0 AS pipeline_id,
               coalesce(l.responsible_id, 0) AS responsible_id, coalesce(l.source_id, 0) AS source_id, l.stage_id,
               (SELECT group_concat(s) FROM (SELECT stage_id AS s FROM stage_moves
                 WHERE entity = 'lead' AND record_id = l.id UNION SELECT l.stage_id ORDER BY 1)) AS visited,
               coalesce(l.currency, '') AS currency, coalesce(l.amount_minor, 0) AS amount
          FROM leads l
        UNION ALL
        SELECT 'deal', d.created_at / 3600000, coalesce((SELECT created_at / 3600000 FROM leads WHERE id = d.lead_id), -1),
               d.pipeline_id, coalesce(d.responsible_id, 0), coalesce(d.source_id, 0), d.stage_id,
               (SELECT group_concat(s) FROM (SELECT stage_id AS s FROM stage_moves
                 WHERE entity = 'deal' AND record_id = d.id UNION SELECT d.stage_id ORDER BY 1)),
               coalesce(d.currency, ''), coalesce(d.amount_minor, 0)
          FROM deals d)
 GROUP BY entity, hour, lead_hour, pipeline_id, responsible_id, source_id, stage_id, visited, currency;
DELETE FROM activity_tallies;
INSERT INTO activity_tallies
SELECT what, hour, responsible_id, kind, count(*)
  FROM (SELECT CASE WHEN completed THEN 'due_done' ELSE 'due_open' END AS what, deadline / 3600000 AS hour,
               coalesce(responsible_id, 0) AS responsible_id, kind
          FROM activities
        UNION ALL
        SELECT CASE WHEN completed_at > deadline THEN 'late' ELSE 'done' END, completed_at / 3600000,
               coalesce(responsible_id, 0), kind
          FROM activities WHERE completed_at IS NOT NULL)
 GROUP BY what, hour, responsible_id, kind;
