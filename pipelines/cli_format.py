"""How the CLI writes numbers, tables and evidence for people (and CSV/JSON for programs).

Pure functions over plain Python values, so cli.py stays about commands and these stay testable.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, TextIO

from pipelines.core.display import human_number

CELL_WIDTH = 60
"""Widest table cell in terminal columns; longer values end in '…' (column names are never cut)."""

TABLE_ROWS = 200
"""Rows a table shows; csv and json print every row."""

BOLD, PLAIN = "\x1b[1m", "\x1b[0m"
MARK_OPEN, MARK_CLOSE = "【", "】"
"""How the figure is marked in its evidence when the output is not a terminal (a file, a pipe, a test)."""

EVIDENCE_LINE = 160
"""Longest evidence line shown whole; longer lines are cut around the figure."""


def display_width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cut(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        used += display_width(ch)
        if used > width - 1:
            break
        out.append(ch)
    return "".join(out) + "…"


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - display_width(text))
    return gap + text if right else text + gap


def table_cell(value: Any) -> str:
    """One value in a table: NULL spelled out, floats as people write them, one line, cut when long."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(value).lower()
    text = human_number(value) if isinstance(value, float | Decimal) else str(value)
    return _cut(text.replace("\r\n", "⏎").replace("\n", "⏎"), CELL_WIDTH)


def _numeric(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def render_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], more: int = 0) -> str:
    """An aligned text table whose header keeps every column name whole; numbers align right."""
    cells = [[table_cell(v) for v in row] for row in rows]
    right = [bool(rows) and all(_numeric(row[i]) or row[i] is None for row in rows) for i in range(len(columns))]
    widths = [max([display_width(name), *(display_width(row[i]) for row in cells)]) for i, name in enumerate(columns)]
    lines = [
        "  ".join(_pad(name, w, r) for name, w, r in zip(columns, widths, right, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(_pad(c, w, r) for c, w, r in zip(row, widths, right, strict=True)).rstrip() for row in cells]
    shown = len(rows)
    noun = "row" if shown + more == 1 else "rows"
    if more:
        lines.append(f"({shown + more} {noun}, first {shown} shown; --format csv or json prints all)")
    else:
        lines.append(f"({shown} {noun})")
    return "\n".join(lines)


def write_csv(out: TextIO, columns: Sequence[str], batches: Iterable[Sequence[Sequence[Any]]]) -> None:
    """Header and every row as CSV (NULL as an empty field)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for batch in batches:
        writer.writerows(["" if v is None else v for v in row] for row in batch)


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value


def write_json(out: TextIO, columns: Sequence[str], batches: Iterable[Sequence[Sequence[Any]]]) -> None:
    """A JSON array of row objects, streamed (no row limit)."""
    out.write("[")
    first = True
    for batch in batches:
        for row in batch:
            record = {name: _json_value(v) for name, v in zip(columns, row, strict=True)}
            out.write(("\n" if first else ",\n") + json.dumps(record, ensure_ascii=False, default=str))
            first = False
    out.write("\n]\n" if not first else "]\n")


def figure_span(evidence: str, figure: str | None, unit_text: str | None) -> tuple[int, int] | None:
    """Where the figure (with its unit as written, when it follows) sits in its evidence sentence.

    PDF text and scraped pages often put a space between a figure and its unit ("637 万千瓦").
    """
    if not figure:
        return None
    if unit_text and (
        found := re.search(r"(?<![\d.])" + re.escape(figure) + r"[ \t\u3000]*" + re.escape(unit_text), evidence)
    ):
        return found.span()
    at = evidence.find(figure)
    return (at, at + len(figure)) if at >= 0 else None


def marked_evidence(
    evidence: str, figure: str | None, unit_text: str | None, *, bold: bool, width: int = EVIDENCE_LINE
) -> list[str]:
    """The evidence on its own lines with the figure marked (ANSI bold on a terminal, 【…】 otherwise).

    A line longer than `width` is cut to the part around the figure (or its start when the
    figure is on another line), so a table row or a paragraph does not flood the terminal.
    """
    opening, closing = (BOLD, PLAIN) if bold else (MARK_OPEN, MARK_CLOSE)
    span = figure_span(evidence, figure, unit_text)
    lines, offset = [], 0
    for line in evidence.splitlines() or [""]:
        start = evidence.find(line, offset)
        end = start + len(line)
        offset = end
        if span and start <= span[0] and span[1] <= end:
            a, b = span[0] - start, span[1] - start
            lo = max(0, min(a - (width - (b - a)) // 2, len(line) - width))
            hi = min(len(line), max(b + (width - (b - a)) // 2, width))
            text = line[lo:a] + opening + line[a:b] + closing + line[b:hi]
        else:
            lo, hi = 0, min(len(line), width)
            text = line[:hi]
        lines.append(("…" if lo > 0 else "") + text + ("…" if hi < len(line) else ""))
    return lines
