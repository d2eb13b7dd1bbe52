"""Validation in the build: impossible figures are quarantined; structural failures block publishing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests.conftest import build

pytestmark = pytest.mark.e2e

IMPOSSIBLE = """青阳县2024年环境状况公报
2024年,全县环境空气质量优良天数400天,优良天数比例130.5%,PM2.5年均浓度5100微克/立方米。
全县森林覆盖率-12%。PM10年均浓度58微克/立方米。
"""


@pytest.fixture(scope="module")
def quarantine_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("quarantine")
    (root / "raw").mkdir()
    (root / "raw" / "impossible.txt").write_text(IMPOSSIBLE, encoding="utf-8")
    warehouse = root / "wh" / "envreports.duckdb"
    assert build(root / "raw", warehouse) == 0
    return warehouse


@pytest.mark.parametrize(
    ("code", "value", "expectation"),
    [
        ("air.good_days", 400, "expect_column_values_to_be_between(value, 0, 366)"),
        ("air.good_days_ratio", 130.5, "expect_column_values_to_be_between(value, 0, 100)"),
        ("air.pm25_mean", 5100, "expect_column_values_to_be_between"),
        ("eco.forest_coverage", -12, "expect_column_values_to_be_between(value, 0, 100)"),
    ],
)
def test_impossible_figures_are_quarantined_with_the_expectation(quarantine_build: Path, code, value, expectation):
    con = duckdb.connect(str(quarantine_build), read_only=True)
    try:
        rejected = con.execute(
            "SELECT reason FROM v_rejected_facts WHERE indicator_code = ? AND value = ?", [code, value]
        ).fetchall()
        loaded = con.execute(
            "SELECT count(*) FROM v_indicator_facts WHERE indicator_code = ? AND value = ?", [code, value]
        ).fetchone()
    finally:
        con.close()
    assert len(rejected) == 1 and expectation in rejected[0][0]
    assert loaded == (0,)


def test_quarantined_figures_say_why_in_words_beside_the_expectation(quarantine_build: Path):
    con = duckdb.connect(str(quarantine_build), read_only=True)
    try:
        row = con.execute(
            "SELECT reason, reason_in_words FROM v_rejected_facts WHERE indicator_code = 'air.good_days'"
        ).fetchone()
    finally:
        con.close()
    assert row == (
        "expect_column_values_to_be_between(value, 0, 366) [air.good_days, unit day]",
        "air.good_days = 400 day: the value must lie between 0 and 366 day. "
        "Days counted within one year: at most 366 (leap year).",
    )


def test_plausible_figure_in_the_same_document_loads(quarantine_build: Path):
    con = duckdb.connect(str(quarantine_build), read_only=True)
    try:
        rows = con.execute(
            "SELECT region_name, year, value FROM v_indicator_facts WHERE indicator_code = 'air.pm10_mean'"
        ).fetchall()
    finally:
        con.close()
    assert rows == [("青阳县", 2024, 58.0)]


def test_data_docs_are_written_beside_the_warehouse(quarantine_build: Path):
    index = quarantine_build.parent / "data_docs" / "index.html"
    html = index.read_text(encoding="utf-8")
    assert "facts_rows" in html and "expect_column_values_to_be_between" in html
    assert "https://" not in html and "http://" not in html


def test_structural_failure_keeps_the_published_warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("安阳市2024年PM2.5年均浓度51微克/立方米。", encoding="utf-8")
    warehouse = tmp_path / "wh" / "envreports.duckdb"
    assert build(raw, warehouse) == 0
    before = hashlib.sha256(warehouse.read_bytes()).hexdigest()

    from pipelines.defs.facts import assets

    real = assets.normalise_facts

    def broken(frame: pl.DataFrame) -> pl.DataFrame:  # a pipeline bug: the unit column goes missing
        return real(frame).drop("unit")

    monkeypatch.setattr(assets, "normalise_facts", broken)
    (raw / "b.txt").write_text("安阳市2024年优良天数226天。", encoding="utf-8")
    assert build(raw, warehouse) != 0
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == before
    assert not list(warehouse.parent.glob(".envreports.duckdb.building-*"))
