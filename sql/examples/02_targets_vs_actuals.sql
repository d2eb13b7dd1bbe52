-- Where a document states both a target and an actual for the same area, indicator and year.
SELECT a.region_name, a.indicator_code, a.year, t.value AS target, a.value AS actual, a.unit,
       CASE WHEN i.higher_is_better THEN a.value >= t.value ELSE a.value <= t.value END AS met
FROM v_latest_facts a
JOIN v_latest_facts t USING (region_name, indicator_code, year)
JOIN dim_indicator i USING (indicator_code)
WHERE a.value_kind = 'actual' AND t.value_kind = 'target' AND a.is_full_year AND t.is_full_year
ORDER BY a.region_name, a.indicator_code, a.year;
