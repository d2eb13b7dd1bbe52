"""One page per document: its clean text with every figure marked where it stands, and what was removed."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipelines.core.display import human_number, kind_text, period_text
from pipelines.report.fact_tables import facts_table, rejected_table
from pipelines.report.highlight import Span, highlight
from pipelines.report.markup import Stamp, area_path, esc, fact_anchor, link, num, page, slug, table

ROOT = "../"


@dataclass(frozen=True)
class DocumentPage:
    html: str
    facts_highlighted: int
    rejected_highlighted: int


def _when(row: dict) -> str | None:
    """The year, with the part of it for a part-year figure; None without a year."""
    return None if row["year"] is None else period_text(row["year"], row["period_start"], row["period_end"])


def _title(row: dict) -> str:
    """The native tooltip: what the popover shows, for readers without script."""
    parts = [f"{row['indicator_code'] or '?'} = {human_number(row['value'])} {row['unit'] or ''}".strip()]
    parts += [v for v in (_when(row), kind_text(row["value_kind"], row["base_year"]), row["region_name"]) if v]
    if row.get("conflict"):
        parts.append(f"⚠ 冲突 conflict: {row['conflict']}")
    return " · ".join(parts)


def _data(row: dict) -> tuple[tuple[str, object], ...]:
    """What the popover shows; fact rows and quarantined rows share these columns."""
    figure = f"{row['figure_text'] or ''}{row['unit_text'] or ''}" or None
    return (
        ("data-key", row["fact_key"]),
        ("data-code", row["indicator_code"] or ""),
        ("data-name", row["indicator_name_zh"]),
        ("data-value", human_number(row["value"])),
        ("data-unit", row["unit"]),
        ("data-qualifier", row["qualifier"]),
        ("data-year", _when(row)),
        ("data-kind", kind_text(row["value_kind"], row["base_year"]) or None),
        ("data-area", row["region_name"]),
        ("data-figure", figure),
        ("data-page", row["page"]),
        ("data-conflict", row.get("conflict")),
    )


def _located(frame: pl.DataFrame) -> list[dict]:
    """Rows whose figure has offsets; the others are still listed in the tables below the text.

    Picked while the rows are read: a polars filter per document costs more than the few rows it drops.
    """
    return [r for r in frame.iter_rows(named=True) if r["char_start"] is not None and r["char_end"] is not None]


def fact_spans(facts: pl.DataFrame) -> list[Span]:
    return [
        Span(
            f["char_start"],
            f["char_end"],
            fact_anchor(f["fact_key"]),
            "fact conflict" if f["conflict"] else "fact",
            _data(f),
            _title(f),
        )
        for f in _located(facts)
    ]


def rejected_spans(rejected: pl.DataFrame) -> list[Span]:
    return [
        Span(
            r["char_start"],
            r["char_end"],
            slug(r["anchor"]),
            "rejected",
            (*_data(r), ("data-reason", r["reason"])),
            f"隔离 quarantined: {r['reason']} — {_title(r)}",
        )
        for r in _located(rejected)
    ]


def _meta(doc: dict, area_pages: set[str]) -> str:
    area = esc(doc["region_name"])
    if doc["area_key"] in area_pages:
        area = link(ROOT + area_path(doc["area_key"]), area)
    status_class = "status-ok" if doc["status"] == "ok" else "status-bad"
    items = [
        ("状态 status", f'<span class="{status_class}">{esc(doc["status"])}</span>'),
        ("错误 error", esc(doc["error"])),
        ("标题 title", esc(doc["title"])),
        ("地区 area", area),
        ("类型 file type", esc(doc["file_type"])),
        ("来源 source type", esc(doc["source_type"])),
        ("报告年度 subject year", esc(doc["subject_year"])),
        ("日期 date", esc(doc["doc_date"])),
        ("页数 pages", esc(doc["n_pages"]) if doc["n_pages"] else ""),
        ("重复 duplicate of", esc(doc["duplicate_of"])),
        ("事实 facts", esc(doc["n_facts"])),
        ("隔离 quarantined", esc(doc["n_rejected"])),
    ]
    return '<dl class="meta">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in items if v) + "</dl>"


def _noise(noise: pl.DataFrame) -> str:
    rows = [
        [
            esc(n["stage"]),
            num(n["seq"]),
            esc(n["reason"]),
            num(n["page"]),
            f'<td class="text">{esc(n["removed_text"])}</td>',
        ]
        for n in noise.iter_rows(named=True)
    ]
    summary = f"已删除的噪声 Removed noise: {noise.height} 段 spans, {noise['n_chars'].sum()} 字 chars"
    inner = table(["阶段 stage", "序号 seq", "原因 reason", "页 page", "删除的文字 removed text"], rows, "noise")
    return f'<details class="noise"><summary>{esc(summary)}</summary>{inner}</details>'


def document_page(
    doc: dict,
    text: str | None,
    facts: pl.DataFrame,
    rejected: pl.DataFrame,
    noise: pl.DataFrame,
    area_pages: set[str],
    stamp: Stamp,
) -> DocumentPage:
    """`doc` is the v_documents row; facts, rejected and noise are this document's rows only."""
    marked = highlight(text or "", [*fact_spans(facts), *rejected_spans(rejected)])
    anchors = set(marked.anchors)
    n_facts = sum(1 for a in anchors if a.startswith("fact-"))
    if text is None:
        text_html = '<p class="note">本文件未能读取,没有文本 — this document was not read; there is no text.</p>'
    else:
        text_html = f'<div class="doc-text" lang="zh">{marked.html}</div>'
    legend = (
        '<p class="legend note"><mark class="fact">事实 fact</mark> 已提取的数字 — extracted figure; '
        '<mark class="rejected">隔离 quarantined</mark> 未通过检查 — failed a check; '
        '<mark class="fact conflict">冲突 conflict</mark> 另一文件给出不同数值 — another document gives another value. '
        "悬停或点击查看详情 — hover or click a figure for its details.</p>"
    )
    body = f"""
<h1>{esc(doc["source_file"])}</h1>
{_meta(doc, area_pages)}
<h2>正文 Clean text</h2>
{legend}
{text_html}
<h2>事实 Facts ({facts.height})</h2>
{facts_table(facts, ROOT, area_pages, by_document=False)}
<h2>隔离 Quarantined ({rejected.height})</h2>
{rejected_table(rejected, ROOT, by_document=False)}
<h2>噪声 Noise</h2>
{_noise(noise)}
"""
    crumbs = f" › {esc(doc['source_file'])}"
    return DocumentPage(
        html=page(doc["source_file"], body, ROOT, stamp, crumbs),
        facts_highlighted=n_facts,
        rejected_highlighted=len(anchors) - n_facts,
    )
