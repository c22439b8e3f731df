-- The report tallies made again from the records, activities and stage moves (migration 23,
-- and after a copy has replaced the stage moves): what the triggers of migration 23 keep.
DELETE FROM record_tallies;
INSERT INTO record_tallies
SELECT entity, unit, bucket, lead_bucket, pipeline_id, responsible_id, source_id, stage_id, visited, currency,
       count(*), sum(amount)
  FROM (SELECT r.entity, u.unit, r.created_at / u.unit AS bucket,
               CASE WHEN r.lead_created IS NULL THEN -1 ELSE r.lead_created / u.unit END AS lead_bucket,
               r.pipeline_id, r.responsible_id, r.source_id, r.stage_id, r.visited, r.currency, r.amount
          FROM (SELECT 'lead' AS entity, l.created_at, NULL AS lead_created, 0 AS pipeline_id,
                       coalesce(l.responsible_id, 0) AS responsible_id, coalesce(l.source_id, 0) AS source_id, l.stage_id,
                       (SELECT group_concat(s) FROM (SELECT stage_id AS s FROM stage_moves
                         WHERE entity = 'lead' AND record_id = l.id UNION SELECT l.stage_id ORDER BY 1)) AS visited,
                       coalesce(l.currency, '') AS currency, coalesce(l.amount_minor, 0) AS amount
                  FROM leads l
                UNION ALL
                SELECT 'deal', d.created_at, (SELECT created_at FROM leads WHERE id = d.lead_id), d.pipeline_id,
                       coalesce(d.responsible_id, 0), coalesce(d.source_id, 0), d.stage_id,
                       (SELECT group_concat(s) FROM (SELECT stage_id AS s FROM stage_moves
                         WHERE entity = 'deal' AND record_id = d.id UNION SELECT d.stage_id ORDER BY 1)),
                       coalesce(d.currency, ''), coalesce(d.amount_minor, 0)
                  FROM deals d) r, tally_units u)
 GROUP BY entity, unit, bucket, lead_bucket, pipeline_id, responsible_id, source_id, stage_id, visited, currency;
DELETE FROM activity_tallies;
INSERT INTO activity_tallies
SELECT what, u.unit, at / u.unit AS bucket, responsible_id, kind, count(*)
  FROM (SELECT CASE WHEN completed THEN 'due_done' ELSE 'due_open' END AS what, deadline AS at,
               coalesce(responsible_id, 0) AS responsible_id, kind
          FROM activities
        UNION ALL
        SELECT CASE WHEN completed_at > deadline THEN 'late' ELSE 'done' END, completed_at, coalesce(responsible_id, 0), kind
          FROM activities WHERE completed_at IS NOT NULL) a, tally_units u
 GROUP BY what, u.unit, bucket, responsible_id, kind;
