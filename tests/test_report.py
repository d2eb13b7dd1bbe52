"""Evidence report: overview counts, charts linking to evidence, facts highlighted in place, offline, escaped,
published atomically, and the Dagster asset that writes it."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import altair as alt
import dagster as dg
import duckdb
import polars as pl
import pytest
import vl_convert
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.cli import main
from pipelines.core.display import UNIT_DISPLAY
from pipelines.defs.ingest.assets import raw_documents
from pipelines.defs.report.assets import evidence_report
from pipelines.defs.resources import PipelineResource
from pipelines.report import build as report_build
from pipelines.report import build_report, vega_bundle
from pipelines.report.area_page import _place, area_facts
from pipelines.report.charts import chart_spec, spec_json
from pipelines.report.conflicts import find_conflicts
from pipelines.report.highlight import Span, highlight
from pipelines.report.markup import evidence_target, num, year
from pipelines.report.warehouse_data import load_report_data
from pipelines.serve import served_url
from pipelines.settings import PROJECT_ROOT

ANYANG_TXT = "001_9aa5532d1dae63e5.txt"
ANYANG = "410500"
ANYANG_DOCUMENT = f"关于我市2024年度环境状况和环境保护… · {ANYANG_TXT}"
"""How chart legends name the Anyang text: the start of its title, then its file."""
VOID = {"meta", "link", "br", "img", "input", "hr", "wbr"}


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None]):
        self.tag, self.attrs, self.text, self.children = tag, attrs, "", []


class Page(HTMLParser):
    """Just enough DOM for assertions: every element with its attributes, text and children."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        if self._open:
            self._open[-1].children.append(element)
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop().tag == tag:
                break

    def handle_data(self, data):
        for element in self._open:
            element.text += data

    def find(self, tag: str, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag == tag and all(e.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
        ]

    def rows(self, table_class: str) -> list[list[str]]:
        (table,) = self.find("table", class_=table_class)
        body = next(c for c in table.children if c.tag == "tbody")
        return [[cell.text.strip() for cell in row.children] for row in body.children]

    def link(self, text: str) -> str:
        (href,) = {a.attrs["href"] for a in self.find("a") if a.text.strip() == text}
        return href


def read(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


BUILT_AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture(scope="module")
def report(sample_build: Path, tmp_path_factory: pytest.TempPathFactory):
    return build_report(sample_build, tmp_path_factory.mktemp("site") / "report", BUILT_AT)


@pytest.fixture(scope="module")
def db(sample_build: Path):
    con = duckdb.connect(str(sample_build), read_only=True)
    yield con
    con.close()


def scalar(con, sql: str, params=()):
    return con.execute(sql, list(params)).fetchone()[0]


def test_overview_counts_documents_quarantine_domains_and_noise(report, db):
    index = read(report.index)
    count = {e.attrs["id"]: int(e.text) for e in index.find("dd") if e.attrs.get("id", "").startswith("count-")}
    assert count["count-documents"] == 8 == scalar(db, "SELECT count(*) FROM v_documents")
    assert count["count-read"] == scalar(db, "SELECT count(*) FROM v_documents WHERE status = 'ok'")
    assert count["count-failed"] == scalar(db, "SELECT count(*) FROM v_documents WHERE status <> 'ok'")
    assert count["count-quarantined"] == scalar(db, "SELECT count(*) FROM v_rejected_facts")
    assert count["count-facts"] == scalar(db, "SELECT count(*) FROM v_report_facts") > 50  # each report once
    domains = {r[0]: int(r[1]) for r in index.rows("domains")}
    assert domains == dict(db.execute("SELECT domain, count(*) FROM v_report_facts GROUP BY 1").fetchall())
    noise = {(r[0], r[1]): (int(r[2]), int(r[3])) for r in index.rows("noise-summary") if r[1]}
    expected = db.execute("SELECT stage, reason, count(*), sum(n_chars) FROM v_noise GROUP BY ALL").fetchall()
    assert noise == {(s, r): (n, int(c)) for s, r, n, c in expected}
    assert {"seo_spam", "navigation", "running_header"} <= {reason for _, reason in noise}
    assert index.find("table", class_="failed") == []  # nothing failed in the samples: no empty table
    assert len(index.rows("documents")) == 8


def chart(page: Page, ident: str) -> dict:
    """The Vega-Lite spec a figure's chart is drawn from, read back from its JSON script element."""
    (figure,) = page.find("figure", id=f"chart-{ident}")
    (target,) = [c for c in figure.children if c.tag == "div" and c.attrs.get("class") == "vega"]
    (script,) = page.find("script", id=target.attrs["data-spec"], type="application/json")
    assert script in figure.children
    return json.loads(script.text)


def points(spec: dict) -> list[dict]:
    return spec["data"]["values"]


def test_anyang_area_page_embeds_chart_specs_linking_to_evidence(report):
    index = read(report.index)
    area_file = report.index.parent / index.link("安阳市")
    page = read(area_file)
    pm25 = chart(page, "pm25")
    assert "$schema" not in pm25  # vega-embed is told the mode; nothing in the spec names a URL
    # the txt and the pdf of the same report each state PM2.5 51: one report, one point, from the text
    assert [(p["year"], p["value"], p["series"]) for p in points(pm25)] == [(2024, 51.0, "PM2.5年均浓度")]
    assert {p["source"] for p in points(pm25)} == {ANYANG_DOCUMENT}
    assert {e["field"] for e in pm25["layer"][-1]["encoding"].values()} >= {"href", "label", "source"}
    for point in points(pm25):
        target, anchor = point["href"].split("#")
        assert target.startswith("../doc/") and anchor.startswith("fact-")
        doc = read((area_file.parent / target).resolve())
        (mark,) = doc.find("mark", id=anchor)
        assert (mark.attrs["data-code"], mark.attrs["data-value"], mark.text) == ("air.pm25_mean", "51", "51")
        assert point["label"] == f"PM2.5年均浓度 (air.pm25_mean) 2024: 51 µg/m³ — {ANYANG_DOCUMENT}"
        assert point["conflict"] is False  # both copies say 51
    assert points(chart(page, "good-days")) and page.find("figure", id="chart-water")
    (figure,) = page.find("figure", id="chart-pm25")
    (noscript,) = [c for c in figure.children if c.tag == "noscript"]
    assert [a.attrs["href"] for a in _descendants(noscript, "a")] == ["#all-facts"]
    assert page.find("h2", id="all-facts")  # the fallback without script: the table lists every point, linked
    bundle = f"../assets/{vega_bundle.bundle_name()}"
    assert [s.attrs.get("src") for s in page.find("script") if "src" in s.attrs] == [bundle, "../assets/report.js"]


def test_chart_legends_name_indicators_kinds_and_documents_not_codes(report, db):
    """What the legends list (colour: series, shape: source) are names people know; the indicator code and
    the file stay in each point's title (its label)."""
    codes = {c for (c,) in db.execute("SELECT indicator_code FROM dim_indicator").fetchall()}
    names = dict(db.execute("SELECT indicator_code, name_zh FROM dim_indicator").fetchall())
    seen = 0
    for area_file in sorted((report.index.parent / "area").glob("*.html")):
        page = read(area_file)
        for script in page.find("script", type="application/json"):
            spec = json.loads(script.text)
            point_layer = spec["layer"][-1]["encoding"]
            assert (point_layer["color"]["title"], point_layer["shape"]["title"]) in {
                ("指标 indicator", "文件 document"),
                ("类型 kind", "文件 document"),
            }
            for p in points(spec):
                assert p["series"] not in codes and p["series"] not in {"actual", "target"}
                assert not re.fullmatch(r"\d{3}_[0-9a-f]{16}\.(txt|pdf)", p["source"]), p["source"]
                code = re.search(r"\(([a-z]+\.[a-z0-9_]+)\)", p["label"])[1]
                assert p["series"] in (names[code], "实际 actual", "目标 target") and p["source"] in p["label"]
                seen += 1
    assert seen == report.chart_links > 0
    vl = vl_convert.vegalite_to_svg(chart(read(report.index.parent / "area" / f"{ANYANG}.html"), "pm25"))
    drawn = {text for _, _, text in _svg_texts(vl)}
    assert {"PM2.5年均浓度", ANYANG_DOCUMENT, "指标 indicator"} <= drawn and "air.pm25_mean" not in drawn


def test_every_chart_link_lands_on_its_fact(report):
    site = report.index.parent
    seen = charts = 0
    for area_file in sorted((site / "area").glob("*.html")):
        page = read(area_file)
        for figure in page.find("figure", class_="chart"):
            if not figure.attrs["id"].startswith("chart-") or not _descendants(figure, "script"):
                continue
            charts += 1
            for point in points(chart(page, figure.attrs["id"].removeprefix("chart-"))):
                target, anchor = point["href"].split("#")
                assert target.startswith("../doc/")
                assert f'id="{anchor}"' in (area_file.parent / target).resolve().read_text(encoding="utf-8")
                seen += 1
    assert seen == report.chart_links > 0
    assert charts == report.charts >= 5


def test_targets_against_actuals_chart(report, db):
    shenyang = db.execute("SELECT area_key FROM dim_area WHERE name_zh = '沈阳市'").fetchone()[0]
    page = read(report.index.parent / "area" / f"{shenyang}.html")
    spec = chart(page, "target-water.good_quality_ratio")
    n = scalar(
        db,
        "SELECT count(*) FROM v_report_facts WHERE area_key = ? "
        "AND indicator_code = 'water.good_quality_ratio' "
        "AND value_kind IN ('actual', 'target') AND year IS NOT NULL",
        [shenyang],
    )
    assert len(points(spec)) == n >= 2
    assert {p["series"] for p in points(spec)} == {"实际 actual", "目标 target"}


def _descendants(element: Element, tag: str) -> list[Element]:
    found = []
    for child in element.children:
        found += ([child] if child.tag == tag else []) + _descendants(child, tag)
    return found


def test_document_page_highlights_pm25_51_in_place(report, db):
    index = read(report.index)
    doc = read(report.index.parent / index.link(ANYANG_TXT))
    (mark,) = [m for m in doc.find("mark", data_code="air.pm25_mean") if "cont" not in m.attrs["class"]]
    assert mark.text == "51"
    assert {k: mark.attrs[f"data-{k}"] for k in ("value", "unit", "year", "kind", "area")} == {
        "value": "51",
        "unit": "µg/m³",
        "year": "2024",
        "kind": "actual",
        "area": "安阳市",
    }
    assert "air.pm25_mean = 51 µg/m³" in mark.attrs["title"]
    (text_box,) = doc.find("div", class_="doc-text")
    clean = scalar(db, "SELECT clean_text FROM v_document_text WHERE source_file = ?", [ANYANG_TXT])
    assert text_box.text == clean  # marks add no characters and drop none
    start = scalar(db, "SELECT char_start FROM v_indicator_facts WHERE fact_key = ?", [mark.attrs["data-key"]])
    assert clean[start : start + 2] == "51"


def test_every_fact_is_highlighted_once(report, db):
    pages = "".join(p.read_text(encoding="utf-8") for p in (report.index.parent / "doc").glob("*.html"))
    keys = [k for (k,) in db.execute("SELECT fact_key FROM fact_indicator WHERE char_start IS NOT NULL").fetchall()]
    assert report.facts_highlighted == len(keys)
    assert all(pages.count(f'id="fact-{k}"') == 1 for k in keys)


def test_noise_is_collapsed_and_complete(report, db):
    index = read(report.index)
    source = "002_1476e9828541749f.txt"
    text = (report.index.parent / index.link(source)).read_text(encoding="utf-8")
    (details,) = Page(text).find("details", class_="noise")
    assert "open" not in details.attrs
    n = scalar(db, "SELECT count(*) FROM v_noise WHERE source_file = ?", [source])
    assert len(Page(text).rows("noise")) == n > 0
    spam = db.execute("SELECT removed_text FROM v_noise WHERE source_file = ? AND reason = 'seo_spam'", [source])
    assert html.escape(spam.fetchone()[0].strip()[:20]) in text


CSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; base-uri 'none'"


def test_site_is_self_contained(report):
    """Every script, stylesheet and icon a page fetches is a file of the site; the CSP allows nothing else.

    URLs inside the vendored chart bundle are data (schema ids, the editor link of disabled actions);
    the browser test checks that no request leaves the site.
    """
    site = report.index.parent
    files = [p for p in site.rglob("*") if p.is_file()]
    assert {p.suffix for p in files} == {".html", ".css", ".js"}
    remote = re.compile(r"""(?:\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//)|url\(\s*["']?\s*(?:https?:)?//|@import""")
    for path in files:
        if path.suffix == ".html":
            page = read(path)
            (policy,) = page.find("meta", http_equiv="Content-Security-Policy")
            assert policy.attrs["content"].startswith(CSP) and "unsafe" not in policy.attrs["content"]
            fetched = [e.attrs["src"] for e in page.find("script") if "src" in e.attrs]
            fetched += [e.attrs["href"] for e in page.find("link")]
            for url in fetched:
                assert url == "data:," or (path.parent / url).resolve().is_file(), (path, url)
        if path.name != vega_bundle.bundle_name():
            text = path.read_text(encoding="utf-8")
            assert not remote.search(text), path
            assert "@font-face" not in text, path
    css = (site / "assets" / "report.css").read_text(encoding="utf-8")
    for font in (
        "Noto Sans CJK SC",
        "Source Han Sans SC",
        "WenQuanYi Micro Hei",
        "PingFang SC",
        "Microsoft YaHei",
    ):
        assert f'"{font}"' in css


def test_chart_bundle_is_generated_once_per_version(tmp_path: Path, monkeypatch):
    name = vega_bundle.bundle_name()
    assert vl_convert.__version__ in name and vl_convert.get_vega_embed_version() in name
    previous, first, second = tmp_path / "previous", tmp_path / "first", tmp_path / "second"
    previous.mkdir()
    (previous / name).write_text("bundle of the previous build", encoding="utf-8")
    monkeypatch.setattr(vega_bundle, "_generate", lambda key: pytest.fail("regenerated a bundle it had"))
    assert vega_bundle.write_bundle(first, previous) == name
    assert (first / name).read_text(encoding="utf-8") == "bundle of the previous build"
    monkeypatch.setattr(vega_bundle, "bundle_name", lambda: "vega-next.js")  # an upgrade: a new name
    monkeypatch.setattr(vega_bundle, "_generate", lambda key: f"generated for {key}")
    assert vega_bundle.write_bundle(second, first) == "vega-next.js"
    assert (second / "vega-next.js").read_text(encoding="utf-8") == "generated for vega-next.js"


ATTACK = '\n<script>alert("x")</script><img src=x onerror=alert(1)>"\' &amp;'
HOSTILE_UNIT = "ug/m3</script><!--<script>alert(5)</script>"  # units are charted: axis title and point labels


@pytest.fixture(scope="module")
def tampered(sample_build: Path, tmp_path_factory: pytest.TempPathFactory):
    """The sample warehouse with a failed file and hostile strings in text, title, noise and quarantine."""
    root = tmp_path_factory.mktemp("tampered")
    warehouse = root / "wh.duckdb"
    shutil.copy(sample_build, warehouse)
    con = duckdb.connect(str(warehouse))
    (key,) = con.execute("SELECT document_key FROM dim_document WHERE source_file = ?", [ANYANG_TXT]).fetchone()
    (clean,) = con.execute("SELECT clean_text FROM document_text WHERE document_key = ?", [key]).fetchone()
    start = len(clean) + 1
    con.execute("UPDATE document_text SET clean_text = clean_text || ? WHERE document_key = ?", [ATTACK, key])
    con.execute("UPDATE dim_document SET title = ? WHERE document_key = ?", ['"><script>alert(2)</script>', key])
    con.execute(
        "UPDATE fact_indicator SET unit = ? WHERE indicator_code = 'air.pm25_mean' AND document_key = ?",
        [HOSTILE_UNIT, key],
    )
    con.execute(
        "INSERT INTO noise_removed VALUES (?, 'clean', 999, 0, 5, NULL, 'seo_spam', ?)",
        [key, "<script>alert(3)</script>"],
    )
    con.execute(
        "INSERT INTO fact_rejected (fact_key, document_key, indicator_code, value_kind, figure_text, "
        "char_start, char_end, reason, reason_in_words) "
        "VALUES ('feedfacefeedface', ?, 'air.pm25_mean', 'actual', '<script>', ?, ?, ?, ?)",
        [key, start, start + len("<script>"), 'value "<b>" out of range', "<i>out of range</i>"],
    )
    con.execute(
        "INSERT INTO dim_document (document_key, source_file, status, error, file_type) "
        "VALUES ('badbadbadbadbad0', 'broken.pdf', 'corrupt', 'PDF trailer not found <script>', 'unknown')"
    )
    con.close()
    return build_report(warehouse, root / "report"), key, clean


def test_failed_documents_are_listed_with_their_errors(tampered):
    summary, _, _ = tampered
    index = read(summary.index)
    assert index.rows("failed") == [["broken.pdf", "corrupt", "PDF trailer not found <script>"]]
    broken = read(summary.index.parent / index.link("broken.pdf"))
    assert "PDF trailer not found" in broken.find("dl", class_="meta")[0].text
    assert summary.pages == 1 + 4 + 9


def test_malicious_text_is_escaped_never_run(tampered):
    summary, key, clean = tampered
    assert summary.rejected_highlighted == 1
    for path in summary.index.parent.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text and "<b>" not in text, path
        assert "not found <script>" not in text, path
    doc_file = summary.index.parent / "doc" / f"{key}.html"
    doc = read(doc_file)
    (text_box,) = doc.find("div", class_="doc-text")
    assert text_box.text == clean + ATTACK
    (rejected,) = doc.find("mark", class_="rejected", data_code="air.pm25_mean")  # not the legend's
    assert (rejected.text, rejected.attrs["data-reason"]) == ("<script>", 'value "<b>" out of range')
    escaped = "alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&quot;&#x27; &amp;amp;"
    assert escaped in doc_file.read_text(encoding="utf-8")
    assert [s.attrs.get("src") for s in doc.find("script")] == ["../assets/report.js"]
    assert read(summary.index).rows("rejected")[0][-1] == ANYANG_TXT
    reason_cell = read(summary.index).rows("rejected")[0][-2]
    assert "<i>out of range</i>" in reason_cell and 'value "<b>" out of range' in reason_cell  # words, expectation
    anyang = read(summary.index.parent / read(summary.index).link("安阳市"))
    pm25 = chart(anyang, "pm25")  # parses: the hostile unit did not end the script element early
    assert HOSTILE_UNIT in pm25["layer"][0]["encoding"]["y"]["title"].split(" / ")
    (point,) = [p for p in points(pm25) if p["source"].endswith(ANYANG_TXT)]
    # the PDF, whose unit was left alone, is a copy of the same report: one voice, no conflict flag; the
    # hostile title names the document in the legend, cut, and stays inert inside the JSON
    assert point["source"] == f'"><script>alert(2)<… · {ANYANG_TXT}'
    assert point["label"] == f"PM2.5年均浓度 (air.pm25_mean) 2024: 51 {HOSTILE_UNIT} — {point['source']}"


def test_failed_build_leaves_the_report_and_a_rebuild_is_identical(report, sample_build, tmp_path, monkeypatch):
    target = tmp_path / "report"
    shutil.copytree(report.index.parent, target)
    published = tree(target)
    (target / "doc" / "stale.html").write_text("from an older build", encoding="utf-8")
    (tmp_path / ".report.building-999999999-x").mkdir()  # left by a build that died

    def disk_full(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(report_build, "area_page", disk_full)  # after index.html was written
    with pytest.raises(OSError, match="disk full"):
        build_report(sample_build, target)
    assert tree(target) == {**published, "doc/stale.html": b"from an older build"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]  # no temp folders; the dead one swept
    with pytest.raises(FileNotFoundError):
        build_report(tmp_path / "missing.duckdb", target)
    monkeypatch.undo()
    build_report(sample_build, target, BUILT_AT)
    assert tree(target) == published  # stale page gone; same warehouse, byte-identical site
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_evidence_report_asset_writes_beside_the_warehouse(sample_build: Path, tmp_path: Path):
    warehouse = tmp_path / "warehouse" / "envreports.duckdb"
    warehouse.parent.mkdir()
    shutil.copy(sample_build, warehouse)
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.txt").write_text("安阳市2024年优良天数226天。", encoding="utf-8")
    pipeline = PipelineResource(
        raw_dir=str(tmp_path / "raw"),
        warehouse=str(warehouse),
        staging_dir=str(tmp_path / "s"),
        max_file_mb=1,
    )
    result = dg.materialize([raw_documents, evidence_report], resources={"pipeline": pipeline})
    assert result.success
    (event,) = [e for e in result.get_asset_materialization_events() if e.asset_key.path == ["evidence_report"]]
    meta = event.materialization.metadata
    index = tmp_path / "warehouse" / "report" / "index.html"
    assert meta["report"].value == served_url("report", "index.html")  # `envreports serve`, not file://
    assert meta["path"].value == str(index.resolve())
    assert index.is_file()
    assert meta["pages_written"].value == 1 + 4 + 8
    assert meta["facts_highlighted"].value == 108
    assert (tmp_path / "s" / "published.json").is_file()  # an unchanged folder now skips the build


def test_the_build_job_publishes_the_report_beside_the_warehouse(sample_build: Path):
    index = sample_build.parent / "report" / "index.html"
    assert index.is_file() and "安阳市" in index.read_text(encoding="utf-8")


def test_chart_spec_is_valid_vega_lite_with_relative_links():
    frame = pl.DataFrame(
        {
            "year": [2020, 2024],
            "value": [40.0, 51.0],
            "series": ["actual", "target"],
            "source": ["a.txt", "b.pdf"],
            "label": ["a", "b"],
            "href": ["../doc/a.html#fact-1", "../doc/b.html#fact-2"],
            "conflict": [False, True],
        }
    )
    spec = chart_spec(frame, "ug/m3", "kind", "test")
    alt.LayerChart.from_dict(spec, validate=True)  # the schema altair builds against
    assert [p["href"] for p in points(spec)] == ["../doc/a.html#fact-1", "../doc/b.html#fact-2"]
    vega = vl_convert.vegalite_to_vega(spec)  # compiles; the points keep their link and label
    symbols = [m["encode"]["update"] for m in vega["marks"] if m["type"] == "symbol"]
    (symbols,) = [m for m in symbols if "href" in m]  # the points; the conflict rings link nowhere
    assert 'datum["href"]' in symbols["href"]["signal"] and 'datum["label"]' in symbols["description"]["signal"]
    with pytest.raises(ValueError, match="columns"):
        chart_spec(frame.drop("href"), "ug/m3", "kind", "test")


WHOLE_YEAR = {
    "base_year": pl.lit(None, pl.Int32),
    "period_start": pl.lit(None, pl.Date),
    "period_end": pl.lit(None, pl.Date),
    "is_full_year": pl.lit(True),
    "document_title": pl.lit(None, pl.String),
}
"""What a hand-made fact needs besides its own columns: a level for a whole year, from an untitled document."""
NAMES = {"air.pm25_mean": "PM2.5年均浓度", "water.good_quality_ratio": "地表水优良水质比例"}


def test_area_charts_are_drawn_per_area_from_dated_facts():
    rows = [
        ("A", "air.pm25_mean", "actual", 2023, 40.0, "ug/m3"),
        ("A", "air.pm25_mean", "target", 2025, 35.0, "ug/m3"),
        ("B", "air.pm25_mean", "target", None, 30.0, "ug/m3"),  # no year: not plotted, so B has no target chart
        ("B", "air.pm25_mean", "actual", 2024, 50.0, "ug/m3"),
        ("B", "water.good_quality_ratio", "actual", 2024, 80.0, "%"),
        ("B", "water.inferior_v_ratio", "actual", 2024, 2.0, "%"),
    ]
    columns = ("area_key", "indicator_code", "value_kind", "year", "value", "unit")
    facts = pl.DataFrame(rows, schema=columns, orient="row").with_columns(
        domain=pl.col("indicator_code").str.extract(r"^(\w+)\."),
        fact_key=pl.int_range(pl.len()).cast(pl.String),
        source_file=pl.lit("a.txt"),
        indicator_name_zh=pl.col("indicator_code").replace_strict(NAMES, default=None),
        region_name=pl.col("area_key"),
        target=pl.lit("doc/a.html#fact-") + pl.int_range(pl.len()).cast(pl.String),
        **WHOLE_YEAR,
    )
    areas = area_facts(find_conflicts(facts).facts)
    assert {k: set(v.charts) for k, v in areas.items()} == {
        "A": {"pm25", "target-air.pm25_mean"},
        "B": {"pm25", "water"},
    }
    target = areas["A"].charts["target-air.pm25_mean"]
    assert target.points.rows() == [
        (
            2023,
            40.0,
            "实际 actual",
            "a.txt",
            "实际 actual (air.pm25_mean) 2023: 40 ug/m3 — a.txt",
            "../doc/a.html#fact-0",
            False,
        ),
        (
            2025,
            35.0,
            "目标 target",
            "a.txt",
            "目标 target (air.pm25_mean) 2025: 35 ug/m3 — a.txt",
            "../doc/a.html#fact-1",
            False,
        ),
    ]  # an untitled document is named by its file
    assert (target.zero, target.conflicts) == (True, 0)
    water = areas["B"].charts["water"]
    assert (water.y_title, water.points["series"].to_list()) == (
        "%",
        ["water.inferior_v_ratio", "地表水优良水质比例"],  # the name; the code only where there is none
    )
    assert areas["B"].facts["indicator_code"].to_list()[0] == "air.pm25_mean" and areas["B"].facts.height == 4


@given(st.text(alphabet="<>/!-&\"'\\scriptSCRIPT \u2028中", max_size=40))
@settings(max_examples=200, deadline=None)
def test_spec_json_cannot_leave_its_script_element(text):
    spec = {"description": text, "data": {"values": [{"label": text, "source": f"</script>{text}<!--"}]}}
    embedded = spec_json(spec)
    assert "<" not in embedded  # no end tag, no comment opener: the element ends where the report ends it
    assert json.loads(embedded) == spec
    page = Page(f'<script type="application/json" id="s">{embedded}</script><p id="after">x</p>')
    (script,) = page.find("script", id="s")
    assert json.loads(script.text) == spec and page.find("p", id="after")


# --- highlighting: any spans, any text -------------------------------------------------------------


def _strip(marked: str) -> str:
    return html.unescape(re.sub(r"</?mark[^>]*>", "", marked))


@st.composite
def text_and_spans(draw):
    text = draw(st.text(alphabet="ab中文<>&\"' \n51%", max_size=40))
    n = len(text)
    spans = []
    for i in range(draw(st.integers(0, 6))):
        start = draw(st.integers(-2, n + 2))
        end = draw(st.integers(-2, n + 3))
        spans.append(Span(start, end, f"s{i}", "fact", (("data-code", "x"),), "t"))
    return text, spans


@given(text_and_spans())
@settings(max_examples=300, deadline=None)
def test_highlight_keeps_text_nests_marks_and_anchors_each_span_once(case):
    text, spans = case
    marked = highlight(text, spans)
    assert _strip(marked.html) == text
    depth = 0
    for tag in re.findall(r"</?mark", marked.html):
        depth += -1 if tag.startswith("</") else 1
        assert depth >= 0
    assert depth == 0
    valid = {s.anchor for s in spans if 0 <= s.start < s.end <= len(text)}
    assert set(marked.anchors) == valid
    for span in spans:
        assert marked.html.count(f'id="{span.anchor}"') == (1 if span.anchor in valid else 0)
        if span.anchor in valid:
            inside = marked.html.split(f'id="{span.anchor}"', 1)[1]
            assert _strip(inside.split(">", 1)[1]).startswith(text[span.start : span.end][:1])


def test_crossing_spans_reopen_as_continuations():
    fact = Span(0, 4, "a", "fact", (), "a")
    crossing = Span(2, 6, "b", "rejected", (), "b")
    marked = highlight("abcdef", [crossing, fact])
    assert marked.html == (
        '<mark id="a" class="fact" tabindex="0" title="a">ab'
        '<mark id="b" class="rejected" tabindex="0" title="b">cd</mark></mark>'
        '<mark class="rejected cont" tabindex="0" title="b">ef</mark>'
    )


def test_stale_builds_go_even_when_their_pid_is_alive_again(tmp_path: Path):
    """Report builds run under the warehouse's build lock, so a pid that is alive proves nothing (pids are reused)."""
    reused = tmp_path / f".report.building-{os.getppid()}-x"
    reused.mkdir()
    report_build.remove_stale_builds(tmp_path / "report")
    assert not reused.exists()


# --- issue 15: charts, units, digits, conflicts, search, build stamp, headings -----------------------


def _svg_points(svg: str) -> list[tuple[str, float, float]]:
    """(href, x, y) of each linked point in the chart as vega draws it."""
    found = re.findall(r'<a xlink:href="[^"]*?(#\w+)"><path [^>]*transform="translate\(([-\d.]+),([-\d.]+)\)', svg)
    return [(href, float(x), float(y)) for href, x, y in found]


def _svg_texts(svg: str) -> list[tuple[float, float, str]]:
    found = re.findall(r'<text [^>]*transform="translate\(([-\d.]+),([-\d.]+)\)[^>]*>([^<]*)</text>', svg)
    return [(float(x), float(y), text) for x, y, text in found]


def test_points_of_one_year_sit_on_it_and_the_axis_starts_at_zero_with_grouped_digits():
    frame = pl.DataFrame(
        {
            "year": [2021, 2024, 2024],
            "value": [6_370_000.0, 5_900_000.0, 6_100_000.0],
            "series": ["energy.x"] * 3,
            "source": ["a.txt", "a.txt", "b.pdf"],
            "label": ["1", "2", "3"],
            "href": ["#p1", "#p2", "#p3"],
            "conflict": [False, True, True],
        }
    )
    svg = vl_convert.vegalite_to_svg(chart_spec(frame, "kW", "indicator", "test"))
    x = {href: x for href, x, _ in _svg_points(svg)}
    texts = _svg_texts(svg)
    ticks = {text: tx for tx, _, text in texts if re.fullmatch(r"20\d\d", text)}
    assert list(ticks) == ["2021", "2022", "2023", "2024"]  # the years without facts keep their place
    assert x["#p2"] == x["#p3"] == ticks["2024"] and x["#p1"] == ticks["2021"]  # not shifted per document
    labels = {text for _, _, text in texts}
    assert {"0", "2,000,000", "6,000,000", "年份 year", "kW"} <= labels  # from zero, digits grouped
    changes = vl_convert.vegalite_to_svg(chart_spec(frame, "kW", "indicator", "test", zero=False))
    assert "0" not in {text for _, _, text in _svg_texts(changes)}  # what a chart of changes gets


def test_changes_and_negative_values_do_not_force_zero():
    facts = pl.DataFrame(
        {
            "area_key": ["A", "A", "B"],
            "indicator_code": ["air.pm25_mean"] * 3,
            "value_kind": ["actual"] * 3,
            "year": [2023, 2024, 2024],
            "value": [40.0, 35.0, -3.0],
            "unit": ["µg/m³"] * 3,
        }
    ).with_columns(
        domain=pl.lit("air"),
        fact_key=pl.int_range(pl.len()).cast(pl.String),
        source_file=pl.lit("a.txt"),
        indicator_name_zh=pl.lit("名称"),
        region_name=pl.col("area_key"),
        target=pl.lit("doc/a.html#fact-") + pl.int_range(pl.len()).cast(pl.String),
        **WHOLE_YEAR,
    )
    charts = area_facts(find_conflicts(facts).facts)
    assert charts["A"].charts["pm25"].zero is True
    assert charts["B"].charts["pm25"].zero is False


def test_units_are_shown_as_people_write_them(report):
    catalogue = set(pl.read_csv(PROJECT_ROOT / "pipelines" / "data" / "units.csv")["unit"])
    catalogue |= set(pl.read_csv(PROJECT_ROOT / "pipelines" / "data" / "indicators.csv")["unit"])
    assert set(UNIT_DISPLAY) <= catalogue  # display forms of real codes; the codes themselves unchanged
    assert {UNIT_DISPLAY["ug/m3"], UNIT_DISPLAY["mg/m3"]} == {"µg/m³", "mg/m³"} and "dB(A)" not in UNIT_DISPLAY
    site = report.index.parent
    anyang = read(site / read(report.index).link("安阳市"))
    assert chart(anyang, "pm25")["layer"][0]["encoding"]["y"]["title"] == "µg/m³"
    units = {row[5] for row in anyang.rows("facts")}
    assert {"µg/m³", "%"} <= units and "ug/m3" not in units
    for path in site.rglob("*.html"):
        assert "ug/m3" not in path.read_text(encoding="utf-8"), path


def test_numbers_group_their_digits_and_years_do_not():
    assert num(12345) == '<td class="num">12,345</td>' and num(1e-05) == '<td class="num">0.00001</td>'
    assert year(2024) == '<td class="num">2024</td>'


def test_the_cli_and_the_report_write_a_value_alike(sample_build: Path, tmp_path: Path, capsys):
    """One formatter (core.display.human_number) for the CLI, the report's tables and its chart labels: a
    tiny value is 0.00001 everywhere (the report wrote 1e-05), a large one is grouped, never 1.2e+10."""
    warehouse = tmp_path / "wh.duckdb"
    shutil.copy(sample_build, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("UPDATE fact_indicator SET value = 1e-05 WHERE indicator_code = 'air.pm25_mean'")
        con.execute("UPDATE fact_indicator SET value = 12345678901.5 WHERE value = 6370000")
    site = build_report(warehouse, tmp_path / "report", BUILT_AT).index.parent
    anyang = read(site / "area" / f"{ANYANG}.html")
    assert [p["label"].split(": ")[1] for p in points(chart(anyang, "pm25"))] == [f"0.00001 µg/m³ — {ANYANG_DOCUMENT}"]
    values = {row[1].split()[0]: row[4] for row in anyang.rows("facts")}
    assert values["air.pm25_mean"] == "0.00001" and values["energy.renewable_capacity_total"] == "12,345,678,901.5"
    for indicator, shown in (
        ("air.pm25_mean", "0.00001 µg/m³"),
        ("energy.renewable_capacity_total", "12,345,678,901.5 kW"),
    ):
        assert main(["facts", "--warehouse", str(warehouse), "--area", "安阳市", "--indicator", indicator]) == 0
        assert f"= {shown}" in capsys.readouterr().out


def conflicting_copy(sample_build: Path, warehouse: Path) -> Path:
    """The sample warehouse where Anyang's PDF says PM2.5 was 48 in 2024, and its text still says 51; the PDF
    is made another report (not a copy of the text), since copies of one report are one voice."""
    shutil.copy(sample_build, warehouse)
    con = duckdb.connect(str(warehouse))
    pdf = ANYANG_TXT.replace(".txt", ".pdf")
    con.execute(
        "UPDATE fact_indicator SET value = 48 WHERE indicator_code = 'air.pm25_mean' AND document_key = "
        "(SELECT document_key FROM dim_document WHERE source_file = ?)",
        [pdf],
    )
    con.execute("UPDATE dim_document SET same_report_as = NULL WHERE source_file = ?", [pdf])
    con.close()
    return warehouse


@pytest.fixture(scope="module")
def conflicted(sample_build: Path, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("conflicted")
    return build_report(conflicting_copy(sample_build, root / "wh.duckdb"), root / "report", BUILT_AT)


def test_find_conflicts_keys_on_area_indicator_year_kind_base_year_and_period():
    h1 = (date(2024, 1, 1), date(2024, 6, 30))
    rows = [
        ("A", "air.pm25_mean", 2024, "actual", None, None, None, 51.0, "a.txt"),
        ("A", "air.pm25_mean", 2024, "actual", None, None, None, 51.0, "a.pdf"),  # the same report twice: agrees
        ("A", "air.pm25_mean", 2024, "actual", None, None, None, 48.0, "b.txt"),  # another value: conflict
        ("A", "air.pm25_mean", 2024, "target", None, None, None, 35.0, "b.txt"),  # another kind
        ("A", "air.pm25_mean", 2023, "actual", None, None, None, 60.0, "b.txt"),  # another year
        (None, "air.pm25_mean", 2024, "actual", None, None, None, 10.0, "c.txt"),  # no area: no key
        ("A", "air.pm25_mean", None, "actual", None, None, None, 11.0, "c.txt"),  # no year: no key
        ("A", "air.pm25_mean", 2024, "actual", None, *h1, 45.0, "c.txt"),  # 1—6月 beside the year's: no conflict
        ("A", "air.pm25_mean", 2024, "change_pct", 2015, None, None, -30.0, "a.txt"),  # against 2015 …
        ("A", "air.pm25_mean", 2024, "change_pct", 2020, None, None, -10.0, "b.txt"),  # … and 2020: two figures
        ("A", "air.pm10_mean", 2024, "actual", None, *h1, 70.0, "a.txt"),  # one half-year, two values: conflict
        ("A", "air.pm10_mean", 2024, "actual", None, *h1, 72.0, "b.txt"),
    ]
    columns = ("area_key", "indicator_code", "year", "value_kind", "base_year", "period_start", "period_end")
    facts = pl.DataFrame(rows, schema=(*columns, "value", "source_file"), orient="row").with_columns(
        unit=pl.lit("µg/m³"), region_name=pl.lit("甲市"), indicator_name_zh=pl.lit("PM2.5"), n=pl.int_range(pl.len())
    )
    found = find_conflicts(facts)
    assert found.facts["n"].to_list() == list(range(len(rows)))  # row order kept
    said = "48 µg/m³ (b.txt) ≠ 51 µg/m³ (a.pdf, a.txt)"
    half = "70 µg/m³ (a.txt) ≠ 72 µg/m³ (b.txt)"
    assert found.facts["conflict"].to_list() == [said, said, said] + [None] * 7 + [half, half]
    assert found.keys.select("indicator_code", "value_kind", "period_end", "n_values").rows() == [
        ("air.pm10_mean", "actual", h1[1], 2),
        ("air.pm25_mean", "actual", None, 2),
    ]


def half_year_copy(sample_build: Path, warehouse: Path, period_end: date | None) -> Path:
    """conflicting_copy, with the PDF's 48 stated for the year up to `period_end` (None: the whole year)."""
    conflicting_copy(sample_build, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "UPDATE fact_indicator SET period_start = CASE WHEN ? IS NULL THEN NULL ELSE DATE '2024-01-01' END, "
            "period_end = ?, is_full_year = ? IS NULL WHERE indicator_code = 'air.pm25_mean' AND value = 48",
            [period_end, period_end, period_end],
        )
    return warehouse


@pytest.mark.parametrize(("period_end", "conflicts"), [(date(2024, 6, 30), 0), (None, 1)])
def test_a_half_years_figure_beside_the_years_is_no_conflict(sample_build, tmp_path, period_end, conflicts):
    """The report and v_conflicts agree: 1—6月 48 beside the year's 51 are two figures; 48 for the year is a
    conflict. The half-year's figure is listed among the facts but not plotted on the year."""
    with duckdb.connect(str(half_year_copy(sample_build, tmp_path / "wh.duckdb", period_end)), read_only=True) as con:
        data = load_report_data(con)
        in_sql = scalar(con, "SELECT count(*) FROM v_conflicts WHERE indicator_code = 'air.pm25_mean'")
    found = find_conflicts(data.facts.with_columns(target=evidence_target()))
    assert found.keys.height == in_sql == conflicts
    anyang = area_facts(found.facts.filter("counted"))[ANYANG]
    plotted = set(anyang.charts["pm25"].points["value"])
    assert plotted == ({51.0} if period_end else {48.0, 51.0})
    (half,) = anyang.facts.filter(pl.col("value") == 48).iter_rows(named=True)
    assert (half["is_full_year"], half["conflict"] is None) == (period_end is None, not conflicts)


def test_conflicting_values_are_flagged_where_they_appear(conflicted, report):
    site = conflicted.index.parent
    index = read(conflicted.index)
    assert index.find("dd", id="count-conflicts")[0].text == "1"
    (row,) = index.rows("conflicts")
    assert row[:4] == ["安阳市", "air.pm25_mean PM2.5年均浓度", "2024", "actual"]
    assert "48 µg/m³" in row[4] and "51 µg/m³" in row[4]
    anyang = read(site / index.link("安阳市"))
    (figure,) = anyang.find("figure", id="chart-pm25")
    assert figure.attrs["data-conflicts"] == "1" and "Documents disagree in 1 year" in figure.text
    pm25 = chart(anyang, "pm25")
    assert {(p["value"], p["conflict"]) for p in points(pm25)} == {(48.0, True), (51.0, True)}
    assert all("⚠ 冲突 conflict: 48 µg/m³" in p["label"] for p in points(pm25))
    assert pm25["layer"][1]["transform"] == [{"filter": "datum.conflict"}]  # the red rings
    flagged = [c for c in anyang.find("td") if "conflict" in c.attrs.get("class", "").split()]
    assert len(flagged) == 2 and all("48 µg/m³" in c.attrs["title"] for c in flagged)
    assert all(c.text.strip().startswith("⚠ 冲突 conflict") for c in flagged)
    doc = read(site / index.link(ANYANG_TXT))
    (mark,) = doc.find("mark", class_="fact conflict", data_code="air.pm25_mean")  # not the legend's
    assert mark.text == "51" and "48 µg/m³" in mark.attrs["data-conflict"] and "冲突" in mark.attrs["title"]
    # the untouched samples agree with themselves: nothing flagged
    plain = read(report.index)
    assert plain.find("dd", id="count-conflicts")[0].text == "0" and plain.find("table", class_="conflicts") == []
    for path in report.index.parent.rglob("*.html"):
        page = read(path)
        assert not [c for c in page.find("td") if "conflict" in c.attrs.get("class", "")], path
        assert not [m for m in page.find("mark", class_="fact conflict") if "data-code" in m.attrs], path


def _search_entries(site: Path) -> list[list[str]]:
    script = (site / "assets" / "search-index.js").read_text(encoding="utf-8")
    prefix = "window.envreportsSearch = "
    assert script.startswith(prefix) and script.endswith(";\n")
    return json.loads(script[len(prefix) : -2])


def test_search_index_covers_areas_indicators_and_documents(report, db):
    site = report.index.parent
    entries = _search_entries(site)
    kinds = {kind: [e for e in entries if e[0] == kind] for kind in ("area", "indicator", "document")}
    assert len(entries) == sum(len(v) for v in kinds.values())
    assert {e[1] for e in kinds["area"]} == {"沈阳市", "鞍山市", "阜新市", "安阳市"}
    n_indicators = scalar(db, "SELECT count(DISTINCT indicator_code) FROM v_indicator_facts")
    assert len(kinds["indicator"]) == n_indicators
    assert {e[1] for e in kinds["document"]} == {p.name for p in (PROJECT_ROOT / "raw").iterdir()}
    index = read(report.index)
    for _, label, _, url, text in entries:
        path, _, anchor = url.partition("#")
        assert (site / path).is_file(), url
        assert not anchor or index.find("td", id=anchor), url
        assert text == text.lower() and label.lower() in text
    (pm25,) = [e for e in kinds["indicator"] if "air.pm25_mean" in e[4]]
    assert pm25[3] == "index.html#indicator-air_pm25_mean" and "pm2.5" in pm25[4]
    for path in site.rglob("*.html"):
        page = read(path)
        (box,) = page.find("div", class_="search", role="search")
        assert "hidden" in box.attrs  # shown by report.js: without script there is nothing to search with
        assert page.find("input", id="search", type="search")
        (body,) = page.find("body")
        assert (path.parent / body.attrs["data-root"] / "assets" / "search-index.js").is_file()


def test_every_page_says_when_and_by_which_code_it_was_built(report, tampered):
    version = report_build.code_version_text()
    assert re.fullmatch(r"envreports \S+ · report [0-9a-f]{12} · extract [0-9a-f]{12}", version)
    for path in report.index.parent.rglob("*.html"):
        page = read(path)
        (built,) = page.find("time", id="built-at")
        assert (built.attrs["datetime"], built.text) == ("2026-01-02T03:04:05Z", "2026-01-02 03:04:05 UTC")
        assert page.find("span", id="code-version")[0].text == version
    (built,) = read(tampered[0].index).find("time", id="built-at")  # built without a time given: now
    moment = datetime.strptime(built.attrs["datetime"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert timedelta(0) <= datetime.now(UTC) - moment < timedelta(minutes=10)


def test_no_name_is_shown_twice_in_an_area_heading(report):
    province = {"name_zh": "辽宁省", "name_en": "Liaoning", "level": "province", "province_zh": "辽宁省"}
    assert _place({**province, "parent_zh": None}) == ["Liaoning", "province"]
    city = {"name_zh": "沈阳市", "name_en": "Shenyang", "level": "prefecture", "province_zh": "辽宁省"}
    assert _place({**city, "parent_zh": "辽宁省"}) == ["Shenyang", "prefecture", "辽宁省"]
    county = {"name_zh": "新民市", "name_en": "Xinmin", "level": "county", "province_zh": "辽宁省"}
    assert _place({**county, "parent_zh": "沈阳市"}) == ["Xinmin", "county", "辽宁省", "沈阳市"]
    for path in (report.index.parent / "area").glob("*.html"):
        (h1,) = read(path).find("h1")
        words = h1.text.replace("·", " ").split()
        assert len(words) == len(set(words)), h1.text
