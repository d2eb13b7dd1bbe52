-- Figures a report states in more than one copy (a PDF and its text, a mirrored page), counted once.
SELECT report_file, region_name, indicator_code, year, value_kind, value, unit, n_copies
FROM v_report_facts
WHERE n_copies > 1
ORDER BY report_file, indicator_code, year, value_kind;
