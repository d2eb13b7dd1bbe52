"""Discovery: every file gets a row; links out of the folder are never followed."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from pipelines.core.discovery import content_hash, discover
from pipelines.store.tables import mark_duplicates


def test_odd_names_subfolders_and_links(tmp_path: Path):
    raw = tmp_path / "raw"
    (raw / "子目录" / "deeper").mkdir(parents=True)
    outside = tmp_path / "secret.txt"
    outside.write_text("不应读取", encoding="utf-8")
    names = [
        "with space.txt",
        "quote'\"s.txt",
        "--leading-dash.txt",
        "子目录/安阳 公报.txt",
        "子目录/deeper/x.pdf",
    ]
    for name in names:
        (raw / name).write_text("优良天数226天", encoding="utf-8")
    os.symlink(outside, raw / "link-out.txt")
    os.symlink(raw / "with space.txt", raw / "link-in.txt")

    manifest = discover(raw)
    by_file = {r["source_file"]: r for r in manifest.iter_rows(named=True)}
    assert set(by_file) == {*names, "link-out.txt", "link-in.txt"}
    assert by_file["link-out.txt"]["status"] == "skipped"
    assert "outside the raw folder" in by_file["link-out.txt"]["error"]
    assert by_file["link-out.txt"]["content_hash"] is None
    assert by_file["link-in.txt"]["status"] == "ok"
    assert by_file["子目录/deeper/x.pdf"]["extension"] == "pdf"


def test_same_content_under_two_names_is_a_duplicate(tmp_path: Path):
    (tmp_path / "b.txt").write_text("同一内容", encoding="utf-8")
    (tmp_path / "a.txt").write_text("同一内容", encoding="utf-8")
    (tmp_path / "c.txt").write_text("另一内容", encoding="utf-8")
    marked = mark_duplicates(discover(tmp_path)).sort("source_file")
    assert marked["status"].to_list() == ["ok", "duplicate", "ok"]
    assert marked.filter(pl.col("source_file") == "b.txt")["duplicate_of"].item() == "a.txt"
    assert "same content as a.txt" in marked.filter(pl.col("source_file") == "b.txt")["error"].item()
    assert marked["document_key"].n_unique() == 3


def test_content_hash_streams_large_files(tmp_path: Path):
    big = tmp_path / "big.bin"
    with big.open("wb") as fh:
        for _ in range(5):
            fh.write(b"\0" * (1 << 20))
    assert content_hash(big) == "c036cbb7553a909f8b8877d4461924307f27ecb66cff928eeeafd569c3887e29"
