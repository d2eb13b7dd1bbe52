"""The text concepts the cleaner and the extractor share (pipelines/core/text_concepts.py)."""

from __future__ import annotations

import pytest

from pipelines.core import text_concepts as T
from pipelines.core.extraction import _area_label


@pytest.mark.parametrize(
    ("line", "chapter", "heading"),
    [
        ("一、环境空气质量", True, True),
        ("（二）地表水环境质量", True, True),
        ("第三章 主要任务", True, True),
        ("3. 声环境质量", False, True),
        ("(4)土壤环境", True, True),
        ("①城市空气", False, True),
        ("2023年全市优良天数为300天", False, False),
        ("3.5微克/立方米", False, False),
    ],
)
def test_headings(line: str, chapter: bool, heading: bool) -> None:
    assert bool(T.CHAPTER_HEADING_RE.match(line)) is chapter
    assert bool(T.HEADING_RE.match(line)) is heading


@pytest.mark.parametrize(
    ("text", "readings"),
    [
        ("質(zhì)量", ["zhì"]),
        ("天數（shù）", ["shù"]),
        ("出水|(zhì)功能區", ["zhì"]),
        ("P(pí)M10", ["pí"]),
        ("細顆粒物(PM2.5)", []),
        ("單位(mg)", []),
        ("方案(xyz)", []),  # not pinyin syllables
    ],
)
def test_pinyin_readings(text: str, readings: list[str]) -> None:
    found = [m.group(1) for m in T.READING_CANDIDATE_RE.finditer(text) if T.is_reading(m)]
    assert found == readings


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("PM2.5年均浓度为35微克/立方米，同比下降5.4%", ["35微克/立方米", "5.4%"]),
        ("上升6.9个百分点", ["6.9个百分点"]),
        ("优良天数300天", ["300天"]),
        ("短信费3元/月", []),
        ("索引号008474032/2020-0408", []),
    ],
)
def test_figure_with_unit(text: str, figures: list[str]) -> None:
    assert [m.group() for m in T.figure_unit_re().finditer(text.lower())] == [f.lower() for f in figures]


def test_titles_self_references_years_and_plans() -> None:
    assert T.TITLE_SPAN_RE.findall("根据《2022年环境公报》和《规划》") == ["《2022年环境公报》", "《规划》"]
    assert T.SELF_REFERENCE_RE.findall("我市和全县") == ["我市", "全县"]
    assert T.MIN_YEAR < 2000 < T.MAX_YEAR
    assert T.FIVE_YEAR_PLANS["十四五"] == (2021, 2025)
    assert T.SENTENCE_END_RE.findall("一。二！三；") == ["。", "！", "；"]


def test_extractor_and_cleaner_read_the_same_definitions() -> None:
    """One definition of each concept: the extractor and the year reader hold no copies of their own."""
    from pipelines.core import cleaning, extraction, years

    assert cleaning.T is T and extraction.T is T and years.T is T
    for module in (extraction, years):
        for copy in ("_PINYIN", "_TITLE_SPAN", "_HEADING", "_SELF", "_TONED", "MIN_YEAR", "MAX_YEAR", "PLANS"):
            assert not hasattr(module, copy), f"{module.__name__}.{copy} copies a text concept"
    assert years.parse_year("2101") is None and years.parse_year(str(T.MAX_YEAR)) == T.MAX_YEAR
    assert years._PLAN.fullmatch("十五五") and not years._PLAN.fullmatch("十一五")


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("第三章 主要任务", 1),
        ("一、环境空气质量", 1),
        ("（二）地表水环境质量", 2),
        ("3. 声环境质量", 3),
        ("(4)土壤环境", 4),
        ("①城市空气", 4),
        ("第3条 附则", 0),  # a chapter to the cleaner, but of no certain level
        ("2023年全市优良天数为300天", 0),
    ],
)
def test_heading_levels(line: str, level: int) -> None:
    from pipelines.core import extraction

    assert extraction._heading_level(line) == level


def test_toned_readings_also_where_the_scraper_left_question_marks() -> None:
    text = "空气质量?jī)?yōu)良，質(zhì)量"
    assert T.TONED_READING_RE.findall(text) == ["?jī)", "?yōu)", "(zhì)"]


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("北京——", "北京"),
        ("【渭南市】", "渭南市"),
        ("陕西：", "陕西"),
        ("（二）西安市", "西安市"),
        ("三、【宝鸡市】", "宝鸡市"),
    ],
)
def test_a_line_that_only_names_a_place(line: str, name: str) -> None:
    assert _area_label(line) == name


@pytest.mark.parametrize("line", ["西安市", "西安市PM2.5浓度为38微克/立方米。", "（二）西安市空气质量状况良好。"])
def test_lines_that_do_more_than_name_a_place_are_no_label(line: str) -> None:
    assert _area_label(line) is None
