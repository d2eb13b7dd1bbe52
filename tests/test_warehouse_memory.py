"""The warehouse step's memory does not grow with the corpus: what it reads and what DuckDB may hold."""

from __future__ import annotations

import random
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

import duckdb
import polars as pl
import pytest

from pipelines.core import near_duplicates
from pipelines.store import tables, warehouse
from tests.test_views import BULLETIN, OTHER, _other_year, _pdf_like


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every Parquet file polars opens from now on, once per time it is opened."""
    opened: list[str] = []
    for name in ("read_parquet", "scan_parquet"):
        original = getattr(pl, name)

        def counting(source, *args, _original=original, **kwargs):
            opened.extend([str(source)] if isinstance(source, (str, Path)) else map(str, source))
            return _original(source, *args, **kwargs)

        monkeypatch.setattr(pl, name, counting)
    return opened


def test_near_duplicates_read_each_clean_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A clean cache file holds many documents; reading it once per document read it 100 times over
    in a batch of 100 (330 MB at 500 documents of the benchmark)."""
    texts = {"h1": BULLETIN, "h2": OTHER, "h3": _pdf_like(BULLETIN), "h4": _other_year(BULLETIN), "h5": "x"}
    files = {"h1": "a", "h2": "a", "h3": "b", "h4": "b", "h5": "b"}  # h5: in the file, not a document here
    for name in ("a", "b"):
        pl.DataFrame(
            {"content_hash": [h for h in texts if files[h] == name]},
        ).with_columns(simplified_text=pl.col("content_hash").replace_strict(texts)).write_parquet(
            tmp_path / f"{name}.parquet"
        )
    docs = pl.DataFrame(
        {
            "document_key": ["k1", "k2", "k3", "k4"],
            "source_file": ["a.txt", "b.txt", "a.pdf", "c.txt"],
            "file_type": ["txt", "txt", "pdf", "txt"],
        }
    )
    text_files = pl.DataFrame(
        {
            "document_key": ["k1", "k2", "k3", "k4"],
            "content_hash": ["h1", "h2", "h3", "h4"],
            "clean_path": [str(tmp_path / f"{files[h]}.parquet") for h in ("h1", "h2", "h3", "h4")],
            "n_chars": [len(texts[h]) for h in ("h1", "h2", "h3", "h4")],
        }
    )
    opened = _count_reads(monkeypatch)
    copies = tables.same_report_copies(docs, text_files)
    assert sorted(opened) == sorted({str(tmp_path / "a.parquet"), str(tmp_path / "b.parquet")})
    assert copies.select("source_file", "same_report_as").rows() == [("a.pdf", "a.txt")]


def test_checks_of_the_built_file_run_under_the_load_memory_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """verify_database and published_counts read every table and view; under DuckDB's default limit
    (80% of RAM) they held as much of the file as they touched."""
    path = tmp_path / "wh.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(warehouse._sql("schema.sql"))
        con.execute(warehouse._sql("views.sql"))
    with duckdb.connect(config={"memory_limit": warehouse.MEMORY_LIMIT}) as con:
        expected = con.execute("SELECT current_setting('memory_limit')").fetchone()
    seen = []
    original = warehouse.table_counts

    def recording(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
        seen.append(con.execute("SELECT current_setting('memory_limit')").fetchone())
        return original(con)

    monkeypatch.setattr(warehouse, "table_counts", recording)
    empty = SimpleNamespace(**{name: pl.DataFrame() for name in warehouse.LOAD_ORDER})
    assert warehouse.verify_database(path, empty) == dict.fromkeys(warehouse.LOAD_ORDER, 0)
    warehouse.published_counts(path)
    assert seen == [expected, expected]


def test_figure_similarity_is_that_of_the_multisets_of_numbers():
    """The figures are kept as hashes of "51#0", "51#1", …: set Jaccard of those is multiset Jaccard."""
    a = near_duplicates.fingerprint("PM2.5为51，51，3.5，2020年")
    b = near_duplicates.fingerprint("PM2.5为51，3.5，7，2020年")
    # a: {2.5, 51, 51, 3.5, 2020}; b: {2.5, 51, 3.5, 7, 2020}; shared 4 of 6
    assert near_duplicates.similarity(a, b).figures == pytest.approx(4 / 6)
    assert near_duplicates.similarity(a, a).figures == 1.0
    none = near_duplicates.fingerprint("没有数字")
    assert near_duplicates.similarity(none, none).figures == 1.0


def test_a_fingerprint_is_small_whatever_its_figures():
    """Every document's fingerprint is held until the grouping ends: 2 KB each, not its figures as strings
    in a Counter (7 KB a document of the benchmark, 14 MB at 2,000 documents)."""
    rng = random.Random(3)
    texts = [BULLETIN + "".join(f"，{rng.randrange(10**6) / 100}" for _ in range(300)) for _ in range(20)]
    tracemalloc.start()
    try:
        kept = [near_duplicates.fingerprint(text) for text in texts]
        size, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(kept) == 20
    assert size / 20 < 2048 + 8 * 400  # signatures, and 8 bytes per figure (about 350 of them)


def test_a_text_load_past_the_memory_limit_does_not_run_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """DuckDB does not spill the long strings of rows it has not checkpointed: under a fixed limit the
    load failed with "failed to pin block" once they filled it (3,500 documents of the benchmark)."""
    monkeypatch.setattr(warehouse, "MEMORY_LIMIT", "24MB")
    monkeypatch.setattr(warehouse, "TEXT_MEMORY_PER_CHAR", 1)  # the per-statement allowance stays at the floor
    monkeypatch.setattr(warehouse, "TEXT_BATCH", 10)
    rng = random.Random(5)
    hashes = [f"h{i:03d}" for i in range(120)]
    texts = {h: "".join(chr(0x4E00 + rng.randrange(20000)) for _ in range(20_000)) for h in hashes}
    for part in range(4):  # four cache files of 30 documents
        chunk = hashes[part * 30 : (part + 1) * 30]
        body = pl.Series([texts[h] for h in chunk])
        pl.DataFrame({"content_hash": chunk, "text": body, "original": body}).write_parquet(
            tmp_path / f"r{part}.parquet"
        )
        pl.DataFrame({"content_hash": chunk, "clean_text": body, "simplified_text": body}).write_parquet(
            tmp_path / f"c{part}.parquet"
        )
    keys = pl.DataFrame(
        {
            "document_key": [f"k{h}" for h in hashes],
            "content_hash": hashes,
            "read_path": [str(tmp_path / f"r{i // 30}.parquet") for i in range(120)],
            "clean_path": [str(tmp_path / f"c{i // 30}.parquet") for i in range(120)],
            "n_chars": [20_000] * 120,
        }
    )
    path = tmp_path / "wh.duckdb"
    with duckdb.connect(str(path), config=warehouse.LOAD_CONFIG | {"memory_limit": "24MB"}) as con:
        con.execute(
            "CREATE TABLE document_text (document_key VARCHAR PRIMARY KEY, clean_text VARCHAR, "
            "simplified_text VARCHAR, read_text VARCHAR, original_text VARCHAR)"
        )
        warehouse._load_texts(con, SimpleNamespace(document_text=keys))
        con.execute("CHECKPOINT")
        assert con.execute("SELECT count(*), sum(length(read_text)) FROM document_text").fetchone() == (120, 2_400_000)
