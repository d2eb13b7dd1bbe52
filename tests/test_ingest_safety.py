"""Ingest under a hostile or changing raw folder: what is read is what was hashed, inside the folder.

The mid-build cases discover first, change the folder, then run the read stage directly, as a
shard would: that is where the time between discovery and reading lies.
"""

from __future__ import annotations

import io
import os
import shutil
import threading
from pathlib import Path

import polars as pl
import pytest

from pipelines import stages
from pipelines.core import discovery
from pipelines.core.discovery import MAX_DEPTH, discover, outputs_inside
from pipelines.core.models import CHANGED, OK, SKIPPED
from pipelines.settings import Settings
from pipelines.worker import ENV_DOC_TIMEOUT_S, Limits

TEXT = "2024年,我市空气质量优良天数为300天。"
LIMIT = 2**20
IN_PROCESS = Limits(timeout_s=0)  # the stages in this process, where a test's patches apply


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "sub" / "b.txt").write_text("2024年,我市PM2.5年均浓度为35微克/立方米。", encoding="utf-8")
    return folder


def _rows(raw: Path, outputs: tuple[Path, ...] = ()) -> dict[str, dict]:
    return {row["source_file"]: row for row in discover(raw, outputs).iter_rows(named=True)}


def _read(raw: Path, source_file: str, content_hash: str, caches: stages.StageCaches) -> dict:
    """The read stage of one document, as a shard runs it; the row it leaves in the cache."""
    stages.process_document(raw / source_file, content_hash, caches, LIMIT, IN_PROCESS, root=raw)
    return caches.read.read(content_hash).row(0, named=True)


# --- A2: the bytes read are the bytes hashed, inside the raw folder ---------------------------


@pytest.mark.skipif(not Path("/etc/passwd").is_file(), reason="needs /etc/passwd")
def test_file_swapped_for_a_link_to_etc_passwd_is_not_read(raw: Path, tmp_path: Path):
    content_hash = _rows(raw)["a.txt"]["content_hash"]
    (raw / "a.txt").unlink()
    os.symlink("/etc/passwd", raw / "a.txt")
    row = _read(raw, "a.txt", content_hash, stages.StageCaches.at(tmp_path / "staging"))
    assert row["status"] == CHANGED
    assert "root" not in (row["text"] + row["original"])


def test_folder_swapped_for_a_link_out_is_not_read_even_with_the_same_bytes(raw: Path, tmp_path: Path):
    content_hash = _rows(raw)["sub/b.txt"]["content_hash"]
    outside = tmp_path / "elsewhere"
    shutil.move(raw / "sub", outside)  # the same file, now outside, reached through a link
    os.symlink(outside, raw / "sub")
    row = _read(raw, "sub/b.txt", content_hash, stages.StageCaches.at(tmp_path / "staging"))
    assert row["status"] == CHANGED
    assert "outside the raw folder" in row["error"]
    assert row["text"] == ""


def test_rewritten_figure_is_not_cached_under_the_old_hash(raw: Path, tmp_path: Path):
    content_hash = _rows(raw)["a.txt"]["content_hash"]
    caches = stages.StageCaches.at(tmp_path / "staging")
    (raw / "a.txt").write_text(TEXT.replace("300", "999"), encoding="utf-8")
    row = _read(raw, "a.txt", content_hash, caches)
    assert row["status"] == CHANGED
    assert "999" not in row["text"]
    assert "changed during the build" in row["error"]


def test_link_inside_the_folder_is_still_read(raw: Path, tmp_path: Path):
    os.symlink(raw / "a.txt", raw / "link.txt")
    (raw / ".drafts").mkdir()
    (raw / ".drafts" / "c.txt").write_text(TEXT, encoding="utf-8")
    os.symlink(raw / ".drafts" / "c.txt", raw / "c.txt")  # its one name is inside, if hidden
    rows = _rows(raw)
    assert rows["link.txt"]["content_hash"] == rows["a.txt"]["content_hash"]
    assert (rows["c.txt"]["status"], rows["c.txt"]["content_hash"]) == (OK, rows["a.txt"]["content_hash"])
    row = _read(raw, "link.txt", rows["link.txt"]["content_hash"], stages.StageCaches.at(tmp_path / "staging"))
    assert row["status"] == OK
    assert "300天" in row["text"]


def test_pdf_is_parsed_from_the_bytes_that_were_hashed(raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The PDF reader gets the bytes read once, never the path to open again."""
    from pipelines.core import pdfs

    seen = []
    monkeypatch.setattr(pdfs, "read_pdf", lambda source: seen.append(source) or pdfs.ReadResult(status=OK))
    (raw / "c.pdf").write_bytes(b"%PDF-1.4\n" + b"x" * 100)
    content_hash = _rows(raw)["c.pdf"]["content_hash"]
    assert _read(raw, "c.pdf", content_hash, stages.StageCaches.at(tmp_path / "staging"))["status"] == OK
    assert seen == [(raw / "c.pdf").read_bytes()]


# --- A3: failures of the moment are reported, never reused ------------------------------------


def _restored_file_is_read(raw: Path, tmp_path: Path, spoil, restore) -> None:
    content_hash = _rows(raw)["a.txt"]["content_hash"]
    caches = stages.StageCaches.at(tmp_path / "staging")
    spoil()
    row = _read(raw, "a.txt", content_hash, caches)
    assert row["status"] == CHANGED, row
    assert "next build" in row["error"]
    restore()
    assert caches.needs_work(content_hash)
    assert ("a.txt", content_hash) in stages.pending_documents(discover(raw), caches)
    row = _read(raw, "a.txt", content_hash, caches)
    assert row["status"] == OK
    assert "300天" in row["text"]


def test_file_deleted_during_the_build_is_read_once_restored(raw: Path, tmp_path: Path):
    original = (raw / "a.txt").read_bytes()
    _restored_file_is_read(raw, tmp_path, (raw / "a.txt").unlink, lambda: (raw / "a.txt").write_bytes(original))


def test_file_truncated_during_the_build_is_read_once_restored(raw: Path, tmp_path: Path):
    original = (raw / "a.txt").read_bytes()
    _restored_file_is_read(
        raw, tmp_path, lambda: (raw / "a.txt").write_bytes(original[:5]), lambda: (raw / "a.txt").write_bytes(original)
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_file_made_unreadable_during_the_build_is_read_once_restored(raw: Path, tmp_path: Path):
    _restored_file_is_read(raw, tmp_path, lambda: (raw / "a.txt").chmod(0), lambda: (raw / "a.txt").chmod(0o644))


def test_raw_folder_moved_away_during_the_build_is_read_once_back(raw: Path, tmp_path: Path):
    away = tmp_path / "away"
    _restored_file_is_read(raw, tmp_path, lambda: raw.rename(away), lambda: away.rename(raw))


# --- C3: a FIFO put in a file's place ---------------------------------------------------------


def test_fifo_swapped_in_after_discovery_does_not_block(raw: Path, tmp_path: Path):
    content_hash = _rows(raw)["a.txt"]["content_hash"]
    (raw / "a.txt").unlink()
    os.mkfifo(raw / "a.txt")
    caches = stages.StageCaches.at(tmp_path / "staging")
    reader = threading.Thread(target=_read, args=(raw, "a.txt", content_hash, caches), daemon=True)
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():  # unblock the hung open before failing, so the test run can end
        os.close(os.open(raw / "a.txt", os.O_WRONLY | os.O_NONBLOCK))
    assert not reader.is_alive(), "reading a FIFO blocked"
    row = caches.read.read(content_hash).row(0, named=True)
    assert row["status"] == CHANGED
    assert "not a regular file" in row["error"]


# --- A6: the warehouse inside the raw folder --------------------------------------------------


def test_warehouse_inside_the_raw_folder_is_left_out(raw: Path):
    warehouse = raw / "out" / "envreports.duckdb"
    settings = Settings(raw_dir=raw, warehouse=warehouse, staging_dir=warehouse.parent / "staging", max_file_bytes=1)
    for name in ("envreports.duckdb", "envreports.duckdb.wal", ".envreports.duckdb~tmp-123"):
        (raw / "out").mkdir(exist_ok=True)
        (raw / "out" / name).write_bytes(b"duckdb")
    for folder in (settings.staging_dir / "read-1", settings.report_dir, settings.data_docs_dir):
        folder.mkdir(parents=True)
        (folder / "index.html").write_text("<html>", encoding="utf-8")
    (raw / "out" / "notes.txt").write_text(TEXT, encoding="utf-8")  # a document beside it is still input

    assert set(_rows(raw, settings.outputs)) == {"a.txt", "sub/b.txt", "out/notes.txt"}
    assert outputs_inside(raw, settings.outputs) == list(settings.outputs)
    assert outputs_inside(raw.parent / "elsewhere", settings.outputs) == []


# --- A7: hard links ---------------------------------------------------------------------------


def test_hard_link_to_a_file_outside_is_skipped(raw: Path, tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("2024年,我市优良天数为1天。", encoding="utf-8")
    os.link(secret, raw / "linked.txt")
    os.link(raw / "a.txt", raw / "sub" / "a again.txt")  # both names inside: read (and a duplicate)
    rows = _rows(raw)
    assert rows["linked.txt"]["status"] == SKIPPED
    assert rows["linked.txt"]["content_hash"] is None
    assert "hard link with 1 of its 2 names outside the raw folder" in rows["linked.txt"]["error"]
    assert rows["a.txt"]["status"] == rows["sub/a again.txt"]["status"] == OK


# --- A8, B3, D6: every name gets a row, none crashes discovery --------------------------------


def test_hidden_files_and_folders_get_a_row(raw: Path):
    (raw / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    (raw / "sub" / ".DS_Store").write_bytes(b"\0")
    (raw / ".git" / "objects").mkdir(parents=True)
    (raw / ".git" / "objects" / "x").write_bytes(b"x")
    rows = _rows(raw)
    assert set(rows) == {"a.txt", "sub/b.txt", ".hidden.txt", "sub/.DS_Store", ".git"}
    for name in (".hidden.txt", "sub/.DS_Store"):
        assert rows[name]["status"] == SKIPPED
        assert "hidden file" in rows[name]["error"]
    assert "hidden folder" in rows[".git"]["error"]


def test_link_loops_broken_links_and_links_to_folders(raw: Path, tmp_path: Path):
    os.symlink(raw / "loop-b", raw / "loop-a")
    os.symlink(raw / "loop-a", raw / "loop-b")
    os.symlink(raw / "self", raw / "self")
    os.symlink(raw / "gone.txt", raw / "broken.txt")
    os.symlink(tmp_path / "nowhere" / "gone.txt", raw / "broken-out.txt")
    os.symlink(raw / "sub", raw / "sub-link")
    rows = _rows(raw)
    for name in ("loop-a", "loop-b", "self"):
        assert (rows[name]["status"], rows[name]["error"]) == (SKIPPED, discovery.LINK_LOOP)
    for name in ("broken.txt", "broken-out.txt"):
        assert rows[name]["status"] == SKIPPED
        assert rows[name]["error"].startswith("broken symbolic link")
        assert "outside" not in rows[name]["error"]
    assert rows["sub-link"]["error"] == discovery.LINK_TO_FOLDER


def test_file_name_that_is_not_utf8_gets_a_readable_row(raw: Path):
    gbk = "公报".encode("gbk")
    with open(os.path.join(os.fsencode(raw), gbk + b".txt"), "wb") as fh:
        fh.write(TEXT.encode("utf-8"))
    manifest = discover(raw)
    manifest.write_parquet(io.BytesIO())  # Parquet needs valid UTF-8
    row = manifest.filter(pl.col("source_file").str.ends_with(".txt") & pl.col("source_file").str.contains("xb9"))
    assert row["source_file"].item() == "\\xb9\\xab\\xb1\\xa8.txt"
    assert row["status"].item() == SKIPPED
    assert "not valid UTF-8 (as GB18030: 公报.txt)" in row["error"].item()


def test_folders_nested_deeper_than_the_recursion_limit(tmp_path: Path):
    raw = tmp_path / "raw"
    (raw / "d" / "d").mkdir(parents=True)
    (raw / "d" / "d" / "a.txt").write_text(TEXT, encoding="utf-8")
    _nest(raw, 1100, make=True)
    try:
        rows = _rows(raw)
    finally:
        _nest(raw, 1100, make=False)
    too_deep = "/".join(["d"] * (MAX_DEPTH + 1))
    assert set(rows) == {"d/d/a.txt", too_deep}
    assert rows["d/d/a.txt"]["status"] == OK
    assert rows[too_deep]["status"] == SKIPPED
    assert "nested deeper" in rows[too_deep]["error"]


def _nest(root: Path, depth: int, *, make: bool) -> None:
    """Creates root/d/…/d, `depth` folders deep, or removes its folders below root/d/d.

    One descriptor per level: pathlib, os.makedirs and shutil.rmtree all recurse as deep.
    """
    fds = [os.open(root, os.O_RDONLY | os.O_DIRECTORY)]
    try:
        for _ in range(depth - 1 if not make else depth):
            if make and "d" not in os.listdir(fds[-1]):
                os.mkdir("d", dir_fd=fds[-1])
            fds.append(os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fds[-1]))
        while not make and len(fds) > 3:  # root/d/d keeps a.txt: left to pytest
            os.rmdir("d", dir_fd=fds[-1])
            os.close(fds.pop())
        if not make:
            os.rmdir("d", dir_fd=fds[-1])
    finally:
        for fd in fds:
            os.close(fd)


# --- end to end: two builds of a raw folder holding its own warehouse -------------------------


@pytest.mark.e2e
def test_builds_with_the_warehouse_inside_and_a_read_failure_of_the_moment(
    raw: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
):
    """The warehouse does not become input, and a file whose read failed is read by the next build
    although the folder did not change (the "nothing changed" check must not keep its status)."""
    import duckdb

    from pipelines.core import reading
    from tests.conftest import build

    warehouse = raw / "warehouse" / "envreports.duckdb"
    open_raw = reading.open_raw

    def flaky(root: Path, rel):
        if str(rel) == "sub/b.txt":
            raise OSError(5, "Input/output error")
        return open_raw(root, rel)

    monkeypatch.setattr(reading, "open_raw", flaky)
    monkeypatch.setenv(ENV_DOC_TIMEOUT_S, "0")  # the stages in this process, where the patch applies
    assert build(raw, warehouse) == 0
    monkeypatch.setattr(reading, "open_raw", open_raw)
    first = _documents(warehouse)
    assert first == {"a.txt": "ok", "sub/b.txt": CHANGED}
    captured = capsys.readouterr()
    assert "is inside the raw folder" in captured.out + captured.err

    assert build(raw, warehouse) == 0
    assert _documents(warehouse) == {"a.txt": "ok", "sub/b.txt": "ok"}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM v_indicator_facts").fetchone()[0] >= 2


def _documents(warehouse: Path) -> dict[str, str]:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        return dict(con.execute("SELECT source_file, status FROM v_documents").fetchall())
