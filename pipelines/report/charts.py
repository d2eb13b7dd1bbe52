"""Area charts: Vega-Lite specs embedded in the page as JSON and drawn in the browser by vega-embed.

Rendering ~5,000 charts to SVG at build time cost minutes; the browser draws a page's few charts in
milliseconds. The spec is written as a plain dict: building it through altair cost ~30 ms a chart, and
its shape never changes (a test validates it against the Vega-Lite schema with altair). Every point
carries an `href` relative to the page, which vega's SVG renderer turns into a link to the fact's anchor
(static/report.js draws the charts)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import polars as pl

WIDTH = 420
HEIGHT = 220


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

# The columns of a chart's points, in this order: year, value, series (colour: what the legend names),
# source (shape: the document as the legend names it, one name per document), label (what a screen reader
# and the point's title say), href (the fact's anchor, relative to the page) and conflict (whether another
# document gives another value for the same figure; conflicts.py).
POINT_COLUMNS = ("year", "value", "series", "source", "label", "href", "conflict")
CONFLICT_COLOUR = "#cf222e"
AXIS = {"labelFontSize": 12, "titleFontSize": 12, "labelOverlap": True}


def _legend(title: str) -> dict:
    return {"title": title, "legend": {"orient": "bottom", "columns": 1, "labelLimit": 400}}


def chart_spec(points: pl.DataFrame, y_title: str, series_title: str, description: str, zero: bool = True) -> dict:
    """Points per year, coloured by series and shaped by source document, one line per series and
    document so a document's own trajectory reads as a line.

    Every year between the first and the last has its place, so gaps keep their width, and the points
    of one year from several documents sit on that year. The y axis starts at zero when `zero` (levels,
    counts and shares; not changes, which can be negative), and its labels group digits (6,370,000).
    Points in conflict with another document are ringed in red (a layer of its own, present when any is).
    """
    if tuple(points.columns) != POINT_COLUMNS:
        raise ValueError(f"chart points need the columns {POINT_COLUMNS}, got {points.columns}")
    rows = points.to_dicts()
    years = [y for y in points["year"] if y is not None]
    domain = list(range(min(years), max(years) + 1)) if years else []
    shared = {
        "x": {
            "field": "year",
            "type": "ordinal",
            "title": "年份 year",
            "scale": {"domain": domain},
            "axis": {**AXIS, "labelAngle": 0},
        },
        "y": {
            "field": "value",
            "type": "quantitative",
            "title": y_title,
            "scale": {"zero": zero, "nice": True},
            "axis": {**AXIS, "format": ",~f"},
        },
    }
    colour = {"color": {"field": "series", "type": "nominal", **_legend(series_title)}}
    line = {
        "mark": {"type": "line", "opacity": 0.45},
        "encoding": {**shared, **colour, "detail": {"field": "source", "type": "nominal"}},
    }
    ring = {
        "transform": [{"filter": "datum.conflict"}],
        "mark": {"type": "point", "filled": False, "size": 380, "strokeWidth": 2.5, "color": CONFLICT_COLOUR},
        "encoding": shared,
    }
    point = {
        "mark": {"type": "point", "filled": True, "size": 110, "opacity": 0.9},
        "encoding": {
            **shared,
            **colour,
            "shape": {"field": "source", "type": "nominal", **_legend("文件 document")},
            "href": {"field": "href", "type": "nominal"},
            "description": {"field": "label", "type": "nominal"},
        },
    }
    return {
        "description": description,
        "width": WIDTH,
        "height": HEIGHT,
        "data": {"values": rows},
        # the rings only where there is a conflict: a layer of no data leaves vega an infinite extent to warn of
        "layer": [line, ring, point] if any(points["conflict"]) else [line, point],
    }


def spec_json(spec: dict) -> str:
    """JSON safe inside <script type="application/json">: with every `<` escaped, document text can
    neither close the element (`</script>`) nor open an HTML comment that would swallow the real end tag."""
    return json.dumps(spec, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
