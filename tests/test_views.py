"""The analyst views: every column described, each report counted once, conflicts listed with evidence."""

from __future__ import annotations

import random
import re

import duckdb
import pytest

from pipelines.core.extraction import RULES
from pipelines.core.near_duplicates import _candidates, fingerprint, same_reports, similarity
from pipelines.core.records import FIGURE_KEY
from pipelines.store.warehouse import SQL_DIR, VIEWS, inherit_comments
from tests.conftest import RAW

BULLETIN = (RAW / "000_f62db9893ffb6cb0.txt").read_text(encoding="utf-8")
OTHER = (RAW / "002_1476e9828541749f.txt").read_text(encoding="utf-8")


# ---------------------------------------------------------------- comments


def test_every_column_of_every_view_has_a_comment(sample_db):
    views = {
        name: comment
        for name, comment in sample_db.execute(
            "SELECT view_name, comment FROM duckdb_views() WHERE NOT internal AND database_name = current_database()"
        ).fetchall()
    }
    assert set(views) == set(VIEWS)
    assert all((c or "").strip() for c in views.values()), views
    bare = sample_db.execute(
        "SELECT table_name, column_name FROM duckdb_columns() c JOIN duckdb_views() v "
        "ON v.view_name = c.table_name AND v.database_name = c.database_name "
        "WHERE NOT v.internal AND coalesce(trim(c.comment), '') = ''"
    ).fetchall()
    assert bare == []


def test_inherited_comments_describe_the_column_they_pass_through(sample_db):
    comment = dict(
        sample_db.execute(
            "SELECT table_name || '.' || column_name, comment FROM duckdb_columns() WHERE column_name IN "
            "('evidence', 'n_chars', 'same_report_as')"
        ).fetchall()
    )
    assert comment["v_latest_facts.evidence"] == comment["fact_indicator.evidence"]
    assert comment["v_documents.same_report_as"] == comment["dim_document.same_report_as"]
    assert comment["v_noise.n_chars"] == "Characters removed."  # its own, not dim_document's namesake


def test_the_rule_names_are_written_once_and_are_the_extractors(sample_db):
    """fact_indicator.rule lists the extractor's rules (extraction.RULES, in order); the views inherit that
    COMMENT instead of repeating the list, so adding a rule means one COMMENT to extend, and this test says so."""
    comments = dict(
        sample_db.execute(
            "SELECT table_name, comment FROM duckdb_columns() WHERE column_name = 'rule' AND comment IS NOT NULL"
        ).fetchall()
    )
    assert {"fact_indicator", "v_indicator_facts", "v_report_facts"} <= set(comments)
    listed = re.search(r"\((.+); extraction\.RULES", comments["fact_indicator"])[1].split(", ")
    assert listed == list(RULES)
    assert len({comments[t] for t in comments if t != "fact_rejected"}) == 1  # inherited, not rewritten
    sources = [(SQL_DIR / name).read_text(encoding="utf-8") for name in ("schema.sql", "views.sql")]
    assert sum(text.count(", ".join(RULES)) for text in sources) == 1


# ---------------------------------------------------------------- near duplicates


def _pdf_like(text: str) -> str:
    """The text as a PDF gives it: lines broken every 38 characters, full-width punctuation, a page number."""
    flat = text.replace("\n", "").replace(",", "，").replace(";", "；")
    return "\n".join(flat[i : i + 38] for i in range(0, len(flat), 38)) + "\n- 1 -"


def _other_year(text: str) -> str:
    """Next year's bulletin on the same template: every figure different."""
    return re.sub(r"\d+(?:\.\d+)?", lambda m: str(int(float(m.group())) + 7), text)


@pytest.mark.parametrize(
    ("variant", "same"),
    [
        (_pdf_like(BULLETIN), True),
        (re.sub(r"\s+", "  ", BULLETIN), True),
        ("首页 > 新闻中心 > 通知公告\n" + BULLETIN + "\n责任编辑：王明 来源：市生态环境局", True),  # a mirror
        (BULLETIN.replace("。", "。\n", 3).replace("监测", "检测", 2), True),  # small edits
        (BULLETIN[: len(BULLETIN) // 2], False),  # half of it is not the report
        (_other_year(BULLETIN), False),  # same office, same boilerplate, other figures
        (OTHER, False),
    ],
    ids=["pdf", "whitespace", "mirror", "small_edits", "half", "next_year", "other_report"],
)
def test_same_report_across_formats_and_small_differences(variant: str, same: bool):
    found = similarity(fingerprint(BULLETIN), fingerprint(variant))
    assert found.same_report is same, found


def test_next_years_bulletin_shares_the_wording_but_not_the_figures():
    found = similarity(fingerprint(BULLETIN), fingerprint(_other_year(BULLETIN)))
    assert found.text > 0.7 and found.figures < 0.2


def test_documents_on_one_template_are_rarely_even_compared():
    """Hundreds of bulletins on one template (other figures each) must not make the grouping quadratic."""
    rng = random.Random(7)
    variants = [re.sub(r"\d", lambda _: str(rng.randrange(10)), BULLETIN) for _ in range(60)]
    fingerprints = [fingerprint(v) for v in variants]
    assert len(_candidates(fingerprints)) < 60  # of 1,770 pairs
    assert same_reports((str(i), fp) for i, fp in enumerate(fingerprints)) == []


def test_groups_chain_copies_to_the_first_preferred_document():
    docs = [
        ("a.txt", BULLETIN),
        ("b.txt", OTHER),
        ("a.pdf", _pdf_like(BULLETIN)),
        ("a_mirror.txt", "转载\n" + BULLETIN),
    ]
    copies = {c.document: c.canonical for c in same_reports((n, fingerprint(t)) for n, t in docs)}
    assert copies == {"a.pdf": "a.txt", "a_mirror.txt": "a.txt"}


# ---------------------------------------------------------------- the sample build


def test_pdf_and_text_of_one_report_are_one_report(sample_db):
    copies = dict(
        sample_db.execute(
            "SELECT source_file, same_report_as FROM v_documents WHERE same_report_as IS NOT NULL"
        ).fetchall()
    )
    assert copies == {f"{stem}.pdf": f"{stem}.txt" for stem in RAW_PAIRS}
    for stem in RAW_PAIRS:  # the evidence view keeps both documents' own facts
        n_pdf, n_txt = (
            sample_db.execute(
                "SELECT count(*) FROM v_indicator_facts WHERE source_file = ?", [f"{stem}{ext}"]
            ).fetchone()[0]
            for ext in (".pdf", ".txt")
        )
        assert n_pdf > 0 and n_txt > 0


RAW_PAIRS = sorted(p.stem for p in RAW.glob("*.pdf") if p.with_suffix(".txt").exists())


def test_aggregating_views_count_each_report_once(sample_db):
    # per key, the number of reports behind it, counted from the evidence with copies merged
    expected = dict(
        sample_db.execute(
            "SELECT concat_ws('|', f.area_key, f.indicator_code, f.year, f.value_kind, f.base_year, f.period_start), "
            "count(DISTINCT coalesce(d.same_report_as, f.source_file)) "
            "FROM v_indicator_facts f JOIN dim_document d USING (document_key) "
            "WHERE f.area_key IS NOT NULL AND f.year IS NOT NULL GROUP BY ALL"
        ).fetchall()
    )
    latest = dict(
        sample_db.execute(
            "SELECT concat_ws('|', area_key, indicator_code, year, value_kind, base_year, period_start), n_sources "
            "FROM v_latest_period_facts"
        ).fetchall()
    )
    assert latest == expected
    # what compares years holds the whole-year keys only: a month's figure never stands in for its year
    whole_years = sample_db.execute("SELECT count(*) FROM v_latest_period_facts WHERE is_full_year").fetchone()[0]
    assert sample_db.execute("SELECT count(*), bool_and(is_full_year) FROM v_latest_facts").fetchone() == (
        whole_years,
        True,
    )
    assert whole_years < len(latest)
    # Anyang's 2024 PM2.5 is stated by the PDF and by the text of one bulletin: one source, not two
    pm25 = sample_db.execute(
        "SELECT n_sources, value, qualifier, figure_text, page, is_full_year FROM v_latest_facts "
        "WHERE region_name = '安阳市' AND indicator_code = 'air.pm25_mean' AND year = 2024 AND value_kind = 'actual'"
        " AND is_full_year"
    ).fetchall()
    in_evidence = sample_db.execute(
        "SELECT count(DISTINCT source_file) FROM v_indicator_facts WHERE region_name = '安阳市' "
        "AND indicator_code = 'air.pm25_mean' AND year = 2024 AND value_kind = 'actual' AND is_full_year"
    ).fetchone()[0]
    assert in_evidence == 2 and [r[:2] for r in pm25] == [(1, 51.0)]
    panel = sample_db.execute(
        "SELECT pm25_ug_m3, pm25_ug_m3_sources, pm25_ug_m3_values FROM v_area_year WHERE region_name = '安阳市' "
        "AND year = 2024"
    ).fetchall()
    assert panel == [(51.0, 1, 1)]
    reports, rows = sample_db.execute("SELECT count(DISTINCT report_file), count(*) FROM v_report_facts").fetchone()
    evidence_rows = sample_db.execute("SELECT count(*) FROM v_indicator_facts").fetchone()[0]
    assert reports == 4  # 8 files: 3 PDF/text pairs, a text alone, and 002 without facts
    assert rows < evidence_rows


# ---------------------------------------------------------------- views on a hand-made warehouse


@pytest.fixture
def tiny():
    """The schema and views over two reports of one area (one of them in two formats) that disagree."""
    con = duckdb.connect()
    con.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
    con.execute(
        "INSERT INTO dim_indicator VALUES ('air.pm25_mean', 'PM2.5', 'PM2.5', 'air', 'ug/m3', false, ''); "
        "INSERT INTO dim_area VALUES ('410500', '安阳市', 'Anyang', 'prefecture', '河南省', 'Henan', '河南省'); "
        "INSERT INTO dim_period VALUES (2024, '十四五', 2021, 2025, false);"
    )
    for key, name, kind, copy_of in [
        ("d1", "bulletin.txt", "txt", None),
        ("d2", "bulletin.pdf", "pdf", "bulletin.txt"),
        ("d3", "news.txt", "txt", None),
    ]:
        con.execute(
            "INSERT INTO dim_document (document_key, source_file, file_type, status, source_type, authority_rank, "
            "area_key, same_report_as) VALUES (?, ?, ?, 'ok', ?, ?, '410500', ?)",
            [key, name, kind, "news" if key == "d3" else "bulletin", 4 if key == "d3" else 1, copy_of],
        )
    for key, doc, value, page in [("f1", "d1", 51, None), ("f2", "d2", 51, 2), ("f3", "d3", 53, None)]:
        con.execute(
            "INSERT INTO fact_indicator (fact_key, document_key, area_key, indicator_code, year, value_kind, value, "
            "unit, figure_text, qualifier, evidence, page) VALUES (?, ?, '410500', 'air.pm25_mean', 2024, 'actual', "
            "?, 'ug/m3', ?, '≈', ?, ?)",
            [key, doc, value, str(value), f"PM2.5年均浓度约{value}微克/立方米", page],
        )
    con.execute((SQL_DIR / "views.sql").read_text(encoding="utf-8"))
    inherit_comments(con)
    yield con
    con.close()


def test_conflicts_list_both_values_with_their_evidence(tiny):
    rows = tiny.execute(
        "SELECT region_name, value_a, figure_text_a, source_a, evidence_a, value_b, source_b, evidence_b, n_reports "
        "FROM v_conflicts"
    ).fetchall()
    assert rows == [
        (
            "安阳市",
            51.0,
            "51",
            "bulletin.txt",
            "PM2.5年均浓度约51微克/立方米",
            53.0,
            "news.txt",
            "PM2.5年均浓度约53微克/立方米",
            2,
        )
    ]  # the PDF copy of the bulletin is not a third opinion


def test_latest_facts_keep_the_figure_as_written_and_count_reports(tiny):
    row = tiny.execute(
        "SELECT value, won_by, n_sources, n_distinct_values, qualifier, figure_text, is_full_year FROM v_latest_facts"
    ).fetchall()
    assert row == [(51.0, "bulletin.txt", 2, 2, "≈", "51", True)]
    assert tiny.execute("SELECT pm25_ug_m3, pm25_ug_m3_sources, pm25_ug_m3_values FROM v_area_year").fetchall() == [
        (51.0, 2, 2)
    ]


def test_a_figure_only_the_copy_yielded_still_counts(tiny):
    tiny.execute("DELETE FROM fact_indicator WHERE fact_key = 'f1'")
    rows = tiny.execute("SELECT source_file, report_file, is_copy, n_copies FROM v_report_facts ORDER BY 1").fetchall()
    assert rows == [("bulletin.pdf", "bulletin.txt", True, 1), ("news.txt", "news.txt", False, 1)]


def test_views_key_figures_on_the_cores_figure_key():
    """v_report_facts, v_latest_period_facts and v_conflicts partition by the same key the report's conflict
    flags use (records.FIGURE_KEY, period and base year included), so the report and SQL never disagree."""
    views = (SQL_DIR / "views.sql").read_text(encoding="utf-8")
    partitions = [
        [c.strip().removeprefix("f.") for c in found.split(",")]
        for found in re.findall(r"PARTITION BY ([\w.,\s]+?)\s*\)", views)
    ]
    assert len(partitions) == 3
    assert all([c for c in p if c != "report_file"] == list(FIGURE_KEY) for p in partitions), partitions
    pairing = re.search(r"JOIN keyed b\s+ON (.+?)\s+AND a\.report_file", views, re.S)[1]
    assert sorted(set(re.findall(r"a\.(\w+)", pairing))) == sorted(FIGURE_KEY)
