"""Analyst conveniences: read-only SQL, facts with evidence, the data dictionary and example queries."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.cli import _executor_for, data_dictionary, main
from pipelines.settings import PROJECT_ROOT, Settings, settings_from_env
from tests.conftest import RAW

EXAMPLES = sorted((PROJECT_ROOT / "sql" / "examples").glob("*.sql"))


def test_sql_is_read_only(sample_build: Path, capsys):
    assert main(["sql", "--warehouse", str(sample_build), "SELECT count(*) AS n FROM v_documents"]) == 0
    assert "8" in capsys.readouterr().out
    assert main(["sql", "--warehouse", str(sample_build), "DELETE FROM fact_indicator"]) == 1
    assert "read-only" in capsys.readouterr().err


def test_facts_show_values_with_evidence(sample_build: Path, capsys):
    args = ["facts", "--warehouse", str(sample_build), "--area", "安阳市", "--indicator", "air.pm25_mean"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "安阳市  air.pm25_mean  2024  actual  = 51 ug/m3" in out
    assert "page 2" in out and "年均浓度51微克/立方米" in out


def test_facts_filters_are_parameters_not_sql(sample_build: Path, capsys):
    assert main(["facts", "--warehouse", str(sample_build), "--area", "x' OR '1'='1"]) == 0
    assert capsys.readouterr().out.strip().endswith("0 facts")


def test_data_dictionary_doc_is_current(sample_db):
    committed = (PROJECT_ROOT / "docs" / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert committed.strip() == data_dictionary(sample_db).strip()


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_queries_run_and_return_rows(sample_db, path: Path):
    rows = sample_db.execute(path.read_text(encoding="utf-8")).fetchall()
    assert rows, f"{path.name} returned nothing on the sample warehouse"


def test_pm25_example_picks_one_value_per_area_and_year(sample_db):
    rows = sample_db.execute((PROJECT_ROOT / "sql/examples/01_pm25_by_area_year.sql").read_text()).fetchall()
    assert ("安阳市", 2024, 51.0) in [r[:3] for r in rows]
    assert len({r[:2] for r in rows}) == len(rows)


def test_the_cli_forks_parallel_steps_only_for_more_than_one_shard_of_work(sample_build: Path, tmp_path: Path):
    def settings(warehouse: Path, shard_size: int) -> Settings:
        return settings_from_env(
            {
                "ENVREPORTS_RAW_DIR": str(RAW),
                "ENVREPORTS_WAREHOUSE": str(warehouse),
                "ENVREPORTS_MAX_CONCURRENT": "2",
                "ENVREPORTS_SHARD_SIZE": str(shard_size),
            }
        )

    assert _executor_for(settings(tmp_path / "e.duckdb", 3)) == "multiprocess"  # 8 samples to read: 2 shards
    assert _executor_for(settings(sample_build, 3)) == "in_process"  # every stage cached: nothing to fork for
    assert _executor_for(settings(tmp_path / "e.duckdb", 200)) == "in_process"  # one shard gains nothing more
