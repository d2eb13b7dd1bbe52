"""Publishing and incremental builds: readers are never blocked, kills never corrupt, reruns are cheap."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines import stages
from pipelines.core import discovery
from pipelines.settings import PROJECT_ROOT
from pipelines.store import warehouse as warehouse_module
from pipelines.worker import ENV_DOC_TIMEOUT_S, Limits
from tests.conftest import RAW, build

pytestmark = pytest.mark.e2e

TABLES = (
    "dim_document",
    "dim_area",
    "dim_indicator",
    "dim_period",
    "fact_indicator",
    "fact_rejected",
    "document_text",
    "noise_removed",
)


def _raw(tmp_path: Path, *names: str) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in names:
        (raw / name).write_bytes((RAW / name).read_bytes())
    return raw


def _facts(warehouse: Path, source_file: str) -> set[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            "SELECT indicator_code, year, value_kind, value FROM v_indicator_facts WHERE source_file = ?",
            [source_file],
        ).fetchall()
    finally:
        con.close()
    return set(rows)


def _digest(warehouse: Path) -> dict[str, str]:
    """A content hash per table, independent of physical layout."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        out = {}
        for table in TABLES:
            rows = con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
            out[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return out
    finally:
        con.close()


def test_a_reader_holding_a_connection_never_blocks_the_build(tmp_path: Path):
    raw = _raw(tmp_path, "000_f62db9893ffb6cb0.txt")
    warehouse = tmp_path / "wh" / "envreports.duckdb"
    assert build(raw, warehouse) == 0
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time\n"
            f"con = duckdb.connect({str(warehouse)!r}, read_only=True)\n"
            "before = con.execute('SELECT count(*) FROM v_documents').fetchone()[0]\n"
            "print('ready', flush=True)\n"
            "sys.stdin.readline()\n"
            "after = con.execute('SELECT count(*) FROM v_documents').fetchone()[0]\n"
            "print(before, after, flush=True)\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout.readline().strip() == "ready"
    (raw / "001_9aa5532d1dae63e5.txt").write_bytes((RAW / "001_9aa5532d1dae63e5.txt").read_bytes())
    assert build(raw, warehouse) == 0  # would raise a lock error if the build opened the published file
    out, _ = reader.communicate("go\n", timeout=60)
    assert out.split() == ["1", "1"]  # the old snapshot, whole, while the reader stays connected
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM v_documents").fetchone() == (2,)  # new data on reconnecting
    con.close()


def test_a_build_killed_midway_leaves_the_published_file_intact(tmp_path: Path):
    raw = _raw(tmp_path, "000_f62db9893ffb6cb0.txt")
    warehouse = tmp_path / "wh" / "envreports.duckdb"
    assert build(raw, warehouse) == 0
    before = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    for name in ("001_9aa5532d1dae63e5.txt", "003_71df9ef4c03a5c50.txt", "001_9aa5532d1dae63e5.pdf"):
        (raw / name).write_bytes((RAW / name).read_bytes())
    env = {**os.environ, "ENVREPORTS_RAW_DIR": str(raw), "ENVREPORTS_WAREHOUSE": str(warehouse)}
    env.pop("DAGSTER_HOME", None)
    proc = subprocess.Popen(
        [str(PROJECT_ROOT / ".venv" / "bin" / "envreports"), "build"], env=env, cwd=tmp_path, start_new_session=True
    )
    staging = warehouse.parent / "staging"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(staging.glob("read-*/*/*.parquet")):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # mid-way: while documents are being read
    proc.wait()
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == before
    assert build(raw, warehouse) == 0
    assert _facts(warehouse, "001_9aa5532d1dae63e5.txt")
    assert not list(warehouse.parent.glob(".envreports.duckdb.building-*"))


def test_stale_temporary_files_are_cleaned_up(tmp_path: Path):
    raw = _raw(tmp_path, "000_f62db9893ffb6cb0.txt")
    warehouse = tmp_path / "wh" / "envreports.duckdb"
    warehouse.parent.mkdir()
    stale = warehouse.parent / ".envreports.duckdb.building-999999999"
    stale.write_bytes(b"half a database")
    spill = warehouse.parent / ".envreports.duckdb.building-999999999.tmp"  # DuckDB's spill folder
    spill.mkdir()
    (spill / "duckdb_temp_block-1.block").write_bytes(b"spilled")
    assert build(raw, warehouse) == 0
    assert not stale.exists()
    assert not spill.exists()


class Counter:
    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.calls = {"read": 0, "clean": 0, "extract": 0}
        for stage, name in (("read", "read_one"), ("clean", "clean_one"), ("extract", "extract_one")):
            real = getattr(stages, name)

            def counted(*args, _real=real, _stage=stage, **kwargs):
                self.calls[_stage] += 1
                return _real(*args, **kwargs)

            monkeypatch.setattr(stages, name, counted)


def test_incremental_builds_do_only_the_work_needed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    names = ("000_f62db9893ffb6cb0.txt", "001_9aa5532d1dae63e5.txt", "004_855f608002ef64d1.txt")
    raw = _raw(tmp_path, *names)
    warehouse = tmp_path / "wh" / "envreports.duckdb"
    monkeypatch.setenv(ENV_DOC_TIMEOUT_S, "0")  # stages in this process, where the counter sees them
    counter = Counter(monkeypatch)
    assert build(raw, warehouse) == 0
    assert counter.calls == {"read": 3, "clean": 3, "extract": 3}
    first = _digest(warehouse)

    counter.calls = dict.fromkeys(counter.calls, 0)
    assert build(raw, warehouse) == 0
    assert counter.calls == {"read": 0, "clean": 0, "extract": 0}  # no change, no per-document work
    assert _digest(warehouse) == first  # deterministic: identical contents

    edited = raw / "001_9aa5532d1dae63e5.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("226天", "230天"), encoding="utf-8")
    (raw / "000_f62db9893ffb6cb0.txt").unlink()
    assert build(raw, warehouse) == 0
    assert counter.calls == {"read": 1, "clean": 1, "extract": 1}
    facts = _facts(warehouse, "001_9aa5532d1dae63e5.txt")
    assert ("air.good_days", 2024, "actual", 230.0) in facts
    assert ("air.good_days", 2024, "actual", 226.0) not in facts
    assert _facts(warehouse, "000_f62db9893ffb6cb0.txt") == set()

    counter.calls = dict.fromkeys(counter.calls, 0)
    assert build(raw, warehouse, "--full") == 0
    assert counter.calls == {"read": 2, "clean": 2, "extract": 2}


def test_two_builds_from_the_same_folder_are_identical(tmp_path: Path):
    raw = _raw(tmp_path, "001_9aa5532d1dae63e5.txt", "001_9aa5532d1dae63e5.pdf", "003_71df9ef4c03a5c50.txt")
    one, two = tmp_path / "one" / "wh.duckdb", tmp_path / "two" / "wh.duckdb"
    assert build(raw, one) == 0
    assert build(raw, two) == 0
    assert _digest(one) == _digest(two)


def test_a_load_in_many_small_batches_is_the_same_warehouse(
    sample_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The load commits texts and rows in batches to keep memory flat; batch edges must lose nothing."""
    monkeypatch.setattr(warehouse_module, "TEXT_BATCH", 3)
    monkeypatch.setattr(warehouse_module, "ROW_BATCH", 7)
    warehouse = tmp_path / "wh" / "envreports.duckdb"
    assert build(RAW, warehouse) == 0
    queries = [
        "SELECT document_key, md5(clean_text), md5(simplified_text), md5(read_text), md5(original_text) "
        "FROM document_text ORDER BY document_key",
        "SELECT fact_key, value, evidence FROM fact_indicator ORDER BY fact_key",
        "SELECT document_key, stage, seq, removed_text FROM noise_removed ORDER BY ALL",
        "SELECT area_key FROM dim_area ORDER BY area_key",
    ]
    with (
        duckdb.connect(str(warehouse), read_only=True) as batched,
        duckdb.connect(str(sample_build), read_only=True) as whole,
    ):
        for query in queries:
            rows = batched.execute(query).fetchall()
            assert rows == whole.execute(query).fetchall()
        assert batched.execute("SELECT count(*) FROM document_text").fetchone() == (8,)


def test_a_document_whose_cleaning_failed_is_not_pending_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The planner and the CLI's executor choice must agree with process_document on what is left to do."""
    source = RAW / "001_9aa5532d1dae63e5.txt"
    content_hash = discovery.content_hash(source)
    caches = stages.StageCaches.at(tmp_path)

    def broken(read_row: dict):
        raise RuntimeError("cleaner bug")

    monkeypatch.setattr(stages, "clean_one", broken)
    assert caches.needs_work(content_hash)
    in_process = Limits(timeout_s=0)  # the broken cleaner is patched in this process only
    assert stages.process_document(source, content_hash, caches, 2**20, in_process) == {
        "read": 1,
        "clean": 1,
        "extract": 0,
    }
    assert not caches.needs_work(content_hash)
    assert stages.process_document(source, content_hash, caches, 2**20, in_process) == {
        "read": 0,
        "clean": 0,
        "extract": 0,
    }
