"""Analyst conveniences: read-only SQL, facts with evidence, the data dictionary and example queries."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.cli import _executor_for, data_dictionary, main
from pipelines.cli_changes import describe_changes, read_keys
from pipelines.cli_format import TABLE_ROWS, marked_evidence
from pipelines.core.catalogue import load_catalogue
from pipelines.core.display import SIGNIFICANT_DIGITS, human_number, human_numbers
from pipelines.settings import PROJECT_ROOT, Settings, settings_from_env
from tests.conftest import RAW, build

EXAMPLES = sorted((PROJECT_ROOT / "sql" / "examples").glob("*.sql"))


def test_sql_is_read_only(sample_build: Path, capsys):
    assert main(["sql", "--warehouse", str(sample_build), "SELECT count(*) AS n FROM v_documents"]) == 0
    assert "8" in capsys.readouterr().out
    assert main(["sql", "--warehouse", str(sample_build), "DELETE FROM fact_indicator"]) == 1
    assert "read-only" in capsys.readouterr().err


def test_facts_show_values_with_evidence(sample_build: Path, capsys):
    args = ["facts", "--warehouse", str(sample_build), "--area", "安阳市", "--indicator", "air.pm25_mean"]
    assert main([*args, "--all-copies"]) == 0
    out = capsys.readouterr().out
    assert "安阳市  air.pm25_mean  2024  actual  = 51 µg/m³" in out
    assert "page 2" in out and "年均浓度【51微克/立方米】" in out


def test_facts_count_each_report_once_unless_asked_for_every_copy(sample_build: Path, capsys):
    args = ["facts", "--warehouse", str(sample_build), "--area", "安阳市", "--indicator", "air.pm25_mean", "--year"]
    assert main([*args, "2024", "--kind", "actual"]) == 0
    once = capsys.readouterr().out
    assert main([*args, "2024", "--kind", "actual", "--all-copies"]) == 0
    every = capsys.readouterr().out
    # the bulletin came as a PDF and as a text: one fact by default, both copies' evidence on request
    assert once.count("= 51 µg/m³") == 1 and "001_9aa5532d1dae63e5.txt" in once
    assert every.count("= 51 µg/m³") == 2 and "001_9aa5532d1dae63e5.pdf" in every


def test_facts_filters_are_parameters_not_sql(sample_build: Path, capsys):
    assert main(["facts", "--warehouse", str(sample_build), "--area", "安阳市", "--kind", "actual", "--year", "1"]) == 0
    assert capsys.readouterr().out.strip().endswith("0 facts")
    assert main(["facts", "--warehouse", str(sample_build), "--area", "x' OR '1'='1"]) == 2  # a name, not SQL
    assert capsys.readouterr().err.startswith("error: no area x' OR '1'='1")


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


# -- names: unknown ones are errors with suggestions ------------------------------------------------


def _facts(warehouse: Path, *args: str) -> list[str]:
    return ["facts", "--warehouse", str(warehouse), *args]


def test_a_short_area_name_is_an_error_that_suggests_the_full_name(sample_build: Path, capsys):
    assert main(_facts(sample_build, "--area", "沈阳")) == 2
    captured = capsys.readouterr()
    assert captured.err == "error: no area 沈阳; did you mean 沈阳市?\n" and captured.out == ""


@pytest.mark.parametrize("typed", ["Shenyang", "shen yang", "SHENYANG", "Shenyang City"])
def test_pinyin_and_english_area_names_work(sample_build: Path, capsys, typed: str):
    assert main(_facts(sample_build, "--area", typed, "--indicator", "air.good_days")) == 0
    assert "沈阳市  air.good_days  2024 (01-01…12-09)  actual  = 296 天 days" in capsys.readouterr().out


def test_a_pinyin_name_of_several_areas_lists_them(sample_build: Path, capsys):
    assert main(_facts(sample_build, "--area", "Chaoyang")) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: Chaoyang names several areas: ") and "朝阳市 (辽宁省)" in err and "北京市" in err


def test_a_misspelt_pinyin_name_suggests_the_area(sample_build: Path, capsys):
    assert main(_facts(sample_build, "--area", "Shenyng")) == 2
    assert capsys.readouterr().err.startswith("error: no area Shenyng; did you mean 沈阳市")


def test_a_real_area_without_facts_says_so(sample_build: Path, capsys):
    assert main(_facts(sample_build, "--area", "北京市")) == 0
    out = capsys.readouterr().out
    assert out.startswith("no facts for area 北京市: a known area") and out.count("\n") == 1


def test_unknown_indicator_codes_suggest_close_codes(sample_build: Path, capsys):
    for typed in ("pm25", "air.pm25_maen"):
        assert main(_facts(sample_build, "--indicator", typed)) == 2
        assert capsys.readouterr().err.startswith(f"error: no indicator {typed}; did you mean air.pm25_mean")


def test_an_indicator_can_be_named_in_chinese(sample_build: Path, capsys):
    assert main(_facts(sample_build, "--indicator", "优良天数", "--area", "Anyang")) == 0
    assert "安阳市  air.good_days  2024  actual  = 226 天 days" in capsys.readouterr().out


def test_a_known_indicator_without_facts_says_so(sample_build: Path, sample_db, capsys):
    with_facts = {c for (c,) in sample_db.execute("SELECT DISTINCT indicator_code FROM v_indicator_facts").fetchall()}
    idle = next(code for code in load_catalogue() if code not in with_facts)
    assert main(_facts(sample_build, "--indicator", idle)) == 0
    assert capsys.readouterr().out.startswith(f"no facts for indicator {idle}: a known indicator")


# -- no tracebacks ------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "   ", "-- only a comment", "/* a block */ ;"])
def test_empty_or_comment_only_sql_is_one_line(sample_build: Path, capsys, query: str):
    assert main(["sql", "--warehouse", str(sample_build), query]) == 1
    assert capsys.readouterr().err == "error: no SQL statement to run (the query is empty or only comments)\n"


def _one_line_failure(args: list[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        main(args)
    message = str(exit_.value.code)
    assert message.startswith("error: ") and "\n" not in message
    return message


@pytest.mark.parametrize("command", [["sql", "SELECT 1"], ["facts"], ["schema"]])
def test_what_is_not_a_warehouse_is_one_line(tmp_path: Path, command: list[str]):
    text = tmp_path / "notes.txt"
    text.write_text("not a database", encoding="utf-8")
    bare = tmp_path / "bare.duckdb"
    con = duckdb.connect(str(bare))
    con.execute("CREATE TABLE t (a INTEGER)")
    con.close()
    for path, says in (
        (text, "is not a DuckDB warehouse"),
        (tmp_path, "is a folder, not a warehouse file"),
        (bare, "is a DuckDB file but not an envreports warehouse (no v_documents, v_indicator_facts)"),
    ):
        assert says in _one_line_failure([command[0], "--warehouse", str(path), *command[1:]])


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_pipe_ends_quietly(sample_build: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert main(["sql", "--warehouse", str(sample_build), "SELECT * FROM v_indicator_facts"]) == 141
    assert capsys.readouterr().err == ""


def test_a_closed_pipe_through_the_shell_ends_quietly(sample_build: Path):
    """`envreports sql … | head -1`: the reader leaves early; no traceback, no "Exception ignored"."""
    command = [sys.executable, "-m", "pipelines.cli", "sql", "--warehouse", str(sample_build), "--format", "csv"]
    process = subprocess.Popen(
        [*command, "SELECT * FROM range(2000000)"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=PROJECT_ROOT
    )
    assert process.stdout.readline() == b"range\n"
    process.stdout.close()
    _, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (141, b"")


# -- sql -------------------------------------------------------------------------------------------------


def _sql(warehouse: Path, *args: str) -> list[str]:
    return ["sql", "--warehouse", str(warehouse), *args]


def test_sql_tables_keep_column_names_whole(sample_build: Path, capsys):
    query = "SELECT indicator_code AS a_rather_long_column_name_for_the_code, 1.5e6 AS v FROM v_indicator_facts"
    assert main(_sql(sample_build, query + " LIMIT 2")) == 0
    out = capsys.readouterr().out
    header, rule, *rows, footer = out.splitlines()
    assert header.split() == ["a_rather_long_column_name_for_the_code", "v"] and set(rule) <= {"-", " "}
    assert "shape:" not in out and footer == "(2 rows)" and rows[0].endswith("1,500,000")


def test_sql_tables_show_the_first_rows_and_say_how_many_more(sample_build: Path, capsys):
    assert main(_sql(sample_build, f"SELECT * FROM range({TABLE_ROWS + 50})")) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == TABLE_ROWS + 3 and lines[-1].startswith(f"({TABLE_ROWS + 50} rows, first {TABLE_ROWS} shown")


def test_sql_csv_and_json_print_every_row(sample_build: Path, capsys):
    n = TABLE_ROWS * 3
    assert main(_sql(sample_build, "--format", "csv", f"SELECT range AS i, 'a,b' AS s FROM range({n})")) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["i", "s"] and len(rows) == n + 1 and rows[-1] == [str(n - 1), "a,b"]
    query = "SELECT range AS i, NULL AS nothing, DATE '2024-01-02' AS d FROM range(?)".replace("?", str(n))
    assert main(_sql(sample_build, "--format", "json", query)) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == n and records[0] == {"i": 0, "nothing": None, "d": "2024-01-02"}


def test_sql_from_a_file_with_several_statements(sample_build: Path, tmp_path: Path, capsys):
    script = tmp_path / "two.sql"
    script.write_text(
        "-- documents, then facts\nSELECT count(*) AS n_documents FROM v_documents;\n"
        "SELECT count(*) AS n_facts FROM v_indicator_facts;\n",
        encoding="utf-8",
    )
    assert main(_sql(sample_build, "--format", "csv", "-f", str(script))) == 0
    blocks = capsys.readouterr().out.strip().split("\n\n")
    assert [block.splitlines()[0] for block in blocks] == ["n_documents", "n_facts"]
    assert blocks[0].splitlines()[1] == "8"


def test_sql_says_which_statement_failed(sample_build: Path, capsys):
    assert main(_sql(sample_build, "SELECT 1 AS one; SELECT nonsense FROM v_documents")) == 1
    captured = capsys.readouterr()
    assert "one" in captured.out and captured.err.startswith("error: statement 2: ")
    assert captured.err.count("\n") == 1


def test_sql_needs_exactly_one_source(sample_build: Path, tmp_path: Path, capsys):
    assert main(_sql(sample_build)) == 2
    assert capsys.readouterr().err == "error: give one query, either as an argument or with -f FILE.sql\n"
    assert main(_sql(sample_build, "-f", str(tmp_path / "missing.sql"))) == 2
    assert capsys.readouterr().err.startswith("error: cannot read ")


# -- facts as people write them -------------------------------------------------------------------------


def test_facts_write_numbers_as_people_do_with_the_figure_as_written(sample_build: Path, capsys):
    assert main(_facts(sample_build, "--indicator", "energy.renewable_capacity_total")) == 0
    out = capsys.readouterr().out
    assert "= 6,370,000 kW  (as written: 637万千瓦)" in out and "e+06" not in out
    assert "【637 万千瓦】" in out  # the text copy of the bulletin, which spaces its figures


def test_facts_show_the_part_of_the_year_a_figure_covers(sample_build: Path, capsys):
    assert main(_facts(sample_build, "--area", "沈阳市", "--indicator", "air.good_days", "--year", "2024")) == 0
    out = capsys.readouterr().out
    # 截至12月9日: the count to 9 December, not the year's
    assert "沈阳市  air.good_days  2024 (01-01…12-09)  actual  = 296 天 days" in out


def test_facts_mark_the_figure_where_it_is_not_the_first_number(sample_build: Path, capsys):
    assert main(_facts(sample_build, "--area", "沈阳市", "--indicator", "air.good_days", "--year", "2023")) == 0
    out = capsys.readouterr().out
    assert "共完成优良天296天,较去年同期(【287天】)" in out


def test_facts_keep_multi_line_evidence_on_its_lines(sample_build: Path, tmp_path: Path, capsys):
    warehouse = tmp_path / "envreports.duckdb"
    shutil.copy(sample_build, warehouse)
    con = duckdb.connect(str(warehouse))
    con.execute(
        "UPDATE fact_indicator SET evidence = '表1 新能源装机\n' || evidence || '\n数据来源:能源局' "
        "WHERE indicator_code = 'energy.renewable_capacity_total'"
    )
    con.close()
    assert main(_facts(warehouse, "--indicator", "energy.renewable_capacity_total")) == 0
    lines = capsys.readouterr().out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("    «表1 新能源装机"))
    assert lines[at] == "    «表1 新能源装机" and "【637 万千瓦】" in lines[at + 1]
    assert lines[at + 2] == "     数据来源:能源局»"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_facts_on_a_terminal_mark_the_figure_in_bold_unless_no_color(
    sample_build: Path, monkeypatch: pytest.MonkeyPatch
):
    args = _facts(sample_build, "--area", "沈阳市", "--indicator", "air.good_days", "--year", "2023")
    for no_color, mark in (("", "(\x1b[1m287天\x1b[0m)"), ("1", "(【287天】)")):
        monkeypatch.setenv("NO_COLOR", no_color)
        monkeypatch.setattr(sys, "stdout", terminal := _Terminal())
        assert main(args) == 0
        assert mark in terminal.getvalue()


NUMBERS = [
    (6370000.0, "6,370,000"),
    (51.0, "51"),
    (0.1, "0.1"),
    (1e-05, "0.00001"),  # the report wrote 1e-05
    (1.2e-05, "0.000012"),
    (-1.02, "-1.02"),
    (-1234.5, "-1,234.5"),
    (1_234_567.25, "1,234,567.25"),
    (31360000, "31,360,000"),
    (1e22, "10,000,000,000,000,000,000,000"),
    (1.5e20, "150,000,000,000,000,000,000"),  # polars wrote 1.5e20
    (95.66000000000001, "95.66"),  # 0.9566 × 100: the conversion's noise is not a digit anyone wrote
    (0.1 + 0.2, "0.3"),
    (-0.0, "0"),
    (Decimal("1.500"), "1.5"),  # a DECIMAL column: exact, trailing zeros trimmed
    (Decimal("-12345.678"), "-12,345.678"),
    (None, ""),
    (math.nan, "nan"),
]


@pytest.mark.parametrize(("value", "shown"), NUMBERS)
def test_numbers_are_written_as_people_write_them(value, shown):
    assert human_number(value) == shown


def test_polars_labels_and_python_cells_write_numbers_alike():
    floats = [v for v, _ in NUMBERS if isinstance(v, float) or v is None]
    shown = pl.DataFrame({"v": floats}, schema={"v": pl.Float64}).select(human_numbers("v"))["v"].to_list()
    assert shown == [None if v is None else human_number(v) for v in floats]


PLAIN = re.compile(r"-?(0|[1-9]\d{0,2}(,\d{3})*)(\.\d*[1-9])?")


@given(st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(10**30), 10**30))
@settings(max_examples=500, deadline=None)
def test_a_shown_number_reads_back_as_its_value(value):
    """Grouped digits, no exponent, no trailing zeros; parsed back, the string is the value to the shown
    precision: integers exactly, floats to SIGNIFICANT_DIGITS (and exactly when that is all they have)."""
    shown = human_number(value)
    assert PLAIN.fullmatch(shown), shown
    back = Decimal(shown.replace(",", ""))
    if isinstance(value, int):
        assert back == value
        return
    assert back == Decimal(f"{value:.{SIGNIFICANT_DIGITS}g}")
    exact = Decimal(value)  # the float's own binary value, in full
    assert abs(back - exact) <= abs(exact) * Decimal(5) / 10**SIGNIFICANT_DIGITS  # half a unit of the last digit
    if len(Decimal(repr(value)).as_tuple().digits) <= SIGNIFICANT_DIGITS:
        assert float(back) == value


def test_marks():
    sentence = "较去年同期(287天)增加9天。"
    assert marked_evidence(sentence, "9", "天", bold=True) == ["较去年同期(287天)增加\x1b[1m9天\x1b[0m。"]
    spaced = "新增29天,累计规模 637 万千瓦,增加9天"  # PDF text puts spaces around figures
    assert marked_evidence(spaced, "637", "万千瓦", bold=False) == ["新增29天,累计规模 【637 万千瓦】,增加9天"]
    assert marked_evidence(spaced, "9", "天", bold=False) == ["新增29天,累计规模 637 万千瓦,增加【9天】"]
    long = "甲" * 300 + "PM2.5浓度51微克/立方米" + "乙" * 300
    (line,) = marked_evidence(long, "51", "微克/立方米", bold=False)
    assert line.startswith("…甲") and line.endswith("乙…") and "【51微克/立方米】" in line and len(line) < 200


# -- build says what changed --------------------------------------------------------------------------------


def test_build_says_what_changed(tmp_path: Path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("002_1476e9828541749f.txt", "003_71df9ef4c03a5c50.txt"):
        shutil.copy(RAW / name, raw / name)
    warehouse = tmp_path / "wh" / "envreports.duckdb"
    assert build(raw, warehouse) == 0
    assert "changes: first build of this warehouse (2 documents," in capsys.readouterr().out
    before = read_keys(warehouse)
    shutil.copy(RAW / "004_855f608002ef64d1.txt", raw / "004_855f608002ef64d1.txt")  # added
    (raw / "003_71df9ef4c03a5c50.txt").unlink()  # removed
    changed = raw / "002_1476e9828541749f.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n2024年,全市PM2.5年均浓度为33微克/立方米。\n", "utf-8")
    assert build(raw, warehouse) == 0
    after = read_keys(warehouse)
    added, dropped = len(after.facts - before.facts), len(before.facts - after.facts)
    assert added and dropped
    assert (
        f"changes: documents 1 added, 1 changed, 1 removed; facts {added} added, {dropped} dropped"
        in capsys.readouterr().out.splitlines()
    )
    assert describe_changes(after, after) == "changes: none (same documents, same facts)"
