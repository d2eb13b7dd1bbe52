"""Resources: where the pipeline reads and writes, and how assets hand frames to each other."""

import os
import shutil
import time
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
    """Asset outputs as Parquet files beside the stage caches, readable by any tool.

    Each run writes under `assets/runs/<run id>/`, so two runs never read each other's frames;
    an asset not materialised in this run is read from the run that last materialised it.
    """

    base_dir: str | None = None

    def _base(self) -> Path:
        return Path(self.base_dir) if self.base_dir else settings_from_env().staging_dir

    def handle_output(self, context: dg.OutputContext, obj: pl.DataFrame) -> None:
        path = run_output_path(self._base(), context.run_id, context.asset_key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        obj.write_parquet(tmp)
        os.replace(tmp, path)

    def load_input(self, context: dg.InputContext) -> pl.DataFrame:
        upstream = context.upstream_output
        try:
            run_id = upstream.run_id if upstream is not None else None
        except dg.DagsterInvariantViolationError:  # not produced by this run (or its re-executed parent)
            run_id = None
        if run_id is None:
            latest = context.instance.get_latest_materialization_event(context.asset_key)
            if latest is None:
                raise dg.Failure(f"{context.asset_key.to_user_string()} was never materialised; run the whole job")
            run_id = latest.run_id
        return pl.read_parquet(run_output_path(self._base(), run_id, context.asset_key))


def run_output_path(base: Path, run_id: str, asset_key: dg.AssetKey) -> Path:
    return base / "assets" / "runs" / run_id / f"{'__'.join(asset_key.path)}.parquet"


def prune_run_outputs(base: Path, instance: dg.DagsterInstance, min_age_s: float = 86_400) -> int:
    """Drop other runs' asset outputs once no one can need them; returns how many folders went.

    Kept: runs still going, and runs holding some asset's latest materialisation (a later run of
    part of the graph reads them). Runs this instance does not know (the CLI's throw-away instance)
    are dropped only when a day old, in case another instance's run is still using them.
    """
    removed = 0
    for folder in (base / "assets" / "runs").glob("*"):
        run = instance.get_run_by_id(folder.name)
        if run is None:
            if time.time() - folder.stat().st_mtime < min_age_s:
                continue
        elif not run.is_finished or any(
            (latest := instance.get_latest_materialization_event(dg.AssetKey(file.stem.split("__"))))
            and latest.run_id == folder.name
            for file in folder.glob("*.parquet")
        ):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed


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

__all__ = ["PipelineResource", "PolarsParquetIOManager", "build_resources", "defs", "prune_run_outputs"]
