"""The same definitions run unchanged on other executors, chosen by configuration alone."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from pipelines.definitions import defs
from pipelines.defs.executor import ENV_EXECUTOR_CONFIG, executor_config, executor_from_env
from pipelines.settings import PROJECT_ROOT, shard_count

DEPLOY = PROJECT_ROOT / "deploy"


def _job_with(executor: dg.ExecutorDefinition) -> dg.JobDefinition:
    loaded = defs()
    assets = [a for a in loaded.assets if isinstance(a, dg.AssetsDefinition)]
    configured = dg.Definitions(
        assets=assets, resources=loaded.resources, executor=executor, jobs=[dg.define_asset_job("build")]
    )
    return configured.resolve_job_def("build")


@pytest.mark.parametrize(
    ("kind", "config_file", "name"),
    [
        ("in_process", None, "in_process"),
        ("multiprocess", None, "multiprocess_executor"),
        ("k8s", DEPLOY / "k8s" / "executor.yaml", "k8s_executor"),
        ("celery", DEPLOY / "celery" / "executor.yaml", "celery_executor"),
    ],
)
def test_definitions_load_and_validate_with_each_executor(kind: str, config_file: Path | None, name: str):
    environ = {"ENVREPORTS_EXECUTOR": kind, "ENVREPORTS_MAX_CONCURRENT": "4"}
    if config_file:
        environ[ENV_EXECUTOR_CONFIG] = str(config_file)
    executor = executor_from_env(environ)
    assert executor.name == name
    job = _job_with(executor)
    assert job.executor_def.name == name
    assert dg.validate_run_config(job, {}) is not None


def test_operator_yaml_is_merged_over_the_defaults():
    environ = {"ENVREPORTS_MAX_CONCURRENT": "3", ENV_EXECUTOR_CONFIG: str(DEPLOY / "k8s" / "executor.yaml")}
    config = executor_config("k8s", environ)
    assert config["job_namespace"] == "envreports"
    assert config["max_concurrent"] == 3
    assert config["volume_mounts"][0]["mount_path"] == "/data"


def test_unknown_executor_is_a_clear_error():
    with pytest.raises(ValueError, match="choose one of"):
        executor_from_env({"ENVREPORTS_EXECUTOR": "spark"})


@pytest.mark.parametrize(
    ("documents", "workers", "shards"), [(0, 2, 0), (5, 2, 1), (200, 2, 1), (201, 2, 2), (5000, 8, 8)]
)
def test_shards_keep_workers_busy_without_tiny_steps(documents: int, workers: int, shards: int):
    assert shard_count(documents, {"ENVREPORTS_MAX_CONCURRENT": str(workers)}) == shards
