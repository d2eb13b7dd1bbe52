"""One page per area: headline indicators over the years, targets against actuals, all its facts."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipelines.core.display import human_numbers
from pipelines.core.models import ACTUAL, CHANGE_ABS, CHANGE_PCT, TARGET
from pipelines.report.charts import HEADLINES, POINT_COLUMNS, chart_spec, spec_json
from pipelines.report.fact_tables import facts_table
from pipelines.report.markup import Stamp, document_name, esc, page
from pipelines.report.parts import Parts

ROOT = "../"
SLUGS = {h.slug for h in HEADLINES}
CHANGE_KINDS = [CHANGE_ABS, CHANGE_PCT]
NO_SCRIPT = (
    '<p class="note">图表需要 JavaScript;<a href="#all-facts">全部事实</a>列出每个数据点及其证据。'
    " The chart needs JavaScript; the table of all facts lists every point with its evidence.</p>"
)


@dataclass(frozen=True)
class AreaPage:
    html: str
    charts: int
    chart_links: int


# The facts table of an area page, in reading order.
TABLE_ORDER = ("domain", "indicator_code", "year", "value_kind", "source_file", "fact_key")


@dataclass(frozen=True)
class Chart:
    """One chart's points (chart_spec's columns, in plotting order) and what its heading and axis say."""

    points: pl.DataFrame
    y_title: str
    name_zh: str
    zero: bool  # the y axis starts at zero
    conflicts: int  # years in which documents disagree


@dataclass(frozen=True)
class AreaFacts:
    """An area's facts in table order, and its charts by ident (a headline's slug, or target-<code>)."""

    facts: pl.DataFrame
    charts: dict[str, Chart]


KIND_NAMES = {ACTUAL: "实际 actual", TARGET: "目标 target"}
"""How a target chart's legend names the value kinds it plots."""


def _points(facts: pl.DataFrame, chart: pl.Expr, series: pl.Expr) -> pl.DataFrame:
    """Chart points of every area at once, keyed by area_key and chart; facts need a year to be placed.

    Legends name what they show (the indicator, the kind, the document's title) rather than codes; a
    point's label (its tooltip and what a screen reader says) adds the indicator code and the file. The
    value kind rides along for the axis (`_charts`); a point in conflict says so in its label."""
    conflict = pl.col("conflict")
    return facts.filter(pl.col("year").is_not_null()).select(
        "area_key",
        chart.alias("chart"),
        "year",
        "value",
        series.alias("series"),
        document_name().alias("source"),
        label=pl.concat_str(
            series,
            pl.lit(" ("),
            pl.col("indicator_code"),
            pl.lit(") "),
            pl.col("year").cast(pl.String),
            pl.lit(": "),
            human_numbers("value"),
            pl.lit(" "),
            pl.col("unit"),
            pl.lit(" — "),
            document_name(),
            pl.when(conflict.is_not_null()).then(pl.lit(" ⚠ 冲突 conflict: ") + conflict).otherwise(pl.lit("")),
        ),
        href=pl.lit(ROOT) + pl.col("target"),
        conflict=conflict.is_not_null(),
        unit="unit",
        name_zh="indicator_name_zh",
        kind="value_kind",
    )


def _charts(facts: pl.DataFrame) -> dict[tuple[str, str], Chart]:
    """Every area's charts from one pass over all facts: filtering per area costs ~0.3 ms an
    operation, which over a thousand areas and their charts added up to ten seconds.

    Charts compare years, so they plot whole-year figures only (as v_latest_facts): a month's or a
    half-year's figure placed on its year would read as the year's. The facts table lists them."""
    headline_of = {code: h.slug for h in HEADLINES for code in h.codes}
    whole = facts.filter(pl.col("is_full_year"))
    actual = whole.filter(pl.col("value_kind") == ACTUAL, pl.col("indicator_code").is_in(list(headline_of)))
    indicator = pl.coalesce("indicator_name_zh", "indicator_code")
    headlines = _points(actual, pl.col("indicator_code").replace_strict(headline_of), indicator)
    kinds = whole.filter(pl.col("value_kind").is_in([ACTUAL, TARGET]), pl.col("year").is_not_null())
    both = kinds.filter(pl.col("value_kind").n_unique().over("area_key", "indicator_code") == 2)
    targets = _points(both, pl.lit("target-") + pl.col("indicator_code"), pl.col("value_kind").replace(KIND_NAMES))
    points = pl.concat([headlines, targets])
    # a target chart's axis and heading follow its first fact as read; a headline's axis lists every unit.
    # Levels start their axis at zero; changes can be negative and would be squeezed against it.
    about = points.group_by("area_key", "chart").agg(
        units=pl.col("unit").unique().sort().str.join(" / "),
        unit=pl.col("unit").first(),
        name_zh=pl.col("name_zh").first(),
        zero=~pl.col("kind").is_in(CHANGE_KINDS).any() & (pl.col("value").min() >= 0),
        conflicts=pl.col("year").filter(pl.col("conflict")).n_unique(),
    )
    plotted = points.sort("area_key", "chart", "year", "series", "source", "value", "href").select(
        "area_key", "chart", *POINT_COLUMNS
    )
    parts = Parts(plotted, "area_key", "chart", drop_keys=True)
    return {
        (area, chart): Chart(
            parts[(area, chart)], (units if chart in SLUGS else unit) or "value", name_zh, zero, conflicts
        )
        for area, chart, units, unit, name_zh, zero, conflicts in about.iter_rows()
    }


def area_facts(facts: pl.DataFrame) -> dict[str, AreaFacts]:
    """Facts (with their `target` column) and charts of every area that has facts, by area_key."""
    placed = facts.filter(pl.col("area_key").is_not_null())
    charts: dict[str, dict[str, Chart]] = {}
    for (area, ident), chart in _charts(placed).items():
        charts.setdefault(area, {})[ident] = chart
    ordered = placed.sort("area_key", *TABLE_ORDER, nulls_last=True)
    parts = Parts(ordered, "area_key")
    return {area: AreaFacts(parts[(area,)], charts.get(area, {})) for (area,) in parts}


@dataclass(frozen=True)
class Figure:
    html: str
    links: int


def _count(n: int, noun: str) -> str:
    """1 point, 2 points."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _figure(ident: str, heading: str, chart: Chart | None, series_title: str) -> Figure:
    conflicts = f' data-conflicts="{chart.conflicts}"' if chart and chart.conflicts else ""
    head = f'<figure class="chart" id="chart-{esc(ident)}"{conflicts}><h3>{heading}</h3>'
    if chart is None:
        return Figure(f'{head}<p class="note">本地区无此指标 — no facts for this area.</p></figure>', 0)
    points = chart.points
    spec = chart_spec(points, chart.y_title, series_title, f"{ident}: {points.height} facts", chart.zero)
    n_docs = points["source"].n_unique()
    caption = (
        f"{points.height} 个数据点,来自 {n_docs} 份文件;点击数据点查看原文证据。"
        f" {_count(points.height, 'point')} from {_count(n_docs, 'document')}; each point links to its evidence."
    )
    drawn = (
        f'<div class="vega" data-spec="spec-{esc(ident)}"></div>'
        f'<script type="application/json" id="spec-{esc(ident)}">{spec_json(spec)}</script>'
        f"<noscript>{NO_SCRIPT}</noscript>"
    )
    if chart.conflicts:
        caption += (
            f' <strong class="conflict">⚠ {chart.conflicts} 个年份的数值相互冲突(红圈)。'
            f" Documents disagree in {chart.conflicts} year(s), ringed in red.</strong>"
        )
    return Figure(f"{head}{drawn}<figcaption>{caption}</figcaption></figure>", points.height)


def _headlines(charts: dict[str, Chart]) -> list[Figure]:
    figures = []
    for h in HEADLINES:
        heading = f'{esc(h.title_zh)} <span class="muted">{esc(h.title_en)} · {esc(", ".join(h.codes))}</span>'
        figures.append(_figure(h.slug, heading, charts.get(h.slug), "指标 indicator"))
    return figures


def _targets(charts: dict[str, Chart]) -> list[Figure]:
    """A chart for each indicator the area has both targets and actuals for (any years)."""
    figures = []
    for ident in sorted(i for i in charts if i.startswith("target-")):
        chart = charts[ident]
        note = f"{ident.removeprefix('target-')} · 目标与实际 targets vs actuals"
        heading = f'{esc(chart.name_zh)} <span class="muted">{esc(note)}</span>'
        figures.append(_figure(ident, heading, chart, "类型 kind"))
    return figures


def _place(area: dict) -> list[str]:
    """What the heading says beside the name: a province is not its own province, and a city whose
    parent is its province names it once (not "辽宁省 · 辽宁省")."""
    shown: list[str] = []
    for value in (area["name_en"], area["level"], area["province_zh"], area["parent_zh"]):
        if value and value != area["name_zh"] and value not in shown:
            shown.append(value)
    return shown


def area_page(area: dict, data: AreaFacts, area_pages: set[str], scripts: tuple[str, ...], stamp: Stamp) -> AreaPage:
    """`area` is its dim_area row; `scripts` are the assets that draw the charts (loaded before report.js)."""
    facts = data.facts
    headlines = _headlines(data.charts)
    targets = _targets(data.charts)
    place = " · ".join(esc(v) for v in _place(area))
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
<p class="note">全年实际值,按年份与来源文件;点击数据点跳转到原文。月度、季度与半年数值见下方全部事实。
Whole-year actual values by year and source document; monthly, quarterly and half-year figures are in the table of
all facts.</p>
<div class="charts">{"".join(f.html for f in headlines)}</div>
<h2>目标与实际 Targets against actuals</h2>
<div class="charts">{targets_html}</div>
<h2 id="all-facts">全部事实 All facts</h2>
{facts_table(facts, ROOT, area_pages, by_document=True)}
"""
    charted = [f for f in headlines + targets if f.links]
    crumbs = f" › {esc(area['name_zh'])}"
    return AreaPage(
        html=page(area["name_zh"], body, ROOT, stamp, crumbs, scripts if charted else ()),
        charts=len(charted),
        chart_links=sum(f.links for f in charted),
    )
