-- Contract views: names and the first columns are fixed (checks and analysts depend on them);
-- extra columns come after them.

CREATE VIEW v_documents AS
SELECT d.source_file, d.status, d.error,
       d.file_type, d.title, d.doc_date, d.subject_year, d.source_type,
       a.name_zh AS region_name, d.duplicate_of, d.n_pages, d.n_tables, d.n_chars, d.size_bytes,
       (SELECT count(*) FROM fact_indicator f WHERE f.document_key = d.document_key) AS n_facts,
       (SELECT count(*) FROM fact_rejected r WHERE r.document_key = d.document_key) AS n_rejected,
       d.document_key, d.content_hash,
       d.read_method, d.page_methods, d.ocr_confidence, d.ocr_warning
FROM dim_document d
LEFT JOIN dim_area a USING (area_key);

CREATE VIEW v_document_text AS
SELECT d.source_file, t.clean_text, t.simplified_text, d.document_key
FROM document_text t
JOIN dim_document d USING (document_key);

CREATE VIEW v_indicator_facts AS
SELECT d.source_file, a.name_zh AS region_name, f.indicator_code, f.year, f.value_kind, f.value, f.unit,
       f.evidence,
       f.qualifier, f.figure_text, f.unit_text, f.year_start, f.base_year, f.page, f.char_start, f.char_end,
       f.period_start, f.period_end, f.is_full_year, f.rule,
       i.name_zh AS indicator_name_zh, i.name_en AS indicator_name_en, i.domain,
       a.name_en AS region_name_en, a.level AS region_level, a.province_zh,
       d.title AS document_title, d.doc_date, d.source_type, f.fact_key, f.document_key, f.area_key,
       d.page_methods[f.page] AS page_read_by,
       CASE WHEN list_contains(d.ocr_low_pages, f.page)
            THEN 'page ' || f.page || ' was read by OCR with low confidence: check the figure against the scan'
       END AS ocr_warning
FROM fact_indicator f
JOIN dim_document d USING (document_key)
JOIN dim_indicator i USING (indicator_code)
LEFT JOIN dim_area a ON a.area_key = f.area_key;

CREATE VIEW v_rejected_facts AS
SELECT d.source_file, r.indicator_code, r.value, r.reason,
       r.region_name, r.year, r.value_kind, r.unit, r.figure_text, r.unit_text, r.evidence, r.page,
       r.fact_key, r.document_key
FROM fact_rejected r
JOIN dim_document d USING (document_key);

CREATE VIEW v_noise AS
SELECT d.source_file, n.stage, n.reason, n.char_start, n.char_end, n.page,
       length(n.removed_text) AS n_chars, n.removed_text
FROM noise_removed n
JOIN dim_document d USING (document_key);

-- One value per area, indicator, year and kind: the most authoritative source wins
-- (公报 > 人大/政府/规划 > 局 > news), then the latest document date, then the file name.
CREATE VIEW v_latest_facts AS
SELECT region_name, indicator_code, year, value_kind, value, unit, source_file AS won_by, area_key,
       source_type, doc_date, evidence, n_sources, n_distinct_values
FROM (
    SELECT f.*, d.authority_rank,
           count(*) OVER w AS n_sources,
           count(DISTINCT f.value) OVER w AS n_distinct_values,
           row_number() OVER (
               PARTITION BY f.area_key, f.indicator_code, f.year, f.value_kind
               ORDER BY d.authority_rank, d.doc_date DESC NULLS LAST, f.source_file
           ) AS pick
    FROM v_indicator_facts f
    JOIN dim_document d USING (document_key)
    WHERE f.area_key IS NOT NULL AND f.year IS NOT NULL AND f.is_full_year
    WINDOW w AS (PARTITION BY f.area_key, f.indicator_code, f.year, f.value_kind)
)
WHERE pick = 1;

-- A wide panel: one row per area and year with the headline actual values.
CREATE VIEW v_area_year AS
SELECT l.region_name, a.name_en AS region_name_en, a.province_zh, l.year,
       max(value) FILTER (WHERE indicator_code = 'air.pm25_mean')        AS pm25_ug_m3,
       max(value) FILTER (WHERE indicator_code = 'air.pm10_mean')        AS pm10_ug_m3,
       max(value) FILTER (WHERE indicator_code = 'air.good_days_ratio')  AS good_days_pct,
       max(value) FILTER (WHERE indicator_code = 'air.good_days')        AS good_days,
       max(value) FILTER (WHERE indicator_code = 'air.heavy_pollution_days') AS heavy_pollution_days,
       max(value) FILTER (WHERE indicator_code = 'air.composite_index')  AS air_composite_index,
       max(value) FILTER (WHERE indicator_code = 'water.good_quality_ratio') AS water_good_pct,
       max(value) FILTER (WHERE indicator_code = 'water.inferior_v_ratio')   AS water_inferior_v_pct,
       max(value) FILTER (WHERE indicator_code = 'water.drinking_source_compliance') AS drinking_water_compliance_pct,
       max(value) FILTER (WHERE indicator_code = 'soil.contaminated_farmland_safe_use_rate') AS farmland_safe_use_pct,
       max(value) FILTER (WHERE indicator_code = 'soil.key_construction_land_safe_use_rate') AS construction_land_safe_use_pct,
       max(value) FILTER (WHERE indicator_code = 'eco.forest_coverage')  AS forest_coverage_pct,
       count(*) AS n_facts
FROM v_latest_facts l
JOIN dim_area a USING (area_key)
WHERE l.value_kind = 'actual'
GROUP BY ALL;

COMMENT ON VIEW v_documents IS 'Every file in the raw folder with its status (ok or why not) and error, plus context and fact counts.';
COMMENT ON VIEW v_document_text IS 'Clean text of each read document (original script) and its simplified twin.';
COMMENT ON VIEW v_indicator_facts IS 'All loaded facts with document, area and indicator names; the main analyst view.';
COMMENT ON COLUMN v_indicator_facts.period_start IS 'First day of the part of the year the figure covers (1—5月 → Jan 1); null for a whole-year figure.';
COMMENT ON COLUMN v_indicator_facts.period_end IS 'Last day (inclusive) of that part of the year (截至10月18日 → Oct 18); null for a whole-year figure.';
COMMENT ON COLUMN v_indicator_facts.is_full_year IS 'True when the figure covers its whole year; false for a month, quarter, half or the year to a date.';
COMMENT ON COLUMN v_indicator_facts.rule IS 'The extraction rule that paired indicator and figure: governing, copula, continuation, distribution, base_in_parentheses, area_list, table_indicators_down, table_indicators_across, table_areas_across.';
COMMENT ON VIEW v_rejected_facts IS 'Quarantined figures and the expectations they failed.';
COMMENT ON VIEW v_noise IS 'Removed noise per document, by stage and reason.';
COMMENT ON VIEW v_latest_facts IS 'One value per area, indicator, year and kind, from the most authoritative, latest source; won_by names it. Whole-year figures only.';
COMMENT ON VIEW v_area_year IS 'Wide panel: one row per area and year with headline air, water, soil and ecology actuals.';

COMMENT ON COLUMN v_documents.read_method IS 'How a PDF was read: text (its text layer), ocr (scanned pages recognised by OCR) or text+ocr; null for text files.';
COMMENT ON COLUMN v_documents.page_methods IS 'How each PDF page was read, text or ocr, indexed by page number.';
COMMENT ON COLUMN v_documents.ocr_confidence IS 'Mean OCR recognition score (0 to 1, per character) of the pages read by OCR; null when no page was.';
COMMENT ON COLUMN v_documents.ocr_warning IS 'Warning naming the pages whose OCR score is below the trust threshold; null when OCR was sure or not used.';
COMMENT ON COLUMN v_indicator_facts.page_read_by IS 'How the fact''s page was read: text (text layer) or ocr (scanned page); null for text files.';
COMMENT ON COLUMN v_indicator_facts.ocr_warning IS 'Set when the fact''s page was read by OCR with low confidence: the figure may be misread.';
