"""Hostile and broken inputs: every file ends with a status, the build completes, good facts stand."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.core.discovery import printable
from tests.conftest import RAW, build
from tests.pdf_factory import encrypt, truncate, write_report, write_scanned

pytestmark = pytest.mark.e2e

GOOD = "001_9aa5532d1dae63e5.txt"
INJECTION = (
    "'); DROP TABLE fact_indicator; -- <script>alert('x')</script> {0} %s {{name}} ${HOME}\n"
    "2024年,我市空气质量优良天数为300天。"
)


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    raw = root / "raw"
    (raw / "子目录" / "更深").mkdir(parents=True)
    shutil.copy(RAW / GOOD, raw / GOOD)
    shutil.copy(RAW / GOOD, raw / "子目录" / "same content, other name.txt")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "junk.bin").write_bytes(bytes(range(256)) * 64)
    (raw / "text named.pdf").write_text("鞍山市2024年优良天数326天。", encoding="utf-8")
    report = write_report(root / "report.pdf", ["安阳市2024年PM2.5年均浓度51微克/立方米。"] * 3)
    truncate(report, raw / "truncated.pdf", keep=0.4)
    encrypt(report, raw / "encrypted.pdf", user="secret")
    write_scanned(raw / "scanned.pdf", pages=2)
    (raw / "huge.txt").write_bytes(b"\xe4\xbc\x98" * 800_000)  # 2.4 MB, over the 1 MB limit below
    (raw / "--leading dash 'quoted' \"name\".txt").write_text("优良天数326天", encoding="utf-8")
    (raw / "子目录" / "更深" / "injection.txt").write_text(INJECTION, encoding="utf-8")
    outside = root / "outside.txt"
    outside.write_text("2024年鞍山市优良天数999天", encoding="utf-8")
    os.symlink(outside, raw / "link-outside.txt")
    os.symlink(raw / "loop", raw / "loop")
    os.symlink(raw / "gone.txt", raw / "broken link.txt")
    (raw / ".hidden.txt").write_text("2024年鞍山市优良天数999天", encoding="utf-8")
    with open(os.path.join(os.fsencode(raw), "公报".encode("gbk") + b".txt"), "wb") as fh:
        fh.write("2024年鞍山市优良天数999天".encode())
    warehouse = root / "warehouse" / "envreports.duckdb"
    assert build(raw, warehouse, "--max-file-mb", "1") == 0
    return warehouse


@pytest.fixture
def con(hostile_build: Path):
    connection = duckdb.connect(str(hostile_build), read_only=True)
    yield connection
    connection.close()


def status(con, source_file: str) -> tuple[str, str | None]:
    return con.execute("SELECT status, error FROM v_documents WHERE source_file = ?", [source_file]).fetchone()


@pytest.mark.parametrize(
    ("source_file", "expected", "words"),
    [
        ("empty.txt", "empty", "empty"),
        ("junk.bin", "unreadable", ""),
        ("truncated.pdf", "corrupt", ""),
        ("encrypted.pdf", "encrypted", "password"),
        ("scanned.pdf", "empty", "OCR found no text"),  # black bars: an image, but no text
        ("huge.txt", "too_large", "limit"),
        ("link-outside.txt", "skipped", "outside the raw folder"),
        ("loop", "skipped", "symbolic link loop"),
        ("broken link.txt", "skipped", "broken symbolic link"),
        (".hidden.txt", "skipped", "hidden file"),
        ("\\xb9\\xab\\xb1\\xa8.txt", "skipped", "not valid UTF-8 (as GB18030: 公报.txt)"),
        ("子目录/same content, other name.txt", "duplicate", GOOD),
    ],
)
def test_broken_files_get_a_status_and_a_clear_error(con, source_file, expected, words):
    got, error = status(con, source_file)
    assert got == expected
    assert error and words in error


def test_every_file_has_a_row(con, hostile_build: Path):
    raw = hostile_build.parent.parent / "raw"
    on_disk = {printable(p.relative_to(raw).as_posix()) for p in raw.rglob("*") if p.is_file() or p.is_symlink()}
    in_view = {r for (r,) in con.execute("SELECT source_file FROM v_documents").fetchall()}
    assert in_view == on_disk


def test_good_files_are_read_whatever_their_name_or_extension(con):
    for name in (GOOD, "text named.pdf", "--leading dash 'quoted' \"name\".txt", "子目录/更深/injection.txt"):
        assert status(con, name) == ("ok", None)


def test_good_facts_are_unaffected_and_not_doubled(con):
    rows = con.execute(
        "SELECT source_file, value FROM v_indicator_facts WHERE indicator_code = 'air.pm25_mean' AND year = 2024"
    ).fetchall()
    assert rows == [(GOOD, 51.0)]
    (n,) = con.execute("SELECT count(*) FROM v_indicator_facts WHERE value = 999").fetchone()
    assert n == 0


def test_sql_and_markup_are_stored_verbatim_and_never_run(con):
    (text,) = con.execute(
        "SELECT clean_text FROM v_document_text WHERE source_file = '子目录/更深/injection.txt'"
    ).fetchone()
    assert "DROP TABLE fact_indicator" in text and "<script>" in text and "{0} %s {{name}} ${HOME}" in text
    (n,) = con.execute("SELECT count(*) FROM fact_indicator").fetchone()
    assert n > 0
