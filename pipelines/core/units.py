"""Units: the table of units as written (unit_text → canonical unit × factor) and the normalise step.

The table lives in pipelines/data/units.csv, so a unit spelling found in a new document is one
added row, not code. Canonical units are the catalogue's; a figure written in one canonical
unit and catalogued in another (mg/m3 written, ug/m3 catalogued) goes through CONVERSIONS.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

import polars as pl

from pipelines.core.catalogue import catalogue_frame
from pipelines.core.models import CHANGE_ABS, CHANGE_PCT

OK, UNKNOWN_UNIT, INCOMPATIBLE_UNIT = "ok", "unknown_unit", "incompatible_unit"
CHANGE_KINDS = (CHANGE_ABS, CHANGE_PCT)
# units a figure may be written without: a ratio ("劣Ⅴ类水质断面比例0") or an index (4.803)
UNITLESS = ("%", "index")
CONVERSIONS = (("mg/m3", "ug/m3", 1000.0), ("ug/m3", "mg/m3", 0.001))


def unit_key(text: str) -> str:
    """The spelling the table is keyed on: NFKC-folded, without white space (μg/m³ → μg/m3)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _folded(expr: pl.Expr) -> pl.Expr:
    """unit_key as an expression."""
    return expr.fill_null("").str.normalize("NFKC").str.replace_all(r"\s+", "")


@cache
def unit_frame() -> pl.DataFrame:
    """unit_text (folded) → unit, factor; one row per spelling."""
    raw = resources.files("pipelines.data").joinpath("units.csv").read_text(encoding="utf-8")
    frame = pl.read_csv(raw.encode(), schema={"unit_text": pl.String, "unit": pl.String, "factor": pl.Float64})
    return frame.with_columns(_folded(pl.col("unit_text"))).unique("unit_text", keep="first", maintain_order=True)


@cache
def unit_table() -> dict[str, tuple[str, float]]:
    """The same table as a dict, for the extractor's compatibility checks on single figures."""
    return {r["unit_text"]: (r["unit"], r["factor"]) for r in unit_frame().iter_rows(named=True)}


@cache
def spellings_longest_first() -> tuple[str, ...]:
    """Every unit spelling, longest first, so a pattern built from them prefers 'dB(A)' to 'dB'."""
    return tuple(sorted(unit_table(), key=len, reverse=True))


def conversion_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "from_unit": [c[0] for c in CONVERSIONS],
            "to_unit": [c[1] for c in CONVERSIONS],
            "conversion": [c[2] for c in CONVERSIONS],
        }
    )


def convertible(written_unit: str, target_unit: str) -> bool:
    """Whether a figure in `written_unit` (canonical) can be stated in `target_unit`."""
    return written_unit == target_unit or any(c[0] == written_unit and c[1] == target_unit for c in CONVERSIONS)


def normalise_facts(raw: pl.DataFrame) -> pl.DataFrame:
    """Add value (in the catalogue unit; the written percent for change_pct), unit and unit_status.

    Joins only: unit_text → unit table, indicator_code → catalogue, (written, target) →
    conversions. A figure whose unit is not in the table is 'unknown_unit'; one whose unit
    cannot become the catalogue's is 'incompatible_unit'; both keep value null.
    """
    cat = catalogue_frame().select("indicator_code", pl.col("unit").alias("_cat_unit"))
    table = unit_frame().rename({"unit_text": "_unit_key", "unit": "_written_unit", "factor": "_factor"})
    kind, key = pl.col("value_kind"), pl.col("_unit_key")
    target = pl.col("_target_unit")
    # nothing written: a ratio or an index in its own unit, or a zero change (持平) in any unit
    unitless = (
        pl.col("_written_unit").is_null()
        & (key == "")
        & (target.is_in(UNITLESS) | (kind.is_in(CHANGE_KINDS) & (pl.col("number") == 0)))
    )
    out = (
        raw.with_columns(_unit_key=_folded(pl.col("unit_text")))
        .join(cat, on="indicator_code", how="left", maintain_order="left")
        .with_columns(_target_unit=pl.when(kind == CHANGE_PCT).then(pl.lit("%")).otherwise(pl.col("_cat_unit")))
        .join(table, on="_unit_key", how="left", maintain_order="left")
        .with_columns(
            _written_unit=pl.when(unitless).then(target).otherwise(pl.col("_written_unit")),
            _factor=pl.when(unitless).then(pl.lit(1.0)).otherwise(pl.col("_factor")),
        )
        .join(
            conversion_frame(),
            left_on=["_written_unit", "_target_unit"],
            right_on=["from_unit", "to_unit"],
            how="left",
            maintain_order="left",
        )
        .with_columns(
            _conversion=pl.when(pl.col("_written_unit") == target).then(pl.lit(1.0)).otherwise(pl.col("conversion"))
        )
        .with_columns(
            unit_status=pl.when(pl.col("_written_unit").is_null())
            .then(pl.lit(UNKNOWN_UNIT))
            .when(pl.col("_conversion").is_null())
            .then(pl.lit(INCOMPATIBLE_UNIT))
            .otherwise(pl.lit(OK))
        )
        .with_columns(
            value=pl.when(pl.col("unit_status") == OK).then(
                (pl.col("number") * pl.col("_factor") * pl.col("_conversion")).round(6)
            ),
            unit=target,
        )
    )
    return out.drop("_unit_key", "_cat_unit", "_target_unit", "_written_unit", "_factor", "conversion", "_conversion")
