"""How figures are shown to people, in one place for the CLI and the evidence report."""

from __future__ import annotations

import datetime as dt


def period_text(year: int | None, start: dt.date | None, end: dt.date | None) -> str:
    """The year a figure describes, with the part of it when it is not the whole year: a month's or the
    year-to-date figure must not read as the year's (2024, or 2024 (01-01…06-30)); "-" without a year."""
    shown = "-" if year is None else str(year)
    return f"{shown} ({start:%m-%d}…{end:%m-%d})" if start and end else shown


def kind_text(kind: str | None, base_year: int | None) -> str:
    """The value kind, with the year a change is measured against (change_pct vs 2020)."""
    return f"{kind or ''} vs {base_year}" if base_year is not None else kind or ""
