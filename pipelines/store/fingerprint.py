"""Has anything changed since the published build? Content, file names and pipeline code.

A night with no new documents should cost a folder scan, not a rebuild: when the fingerprint
of the raw folder's content and of the code equals the one recorded at the last publish, and the
published file still opens with the row counts recorded with it, the build stops after discovery.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from pathlib import Path

import duckdb
import polars as pl

from pipelines.settings import PROJECT_ROOT, Settings
from pipelines.store.warehouse import published_counts

log = logging.getLogger(__name__)

_CODE_GLOBS = ("pipelines/**/*.py", "pipelines/**/*.csv", "pipelines/report/**/*.*", "sql/**/*.sql")


def code_fingerprint() -> str:
    """Hash of every file that can change what a build produces."""
    digest = hashlib.sha256()
    files = sorted({p for pattern in _CODE_GLOBS for p in PROJECT_ROOT.glob(pattern) if p.is_file()})
    for path in files:
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_fingerprint(manifest: pl.DataFrame, settings: Settings) -> str:
    """Hash of the manifest (paths, hashes, statuses), the size limit and the code."""
    rows = manifest.select("source_file", "content_hash", "status", "size_bytes").sort("source_file").rows()
    payload = json.dumps([rows, settings.max_file_bytes, code_fingerprint()], ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def _record(settings: Settings) -> Path:
    return settings.staging_dir / "published.json"


def is_published(fingerprint: str, settings: Settings) -> bool:
    """True when the published warehouse and report were built from exactly this input and code,
    and the published file still opens with the row counts it was published with.

    A record that cannot be read is ignored with a warning (the build then publishes afresh),
    and so is a warehouse that cannot be opened or no longer holds what was published.
    """
    record = _record(settings)
    if not (record.exists() and settings.warehouse.exists() and (settings.report_dir / "index.html").exists()):
        return False
    try:
        saved = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        log.warning("ignoring the unreadable publish record %s (%s): building afresh", record, exc)
        return False
    if not isinstance(saved, dict) or {k: saved.get(k) for k in ("fingerprint", "warehouse")} != {
        "fingerprint": fingerprint,
        "warehouse": str(settings.warehouse),
    }:
        return False
    try:
        counts = published_counts(settings.warehouse)
    except duckdb.Error as exc:
        log.warning("the published warehouse %s cannot be read (%s): rebuilding it", settings.warehouse, exc)
        return False
    if counts != saved.get("row_counts"):
        log.warning(
            "the published warehouse %s holds %s rows, not the %s it was published with: rebuilding it",
            settings.warehouse,
            counts,
            saved.get("row_counts"),
        )
        return False
    return True


def record_published(fingerprint: str, settings: Settings) -> None:
    """Record the build's fingerprint and the published file's row counts, for `is_published`."""
    record = _record(settings)
    record.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "fingerprint": fingerprint,
        "warehouse": str(settings.warehouse),
        "row_counts": published_counts(settings.warehouse),
    }
    tmp = record.with_name(f".{record.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(json.dumps(payload), encoding="utf-8")
    os.replace(tmp, record)
