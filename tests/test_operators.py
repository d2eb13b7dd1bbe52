"""What an operator meets in the Dagster UI: failed files warn, checks keep reporting after a run that
changed nothing, a forced rebuild from run config, served links that open, and runs tagged by launcher."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.defs.automation.jobs import LAUNCHED_BY_TAG
from pipelines.defs.automation.schedules import nightly_build
from pipelines.defs.automation.sensors import raw_folder_sensor
from pipelines.defs.resources import PipelineResource
from pipelines.serve import make_server
from pipelines.settings import settings_from_env
from tests.conftest import build

READABLE = dg.AssetCheckKey(dg.AssetKey("warehouse"), "documents_readable")
ROWS = dg.AssetCheckKey(dg.AssetKey("validated_facts"), "fact_rows_plausible")
TEXT = "2023年，安阳市环境空气质量优良天数为226天，PM2.5年均浓度为48微克/立方米。"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An operator's DAGSTER_HOME, so the CLI's runs and check results can be read back."""
    folder = tmp_path / "dagster_home"
    folder.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(folder))
    return folder


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    """One readable text and one file that is not the PDF its name says."""
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "good.txt").write_text(TEXT, encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)  # a PDF header, then junk
    return folder


def _latest(instance: dg.DagsterInstance, key: dg.AssetCheckKey):
    (record,) = instance.event_log_storage.get_asset_check_execution_history(key, limit=1)
    return record


def _evaluation(record) -> dg.AssetCheckEvaluation:
    return record.event.dagster_event.event_specific_data


def test_failed_files_warn_and_checks_still_report_after_a_run_that_changed_nothing(
    raw: Path, tmp_path: Path, home: Path
):
    warehouse = tmp_path / "warehouse" / "envreports.duckdb"
    assert build(raw, warehouse) == 0
    with dg.DagsterInstance.get() as instance:
        first = _latest(instance, READABLE)
        evaluation = _evaluation(first)
        assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN
        assert "broken.pdf" in evaluation.description and "good.txt" not in evaluation.description
        con = duckdb.connect(str(warehouse), read_only=True)
        by_status = dict(con.sql("SELECT status, count(*) FROM v_documents GROUP BY status").fetchall())
        con.close()
        assert evaluation.metadata["by_status"].value == by_status
        assert by_status["ok"] == 1 and sum(by_status.values()) == 2
        materialization = instance.get_latest_materialization_event(dg.AssetKey("raw_documents"))
        assert "by_status" not in materialization.asset_materialization.metadata  # discovery's is named so

        assert build(raw, warehouse) == 0  # nothing changed: the build stops at raw_documents
        runs = instance.get_runs(limit=2)
        assert all(run.tags[LAUNCHED_BY_TAG] == "cli" for run in runs)
        latest_run = runs[0].run_id
        assert instance.get_latest_materialization_event(dg.AssetKey("warehouse")).run_id != latest_run
        for key in (READABLE, ROWS):
            record = _latest(instance, key)
            assert record.run_id == latest_run
            assert record.status.value in ("SUCCEEDED", "FAILED"), f"{key.name} left {record.status}"
        again = _evaluation(_latest(instance, READABLE))
        assert (again.passed, again.description) == (evaluation.passed, evaluation.description)
        assert again.metadata["published_by_run"].value == first.run_id


def test_full_refresh_run_config_reads_every_document_again(raw: Path, tmp_path: Path):
    warehouse = tmp_path / "warehouse" / "envreports.duckdb"
    assert build(raw, warehouse) == 0
    settings = settings_from_env({"ENVREPORTS_RAW_DIR": str(raw), "ENVREPORTS_WAREHOUSE": str(warehouse)})
    from pipelines.cli import build_job
    from pipelines.defs.resources import resources_run_config

    def run(full_refresh: bool) -> dg.ExecuteInProcessResult:
        config = {
            "resources": resources_run_config(settings),
            "ops": {"raw_documents": {"config": {"full_refresh": full_refresh}}},
        }
        return build_job().execute_in_process(run_config=config, instance=dg.DagsterInstance.ephemeral())

    quiet = run(False)
    assert quiet.success and not quiet.get_asset_materialization_events()  # nothing changed
    forced = run(True)
    assert forced.success
    texts = next(e for e in forced.get_asset_materialization_events() if e.asset_key == dg.AssetKey("read_results"))
    assert texts.materialization.metadata["read_this_run"].value == 2  # both files read again


def test_schedule_and_sensor_runs_are_tagged(tmp_path: Path):
    context = dg.build_schedule_context(scheduled_execution_time=None)
    (request,) = nightly_build.evaluate_tick(context).run_requests
    assert request.tags[LAUNCHED_BY_TAG] == "schedule"
    raw = tmp_path / "raw"
    raw.mkdir()
    pipeline = PipelineResource(raw_dir=str(raw), warehouse=str(tmp_path / "wh.duckdb"))
    with dg.build_sensor_context(resources={"pipeline": pipeline}) as sensor_context:
        (request,) = raw_folder_sensor.evaluate_tick(sensor_context).run_requests
    assert request.tags[LAUNCHED_BY_TAG] == "sensor"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    warehouse = tmp_path / "out" / "envreports.duckdb"
    settings = settings_from_env({"ENVREPORTS_WAREHOUSE": str(warehouse)})
    (settings.report_dir / "area").mkdir(parents=True)
    (settings.report_dir / "index.html").write_text("<h1>report</h1>", encoding="utf-8")
    (settings.report_dir / "area" / "x.html").write_text("area", encoding="utf-8")
    settings.data_docs_dir.mkdir()
    (settings.data_docs_dir / "index.html").write_text("docs", encoding="utf-8")
    (tmp_path / "out" / "secret.txt").write_text("secret", encoding="utf-8")
    (settings.report_dir / "escape").symlink_to(tmp_path / "out")
    server = make_server(settings, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def test_server_serves_the_report_and_data_docs_only(served: str):
    assert _get(f"{served}/report/index.html") == (200, "<h1>report</h1>")
    assert _get(f"{served}/report/") == (200, "<h1>report</h1>")
    assert _get(f"{served}/data_docs/index.html") == (200, "docs")
    assert _get(f"{served}/report/area/x.html") == (200, "area")
    assert _get(f"{served}/")[0] == 200
    for refused in (
        "/report/area/",  # a folder without index.html: no listing
        "/report/../secret.txt",
        "/report/%2e%2e/secret.txt",
        "/report/..%2fsecret.txt",
        "/report/escape/secret.txt",  # a link out of the folder
        "/secret.txt",
        "/etc/passwd",
    ):
        assert _get(served + refused)[0] == 404, refused


def test_ui_links_point_at_the_server(monkeypatch: pytest.MonkeyPatch):
    from pipelines.serve import served_url

    assert served_url("report") == "http://127.0.0.1:8765/report/index.html"
    monkeypatch.setenv("ENVREPORTS_SERVE_URL", "http://reports.example:9000/")
    assert (
        served_url("data_docs", "validations/a b.html")
        == "http://reports.example:9000/data_docs/validations/a%20b.html"
    )


def test_a_new_dagster_home_gets_a_dagster_yaml(home: Path, caplog: pytest.LogCaptureFixture):
    from pipelines.cli import init_instance

    assert init_instance() == 0
    assert (home / "dagster.yaml").is_file()
    assert "No dagster instance configuration file" not in caplog.text
    with dg.DagsterInstance.get() as instance:  # offline builds: no telemetry, no first-run banner
        assert not instance.telemetry_enabled
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: true\n", encoding="utf-8")
    assert init_instance() == 0  # the operator's own settings are kept
    assert "enabled: true" in (home / "dagster.yaml").read_text(encoding="utf-8")


def test_serve_on_a_busy_port_is_a_one_line_error(capsys: pytest.CaptureFixture[str]):
    import socket

    from pipelines.cli import main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        assert main(["serve", "--port", str(busy.getsockname()[1])]) == 2
    assert capsys.readouterr().err.startswith("error: cannot serve on 127.0.0.1:")
