"""Which executor runs the steps: chosen by configuration (environment), never by code changes.

ENVREPORTS_EXECUTOR picks it: `multiprocess` (default; shards of documents run in parallel
processes forked from a server that preloaded the code location), `in_process` (one process,
least overhead on small increments; `envreports build` picks it itself when the variable is unset
and there is at most one shard of work), `k8s` (one pod per step, dagster-k8s) or `celery` (Celery
workers, dagster-celery). ENVREPORTS_EXECUTOR_CONFIG may name a YAML file whose keys are merged
into the executor's config (image, namespace, volumes, broker …); see deploy/.
"""

import importlib
import os
from pathlib import Path

import dagster as dg
import yaml

from pipelines.settings import ENV_EXECUTOR, max_concurrent

ENV_EXECUTOR_CONFIG = "ENVREPORTS_EXECUTOR_CONFIG"
DEFAULT_EXECUTOR = "multiprocess"
EXECUTORS = {
    "in_process": ("dagster", "in_process_executor"),
    "multiprocess": ("dagster", "multiprocess_executor"),
    "k8s": ("dagster_k8s", "k8s_job_executor"),
    "celery": ("dagster_celery", "celery_executor"),
}


def executor_config(kind: str, environ: dict[str, str]) -> dict:
    """Defaults for the kind, overridden by the operator's YAML file."""
    config: dict = {}
    if kind in ("multiprocess", "k8s"):
        config["max_concurrent"] = max_concurrent(environ)
    if kind == "multiprocess":
        # forking from a server that already imported the code location makes a step start in
        # well under a second instead of re-importing Dagster, polars and the PDF stack
        config["start_method"] = {"forkserver": {"preload_modules": ["pipelines.forkserver"]}}
    if path := environ.get(ENV_EXECUTOR_CONFIG):
        config |= yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return config


def executor_from_env(environ: dict[str, str] | None = None) -> dg.ExecutorDefinition:
    env = os.environ if environ is None else environ
    kind = env.get(ENV_EXECUTOR) or DEFAULT_EXECUTOR
    if kind not in EXECUTORS:
        raise ValueError(f"{ENV_EXECUTOR}={kind!r}: choose one of {', '.join(EXECUTORS)}")
    module, name = EXECUTORS[kind]
    executor: dg.ExecutorDefinition = getattr(importlib.import_module(module), name)
    config = executor_config(kind, env)
    return executor.configured(config, name=f"{kind}_executor") if config else executor


defs = dg.Definitions(executor=executor_from_env())
