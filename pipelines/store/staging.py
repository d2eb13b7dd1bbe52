"""Per-document stage results cached by content hash and code version, written a batch at a time.

This is what makes nightly runs cheap: a stage only works on documents whose content or
whose stage code changed since the last run. A shard writes the rows of many documents into
one Parquet file per stage part (a batch), not one file per document: small files cost more
to write and to read back than the stages themselves. Which batch holds a document is read
from the batch files (their `content_hash` column), so there is no separate index to drift
from them. Each file is written atomically under a name that carries its SHA-256, so a
killed run leaves whole batches or none, and a damaged file is found, left out, and its
documents computed again instead of failing every later build.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import shutil
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

import polars as pl

log = logging.getLogger(__name__)

KEY = "content_hash"
_FILE = "__cache_file"
_SUFFIX = ".parquet"


def new_batch_id() -> str:
    """Sorts by time of writing, so where two batches hold a document the newer one wins."""
    return f"{time.time_ns():020d}-{os.getpid()}"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _intact(file: Path) -> bool:
    """The file's bytes still hash to the digest in its name."""
    try:
        return _digest(file.read_bytes()) == file.name.rpartition(".")[0].rpartition(".")[2]
    except OSError:
        return False


class StageCache:
    """One stage at one code version: `<root>/<stage>-<version>/<part>/<batch>.<sha256>.parquet`.

    `index_part` holds one row per document; a document is cached when that part has it.
    `index_columns` of that part are kept in the index, so questions such as "was this read
    ok?" need no further reads. Other parts (an extract batch's facts) belong to the batch of
    the same name and are read for the documents the index gives that batch.
    """

    def __init__(
        self, root: Path, stage: str, version: str, index_part: str = "main", index_columns: tuple[str, ...] = ()
    ):
        self.root = root
        self.stage = stage
        self.version = version
        self.dir = root / f"{stage}-{version}"
        self.index_part = index_part
        self.index_columns = index_columns
        self._index: dict[str, dict] | None = None
        self._files: dict[tuple[str, str], Path] | None = None  # (batch, part) -> file

    # --- where things are ------------------------------------------------------------------

    def _scan_files(self) -> dict[tuple[str, str], Path]:
        files = {}
        if self.dir.is_dir():
            for file in sorted(self.dir.glob(f"*/*{_SUFFIX}")):
                batch, _, _ = file.name.rpartition(".")[0].rpartition(".")
                files[(batch, file.parent.name)] = file
        return files

    def _load(self) -> dict[str, dict]:
        """content_hash -> {batch, *index_columns}; a file that cannot be read is left out."""
        self._files = self._scan_files()
        index: dict[str, dict] = {}
        for (batch, part), file in sorted(self._files.items()):  # oldest batch first: newer ones win
            if part != self.index_part:
                continue
            try:
                rows = pl.read_parquet(file, columns=[KEY, *self.index_columns])
            except Exception as exc:  # noqa: BLE001 - a damaged cache file costs a recomputation, not the build
                log.warning("stage cache file %s cannot be read (%s); its documents will be computed again", file, exc)
                continue
            for row in rows.iter_rows(named=True):
                index[row.pop(KEY)] = {"batch": batch, **row}
        return index

    @property
    def index(self) -> dict[str, dict]:
        if self._index is None:
            self._index = self._load()
        return self._index

    def refresh(self) -> None:
        """Forget the index, so that files written by other processes are seen."""
        self._index = self._files = None

    def __contains__(self, content_hash: str) -> bool:
        return content_hash in self.index

    def entry(self, content_hash: str) -> dict | None:
        """The document's batch and index columns, or None when this stage has not run on it."""
        return self.index.get(content_hash)

    def file(self, batch: str, part: str | None = None) -> Path:
        self.index  # noqa: B018 - loads the file list
        assert self._files is not None
        return self._files[(batch, part or self.index_part)]

    def _by_file(self, hashes: Iterable[str], part: str | None) -> dict[Path, list[str]]:
        groups: dict[Path, list[str]] = defaultdict(list)
        for content_hash in sorted(set(hashes)):
            groups[self.file(self.index[content_hash]["batch"], part)].append(content_hash)
        return groups

    # --- writing ---------------------------------------------------------------------------

    def write_batch(self, frames: Mapping[str, pl.DataFrame], batch: str | None = None) -> str:
        """Writes the parts of one batch, the index part last, so that a document is never
        indexed before the rest of its batch is on disk."""
        batch = batch or new_batch_id()
        order = sorted(frames, key=lambda part: part == self.index_part)
        for part in order:
            buffer = io.BytesIO()
            frames[part].write_parquet(buffer, statistics=False)
            data = buffer.getvalue()
            target = self.dir / part / f"{batch}.{_digest(data)}{_SUFFIX}"
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, target)
            if self._files is not None:
                self._files[(batch, part)] = target
        if self._index is not None and self.index_part in frames:
            columns = [KEY, *self.index_columns]
            for row in frames[self.index_part].select(columns).iter_rows(named=True):
                self._index[row.pop(KEY)] = {"batch": batch, **row}
        return batch

    # --- reading ---------------------------------------------------------------------------

    def paths(self, hashes: Iterable[str], part: str | None = None) -> list[str]:
        """The file holding each of these documents, in sorted order of their hashes."""
        return [str(self.file(self.index[h]["batch"], part)) for h in sorted(set(hashes))]

    def scan(self, hashes: Iterable[str], schema: dict, part: str | None = None) -> pl.LazyFrame:
        """These documents' cached rows; no rows, with the stage's columns, when there are none.

        A batch file may still hold an older row of a document that a newer batch replaced, so
        rows are matched on (content_hash, file), in one semi-join over all the files."""
        groups = self._by_file((h for h in hashes if h in self.index), part)
        if not groups:
            return pl.LazyFrame(schema=schema)
        pairs = [(h, str(file)) for file, group in groups.items() for h in group]
        wanted = pl.LazyFrame(pairs, schema={KEY: pl.String, _FILE: pl.String}, orient="row")
        rows = pl.scan_parquet([str(f) for f in groups], include_file_paths=_FILE)
        return rows.join(wanted, on=[KEY, _FILE], how="semi").drop(_FILE)

    def rows(self, hashes: Iterable[str], columns: list[str] | None = None, part: str | None = None) -> dict[str, dict]:
        """content_hash -> cached row, reading each batch file once."""
        hashes = [h for h in hashes if h in self.index]
        if not hashes:
            return {}
        frame = self.scan(hashes, {}, part)
        return {row[KEY]: row for row in (frame.select(columns) if columns else frame).collect().iter_rows(named=True)}

    def read(self, content_hash: str, part: str | None = None) -> pl.DataFrame:
        """One document's rows (a test's or an operator's look at one entry)."""
        file = self.file(self.index[content_hash]["batch"], part)
        return pl.read_parquet(file).filter(pl.col(KEY) == content_hash)

    # --- upkeep ----------------------------------------------------------------------------

    def verify(self, hashes: Iterable[str]) -> list[Path]:
        """Checks the files these documents live in against the SHA-256 in their names, and
        removes those that do not match (bit rot, a truncated copy, a half-restored backup),
        so that their documents are computed again. Returns the removed files."""
        index = self.index  # loads the file list too, even when no hash is given
        batches = {index[h]["batch"] for h in hashes if h in index}
        assert self._files is not None
        bad = {f: batch for (batch, _), f in self._files.items() if batch in batches and not _intact(f)}
        damaged = set(bad.values())
        for (batch, _), file in self._files.items():
            if batch in damaged:  # the whole batch: its other parts are read through its index part
                log.warning("stage cache file %s belongs to a damaged batch; removed", file)
                file.unlink(missing_ok=True)
        if bad:
            self.refresh()
        return list(bad)

    def prune(self, keep: set[str]) -> int:
        """Drop other code versions of this stage, and batches none of whose documents is still
        present and indexed there. Returns the number of folders and files removed."""
        removed = 0
        for other in self.root.glob(f"{self.stage}-*"):
            if other != self.dir and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)
                removed += 1
        self.refresh()
        live = {entry["batch"] for h, entry in self.index.items() if h in keep}
        assert self._files is not None
        for (batch, _), file in list(self._files.items()):
            if batch not in live:
                file.unlink(missing_ok=True)
                removed += 1
        if self.dir.exists():
            for tmp in self.dir.glob("*/.*.tmp"):
                tmp.unlink(missing_ok=True)
        self.refresh()
        return removed
