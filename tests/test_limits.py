"""Per-document limits: a bomb or a stuck stage costs one document a status, never the build."""

from __future__ import annotations

import time
import zlib
from pathlib import Path

import duckdb
import pikepdf
import polars as pl
import pytest

from pipelines import stages
from pipelines.core import discovery, status
from pipelines.core.models import FAILED, OK, TIMED_OUT, TOO_COMPLEX
from pipelines.defs.documents.limits import DocumentLimits, limits_run_config
from pipelines.worker import ENV_DOC_MEMORY_MB, ENV_DOC_TIMEOUT_S, LimitHit, Limits, Worker
from tests.conftest import RAW, build

GOOD = RAW / "001_9aa5532d1dae63e5.txt"


def flate_bomb(path: Path, unit: bytes, inflated_mb: int) -> Path:
    """A one-page PDF whose content stream is a few hundred KB on disk and `inflated_mb` inflated;
    compressed piecewise, so the test itself never holds the inflated bytes."""
    squeeze = zlib.compressobj(9)
    chunk = unit * (2**20 // len(unit))
    data = b"".join(squeeze.compress(chunk) for _ in range(inflated_mb)) + squeeze.flush()
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(595, 842))
    page.obj.Contents = pikepdf.Stream(pdf, data)
    page.obj.Contents.Filter = pikepdf.Name.FlateDecode
    pdf.save(path)
    return path


# --- the worker itself, with tasks that misbehave on purpose (run in the child by name) -------


def slow_clean(job: str, emit) -> None:
    emit("read", job)
    time.sleep(60)
    emit("clean", job)


def hungry_clean(job: str, emit) -> None:
    emit("read", job)
    hoard = [bytearray(2**20) for _ in range(4096)]  # 4 GB, far past the limit
    emit("clean", len(hoard))


def crashing_read(job: str, emit) -> None:
    import ctypes

    ctypes.string_at(0)  # a segmentation fault, as a reader bug in C would cause


def echo(job: str, emit) -> None:
    emit("read", job)


def test_a_stage_past_the_time_limit_is_stopped_and_named():
    with Worker(slow_clean, Limits(timeout_s=1, memory_mb=0)) as worker:
        start = time.monotonic()
        results = list(worker.run("doc", ("read", "clean")))
        assert time.monotonic() - start < 15
        assert results[0] == ("read", "doc")
        stage, hit = results[1]
        assert stage == "clean" and isinstance(hit, LimitHit) and hit.status == TIMED_OUT
        assert "clean stage needed more than 1 s" in hit.error


def test_a_stage_past_the_memory_limit_is_too_complex_and_the_next_document_runs():
    with Worker(hungry_clean, Limits(timeout_s=30, memory_mb=100)) as worker:
        results = list(worker.run("doc", ("read", "clean")))
        assert results[1][1].status == TOO_COMPLEX
        assert "more than 100 MB" in results[1][1].error
    with Worker(echo, Limits(timeout_s=30, memory_mb=100)) as worker:
        assert list(worker.run("a", ("read",))) == [("read", "a")]
        assert list(worker.run("b", ("read",))) == [("read", "b")]  # the same child, reused
        assert worker.restarts == 0


def test_a_crashed_worker_fails_the_document_and_is_replaced():
    with Worker(crashing_read, Limits(timeout_s=30, memory_mb=0)) as worker:
        (stage, hit), *_ = list(worker.run("doc", ("read",)))
        assert stage == "read" and hit.status == FAILED and "SIGSEGV" in hit.error
        (stage, hit), *_ = list(worker.run("doc", ("read",)))  # a fresh child took the next one
        assert hit.status == FAILED and worker.restarts == 2


# --- the stages under limits ------------------------------------------------------------------


def _docs(*paths: Path) -> list[tuple[Path, str]]:
    return [(p, discovery.content_hash(p)) for p in paths]


def test_a_pdf_bomb_is_too_complex_and_the_shard_goes_on(tmp_path: Path):
    """A 300 KB PDF inflating to 300 MB: pdfium aborts at the memory limit; only that document pays."""
    bomb = flate_bomb(tmp_path / "bomb.pdf", b" " * 64, 300)
    assert bomb.stat().st_size < 1_000_000
    caches = stages.StageCaches.at(tmp_path / "staging")
    docs = _docs(bomb, GOOD)
    runs = stages.process_documents(docs, caches, 10**8, Limits(timeout_s=60, memory_mb=150))
    assert [r.limit for r in runs] == [TOO_COMPLEX, None]
    caches = stages.StageCaches.at(tmp_path / "staging")
    bomb_row = caches.read.read(docs[0][1]).row(0, named=True)
    assert bomb_row["status"] == TOO_COMPLEX
    assert "needed more than 150 MB" in bomb_row["error"]
    assert caches.read.entry(docs[1][1])["status"] == OK
    assert not caches.extract.read(docs[1][1], "facts").is_empty()
    assert not caches.needs_work(docs[0][1])  # the status stands; the bomb is not retried every night


def test_a_path_operator_bomb_is_timed_out(tmp_path: Path):
    """A 125 KB PDF of four million path operators runs for minutes: stopped at the time limit."""
    bomb = flate_bomb(tmp_path / "paths.pdf", b"0 0 m 10 10 l S\n", 64)
    caches = stages.StageCaches.at(tmp_path / "staging")
    start = time.monotonic()
    runs = stages.process_documents(_docs(bomb), caches, 10**8, Limits(timeout_s=1, memory_mb=2048))
    assert time.monotonic() - start < 20
    assert runs[0].limit == TIMED_OUT
    row = stages.StageCaches.at(tmp_path / "staging").read.read(runs[0].content_hash).row(0, named=True)
    assert row["status"] == TIMED_OUT and "read stage needed more than 1 s" in row["error"]


def slow_cleaning_job(job: stages.Job, emit) -> None:
    """run_job with a cleaner that hangs, as a quadratic pattern on a hostile page does."""
    stages.clean_one = lambda read_row: time.sleep(60)
    stages.run_job(job, emit)


def test_every_stage_is_under_the_time_limit(tmp_path: Path):
    caches = stages.StageCaches.at(tmp_path / "staging")
    docs = _docs(GOOD)
    runs = stages.process_documents(docs, caches, 10**8, Limits(timeout_s=2, memory_mb=0), task=slow_cleaning_job)
    assert runs[0].ran == ("read", "clean") and runs[0].limit == TIMED_OUT
    caches, h = stages.StageCaches.at(tmp_path / "staging"), docs[0][1]
    assert caches.read.entry(h)["status"] == OK
    assert caches.clean.entry(h)["status"] == TIMED_OUT
    assert caches.clean.read(h)["error"][0].startswith("the clean stage needed more than 2 s")
    assert not caches.needs_work(h)
    # the stage's status is the document's, by the one status rule
    manifest = pl.DataFrame(
        {"content_hash": [h], "status": [OK], "error": [None]}, schema_overrides={"error": pl.String}
    )
    reads = caches.read.scan([h], stages.READ_SCHEMA).collect()
    cleans = caches.clean.scan([h], stages.CLEAN_SCHEMA).collect()
    document = status.with_document_status(manifest, reads, cleans, pl.DataFrame(schema=stages.CONTEXT_SCHEMA))
    assert document.select("status", pl.col("error").str.starts_with("the clean stage")).row(0) == (TIMED_OUT, True)


def test_a_bomb_in_the_raw_folder_gets_a_status_and_the_build_publishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / GOOD.name).write_bytes(GOOD.read_bytes())
    flate_bomb(raw / "bomb.pdf", b" " * 64, 300)
    monkeypatch.setenv(ENV_DOC_MEMORY_MB, "150")
    warehouse = tmp_path / "wh" / "envreports.duckdb"
    assert build(raw, warehouse) == 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        statuses = dict(con.execute("SELECT source_file, status FROM dim_document").fetchall())
        (facts,) = con.execute("SELECT count(*) FROM fact_indicator").fetchone()
    assert statuses == {GOOD.name: OK, "bomb.pdf": TOO_COMPLEX}
    assert facts > 0


def test_the_cli_pins_the_limits_as_run_config(monkeypatch: pytest.MonkeyPatch):
    """`envreports build` resolves the limits once and passes them as the resource's config, which
    then wins over an environment the step might see changed."""
    monkeypatch.setenv(ENV_DOC_TIMEOUT_S, "7")
    config = limits_run_config(Limits(timeout_s=0.5, memory_mb=100))
    assert DocumentLimits(**config["config"]).limits() == Limits(timeout_s=0.5, memory_mb=100)
