"""Per-document stage results cached by content hash and code version.

This is what makes nightly runs cheap: a stage only works on documents whose content or
whose stage code changed since the last run. Each entry is one small Parquet file written
atomically, so a killed run leaves either a complete entry or none.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import polars as pl


class StageCache:
    """One folder per stage and code version, one Parquet file per document and part."""

    def __init__(self, root: Path, stage: str, version: str):
        self.root = root
        self.stage = stage
        self.version = version
        self.dir = root / f"{stage}-{version}"

    def path(self, content_hash: str, part: str = "main") -> Path:
        return self.dir / content_hash[:2] / f"{content_hash}.{part}.parquet"

    def write(self, content_hash: str, frame: pl.DataFrame, part: str = "main") -> None:
        target = self.path(content_hash, part)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        frame.write_parquet(tmp)
        os.replace(tmp, target)

    def read(self, content_hash: str, part: str = "main") -> pl.DataFrame:
        return pl.read_parquet(self.path(content_hash, part))

    def paths(self, hashes: Iterable[str], part: str = "main") -> list[str]:
        return [str(self.path(h, part)) for h in sorted(set(hashes))]

    def scan(self, hashes: Iterable[str], schema: dict, part: str = "main") -> pl.LazyFrame:
        """These documents' cached rows; no rows, with the stage's columns, when there are none."""
        paths = self.paths(hashes, part)
        return pl.scan_parquet(paths) if paths else pl.LazyFrame(schema=schema)

    def prune(self, keep: set[str]) -> int:
        """Drop other code versions of this stage and entries for documents no longer present."""
        removed = 0
        for other in self.root.glob(f"{self.stage}-*"):
            if other != self.dir and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)
                removed += 1
        if self.dir.exists():
            for file in self.dir.glob("*/*.parquet"):
                if file.name.split(".", 1)[0] not in keep:
                    file.unlink(missing_ok=True)
                    removed += 1
            for tmp in self.dir.glob("*/.*.tmp"):
                tmp.unlink(missing_ok=True)
        return removed
