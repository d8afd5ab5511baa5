-- Entries to care (episodes starting with RNE S) and exits from care (episodes ending with a reason
-- other than X1, a same-day new episode) per LA and month.
SELECT la, month, SUM(entries) AS entries, SUM(exits) AS exits
FROM (
  SELECT la, substr(CAST(decom AS TEXT), 1, 7) AS month, 1 AS entries, 0 AS exits
  FROM care_episodes WHERE rne = 'S'
  UNION ALL
  SELECT la, substr(CAST(dec AS TEXT), 1, 7) AS month, 0 AS entries, 1 AS exits
  FROM care_episodes WHERE dec IS NOT NULL AND rec IS NOT NULL AND rec <> 'X1'
) AS movements
GROUP BY la, month
