"""The same definitions run unchanged on other executors, chosen by configuration alone."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import defs
from pipelines.defs.executor import ENV_EXECUTOR_CONFIG, executor_config, executor_from_env
from pipelines.settings import PROJECT_ROOT, shard_count
from tests.conftest import RAW

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


@pytest.mark.e2e
def test_the_multiprocess_executor_builds_the_same_warehouse_in_parallel_shards(sample_build: Path, tmp_path: Path):
    """Forked steps must neither deadlock on thread pools inherited from the preloaded server nor differ."""
    warehouse = tmp_path / "warehouse" / "envreports.duckdb"
    env = os.environ | {
        "ENVREPORTS_EXECUTOR": "multiprocess",
        "ENVREPORTS_MAX_CONCURRENT": "2",
        "ENVREPORTS_SHARD_SIZE": "3",  # 8 samples → 2 shard steps running side by side
    }
    env.pop("DAGSTER_HOME", None)
    result = subprocess.run(
        [
            str(PROJECT_ROOT / ".venv" / "bin" / "envreports"),
            "build",
            "--raw-dir",
            str(RAW),
            "--warehouse",
            str(warehouse),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "process_document_shard[shard_1]" in result.stdout + result.stderr
    query = "SELECT fact_key, value FROM fact_indicator ORDER BY fact_key"
    with (
        duckdb.connect(str(warehouse), read_only=True) as parallel,
        duckdb.connect(str(sample_build), read_only=True) as serial,
    ):
        facts = parallel.execute(query).fetchall()
        assert facts == serial.execute(query).fetchall()
        assert len(facts) > 100
