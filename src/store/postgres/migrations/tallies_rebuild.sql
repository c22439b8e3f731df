-- The report tallies made again from the records, activities and stage moves (migration 13,
-- and after a copy has replaced the stage moves): what the triggers of migration 13 keep.
DELETE FROM record_tallies;
INSERT INTO record_tallies
SELECT r.entity, u.unit, r.created_at / u.unit, coalesce(r.lead_created / u.unit, -1), r.pipeline_id, r.responsible_id,
       r.source_id, r.stage_id, r.visited, r.currency, count(*), sum(r.amount)
  FROM (SELECT 'lead' AS entity, l.created_at, NULL::bigint AS lead_created, 0::bigint AS pipeline_id,
               coalesce(l.responsible_id, 0) AS responsible_id, coalesce(l.source_id, 0) AS source_id, l.stage_id,
               prospect_visited('lead', l.id, l.stage_id) AS visited, coalesce(l.currency, '') AS currency,
               coalesce(l.amount_minor, 0) AS amount
          FROM leads l
        UNION ALL
        SELECT 'deal', d.created_at, l.created_at, d.pipeline_id, coalesce(d.responsible_id, 0), coalesce(d.source_id, 0),
               d.stage_id, prospect_visited('deal', d.id, d.stage_id), coalesce(d.currency, ''), coalesce(d.amount_minor, 0)
          FROM deals d LEFT JOIN leads l ON l.id = d.lead_id) r
  CROSS JOIN tally_units u
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
DELETE FROM activity_tallies;
INSERT INTO activity_tallies
SELECT x.what, u.unit, x.at / u.unit, x.responsible_id, x.kind, count(*)
  FROM (SELECT CASE WHEN completed THEN 'due_done' ELSE 'due_open' END AS what, deadline AS at,
               coalesce(responsible_id, 0) AS responsible_id, kind
          FROM activities
        UNION ALL
        SELECT CASE WHEN completed_at > deadline THEN 'late' ELSE 'done' END, completed_at, coalesce(responsible_id, 0), kind
          FROM activities WHERE completed_at IS NOT NULL) x
  CROSS JOIN tally_units u
 GROUP BY 1, 2, 3, 4, 5;
