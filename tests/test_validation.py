"""Validation of facts and documents with Great Expectations.

GX runs cost about a second each (plus the one-off GX import), so each scenario validates one
frame in a module-scoped fixture and several tests read its result.
"""

from __future__ import annotations

import csv
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from pipelines.core import validation as v
from pipelines.core.catalogue import load_catalogue
from pipelines.core.models import FAILED, NO_CONTENT, STATUSES
from pipelines.defs.facts.data_docs import write_data_docs
from pipelines.defs.facts.validation import failure_lines

GOLD = Path(__file__).resolve().parents[2] / "shared" / "eval" / "seed_gold.csv"


def fact(code: str, kind: str, value: float | None, unit: str | None = None, **extra: object) -> dict[str, object]:
    """A normalised fact as the normalise stage emits it; unit defaults to the catalogue's."""
    if unit is None:
        unit = "%" if kind == "change_pct" else load_catalogue()[code].unit
    row: dict[str, object] = {
        "document_key": "d-anyang-2024",
        "source_file": "001_9aa5532d1dae63e5.txt",
        "indicator_code": code,
        "region_name": "安阳市",
        "year": 2024,
        "year_start": None,
        "base_year": None,
        "value_kind": kind,
        "value": value,
        "unit": unit,
        "unit_status": "ok",
        "figure_text": "" if value is None else f"{value:g}",
        "unit_text": unit,
        "qualifier": None,
        "evidence": "",
        "char_start": 100,
        "char_end": 104,
        "page": None,
    }
    row.update(extra)
    key = "|".join(
        str(row[k]) for k in ("document_key", "region_name", "indicator_code", "year", "value_kind", "value")
    )
    row.setdefault("fact_key", hashlib.sha1(key.encode()).hexdigest()[:16])
    return row


def frame(rows: list[dict[str, object]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=v.FACT_SCHEMA)


# Plausible facts, as stated in the seed documents (安阳市/鞍山市 2024) and in FACTS.md.
GOOD = {
    "pm25": fact("air.pm25_mean", "actual", 51.0, evidence="PM2.5年均浓度51微克/立方米"),
    "composite": fact("air.composite_index", "actual", 4.803, evidence="空气质量综合指数4.803"),
    "composite_pct": fact("air.composite_index", "change_pct", -4.4, base_year=2023, evidence="同比下降4.4%"),
    "good_days": fact("air.good_days", "actual", 226.0, evidence="全年优良天数226天"),
    "good_days_abs": fact("air.good_days", "change_abs", 14.0, base_year=2023, evidence="同比增加14天"),
    "ratio": fact("air.good_days_ratio", "actual", 61.7, evidence="占比61.7%"),
    "ratio_target": fact(
        "air.good_days_ratio", "target", 70.0, year=2025, qualifier="≥", evidence="到2025年…达到70%以上"
    ),
    "pm25_abs": fact("air.pm25_mean", "change_abs", -3.4, evidence="下降3.4微克/立方米"),
    "cod_pct": fact("emis.cod", "change_pct", -13.92, base_year=2015, evidence="与2015年相比下降13.92%"),
    "water_pp": fact("water.good_quality_ratio", "change_abs", 2.7, evidence="提高2.7个百分点"),
    "noise": fact("noise.regional_day_leq", "actual", 53.3, evidence="昼间平均等效声级为 53.3 分贝"),
    "fines": fact("enforcement.fines", "actual", 31_360_000.0, evidence="罚款3136万元"),
    "forest_area": fact("eco.afforestation_area", "actual", 66_666.6667, evidence="营造林100万亩"),
    "co": fact("air.co_mean", "actual", 1.2, evidence="一氧化碳浓度1.2毫克/立方米"),
    "complaints": fact("complaints.received", "actual", 20_079.0, region_name=None, evidence="诉求 20079 件"),
    "share_zero": fact("water.inferior_v_ratio", "actual", 0.0, evidence="劣Ⅴ类水质断面比例为0"),
    "share_full": fact("water.drinking_source_compliance", "actual", 100.0, evidence="水质达标率100%"),
    "leap_year_days": fact("air.good_days", "actual", 366.0, year=2020, evidence="优良天数366天"),
}
# Implausible facts and the reason each must carry.
BAD = {
    "days_400": (
        fact("air.good_days", "actual", 400.0),
        "expect_column_values_to_be_between(value, 0, 366) [air.good_days, unit day]",
    ),
    "ratio_130": (
        fact("air.good_days_ratio", "actual", 130.5),
        "expect_column_values_to_be_between(value, 0, 100) [air.good_days_ratio, unit %]",
    ),
    "pm25_5100": (
        fact("air.pm25_mean", "actual", 5100.0),
        "expect_column_values_to_be_between(value, 0, 1000) [air.pm25_mean, unit ug/m3]",
    ),
    "forest_neg": (
        fact("eco.forest_coverage", "actual", -12.0),
        "expect_column_values_to_be_between(value, 0, 100) [eco.forest_coverage, unit %]",
    ),
    "share_over": (
        fact("water.section_compliance_rate", "actual", 100.01),
        "expect_column_values_to_be_between(value, 0, 100) [water.section_compliance_rate, unit %]",
    ),
    "pct_below_minus_100": (
        fact("emis.so2", "change_pct", -135.4),
        "expect_column_values_to_be_between(value, -100, 10000) [emis.so2, unit %]",
    ),
    "cases_neg": (
        fact("enforcement.cases", "actual", -5.0),
        "expect_column_values_to_be_between(value, 0, inf) [enforcement.cases, unit case]",
    ),
    "noise_low": (
        fact("noise.traffic_day_leq", "actual", 6.38),
        "expect_column_values_to_be_between(value, 20, 120) [noise.traffic_day_leq, unit dB(A)]",
    ),
    "wrong_unit": (
        fact("air.pm25_mean", "actual", 0.051, unit="mg/m3"),
        "expect_column_pair_values_to_be_equal(unit, expected_unit) [air.pm25_mean, unit mg/m3]",
    ),
    "unknown_code": (
        fact("air.pm1_mean", "actual", 20.0, unit="ug/m3"),
        "expect_column_values_to_be_in_set(indicator_code, catalogue) [air.pm1_mean, unit ug/m3]",
    ),
    "bad_kind": (
        fact("air.good_days", "forecast", 300.0),
        "expect_column_values_to_be_in_set(value_kind, actual|target|change_abs|change_pct) [air.good_days, unit day]",
    ),
    "old_year": (
        fact("air.good_days", "actual", 300.0, year=1900),
        "expect_column_values_to_be_between(year, 1949, 2100) [air.good_days, unit day]",
    ),
    "bad_qualifier": (
        fact("air.good_days_ratio", "target", 80.0, qualifier="<"),
        "expect_column_values_to_be_in_set(qualifier, ≥|≤|>|≈) [air.good_days_ratio, unit %]",
    ),
}
UNCONVERTED = fact("air.pm25_mean", "actual", None, unit_status="unknown_unit", unit_text="微克")


def gold_rows() -> list[dict[str, object]]:
    """Every fact of the hand-checked seed gold set, which no plausibility bound may reject."""
    if not GOLD.exists():
        return []
    with GOLD.open(encoding="utf-8") as f:
        return [
            fact(
                g["indicator_code"],
                g["value_kind"],
                float(g["value"]),
                document_key=g["source_file"],
                source_file=g["source_file"],
                region_name=g["region"] or None,
                year=int(g["year"]),
                evidence=g["quote"],
                fact_key=f"gold-{i}",
            )
            for i, g in enumerate(csv.DictReader(f))
        ]


GOLD_ROWS = gold_rows()


@pytest.fixture(scope="module")
def checked() -> tuple[pl.DataFrame, v.FactValidation]:
    facts = frame([*GOOD.values(), *GOLD_ROWS, *(row for row, _ in BAD.values()), UNCONVERTED])
    return facts, v.validate_facts(facts)


def suite(result: list[v.SuiteResult] | v.FactValidation, name: str) -> v.SuiteResult:
    suites = result.suites if isinstance(result, v.FactValidation) else result
    return next(s for s in suites if s.suite == name)


def test_import_does_not_load_gx() -> None:
    code = "import sys, pipelines.core.validation; assert 'great_expectations' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[1])


def test_ranges_cover_every_catalogue_unit_and_name_real_codes() -> None:
    rules = v.load_ranges()
    catalogue = load_catalogue()
    units = {i.unit for i in catalogue.values()}
    assert {r.key for r in rules if r.scope == "unit" and r.group == "level"} >= units
    assert {r.key for r in rules if r.scope == "indicator"} <= set(catalogue)
    assert all(r.why.strip() for r in rules)
    bounds = {r.rule_id: (r.min, r.max) for r in rules}
    assert bounds["unit:%:level"] == (0, 100)
    assert bounds["unit:day:level"] == (0, 366)
    assert bounds["indicator:air.pm25_mean:level"] == (0, 1000)
    assert bounds["unit:mg/m3:level"] == (0, 50)


@pytest.mark.parametrize("name", sorted(BAD))
def test_implausible_fact_is_rejected_with_named_expectation(checked, name: str) -> None:
    _, result = checked
    row, reason = BAD[name]
    rejected = result.rejected.filter(pl.col("fact_key") == row["fact_key"])
    assert rejected.height == 1
    assert rejected["reason"][0] == reason


def test_plausible_facts_are_accepted_unchanged(checked) -> None:
    facts, result = checked
    assert set(result.accepted["fact_key"]) == {r["fact_key"] for r in [*GOOD.values(), *GOLD_ROWS]}
    assert result.accepted.columns == facts.columns
    assert result.accepted.schema == facts.schema
    assert result.accepted.height + result.rejected.height == facts.height
    assert result.rejected.columns == [*facts.columns, "reason", "reason_in_words", "expectations"]


def test_rejection_reasons_are_in_words_beside_the_expectation(checked) -> None:
    _, result = checked
    row, _ = BAD["days_400"]
    words = result.rejected.filter(pl.col("fact_key") == row["fact_key"])["reason_in_words"][0]
    assert words == (
        "air.good_days = 400 day: the value must lie between 0 and 366 day. "
        "Days counted within one year: at most 366 (leap year)."
    )
    unconverted = result.rejected.filter(pl.col("fact_key") == UNCONVERTED["fact_key"])["reason_in_words"][0]
    assert unconverted == (
        "air.pm25_mean “微克” as written: no value was found; "
        "air.pm25_mean “微克” as written: the unit as written cannot be converted to the indicator's unit"
    )


def test_reasons_of_one_row_are_combined(checked) -> None:
    _, result = checked
    row = result.rejected.filter(pl.col("fact_key") == UNCONVERTED["fact_key"]).row(0, named=True)
    assert row["reason"] == (
        "expect_column_values_to_not_be_null(value) [air.pm25_mean, unit ug/m3]; "
        "expect_column_values_to_be_in_set(unit_status, ok) [air.pm25_mean, unit ug/m3]"
    )
    assert row["expectations"] == [
        "expect_column_values_to_not_be_null(value)",
        "expect_column_values_to_be_in_set(unit_status, ok)",
    ]


def test_row_failures_warn_and_structure_passes(checked) -> None:
    _, result = checked
    rows = suite(result, "facts_rows")
    assert (rows.severity, rows.success, rows.errored) == (v.ROW, False, 0)
    failing = {o.name for o in rows.expectations if not o.success}
    assert "expect_column_values_to_be_between(value, 0, 366) where range_rule == 'unit:day:level'" in failing
    assert rows.failed == len(failing)
    days = next(o for o in rows.expectations if o.name.startswith("expect_column_values_to_be_between(value, 0, 366)"))
    assert (days.unexpected_count, days.unexpected_sample) == (1, [400.0])
    assert 0 < len(rows.failing_rows) <= v.SAMPLE_ROWS
    assert all(r["failed"] for r in rows.failing_rows)
    assert not result.blocking
    assert all(suite(result, n).success for n in ("facts_keys", "facts_schema", "facts_checks_ran"))


def test_gold_facts_pass_every_expectation(checked) -> None:
    if not GOLD_ROWS:
        pytest.skip("shared/eval/seed_gold.csv is not beside the repository")
    _, result = checked
    gold_rejected = result.rejected.filter(pl.col("fact_key").str.starts_with("gold-"))
    assert gold_rejected.height == 0, gold_rejected.select("indicator_code", "value", "reason").to_dicts()
    assert result.accepted["fact_key"].str.starts_with("gold-").sum() == len(GOLD_ROWS)


def test_duplicate_key_and_wrong_dtype_block_without_quarantine() -> None:
    rows = [GOOD["pm25"], GOOD["good_days"], {**GOOD["ratio"], "fact_key": GOOD["pm25"]["fact_key"]}]
    facts = frame(rows).with_columns(pl.col("year").cast(pl.Int64))
    result = v.validate_facts(facts)
    keys, schema = suite(result, "facts_keys"), suite(result, "facts_schema")
    assert (keys.severity, keys.success) == (v.STRUCTURAL, False)
    unique = next(o for o in keys.expectations if o.type == "expect_column_values_to_be_unique")
    assert (unique.success, unique.unexpected_count) == (False, 2)
    assert {r["fact_key"] for r in keys.failing_rows} == {GOOD["pm25"]["fact_key"]}
    assert not schema.success
    assert [(r["column"], r["actual_dtype"]) for r in schema.failing_rows] == [("year", "Int64")]
    assert {s.suite for s in result.blocking} == {"facts_keys", "facts_schema"}
    assert result.rejected.height == 0 and result.accepted.height == 3


def test_crashing_expectation_is_a_check_failure_not_bad_data() -> None:
    facts = frame([GOOD["pm25"], GOOD["ratio"], BAD["days_400"][0]]).drop("unit_status")
    result = v.validate_facts(facts)
    rows = suite(result, "facts_rows")
    assert rows.errored == 1
    crashed = next(o for o in rows.expectations if o.exception)
    assert crashed.name == "expect_column_values_to_be_in_set(unit_status, ok)"
    assert "unit_status" in crashed.exception
    ran = suite(result, "facts_checks_ran")
    assert (ran.severity, ran.success, ran.failed) == (v.STRUCTURAL, False, 1)
    assert ran.expectations[0].name == "facts_rows: expect_column_values_to_be_in_set(unit_status, ok)"
    assert "unit_status" in ran.expectations[0].exception
    assert "facts_checks_ran" in {s.suite for s in result.blocking}
    # Only the real data failure is quarantined; the crash rejects nothing.
    assert result.rejected["reason"].to_list() == [BAD["days_400"][1]]
    assert result.accepted.height == 2


@pytest.fixture(scope="module")
def document_suites() -> list[v.SuiteResult]:
    documents = pl.DataFrame(
        {
            "document_key": ["d-anyang-2024", "d-scan", "d-blank", "d-copy", "d-broken", "d-odd"],
            "source_file": ["001.txt", "scan.pdf", "blank.txt", "001.txt", "broken.pdf", "odd.doc"],
            "status": ["ok", "needs_ocr", "ok", "duplicate", "corrupt", "mystery"],
            "error": [None, "no text layer", None, "same content as 001.txt", None, "?"],
            "clean_text": ["全年优良天数226天", "", "", "", "", ""],
            "file_type": ["txt", "pdf", "txt", "txt", "pdf", "unknown"],
        },
        schema=v.DOCUMENT_SCHEMA,
    )
    facts = frame(
        [
            GOOD["pm25"],
            {**GOOD["ratio"], "document_key": "d-scan"},
            {**GOOD["noise"], "document_key": "d-gone"},
        ]
    )
    return v.validate_documents(documents, facts)


def test_document_checks(document_suites) -> None:
    failing = {s.suite: {o.name for o in s.expectations if not o.success} for s in document_suites}
    assert failing["documents_schema"] == set()
    assert failing["documents_table"] == {
        "expect_column_values_to_be_unique(source_file)",
        f"expect_column_values_to_be_in_set(status, {len(STATUSES)} allowed values)",
        "expect_column_values_to_not_be_null(error) where status != 'ok'",
        "expect_column_values_to_be_between(clean_text_chars, 1, inf) where status == 'ok'",
    }
    assert failing["documents_facts"] == {
        "expect_column_values_to_not_be_null(document_status)",
        "expect_column_values_to_be_in_set(document_status, ok)",
    }
    links = suite(document_suites, "documents_facts")
    assert {r["document_key"] for r in links.failing_rows} == {"d-scan", "d-gone"}
    assert all(s.severity == v.STRUCTURAL for s in document_suites)
    assert suite(document_suites, "documents_checks_ran").success


def test_failed_document_checks_name_the_files(document_suites) -> None:
    lines = failure_lines(document_suites)
    assert any(line.startswith("documents_table: 001.txt (status ") and "unique(source_file)" in line for line in lines)
    assert any(line.startswith("documents_table: blank.txt (status ok): ") and "clean_text" in line for line in lines)
    assert any(line.startswith("documents_table: odd.doc (status mystery): ") for line in lines)
    assert any(line.startswith("documents_facts: ") and "document_status" in line for line in lines)


def test_no_content_and_failed_documents_are_known_statuses() -> None:
    """B1/B2: a boilerplate page and a document a stage crashed on pass the blocking document check."""
    documents = pl.DataFrame(
        {
            "document_key": ["d-anyang-2024", "d-nav", "d-crash"],
            "source_file": ["001.txt", "nav.txt", "crash.txt"],
            "status": ["ok", NO_CONTENT, FAILED],
            "error": [None, "nothing is left after removing page noise", "internal error in the clean stage: E"],
            "clean_text": ["全年优良天数226天", "", None],
            "file_type": ["txt", "txt", "txt"],
        },
        schema=v.DOCUMENT_SCHEMA,
    )
    suites = v.validate_documents(documents, frame([GOOD["pm25"]]))
    assert all(s.success for s in suites), failure_lines(suites)


REMOTE = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*['\"]?(?:https?:)?//", re.I)


def test_data_docs_are_offline_and_complete(checked, document_suites, tmp_path: Path) -> None:
    _, result = checked
    suites = [*result.suites, *document_suites]
    index = write_data_docs(suites, tmp_path / "data_docs")
    assert index == tmp_path / "data_docs" / "index.html"
    pages = [index, *sorted((tmp_path / "data_docs" / "validations").glob("*.html"))]
    assert {p.stem for p in pages[1:]} == {s.suite for s in suites if s.gx_result is not None}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not REMOTE.search(text), page
        assert "<script" not in text and "url(http" not in text
        for target in re.findall(r'href=["\']([^"\'#]+)', text):
            assert (page.parent / target).exists(), (page, target)
    text = index.read_text(encoding="utf-8")
    rows = suite(result, "facts_rows")
    for s in suites:
        assert f"<section id='{s.suite}'>" in text
    assert re.search(
        rf"facts_rows</a></td><td>row</td><td><span class=\"fail\">FAIL</span></td><td>{rows.evaluated}</td>"
        rf"<td>{rows.failed}</td>",
        text,
    )
    assert "expect_column_values_to_be_between(value, 0, 366) where range_rule == &#x27;unit:day:level&#x27;" in text
    assert "Days counted within one year" in text  # the CSV's 'why'
    gx_page = (tmp_path / "data_docs" / "validations" / "facts_rows.html").read_text(encoding="utf-8")
    assert "unit:day:level" in gx_page and "Unsuccessful Expectations" in gx_page


def test_gx_runs_allocate_arrow_memory_from_the_system_allocator(monkeypatch) -> None:
    """pandas 3 keeps GX's strings in Arrow arrays; on Arrow's default pool (mimalloc) the pages
    freed by each metric stayed in the process, so the validation step grew with the facts
    (455 MB at 2,000 bench documents against 430 on the system allocator). Every GX run must
    see the system pool, and the pool in use before is back afterwards."""
    import great_expectations as gx
    import pyarrow as pa

    pools: list[str] = []
    run = gx.ValidationDefinition.run

    def recording_run(self, *args, **kwargs):
        pools.append(pa.default_memory_pool().backend_name)
        return run(self, *args, **kwargs)

    monkeypatch.setattr(gx.ValidationDefinition, "run", recording_run)
    before = pa.default_memory_pool().backend_name
    facts = frame([GOOD["pm25"], GOOD["ratio"], BAD["days_400"][0]])
    result = v.validate_facts(facts)
    v.validate_documents(pl.DataFrame(schema=v.DOCUMENT_SCHEMA), result.accepted)
    assert pools == ["system"] * 6  # facts rows, keys, schema; documents schema, table, facts
    assert pa.default_memory_pool().backend_name == before
    assert result.rejected.height == 1 and result.accepted.height == 2


def test_no_gx_batch_outlives_the_validation() -> None:
    """GX's last context stays reachable until the next one is made, and with it every batch
    (the pandas copy of the facts): a validation must drop its data sources once it has results."""
    import gc

    from great_expectations.execution_engine.pandas_batch_data import PandasBatchData

    result = v.validate_facts(frame([GOOD["pm25"], GOOD["ratio"], BAD["days_400"][0]]))
    v.validate_documents(pl.DataFrame(schema=v.DOCUMENT_SCHEMA), result.accepted)
    gc.collect()
    assert [o for o in gc.get_objects() if isinstance(o, PandasBatchData)] == []
    assert all(s.gx_result is not None for s in result.suites[:3])  # rows, keys, schema: kept for Data Docs
