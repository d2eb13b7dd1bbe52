"""HTML building blocks shared by the report pages.

Every value that comes from the warehouse passes through `esc` (text and attributes alike): document
text is scraped from the web and may hold markup or script, which the report must show, never run.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from string import Template

import polars as pl

from pipelines.core.display import human_number, period_text

TEMPLATES = Path(__file__).parent / "templates"
_PAGE = Template((TEMPLATES / "page.html").read_text(encoding="utf-8"))
SLUG_PATTERN = r"[^0-9A-Za-z_-]"
_UNSAFE_NAME = re.compile(SLUG_PATTERN)
_SPECIAL = re.compile("[&<>\"']")  # what html.escape(quote=True) replaces


def esc(value: object) -> str:
    """Escape for text and quoted attributes; None is shown as nothing.

    Called about a million times for two thousand documents: most values have nothing to escape, and
    looking for the five characters first is faster than replacing each of them.
    """
    if value is None:
        return ""
    text = str(value)
    return html.escape(text, quote=True) if _SPECIAL.search(text) else text


def attrs(pairs: Iterable[tuple[str, object]]) -> str:
    """Attributes with escaped values; pairs whose value is None are left out."""
    return "".join(f' {name}="{esc(value)}"' for name, value in pairs if value is not None)


def slug(key: str) -> str:
    """A file or fragment name from a warehouse key (hex digests and adcodes pass through unchanged)."""
    return _UNSAFE_NAME.sub("_", key)


def document_path(document_key: str) -> str:
    """Site-relative path of a document page."""
    return f"doc/{slug(document_key)}.html"


def area_path(area_key: str) -> str:
    """Site-relative path of an area page."""
    return f"area/{slug(area_key)}.html"


def fact_anchor(fact_key: str) -> str:
    return f"fact-{slug(fact_key)}"


def evidence_target() -> pl.Expr:
    """Site-relative link to each fact's anchor on its document page (document_key, fact_key columns)."""
    safe = [pl.col(c).str.replace_all(SLUG_PATTERN, "_") for c in ("document_key", "fact_key")]
    return pl.concat_str(pl.lit("doc/"), safe[0], pl.lit(".html#fact-"), safe[1])


LEGEND_TITLE_CHARS = 20
"""Characters of a document's title a chart legend shows before the file name."""


def document_name() -> pl.Expr:
    """A document as a chart legend names it: the start of its title, then its file, which keeps two
    documents with one title apart (document_title and source_file columns)."""
    title = pl.col("document_title").str.strip_chars()
    cut = (
        pl.when(title.str.len_chars() > LEGEND_TITLE_CHARS)
        .then(title.str.slice(0, LEGEND_TITLE_CHARS - 1) + pl.lit("…"))
        .otherwise(title)
    )
    named = pl.concat_str(cut, pl.lit(" · "), pl.col("source_file"))
    return pl.when(title.is_null() | (title == "")).then(pl.col("source_file")).otherwise(named)


def link(href: str, label_html: str) -> str:
    return f'<a href="{esc(href)}">{label_html}</a>'


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], css_class: str = "") -> str:
    """A table of pre-rendered cells; headers are plain text. Cells wrapped as <td class=...> stay so."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(c if c.startswith("<td") else f"<td>{c}</td>" for c in row) + "</tr>" for row in rows
    )
    if not body:
        return '<p class="note">无 none</p>'
    return f'<table class="{esc(css_class)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def num(value: object) -> str:
    """A right-aligned numeric cell, digits grouped (use `year` for years)."""
    shown = human_number(value) if isinstance(value, int | float) and not isinstance(value, bool) else esc(value)
    return f'<td class="num">{shown}</td>'


def year(value: int | None, start: date | None = None, end: date | None = None) -> str:
    """A right-aligned year cell: 2024, never 2,024; a part-year figure says which part (period_text)."""
    return f'<td class="num">{esc(None if value is None else period_text(value, start, end))}</td>'


@dataclass(frozen=True)
class Stamp:
    """When the report was built and by which code: every page says so, so a printed or copied page
    can be matched to its build."""

    built_at: datetime
    version: str

    def html(self) -> str:
        moment = self.built_at.astimezone(UTC)
        return (
            f'生成于 built <time id="built-at" datetime="{moment:%Y-%m-%dT%H:%M:%SZ}">'
            f"{moment:%Y-%m-%d %H:%M:%S} UTC</time>"
            f' · 代码版本 code version <span id="code-version">{esc(self.version)}</span>'
        )


def page(title: str, body: str, root: str, stamp: Stamp, crumbs: str = "", scripts: Sequence[str] = ()) -> str:
    """A complete page: local stylesheet and scripts only, addressed relative to the site root.

    `scripts` are further files in assets/, run in order before report.js (all deferred).
    """
    extra = "".join(f'<script src="{esc(root)}assets/{esc(name)}" defer></script>\n' for name in scripts)
    return _PAGE.substitute(title=esc(title), body=body, root=root, crumbs=crumbs, scripts=extra, stamp=stamp.html())
