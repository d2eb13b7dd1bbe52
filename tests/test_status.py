"""Document status: one rule (core/status.py) for the stage runner, the cache planner, the
validation checks and the warehouse; boilerplate pages and crashing stages mark one document."""

from __future__ import annotations

import itertools
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines import stages
from pipelines.core import cleaning, discovery, extraction, reading, status
from pipelines.core.models import DUPLICATE, FAILED, NO_CONTENT, OK, STATUSES, TOO_COMPLEX, UNREADABLE
from pipelines.store.tables import dim_document
from pipelines.worker import ENV_DOC_TIMEOUT_S, Limits
from tests.conftest import build

IN_PROCESS = Limits(timeout_s=0)  # the stages run here, where a test's patches apply

GOOD = "安阳市2024年PM2.5年均浓度51微克/立方米。"
BOILERPLATE = {
    "one-byte.txt": "x",
    "share-bar.txt": "分享到：\n| | >> ——\n",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", NO_CONTENT), ("  \n ", NO_CONTENT), ("| >> —— 。", NO_CONTENT), ("优良天数226天", OK), ("x", OK)],
)
def test_after_cleaning(text: str, expected: str) -> None:
    got, error = status.after_cleaning(text)
    assert got == expected
    assert (error is None) == (expected == OK)


def test_every_status_a_stage_can_leave_is_known() -> None:
    assert status.after_cleaning("")[0] in STATUSES
    assert status.crashed("read", ValueError("boom")) == (FAILED, "internal error in the read stage: ValueError: boom")
    assert FAILED in STATUSES and NO_CONTENT in STATUSES


def _frames(outcomes: dict[str, tuple[str, str | None] | None]) -> dict[str, pl.DataFrame]:
    frames = {}
    for stage in status.STAGES:
        row = outcomes[stage]
        rows = [] if row is None else [{"content_hash": "h", "status": row[0], "error": row[1]}]
        frames[stage] = pl.DataFrame(rows, schema={"content_hash": pl.String, "status": pl.String, "error": pl.String})
    return frames


def test_document_status_and_next_stage_follow_one_order() -> None:
    """For every combination of stage outcomes: when no stage is left to run, the document's status
    is the first stage's that did not end ok; when one is, the document reads as that stage failing."""
    choices = [None, (OK, None), (NO_CONTENT, "nothing left"), (FAILED, "boom"), (UNREADABLE, "junk")]
    manifest = pl.DataFrame({"source_file": ["a.txt"], "content_hash": ["h"], "status": [OK], "error": [None]})
    for combo in itertools.product(choices, repeat=len(status.STAGES)):
        outcomes = dict(zip(status.STAGES, combo, strict=True))
        frames = _frames(outcomes)
        got = status.with_document_status(manifest, frames["read"], frames["clean"], frames["extract"])
        pending = status.next_stage(lambda stage, o=outcomes: o[stage] and o[stage][0])
        first = next((o for o in combo if o is None or o[0] != OK), (OK, None))
        if pending is None:
            assert got.row(0, named=True)["status"] == first[0], combo
            assert got.row(0, named=True)["error"] == first[1], combo
        else:
            assert first is None, combo
            assert got.row(0, named=True) == {
                "source_file": "a.txt",
                "content_hash": "h",
                "status": FAILED,
                "error": status.no_result_error(pending),
            }


def test_discovery_status_comes_first() -> None:
    manifest = pl.DataFrame(
        {"source_file": ["b.txt"], "content_hash": ["h"], "status": [DUPLICATE], "error": ["same content as a.txt"]}
    )
    frames = _frames({"read": (OK, None), "clean": (FAILED, "boom"), "extract": None})
    got = status.with_document_status(manifest, frames["read"], frames["clean"], frames["extract"])
    assert got.select("status", "error").row(0) == (DUPLICATE, "same content as a.txt")


def test_dim_document_uses_the_rule() -> None:
    manifest = pl.DataFrame(
        {
            "source_file": ["a.txt", "b.txt"],
            "content_hash": ["ha", "hb"],
            "document_key": ["ka", "kb"],
            "status": [OK, OK],
            "error": [None, None],
        }
    )
    reads = pl.DataFrame({"content_hash": ["ha", "hb"], "status": [OK, OK], "error": [None, None], "n_chars": [9, 9]})
    cleans = pl.DataFrame({"content_hash": ["ha", "hb"], "status": [OK, NO_CONTENT], "error": [None, "nothing"]})
    contexts = pl.DataFrame(
        {"content_hash": ["ha"], "status": [OK], "error": [None], "source_type": ["bulletin"]},
        schema_overrides={"error": pl.String},
    )
    docs = dim_document(manifest, reads, cleans, contexts)
    assert docs.select("source_file", "status", "error", "n_chars", "authority_rank").rows() == [
        ("a.txt", OK, None, 9, 1),
        ("b.txt", NO_CONTENT, "nothing", 9, 5),
    ]


def _process(tmp_path: Path, name: str, content: str) -> tuple[stages.StageCaches, str]:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    caches = stages.StageCaches.at(tmp_path / "staging")
    content_hash = discovery.content_hash(path)  # the read stage checks the bytes it reads against it
    stages.process_document(path, content_hash, caches, max_bytes=1_000_000, limits=IN_PROCESS)
    return caches, content_hash


def test_boilerplate_page_stops_after_cleaning_and_is_not_pending(tmp_path: Path) -> None:
    caches, h = _process(tmp_path, "share-bar.txt", BOILERPLATE["share-bar.txt"])
    assert [caches.status(stage, h) for stage in status.STAGES] == [OK, NO_CONTENT, None]
    assert caches.clean.read(h)["error"][0] == status.NO_CONTENT_ERROR
    assert not caches.needs_work(h)


@pytest.mark.parametrize(
    ("module", "function", "stage", "expected"),
    [
        (reading, "read_document", "read", [FAILED, None, None]),
        (cleaning, "clean_text", "clean", [OK, FAILED, None]),
        (extraction, "extract_facts", "extract", [OK, OK, FAILED]),
    ],
)
def test_a_crash_in_any_stage_fails_that_document_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module, function, stage, expected
) -> None:
    def crash(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(module, function, crash)
    caches, h = _process(tmp_path, "doc.txt", GOOD)
    assert [caches.status(s, h) for s in status.STAGES] == expected
    assert not caches.needs_work(h)
    part = "context" if stage == "extract" else "main"
    error = getattr(caches, stage).read(h, part)["error"][0]
    assert error == f"internal error in the {stage} stage: RuntimeError: bug"


@pytest.mark.e2e
def test_boilerplate_pages_and_crashes_mark_one_document_and_the_build_publishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(GOOD, encoding="utf-8")
    for name, text in BOILERPLATE.items():
        (raw / name).write_text(text, encoding="utf-8")
    (raw / "crash-read.txt").write_text("鞍山市2024年优良天数326天。", encoding="utf-8")
    (raw / "oom-read.txt").write_text("鞍山市2024年优良天数325天。", encoding="utf-8")
    (raw / "crash-clean.txt").write_text("鞍山市2024年优良天数327天。CRASH", encoding="utf-8")
    real_read, real_clean = reading.read_document, cleaning.clean_text

    def read_document(path: Path, **kwargs):
        if path.name == "crash-read.txt":
            raise RuntimeError("reader bug")
        if path.name == "oom-read.txt":
            raise MemoryError("reader bomb")
        return real_read(path, **kwargs)

    def clean_text(text: str, **kwargs):
        if "CRASH" in text:
            raise ValueError("cleaner bug")
        return real_clean(text, **kwargs)

    monkeypatch.setattr(reading, "read_document", read_document)
    monkeypatch.setattr(cleaning, "clean_text", clean_text)
    monkeypatch.setenv(ENV_DOC_TIMEOUT_S, "0")  # the stages in this process, where the patches apply
    warehouse = tmp_path / "wh" / "envreports.duckdb"
    assert build(raw, warehouse) == 0
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        docs = {r[0]: r[1:] for r in con.execute("SELECT source_file, status, error FROM v_documents").fetchall()}
        facts = con.execute("SELECT source_file, indicator_code, value FROM v_indicator_facts").fetchall()
        noise = con.execute("SELECT removed_text FROM v_noise WHERE source_file = 'share-bar.txt'").fetchall()
    finally:
        con.close()
    assert docs["good.txt"] == (OK, None)
    for name in BOILERPLATE:
        assert docs[name] == (NO_CONTENT, status.NO_CONTENT_ERROR), name
    assert docs["crash-read.txt"] == (FAILED, "internal error in the read stage: RuntimeError: reader bug")
    assert docs["oom-read.txt"] == (TOO_COMPLEX, "the read stage ran out of memory (MemoryError: reader bomb)")
    assert docs["crash-clean.txt"] == (FAILED, "internal error in the clean stage: ValueError: cleaner bug")
    assert facts == [("good.txt", "air.pm25_mean", 51.0)]
    assert any("分享到" in text for (text,) in noise)  # what a no_content page held stays audited
