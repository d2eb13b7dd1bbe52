"""Build the star schema into a fresh DuckDB file, check it, then publish it atomically.

Analysts keep read-only connections open on the published file at any hour. A DuckDB file
takes either one writer or many readers, so the build never opens the published file for
writing: it writes a sibling file and `os.replace`s it onto the published name. Readers keep
the snapshot they opened and see the new data when they reconnect; a build killed at any
moment leaves the published file as it was and at most a stale temporary file, which the
next build removes.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipelines.settings import PROJECT_ROOT

SQL_DIR = PROJECT_ROOT / "sql"
# Files written by duckdb 2.x open in 1.x clients only with an older storage format.
STORAGE_COMPATIBILITY = "v1.0.0"
_TEMP_MARK = ".building-"
# The load's memory must not grow with the corpus. One join over all texts held every text (900 MB
# at 2,000 documents), so texts and rows go in batches. Automatic checkpoints are off: each one
# rewrote the open row group, which holds up to 122,880 documents' texts, in memory; until the
# single checkpoint at the end, DuckDB keeps new blocks under its memory limit and spills the rest
# to its temporary folder. Nothing is visible to readers before the file is published.
TEXT_BATCH = 100  # documents per statement
ROW_BATCH = 20_000  # rows per statement for the other tables
MEMORY_LIMIT = "128MB"  # DuckDB's buffer pool when building, and when the report reads the result
LOAD_CONFIG = {
    "storage_compatibility_version": STORAGE_COMPATIBILITY,
    "memory_limit": MEMORY_LIMIT,
    "checkpoint_threshold": "1TB",
}


class PublishError(RuntimeError):
    """The new warehouse failed a structural check; the published file was left as it was."""


@dataclass(frozen=True)
class Tables:
    """Everything one build loads: polars frames, except the document texts.

    Texts are the bulk of the data; DuckDB reads them straight from the stage caches' Parquet
    files in batches (`document_text` holds only the keys and file paths), so memory does not
    grow with the corpus.
    """

    dim_indicator: pl.DataFrame
    dim_area: pl.DataFrame
    dim_period: pl.DataFrame
    dim_document: pl.DataFrame
    fact_indicator: pl.DataFrame
    fact_rejected: pl.DataFrame
    document_text: pl.DataFrame  # document_key, content_hash, read_path, clean_path
    noise_removed: pl.DataFrame


LOAD_ORDER = (
    "dim_indicator",
    "dim_area",
    "dim_period",
    "dim_document",
    "fact_indicator",
    "fact_rejected",
    "document_text",
    "noise_removed",
)


def add_key(frame: pl.DataFrame, name: str, columns: list[str]) -> pl.DataFrame:
    """Append a deterministic 16-hex key (sha256 of the columns) so rebuilds give identical rows.

    DuckDB's sha256 is stable across versions and columnar; polars' own hash is neither.
    """
    parts = ", ".join(f"coalesce(CAST(\"{c}\" AS VARCHAR), '')" for c in columns)
    con = duckdb.connect()
    try:
        con.register("frame", frame.to_arrow())
        keyed = con.sql(f'SELECT *, left(sha256(concat_ws(chr(31), {parts})), 16) AS "{name}" FROM frame').pl()
    finally:
        con.close()
    return keyed


def remove_stale_temps(target: Path) -> list[Path]:
    """Delete temporary files left by builds that died; a live build's file is left alone."""
    removed = []
    for tmp in target.parent.glob(f".{target.name}{_TEMP_MARK}*"):
        match = re.search(rf"{re.escape(_TEMP_MARK)}(\d+)", tmp.name)
        if match and pid_alive(int(match.group(1))) and int(match.group(1)) != os.getpid():
            continue
        if tmp.is_dir():  # DuckDB's spill folder
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)
        removed.append(tmp)
    return removed


def pid_alive(pid: int) -> bool:
    """Whether a build's process still runs, so its temporary output is left alone."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sql(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


def write_database(path: Path, tables: Tables) -> None:
    """Create the schema and bulk-load every table from Arrow; constraints are enforced."""
    con = duckdb.connect(str(path), config=LOAD_CONFIG)
    try:
        con.execute(_sql("schema.sql"))
        for name in LOAD_ORDER:
            if name == "document_text":
                _load_texts(con, tables)
                continue
            frame = getattr(tables, name)
            columns = [c[0] for c in con.execute(f"DESCRIBE {name}").fetchall()]
            for batch in frame.select(columns).iter_slices(ROW_BATCH):
                con.register("incoming", batch.to_arrow())
                con.execute(f"INSERT INTO {name} SELECT * FROM incoming")
                con.unregister("incoming")
        con.execute(_sql("views.sql"))
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _load_texts(con: duckdb.DuckDBPyConnection, tables: Tables) -> None:
    """Texts straight from the stage caches, one cache batch file pair at a time, so each
    file is read once (a cache file holds many documents)."""
    texts = tables.document_text.sort("read_path", "clean_path", "document_key")
    for group in texts.partition_by("read_path", "clean_path", maintain_order=True):
        for batch in group.iter_slices(TEXT_BATCH):
            con.register("text_keys", batch.select("document_key", "content_hash").to_arrow())
            con.execute(
                "INSERT INTO document_text "
                "SELECT k.document_key, c.clean_text, c.simplified_text, r.text, r.original "
                "FROM text_keys k "
                "JOIN read_parquet(?) r USING (content_hash) "
                "JOIN read_parquet(?) c USING (content_hash) "
                "ORDER BY k.document_key",
                [batch["read_path"][0], batch["clean_path"][0]],
            )
            con.unregister("text_keys")


def verify_database(path: Path, tables: Tables) -> dict[str, int]:
    """Structural checks on the built file before anyone can see it."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        counts = {}
        for name in LOAD_ORDER:
            (n,) = con.execute(f"SELECT count(*) FROM {name}").fetchone()
            if n != getattr(tables, name).height:
                raise PublishError(f"{name}: loaded {n} rows, expected {getattr(tables, name).height}")
            counts[name] = n
        for view in ("v_indicator_facts", "v_document_text", "v_documents", "v_rejected_facts"):
            con.execute(f"SELECT * FROM {view} LIMIT 1").fetchall()
        (orphans,) = con.execute(
            "SELECT count(*) FROM dim_document d WHERE d.status = 'ok' "
            "AND NOT EXISTS (SELECT 1 FROM document_text t WHERE t.document_key = d.document_key)"
        ).fetchone()
        if orphans:
            raise PublishError(f"{orphans} ok documents have no text")
        return counts
    finally:
        con.close()


def publish(target: Path, tables: Tables) -> dict[str, int]:
    """Build next to the target, verify, then atomically replace it. Returns row counts."""
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target)
    tmp = target.with_name(f".{target.name}{_TEMP_MARK}{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        write_database(tmp, tables)
        counts = verify_database(tmp, tables)
        os.replace(tmp, target)
    except Exception:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        Path(f"{tmp}.wal").unlink(missing_ok=True)
        shutil.rmtree(f"{tmp}.tmp", ignore_errors=True)
    return counts
