"""The search box's index: every area, indicator and document, as a script file in assets/.

The pages' Content-Security-Policy (default-src 'none', script-src 'self') forbids fetching JSON and
inline scripts, and browsers refuse fetch() under file:// anyway; a script file of the site is allowed
everywhere. report.js loads it when the box is first used, so pages that are only read never pay for
it, and matches the query in the browser (offline, no server).
"""

from __future__ import annotations

import json

import polars as pl

from pipelines.report.markup import SLUG_PATTERN
from pipelines.report.warehouse_data import ReportData

FILE = "search-index.js"
GLOBAL = "envreportsSearch"
# Entry fields, in this order: kind (area, indicator, document), label, detail, url relative to the site
# root, and the lower-cased text the query is matched against.
FIELDS = ("kind", "label", "detail", "url", "text")


def _safe(column: str) -> pl.Expr:
    """`markup.slug` as an expression."""
    return pl.col(column).str.replace_all(SLUG_PATTERN, "_")


def indicator_anchor() -> pl.Expr:
    """The id of an indicator's row in the overview's indicator table (indicator_code column)."""
    return pl.lit("indicator-") + _safe("indicator_code")


def _joined(*columns: str) -> pl.Expr:
    return pl.concat_str([pl.col(c) for c in columns], separator=" · ", ignore_nulls=True)


def search_entries(data: ReportData) -> pl.DataFrame:
    """One row per area page, indicator with facts and document page, with FIELDS as columns."""
    areas = data.areas.select(
        kind=pl.lit("area"),
        label=pl.col("name_zh"),
        detail=_joined("name_en", "province_zh"),
        url=pl.lit("area/") + _safe("area_key") + pl.lit(".html"),
        text=_joined("name_zh", "name_en", "province_zh", "area_key"),
    )
    indicators = (
        data.facts.select("indicator_code", "indicator_name_zh", "indicator_name_en", "domain")
        .unique("indicator_code")
        .sort("indicator_code")
        .select(
            kind=pl.lit("indicator"),
            label=pl.coalesce("indicator_name_zh", "indicator_code"),
            detail=_joined("indicator_code", "indicator_name_en"),
            url=pl.lit("index.html#") + indicator_anchor(),
            text=_joined("indicator_name_zh", "indicator_code", "indicator_name_en", "domain"),
        )
    )
    documents = data.documents.select(
        kind=pl.lit("document"),
        label=pl.col("source_file"),
        detail=_joined("title", "region_name"),
        url=pl.lit("doc/") + _safe("document_key") + pl.lit(".html"),
        text=_joined("source_file", "title", "region_name"),
    )
    entries = pl.concat([areas, indicators, documents])
    return entries.with_columns(pl.col("detail").fill_null(""), text=pl.col("text").fill_null("").str.to_lowercase())


def search_script(entries: pl.DataFrame) -> str:
    """The index as a classic script that sets one global; JSON is a JavaScript expression."""
    rows = json.dumps(entries.select(FIELDS).rows(), ensure_ascii=False, separators=(",", ":"))
    return f"window.{GLOBAL} = {rows};\n"
