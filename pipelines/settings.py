"""Where the pipeline reads and writes and how it splits work, with safe defaults.

One place decides every setting so that the CLI, `dg dev`, the schedule and the tests agree. The
values reach the job as resource config (`PipelineResource`, whose unset fields fall back to the
ENVREPORTS_* variables below when the run starts); nothing here writes to the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

ENV_RAW_DIR = "ENVREPORTS_RAW_DIR"
ENV_WAREHOUSE = "ENVREPORTS_WAREHOUSE"
ENV_STAGING_DIR = "ENVREPORTS_STAGING_DIR"
ENV_MAX_FILE_MB = "ENVREPORTS_MAX_FILE_MB"
ENV_EXECUTOR = "ENVREPORTS_EXECUTOR"
ENV_MAX_CONCURRENT = "ENVREPORTS_MAX_CONCURRENT"
ENV_SHARD_SIZE = "ENVREPORTS_SHARD_SIZE"
ENV_LOCK_WAIT = "ENVREPORTS_LOCK_WAIT"

DEFAULT_MAX_FILE_MB = 50
DEFAULT_LOCK_WAIT_S = 1800.0
DEFAULT_SHARD_SIZE = 200


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse: Path
    staging_dir: Path
    max_file_bytes: int
    max_concurrent: int = 1
    """parallel steps (document shards) the executor runs at once"""
    shard_size: int = DEFAULT_SHARD_SIZE
    """smallest shard of documents worth a step of its own"""

    @property
    def data_docs_dir(self) -> Path:
        return self.warehouse.parent / "data_docs"

    @property
    def report_dir(self) -> Path:
        return self.warehouse.parent / "report"

    @property
    def outputs(self) -> tuple[Path, ...]:
        """Everything a build writes: discovery leaves these out should they lie in the raw folder."""
        return (self.warehouse, self.staging_dir, self.report_dir, self.data_docs_dir)


def settings_from_env(environ: Mapping[str, str] | None = None) -> Settings:
    """Resolve every setting; relative paths are taken from the project root, not the caller's cwd."""
    env = os.environ if environ is None else environ

    def path(name: str, default: Path) -> Path:
        value = env.get(name)
        p = Path(value) if value else default
        return p if p.is_absolute() else (PROJECT_ROOT / p)

    warehouse = path(ENV_WAREHOUSE, PROJECT_ROOT / "warehouse" / "envreports.duckdb")
    return Settings(
        raw_dir=path(ENV_RAW_DIR, PROJECT_ROOT / "raw"),
        warehouse=warehouse,
        staging_dir=path(ENV_STAGING_DIR, warehouse.parent / "staging"),
        max_file_bytes=int(float(env.get(ENV_MAX_FILE_MB) or DEFAULT_MAX_FILE_MB) * 1024 * 1024),
        max_concurrent=max(1, int(env.get(ENV_MAX_CONCURRENT) or os.cpu_count() or 1)),
        shard_size=max(1, int(env.get(ENV_SHARD_SIZE) or DEFAULT_SHARD_SIZE)),
    )


def shard_count(n_documents: int, settings: Settings) -> int:
    """Enough shards to keep every worker busy, but none smaller than the minimum shard size.

    A shard is one Dagster step; each step costs a process (or a pod) to start, so small
    nightly increments go in one shard and large rebuilds in one shard per worker.
    """
    return min(settings.max_concurrent, -(-n_documents // settings.shard_size))


def lock_wait(environ: dict[str, str] | None = None) -> float:
    """Seconds a build waits for another build of the same warehouse: ENVREPORTS_LOCK_WAIT, else 30 min."""
    env = os.environ if environ is None else environ
    return float(env.get(ENV_LOCK_WAIT) or DEFAULT_LOCK_WAIT_S)
