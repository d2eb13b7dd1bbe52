"""Where the pipeline reads and writes, from the environment with safe defaults.

One place decides the paths so that the CLI, `dg dev`, the schedule and the tests agree.
"""

from __future__ import annotations

import os
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


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse: Path
    staging_dir: Path
    max_file_bytes: int

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


def settings_from_env(environ: dict[str, str] | None = None) -> Settings:
    """Resolve paths; relative ones are taken from the project root, not the caller's cwd."""
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
    )


def max_concurrent(environ: dict[str, str] | None = None) -> int:
    """Parallel steps: ENVREPORTS_MAX_CONCURRENT, else one per CPU core."""
    env = os.environ if environ is None else environ
    return max(1, int(env.get(ENV_MAX_CONCURRENT) or os.cpu_count() or 1))


def shard_count(n_documents: int, environ: dict[str, str] | None = None) -> int:
    """Enough shards to keep every worker busy, but none smaller than the minimum shard size.

    A shard is one Dagster step; each step costs a process (or a pod) to start, so small
    nightly increments go in one shard and large rebuilds in one shard per worker.
    """
    env = os.environ if environ is None else environ
    min_size = max(1, int(env.get(ENV_SHARD_SIZE) or 200))
    return min(max_concurrent(env), -(-n_documents // min_size))


def lock_wait(environ: dict[str, str] | None = None) -> float:
    """Seconds a build waits for another build of the same warehouse: ENVREPORTS_LOCK_WAIT, else 30 min."""
    env = os.environ if environ is None else environ
    return float(env.get(ENV_LOCK_WAIT) or DEFAULT_LOCK_WAIT_S)
