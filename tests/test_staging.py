"""Stage caches: a batch file per shard and stage, keyed by content hash; damage costs a recomputation."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines import stages
from pipelines.core import discovery
from pipelines.worker import Limits
from tests.conftest import RAW, build

IN_PROCESS = Limits(timeout_s=0)  # the cache does not depend on where the stages ran; this is faster


def _docs(raw: Path) -> list[tuple[Path, str]]:
    return [(p, discovery.content_hash(p)) for p in sorted(raw.iterdir())]


def _files(staging: Path) -> list[Path]:
    return sorted(staging.glob("*-*/*/*.parquet"))


def test_a_shard_writes_one_file_per_stage_part_not_one_per_document(tmp_path: Path):
    caches = stages.StageCaches.at(tmp_path)
    docs = _docs(RAW)
    runs = stages.process_documents(docs, caches, 10**8, IN_PROCESS)
    assert len(runs) == len(docs) == 8
    assert [f.parent.name for f in _files(tmp_path)] == ["main", "context", "facts", "main"]  # clean, extract, read
    fresh = stages.StageCaches.at(tmp_path)
    assert not any(fresh.needs_work(h) for _, h in docs)  # still keyed by content hash
    assert stages.process_documents(docs, fresh, 10**8, IN_PROCESS) == []  # and never recomputed


def test_the_newer_batch_wins_and_the_older_is_pruned(tmp_path: Path):
    caches = stages.StageCaches.at(tmp_path)
    docs = _docs(RAW)[:3]
    stages.process_documents(docs, caches, 10**8, IN_PROCESS)
    old = _files(tmp_path)
    shutil.rmtree(next(tmp_path.glob("clean-*")))  # a new cleaner: every document is cleaned again
    caches = stages.StageCaches.at(tmp_path)
    runs = stages.process_documents(docs, caches, 10**8, IN_PROCESS)
    assert {r.ran for r in runs} == {("clean", "extract")}
    caches = stages.StageCaches.at(tmp_path)
    h = docs[0][1]
    # the read row is written again beside its new clean row, so the warehouse reads one pair of files
    assert caches.read.entry(h)["batch"] == caches.clean.entry(h)["batch"] == caches.extract.entry(h)["batch"]
    assert caches.read.read(h).height == 1
    hashes = [h for _, h in docs]
    assert caches.read.scan(hashes, stages.READ_SCHEMA).collect().height == 3  # the old batch's rows are not read
    removed = sum(c.prune({h for _, h in docs}) for c in (caches.read, caches.clean, caches.extract))
    assert removed == 3  # the old read batch and the old extract batch (two parts): nobody points to them
    assert len(_files(tmp_path)) == 4 and set(_files(tmp_path)).isdisjoint(old)


def test_a_truncated_cache_file_is_left_out_and_its_documents_computed_again(tmp_path: Path):
    """'A Parquet file must contain a header and footer' used to fail every build."""
    docs = _docs(RAW)[:3]
    stages.process_documents(docs, stages.StageCaches.at(tmp_path), 10**8, IN_PROCESS)
    read_file = next(tmp_path.glob("read-*/main/*.parquet"))
    read_file.write_bytes(read_file.read_bytes()[:100])
    caches = stages.StageCaches.at(tmp_path)
    assert all(caches.needs_work(h) for _, h in docs)
    runs = stages.process_documents(docs, caches, 10**8, IN_PROCESS)
    assert {r.ran for r in runs} == {("read", "clean", "extract")}
    assert stages.StageCaches.at(tmp_path).read.entry(docs[0][1])["status"] == "ok"


def test_a_cache_file_with_damaged_pages_is_found_and_removed(tmp_path: Path):
    """Damage inside the data ('ZSTD Decompression failure') leaves the footer readable; the
    SHA-256 in the file's name finds it."""
    docs = _docs(RAW)[:3]
    stages.process_documents(docs, stages.StageCaches.at(tmp_path), 10**8, IN_PROCESS)
    clean_file = next(tmp_path.glob("clean-*/main/*.parquet"))
    data = bytearray(clean_file.read_bytes())
    data[len(data) // 3 : len(data) // 3 + 64] = b"\xff" * 64
    clean_file.write_bytes(bytes(data))
    caches = stages.StageCaches.at(tmp_path)
    assert not caches.needs_work(docs[0][1])  # the index still loads: only a full read would fail
    assert caches.verify([h for _, h in docs]) == [clean_file]
    assert not clean_file.exists()
    assert all(caches.needs_work(h) for _, h in docs)


def test_a_damaged_cached_input_is_computed_again_from_the_file(tmp_path: Path):
    """A new extractor needs the cached clean rows; when their file cannot be read, the shard
    reads and cleans the documents again instead of failing."""
    docs = _docs(RAW)[:3]
    stages.process_documents(docs, stages.StageCaches.at(tmp_path), 10**8, IN_PROCESS)
    shutil.rmtree(next(tmp_path.glob("extract-*")))
    clean_file = next(tmp_path.glob("clean-*/main/*.parquet"))
    data = bytearray(clean_file.read_bytes())
    data[len(data) // 3 : len(data) // 3 + 64] = b"\xff" * 64
    clean_file.write_bytes(bytes(data))
    runs = stages.process_documents(docs, stages.StageCaches.at(tmp_path), 10**8, IN_PROCESS)
    assert {r.ran for r in runs} == {("read", "clean", "extract")}


def _facts(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "SELECT d.source_file, f.indicator_code, f.year, f.value FROM fact_indicator f "
            "JOIN dim_document d USING (document_key) ORDER BY ALL"
        ).fetchall()


def test_damaged_caches_cost_a_recomputation_not_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("000_f62db9893ffb6cb0.txt", "001_9aa5532d1dae63e5.txt", "004_855f608002ef64d1.txt"):
        shutil.copy(RAW / name, raw / name)
    warehouse = tmp_path / "wh" / "envreports.duckdb"
    home = tmp_path / "dagster_home"
    home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    assert build(raw, warehouse) == 0
    before = _facts(warehouse)
    assert before
    clean_file = next((warehouse.parent / "staging").glob("clean-*/main/*.parquet"))
    data = bytearray(clean_file.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = b"\x00" * 64  # the footer is intact: the plan trusts it
    clean_file.write_bytes(bytes(data))
    shutil.copy(RAW / "003_71df9ef4c03a5c50.txt", raw / "003_71df9ef4c03a5c50.txt")  # a change starts a build
    assert build(raw, warehouse) == 0
    after = _facts(warehouse)
    assert set(before) <= set(after)
    assert any(row[0] == "003_71df9ef4c03a5c50.txt" for row in after)
    assert not clean_file.exists()

    # no log line per document (each is a write to the instance's database), in either build
    with dg.DagsterInstance.get() as instance:
        messages = [e.user_message for run in instance.get_runs() for e in instance.all_logs(run.run_id)]
    assert any("shard of 3 documents" in m for m in messages)
    assert not [m for m in messages if any(f.name in m for f in raw.iterdir())]


def test_verifying_an_empty_cache_for_no_documents_removes_nothing(tmp_path: Path):
    """A build of an empty folder checks no document: the cache's file list must still load."""
    assert stages.StageCaches.at(tmp_path).verify([]) == []
