-- Every episode with its home and placement postcode districts (from the sectors), whether the
-- districts differ, and, when the reference table ref_postcode_district_la is filled (district → LA
-- code), the placement's LA and whether it is outside the responsible LA (NULL when unknown).
SELECT e.la, e.collection_year, e.child, e.decom, e.dec, e.place, e.place_provider,
       substr(e.home_post_sector, 1, length(e.home_post_sector) - 2) AS home_district,
       substr(e.pl_post_sector, 1, length(e.pl_post_sector) - 2) AS placement_district,
       CASE WHEN e.home_post_sector IS NULL OR e.pl_post_sector IS NULL THEN NULL
            WHEN substr(e.home_post_sector, 1, length(e.home_post_sector) - 2)
                 <> substr(e.pl_post_sector, 1, length(e.pl_post_sector) - 2) THEN 1 ELSE 0 END AS district_differs,
       r.la AS placement_la,
       CASE WHEN r.la IS NULL THEN NULL WHEN r.la <> e.la THEN 1 ELSE 0 END AS outside_home_la
FROM care_episodes e
LEFT JOIN ref_postcode_district_la r
  ON r.district = substr(e.pl_post_sector, 1, length(e.pl_post_sector) - 2)
