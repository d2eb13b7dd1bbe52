"""The Dagster UI in headless Chromium after a build with failed files, as an operator meets it.

Two good texts and three files that cannot be used (a damaged PDF, binary junk, a page that is only
"page not found" noise) are built by `envreports build` into a temporary DAGSTER_HOME; dagster-webserver
then serves that instance with the project's code location, as `make dev` does (without the daemon, so
no sensor run interferes). The warehouse asset's `documents_readable` check must warn (yellow, not red)
and list each failed file with its status and error as v_documents shows them; the lineage must read
raw → read → clean → extract → normalise → validate → warehouse → report from left to right; the runs
list must show the CLI's tag. Screenshots go to tests/artifacts/ui_*.png.

Needs Debian's chromium (CI installs it); skipped locally when it is absent, never in CI.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipelines.settings import PROJECT_ROOT
from tests.conftest import RAW, build
from tests.test_report_browser import ARTIFACTS, launched_chromium  # its Chromium and folder; skips likewise

pytestmark = pytest.mark.browser

from playwright.sync_api import Browser, Page, expect  # noqa: E402

GOOD = ("001_9aa5532d1dae63e5.txt", "002_1476e9828541749f.txt")
BROKEN = {
    "broken.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog" + bytes(range(256)) * 8,  # a PDF header, then junk
    "junk.bin": bytes(range(256)) * 16,
    # underscores around a word turn it italic in Markdown: the UI must still show the name as written
    "_not_found_.txt": "页面不存在\n返回首页\n".encode(),
}
STARTUP_SECONDS = 90  # the webserver and its code server import Dagster, GX and polars on a shared machine
UI_TIMEOUT_MS = 30_000
PIPELINE = (  # the lineage as the README tells it: read → clean → extract → normalise → validate → warehouse → report
    "raw_documents",
    "read_results",
    "clean_results",
    "extracted_facts",
    "normalised_facts",
    "validated_facts",
    "warehouse",
    "evidence_report",
)


@dataclass(frozen=True)
class FailedBuild:
    home: Path
    raw: Path
    warehouse: Path


@pytest.fixture(scope="module")
def failed_build(tmp_path_factory: pytest.TempPathFactory) -> FailedBuild:
    """Good and broken files built through the CLI, its run recorded in a DAGSTER_HOME of the test's own."""
    root = tmp_path_factory.mktemp("ui")
    raw, home = root / "raw", root / "dagster_home"
    raw.mkdir()
    home.mkdir()
    for name in GOOD:
        shutil.copy(RAW / name, raw / name)
    for name, content in BROKEN.items():
        (raw / name).write_bytes(content)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    warehouse = root / "warehouse" / "envreports.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAGSTER_HOME", str(home))
        assert build(raw, warehouse) == 0
    return FailedBuild(home, raw, warehouse)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


LOCATIONS_QUERY = """{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus
    locationOrLoadError { __typename ... on PythonError { message } } } } } }"""


def location_loaded(url: str) -> bool:
    """True once the webserver answers and its code location has loaded; fails on a load error."""
    request = urllib.request.Request(
        f"{url}/graphql",
        data=json.dumps({"query": LOCATIONS_QUERY}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            entries = json.load(response)["data"]["workspaceOrError"]["locationEntries"]
    except (urllib.error.URLError, OSError, KeyError, TypeError):
        return False
    for entry in entries:
        error = entry["locationOrLoadError"]
        assert not error or error["__typename"] != "PythonError", f"code location failed to load: {error}"
    return bool(entries) and all(e["loadStatus"] == "LOADED" and e["locationOrLoadError"] for e in entries)


def stop(process: subprocess.Popen) -> None:
    """End the webserver and the code server it started (its own session), politely first."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
            return
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def ui(failed_build: FailedBuild) -> Iterator[str]:
    """dagster-webserver on a free port of 127.0.0.1, serving the build's instance and the project's code
    location under the name `dg dev` gives it (the project folder's)."""
    root = failed_build.home.parent
    workspace = root / "workspace.yaml"
    location = {"module_name": "pipelines.definitions", "location_name": PROJECT_ROOT.name}
    location["working_directory"] = str(PROJECT_ROOT)
    workspace.write_text(json.dumps({"load_from": [{"python_module": location}]}), encoding="utf-8")
    env = os.environ | {
        "DAGSTER_HOME": str(failed_build.home),
        "ENVREPORTS_RAW_DIR": str(failed_build.raw),
        "ENVREPORTS_WAREHOUSE": str(failed_build.warehouse),
    }
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    webserver = Path(sys.executable).parent / "dagster-webserver"
    log_path = root / "webserver.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(webserver), "-h", "127.0.0.1", "-p", str(port), "-w", str(workspace)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not location_loaded(url):
            tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
            assert process.poll() is None, f"dagster-webserver exited with {process.returncode}:\n{tail}"
            assert time.monotonic() < deadline, f"dagster-webserver not ready after {STARTUP_SECONDS} s:\n{tail}"
            time.sleep(1)
        yield url
    finally:
        stop(process)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A wide tab that has already dismissed Dagster's "join the community" dialog (it would cover the page)."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    context.set_default_timeout(UI_TIMEOUT_MS)
    context.add_init_script("window.localStorage.setItem('communityNux', '\"1\"')")
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=False)


def failed_in_view(warehouse: Path) -> list[tuple[str, str, str]]:
    """(file, status, error) of the documents v_documents shows as not usable, the build's own answer."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "SELECT source_file, status, error FROM v_documents "
            "WHERE status NOT IN ('ok', 'duplicate', 'skipped') ORDER BY source_file"
        ).fetchall()


def test_failed_files_turn_the_warehouse_yellow_and_are_listed_with_their_errors(
    page: Page, ui: str, failed_build: FailedBuild
):
    failed = failed_in_view(failed_build.warehouse)
    assert {(f, s) for f, s, _ in failed} == {
        ("broken.pdf", "corrupt"),
        ("junk.bin", "unreadable"),
        ("_not_found_.txt", "no_content"),
    }

    page.goto(f"{ui}/assets/warehouse")  # the asset's overview: its latest check result is a yellow warning
    badge = page.get_by_text("Latest check results").locator("xpath=..")
    expect(badge.get_by_role("img", name="warning_outline")).to_be_visible()
    expect(badge).to_contain_text("1")

    page.goto(f"{ui}/assets/warehouse?view=checks")
    expect(page.get_by_text("Latest execution")).to_be_visible()
    result = page.locator(".BaseTag", has_text="Failed")  # Dagster's tag for the evaluation result
    expect(result).to_have_attribute("style", re.compile(r"--tag-fill-color: var\(--color-background-yellow\)"))
    expect(result.get_by_role("img", name="warning_outline")).to_be_visible()
    expect(page.get_by_text("This is a non-blocking asset check.")).to_be_visible()
    expect(page.get_by_text(f"{len(failed)} of 5 files could not be used:")).to_be_visible()
    items = page.locator("li", has_text=" — ")  # the description is a list: one line per failed file
    expect(items).to_have_count(len(failed))
    for i, (file, status, error) in enumerate(failed):
        expect(items.nth(i)).to_have_text(f"{file} — {status}: {error}")  # as written: no italics, no markup
    for good in GOOD:
        expect(page.get_by_text(good)).to_have_count(0)
    metadata = page.locator("tr", has_text="failed_documents")
    expect(metadata).to_contain_text(str(len(failed)))
    shot(page, "ui_failed_files.png")


def test_lineage_reads_like_the_pipeline(page: Page, ui: str):
    page.set_viewport_size({"width": 1600, "height": 1150})  # the whole graph, zoomed to fit, readable
    page.goto(f"{ui}/assets/evidence_report?view=lineage&lineageScope=upstream&lineageDepth=10")  # depth: all
    # an asset node's name (the group boxes' headers also name `warehouse`)
    nodes = [page.locator('[class*="AssetNode_assetName"]').get_by_text(name, exact=True) for name in PIPELINE]
    for node in nodes:
        expect(node).to_be_visible()
    settled, last = None, None
    for _ in range(20):  # the graph zooms to fit after its layout: wait until it stops moving
        box = nodes[-1].bounding_box()
        if box == last:
            settled = box
            break
        last = box
        page.wait_for_timeout(300)
    assert settled, "the lineage graph kept moving"
    centres = [box["x"] + box["width"] / 2 for box in (node.bounding_box() for node in nodes)]
    assert centres == sorted(centres) and len(set(centres)) == len(centres), dict(zip(PIPELINE, centres, strict=True))
    shot(page, "ui_lineage.png")


def test_the_runs_list_says_the_cli_launched_the_build(page: Page, ui: str):
    page.goto(f"{ui}/runs")  # the instance holds the one run of the build
    tag = page.get_by_text("envreports/launched_by: cli", exact=True)
    expect(tag).to_be_visible()
    expect(tag).to_have_count(1)
    expect(page.get_by_role("link", name="build_warehouse")).to_be_visible()
    expect(page.get_by_text("Success", exact=True)).to_be_visible()  # the failed files are the check's to show
    shot(page, "ui_runs.png")
