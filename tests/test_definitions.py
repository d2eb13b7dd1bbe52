"""The code location loads, and its schedule and sensor behave under Dagster's test utilities."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from pipelines.definitions import defs
from pipelines.defs.automation.jobs import build_warehouse_job
from pipelines.defs.automation.schedules import nightly_build
from pipelines.defs.automation.sensors import raw_folder_sensor
from pipelines.defs.resources import PipelineResource

EXPECTED_ASSETS = {
    "raw_documents",
    "document_texts",
    "clean_texts",
    "extracted_facts",
    "document_contexts",
    "normalised_facts",
    "validated_facts",
    "rejected_facts",
    "warehouse",
}


@pytest.fixture(scope="module")
def definitions() -> dg.Definitions:
    return defs()


def test_assets_checks_schedule_and_sensor_load(definitions: dg.Definitions):
    keys = {k.to_user_string() for k in definitions.resolve_all_asset_keys()}
    assert keys >= EXPECTED_ASSETS
    checks = {k.name for k in definitions.resolve_asset_graph().asset_check_keys}
    assert {"fact_rows_plausible", "fact_table_structure", "documents_consistent"} <= checks
    assert definitions.resolve_schedule_def("nightly_build").execution_timezone == "Asia/Shanghai"
    assert definitions.resolve_sensor_def("raw_folder_sensor") is not None
    for spec in definitions.resolve_all_asset_specs():
        assert spec.description, f"{spec.key} has no description"
        assert spec.group_name != "default", f"{spec.key} has no group"


def test_job_config_validates(definitions: dg.Definitions):
    job = definitions.resolve_job_def("build_warehouse")
    assert dg.validate_run_config(job, {}) is not None


def test_nightly_schedule_runs_at_two_in_shanghai():
    assert nightly_build.cron_schedule == "0 2 * * *"
    context = dg.build_schedule_context(scheduled_execution_time=None)
    requests = list(nightly_build.evaluate_tick(context).run_requests or [])
    assert len(requests) == 1
    assert nightly_build.job_name == build_warehouse_job.name


def _pipeline(raw: Path, tmp: Path) -> PipelineResource:
    return PipelineResource(
        raw_dir=str(raw), warehouse=str(tmp / "wh.duckdb"), staging_dir=str(tmp / "staging"), max_file_mb=1
    )


def test_sensor_requests_a_run_only_when_the_folder_changes(tmp_path: Path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("优良天数226天", encoding="utf-8")
    pipeline = _pipeline(raw, tmp_path)

    first = raw_folder_sensor(dg.build_sensor_context(cursor=None, resources={"pipeline": pipeline}))
    assert isinstance(first, dg.RunRequest)
    ctx = dg.build_sensor_context(cursor=first.run_key, resources={"pipeline": pipeline})
    assert isinstance(raw_folder_sensor(ctx), dg.SkipReason)

    (raw / "b.txt").write_text("新文件", encoding="utf-8")
    again = raw_folder_sensor(dg.build_sensor_context(cursor=first.run_key, resources={"pipeline": pipeline}))
    assert isinstance(again, dg.RunRequest) and again.run_key != first.run_key
