-- What the cleaner and the PDF reader removed, per reason.
SELECT stage, reason, count(*) AS spans, sum(n_chars) AS chars, count(DISTINCT source_file) AS documents
FROM v_noise
GROUP BY ALL
ORDER BY chars DESC;
