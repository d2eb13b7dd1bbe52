-- How many facts each province contributes per indicator domain.
SELECT coalesce(province_zh, '(unknown)') AS province, domain, count(*) AS facts,
       count(DISTINCT source_file) AS documents
FROM v_indicator_facts
GROUP BY ALL
ORDER BY province, facts DESC;
