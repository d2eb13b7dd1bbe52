"""read_document: sniffing by content, statuses, and that it never raises."""

from __future__ import annotations

import codecs
import random
import shutil
from pathlib import Path

import pytest

from pipelines.core import pdfs, reading, textfiles
from pipelines.core.models import CHANGED, EMPTY, OK, TOO_LARGE, TRANSIENT_STATUSES, UNREADABLE, UNSUPPORTED
from pipelines.core.reading import read_document
from tests.conftest import RAW
from tests.pdf_factory import write_report

ROOT = Path(__file__).resolve().parents[1]
SEEDS = RAW  # raw/ holds the seed corpus, so these tests need nothing outside the repository
SAMPLE_PDF = ROOT / "raw" / "001_9aa5532d1dae63e5.pdf"


def seed_text() -> str:
    return (SEEDS / "000_f62db9893ffb6cb0.txt").read_text(encoding="utf-8")


def test_seed_text_file(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(seed_text().encode("gb18030"))
    result = read_document(path)
    assert result.status == OK
    assert result.file_type == "txt"
    assert result.encoding == "gb18030"
    assert "优良天数326天" in result.text.replace(" ", "")
    assert result.original == seed_text()
    assert result.pages == []


def test_text_is_folded_and_original_is_kept(tmp_path):
    path = tmp_path / "full-width.txt"
    raw = "２０２４年，ＰＭ２．５年均浓度为５１微克／立方米，同比下降７．８％。\r\n"
    path.write_bytes(codecs.BOM_UTF8 + raw.encode("utf-8"))
    result = read_document(path)
    assert result.text == "2024年,PM2.5年均浓度为51微克/立方米,同比下降7.8%。\n"
    assert result.original == raw
    assert result.encoding == "utf-8-sig"


def test_text_file_named_pdf_is_read_as_text(tmp_path):
    path = tmp_path / "notice.pdf"
    path.write_bytes(seed_text().encode("utf-8"))
    result = read_document(path)
    assert (result.status, result.file_type) == (OK, "txt")
    assert "鞍山市" in result.text


def test_pdf_named_txt_is_read_as_pdf(tmp_path):
    path = tmp_path / "download.txt"
    shutil.copy(SAMPLE_PDF, path)
    result = read_document(path)
    assert (result.status, result.file_type) == (OK, "pdf")
    assert len(result.pages) == 9


def test_pdf_without_extension_is_read_as_pdf(tmp_path):
    path = write_report(tmp_path / "attachment", ["全年优良天数226天，同比增加14天。"])
    result = read_document(path)
    assert (result.status, result.file_type) == (OK, "pdf")
    assert "226天" in result.text


def test_zero_bytes_is_empty(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = read_document(path)
    assert result.status == EMPTY
    assert "0 bytes" in result.error


@pytest.mark.parametrize("content", [" \n\t\r\n", "\u3000\u3000\r\n", "\ufeff  \n"])
def test_whitespace_only_is_empty(tmp_path, content):
    path = tmp_path / "blank.txt"
    path.write_bytes(content.encode("utf-8"))
    assert read_document(path).status == EMPTY


def test_binary_junk_is_unreadable(tmp_path):
    rng = random.Random(7)
    path = tmp_path / "junk.txt"
    path.write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    result = read_document(path)
    assert result.status == UNREADABLE
    assert result.error


@pytest.mark.parametrize(
    ("magic", "name"),
    [(b"PK\x03\x04", "ZIP"), (b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2")],
)
def test_known_binary_formats_are_unsupported(tmp_path, magic, name):
    path = tmp_path / "attachment.txt"
    path.write_bytes(magic + bytes(range(256)) * 4)
    result = read_document(path)
    assert result.status == UNSUPPORTED
    assert name in result.error


def test_too_large_is_not_read(tmp_path, monkeypatch):
    big = tmp_path / "big.pdf"
    shutil.copy(SAMPLE_PDF, big)

    def forbidden(*args, **kwargs):
        raise AssertionError("a file over the limit was read")

    monkeypatch.setattr(Path, "read_bytes", forbidden)
    monkeypatch.setattr(pdfs, "read_pdf", forbidden)
    result = read_document(big, max_bytes=10_000)
    assert result.status == TOO_LARGE
    assert result.file_type == "pdf"
    assert "10,000" in result.error


def test_too_large_by_default_limit(tmp_path):
    """A sparse 60 MB file: only its size and first kilobyte are looked at."""
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(60_000_000)
    assert read_document(path).status == TOO_LARGE


def test_missing_file_is_a_transient_failure(tmp_path):
    """A file that cannot be opened says nothing about its content: CHANGED, never cached."""
    result = read_document(tmp_path / "nowhere.txt")
    assert result.status == CHANGED
    assert result.status in TRANSIENT_STATUSES
    assert "cannot open" in result.error


def test_never_raises(tmp_path, monkeypatch):
    path = tmp_path / "report.txt"
    path.write_text("全年优良天数226天。", encoding="utf-8")

    def broken(data):
        raise ValueError("decoder bug")

    monkeypatch.setattr(textfiles, "decode", broken)
    result = reading.read_document(path)
    assert result.status == UNREADABLE
    assert "ValueError: decoder bug" in result.error
