"""The asset checks of the published build, kept beside it.

A run that finds nothing changed stops at `raw_documents`, so the steps that evaluate the checks
never run and Dagster would show every check as skipped. The checks describe the published data,
which that run leaves as it was: so each publishing run records its check results here, and a
run that changes nothing reports them again as its own evaluations.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

import dagster as dg

from pipelines.settings import Settings

PUBLISHED_BY = "published_by_run"  # metadata entry naming the run whose evaluation is reported again


def _pending(settings: Settings, run_id: str) -> Path:
    return settings.staging_dir / "checks" / f"{run_id}.json"


def _published(settings: Settings) -> Path:
    return settings.staging_dir / "published_checks.json"


def _evaluation(result: dg.AssetCheckResult, run_id: str) -> dg.AssetCheckEvaluation:
    asset_key = result.asset_key if isinstance(result.asset_key, dg.AssetKey) else dg.AssetKey(result.asset_key)
    return dg.AssetCheckEvaluation(
        asset_key=asset_key,
        check_name=result.check_name,
        passed=result.passed,
        metadata={**result.metadata, PUBLISHED_BY: run_id},
        severity=result.severity,
        description=result.description,
    )


def _read(path: Path) -> list[dg.AssetCheckEvaluation]:
    try:
        return list(dg.deserialize_value(path.read_text(encoding="utf-8"), as_type=list))
    except (OSError, ValueError):  # none recorded yet, or a record from another Dagster version
        return []


def _write(path: Path, evaluations: list[dg.AssetCheckEvaluation]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(dg.serialize_value(evaluations), encoding="utf-8")
    os.replace(tmp, path)


def stage_results(settings: Settings, run_id: str, results: Iterable[dg.AssetCheckResult]) -> None:
    """Keep this run's check results until the run publishes (a run that does not publish leaves
    the published results as they were)."""
    path = _pending(settings, run_id)
    _write(path, [*_read(path), *(_evaluation(r, run_id) for r in results)])


def publish_results(settings: Settings, run_id: str, results: Iterable[dg.AssetCheckResult]) -> None:
    """Once the warehouse is published: this run's staged results and `results` become the published ones."""
    pending = _pending(settings, run_id)
    _write(_published(settings), [*_read(pending), *(_evaluation(r, run_id) for r in results)])
    pending.unlink(missing_ok=True)
    for stale in pending.parent.glob("*.json"):  # runs that never published, a day on
        if time.time() - stale.stat().st_mtime > 86_400:
            stale.unlink(missing_ok=True)


def report_published_results(context: dg.AssetExecutionContext, settings: Settings) -> int:
    """Log the published build's check results as this run's evaluations; returns how many."""
    planned = context.run.asset_check_selection  # None: the run plans every check of its job
    evaluations = [e for e in _read(_published(settings)) if planned is None or e.asset_check_key in planned]
    for evaluation in evaluations:
        context.log_event(evaluation)
    return len(evaluations)
