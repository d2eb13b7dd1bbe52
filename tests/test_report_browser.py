"""The evidence report in headless Chromium: overview → area (安阳市), whose charts the local vega bundle
draws under the pages' CSP → chart point → document, where the PM2.5 figure is highlighted and its details
show on click and hover; the search box finds areas, indicators and documents; a value two documents
disagree on is flagged on the chart, in the table and in the text. Any request leaving the site or any
console error fails. Screenshots go to tests/artifacts/.

Needs Debian's chromium (CI installs it); skipped locally when it is absent, never in CI.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipelines.report import build_report
from pipelines.settings import PROJECT_ROOT
from tests.test_report import conflicting_copy

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
ANYANG_TXT = "001_9aa5532d1dae63e5.txt"

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip(
        f"{CHROMIUM} is not installed (apt-get install chromium fonts-noto-cjk); in CI this test fails instead",
        allow_module_level=True,
    )

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep pytest output clean; failures show up as assertions, not access logs."""


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """The folder served over http on 127.0.0.1, as someone would browse a copied report folder."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def site(sample_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    summary = build_report(sample_build, tmp_path_factory.mktemp("browser") / "report")
    with served(summary.index.parent) as url:
        yield url


@pytest.fixture(scope="module")
def conflicted_site(sample_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The report of a warehouse where Anyang's PDF says PM2.5 48 and its text 51 for 2024."""
    root = tmp_path_factory.mktemp("conflicted")
    summary = build_report(conflicting_copy(sample_build, root / "wh.duckdb"), root / "report")
    with served(summary.index.parent) as url:
        yield url


@contextlib.contextmanager
def launched_chromium() -> Iterator[Browser]:
    """Debian's Chromium with the flags a container needs (the UI browser test uses it too)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched_chromium() as chromium:
        yield chromium


@contextlib.contextmanager
def tab_on(browser: Browser, site: str) -> Iterator[Page]:
    """A tab that records every request leaving the local server and every script or CSP error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.foreign = []
    tab.errors = []
    tab.on("request", lambda r: None if r.url.startswith(site) else tab.foreign.append(r.url))
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type in ("error", "warning") else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def page(browser: Browser, site: str) -> Iterator[Page]:
    with tab_on(browser, site) as tab:
        yield tab


@pytest.fixture
def conflicted_page(browser: Browser, conflicted_site: str) -> Iterator[Page]:
    with tab_on(browser, conflicted_site) as tab:
        yield tab


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=False)


def test_overview_area_chart_point_document_and_fact_details(page: Page, site: str):
    page.goto(site + "index.html")
    expect(page.locator("#count-documents")).to_have_text("8")
    expect(page.locator("#count-facts")).to_have_text(re.compile(r"^\d{2,}$"))  # each report once: 67 of 108
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith('"Noto Sans CJK SC"') and "Microsoft YaHei" in family
    shot(page, "report_overview.png")

    page.get_by_role("link", name="安阳市", exact=True).click()
    expect(page).to_have_url(re.compile(r"/area/\d{6}\.html$"))
    expect(page.locator("h1")).to_contain_text("安阳市")
    expect_charts_drawn(page)
    shot(page, "report_area_anyang.png")

    point = page.locator(f'#chart-pm25 svg a:has([aria-label*="{ANYANG_TXT}"])')
    expect(point).to_have_count(1)
    expect(point).to_have_attribute("xlink:href", re.compile(r"^\.\./doc/\w+\.html#fact-\w+$"))
    document = f"关于我市2024年度环境状况和环境保护… · {ANYANG_TXT}"
    # on hover, the code beside the name
    expect(point.locator("title")).to_have_text(f"PM2.5年均浓度 (air.pm25_mean) 2024: 51 µg/m³ — {document}")
    legends = page.locator("#chart-pm25 svg .role-legend")  # the legends name what they show, not codes
    expect(legends).to_have_text(["PM2.5年均浓度指标 indicator", f"{document}文件 document"])
    expect(legends.first).not_to_contain_text("air.pm25_mean")
    overrun = page.evaluate(
        """() => { const svg = document.querySelector('#chart-pm25 svg'), edge = svg.getBoundingClientRect().right;
                   return [...svg.querySelectorAll('text')].filter(t => t.getBoundingClientRect().right > edge + 1)
                          .map(t => t.textContent); }"""
    )
    assert overrun == []  # labels measured in the page's font: none runs past the drawing and is cut
    point.click()
    expect(page).to_have_url(re.compile(r"/doc/\w+\.html#fact-\w+$"))
    expect(page.locator("h1")).to_have_text(ANYANG_TXT)
    anchor = page.url.split("#", 1)[1]
    mark = page.locator(f"mark#{anchor}")
    expect(mark).to_have_text("51")
    expect(mark).to_have_attribute("data-code", "air.pm25_mean")
    expect(mark).to_have_attribute("data-value", "51")
    expect(mark).to_have_attribute("data-unit", "µg/m³")
    expect(mark).to_be_in_viewport()

    details = page.locator("#fact-pop")  # opened for the linked fact on arrival
    expect(details).to_be_visible()
    expect(details).to_contain_text("air.pm25_mean")
    expect(details).to_contain_text("µg/m³")
    expect(details).to_contain_text("安阳市")
    shot(page, "report_document_pm25.png")

    other = page.locator('mark.fact[data-code="air.good_days_ratio"]:not(.cont)').first
    other.hover()
    expect(details).to_contain_text("air.good_days_ratio")
    page.keyboard.press("Escape")
    expect(details).to_be_hidden()
    mark.click()
    expect(details).to_be_visible()
    expect(details).to_contain_text("51")
    expect(mark).to_have_class(re.compile(r"\bcurrent\b"))

    noise = page.locator("details.noise")
    expect(noise).not_to_have_attribute("open", "")
    noise.locator("summary").click()
    expect(noise).to_have_attribute("open", "")

    assert page.foreign == []
    assert page.errors == []


def expect_charts_drawn(page: Page) -> None:
    """Every chart of the page drawn client-side as SVG, with a link per point of its spec."""
    charts = page.locator("div.vega[data-spec]")
    assert charts.count() >= 3
    expect(page.locator("div.vega[data-rendered=true]")).to_have_count(charts.count())
    for i in range(charts.count()):
        chart = charts.nth(i)
        spec = page.evaluate(
            "id => JSON.parse(document.getElementById(id).textContent)", chart.get_attribute("data-spec")
        )
        expect(chart.locator("svg")).to_be_visible()
        expect(chart.locator("svg a")).to_have_count(len(spec["data"]["values"]))


def test_opens_from_disk_without_a_server(page: Page, site: str, sample_build: Path, tmp_path: Path):
    summary = build_report(sample_build, tmp_path / "report")
    page.goto(summary.index.as_uri())
    page.get_by_role("link", name="安阳市", exact=True).click()
    expect_charts_drawn(page)  # the bundle and the specs need no server
    page.go_back()
    page.get_by_role("link", name=ANYANG_TXT, exact=True).click()
    mark = page.locator('mark.fact[data-code="air.pm25_mean"]:not(.cont)')
    expect(mark).to_have_attribute("data-value", "51")
    mark.click()
    expect(page.locator("#fact-pop")).to_contain_text("µg/m³")  # the local script ran under file://
    assert [url for url in page.foreign if not url.startswith("file://")] == []
    assert page.errors == []


def test_a_part_year_figure_keeps_its_period_on_one_line_and_charts_draw_without_warnings(page: Page, site: str):
    """沈阳市's counts to 9 December: the year cell says so on one line; its charts (no conflicts) draw with
    no console warning (an empty ring layer made vega warn of an infinite extent)."""
    page.goto(site + "area/210100.html")
    expect_charts_drawn(page)
    cell = page.locator("table.facts td.num", has_text="2024 (01-01…12-09)").first
    lines = cell.evaluate(
        "td => { const r = document.createRange(); r.selectNodeContents(td); return r.getClientRects().length; }"
    )
    assert lines == 1
    expect(page.locator("figure#chart-pm25 figcaption")).to_contain_text("1 point from 1 document;")
    assert page.errors == [] and page.foreign == []


def search(page: Page, query: str):
    """Type into the header's search box; the results list."""
    box = page.locator("#search")
    box.fill(query)
    return page.locator("#search-results")


def test_search_finds_areas_indicators_and_documents(page: Page, site: str, sample_build: Path, tmp_path: Path):
    page.goto(site + "index.html")
    results = search(page, "安阳")
    expect(results).to_be_visible()
    expect(results.locator("a.kind-area")).to_have_count(1)
    expect(results.locator("a").first).to_contain_text("安阳市")  # the area ranks first
    expect(results.locator("a.kind-document")).to_have_count(2)  # the report's text and PDF
    shot(page, "report_search.png")
    results.locator("a.kind-area").click()
    expect(page).to_have_url(re.compile(r"/area/410500\.html$"))
    expect(page.locator("h1")).to_contain_text("安阳市")

    results = search(page, "PM2.5")  # from an area page: links are relative to its folder
    indicator = results.locator("a.kind-indicator", has_text="air.pm25_mean")
    expect(indicator).to_have_count(1)
    indicator.click()
    expect(page).to_have_url(re.compile(r"/index\.html#indicator-air_pm25_mean$"))
    expect(page.locator("#indicator-air_pm25_mean")).to_be_in_viewport()

    results = search(page, "shenyang")  # English names too
    expect(results.locator("a.kind-area")).to_have_text(re.compile("沈阳市"))
    results = search(page, "002_1476")
    expect(results.locator("a")).to_have_count(1)
    page.locator("#search").press("Enter")  # Enter opens the first result
    expect(page).to_have_url(re.compile(r"/doc/\w+\.html$"))
    expect(page.locator("h1")).to_have_text("002_1476e9828541749f.txt")
    expect(search(page, "没有这个地方 nowhere")).to_have_text("没有结果 — nothing found")
    assert page.foreign == []
    assert page.errors == []

    summary = build_report(sample_build, tmp_path / "report")  # from disk: the index is a script, no fetch
    page.goto(summary.index.as_uri())
    search(page, "鞍山").locator("a.kind-area").click()
    expect(page.locator("h1")).to_contain_text("鞍山市")
    assert page.errors == []


def test_conflicting_values_are_flagged_on_the_chart_in_the_table_and_in_the_text(
    conflicted_page: Page, conflicted_site: str
):
    page = conflicted_page
    page.goto(conflicted_site + "index.html")
    expect(page.locator("#count-conflicts")).to_have_text("1")
    expect(page.locator("table.conflicts td.conflict")).to_contain_text("48 µg/m³")
    page.locator("table.conflicts").get_by_role("link", name="安阳市").click()
    expect_charts_drawn(page)
    figure = page.locator("#chart-pm25")
    expect(figure).to_have_attribute("data-conflicts", "1")
    expect(figure.locator('svg path[stroke="#cf222e"]')).to_have_count(2)  # both points ringed in red
    expect(figure.locator("figcaption .conflict")).to_be_visible()
    figure.scroll_into_view_if_needed()
    shot(page, "report_conflict.png")
    flagged = page.locator("table.facts td.conflict")
    expect(flagged).to_have_count(2)
    expect(flagged.first).to_contain_text("⚠ 冲突 conflict")
    expect(flagged.first).to_have_attribute("title", re.compile("48 µg/m³.*≠ 51 µg/m³"))
    point = figure.locator(f'svg a:has([aria-label*=" · {ANYANG_TXT} ⚠"])')
    expect(point.locator("title")).to_contain_text("冲突 conflict: 48 µg/m³")
    point.click()
    expect(page.locator("h1")).to_have_text(ANYANG_TXT)
    details = page.locator("#fact-pop")
    expect(details).to_contain_text("冲突 conflict")
    expect(details).to_contain_text("48 µg/m³")
    assert page.foreign == []
    assert page.errors == []
