-- Contract views: names and the first columns are fixed (checks and analysts depend on them);
-- extra columns come after them.

CREATE VIEW v_documents AS
SELECT d.source_file, d.status, d.error,
       d.file_type, d.title, d.doc_date, d.subject_year, d.source_type,
       a.name_zh AS region_name, d.duplicate_of, d.n_pages, d.n_tables, d.n_chars, d.size_bytes,
       (SELECT count(*) FROM fact_indicator f WHERE f.document_key = d.document_key) AS n_facts,
       (SELECT count(*) FROM fact_rejected r WHERE r.document_key = d.document_key) AS n_rejected,
       d.document_key, d.content_hash,
       d.read_method, d.page_methods, d.ocr_confidence, d.ocr_warning,
       d.same_report_as, d.same_report_similarity, d.same_report_figures
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
SELECT d.source_file, r.indicator_code, r.value, r.reason, r.reason_in_words,
       r.region_name, r.year, r.value_kind, r.unit, r.figure_text, r.unit_text, r.evidence, r.page,
       r.fact_key, r.document_key
FROM fact_rejected r
JOIN dim_document d USING (document_key);

CREATE VIEW v_noise AS
SELECT d.source_file, n.stage, n.reason, n.char_start, n.char_end, n.page,
       length(n.removed_text) AS n_chars, n.removed_text
FROM noise_removed n
JOIN dim_document d USING (document_key);

-- One row per report and fact: a report that arrives as a PDF and as a text, or mirrored on several
-- sites (dim_document.same_report_as), states each figure once. The canonical copy's row wins; a figure
-- only one copy yielded is kept. Everything that aggregates reads this view, not v_indicator_facts.
CREATE VIEW v_report_facts AS
SELECT * EXCLUDE (pick)
FROM (
    SELECT f.*,
           count(*) OVER k AS n_copies,
           row_number() OVER (k ORDER BY f.is_copy, f.source_file) AS pick
    FROM (
        SELECT v.*, coalesce(d.same_report_as, v.source_file) AS report_file, d.same_report_as IS NOT NULL AS is_copy
        FROM v_indicator_facts v
        JOIN dim_document d USING (document_key)
    ) f
    WINDOW k AS (
        PARTITION BY f.report_file, f.area_key, f.indicator_code, f.year, f.value_kind, f.base_year,
                     f.period_start, f.period_end
    )
)
WHERE pick = 1;

-- One value per area, indicator, year, kind, base year and period: the most authoritative report wins
-- (公报 > 人大/政府/规划 > 局 > news), then the latest document date, then the file name.
-- Each report counts once (v_report_facts). Every period: a month's figure and the year's are two keys.
CREATE VIEW v_latest_period_facts AS
SELECT region_name, indicator_code, year, value_kind, value, unit, source_file AS won_by, area_key,
       source_type, doc_date, evidence, n_sources, n_distinct_values,
       qualifier, figure_text, unit_text, page, base_year, year_start, period_start, period_end, is_full_year,
       report_file, indicator_name_zh, indicator_name_en, page_read_by, ocr_warning, fact_key, document_key
FROM (
    SELECT f.*, d.authority_rank,
           count(*) OVER w AS n_sources,
           count(DISTINCT f.value) OVER w AS n_distinct_values,
           row_number() OVER (w ORDER BY d.authority_rank, d.doc_date DESC NULLS LAST, f.source_file) AS pick
    FROM v_report_facts f
    JOIN dim_document d USING (document_key)
    WHERE f.area_key IS NOT NULL AND f.year IS NOT NULL
    WINDOW w AS (
        PARTITION BY f.area_key, f.indicator_code, f.year, f.value_kind, f.base_year, f.period_start, f.period_end
    )
)
WHERE pick = 1;

-- What analysts compare across years: whole-year figures only (issue 13: part-year figures on request,
-- from v_latest_period_facts).
CREATE VIEW v_latest_facts AS
SELECT * FROM v_latest_period_facts WHERE is_full_year;

-- Keys where reports disagree: one row per pair of reports with different values (value_a < value_b).
CREATE VIEW v_conflicts AS
WITH keyed AS (
    SELECT f.*,
           count(*) OVER w AS n_reports,
           count(DISTINCT f.value) OVER w AS n_values
    FROM v_report_facts f
    WHERE f.area_key IS NOT NULL AND f.year IS NOT NULL
    WINDOW w AS (
        PARTITION BY f.area_key, f.indicator_code, f.year, f.value_kind, f.base_year, f.period_start, f.period_end
    )
)
SELECT a.region_name, a.indicator_code, a.year, a.value_kind, a.base_year, a.period_start, a.period_end,
       a.is_full_year, a.unit,
       a.value AS value_a, a.qualifier AS qualifier_a, a.figure_text AS figure_text_a, a.source_file AS source_a,
       a.page AS page_a, a.evidence AS evidence_a,
       b.value AS value_b, b.qualifier AS qualifier_b, b.figure_text AS figure_text_b, b.source_file AS source_b,
       b.page AS page_b, b.evidence AS evidence_b,
       a.n_reports, a.n_values, a.area_key, a.fact_key AS fact_key_a, b.fact_key AS fact_key_b
FROM keyed a
JOIN keyed b
  ON a.area_key = b.area_key AND a.indicator_code = b.indicator_code AND a.year = b.year
 AND a.value_kind = b.value_kind AND a.base_year IS NOT DISTINCT FROM b.base_year
 AND a.period_start IS NOT DISTINCT FROM b.period_start AND a.period_end IS NOT DISTINCT FROM b.period_end
 AND a.report_file <> b.report_file AND a.value < b.value
WHERE a.n_values > 1;

-- A wide panel: one row per area and year with the headline whole-year actuals, and for each number how
-- many reports state a value for it (_sources) and how many different values they give (_values).
CREATE VIEW v_area_year AS
SELECT l.region_name, a.name_en AS region_name_en, a.province_zh, l.year,
       max(value) FILTER (WHERE indicator_code = 'air.pm25_mean') AS pm25_ug_m3,
       max(n_sources) FILTER (WHERE indicator_code = 'air.pm25_mean') AS pm25_ug_m3_sources,
       max(n_distinct_values) FILTER (WHERE indicator_code = 'air.pm25_mean') AS pm25_ug_m3_values,
       max(value) FILTER (WHERE indicator_code = 'air.pm10_mean') AS pm10_ug_m3,
       max(n_sources) FILTER (WHERE indicator_code = 'air.pm10_mean') AS pm10_ug_m3_sources,
       max(n_distinct_values) FILTER (WHERE indicator_code = 'air.pm10_mean') AS pm10_ug_m3_values,
       max(value) FILTER (WHERE indicator_code = 'air.good_days_ratio') AS good_days_pct,
       max(n_sources) FILTER (WHERE indicator_code = 'air.good_days_ratio') AS good_days_pct_sources,
       max(n_distinct_values) FILTER (WHERE indicator_code = 'air.good_days_ratio') AS good_days_pct_values,
       max(value) FILTER (WHERE indicator_code = 'air.good_days') AS good_days,
       max(n_sources) FILTER (WHERE indicator_code = 'air.good_days') AS good_days_sources,
       max(n_distinct_values) FILTER (WHERE indicator_code = 'air.good_days') AS good_days_values,
       max(value) FILTER (WHERE indicator_code = 'air.heavy_pollution_days') AS heavy_pollution_days,
       max(n_sources) FILTER (WHERE indicator_code = 'air.heavy_pollution_days') AS heavy_pollution_days_sources,
       max(n_distinct_values) FILTER (WHERE indicator_code = 'air.heavy_pollution_days') AS heavy_pollution_days_values,
       max(value) FILTER (WHERE indicator_code = 'air.composite_index') AS air_composite_index,
       max(n_sources) FILTER (WHERE indicator_code = 'air.composite_index') AS air_composite_index_sources,
       max(n_distinct_values) FILTER (WHERE indicator_code = 'air.composite_index') AS air_composite_index_values,
       max(value) FILTER (WHERE indicator_code = 'water.good_quality_ratio') AS water_good_pct,
       max(n_sources) FILTER (WHERE indicator_code = 'water.good_quality_ratio') AS water_good_pct_sources,
       max(n_distinct_values) FILTER (WHERE indicator_code = 'water.good_quality_ratio') AS water_good_pct_values,
       max(value) FILTER (WHERE indicator_code = 'water.inferior_v_ratio') AS water_inferior_v_pct,
       max(n_sources) FILTER (WHERE indicator_code = 'water.inferior_v_ratio') AS water_inferior_v_pct_sources,
       max(n_distinct_values) FILTER (WHERE indicator_code = 'water.inferior_v_ratio') AS water_inferior_v_pct_values,
       max(value) FILTER (WHERE indicator_code = 'water.drinking_source_compliance') AS drinking_water_compliance_pct,
       max(n_sources) FILTER (WHERE indicator_code = 'water.drinking_source_compliance') AS drinking_water_compliance_pct_sources,
       max(n_distinct_values) FILTER (WHERE indicator_code = 'water.drinking_source_compliance') AS drinking_water_compliance_pct_values,
       max(value) FILTER (WHERE indicator_code = 'soil.contaminated_farmland_safe_use_rate') AS farmland_safe_use_pct,
       max(n_sources) FILTER (WHERE indicator_code = 'soil.contaminated_farmland_safe_use_rate') AS farmland_safe_use_pct_sources,
       max(n_distinct_values) FILTER (WHERE indicator_code = 'soil.contaminated_farmland_safe_use_rate') AS farmland_safe_use_pct_values,
       max(value) FILTER (WHERE indicator_code = 'soil.key_construction_land_safe_use_rate') AS construction_land_safe_use_pct,
       max(n_sources) FILTER (WHERE indicator_code = 'soil.key_construction_land_safe_use_rate') AS construction_land_safe_use_pct_sources,
       max(n_distinct_values) FILTER (WHERE indicator_code = 'soil.key_construction_land_safe_use_rate') AS construction_land_safe_use_pct_values,
       max(value) FILTER (WHERE indicator_code = 'eco.forest_coverage') AS forest_coverage_pct,
       max(n_sources) FILTER (WHERE indicator_code = 'eco.forest_coverage') AS forest_coverage_pct_sources,
       max(n_distinct_values) FILTER (WHERE indicator_code = 'eco.forest_coverage') AS forest_coverage_pct_values,
       count(*) AS n_facts
FROM v_latest_facts l
JOIN dim_area a USING (area_key)
WHERE l.value_kind = 'actual' AND l.is_full_year
GROUP BY ALL;

-- Column comments: a view column without its own COMMENT takes the one of the column of the same name in
-- the relations it passes through unchanged (store.warehouse.COMMENT_SOURCES); the ones below are the
-- columns a view derives or renames.
COMMENT ON VIEW v_documents IS 'Every file in the raw folder with its status (ok or why not) and error, plus context, fact counts and the report it is a copy of.';
COMMENT ON COLUMN v_documents.region_name IS 'Chinese name of the document''s own area.';
COMMENT ON COLUMN v_documents.n_facts IS 'Facts loaded from this document (its own, before counting each report once).';
COMMENT ON COLUMN v_documents.n_rejected IS 'Figures of this document quarantined in v_rejected_facts.';
COMMENT ON COLUMN v_documents.page_methods IS 'How each PDF page was read, text or ocr, indexed by page number.';
COMMENT ON COLUMN v_documents.ocr_warning IS 'Warning naming the pages whose OCR score is below the trust threshold; null when OCR was sure or not used.';

COMMENT ON VIEW v_document_text IS 'Clean text of each read document (original script) and its simplified twin.';

COMMENT ON VIEW v_indicator_facts IS 'All loaded facts with document, area and indicator names: each document''s own evidence, copies of one report included. Aggregate over v_report_facts instead.';
COMMENT ON COLUMN v_indicator_facts.region_name IS 'Chinese name of the area the figure describes; null when the document names none.';
COMMENT ON COLUMN v_indicator_facts.is_full_year IS 'True when the figure covers its whole year; false for a month, quarter, half or the year to a date.';
COMMENT ON COLUMN v_indicator_facts.indicator_name_zh IS 'Chinese name of the indicator.';
COMMENT ON COLUMN v_indicator_facts.indicator_name_en IS 'English name of the indicator.';
COMMENT ON COLUMN v_indicator_facts.region_name_en IS 'Pinyin or English name of the area.';
COMMENT ON COLUMN v_indicator_facts.region_level IS 'province, prefecture or county.';
COMMENT ON COLUMN v_indicator_facts.document_title IS 'Title of the document that states the figure.';
COMMENT ON COLUMN v_indicator_facts.page_read_by IS 'How the fact''s page was read: text (text layer) or ocr (scanned page); null for text files.';
COMMENT ON COLUMN v_indicator_facts.ocr_warning IS 'Set when the fact''s page was read by OCR with low confidence: the figure may be misread.';

COMMENT ON VIEW v_report_facts IS 'v_indicator_facts with each report counted once: copies of one report (dim_document.same_report_as) give one row per figure, the canonical copy''s where it has one. The source for counting and aggregating; v_indicator_facts keeps every copy''s own rows.';
COMMENT ON COLUMN v_report_facts.report_file IS 'The report the figure belongs to: the source_file of its canonical copy.';
COMMENT ON COLUMN v_report_facts.is_copy IS 'True when the row comes from a copy, because the canonical copy did not yield this figure.';
COMMENT ON COLUMN v_report_facts.n_copies IS 'Documents of this report that state the figure (1 when only one copy has it).';

COMMENT ON VIEW v_rejected_facts IS 'Quarantined figures: why in words (reason_in_words) beside the expectation they failed (reason).';

COMMENT ON VIEW v_noise IS 'Removed noise per document, by stage and reason.';
COMMENT ON COLUMN v_noise.n_chars IS 'Characters removed.';

COMMENT ON VIEW v_latest_period_facts IS 'One value per area, indicator, year, kind, base year and period (months, quarters, halves and the year to a date included), from the most authoritative, latest report; won_by names it. Each report counts once.';
COMMENT ON VIEW v_latest_facts IS 'v_latest_period_facts for whole-year figures only: one value per area, indicator, year, kind and base year, from the most authoritative, latest report; won_by names it. Each report counts once. Part-year figures: v_latest_period_facts.';
COMMENT ON COLUMN v_latest_period_facts.won_by IS 'source_file of the document whose figure won.';
COMMENT ON COLUMN v_latest_period_facts.n_sources IS 'Reports (each counted once, copies merged) that state a value for this key.';
COMMENT ON COLUMN v_latest_period_facts.n_distinct_values IS 'Different values those reports give; above 1 means they disagree (v_conflicts lists them).';

COMMENT ON VIEW v_conflicts IS 'Keys (area, indicator, year, kind, base year, period) where reports disagree: one row per pair of reports with different values, value_a < value_b, each with its figure as written and its evidence.';
COMMENT ON COLUMN v_conflicts.value_a IS 'The smaller value, in unit.';
COMMENT ON COLUMN v_conflicts.qualifier_a IS 'Qualifier of the smaller value (≥, ≤, >, ≈).';
COMMENT ON COLUMN v_conflicts.figure_text_a IS 'The smaller value as written.';
COMMENT ON COLUMN v_conflicts.source_a IS 'source_file of the document stating the smaller value.';
COMMENT ON COLUMN v_conflicts.page_a IS 'PDF page of the smaller value; null for text files.';
COMMENT ON COLUMN v_conflicts.evidence_a IS 'The sentence the smaller value was read from.';
COMMENT ON COLUMN v_conflicts.value_b IS 'The larger value, in unit.';
COMMENT ON COLUMN v_conflicts.qualifier_b IS 'Qualifier of the larger value.';
COMMENT ON COLUMN v_conflicts.figure_text_b IS 'The larger value as written.';
COMMENT ON COLUMN v_conflicts.source_b IS 'source_file of the document stating the larger value.';
COMMENT ON COLUMN v_conflicts.page_b IS 'PDF page of the larger value; null for text files.';
COMMENT ON COLUMN v_conflicts.evidence_b IS 'The sentence the larger value was read from.';
COMMENT ON COLUMN v_conflicts.n_reports IS 'Reports that state a value for this key.';
COMMENT ON COLUMN v_conflicts.n_values IS 'Different values they give.';
COMMENT ON COLUMN v_conflicts.fact_key_a IS 'fact_key of the smaller value.';
COMMENT ON COLUMN v_conflicts.fact_key_b IS 'fact_key of the larger value.';

COMMENT ON VIEW v_area_year IS 'Wide panel: one row per area and year with headline whole-year air, water, soil and ecology actuals from v_latest_facts, each with how many reports and distinct values stand behind it.';
COMMENT ON COLUMN v_area_year.region_name_en IS 'Pinyin or English name of the area.';
COMMENT ON COLUMN v_area_year.n_facts IS 'Whole-year actual values of any indicator for this area and year in v_latest_facts.';
COMMENT ON COLUMN v_area_year.pm25_ug_m3 IS 'PM2.5 annual mean (ug/m3): air.pm25_mean, the v_latest_facts value (whole year, actual).';
COMMENT ON COLUMN v_area_year.pm25_ug_m3_sources IS 'Reports (each counted once) that state pm25_ug_m3 for this area and year.';
COMMENT ON COLUMN v_area_year.pm25_ug_m3_values IS 'Different values those reports give for pm25_ug_m3; above 1 means they disagree (see v_conflicts).';
COMMENT ON COLUMN v_area_year.pm10_ug_m3 IS 'PM10 annual mean (ug/m3): air.pm10_mean, the v_latest_facts value (whole year, actual).';
COMMENT ON COLUMN v_area_year.pm10_ug_m3_sources IS 'Reports (each counted once) that state pm10_ug_m3 for this area and year.';
COMMENT ON COLUMN v_area_year.pm10_ug_m3_values IS 'Different values those reports give for pm10_ug_m3; above 1 means they disagree (see v_conflicts).';
COMMENT ON COLUMN v_area_year.good_days_pct IS 'Share of days with good or excellent air (%): air.good_days_ratio, the v_latest_facts value (whole year, actual).';
COMMENT ON COLUMN v_area_year.good_days_pct_sources IS 'Reports (each counted once) that state good_days_pct for this area and year.';
COMMENT ON COLUMN v_area_year.good_days_pct_values IS 'Different values those reports give for good_days_pct; above 1 means they disagree (see v_conflicts).';
COMMENT ON COLUMN v_area_year.good_days IS 'Days with good or excellent air (优良天数): air.good_days, the v_latest_facts value (whole year, actual).';
COMMENT ON COLUMN v_area_year.good_days_sources IS 'Reports (each counted once) that state good_days for this area and year.';
COMMENT ON COLUMN v_area_year.good_days_values IS 'Different values those reports give for good_days; above 1 means they disagree (see v_conflicts).';
COMMENT ON COLUMN v_area_year.heavy_pollution_days IS 'Days of heavy or worse pollution: air.heavy_pollution_days, the v_latest_facts value (whole year, actual).';
COMMENT ON COLUMN v_area_year.heavy_pollution_days_sources IS 'Reports (each counted once) that state heavy_pollution_days for this area and year.';
COMMENT ON COLUMN v_area_year.heavy_pollution_days_values IS 'Different values those reports give for heavy_pollution_days; above 1 means they disagree (see v_conflicts).';
COMMENT ON COLUMN v_area_year.air_composite_index IS 'Ambient air quality composite index: air.composite_index, the v_latest_facts value (whole year, actual).';
COMMENT ON COLUMN v_area_year.air_composite_index_sources IS 'Reports (each counted once) that state air_composite_index for this area and year.';
COMMENT ON COLUMN v_area_year.air_composite_index_values IS 'Different values those reports give for air_composite_index; above 1 means they disagree (see v_conflicts).';
COMMENT ON COLUMN v_area_year.water_good_pct IS 'Share of surface water sections of good quality (I–III, %): water.good_quality_ratio, the v_latest_facts value (whole year, actual).';
COMMENT ON COLUMN v_area_year.water_good_pct_sources IS 'Reports (each counted once) that state water_good_pct for this area and year.';
COMMENT ON COLUMN v_area_year.water_good_pct_values IS 'Different values those reports give for water_good_pct; above 1 means they disagree (see v_conflicts).';
COMMENT ON COLUMN v_area_year.water_inferior_v_pct IS 'Share of surface water sections worse than class V (%): water.inferior_v_ratio, the v_latest_facts value (whole year, actual).';
COMMENT ON COLUMN v_area_year.water_inferior_v_pct_sources IS 'Reports (each counted once) that state water_inferior_v_pct for this area and year.';
COMMENT ON COLUMN v_area_year.water_inferior_v_pct_values IS 'Different values those reports give for water_inferior_v_pct; above 1 means they disagree (see v_conflicts).';
COMMENT ON COLUMN v_area_year.drinking_water_compliance_pct IS 'Drinking water sources meeting the standard (%): water.drinking_source_compliance, the v_latest_facts value (whole year, actual).';
COMMENT ON COLUMN v_area_year.drinking_water_compliance_pct_sources IS 'Reports (each counted once) that state drinking_water_compliance_pct for this area and year.';
COMMENT ON COLUMN v_area_year.drinking_water_compliance_pct_values IS 'Different values those reports give for drinking_water_compliance_pct; above 1 means they disagree (see v_conflicts).';
COMMENT ON COLUMN v_area_year.farmland_safe_use_pct IS 'Safe use rate of contaminated farmland (%): soil.contaminated_farmland_safe_use_rate, the v_latest_facts value (whole year, actual).';
COMMENT ON COLUMN v_area_year.farmland_safe_use_pct_sources IS 'Reports (each counted once) that state farmland_safe_use_pct for this area and year.';
COMMENT ON COLUMN v_area_year.farmland_safe_use_pct_values IS 'Different values those reports give for farmland_safe_use_pct; above 1 means they disagree (see v_conflicts).';
COMMENT ON COLUMN v_area_year.construction_land_safe_use_pct IS 'Safe use rate of key construction land (%): soil.key_construction_land_safe_use_rate, the v_latest_facts value (whole year, actual).';
COMMENT ON COLUMN v_area_year.construction_land_safe_use_pct_sources IS 'Reports (each counted once) that state construction_land_safe_use_pct for this area and year.';
COMMENT ON COLUMN v_area_year.construction_land_safe_use_pct_values IS 'Different values those reports give for construction_land_safe_use_pct; above 1 means they disagree (see v_conflicts).';
COMMENT ON COLUMN v_area_year.forest_coverage_pct IS 'Forest coverage (%): eco.forest_coverage, the v_latest_facts value (whole year, actual).';
COMMENT ON COLUMN v_area_year.forest_coverage_pct_sources IS 'Reports (each counted once) that state forest_coverage_pct for this area and year.';
COMMENT ON COLUMN v_area_year.forest_coverage_pct_values IS 'Different values those reports give for forest_coverage_pct; above 1 means they disagree (see v_conflicts).';
