"""End to end: the sample raw folder through the Dagster job into a temporary warehouse."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def fact(con, source_file: str, code: str, year: int, kind: str = "actual"):
    rows = con.execute(
        "SELECT region_name, value, unit, evidence FROM v_indicator_facts "
        "WHERE source_file = ? AND indicator_code = ? AND year = ? AND value_kind = ?",
        [source_file, code, year, kind],
    ).fetchall()
    return rows


@pytest.mark.parametrize("suffix", ["txt", "pdf"])
def test_anyang_pm25_2024_is_51(sample_db, suffix):
    rows = fact(sample_db, f"001_9aa5532d1dae63e5.{suffix}", "air.pm25_mean", 2024)
    assert [(r[0], r[1], r[2]) for r in rows] == [("安阳市", 51.0, "ug/m3")]
    assert "51" in rows[0][3]


def test_units_are_normalised(sample_db):
    (row,) = fact(sample_db, "001_9aa5532d1dae63e5.txt", "eco.afforestation_area", 2024)
    assert row[1] == pytest.approx(78000 / 15)
    assert row[2] == "ha"
    (fine,) = fact(sample_db, "001_9aa5532d1dae63e5.txt", "enforcement.fines", 2024)
    assert fine[1] == pytest.approx(31_360_000)


def test_signs_and_relative_years(sample_db):
    (change,) = fact(sample_db, "001_9aa5532d1dae63e5.txt", "air.composite_index", 2024, "change_pct")
    assert change[1] == pytest.approx(-4.4)
    (base,) = fact(sample_db, "004_855f608002ef64d1.txt", "air.good_days", 2023)
    assert (base[0], base[1]) == ("沈阳市", 287)


def test_plan_targets_take_the_plan_year(sample_db):
    (row,) = fact(sample_db, "003_71df9ef4c03a5c50.txt", "water.county_sewage_treatment_rate", 2025, "target")
    assert (row[0], row[1]) == ("阜新市", 90)


def test_every_file_has_a_status(sample_db):
    rows = dict(sample_db.execute("SELECT source_file, status FROM v_documents").fetchall())
    assert len(rows) == 8
    assert set(rows.values()) == {"ok"}


def test_noise_is_gone_and_audited(sample_db):
    (text,) = sample_db.execute(
        "SELECT clean_text FROM v_document_text WHERE source_file = '002_1476e9828541749f.txt'"
    ).fetchone()
    assert "网站优化" not in text and "鞍山市考核结果再次被评为优秀等级" in text
    reasons = {r for (r,) in sample_db.execute("SELECT DISTINCT reason FROM v_noise").fetchall()}
    assert {"seo_spam", "navigation"} <= reasons


def test_pdf_facts_carry_pages(sample_db):
    pages = sample_db.execute("SELECT DISTINCT page FROM v_indicator_facts WHERE source_file LIKE '%.pdf'").fetchall()
    assert pages and all(p is not None and p >= 1 for (p,) in pages)


def test_every_table_and_column_is_commented(sample_db):
    missing = sample_db.execute(
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE NOT internal AND database_name = current_database() AND (comment IS NULL OR comment = '') "
        "AND table_name NOT LIKE 'v\\_%' ESCAPE '\\'"
    ).fetchall()
    assert missing == []
    tables = sample_db.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND comment IS NULL"
    ).fetchall()
    assert tables == []
