"""Find the documents in the raw folder and fingerprint their content.

Content hashes, not names or mtimes, decide what work a build needs: the same bytes under
two names are read once, and an edited file is re-read even if its mtime lies.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import polars as pl

from pipelines.core.models import OK, SKIPPED

_CHUNK = 1 << 20

MANIFEST_SCHEMA = {
    "source_file": pl.String,
    "content_hash": pl.String,
    "size_bytes": pl.Int64,
    "extension": pl.String,
    "status": pl.String,
    "error": pl.String,
}


def content_hash(path: Path) -> str:
    """sha256 of the file, streamed so that huge files never sit in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _walk(raw_dir: Path):
    # os.walk does not descend into symlinked folders, which could leave the raw folder
    for folder, dirs, files in os.walk(raw_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(folder) / name


def discover(raw_dir: Path) -> pl.DataFrame:
    """One row per file under raw_dir, sorted by path; unsafe links get a status, not a read."""
    root = raw_dir.resolve()
    rows = []
    for path in _walk(raw_dir):
        rel = path.relative_to(raw_dir).as_posix()
        row = {
            "source_file": rel,
            "content_hash": None,
            "size_bytes": None,
            "extension": path.suffix.lower().lstrip("."),
            "status": OK,
            "error": None,
        }
        target = path.resolve()
        if path.is_symlink() and not target.is_relative_to(root):
            row |= {"status": SKIPPED, "error": "symbolic link to a file outside the raw folder: not followed"}
        elif not target.is_file():
            row |= {"status": SKIPPED, "error": "not a regular file (broken link, socket or device)"}
        else:
            try:
                row |= {"size_bytes": target.stat().st_size, "content_hash": content_hash(target)}
            except OSError as exc:
                row |= {"status": SKIPPED, "error": f"cannot open the file: {exc.strerror or exc}"}
        rows.append(row)
    return pl.DataFrame(rows, schema=MANIFEST_SCHEMA)
