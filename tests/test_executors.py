"""The same definitions run unchanged on every executor, chosen by run configuration alone."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.cli import descendants
from pipelines.definitions import defs
from pipelines.defs.executor import (
    ENV_EXECUTOR_CONFIG,
    EXECUTORS,
    chosen_kind,
    envreports_executor,
    execution_run_config,
    executor_config,
)
from pipelines.defs.resources import PipelineResource, resources_run_config
from pipelines.settings import PROJECT_ROOT, settings_from_env, shard_count
from tests.conftest import RAW, build

DEPLOY = PROJECT_ROOT / "deploy"
BIN = Path(sys.executable).parent
FACTS = "SELECT fact_key, value FROM fact_indicator ORDER BY fact_key"


def _job() -> dg.JobDefinition:
    return defs().resolve_job_def("build_warehouse")


def _child_env(**settings: str) -> dict[str, str]:
    """The test's environment for a child process, without the operator's instance or settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENVREPORTS_") and k != "DAGSTER_HOME"}
    return env | settings


# -- choosing the executor ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "config_file", "executor_type"),
    [
        ("in_process", None, "InProcessExecutor"),
        ("multiprocess", None, "MultiprocessExecutor"),
        ("k8s", DEPLOY / "k8s" / "executor.yaml", None),
        ("celery", DEPLOY / "celery" / "executor.yaml", "CeleryExecutor"),
    ],
)
def test_run_config_chooses_and_configures_each_executor(
    kind: str, config_file: Path | None, executor_type: str | None, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("ENVREPORTS_CELERY_BROKER", "redis://127.0.0.1:1/0")  # read when the run starts
    monkeypatch.setenv("ENVREPORTS_CELERY_BACKEND", "redis://127.0.0.1:1/1")
    environ = {"ENVREPORTS_MAX_CONCURRENT": "4"}
    if config_file:
        environ[ENV_EXECUTOR_CONFIG] = str(config_file)
    job = _job()
    assert job.executor_def is envreports_executor
    execution = execution_run_config(kind, environ)
    assert dg.validate_run_config(job, {"execution": execution}) is not None
    if executor_type is None:  # building the k8s executor needs a cluster's credentials
        return
    with dg.instance_for_test() as instance:
        executor = envreports_executor.executor_creation_fn(
            dg.InitExecutorContext(
                job=dg.reconstructable(_job_for_executor_test),
                executor_def=envreports_executor,
                executor_config=execution["config"],
                instance=instance,
            )
        )
    assert type(executor).__name__ == executor_type


def _job_for_executor_test() -> dg.JobDefinition:
    return _job()


def test_the_executor_is_not_chosen_at_import(monkeypatch: pytest.MonkeyPatch):
    """An executor named in the environment is read when a run starts, and run config overrides it."""
    monkeypatch.setenv("ENVREPORTS_EXECUTOR", "no-such-executor")
    assert _job().executor_def is envreports_executor  # the definitions load whatever the variable says
    assert chosen_kind({"in_process": {}}, os.environ) == "in_process"
    with pytest.raises(ValueError, match="choose one of"):
        chosen_kind({}, os.environ)
    assert chosen_kind({}, {}) == "multiprocess"
    with pytest.raises(dg.DagsterInvariantViolationError, match="choose one executor"):
        chosen_kind({"in_process": {}, "celery": {}}, {})


def test_operator_yaml_is_merged_over_the_defaults():
    environ = {"ENVREPORTS_MAX_CONCURRENT": "3", ENV_EXECUTOR_CONFIG: str(DEPLOY / "k8s" / "executor.yaml")}
    config = executor_config("k8s", environ)
    assert config["job_namespace"] == "envreports"
    assert config["max_concurrent"] == 3
    assert config["volume_mounts"][0]["mount_path"] == "/data"


def test_unknown_executor_is_a_clear_error(tmp_path: Path):
    with pytest.raises(ValueError, match="choose one of"):
        execution_run_config("spark", {})
    assert build(RAW, tmp_path / "w.duckdb", "--executor", "spark") == 2


def test_every_executor_has_a_config_option():
    assert set(envreports_executor.config_schema.config_type.fields) == set(EXECUTORS)


# -- settings as resource config ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("documents", "workers", "shards"), [(0, 2, 0), (5, 2, 1), (200, 2, 1), (201, 2, 2), (5000, 8, 8)]
)
def test_shards_keep_workers_busy_without_tiny_steps(documents: int, workers: int, shards: int):
    assert shard_count(documents, PipelineResource(max_concurrent=workers).settings()) == shards


def test_resource_fields_override_the_environment_which_fills_the_rest(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ENVREPORTS_SHARD_SIZE", "7")
    monkeypatch.setenv("ENVREPORTS_RAW_DIR", "/from/env")
    settings = PipelineResource(raw_dir="/from/config", max_file_mb=0.5).settings()
    assert settings.raw_dir == Path("/from/config")
    assert settings.max_file_bytes == 512 * 1024
    assert settings.shard_size == 7


def test_run_config_round_trips_every_setting():
    settings = settings_from_env({"ENVREPORTS_WAREHOUSE": "/w/e.duckdb", "ENVREPORTS_MAX_FILE_MB": "3"})
    config = resources_run_config(settings)
    assert PipelineResource(**config["pipeline"]["config"]).settings() == settings
    assert dg.validate_run_config(_job(), {"resources": config}) is not None


def test_a_build_leaves_the_environment_alone(tmp_path: Path):
    """Paths and the executor travel as run config; the CLI no longer writes them into os.environ."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "002_1476e9828541749f.txt", raw)
    before = dict(os.environ)
    assert build(raw, tmp_path / "warehouse" / "envreports.duckdb") == 0
    assert dict(os.environ) == before
    with duckdb.connect(str(tmp_path / "warehouse" / "envreports.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM v_documents").fetchone() == (1,)


# -- other executors, end to end ------------------------------------------------------------------


def _envreports_build(warehouse: Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
    command = [str(BIN / "envreports"), "build", "--raw-dir", str(RAW), "--warehouse", str(warehouse)]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)


def _same_facts(warehouse: Path, reference: Path) -> None:
    with (
        duckdb.connect(str(warehouse), read_only=True) as built,
        duckdb.connect(str(reference), read_only=True) as serial,
    ):
        facts = built.execute(FACTS).fetchall()
        assert facts == serial.execute(FACTS).fetchall()
        assert len(facts) > 100


@pytest.mark.e2e
def test_the_multiprocess_executor_builds_the_same_warehouse_in_parallel_shards(sample_build: Path, tmp_path: Path):
    """Forked steps must neither deadlock on thread pools inherited from the preloaded server nor differ."""
    warehouse = tmp_path / "warehouse" / "envreports.duckdb"
    env = _child_env(
        ENVREPORTS_EXECUTOR="multiprocess",
        ENVREPORTS_MAX_CONCURRENT="2",
        ENVREPORTS_SHARD_SIZE="3",  # 8 samples → 2 shard steps running side by side
    )
    result = _envreports_build(warehouse, env, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "process_document_shard[shard_1]" in result.stdout + result.stderr
    _same_facts(warehouse, sample_build)


SLOW_STEPS = """
import os, signal, time
import pipelines.stages as stages

def process_documents(*args, **kwargs):
    # a document stuck in native code, which never sees Dagster's interrupt
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    open(os.path.join(os.environ["SLOW_STEP_MARKS"], str(os.getpid())), "w").close()
    time.sleep(600)

stages.process_documents = process_documents
"""


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for its parent to reap it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _command(pid: int) -> str:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:300]
    return f"{pid} (gone)"


@pytest.mark.e2e
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process tree from /proc")
def test_sigterm_stops_the_step_processes_of_a_multiprocess_build(tmp_path: Path):
    """Killing the CLI must not leave its step processes working for minutes."""
    site, marks = tmp_path / "site", tmp_path / "marks"
    site.mkdir()
    marks.mkdir()
    (site / "sitecustomize.py").write_text(SLOW_STEPS)  # loaded by every Python process of the build
    env = _child_env(
        PYTHONPATH=str(site),
        SLOW_STEP_MARKS=str(marks),
        ENVREPORTS_EXECUTOR="multiprocess",
        ENVREPORTS_MAX_CONCURRENT="2",
        ENVREPORTS_SHARD_SIZE="3",
    )
    command = [str(BIN / "envreports"), "build", "--raw-dir", str(RAW), "--warehouse", str(tmp_path / "w.duckdb")]
    cli = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tree: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while len(list(marks.iterdir())) < 2:
            assert cli.poll() is None and time.monotonic() < deadline, "the shard steps never started"
            time.sleep(0.2)
        tree = set(descendants(cli.pid))
        steps = {int(p.name) for p in marks.iterdir()}
        assert steps <= tree
        cli.send_signal(signal.SIGTERM)
        cli.wait(timeout=30)
        deadline = time.monotonic() + 5
        while (left := [pid for pid in tree if _alive(pid)]) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not left, [_command(pid) for pid in left]
    finally:
        for pid in [cli.pid, *tree]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        cli.wait(timeout=10)


# -- Celery with a real broker --------------------------------------------------------------------

REDIS_SERVER = shutil.which("redis-server")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(processes: list[subprocess.Popen], first: signal.Signals = signal.SIGTERM, grace: float = 5.0) -> None:
    """`first` to each process's own session at once, SIGKILL to whatever is left after `grace` seconds."""
    for sig in (first, signal.SIGKILL):
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
        deadline = time.monotonic() + grace
        for process in processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
        if all(process.returncode is not None for process in processes):
            return


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A throw-away Redis on a free loopback port, stopped even when the test fails."""
    if not REDIS_SERVER:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed; .ci/run installs it")
        pytest.skip("redis-server is not installed (apt-get install redis-server); in CI this test fails instead")
    port = _free_port()
    log = (tmp_path / "redis.log").open("w")
    server = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            assert server.poll() is None, (tmp_path / "redis.log").read_text()
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert time.monotonic() < deadline, "redis-server did not start listening"
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}"
    finally:
        _stop([server])
        log.close()


@pytest.fixture
def celery_workers(redis_url: str, tmp_path: Path) -> Iterator[list[Path]]:
    """Two Celery workers on Dagster's queue, one step at a time each; their logs are yielded."""
    workers, logs = [], []
    try:
        for n in (1, 2):
            logs.append(tmp_path / f"worker{n}.log")
            with logs[-1].open("w") as log:
                workers.append(
                    subprocess.Popen(
                        [
                            *(sys.executable, "-m", "celery", "-A", "dagster_celery.app"),
                            *("-b", f"{redis_url}/0", "--result-backend", f"{redis_url}/1"),
                            *("worker", "-Q", "dagster", "-n", f"worker{n}@%h", "--pool", "solo"),
                            *("--prefetch-multiplier=1", "--loglevel", "INFO"),
                        ],
                        env=_child_env(),
                        cwd=tmp_path,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
        yield logs
    finally:
        _stop(workers, signal.SIGQUIT)  # a cold shutdown: the steps are done, or the test failed


@pytest.mark.e2e
def test_the_celery_executor_builds_the_same_warehouse_on_two_workers(
    sample_build: Path, redis_url: str, celery_workers: list[Path], tmp_path: Path
):
    """Every step goes through the broker to a worker, with deploy/celery/executor.yaml as documented."""
    warehouse = tmp_path / "warehouse" / "envreports.duckdb"
    env = _child_env(
        ENVREPORTS_EXECUTOR="celery",
        ENVREPORTS_EXECUTOR_CONFIG=str(DEPLOY / "celery" / "executor.yaml"),
        ENVREPORTS_CELERY_BROKER=f"{redis_url}/0",
        ENVREPORTS_CELERY_BACKEND=f"{redis_url}/1",
        ENVREPORTS_MAX_CONCURRENT="2",
        ENVREPORTS_SHARD_SIZE="3",  # 8 samples → 2 shard steps, one per worker when both are free
    )
    result = _envreports_build(warehouse, env, timeout=90)
    worker_logs = "".join(log.read_text() for log in celery_workers)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:] + worker_logs[-3000:]
    for n, log in enumerate(celery_workers, 1):
        assert f"worker{n}@" in log.read_text() and "ready." in log.read_text()
    for step in ("raw_documents", "process_document_shard[shard_0]", "process_document_shard[shard_1]", "warehouse"):
        assert f'{step}"' in worker_logs, f"step {step} did not run on a Celery worker"
    _same_facts(warehouse, sample_build)
