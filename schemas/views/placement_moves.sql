-- Placement moves per child per collection year: episodes starting within the year (1 April to
-- 31 March) with a change of placement (RNE P, T, U or B). A child with two or more moves has had
-- three or more placements in the year (the DfE placement stability measure).
SELECT e.la, e.collection_year, e.child,
       SUM(CASE WHEN e.rne IN ('P', 'T', 'U', 'B') AND e.decom >= date((e.collection_year - 1) || '-04-01')
                THEN 1 ELSE 0 END) AS moves,
       CASE WHEN SUM(CASE WHEN e.rne IN ('P', 'T', 'U', 'B') AND e.decom >= date((e.collection_year - 1) || '-04-01')
                          THEN 1 ELSE 0 END) >= 2 THEN 1 ELSE 0 END AS three_or_more_placements
FROM care_episodes e
WHERE e.decom <= date(e.collection_year || '-03-31')
  AND (e.dec IS NULL OR e.dec >= date((e.collection_year - 1) || '-04-01'))
GROUP BY e.la, e.collection_year, e.child
