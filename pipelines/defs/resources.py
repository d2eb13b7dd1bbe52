"""Resources: where the pipeline reads and writes, and how assets hand frames to each other."""

import os
from pathlib import Path

import dagster as dg
import polars as pl

from pipelines.settings import (
    ENV_MAX_CONCURRENT,
    ENV_MAX_FILE_MB,
    ENV_RAW_DIR,
    ENV_SHARD_SIZE,
    ENV_STAGING_DIR,
    ENV_WAREHOUSE,
    Settings,
    settings_from_env,
)

MB = 1024 * 1024


class PipelineResource(dg.ConfigurableResource):
    """Paths and limits of one deployment, as resource config.

    Each field is the ENVREPORTS_* variable of the same meaning (`ENV_BY_FIELD`); a field left
    unset falls back to that variable when the run starts, then to the default in settings.py.
    """

    raw_dir: str | None = None
    warehouse: str | None = None
    staging_dir: str | None = None
    max_file_mb: float | None = None
    max_concurrent: int | None = None
    shard_size: int | None = None

    def settings(self) -> Settings:
        values = {env: getattr(self, name) for name, env in ENV_BY_FIELD.items()}
        return settings_from_env({**os.environ, **{env: str(v) for env, v in values.items() if v is not None}})


ENV_BY_FIELD = {
    "raw_dir": ENV_RAW_DIR,
    "warehouse": ENV_WAREHOUSE,
    "staging_dir": ENV_STAGING_DIR,
    "max_file_mb": ENV_MAX_FILE_MB,
    "max_concurrent": ENV_MAX_CONCURRENT,
    "shard_size": ENV_SHARD_SIZE,
}


class PolarsParquetIOManager(dg.ConfigurableIOManager):
    """Asset outputs as Parquet files beside the stage caches, readable by any tool."""

    base_dir: str | None = None

    def _path(self, context: dg.OutputContext | dg.InputContext) -> Path:
        base = Path(self.base_dir) if self.base_dir else settings_from_env().staging_dir
        return base / "assets" / f"{'__'.join(context.asset_key.path)}.parquet"

    def handle_output(self, context: dg.OutputContext, obj: pl.DataFrame) -> None:
        path = self._path(context)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        obj.write_parquet(tmp)
        os.replace(tmp, path)

    def load_input(self, context: dg.InputContext) -> pl.DataFrame:
        return pl.read_parquet(self._path(context))


def resources_run_config(settings: Settings) -> dict:
    """Run config that pins every resource field to these settings (what `envreports build` passes)."""
    return {
        "pipeline": {
            "config": {
                "raw_dir": str(settings.raw_dir),
                "warehouse": str(settings.warehouse),
                "staging_dir": str(settings.staging_dir),
                "max_file_mb": settings.max_file_bytes / MB,
                "max_concurrent": settings.max_concurrent,
                "shard_size": settings.shard_size,
            }
        },
        "io_manager": {"config": {"base_dir": str(settings.staging_dir)}},
    }


def _from_env(name: str, kind: type = str) -> dg.EnvVar | None:
    """EnvVar where the operator set one (the UI shows it as such); else resolved at run time."""
    if not os.environ.get(name):
        return None
    return dg.EnvVar.int(name) if kind is int else dg.EnvVar(name)


def build_resources() -> dict[str, object]:
    return {
        "pipeline": PipelineResource(
            raw_dir=_from_env(ENV_RAW_DIR),
            warehouse=_from_env(ENV_WAREHOUSE),
            staging_dir=_from_env(ENV_STAGING_DIR),
            max_concurrent=_from_env(ENV_MAX_CONCURRENT, int),
            shard_size=_from_env(ENV_SHARD_SIZE, int),
        ),
        "io_manager": PolarsParquetIOManager(base_dir=_from_env(ENV_STAGING_DIR)),
        # small hand-offs between the ops of one graph (shard lists, counts), kept in Dagster's storage
        "step_io_manager": dg.FilesystemIOManager(),
    }


defs = dg.Definitions(resources=build_resources())

__all__ = ["PipelineResource", "PolarsParquetIOManager", "build_resources", "defs", "resources_run_config"]
