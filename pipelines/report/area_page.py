"""One page per area: headline indicators over the years, targets against actuals, all its facts."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipelines.report.charts import HEADLINES, chart_spec, spec_json
from pipelines.report.fact_tables import facts_table
from pipelines.report.markup import esc, page, value_text

ROOT = "../"
NO_SCRIPT = (
    '<p class="note">图表需要 JavaScript;<a href="#all-facts">全部事实</a>列出每个数据点及其证据。'
    " The chart needs JavaScript; the table of all facts lists every point with its evidence.</p>"
)


@dataclass(frozen=True)
class AreaPage:
    html: str
    charts: int
    chart_links: int


def _points(facts: pl.DataFrame, series: str) -> pl.DataFrame:
    """Chart points of facts that have a year; a fact without one cannot be placed on the axis."""
    return (
        facts.filter(pl.col("year").is_not_null())
        .select(
            "year",
            "value",
            pl.col(series).alias("series"),
            pl.col("source_file").alias("source"),
            "target",
            label=pl.concat_str(
                pl.col(series),
                pl.lit(" "),
                pl.col("year").cast(pl.String),
                pl.lit(": "),
                value_text("value"),
                pl.lit(" "),
                pl.col("unit"),
                pl.lit(" — "),
                pl.col("source_file"),
            ),
        )
        .sort("year", "series", "source", "value", "target")
    )


@dataclass(frozen=True)
class Figure:
    html: str
    links: int


def _figure(ident: str, heading: str, points: pl.DataFrame, y_title: str, series_title: str) -> Figure:
    head = f'<figure class="chart" id="chart-{esc(ident)}"><h3>{heading}</h3>'
    if points.is_empty():
        return Figure(f'{head}<p class="note">本地区无此指标 — no facts for this area.</p></figure>', 0)
    spec = chart_spec(points, y_title, series_title, f"{ident}: {points.height} facts", ROOT)
    n_docs = points["source"].n_unique()
    caption = (
        f"{points.height} 个数据点,来自 {n_docs} 份文件;点击数据点查看原文证据。"
        f" {points.height} points from {n_docs} documents; each point links to its evidence."
    )
    chart = (
        f'<div class="vega" data-spec="spec-{esc(ident)}"></div>'
        f'<script type="application/json" id="spec-{esc(ident)}">{spec_json(spec)}</script>'
        f"<noscript>{NO_SCRIPT}</noscript>"
    )
    return Figure(f"{head}{chart}<figcaption>{esc(caption)}</figcaption></figure>", points.height)


def _headlines(facts: pl.DataFrame) -> list[Figure]:
    charts = []
    for h in HEADLINES:
        chosen = facts.filter(pl.col("indicator_code").is_in(h.codes), pl.col("value_kind") == "actual")
        units = " / ".join(sorted(set(chosen["unit"]))) or "value"
        heading = f'{esc(h.title_zh)} <span class="muted">{esc(h.title_en)} · {esc(", ".join(h.codes))}</span>'
        charts.append(_figure(h.slug, heading, _points(chosen, "indicator_code"), units, "indicator"))
    return charts


def _targets(facts: pl.DataFrame) -> list[Figure]:
    """A chart for each indicator the area has both targets and actuals for (any years)."""
    kinds = facts.filter(pl.col("value_kind").is_in(["actual", "target"]), pl.col("year").is_not_null())
    both = (
        kinds.group_by("indicator_code")
        .agg(pl.col("value_kind").n_unique().alias("n_kinds"))
        .filter(pl.col("n_kinds") == 2)
        .sort("indicator_code")["indicator_code"]
    )
    figures = []
    for code in both:
        chosen = kinds.filter(pl.col("indicator_code") == code)
        first = chosen.row(0, named=True)
        note = f"{code} · 目标与实际 targets vs actuals"
        heading = f'{esc(first["indicator_name_zh"])} <span class="muted">{esc(note)}</span>'
        figures.append(_figure(f"target-{code}", heading, _points(chosen, "value_kind"), first["unit"], "kind"))
    return figures


def area_page(area: dict, facts: pl.DataFrame, area_pages: set[str], scripts: tuple[str, ...]) -> AreaPage:
    """`facts` are this area's facts with their `target` column; `area` is its dim_area row; `scripts`
    are the assets that draw the charts (loaded before report.js)."""
    headlines = _headlines(facts)
    targets = _targets(facts)
    place = " · ".join(esc(v) for v in (area["name_en"], area["level"], area["province_zh"], area["parent_zh"]) if v)
    ordered = facts.sort("domain", "indicator_code", "year", "value_kind", "source_file", "fact_key", nulls_last=True)
    n_docs = facts["document_key"].n_unique()
    targets_html = (
        "".join(f.html for f in targets) or '<p class="note">没有同一指标的目标与实际值 — no indicator has both.</p>'
    )
    body = f"""
<h1>{esc(area["name_zh"])} <span class="muted">{place}</span></h1>
<dl class="cards">
<div><dt>事实 facts</dt><dd>{facts.height}</dd></div>
<div><dt>文件 documents</dt><dd>{n_docs}</dd></div>
<div><dt>指标 indicators</dt><dd>{facts["indicator_code"].n_unique()}</dd></div>
</dl>
<h2>主要指标 Headline indicators</h2>
<p class="note">实际值,按年份与来源文件;点击数据点跳转到原文。Actual values by year and source document.</p>
<div class="charts">{"".join(f.html for f in headlines)}</div>
<h2>目标与实际 Targets against actuals</h2>
<div class="charts">{targets_html}</div>
<h2 id="all-facts">全部事实 All facts</h2>
{facts_table(ordered, ROOT, area_pages, by_document=True)}
"""
    charted = [f for f in headlines + targets if f.links]
    crumbs = f" › {esc(area['name_zh'])}"
    return AreaPage(
        html=page(area["name_zh"], body, ROOT, crumbs, scripts if charted else ()),
        charts=len(charted),
        chart_links=sum(f.links for f in charted),
    )
