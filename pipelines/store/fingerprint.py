"""Has anything changed since the published build? Content, file names and pipeline code.

A night with no new documents should cost a folder scan, not a rebuild: when the fingerprint
of the raw folder's content and of the code equals the one recorded at the last publish, the
build stops after discovery.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import polars as pl

from pipelines.settings import PROJECT_ROOT, Settings

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
    """True when the published warehouse and report were built from exactly this input and code."""
    record = _record(settings)
    if not (record.exists() and settings.warehouse.exists() and (settings.report_dir / "index.html").exists()):
        return False
    saved = json.loads(record.read_text(encoding="utf-8"))
    return saved == {"fingerprint": fingerprint, "warehouse": str(settings.warehouse)}


def record_published(fingerprint: str, settings: Settings) -> None:
    record = _record(settings)
    record.parent.mkdir(parents=True, exist_ok=True)
    tmp = record.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"fingerprint": fingerprint, "warehouse": str(settings.warehouse)}), encoding="utf-8")
    os.replace(tmp, record)
