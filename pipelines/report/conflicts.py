"""Where documents disagree: the same area, indicator, year and kind of value read as different values.

The report flags such facts wherever they appear (chart points, fact tables, highlighted figures) and
lists them on the overview, so nobody takes one document's number for the truth without seeing the other.
Facts without an area or a year have no key and are never in conflict. Values are compared with their
(normalised) units; two documents giving the same value agree however often it is repeated.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipelines.report.markup import value_text

KEY = ("area_key", "indicator_code", "year", "value_kind")


@dataclass(frozen=True)
class Conflicts:
    """`facts` with a `conflict` column (what the documents say, or null); `keys` one row per key in
    conflict (KEY, region_name, indicator_name_zh, n_values, conflict), sorted."""

    facts: pl.DataFrame
    keys: pl.DataFrame


def find_conflicts(facts: pl.DataFrame) -> Conflicts:
    """`facts` needs KEY, value, unit, source_file, region_name and indicator_name_zh; row order is kept."""
    keyed = facts.filter(pl.col("area_key").is_not_null(), pl.col("year").is_not_null())
    per_value = keyed.group_by(*KEY, "value", "unit").agg(
        sources=pl.col("source_file").unique().sort().str.join(", "),
        region_name=pl.col("region_name").first(),
        indicator_name_zh=pl.col("indicator_name_zh").first(),
    )
    stated = pl.concat_str(value_text("value"), pl.lit(" "), pl.col("unit"), pl.lit(" ("), "sources", pl.lit(")"))
    keys = (
        per_value.sort(*KEY, "value", "unit")
        .group_by(*KEY, maintain_order=True)
        .agg(
            pl.col("region_name").first(),
            pl.col("indicator_name_zh").first(),
            n_values=pl.len(),
            conflict=stated.str.join(" ≠ "),
        )
        .filter(pl.col("n_values") > 1)
    )
    flagged = facts.join(keys.select(*KEY, "conflict"), on=list(KEY), how="left", maintain_order="left")
    return Conflicts(flagged, keys)
