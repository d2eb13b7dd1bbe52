"""The benchmark corpus: byte-identical for a seed, varied like a real crawl, and readable."""

from __future__ import annotations

import codecs
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from bench.corpus import generate

N_DOCS = 30


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("corpus")
    return out, generate(out, n_docs=N_DOCS)


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _decode(data: bytes) -> tuple[str, str]:
    """Text and encoding as a reader would find them: BOM first, then UTF-8, then GB18030."""
    if data.startswith(codecs.BOM_UTF16_LE):
        return data[2:].decode("utf-16-le"), "utf-16"
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "gb18030"


def test_same_seed_gives_the_same_bytes(corpus: tuple[Path, dict], tmp_path: Path) -> None:
    out, manifest = corpus
    again = generate(tmp_path / "again", n_docs=N_DOCS)
    assert _contents(tmp_path / "again") == _contents(out)
    assert again == manifest


def test_another_seed_gives_another_corpus(corpus: tuple[Path, dict], tmp_path: Path) -> None:
    generate(tmp_path / "other", n_docs=N_DOCS, seed=8)
    assert _contents(tmp_path / "other") != _contents(corpus[0])


def test_writes_the_requested_mix_of_text_files_and_pdfs(corpus: tuple[Path, dict]) -> None:
    out, manifest = corpus
    files = sorted(out.iterdir())
    assert len(files) == manifest["n_docs"] == N_DOCS
    assert sum(p.suffix == ".pdf" for p in files) == manifest["n_pdf"] == round(N_DOCS * 0.2)
    assert sum(p.suffix == ".txt" for p in files) == manifest["n_txt"]
    assert manifest["bytes"] == sum(p.stat().st_size for p in files)
    assert any("_sample_" in p.name for p in files)


def test_text_files_come_in_several_encodings(corpus: tuple[Path, dict]) -> None:
    out, manifest = corpus
    found = {_decode(p.read_bytes())[1] for p in out.glob("*.txt")}
    assert len(found) >= 3
    assert found <= set(manifest["encodings"])


def test_web_pages_carry_the_noise_the_cleaner_handles(corpus: tuple[Path, dict]) -> None:
    out, manifest = corpus
    assert len(manifest["noise"]) >= 4
    texts = [_decode(p.read_bytes())[0] for p in out.glob("*.txt")]
    assert any("责任编辑" in t for t in texts)
    assert any("位置" in t and ">" in t for t in texts)  # breadcrumbs
    assert any("上一篇" in t or "打印" in t or "分享" in t for t in texts)
    assert any("优良天数" in t and "微克/立方米" in t for t in texts)  # and real figures among it


def test_pdfs_open_with_pdfium_and_carry_page_furniture(corpus: tuple[Path, dict]) -> None:
    out, manifest = corpus
    pages = 0
    for path in sorted(out.glob("*.pdf")):
        pdf = pdfium.PdfDocument(str(path))
        try:
            assert len(pdf) >= 2
            pages += len(pdf)
            textpage = pdf[0].get_textpage()
            first = textpage.get_text_range()
            textpage.close()
        finally:
            pdf.close()
        assert any("\u4e00" <= c <= "\u9fff" for c in first)
        if "_sample_" not in path.name:
            assert "— 1 —" in first
    assert pages == manifest["pdf_pages"]


def test_refuses_a_folder_that_holds_files(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("not the corpus's")
    with pytest.raises(FileExistsError):
        generate(tmp_path, n_docs=3)
