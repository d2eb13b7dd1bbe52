"""Resources: where the pipeline reads and writes, and how assets hand frames to each other."""


import os
from pathlib import Path

import dagster as dg
import polars as pl

from pipelines.settings import (
    ENV_RAW_DIR,
    ENV_STAGING_DIR,
    ENV_WAREHOUSE,
    Settings,
    settings_from_env,
)


class PipelineResource(dg.ConfigurableResource):
    """Paths and limits of one deployment; set through ENVREPORTS_* environment variables."""

    raw_dir: str
    warehouse: str
    staging_dir: str
    max_file_mb: float

    def settings(self) -> Settings:
        return Settings(
            raw_dir=Path(self.raw_dir),
            warehouse=Path(self.warehouse),
            staging_dir=Path(self.staging_dir),
            max_file_bytes=int(self.max_file_mb * 1024 * 1024),
        )


class PolarsParquetIOManager(dg.ConfigurableIOManager):
    """Asset outputs as Parquet files beside the stage caches, readable by any tool."""

    base_dir: str

    def _path(self, context: dg.OutputContext | dg.InputContext) -> Path:
        return Path(self.base_dir) / "assets" / f"{'__'.join(context.asset_key.path)}.parquet"

    def handle_output(self, context: dg.OutputContext, obj: pl.DataFrame) -> None:
        path = self._path(context)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        obj.write_parquet(tmp)
        os.replace(tmp, path)

    def load_input(self, context: dg.InputContext) -> pl.DataFrame:
        return pl.read_parquet(self._path(context))


def _from_env(name: str, default: str) -> str | dg.EnvVar:
    """EnvVar where the operator set one (shown as such in the UI), else the project default."""
    return dg.EnvVar(name) if os.environ.get(name) else default


def build_resources() -> dict[str, object]:
    defaults = settings_from_env()
    staging = _from_env(ENV_STAGING_DIR, str(defaults.staging_dir))
    return {
        "pipeline": PipelineResource(
            raw_dir=_from_env(ENV_RAW_DIR, str(defaults.raw_dir)),
            warehouse=_from_env(ENV_WAREHOUSE, str(defaults.warehouse)),
            staging_dir=staging,
            max_file_mb=defaults.max_file_bytes / 1024 / 1024,
        ),
        "io_manager": PolarsParquetIOManager(base_dir=staging),
    }


defs = dg.Definitions(resources=build_resources())

__all__ = ["PipelineResource", "PolarsParquetIOManager", "build_resources", "defs"]
