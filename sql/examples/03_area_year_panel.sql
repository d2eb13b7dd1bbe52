-- The wide panel: headline air, water and soil actuals per area and year.
SELECT region_name, province_zh, year, pm25_ug_m3, good_days_pct, good_days, water_good_pct,
       farmland_safe_use_pct
FROM v_area_year
ORDER BY province_zh, region_name, year;
