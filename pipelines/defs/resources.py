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
    """Paths and limits of one deployment; unset fields come from ENVREPORTS_* at run time."""

    raw_dir: str | None = None
    warehouse: str | None = None
    staging_dir: str | None = None
    max_file_mb: float | None = None

    def settings(self) -> Settings:
        env = settings_from_env()
        return Settings(
            raw_dir=Path(self.raw_dir) if self.raw_dir else env.raw_dir,
            warehouse=Path(self.warehouse) if self.warehouse else env.warehouse,
            staging_dir=Path(self.staging_dir) if self.staging_dir else env.staging_dir,
            max_file_bytes=int(self.max_file_mb * 1024 * 1024) if self.max_file_mb else env.max_file_bytes,
        )


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


def _from_env(name: str) -> dg.EnvVar | None:
    """EnvVar where the operator set one (the UI shows it as such); else resolved at run time."""
    return dg.EnvVar(name) if os.environ.get(name) else None


def build_resources() -> dict[str, object]:
    return {
        "pipeline": PipelineResource(
            raw_dir=_from_env(ENV_RAW_DIR),
            warehouse=_from_env(ENV_WAREHOUSE),
            staging_dir=_from_env(ENV_STAGING_DIR),
            max_file_mb=None,
        ),
        "io_manager": PolarsParquetIOManager(base_dir=_from_env(ENV_STAGING_DIR)),
        # small hand-offs between the ops of one graph (shard lists, counts), kept in Dagster's storage
        "step_io_manager": dg.FilesystemIOManager(),
    }


defs = dg.Definitions(resources=build_resources())

__all__ = ["PipelineResource", "PolarsParquetIOManager", "build_resources", "defs"]
