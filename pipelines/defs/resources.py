"""Resources: where the pipeline reads and writes, and how assets hand frames to each other."""

import os
import shutil
import time
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

__all__ = [
    "PipelineResource",
    "PolarsParquetIOManager",
    "build_resources",
    "defs",
    "prune_run_outputs",
    "resources_run_config",
]
