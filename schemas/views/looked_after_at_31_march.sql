-- Children looked after at 31 March of each collection year, by LA and placement type: the DfE's
-- "looked after at 31 March" count. For another date, filter care_episodes the same way:
--   WHERE decom <= date('2024-12-31') AND (dec IS NULL OR dec > date('2024-12-31'))
SELECT e.la, e.collection_year, e.place, COUNT(DISTINCT e.child) AS children
FROM care_episodes e
WHERE e.decom <= date(e.collection_year || '-03-31')
  AND (e.dec IS NULL OR e.dec > date(e.collection_year || '-03-31'))
GROUP BY e.la, e.collection_year, e.place
