"""Write the whole report into a temporary sibling folder, then swap it in.

People keep the report open in a browser while builds run. Pages are written into
`.<name>.building-<pid>-*` next to the target and only renamed onto the target when complete, so a
half-written report is never visible; a build that dies leaves the previous report as it was, and the
next build removes what the dead one left behind.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import duckdb

from pipelines.report.area_page import area_facts, area_page
from pipelines.report.conflicts import find_conflicts
from pipelines.report.document_page import document_page
from pipelines.report.markup import Stamp, area_path, document_path, evidence_target
from pipelines.report.overview import overview_page
from pipelines.report.parts import Parts
from pipelines.report.search_index import FILE as SEARCH_FILE
from pipelines.report.search_index import search_entries, search_script
from pipelines.report.vega_bundle import write_bundle
from pipelines.report.warehouse_data import clean_texts, load_report_data
from pipelines.stages import EXTRACT_VERSION
from pipelines.store.code_versions import code_version, inputs
from pipelines.store.warehouse import MEMORY_LIMIT

STATIC = Path(__file__).parent / "static"
_TEMP = re.compile(r"^\.(?P<name>.+)\.(?:building|old)-(?P<pid>\d+)-")


@dataclass(frozen=True)
class ReportSummary:
    """Where the report is and what went into it (asset metadata and tests read this)."""

    index: Path
    pages: int
    documents: int
    areas: int
    charts: int
    chart_links: int
    facts_highlighted: int
    rejected_highlighted: int


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@functools.cache
def code_version_text() -> str:
    """The package version, the hash of the report's own code (its modules, templates, scripts, styles
    and unit names) and the extraction code version (the `code_version` the Dagster UI shows on the fact
    assets): which code read the facts and drew them."""
    try:
        package = metadata.version("envreports")
    except metadata.PackageNotFoundError:
        package = "unknown"
    own = [p for p in Path(__file__).parent.rglob("*") if p.is_file() and p.suffix not in {".py", ".pyc"}]
    report = code_version([*inputs(__name__), *own])
    return f"envreports {package} · report {report} · extract {EXTRACT_VERSION}"


def write_site(con: duckdb.DuckDBPyConnection, out: Path, previous: Path, stamp: Stamp) -> ReportSummary:
    """All pages into `out` (which must be empty or absent); `previous` is the report being replaced,
    whose chart bundle is reused when its versions match."""
    data = load_report_data(con)
    conflicts = find_conflicts(data.facts.with_columns(target=evidence_target()))
    facts = conflicts.facts
    area_pages = set(data.areas["area_key"])
    _write(out / "index.html", overview_page(data, conflicts, stamp))
    for name in ("report.css", "report.js"):
        _write(out / "assets" / name, (STATIC / name).read_text(encoding="utf-8"))
    _write(out / "assets" / SEARCH_FILE, search_script(search_entries(data)))
    scripts = (write_bundle(out / "assets", previous / "assets"),) if data.areas.height else ()

    charts = links = 0
    by_area = area_facts(facts)
    for area in data.areas.iter_rows(named=True):
        rendered = area_page(area, by_area[area["area_key"]], area_pages, scripts, stamp)
        _write(out / area_path(area["area_key"]), rendered.html)
        charts += rendered.charts
        links += rendered.chart_links

    highlighted = rejected = 0
    # rows per document in one pass: filtering per page would rescan every fact for every page
    facts_of, rejected_of, noise_of = (Parts(f, "document_key") for f in (facts, data.rejected, data.noise))
    texts = clean_texts(con, data.documents["document_key"].to_list())
    for doc, (key, text) in zip(data.documents.iter_rows(named=True), texts, strict=True):
        rendered = document_page(
            doc,
            text,
            facts_of.get((key,)),
            rejected_of.get((key,)),
            noise_of.get((key,)),
            area_pages,
            stamp,
        )
        _write(out / document_path(key), rendered.html)
        highlighted += rendered.facts_highlighted
        rejected += rendered.rejected_highlighted

    return ReportSummary(
        index=out / "index.html",
        pages=1 + data.areas.height + data.documents.height,
        documents=data.documents.height,
        areas=data.areas.height,
        charts=charts,
        chart_links=links,
        facts_highlighted=highlighted,
        rejected_highlighted=rejected,
    )


def remove_stale_builds(target: Path) -> list[Path]:
    """Delete temporary folders of builds that died. Call only under the warehouse's build lock.

    Every report build runs under that lock, so whatever exists when we hold it is stale; no pid
    is trusted (pids are reused).
    """
    removed = []
    for path in target.parent.glob(f".{target.name}.*-*"):
        match = _TEMP.match(path.name)
        if not match or match["name"] != target.name:
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _swap(new: Path, target: Path) -> None:
    """Rename the finished folder onto the target; the old one is moved aside first, then deleted.

    POSIX has no portable atomic exchange of two directories: between the two renames the target is
    briefly absent (a reader gets "not found"), but it never holds a mix of two builds.
    """
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old-{os.getpid()}-"))
        os.replace(target, old / target.name)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def build_report(warehouse: Path, target: Path, built_at: datetime | None = None) -> ReportSummary:
    """Read the published warehouse (read-only) and publish the report at `target`; every page says
    when (`built_at`, now by default) and by which code it was built."""
    stamp = Stamp(built_at or datetime.now(UTC), code_version_text())
    if not warehouse.is_file():
        raise FileNotFoundError(f"warehouse {warehouse} does not exist; build it first")
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_builds(target)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.building-{os.getpid()}-"))
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            # DuckDB's buffer pool would otherwise keep the blocks it read, growing with the warehouse
            con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
            summary = write_site(con, staging / "site", target, stamp)
        finally:
            con.close()
        _swap(staging / "site", target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return replace(summary, index=target / "index.html")
