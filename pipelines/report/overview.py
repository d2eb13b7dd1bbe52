"""The index page: what was read and what failed, what was quarantined, facts by domain, noise removed."""

from __future__ import annotations

import polars as pl

from pipelines.core.display import human_number, kind_text
from pipelines.report.conflicts import Conflicts
from pipelines.report.fact_tables import rejected_table
from pipelines.report.markup import Stamp, area_path, document_path, esc, link, num, page, table, year
from pipelines.report.search_index import indicator_anchor
from pipelines.report.warehouse_data import ReportData

ROOT = ""


def _cards(counts: list[tuple[str, str, int]]) -> str:
    cells = "".join(
        f'<div><dt>{esc(label)}</dt><dd id="count-{ident}">{human_number(n)}</dd></div>' for ident, label, n in counts
    )
    return f'<dl class="cards">{cells}</dl>'


def _domains(facts: pl.DataFrame) -> str:
    per_domain = (
        facts.group_by("domain")
        .agg(
            pl.len().alias("facts"),
            pl.col("indicator_code").n_unique().alias("indicators"),
            pl.col("area_key").drop_nulls().n_unique().alias("areas"),
            pl.col("document_key").n_unique().alias("documents"),
        )
        .sort(["facts", "domain"], descending=[True, False])
    )
    rows = [
        [
            f'<td data-domain="{esc(d["domain"])}">{esc(d["domain"])}</td>',
            num(d["facts"]),
            num(d["indicators"]),
            num(d["areas"]),
            num(d["documents"]),
        ]
        for d in per_domain.iter_rows(named=True)
    ]
    return table(["领域 domain", "事实 facts", "指标 indicators", "地区 areas", "文件 documents"], rows, "domains")


def _noise(noise: pl.DataFrame) -> str:
    per_reason = (
        noise.group_by("stage", "reason")
        .agg(
            pl.len().alias("spans"),
            pl.col("n_chars").sum().alias("chars"),
            pl.col("document_key").n_unique().alias("documents"),
        )
        .sort("stage", "reason")
    )
    rows = [
        [
            esc(n["stage"]),
            f'<td data-reason="{esc(n["reason"])}">{esc(n["reason"])}</td>',
            num(n["spans"]),
            num(n["chars"]),
            num(n["documents"]),
        ]
        for n in per_reason.iter_rows(named=True)
    ]
    if rows:
        rows.append(["<strong>合计 total</strong>", "", num(noise.height), num(int(noise["n_chars"].sum())), ""])
    return table(["阶段 stage", "原因 reason", "段 spans", "字 chars", "文件 documents"], rows, "noise-summary")


def _areas(areas: pl.DataFrame, facts: pl.DataFrame) -> str:
    per_area = facts.group_by("area_key").agg(
        pl.len().alias("facts"), pl.col("document_key").n_unique().alias("documents")
    )
    listed = areas.join(per_area, on="area_key", how="left").sort("area_key")
    rows = [
        [
            link(area_path(a["area_key"]), esc(a["name_zh"])),
            esc(a["name_en"]),
            esc(a["level"]),
            esc(a["province_zh"]),
            num(a["facts"]),
            num(a["documents"]),
        ]
        for a in listed.iter_rows(named=True)
    ]
    return table(["地区 area", "name", "级别 level", "省 province", "事实 facts", "文件 documents"], rows, "areas")


def _indicators(facts: pl.DataFrame) -> str:
    """Every indicator with facts, each row an anchor the search box links to."""
    per_indicator = (
        facts.group_by("indicator_code")
        .agg(
            pl.col("indicator_name_zh", "indicator_name_en", "domain").first(),
            units=pl.col("unit").unique().sort().str.join(" / "),
            facts=pl.len(),
            areas=pl.col("area_key").drop_nulls().n_unique(),
            documents=pl.col("document_key").n_unique(),
        )
        .sort("indicator_code")
        .with_columns(anchor=indicator_anchor())
    )
    rows = [
        [
            f'<td id="{esc(i["anchor"])}"><code>{esc(i["indicator_code"])}</code></td>',
            esc(i["indicator_name_zh"]),
            esc(i["indicator_name_en"]),
            esc(i["domain"]),
            esc(i["units"]),
            num(i["facts"]),
            num(i["areas"]),
            num(i["documents"]),
        ]
        for i in per_indicator.iter_rows(named=True)
    ]
    headers = ["代码 code", "指标 indicator", "name", "领域 domain", "单位 unit", "事实 facts", "地区 areas"]
    return table([*headers, "文件 documents"], rows, "indicators")


def _conflicts(keys: pl.DataFrame) -> str:
    """Keys where documents disagree, each linking to its area's facts."""
    rows = [
        [
            link(area_path(c["area_key"]), esc(c["region_name"])),
            f"<code>{esc(c['indicator_code'])}</code> {esc(c['indicator_name_zh'])}",
            year(c["year"], c["period_start"], c["period_end"]),
            esc(kind_text(c["value_kind"], c["base_year"])),
            f'<td class="conflict">⚠ {esc(c["conflict"])}</td>',
        ]
        for c in keys.iter_rows(named=True)
    ]
    headers = ["地区 area", "指标 indicator", "年份 year", "类型 kind", "各文件的数值 values by document"]
    return table(headers, rows, "conflicts")


def _documents(documents: pl.DataFrame) -> str:
    rows = [
        [
            link(document_path(d["document_key"]), esc(d["source_file"])),
            f'<td class="{"status-ok" if d["status"] == "ok" else "status-bad"}">{esc(d["status"])}</td>',
            esc(d["file_type"]),
            esc(d["title"]),
            esc(d["region_name"]),
            num(d["n_facts"]),
            num(d["n_rejected"]),
        ]
        for d in documents.iter_rows(named=True)
    ]
    headers = [
        "文件 document",
        "状态 status",
        "类型 type",
        "标题 title",
        "地区 area",
        "事实 facts",
        "隔离 quarantined",
    ]
    return table(headers, rows, "documents")


def overview_page(data: ReportData, conflicts: Conflicts, stamp: Stamp) -> str:
    docs = data.documents
    counted = data.facts.filter("counted")  # copies of one report (a PDF and its text) count once
    failed = docs.filter(pl.col("status") != "ok")
    failed_rows = [
        [
            link(document_path(d["document_key"]), esc(d["source_file"])),
            f'<td class="status-bad">{esc(d["status"])}</td>',
            esc(d["error"]),
        ]
        for d in failed.iter_rows(named=True)
    ]
    counts = [
        ("documents", "文件 documents", docs.height),
        ("read", "已读取 read", docs.height - failed.height),
        ("failed", "未读取 failed", failed.height),
        ("facts", "事实 facts", counted.height),
        ("quarantined", "隔离 quarantined", data.rejected.height),
        ("conflicts", "冲突 conflicts", conflicts.keys.height),
        ("areas", "地区 areas", data.areas.height),
        ("noise-spans", "噪声段 noise spans", data.noise.height),
    ]
    body = f"""
<h1>环境报告证据 Evidence report</h1>
<p class="note">每个数字都链接到它所在的原文。Every figure links to the sentence it was read from.</p>
{_cards(counts)}
<h2>未读取的文件 Documents not read ({failed.height})</h2>
{table(["文件 document", "状态 status", "错误 error"], failed_rows, "failed")}
<h2>隔离的数字 Quarantined figures ({data.rejected.height})</h2>
{rejected_table(data.rejected, ROOT, by_document=True)}
<h2>数值冲突 Conflicting values ({conflicts.keys.height})</h2>
<p class="note">同一地区、指标、年份(时段)、类型与基年,不同文件给出不同数值;月度或半年数值与全年数值不算冲突。
The same area, indicator, year (and part of it), kind and base year, read as different values in different
documents; a month's or a half-year's figure beside the year's is not a conflict.</p>
{_conflicts(conflicts.keys)}
<h2>按领域统计 Facts per domain</h2>
{_domains(counted)}
<h2>指标 Indicators</h2>
{_indicators(counted)}
<h2>已删除的噪声 Noise removed</h2>
{_noise(data.noise)}
<h2>地区 Areas ({data.areas.height})</h2>
{_areas(data.areas, counted)}
<h2>文件 Documents ({docs.height})</h2>
{_documents(docs)}
"""
    return page("概览 Overview", body, ROOT, stamp)
