"""What the report reads from a published warehouse: the contract views, plus fact_rejected for offsets.

Everything is ordered in SQL so that the same warehouse always gives byte-identical pages.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import duckdb
import polars as pl

from pipelines.core.display import human_units

_DOCUMENTS = """
SELECT v.document_key, v.source_file, v.status, v.error, v.file_type, v.title, v.doc_date, v.subject_year,
       v.source_type, v.region_name, d.area_key, v.duplicate_of, v.n_pages, v.n_chars, v.n_facts, v.n_rejected
FROM v_documents v
JOIN dim_document d USING (document_key)
ORDER BY v.source_file, v.document_key
"""

_TEXTS = "SELECT document_key, clean_text FROM document_text WHERE list_contains(?, document_key)"
TEXT_BATCH = 64

# Every document's own facts (its page highlights them all); `counted` marks the row v_report_facts keeps
# for its report, so that counts, charts and conflicts see a report in two formats once.
_FACTS = """
SELECT f.fact_key, f.document_key, f.source_file, f.area_key, f.region_name, f.indicator_code,
       f.indicator_name_zh, f.indicator_name_en, f.domain, f.year, f.value_kind, f.base_year, f.period_start,
       f.period_end, f.is_full_year, f.value, f.unit, f.qualifier,
       f.figure_text, f.unit_text, f.page, f.char_start, f.char_end, f.evidence, f.document_title,
       r.fact_key IS NOT NULL AS counted
FROM v_indicator_facts f
LEFT JOIN v_report_facts r USING (fact_key)
ORDER BY f.source_file, f.char_start NULLS LAST, f.indicator_code, f.fact_key
"""

# v_rejected_facts has no offsets; the table has them.
_REJECTED = """
SELECT r.fact_key, r.document_key, d.source_file, r.region_name, r.indicator_code,
       i.name_zh AS indicator_name_zh, r.year, r.value_kind, r.base_year, r.period_start, r.period_end, r.value,
       r.unit, r.qualifier, r.figure_text, r.unit_text, r.page, r.char_start, r.char_end, r.reason,
       r.reason_in_words, r.evidence
FROM fact_rejected r
JOIN dim_document d USING (document_key)
LEFT JOIN dim_indicator i USING (indicator_code)
ORDER BY d.source_file, r.char_start NULLS LAST, r.fact_key, r.reason, r.indicator_code, r.year,
         r.value_kind, r.value, r.evidence
"""

_NOISE = """
SELECT n.document_key, n.stage, n.seq, n.reason, n.page, n.char_start, n.char_end, n.removed_text,
       length(n.removed_text) AS n_chars
FROM noise_removed n
ORDER BY n.document_key, n.stage, n.seq
"""

_AREAS = """
SELECT a.area_key, a.name_zh, a.name_en, a.level, a.province_zh, a.parent_zh
FROM dim_area a
WHERE a.area_key IN (SELECT area_key FROM fact_indicator)
ORDER BY a.area_key
"""


@dataclass(frozen=True)
class ReportData:
    """The warehouse tables the pages are drawn from; document texts are streamed (clean_texts)."""

    documents: pl.DataFrame
    facts: pl.DataFrame
    rejected: pl.DataFrame
    noise: pl.DataFrame
    areas: pl.DataFrame


def load_report_data(con: duckdb.DuckDBPyConnection) -> ReportData:
    """The report's rows, units shown as people write them (µg/m³, not the catalogue's ug/m3)."""
    rejected = con.sql(_REJECTED).pl().with_columns(unit=human_units("unit"))
    return ReportData(
        documents=con.sql(_DOCUMENTS).pl(),
        facts=con.sql(_FACTS).pl().with_columns(unit=human_units("unit")),
        # A quarantined key is not unique (the same figure may fail twice): number them per document and key.
        rejected=rejected.with_columns(
            anchor=pl.concat_str(
                pl.lit("rejected-"),
                pl.col("fact_key"),
                pl.lit("-"),
                pl.int_range(pl.len()).over("document_key", "fact_key").cast(pl.String),
            )
        ),
        noise=con.sql(_NOISE).pl(),
        areas=con.sql(_AREAS).pl(),
    )


def clean_texts(con: duckdb.DuckDBPyConnection, document_keys: Sequence[str]) -> Iterator[tuple[str, str | None]]:
    """(document_key, the text fact offsets point into) for each key in order; None for documents that
    were not read. Fetched a batch of keys at a time: sorting the texts in SQL would hold all of them
    in memory, and one query per document costs a millisecond each."""
    for start in range(0, len(document_keys), TEXT_BATCH):
        keys = list(document_keys[start : start + TEXT_BATCH])
        texts = dict(con.execute(_TEXTS, [keys]).fetchall())
        yield from ((key, texts.get(key)) for key in keys)
