-- The report tallies made again from the records, activities and stage moves (migration 13,
-- and after a copy has replaced the stage moves): what the triggers of migration 13 keep.
DELETE FROM record_tallies;
INSERT INTO record_tallies
SELECT 'lead', l.created_at / 3600000, -1, 0, coalesce(l.responsible_id, 0), coalesce(l.source_id, 0), l.stage_id,
       prospect_visited('lead', l.id, l.stage_id), coalesce(l.currency, ''), count(*), sum(coalesce(l.amount_minor, 0))
  FROM leads l GROUP BY 2, 5, 6, 7, 8, 9;
INSERT INTO record_tallies
SELECT 'deal', d.created_at / 3600000, coalesce(l.created_at / 3600000, -1), d.pipeline_id, coalesce(d.responsible_id, 0),
       coalesce(d.source_id, 0), d.stage_id, prospect_visited('deal', d.id, d.stage_id), coalesce(d.currency, ''),
       count(*), sum(coalesce(d.amount_minor, 0))
  FROM deals d LEFT JOIN leads l ON l.id = d.lead_id GROUP BY 2, 3, 4, 5, 6, 7, 8, 9;
DELETE FROM activity_tallies;
INSERT INTO activity_tallies
SELECT what, hour, responsible_id, kind, count(*)
  FROM (SELECT CASE WHEN completed THEN 'due_done' ELSE 'due_open' END AS what, deadline / 3600000 AS hour,
               coalesce(responsible_id, 0) AS responsible_id, kind
          FROM activities
        UNION ALL
        SELECT CASE WHEN completed_at > deadline THEN 'late' ELSE 'done' END, completed_at / 3600000,
               coalesce(responsible_id, 0), kind
          FROM activities WHERE completed_at IS NOT NULL) x
 GROUP BY 1, 2, 3, 4;
