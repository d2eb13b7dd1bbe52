"""The code location loads, and its schedule and sensor behave under Dagster's test utilities."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from pipelines.definitions import defs
from pipelines.defs.automation.jobs import build_warehouse_job
from pipelines.defs.automation.schedules import nightly_build
from pipelines.defs.automation.sensors import raw_folder_sensor
from pipelines.defs.resources import PipelineResource

EXPECTED_ASSETS = {
    "raw_documents",
    "read_results",
    "clean_results",
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
    assert {"fact_rows_plausible", "fact_table_structure", "documents_consistent", "documents_readable"} <= checks
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

    first, cursor = _tick(pipeline, None)
    assert isinstance(first, dg.RunRequest)
    unchanged, cursor = _tick(pipeline, cursor)
    assert isinstance(unchanged, dg.SkipReason)

    (raw / "b.txt").write_text("新文件", encoding="utf-8")
    again, cursor = _tick(pipeline, cursor)
    assert isinstance(again, dg.RunRequest) and again.run_key != first.run_key


def _tick(pipeline: PipelineResource, cursor: str | None) -> tuple[dg.RunRequest | dg.SkipReason, str | None]:
    """One sensor evaluation: its result and the cursor it leaves for the next."""
    context = dg.build_sensor_context(cursor=cursor, resources={"pipeline": pipeline})
    return raw_folder_sensor(context), context.cursor


def test_sensor_starts_a_build_when_the_folder_goes_back_to_an_earlier_state(tmp_path: Path):
    """Dagster never launches a run key twice: removing what a change added must still get a new key."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("优良天数226天", encoding="utf-8")
    pipeline = _pipeline(raw, tmp_path)
    first, cursor = _tick(pipeline, None)
    (raw / "b.txt").write_text("新文件", encoding="utf-8")
    second, cursor = _tick(pipeline, cursor)
    (raw / "b.txt").unlink()
    back, cursor = _tick(pipeline, cursor)
    assert isinstance(back, dg.RunRequest)
    assert back.run_key not in {first.run_key, second.run_key}


def test_sensor_starts_a_build_when_the_raw_folder_comes_back(tmp_path: Path):
    """A folder moved away during a build fails that build's reads; its return must start one."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("优良天数226天", encoding="utf-8")
    pipeline = _pipeline(raw, tmp_path)
    first, cursor = _tick(pipeline, None)
    raw.rename(tmp_path / "away")
    gone, cursor = _tick(pipeline, cursor)
    assert isinstance(gone, dg.SkipReason)
    (tmp_path / "away").rename(raw)
    back, cursor = _tick(pipeline, cursor)
    assert isinstance(back, dg.RunRequest) and back.run_key != first.run_key


def test_sensor_survives_names_that_are_not_utf8_and_ignores_the_warehouse_inside(tmp_path: Path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("优良天数226天", encoding="utf-8")
    with open(os.path.join(os.fsencode(raw), "公报".encode("gbk") + b".txt"), "wb") as fh:
        fh.write("优良天数300天".encode())
    pipeline = PipelineResource(
        raw_dir=str(raw), warehouse=str(raw / "wh" / "wh.duckdb"), staging_dir=str(raw / "wh" / "staging")
    )
    first, cursor = _tick(pipeline, None)
    assert isinstance(first, dg.RunRequest)
    (raw / "wh" / "staging").mkdir(parents=True)
    (raw / "wh" / "wh.duckdb").write_bytes(b"a new warehouse")
    (raw / "wh" / "staging" / "published.json").write_text("{}", encoding="utf-8")
    unchanged, _ = _tick(pipeline, cursor)
    assert isinstance(unchanged, dg.SkipReason)


def test_documents_readable_lists_one_failed_file_per_markdown_line_as_written():
    """The UI renders the check's description as Markdown: plain lines ran together into one paragraph,
    and a name like `_draft_.txt` lost its underscores to italics."""
    from pipelines.defs.warehouse.assets import LISTED_FAILURES, readable_check

    documents = pl.DataFrame(
        {
            "source_file": ["ok.txt", "copy.txt", "_draft_.txt", "a<b>.pdf", *[f"bad{i:02}.bin" for i in range(25)]],
            "status": ["ok", "duplicate", "no_content", "corrupt", *["unreadable"] * 25],
            "error": [None, "same content as ok.txt", "nothing left", "PDFium: *bad* [x]", *["binary"] * 25],
        }
    )
    result = readable_check(documents)
    assert not result.passed and result.severity == dg.AssetCheckSeverity.WARN
    head, _, body = result.description.partition("\n\n")
    assert head == "27 of 29 files could not be used:"
    lines = body.splitlines()
    assert lines[:2] == [
        r"- \_draft\_.txt — no\_content: nothing left",
        r"- a\<b\>.pdf — corrupt: PDFium: \*bad\* \[x\]",
    ]
    assert len(lines) == LISTED_FAILURES + 1 and lines[-1].startswith("- … and 7 more")
    assert "ok.txt" not in result.description and "copy.txt" not in result.description
    assert result.metadata["failed_documents"].value == 27
