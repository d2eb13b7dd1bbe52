"""One definition of each record: the fact columns come from models.RawFact and the published
schema agrees with them; value kinds and statuses have one list; stage versions follow the code."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines import stages
from pipelines.core import extraction, records, validation
from pipelines.core.models import STATUSES, VALUE_KINDS, RawFact
from pipelines.store.code_versions import code_version, inputs
from pipelines.store.warehouse import SQL_DIR

SCHEMA_SQL = (SQL_DIR / "schema.sql").read_text(encoding="utf-8")
# Fact columns kept out of the published tables on purpose (source_file and region_name come
# from dim_document and dim_area; number and unit_status are the figure before normalising).
UNPUBLISHED = {"fact_indicator": {"source_file", "region_name", "number", "unit_status"}}
UNPUBLISHED["fact_rejected"] = {"source_file", "unit_status", "number"}
FAMILIES = {
    "VARCHAR": pl.String(),
    "INTEGER": pl.Int32(),
    "BIGINT": pl.Int64(),
    "DOUBLE": pl.Float64(),
    "BOOLEAN": pl.Boolean(),
    "DATE": pl.Date(),
}


def _table_columns(table: str) -> dict[str, str]:
    con = duckdb.connect()
    try:
        con.execute(SCHEMA_SQL)
        return {name: dtype for name, dtype, *_ in con.execute(f"DESCRIBE {table}").fetchall()}
    finally:
        con.close()


@pytest.mark.parametrize("table", ["fact_indicator", "fact_rejected"])
def test_schema_sql_agrees_with_the_fact_record(table: str) -> None:
    columns = _table_columns(table)
    extra = {"reason", "reason_in_words"} if table == "fact_rejected" else set()
    fact = records.FACT_SCHEMA
    assert set(columns) - extra <= set(fact), f"{table} columns the fact record lacks: {set(columns) - set(fact)}"
    wrong = {c: (t, fact[c]) for c, t in columns.items() if c in fact and FAMILIES.get(t) != fact[c]}
    assert not wrong, f"{table}: SQL type vs fact record dtype: {wrong}"
    missing = set(fact) - set(columns) - UNPUBLISHED[table]
    assert not missing, f"fields of the fact record neither in {table} (sql/schema.sql) nor listed as unpublished"


def test_validation_schema_is_the_fact_record() -> None:
    assert validation.FACT_SCHEMA is records.FACT_SCHEMA
    raw = {k: v for k, v in stages.RAW_FACT_SCHEMA.items() if k != "content_hash"}
    assert raw.items() <= records.FACT_SCHEMA.items()
    fields = {records.COLUMN_NAMES.get(f.name, f.name) for f in dataclasses.fields(RawFact)}
    assert fields <= set(stages.RAW_FACT_SCHEMA)


def test_a_new_field_flows_into_the_schema() -> None:
    @dataclasses.dataclass(frozen=True)
    class Wider(RawFact):
        spans: str | None = None
        confidence: int | None = None
        is_checked: bool = True

    columns = records.record_columns(Wider)
    assert list(columns)[-3:] == ["spans", "confidence", "is_checked"]
    assert columns["spans"] == pl.String() and columns["is_checked"] == pl.Boolean()
    assert columns["evidence"] == pl.String() and columns["year"] == pl.Int32()


def _check_values(column: str) -> set[str]:
    match = re.search(rf"{column}\s+VARCHAR[^,]*CHECK \({column} IN \(([^)]*)\)\)", SCHEMA_SQL)
    assert match, column
    return set(re.findall(r"'([^']*)'", match.group(1)))


def test_one_list_of_value_kinds_and_qualifiers() -> None:
    assert _check_values("value_kind") == set(VALUE_KINDS)
    assert _check_values("qualifier") == set(validation.QUALIFIERS)
    assert set(validation.KIND_GROUPS) == set(VALUE_KINDS)
    assert (extraction.ACTUAL, extraction.TARGET, extraction.CHANGE_ABS, extraction.CHANGE_PCT) == VALUE_KINDS


def test_schema_comment_lists_every_status() -> None:
    comment = re.search(r"COMMENT ON COLUMN dim_document\.status IS '([^']*)'", SCHEMA_SQL)
    assert comment
    assert set(STATUSES) <= set(re.findall(r"[a-z_]+", comment.group(1)))


def test_facts_keep_the_area_the_extractor_resolved(monkeypatch: pytest.MonkeyPatch) -> None:
    """鼓楼区 is a district of 福州 and of 南京 (and more): the fact keeps the adcode the
    extractor chose, not one found again from the name in another context."""
    found = RawFact(
        indicator_code="air.pm25_mean",
        region_name="鼓楼区",
        year=2024,
        value_kind="actual",
        figure_text="30",
        number=30.0,
        unit_text="微克/立方米",
        qualifier=None,
        sentence="鼓楼区PM2.5年均浓度30微克/立方米",
        start=0,
        end=2,
        area_key="350102",
    )
    monkeypatch.setattr(extraction, "extract_facts", lambda *a, **k: [found])
    text = "南京市2024年环境状况公报"
    read_row = {"content_hash": "h", "pages": [], "removals": []}
    clean_row = {"clean_text": text, "simplified_text": text, "segments": []}
    facts, _ = stages.extract_one(read_row, clean_row)
    facts = pl.DataFrame(facts, schema=stages.RAW_FACT_SCHEMA)
    assert facts.select("region_name", "area_key", "evidence").row(0) == ("鼓楼区", "350102", found.sentence)


def _names(paths: list[Path]) -> set[str]:
    root = Path(stages.__file__).resolve().parent
    return {p.relative_to(root).as_posix() for p in paths}


def test_stage_versions_cover_the_code_each_stage_runs() -> None:
    read, clean, extract = (_names(x) for x in (stages.READ_INPUTS, stages.CLEAN_INPUTS, stages.EXTRACT_INPUTS))
    assert {"core/reading.py", "core/unwrap.py", "core/pdfs.py", "core/textfiles.py", "stages.py"} <= read
    assert {"core/cleaning.py", "core/noise_patterns.py", "stages.py"} <= clean
    assert {"core/extraction.py", "core/numbers.py", "data/indicator_aliases.csv", "data/areas.csv"} <= extract
    assert "core/cleaning.py" not in read and "core/extraction.py" not in clean
    assert "data/plausible_ranges.csv" not in extract  # validation's, not the extractor's


def test_editing_an_input_changes_the_version(tmp_path: Path) -> None:
    files = [tmp_path / "a.py", tmp_path / "b.csv"]
    for f in files:
        f.write_text("x = 1\n", encoding="utf-8")
    before = code_version(files)
    files[1].write_text("x = 2\n", encoding="utf-8")
    assert code_version(files) != before


def test_inputs_follow_imports_inside_functions() -> None:
    found = _names(inputs("pipelines.core.extraction"))
    assert "core/areas.py" in found  # imported only for type checking, and run by the extract stage
