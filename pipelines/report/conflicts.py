"""Where documents disagree: the same figure (area, indicator, year, kind, base year and period: the
core's FIGURE_KEY, which v_conflicts keys on too) read as different values.

The report flags such facts wherever they appear (chart points, fact tables, highlighted figures) and
lists them on the overview, so nobody takes one document's number for the truth without seeing the other.
Facts without an area or a year have no key and are never in conflict. A month's or a half-year's figure
beside the year's, or a change against 2015 beside one against 2020, are different figures, not a
disagreement. Values are compared with their (normalised) units; two documents giving the same value
agree however often it is repeated.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipelines.core.display import human_numbers
from pipelines.core.records import FIGURE_KEY

KEY = FIGURE_KEY


@dataclass(frozen=True)
class Conflicts:
    """`facts` with a `conflict` column (what the documents say, or null); `keys` one row per key in
    conflict (KEY, region_name, indicator_name_zh, n_values, conflict), sorted."""

    facts: pl.DataFrame
    keys: pl.DataFrame


def find_conflicts(facts: pl.DataFrame) -> Conflicts:
    """`facts` needs KEY, value, unit, source_file, region_name and indicator_name_zh; row order is kept.
    Where it has `counted` (warehouse_data), only counted rows are compared: copies of one report are one
    voice, and all rows of a key in conflict are flagged. A null base year or period (a level, a whole
    year) matches only another null, as in v_conflicts."""
    keyed = facts.filter(pl.col("area_key").is_not_null(), pl.col("year").is_not_null())
    if "counted" in facts.columns:
        keyed = keyed.filter("counted")
    per_value = keyed.group_by(*KEY, "value", "unit").agg(
        sources=pl.col("source_file").unique().sort().str.join(", "),
        region_name=pl.col("region_name").first(),
        indicator_name_zh=pl.col("indicator_name_zh").first(),
    )
    stated = pl.concat_str(human_numbers("value"), pl.lit(" "), pl.col("unit"), pl.lit(" ("), "sources", pl.lit(")"))
    keys = (
        per_value.with_columns(stated=stated)  # formatted over the whole column, not once per group
        .sort(*KEY, "value", "unit")
        .group_by(*KEY, maintain_order=True)
        .agg(
            pl.col("region_name").first(),
            pl.col("indicator_name_zh").first(),
            n_values=pl.len(),
            conflict=pl.col("stated").str.join(" ≠ "),
        )
        .filter(pl.col("n_values") > 1)
    )
    flagged = facts.join(
        keys.select(*KEY, "conflict"), on=list(KEY), how="left", nulls_equal=True, maintain_order="left"
    )
    return Conflicts(flagged, keys)
