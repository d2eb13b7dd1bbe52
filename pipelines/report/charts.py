"""Area charts: Vega-Lite specs built with altair, rendered to static SVG at build time by vl-convert.

Every point carries an `href` to its fact's anchor on the document page. vl-convert 1.9 resolves
relative links against its own data base URL (the vega-datasets CDN) and refuses unknown schemes, so
points link to a reserved absolute base (`.invalid`, RFC 2606) that is rewritten to the page's
relative root after rendering; a chart whose links did not survive raises instead of shipping.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

LINK_BASE = "https://evidence.invalid/"
WIDTH = 420
HEIGHT = 220


class ChartError(RuntimeError):
    """A rendered chart lost its evidence links."""


@dataclass(frozen=True)
class Headline:
    """A chart every area page offers: some indicators' actual values over the years."""

    slug: str
    title_zh: str
    title_en: str
    codes: tuple[str, ...]


HEADLINES = (
    Headline("pm25", "PM2.5 年均浓度", "PM2.5 annual mean", ("air.pm25_mean",)),
    Headline("good-days", "优良天数比例", "Share of good air-quality days", ("air.good_days_ratio",)),
    Headline(
        "water",
        "地表水水质:优良(I–III类)与劣V类比例",
        "Surface water: good (I–III) and worse than V",
        ("water.good_quality_ratio", "water.inferior_v_ratio"),
    ),
)

# Columns a frame of points must have: year, value, series (colour), source (shape), target (link from
# the site root), label (what a screen reader says for the point).
POINT_COLUMNS = ("year", "value", "series", "source", "target", "label")


def chart_spec(points: pl.DataFrame, y_title: str, series_title: str, description: str) -> dict:
    """Points per year, coloured by series, shaped and offset by source document; one line per
    series and document so a document's own trajectory reads as a line."""
    import altair as alt  # 2.5 s to import: only when a report is built, not when Dagster loads

    rows = points.select(POINT_COLUMNS).with_columns(href=pl.lit(LINK_BASE) + pl.col("target")).to_dicts()
    base = alt.Chart(alt.Data(values=rows), description=description)
    shared = {
        "x": alt.X("year:O", title="year", axis=alt.Axis(labelAngle=0)),
        "y": alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False, nice=True)),
        "color": alt.Color("series:N", title=series_title, legend=alt.Legend(orient="bottom", columns=1)),
        "xOffset": alt.XOffset("source:N"),
    }
    lines = base.mark_line(opacity=0.45).encode(detail="source:N", **shared)
    marks = base.mark_point(filled=True, size=110, opacity=0.9).encode(
        shape=alt.Shape("source:N", title="document", legend=alt.Legend(orient="bottom", columns=1)),
        href="href:N",
        description="label:N",
        **shared,
    )
    # The spec is the same shape every time (tests render it); schema validation would cost ~0.2 s a chart.
    return alt.layer(lines, marks).properties(width=WIDTH, height=HEIGHT).to_dict(validate=False)


def render_svg(spec: dict, root: str, expected_links: int) -> str:
    """Static SVG whose point links are relative to the page (root is '../' from area pages)."""
    import vl_convert

    svg = vl_convert.vegalite_to_svg(spec)
    found = svg.count(f'xlink:href="{LINK_BASE}')
    if found != expected_links:
        raise ChartError(f"chart has {found} evidence links, expected {expected_links}")
    return svg.replace(LINK_BASE, root)
