-- PM2.5 annual mean by area and year, one value each, with the document that won.
SELECT region_name, year, value AS pm25_ug_m3, won_by, n_sources
FROM v_latest_facts
WHERE indicator_code = 'air.pm25_mean' AND value_kind = 'actual' AND is_full_year
ORDER BY region_name, year;
