"""How figures are shown to people, in one place for the CLI and the evidence report."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from decimal import Decimal
from importlib import resources

import polars as pl

SIGNIFICANT_DIGITS = 15
"""Digits a float is shown to: every float has at least 15 right (DBL_DIG), so a value read as 95.66 and
converted (0.9566 × 100 = 95.66000000000001) is shown as written, not with the conversion's noise."""


def human_number(value: float | int | Decimal | None) -> str:
    """A number as people write it: 6,370,000 and 0.00001, never 6.37e+06 or 1e-05; the integer digits
    grouped in threes, no trailing zeros, floats to SIGNIFICANT_DIGITS. Integers and decimals are shown
    exactly; None as nothing, and a float that is not finite as Python spells it (nan, inf)."""
    if value is None:
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    exact = Decimal(f"{value:.{SIGNIFICANT_DIGITS}g}") if isinstance(value, float) else Decimal(value)
    text = f"{exact:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _human_series(values: pl.Series) -> pl.Series:
    seen = values.drop_nulls().unique().to_list()
    shown = dict(zip(seen, map(human_number, seen), strict=True))
    return values.replace_strict(shown, default=None, return_dtype=pl.String)


def human_numbers(column: str) -> pl.Expr:
    """`human_number` of a numeric column as a polars expression (null stays null), for labels built in
    polars. Formats each distinct value once in Python: the same strings as the tables, by construction."""
    return pl.col(column).map_batches(_human_series, return_dtype=pl.String)


def period_text(year: int | None, start: dt.date | None, end: dt.date | None) -> str:
    """The year a figure describes, with the part of it when it is not the whole year: a month's or the
    year-to-date figure must not read as the year's (2024, or 2024 (01-01…06-30)); "-" without a year."""
    shown = "-" if year is None else str(year)
    return f"{shown} ({start:%m-%d}…{end:%m-%d})" if start and end else shown


def kind_text(kind: str | None, base_year: int | None) -> str:
    """The value kind, with the year a change is measured against (change_pct vs 2020)."""
    return f"{kind or ''} vs {base_year}" if base_year is not None else kind or ""


def _unit_display() -> dict[str, str]:
    text = resources.files("pipelines.data").joinpath("unit_display.csv").read_text(encoding="utf-8")
    return {row["unit"]: row["display"] for row in csv.DictReader(io.StringIO(text))}


UNIT_DISPLAY = _unit_display()
"""Catalogue unit codes as people write them (ug/m3 → µg/m³, day → 天 days): unit_display.csv."""


def human_unit(unit: str | None) -> str:
    """A catalogue unit as people write it; the codes in the warehouse stay as they are, and units the
    file does not name are shown as they are."""
    return UNIT_DISPLAY.get(unit, unit) if unit else ""


def human_units(column: str) -> pl.Expr:
    """`human_unit` of a column as a polars expression (null stays null)."""
    return pl.col(column).replace(UNIT_DISPLAY)
