"""Evidence report: overview counts, charts linking to evidence, facts highlighted in place, offline, escaped,
published atomically, and the Dagster asset that writes it."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
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

from pipelines.defs.ingest.assets import raw_documents
from pipelines.defs.report.assets import evidence_report
from pipelines.defs.resources import PipelineResource
from pipelines.report import build as report_build
from pipelines.report import build_report, vega_bundle
from pipelines.report.area_page import area_facts
from pipelines.report.charts import chart_spec, spec_json
from pipelines.report.highlight import Span, highlight

ANYANG_TXT = "001_9aa5532d1dae63e5.txt"
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


@pytest.fixture(scope="module")
def report(sample_build: Path, tmp_path_factory: pytest.TempPathFactory):
    return build_report(sample_build, tmp_path_factory.mktemp("site") / "report")


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
    assert count["count-facts"] == scalar(db, "SELECT count(*) FROM v_indicator_facts") > 100
    domains = {r[0]: int(r[1]) for r in index.rows("domains")}
    assert domains == dict(db.execute("SELECT domain, count(*) FROM v_indicator_facts GROUP BY 1").fetchall())
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
    # the txt and the pdf of the same report each state PM2.5 51
    assert [(p["year"], p["value"], p["series"]) for p in points(pm25)] == [(2024, 51.0, "air.pm25_mean")] * 2
    assert {p["source"] for p in points(pm25)} == {ANYANG_TXT, ANYANG_TXT.replace(".txt", ".pdf")}
    assert {e["field"] for e in pm25["layer"][1]["encoding"].values()} >= {"href", "label", "source"}
    for point in points(pm25):
        target, anchor = point["href"].split("#")
        assert target.startswith("../doc/") and anchor.startswith("fact-")
        doc = read((area_file.parent / target).resolve())
        (mark,) = doc.find("mark", id=anchor)
        assert (mark.attrs["data-code"], mark.attrs["data-value"], mark.text) == ("air.pm25_mean", "51", "51")
        assert point["label"] == f"air.pm25_mean 2024: 51 ug/m3 — {point['source']}"
    assert points(chart(page, "good-days")) and page.find("figure", id="chart-water")
    (figure,) = page.find("figure", id="chart-pm25")
    (noscript,) = [c for c in figure.children if c.tag == "noscript"]
    assert [a.attrs["href"] for a in _descendants(noscript, "a")] == ["#all-facts"]
    assert page.find("h2", id="all-facts")  # the fallback without script: the table lists every point, linked
    bundle = f"../assets/{vega_bundle.bundle_name()}"
    assert [s.attrs.get("src") for s in page.find("script") if "src" in s.attrs] == [bundle, "../assets/report.js"]


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
        "SELECT count(*) FROM fact_indicator WHERE area_key = ? "
        "AND indicator_code = 'water.good_quality_ratio' "
        "AND value_kind IN ('actual', 'target') AND year IS NOT NULL",
        [shenyang],
    )
    assert len(points(spec)) == n >= 2
    assert {p["series"] for p in points(spec)} == {"actual", "target"}


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
        "unit": "ug/m3",
        "year": "2024",
        "kind": "actual",
        "area": "安阳市",
    }
    assert "air.pm25_mean = 51 ug/m3" in mark.attrs["title"]
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
        "char_start, char_end, reason) "
        "VALUES ('feedfacefeedface', ?, 'air.pm25_mean', 'actual', '<script>', ?, ?, ?)",
        [key, start, start + len("<script>"), 'value "<b>" out of range'],
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
    anyang = read(summary.index.parent / read(summary.index).link("安阳市"))
    pm25 = chart(anyang, "pm25")  # parses: the hostile unit did not end the script element early
    assert HOSTILE_UNIT in pm25["layer"][0]["encoding"]["y"]["title"].split(" / ")
    assert f"air.pm25_mean 2024: 51 {HOSTILE_UNIT} — {ANYANG_TXT}" in {p["label"] for p in points(pm25)}


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
    build_report(sample_build, target)
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
    assert meta["report"].value == index.resolve().as_uri()
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
        }
    )
    spec = chart_spec(frame, "ug/m3", "kind", "test")
    alt.LayerChart.from_dict(spec, validate=True)  # the schema altair builds against
    assert [p["href"] for p in points(spec)] == ["../doc/a.html#fact-1", "../doc/b.html#fact-2"]
    vega = vl_convert.vegalite_to_vega(spec)  # compiles; the points keep their link and label
    (symbols,) = [m["encode"]["update"] for m in vega["marks"] if m["type"] == "symbol"]
    assert 'datum["href"]' in symbols["href"]["signal"] and 'datum["label"]' in symbols["description"]["signal"]
    with pytest.raises(ValueError, match="columns"):
        chart_spec(frame.drop("href"), "ug/m3", "kind", "test")


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
        indicator_name_zh=pl.lit("名称"),
        target=pl.lit("doc/a.html#fact-") + pl.int_range(pl.len()).cast(pl.String),
    )
    areas = area_facts(facts)
    assert {k: set(v.charts) for k, v in areas.items()} == {
        "A": {"pm25", "target-air.pm25_mean"},
        "B": {"pm25", "water"},
    }
    target = areas["A"].charts["target-air.pm25_mean"]
    assert target.points.rows() == [
        (2023, 40.0, "actual", "a.txt", "actual 2023: 40 ug/m3 — a.txt", "../doc/a.html#fact-0"),
        (2025, 35.0, "target", "a.txt", "target 2025: 35 ug/m3 — a.txt", "../doc/a.html#fact-1"),
    ]
    water = areas["B"].charts["water"]
    assert (water.y_title, water.points["series"].to_list()) == (
        "%",
        ["water.good_quality_ratio", "water.inferior_v_ratio"],
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
