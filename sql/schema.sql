-- envreports star schema. Loaded into a fresh file by every build; see README "Publishing".
-- Every table and column carries a COMMENT: `envreports schema` renders them as the data dictionary.

CREATE TABLE dim_indicator (
    indicator_code   VARCHAR PRIMARY KEY,
    name_zh          VARCHAR NOT NULL,
    name_en          VARCHAR NOT NULL,
    domain           VARCHAR NOT NULL,
    unit             VARCHAR NOT NULL,
    higher_is_better BOOLEAN,
    example_phrases  VARCHAR
);

CREATE TABLE dim_area (
    area_key     VARCHAR PRIMARY KEY,
    name_zh      VARCHAR NOT NULL,
    name_en      VARCHAR,
    level        VARCHAR NOT NULL,
    province_zh  VARCHAR,
    province_en  VARCHAR,
    parent_zh    VARCHAR
);

CREATE TABLE dim_period (
    year            INTEGER PRIMARY KEY,
    five_year_plan  VARCHAR,
    plan_start_year INTEGER,
    plan_end_year   INTEGER,
    is_plan_end     BOOLEAN NOT NULL
);

CREATE TABLE dim_document (
    document_key   VARCHAR PRIMARY KEY,
    source_file    VARCHAR NOT NULL UNIQUE,
    content_hash   VARCHAR,
    file_type      VARCHAR,
    size_bytes     BIGINT,
    encoding       VARCHAR,
    status         VARCHAR NOT NULL,
    error          VARCHAR,
    duplicate_of   VARCHAR,
    title          VARCHAR,
    doc_date       DATE,
    subject_year   INTEGER,
    source_type    VARCHAR,
    authority_rank INTEGER,
    area_key       VARCHAR REFERENCES dim_area (area_key),
    n_pages        INTEGER,
    n_tables       INTEGER,
    n_chars        BIGINT,
    read_method    VARCHAR,
    page_methods   VARCHAR[],
    ocr_confidence DOUBLE,
    ocr_low_pages  INTEGER[],
    ocr_warning    VARCHAR,
    same_report_as VARCHAR,
    same_report_similarity DOUBLE,
    same_report_figures DOUBLE
);

CREATE TABLE fact_indicator (
    fact_key       VARCHAR PRIMARY KEY,
    document_key   VARCHAR NOT NULL REFERENCES dim_document (document_key),
    area_key       VARCHAR REFERENCES dim_area (area_key),
    indicator_code VARCHAR NOT NULL REFERENCES dim_indicator (indicator_code),
    year           INTEGER REFERENCES dim_period (year),
    value_kind     VARCHAR NOT NULL CHECK (value_kind IN ('actual', 'target', 'change_abs', 'change_pct')),
    value          DOUBLE NOT NULL,
    unit           VARCHAR NOT NULL,
    year_start     INTEGER,
    base_year      INTEGER,
    period_start   DATE,
    period_end     DATE,
    is_full_year   BOOLEAN NOT NULL DEFAULT true,
    rule           VARCHAR,
    figure_text    VARCHAR,
    unit_text      VARCHAR,
    qualifier      VARCHAR CHECK (qualifier IN ('≥', '≤', '>', '≈')),
    evidence       VARCHAR NOT NULL,
    char_start     BIGINT,
    char_end       BIGINT,
    page           INTEGER
);

CREATE TABLE fact_rejected (
    fact_key       VARCHAR NOT NULL,
    document_key   VARCHAR NOT NULL REFERENCES dim_document (document_key),
    region_name    VARCHAR,
    area_key       VARCHAR,
    indicator_code VARCHAR,
    year           INTEGER,
    year_start     INTEGER,
    base_year      INTEGER,
    period_start   DATE,
    period_end     DATE,
    is_full_year   BOOLEAN,
    rule           VARCHAR,
    value_kind     VARCHAR,
    value          DOUBLE,
    unit           VARCHAR,
    figure_text    VARCHAR,
    unit_text      VARCHAR,
    qualifier      VARCHAR,
    evidence       VARCHAR,
    char_start     BIGINT,
    char_end       BIGINT,
    page           INTEGER,
    reason         VARCHAR NOT NULL,
    reason_in_words VARCHAR NOT NULL
);

CREATE TABLE document_text (
    document_key    VARCHAR PRIMARY KEY REFERENCES dim_document (document_key),
    clean_text      VARCHAR NOT NULL,
    simplified_text VARCHAR NOT NULL,
    read_text       VARCHAR NOT NULL,
    original_text   VARCHAR NOT NULL
);

CREATE TABLE noise_removed (
    document_key VARCHAR NOT NULL REFERENCES dim_document (document_key),
    stage        VARCHAR NOT NULL,
    seq          INTEGER NOT NULL,
    char_start   BIGINT NOT NULL,
    char_end     BIGINT NOT NULL,
    page         INTEGER,
    reason       VARCHAR NOT NULL,
    removed_text VARCHAR NOT NULL,
    PRIMARY KEY (document_key, stage, seq)
);

COMMENT ON TABLE dim_indicator IS 'Indicator catalogue: one row per indicator code, with its canonical unit and direction.';
COMMENT ON COLUMN dim_indicator.indicator_code IS 'Stable indicator code, e.g. air.pm25_mean; a public contract, never renamed.';
COMMENT ON COLUMN dim_indicator.name_zh IS 'Chinese name of the indicator.';
COMMENT ON COLUMN dim_indicator.name_en IS 'English name of the indicator.';
COMMENT ON COLUMN dim_indicator.domain IS 'Domain: air, water, soil, noise, ecology, agriculture, energy, climate, emissions, waste, building, enforcement, complaints.';
COMMENT ON COLUMN dim_indicator.unit IS 'Canonical unit every value of this indicator is stored in (%, day, ug/m3, dB(A), ha, kW, t, t/d, CNY, case, index …).';
COMMENT ON COLUMN dim_indicator.higher_is_better IS 'True where a higher value is better, false where lower is better, null where direction is not meaningful.';
COMMENT ON COLUMN dim_indicator.example_phrases IS 'Phrases (|-separated) that name the indicator in documents.';

COMMENT ON TABLE dim_area IS 'Chinese administrative areas (province, prefecture, county/district) from the gazetteer shipped with the project.';
COMMENT ON COLUMN dim_area.area_key IS 'Six-digit administrative division code (adcode).';
COMMENT ON COLUMN dim_area.name_zh IS 'Full simplified Chinese name with suffix, e.g. 安阳市, 彰武县.';
COMMENT ON COLUMN dim_area.name_en IS 'Pinyin or English name, e.g. Anyang.';
COMMENT ON COLUMN dim_area.level IS 'province, prefecture or county (counties include districts and county-level cities).';
COMMENT ON COLUMN dim_area.province_zh IS 'Chinese name of the province the area belongs to (the area itself for a province).';
COMMENT ON COLUMN dim_area.province_en IS 'English name of the province.';
COMMENT ON COLUMN dim_area.parent_zh IS 'The area one level up: the prefecture of a county, the province of a prefecture.';

COMMENT ON TABLE dim_period IS 'Calendar years 1949-2100 with the five-year plan each belongs to.';
COMMENT ON COLUMN dim_period.year IS 'Calendar year.';
COMMENT ON COLUMN dim_period.five_year_plan IS 'Five-year plan of the year, e.g. 十四五 (from 1953, 一五).';
COMMENT ON COLUMN dim_period.plan_start_year IS 'First year of that five-year plan.';
COMMENT ON COLUMN dim_period.plan_end_year IS 'Last year of that five-year plan; plan targets without a year belong here.';
COMMENT ON COLUMN dim_period.is_plan_end IS 'True for the last year of a five-year plan.';

COMMENT ON TABLE dim_document IS 'One row per file found in the raw folder, read or not, with its status and document-level context.';
COMMENT ON COLUMN dim_document.document_key IS 'Deterministic key: hash of the path relative to the raw folder.';
COMMENT ON COLUMN dim_document.source_file IS 'Path of the file relative to the raw folder.';
COMMENT ON COLUMN dim_document.content_hash IS 'sha256 of the file content; equal hashes mean duplicate documents.';
COMMENT ON COLUMN dim_document.file_type IS 'txt or pdf by content (not by extension); unknown when unreadable.';
COMMENT ON COLUMN dim_document.size_bytes IS 'File size in bytes.';
COMMENT ON COLUMN dim_document.encoding IS 'Detected text encoding (txt) or pdf.';
COMMENT ON COLUMN dim_document.status IS 'ok, or why not: empty, unreadable, corrupt, encrypted, needs_ocr, too_large, unsupported, skipped, duplicate, no_content (read, but nothing but page noise: navigation, share bars, 404 text), failed (a stage crashed on this document; error names the stage), changed (the file changed, vanished or became unreadable during the build: read again by the next), timed_out / too_complex (a stage passed the per-document time / memory limit).';
COMMENT ON COLUMN dim_document.error IS 'Human-readable reason when status is not ok.';
COMMENT ON COLUMN dim_document.duplicate_of IS 'For a duplicate, the source_file of the first file with the same content; its facts are counted there.';
COMMENT ON COLUMN dim_document.title IS 'Document title found in the text.';
COMMENT ON COLUMN dim_document.doc_date IS 'Date the document was written, read out or published, found in the text; resolves 今年/去年.';
COMMENT ON COLUMN dim_document.subject_year IS 'The year the document reports on (2024年度环境状况 → 2024).';
COMMENT ON COLUMN dim_document.source_type IS 'bulletin (公报), congress (人大), government, plan, bureau, news or unknown.';
COMMENT ON COLUMN dim_document.authority_rank IS 'Lower is more authoritative: 1 bulletin, 2 congress/government/plan, 3 bureau, 4 news, 5 unknown; used by v_latest_facts.';
COMMENT ON COLUMN dim_document.area_key IS 'The document''s own area (adcode), where one was found.';
COMMENT ON COLUMN dim_document.n_pages IS 'Pages of a PDF; 0 for text files.';
COMMENT ON COLUMN dim_document.n_tables IS 'Tables found in a PDF.';
COMMENT ON COLUMN dim_document.n_chars IS 'Characters of text read, before cleaning.';
COMMENT ON COLUMN dim_document.same_report_as IS 'For a read document that is another copy of a report (the PDF of a text, a mirrored page): the source_file the report is counted as (text before PDF, then the first path). Null for a report''s canonical copy. Aggregating views count each report once.';
COMMENT ON COLUMN dim_document.same_report_similarity IS 'Estimated Jaccard similarity (MinHash, 5-character shingles of the clean text without spaces or punctuation) to the canonical copy; copies need at least 0.7.';
COMMENT ON COLUMN dim_document.same_report_figures IS 'Jaccard similarity of the numbers the two texts state (as multisets); copies need at least 0.8, so next year''s bulletin on the same template is not a copy.';
COMMENT ON COLUMN dim_document.read_method IS 'How a PDF was read: text (its text layer), ocr (scanned pages recognised by OCR) or text+ocr; null for text files.';
COMMENT ON COLUMN dim_document.page_methods IS 'How each PDF page was read, text or ocr, indexed by page number (page_methods[1] is page 1).';
COMMENT ON COLUMN dim_document.ocr_confidence IS 'Mean OCR recognition score (0 to 1, per character) of the pages read by OCR; null when no page was.';
COMMENT ON COLUMN dim_document.ocr_low_pages IS 'Pages whose OCR score is below the trust threshold (0.85): their figures may be misread.';
COMMENT ON COLUMN dim_document.ocr_warning IS 'Warning naming the low-confidence OCR pages; null when OCR was sure or not used.';

COMMENT ON TABLE fact_indicator IS 'One stated figure: document × area × indicator × year × value kind (× base year for changes), in the canonical unit, with its evidence.';
COMMENT ON COLUMN fact_indicator.fact_key IS 'Deterministic key: hash of document, area, indicator, year, value kind, base year and period.';
COMMENT ON COLUMN fact_indicator.document_key IS 'The document that states the figure.';
COMMENT ON COLUMN fact_indicator.area_key IS 'The area the figure describes (adcode); null when the document names none.';
COMMENT ON COLUMN fact_indicator.indicator_code IS 'Catalogue indicator code.';
COMMENT ON COLUMN fact_indicator.year IS 'Calendar year the figure describes; null when the text does not say.';
COMMENT ON COLUMN fact_indicator.value_kind IS 'actual, target, change_abs (difference in the indicator unit) or change_pct (relative difference in percent).';
COMMENT ON COLUMN fact_indicator.value IS 'The figure in the canonical unit; decreases are negative.';
COMMENT ON COLUMN fact_indicator.unit IS 'Canonical unit of value: the indicator unit, or % for change_pct.';
COMMENT ON COLUMN fact_indicator.year_start IS 'First year of a span the figure covers (十三五期间 → 2016).';
COMMENT ON COLUMN fact_indicator.base_year IS 'Base year of a change (同比 → the year before).';
COMMENT ON COLUMN fact_indicator.period_start IS 'First day of the part of the year the figure covers (1—5月 → Jan 1); null for a whole-year figure.';
COMMENT ON COLUMN fact_indicator.period_end IS 'Last day (inclusive) of that part of the year (截至10月18日 → Oct 18); null for a whole-year figure.';
COMMENT ON COLUMN fact_indicator.is_full_year IS 'True when the figure covers its whole year; false for a month, quarter, half or the year to a date. Targets cover their year.';
COMMENT ON COLUMN fact_indicator.rule IS 'The extraction rule that paired indicator and figure (governing, copula, continuation, distribution, base_in_parentheses, area_list, shared_by_areas, listed_areas, periods_listed, area_clause, share_of_count, table_indicators_down, table_indicators_across, table_areas_across; extraction.RULES, each a documented method).';
COMMENT ON COLUMN fact_indicator.figure_text IS 'The figure as written in the document.';
COMMENT ON COLUMN fact_indicator.unit_text IS 'The unit as written in the document.';
COMMENT ON COLUMN fact_indicator.qualifier IS '≥ (以上/不低于), ≤ (以内/不超过), > (超过/余/多), ≈ (约/左右); never folded into value.';
COMMENT ON COLUMN fact_indicator.evidence IS 'The sentence the figure was read from, from the clean text.';
COMMENT ON COLUMN fact_indicator.char_start IS 'Offset of the figure in the document''s clean text.';
COMMENT ON COLUMN fact_indicator.char_end IS 'End offset (exclusive) of the figure in the clean text.';
COMMENT ON COLUMN fact_indicator.page IS 'PDF page (1-based) of the figure; null for text files.';

COMMENT ON TABLE fact_rejected IS 'Quarantine: figures that failed a row-level expectation; never in fact_indicator.';
COMMENT ON COLUMN fact_rejected.fact_key IS 'Key the fact would have had.';
COMMENT ON COLUMN fact_rejected.document_key IS 'The document that states the figure.';
COMMENT ON COLUMN fact_rejected.region_name IS 'Area name the extractor gave.';
COMMENT ON COLUMN fact_rejected.indicator_code IS 'Indicator code the extractor gave.';
COMMENT ON COLUMN fact_rejected.area_key IS 'Area (adcode) the extractor resolved, where it found one.';
COMMENT ON COLUMN fact_rejected.year IS 'Year the extractor gave.';
COMMENT ON COLUMN fact_rejected.year_start IS 'First year of a span, as for fact_indicator.';
COMMENT ON COLUMN fact_rejected.base_year IS 'Base year of a change, as for fact_indicator.';
COMMENT ON COLUMN fact_rejected.period_start IS 'First day of a part-year period, as for fact_indicator.';
COMMENT ON COLUMN fact_rejected.period_end IS 'Last day of a part-year period, as for fact_indicator.';
COMMENT ON COLUMN fact_rejected.is_full_year IS 'Whether the figure covers its whole year, as for fact_indicator.';
COMMENT ON COLUMN fact_rejected.rule IS 'The extraction rule that produced the figure, as for fact_indicator.';
COMMENT ON COLUMN fact_rejected.value_kind IS 'Value kind the extractor gave.';
COMMENT ON COLUMN fact_rejected.value IS 'Normalised value, null when the unit could not be converted.';
COMMENT ON COLUMN fact_rejected.unit IS 'Unit of value.';
COMMENT ON COLUMN fact_rejected.figure_text IS 'The figure as written.';
COMMENT ON COLUMN fact_rejected.unit_text IS 'The unit as written.';
COMMENT ON COLUMN fact_rejected.qualifier IS 'Qualifier as for fact_indicator.';
COMMENT ON COLUMN fact_rejected.evidence IS 'The sentence the figure was read from.';
COMMENT ON COLUMN fact_rejected.char_start IS 'Offset of the figure in the clean text.';
COMMENT ON COLUMN fact_rejected.char_end IS 'End offset of the figure in the clean text.';
COMMENT ON COLUMN fact_rejected.page IS 'PDF page of the figure.';
COMMENT ON COLUMN fact_rejected.reason IS 'The expectation(s) the row failed, as named in the Data Docs, with indicator and unit.';
COMMENT ON COLUMN fact_rejected.reason_in_words IS 'Why the row was rejected, in plain words: the figure, the expectation it failed and why the expectation holds.';

COMMENT ON TABLE document_text IS 'Texts of each read document: as decoded, as read (folded, PDF re-flowed), and as cleaned.';
COMMENT ON COLUMN document_text.document_key IS 'The document.';
COMMENT ON COLUMN document_text.clean_text IS 'Text with page noise removed, in the document''s own script; fact offsets point here.';
COMMENT ON COLUMN document_text.simplified_text IS 'clean_text converted to simplified characters, same length; the extractor reads this.';
COMMENT ON COLUMN document_text.read_text IS 'Text as read: NFKC-folded, PDF pages re-flowed with tables as rows; noise offsets of the clean stage point here.';
COMMENT ON COLUMN document_text.original_text IS 'Text as decoded from the file, before folding.';

COMMENT ON TABLE noise_removed IS 'Audit of every span removed as noise, by stage and reason.';
COMMENT ON COLUMN noise_removed.document_key IS 'The document.';
COMMENT ON COLUMN noise_removed.stage IS 'read (running headers, page numbers) or clean (scraped-page noise).';
COMMENT ON COLUMN noise_removed.seq IS 'Order of the removal within document and stage.';
COMMENT ON COLUMN noise_removed.char_start IS 'Start offset in the text the stage received (read_text for clean).';
COMMENT ON COLUMN noise_removed.char_end IS 'End offset (exclusive).';
COMMENT ON COLUMN noise_removed.page IS 'PDF page, where known.';
COMMENT ON COLUMN noise_removed.reason IS 'Why: seo_spam, headline_run, spam_header, navigation, page_meta, image_filename, duplicate_block, pinyin, notice, caption, running_header, running_footer, page_number.';
COMMENT ON COLUMN noise_removed.removed_text IS 'The removed text.';
