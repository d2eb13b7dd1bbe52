"""Tables of facts and quarantined figures, each row linking to where the figure stands in its text."""

from __future__ import annotations

import polars as pl

from pipelines.core.display import human_number, kind_text
from pipelines.report.markup import area_path, document_path, esc, link, num, slug, table, year


def _indicator(code: str | None, name: str | None) -> str:
    return f"<code>{esc(code)}</code> {esc(name)}" if name else f"<code>{esc(code)}</code>"


def _as_written(figure: str | None, unit: str | None) -> str:
    return esc(f"{figure or ''}{unit or ''}")


def value_cell(value: float, conflict: str | None) -> str:
    """The value; when another document gives another value for the same key, a visible flag and, on
    hover, what each document says."""
    if conflict is None:
        return num(value)
    flag = f'<span class="flag">⚠ 冲突 conflict</span> {esc(human_number(value))}'
    return f'<td class="num conflict" title="{esc("冲突 conflict: " + conflict)}">{flag}</td>'


def facts_table(facts: pl.DataFrame, root: str, area_pages: set[str], by_document: bool) -> str:
    """All facts given; on an area page the last column is the document, on a document page the area."""
    last = "文件 document" if by_document else "地区 area"
    headers = [
        "证据 evidence",
        "指标 indicator",
        "年份 year",
        "类型 kind",
        "数值 value",
        "单位 unit",
        "限定",
        "原文 as written",
        "页 page",
        last,
    ]
    rows = []
    for f in facts.iter_rows(named=True):
        if by_document:
            where = link(root + document_path(f["document_key"]), esc(f["source_file"]))
        elif f["area_key"] in area_pages:
            where = link(root + area_path(f["area_key"]), esc(f["region_name"]))
        else:
            where = esc(f["region_name"])
        rows.append(
            [
                link(root + f["target"], "→ " + esc(human_number(f["value"]))),
                _indicator(f["indicator_code"], f["indicator_name_zh"]),
                year(f["year"], f["period_start"], f["period_end"]),
                esc(kind_text(f["value_kind"], f["base_year"])),
                value_cell(f["value"], f["conflict"]),
                esc(f["unit"]),
                esc(f["qualifier"]),
                _as_written(f["figure_text"], f["unit_text"]),
                num(f["page"]),
                where,
            ]
        )
    return table(headers, rows, "facts")


def rejected_table(rejected: pl.DataFrame, root: str, by_document: bool) -> str:
    """Quarantined figures: why in words, with the expectation they failed beside it."""
    headers = ["证据 evidence", "指标 indicator", "年份 year", "类型 kind", "数值 value", "单位 unit"]
    headers += ["原文 as written", "地区 area", "原因 reason"] + (["文件 document"] if by_document else [])
    rows = []
    for r in rejected.iter_rows(named=True):
        page = document_path(r["document_key"])
        row = [
            link(f"{root}{page}#{slug(r['anchor'])}", "→ " + esc(r["figure_text"] or human_number(r["value"]))),
            _indicator(r["indicator_code"], r["indicator_name_zh"]),
            year(r["year"], r["period_start"], r["period_end"]),
            esc(kind_text(r["value_kind"], r["base_year"])),
            num(r["value"]),
            esc(r["unit"]),
            _as_written(r["figure_text"], r["unit_text"]),
            esc(r["region_name"]),
            f"{esc(r['reason_in_words'])}<br><small><code>{esc(r['reason'])}</code></small>",
        ]
        rows.append(row + ([link(root + page, esc(r["source_file"]))] if by_document else []))
    return table(headers, rows, "rejected")
