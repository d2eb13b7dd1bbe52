-- Year-on-year changes as stated, with the base year and the evidence.
SELECT region_name, indicator_code, year, base_year, value_kind, value, unit, evidence
FROM v_indicator_facts
WHERE value_kind IN ('change_abs', 'change_pct')
ORDER BY region_name, indicator_code, year;
