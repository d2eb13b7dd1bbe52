"""Which executor runs the steps: chosen per run by run configuration, never at import.

The job's executor is `envreports_executor`, a choice of four:

    execution:
      config:
        multiprocess: {max_concurrent: 4}   # or in_process: {}, k8s: {...}, celery: {...}

`multiprocess` runs shards of documents in parallel processes forked from a server that preloaded
the code location; `in_process` runs everything in one process (least overhead on small
increments; `envreports build` picks it itself when there is at most one shard of work); `k8s`
runs one pod per step (dagster-k8s) and `celery` sends steps to Celery workers (dagster-celery).
Each option takes the config of the executor it names, over defaults (max_concurrent, the
forkserver) and the operator's YAML file named by ENVREPORTS_EXECUTOR_CONFIG (see deploy/). It is
validated when the run starts, so dagster-k8s and dagster-celery are imported only when chosen.
A run whose config names none (the UI's default, the schedule, the sensor) uses ENVREPORTS_EXECUTOR
(multiprocess when unset), read when the run starts.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from pathlib import Path

import dagster as dg
import yaml
from dagster._config import process_config
from dagster._core.definitions.executor_definition import ExecutorRequirement, multiple_process_executor_requirements
from dagster._core.executor.base import Executor

from pipelines.settings import ENV_EXECUTOR, settings_from_env

ENV_EXECUTOR_CONFIG = "ENVREPORTS_EXECUTOR_CONFIG"
DEFAULT_EXECUTOR = "multiprocess"
EXECUTORS = {
    "in_process": ("dagster", "in_process_executor"),
    "multiprocess": ("dagster", "multiprocess_executor"),
    "k8s": ("dagster_k8s", "k8s_job_executor"),
    "celery": ("dagster_celery", "celery_executor"),
}


def executor_config(kind: str, environ: Mapping[str, str]) -> dict:
    """Defaults for the kind, overridden by the operator's YAML file."""
    config: dict = {}
    if kind in ("multiprocess", "k8s"):
        config["max_concurrent"] = settings_from_env(environ).max_concurrent
    if kind == "multiprocess":
        # forking from a server that already imported the code location makes a step start in
        # well under a second instead of re-importing Dagster, polars and the PDF stack
        config["start_method"] = {"forkserver": {"preload_modules": ["pipelines.forkserver"]}}
    if path := environ.get(ENV_EXECUTOR_CONFIG):
        config |= yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return config


def execution_run_config(kind: str, environ: Mapping[str, str]) -> dict:
    """The `execution` block of run config that picks `kind` with its defaults and the operator's YAML."""
    _check_kind(kind)
    return {"config": {kind: executor_config(kind, environ)}}


def chosen_kind(config: Mapping[str, object], environ: Mapping[str, str]) -> str:
    """The executor named by run config, else by ENVREPORTS_EXECUTOR, else the default."""
    if len(config) > 1:
        raise dg.DagsterInvariantViolationError(f"execution config names {', '.join(config)}: choose one executor")
    kind = next(iter(config), None) or environ.get(ENV_EXECUTOR) or DEFAULT_EXECUTOR
    _check_kind(kind)
    return kind


def _check_kind(kind: str) -> None:
    if kind not in EXECUTORS:
        raise ValueError(f"executor {kind!r} (run config or {ENV_EXECUTOR}): choose one of {', '.join(EXECUTORS)}")


def _requirements(config: Mapping[str, object]) -> list[ExecutorRequirement]:
    if chosen_kind(config, os.environ) == "in_process":
        return []
    return list(multiple_process_executor_requirements())


@dg.executor(
    name="envreports_executor",
    config_schema={
        kind: dg.Field(dg.Permissive(), is_required=False, description=f"config of dagster's {module}.{name}")
        for kind, (module, name) in EXECUTORS.items()
    },
    requirements=_requirements,
)
def envreports_executor(init_context: dg.InitExecutorContext) -> Executor:
    """The executor the run config names, configured by it over the defaults."""
    kind = chosen_kind(init_context.executor_config, os.environ)
    module, name = EXECUTORS[kind]
    definition: dg.ExecutorDefinition = getattr(importlib.import_module(module), name)
    given = executor_config(kind, os.environ) | dict(init_context.executor_config.get(kind) or {})
    resolved = process_config(definition.config_schema.config_type, given)
    if not resolved.success:
        raise dg.DagsterInvalidConfigError(f"Invalid config for the {kind} executor", resolved.errors, given)
    return definition.executor_creation_fn(  # type: ignore[misc]
        dg.InitExecutorContext(
            job=init_context.job,
            executor_def=definition,
            executor_config=resolved.value,
            instance=init_context.instance,
        )
    )


defs = dg.Definitions(executor=envreports_executor)
