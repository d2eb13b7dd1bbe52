"""Builds that meet other builds, analysts' sessions, broken state and empty input stay safe and say what happened."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines import cli
from pipelines.core.discovery import discover
from pipelines.settings import Settings
from pipelines.store import fingerprint
from pipelines.store import warehouse as warehouse_module
from pipelines.store.tables import mark_duplicates
from tests.conftest import RAW, build

pytestmark = pytest.mark.e2e

ONE = "000_f62db9893ffb6cb0.txt"


def _raw(tmp_path: Path, *names: str) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in names:
        shutil.copy(RAW / name, raw / name)
    return raw


def _count(warehouse: Path, sql: str) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def _analyst(warehouse: Path) -> subprocess.Popen:
    """A read-write session on the published file that deletes every fact and keeps its WAL."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys\n"
            f"con = duckdb.connect({str(warehouse)!r})\n"
            "con.execute('SET checkpoint_threshold = \\'1TB\\'')\n"
            "con.execute('DELETE FROM fact_indicator')\n"
            "print('ready', flush=True)\n"
            "sys.stdin.readline()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "ready"
    return proc


def test_an_analysts_wal_never_reaches_a_new_warehouse(tmp_path: Path, capsys, caplog):
    raw = _raw(tmp_path, ONE)
    warehouse = tmp_path / "wh" / "envreports.duckdb"
    wal = Path(f"{warehouse}.wal")
    assert build(raw, warehouse) == 0
    facts = _count(warehouse, "SELECT count(*) FROM fact_indicator")
    assert facts > 0
    # asset outputs are the run's own
    outputs = list((warehouse.parent / "staging" / "assets").rglob("raw_documents.parquet"))
    assert [p.parent.parent.name for p in outputs] == ["runs"]

    analyst = _analyst(warehouse)
    analyst.send_signal(signal.SIGKILL)  # gone without a checkpoint: its WAL stays beside the file
    analyst.wait()
    assert wal.exists()
    # nothing changed in the folder, but the published file no longer holds what was published
    caplog.set_level(logging.WARNING)
    assert build(raw, warehouse) == 0
    assert "rebuilding it" in caplog.text
    assert not wal.exists()
    assert _count(warehouse, "SELECT count(*) FROM fact_indicator") == facts

    # an analyst still connected read-write: a no-change build neither fails nor publishes their deletions
    analyst = _analyst(warehouse)
    try:
        capsys.readouterr()
        assert build(raw, warehouse) == 0
        assert f"facts loaded: {facts}" in capsys.readouterr().out
    finally:
        analyst.kill()
        analyst.wait()
    assert _count(warehouse, "SELECT count(*) FROM v_indicator_facts") == facts


def _published_copy(sample_build: Path, tmp_path: Path) -> Settings:
    """The sample warehouse, report and publish record, copied so they can be damaged."""
    target = tmp_path / "wh"
    target.mkdir()
    shutil.copy(sample_build, target / sample_build.name)
    (target / "report").mkdir()
    (target / "report" / "index.html").write_text("report", encoding="utf-8")
    return Settings(
        raw_dir=RAW, warehouse=target / sample_build.name, staging_dir=target / "staging", max_file_bytes=2**20
    )


def test_nothing_changed_only_when_the_published_file_still_holds_the_build(sample_build: Path, tmp_path: Path, caplog):
    settings = _published_copy(sample_build, tmp_path)
    current = fingerprint.build_fingerprint(mark_duplicates(discover(RAW)), settings)
    fingerprint.record_published(current, settings)
    assert fingerprint.is_published(current, settings)
    caplog.set_level(logging.WARNING)

    record = settings.staging_dir / "published.json"
    saved = record.read_text(encoding="utf-8")
    record.write_text(saved[:20], encoding="utf-8")  # a torn record
    assert not fingerprint.is_published(current, settings)
    assert "unreadable publish record" in caplog.text
    record.write_text(saved, encoding="utf-8")

    with duckdb.connect(str(settings.warehouse)) as con:  # rows lost
        con.execute("DELETE FROM noise_removed")
    assert not fingerprint.is_published(current, settings)
    assert "rebuilding it" in caplog.text

    settings.warehouse.write_bytes(settings.warehouse.read_bytes()[:4096])  # a truncated file
    assert not fingerprint.is_published(current, settings)
    assert "cannot be read" in caplog.text


def test_a_second_build_waits_for_the_first_then_gives_up_with_a_clear_message(tmp_path: Path, capsys):
    raw = _raw(tmp_path, ONE)
    warehouse = tmp_path / "wh" / "envreports.duckdb"
    staging = warehouse.parent / "staging"
    (staging / "read-0").mkdir(parents=True)
    with warehouse_module.build_lock(warehouse, wait=0, what="envreports build (test)"):
        assert build(raw, warehouse, "--full", "--wait", "0.5") == 3
    err = capsys.readouterr().err
    assert "another build is running: waiting up to 0.5 s for envreports build (test)" in err
    assert "gave up after 0.5 s" in err and str(os.getpid()) in err
    assert (staging / "read-0").exists()  # --full deletes only under the lock
    assert not warehouse.exists()


def test_stale_temporaries_go_even_when_their_pid_is_alive_again(tmp_path: Path):
    warehouse = tmp_path / "envreports.duckdb"
    stale = [
        tmp_path / ".envreports.duckdb.building-1",  # pid 1 is always alive
        tmp_path / f".envreports.duckdb.building-{os.getpid()}.wal",
    ]
    for path in stale:
        path.write_bytes(b"left by a build that died")
    spill = tmp_path / ".envreports.duckdb.building-1.tmp"
    spill.mkdir()
    with warehouse_module.build_lock(warehouse, wait=0, what="test"):
        removed = warehouse_module.remove_stale_temps(warehouse)
    assert sorted(removed) == sorted([*stale, spill])
    assert not any(p.exists() for p in [*stale, spill])


def _views_work(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for view in warehouse_module.VIEWS:
            con.execute(f"SELECT * FROM {view}").fetchall()


def test_an_empty_folder_and_a_folder_of_unreadable_files_publish_valid_warehouses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    empty = tmp_path / "empty"
    empty.mkdir()
    warehouse = tmp_path / "empty-wh" / "envreports.duckdb"
    assert build(empty, warehouse) == 0
    _views_work(warehouse)
    assert _count(warehouse, "SELECT count(*) FROM dim_document") == 0

    unreadable = tmp_path / "unreadable"
    unreadable.mkdir()
    (unreadable / "scan.pdf").write_bytes(bytes(range(256)) * 40)
    warehouse = tmp_path / "unreadable-wh" / "envreports.duckdb"

    # the disk fills while the report is written: the warehouse has changed, and the CLI says so
    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("pipelines.defs.report.assets.build_report", disk_full)
    capsys.readouterr()
    assert build(unreadable, warehouse) == 1
    err = capsys.readouterr().err
    assert "the warehouse was published, but a later step failed" in err and "unchanged" not in err
    monkeypatch.undo()

    assert build(unreadable, warehouse) == 0  # the report is redone
    _views_work(warehouse)
    assert _count(warehouse, "SELECT count(*) FROM v_documents WHERE status <> 'ok' AND error IS NOT NULL") == 1
    assert (warehouse.parent / "report" / "index.html").exists()


def _one_document_tables(tmp_path: Path, text: str) -> warehouse_module.Tables:
    """Tables for one document whose four texts are `text`, in stage files shaped as the stages write them."""
    content_hash = "f" * 64
    read_path, clean_path = tmp_path / "read.parquet", tmp_path / "clean.parquet"
    pl.DataFrame({"content_hash": [content_hash], "text": [text], "original": [text]}).write_parquet(read_path)
    pl.DataFrame({"content_hash": [content_hash], "clean_text": [text], "simplified_text": [text]}).write_parquet(
        clean_path
    )
    with duckdb.connect() as con:
        con.execute(warehouse_module._sql("schema.sql"))
        empty = {name: con.sql(f"SELECT * FROM {name}").pl() for name in warehouse_module.LOAD_ORDER}
    document = pl.DataFrame({"document_key": ["k"], "source_file": ["big.txt"], "status": ["ok"]})
    return warehouse_module.Tables(
        **{name: empty[name] for name in warehouse_module.LOAD_ORDER if name not in ("dim_document", "document_text")},
        dim_document=pl.concat([empty["dim_document"], document], how="diagonal_relaxed"),
        document_text=pl.DataFrame(
            {
                "document_key": ["k"],
                "content_hash": [content_hash],
                "read_path": [str(read_path)],
                "clean_path": [str(clean_path)],
                "n_chars": [len(text)],
            }
        ),
    )


def test_a_long_text_under_the_file_size_limit_loads(tmp_path: Path):
    """Four copies of a 12 MB text in one row needed more than DuckDB's 128 MB; the load scales its limit."""
    line = "二〇二四年，全市空气质量优良天数226天，细颗粒物年均浓度51微克/立方米，同比下降3.8%。"
    text = "\n".join(f"{n:07d}{line}" for n in range(12 * 2**20 // len(line.encode())))
    tables = _one_document_tables(tmp_path, text)
    target = tmp_path / "wh" / "envreports.duckdb"
    published = warehouse_module.publish(target, tables)
    assert published.row_counts["document_text"] == 1
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("SELECT strlen(original_text) FROM document_text").fetchone() == (len(text.encode()),)


def test_the_cli_reads_nothing_but_the_warehouse(sample_build: Path, tmp_path: Path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the warehouse", encoding="utf-8")
    out = tmp_path / "out.csv"
    for query in (
        f"COPY (SELECT * FROM dim_area) TO '{out}'",
        f"SELECT * FROM read_text('{secret}')",
        "SET enable_external_access = true",
    ):
        assert cli.main(["sql", "--warehouse", str(sample_build), query]) == 1
        err = capsys.readouterr().err
        assert err.startswith("error: ") and err.count("\n") == 1, err
    assert not out.exists()


def test_a_locked_warehouse_is_one_clear_line(sample_build: Path, tmp_path: Path):
    warehouse = tmp_path / "envreports.duckdb"
    shutil.copy(sample_build, warehouse)
    analyst = _analyst(warehouse)
    try:
        for args in (["sql", "SELECT 1"], ["facts"], ["schema"]):
            with pytest.raises(SystemExit) as exit_:
                cli.main([args[0], "--warehouse", str(warehouse), *args[1:]])
            message = str(exit_.value.code)
            assert (
                message.startswith(f"error: {warehouse} is locked by a read-write connection") and "\n" not in message
            )
    finally:
        analyst.kill()
        analyst.wait()


def test_an_unusable_dagster_home_is_named_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    raw = _raw(tmp_path, ONE)
    warehouse = tmp_path / "wh" / "envreports.duckdb"
    home = tmp_path / "dagster_home"
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    assert build(raw, warehouse) == 2  # missing
    assert capsys.readouterr().err == (
        f"error: DAGSTER_HOME={home} is not a folder; create it (make build does) or unset DAGSTER_HOME\n"
    )

    home.mkdir()
    from sqlalchemy.exc import OperationalError

    def read_only(*args, **kwargs):  # what SQLite says on a read-only folder (root writes anyway)
        raise OperationalError("INSERT INTO runs", {}, Exception("attempt to write a readonly database"))

    monkeypatch.setattr("dagster.DagsterInstance.get", read_only)
    assert build(raw, warehouse) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: DAGSTER_HOME={home} cannot be used: OperationalError") and err.count("\n") == 1
    assert "readonly database" in err


def test_first_builds_at_once_create_one_dagster_instance(tmp_path: Path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    script = (
        "import sys\nfrom pathlib import Path\n"
        "from pipelines.cli import _operator_instance\n_operator_instance(Path(sys.argv[1]))"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(home)], env=env) for _ in range(3)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    with closing(sqlite3.connect(home / "history" / "runs.db")) as db:
        assert db.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
