"""Build the star schema into a fresh DuckDB file, check it, then publish it atomically.

Analysts keep read-only connections open on the published file at any hour. A DuckDB file
takes either one writer or many readers, so the build never opens the published file for
writing: it writes a sibling file under a name never used before and `os.replace`s it onto the
published name. Readers keep the snapshot they opened and see the new data when they reconnect;
a build killed at any moment leaves the published file as it was and at most a stale temporary
file, which the next build removes. Builds of one warehouse hold a lock file beside it
(`build_lock`), so two never interleave and every temporary file belongs to the lock's holder.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipelines.settings import PROJECT_ROOT
from pipelines.store.locking import file_lock, holder, is_held

SQL_DIR = PROJECT_ROOT / "sql"
# Files written by duckdb 2.x open in 1.x clients only with an older storage format: the newest one
# the oldest supported client (duckdb 1.2.0, tests/test_client_compatibility.py) reads. v1.2.0 is the
# first to compress long texts (a row of four 18 MB texts: 74.5 MB in v1.1.0, 0.5 MB in v1.2.0; the
# sample warehouse 7.35 → 6.04 MB), which is why 1.1.x clients are no longer supported.
STORAGE_COMPATIBILITY = "v1.2.0"
_TEMP_MARK = ".building-"
# The load's memory must not grow with the corpus. One join over all texts held every text (900 MB
# at 2,000 documents), so texts and rows go in batches. Automatic checkpoints are off: each one
# rewrote the open row group, which holds up to 122,880 documents' texts, in memory; until the
# single checkpoint at the end, DuckDB keeps new blocks under its memory limit and spills the rest
# to its temporary folder, except what it cannot spill (held_texts_mb). Nothing is visible to readers
# before the file is published.
TEXT_BATCH = 100  # documents per statement
TEXT_BATCH_CHARS = 2_000_000  # characters of read text per statement (fewer documents when they are long)
ROW_BATCH = 20_000  # rows per statement for the other tables
MEMORY_LIMIT = "128MB"  # DuckDB's buffer pool when building, and when the report reads the result
# One document's four texts go into one row, which DuckDB holds in one block and copies while
# writing it: a load needs about 20 bytes of buffer pool per byte of UTF-8 text (measured: a 17 MB
# text failed at 128 MB and loads at 256 MB; a 75 MB text loads at 1.5 GB). A character is at most
# 4 bytes, so a statement's limit is 64 bytes per character of its texts, never below
# MEMORY_LIMIT; the largest text the file-size limit admits (50 MB of GBK, 25M characters) gets 1.6 GB.
TEXT_MEMORY_PER_CHAR = 64
# What DuckDB cannot spill (held_texts_mb) grows with the texts loaded, so a statement's limit is at least
# TEXT_HEADROOM_MB above it (at 2,000 documents a statement ran with 27 MB to spare; 64 MB of headroom
# raised the step's peak by 20 MB, as DuckDB then kept spillable blocks too). Past TEXT_HELD_MAX_MB the
# load checkpoints them into the file: a checkpoint costs memory of its own (the peak at 2,000 documents
# rose 410 -> 430-456 MB checkpointing every 32-64 MB), so it is the exception (about every 6,000 documents).
TEXT_HELD_MAX_MB = 256
TEXT_HEADROOM_MB = 32
LOAD_CONFIG = {
    "storage_compatibility_version": STORAGE_COMPATIBILITY,
    "memory_limit": MEMORY_LIMIT,
    "checkpoint_threshold": "1TB",
}
# Checking the built file reads every table and view: under the same buffer pool, or DuckDB's default
# (80% of RAM) lets a check hold as much of the file as it touches, which grows with the corpus.
CHECK_CONFIG = {"memory_limit": MEMORY_LIMIT}


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
    document_text: pl.DataFrame  # document_key, content_hash, read_path, clean_path, n_chars
    noise_removed: pl.DataFrame


VIEWS = (
    "v_indicator_facts",
    "v_document_text",
    "v_documents",
    "v_rejected_facts",
    "v_report_facts",
    "v_latest_period_facts",
    "v_latest_facts",
    "v_conflicts",
    "v_area_year",
    "v_noise",
)
# Where a view column without a COMMENT of its own takes one: the first of these relations with a column
# of that name (the view passes it through unchanged), so each column is described once. In creation
# order: a view inherits from views before it, after they inherited theirs.
COMMENT_SOURCES = {
    "v_documents": ("dim_document",),
    "v_document_text": ("document_text", "dim_document"),
    "v_indicator_facts": ("fact_indicator", "dim_document", "dim_indicator", "dim_area"),
    "v_rejected_facts": ("fact_rejected", "dim_document"),
    "v_noise": ("noise_removed", "dim_document"),
    "v_report_facts": ("v_indicator_facts",),
    "v_latest_period_facts": ("v_report_facts",),
    "v_latest_facts": ("v_latest_period_facts",),
    "v_conflicts": ("v_report_facts",),
    "v_area_year": ("v_latest_facts", "dim_area"),
}
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


def lock_path(target: Path) -> Path:
    """The build lock beside the warehouse: builds of one warehouse run one at a time."""
    return target.with_name(f"{target.name}.lock")


def build_lock(
    target: Path, *, wait: float, what: str, token: str = "", on_wait: Callable[[str], None] | None = None
) -> AbstractContextManager[None]:
    """Serialise builds of `target`; every temporary file beside it belongs to the lock's holder."""
    return file_lock(lock_path(target), wait=wait, what=what, token=token, on_wait=on_wait)


def lock_held_for(target: Path, token: str) -> bool:
    """Whether the build lock is held on behalf of `token` (the CLI holds it for the run it started)."""
    path = lock_path(target)
    return bool(token) and is_held(path) and holder(path).get("token") == token


def remove_stale_temps(target: Path) -> list[Path]:
    """Delete what dead builds left beside the target. Call only under the build lock.

    Every temporary file is made under the lock, so whatever exists when we hold it belongs to
    a build that died; no pid is trusted (pids are reused).
    """
    removed = []
    for tmp in target.parent.glob(f".{target.name}{_TEMP_MARK}*"):
        if tmp.is_dir():  # DuckDB's spill folder
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)
        removed.append(tmp)
    return removed


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
        inherit_comments(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()


def inherit_comments(con: duckdb.DuckDBPyConnection) -> None:
    """Give each view column without a COMMENT the one of its namesake in the view's COMMENT_SOURCES."""
    for view, sources in COMMENT_SOURCES.items():
        missing = con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND comment IS NULL ORDER BY column_index",
            [view],
        ).fetchall()
        for (column,) in missing:
            found = con.execute(
                "SELECT comment FROM duckdb_columns() WHERE column_name = ? AND comment IS NOT NULL "
                "AND list_position(?, table_name) IS NOT NULL ORDER BY list_position(?, table_name) LIMIT 1",
                [column, list(sources), list(sources)],
            ).fetchone()
            if found:  # COMMENT takes no parameters: quote the literal
                literal = found[0].replace("'", "''")
                con.execute(f"COMMENT ON COLUMN {view}.\"{column}\" IS '{literal}'")


def text_batches(texts: pl.DataFrame) -> list[pl.DataFrame]:
    """Consecutive runs of documents, at most TEXT_BATCH of them and about TEXT_BATCH_CHARS characters."""
    batch = pl.max_horizontal(
        pl.int_range(pl.len()) // TEXT_BATCH, (pl.col("n_chars").cum_sum() - pl.col("n_chars")) // TEXT_BATCH_CHARS
    )
    return texts.with_columns(batch=batch).partition_by("batch", maintain_order=True, include_key=False)


def text_memory_limit(batch: pl.DataFrame, held_mb: int = 0) -> str:
    """DuckDB's memory limit for loading these texts: enough for their rows, bounded by their size,
    and TEXT_HEADROOM_MB above what DuckDB holds and cannot spill (`held_mb`, held_texts_mb)."""
    floor = int(MEMORY_LIMIT.removesuffix("MB"))
    return f"{max(floor, held_mb + TEXT_HEADROOM_MB, -(-batch['n_chars'].sum() * TEXT_MEMORY_PER_CHAR // 2**20))}MB"


def held_texts_mb(con: duckdb.DuckDBPyConnection) -> int:
    """Megabytes DuckDB holds in memory and cannot spill: long strings of rows not yet checkpointed
    and the constraint indexes.

    DuckDB 2.0 spills other table blocks to its temporary folder at its memory limit, but not these
    (tags OVERFLOW_STRINGS, every text longer than 4 KB, and ART_INDEX): under a fixed limit the load
    failed with "failed to pin block" at 3,500 documents of the benchmark (122 MB held).
    """
    (held,) = con.execute(
        "SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() "
        "WHERE tag IN ('OVERFLOW_STRINGS', 'ART_INDEX')"
    ).fetchone()
    return -(-int(held) // 2**20)


def _load_texts(con: duckdb.DuckDBPyConnection, tables: Tables) -> None:
    """Texts straight from the stage caches, one cache batch file pair at a time, so each
    file is read once (a cache file holds many documents), in batches under a memory limit
    scaled to their size."""
    texts = tables.document_text.sort("read_path", "clean_path", "document_key")
    for group in texts.partition_by("read_path", "clean_path", maintain_order=True):
        for batch in text_batches(group):
            held = held_texts_mb(con)
            if held > TEXT_HELD_MAX_MB:
                con.execute("CHECKPOINT")  # writes them to the file, which frees them
                held = held_texts_mb(con)
            con.execute(f"SET memory_limit = '{text_memory_limit(batch, held)}'")
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
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")


def verify_database(path: Path, tables: Tables) -> dict[str, int]:
    """Structural checks on the built file before anyone can see it."""
    con = duckdb.connect(str(path), read_only=True, config=CHECK_CONFIG)
    try:
        counts = table_counts(con)
        for name, n in counts.items():
            if n != getattr(tables, name).height:
                raise PublishError(f"{name}: loaded {n} rows, expected {getattr(tables, name).height}")
        (orphans,) = con.execute(
            "SELECT count(*) FROM dim_document d WHERE d.status = 'ok' "
            "AND NOT EXISTS (SELECT 1 FROM document_text t WHERE t.document_key = d.document_key)"
        ).fetchone()
        if orphans:
            raise PublishError(f"{orphans} ok documents have no text")
        return counts
    finally:
        con.close()


@dataclass(frozen=True)
class Published:
    """What a publish did: row counts of the new file and anything an operator should know."""

    row_counts: dict[str, int]
    warnings: list[str]


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every table; raises when a table or a view is missing or unreadable."""
    counts = {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in LOAD_ORDER}
    for view in VIEWS:
        con.execute(f"SELECT * FROM {view} LIMIT 1").fetchall()
    return counts


def published_counts(path: Path) -> dict[str, int]:
    """Open the published file read-only and count its rows (raises duckdb.Error when unreadable)."""
    con = duckdb.connect(str(path), read_only=True, config=CHECK_CONFIG)
    try:
        return table_counts(con)
    finally:
        con.close()


def _drop_foreign_wal(target: Path) -> list[str]:
    """Delete a WAL beside the published name: it belongs to the file being replaced, never to ours.

    An analyst's read-write session on the published file leaves `<name>.wal`; DuckDB would replay
    it onto whatever file next carries that name. The old file goes away with the swap, so the
    WAL's changes are lost either way; deleting is one atomic step.
    """
    wal = Path(f"{target}.wal")
    if not wal.exists():
        return []
    wal.unlink(missing_ok=True)
    return [
        f"deleted {wal}: a read-write session on the published warehouse left it, and it must not be "
        "replayed onto the new build (the published file is read-only for analysts; their changes are gone)"
    ]


def publish(target: Path, tables: Tables) -> Published:
    """Build next to the target, verify, then atomically replace it. Call under `build_lock`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target)
    # a name no earlier build used, so no WAL or spill folder of another file can be attached to it
    tmp = target.with_name(f".{target.name}{_TEMP_MARK}{uuid.uuid4().hex}")
    leftovers = (Path(f"{tmp}.wal"), Path(f"{tmp}.tmp"))
    warnings: list[str] = []
    leftovers[0].unlink(missing_ok=True)
    try:
        write_database(tmp, tables)  # ends with CHECKPOINT and close: everything is in the file
        if leftovers[0].exists():
            raise PublishError(f"{leftovers[0]} remained after the checkpoint; not publishing")
        expected = verify_database(tmp, tables)
        warnings += _drop_foreign_wal(target)
        os.replace(tmp, target)
        warnings += _drop_foreign_wal(target)  # a session that wrote between the two steps
        counts = published_counts(target)
        if counts != expected:
            raise PublishError(f"the published file changed after the swap: {counts} rows, expected {expected}")
    finally:
        tmp.unlink(missing_ok=True)
        leftovers[0].unlink(missing_ok=True)
        shutil.rmtree(leftovers[1], ignore_errors=True)
    return Published(row_counts=counts, warnings=warnings)
