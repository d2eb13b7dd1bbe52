"""Periods (FACTS.md, Period) and the rule recorded on every fact."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.core import extraction, table_facts
from pipelines.core.areas import Gazetteer
from pipelines.core.extraction import RULES, extract_facts, find_periods
from pipelines.core.models import DocContext

GAZ = Gazetteer.load()
CTX = DocContext(
    title=None, doc_date=date(2025, 4, 28), subject_year=2024, area=GAZ.by_name("鞍山市"), source_type="bulletin"
)


def periods(text: str) -> set[tuple]:
    return {
        (f.indicator_code, f.number, f.period_start, f.period_end, f.is_full_year)
        for f in extract_facts(text, CTX, gazetteer=GAZ)
    }


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2024年12月，全市PM2.5浓度为35微克/立方米。", date(2024, 12, 1), date(2024, 12, 31)),
        ("2024年4月份，全市PM2.5浓度为35微克/立方米。", date(2024, 4, 1), date(2024, 4, 30)),
        ("2024年一季度，全市PM2.5浓度为35微克/立方米。", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024年第三季度，全市PM2.5浓度为35微克/立方米。", date(2024, 7, 1), date(2024, 9, 30)),
        ("2024年前三季度，全市PM2.5浓度为35微克/立方米。", date(2024, 1, 1), date(2024, 9, 30)),
        ("2024年上半年，全市PM2.5浓度为35微克/立方米。", date(2024, 1, 1), date(2024, 6, 30)),
        ("2024年1—5月，全市PM2.5浓度为35微克/立方米。", date(2024, 1, 1), date(2024, 5, 31)),
        ("2024年1至11月，全市PM2.5浓度为35微克/立方米。", date(2024, 1, 1), date(2024, 11, 30)),
        ("2024年1月至11月，全市PM2.5浓度为35微克/立方米。", date(2024, 1, 1), date(2024, 11, 30)),
        ("截至2024年10月18日，全市PM2.5浓度为35微克/立方米。", date(2024, 1, 1), date(2024, 10, 18)),
        ("截至2024年10月底，全市PM2.5浓度为35微克/立方米。", date(2024, 1, 1), date(2024, 10, 31)),
        ("2024年2月全市PM2.5浓度为35微克/立方米。", date(2024, 2, 1), date(2024, 2, 29)),
    ],
)
def test_a_part_year_figure_keeps_its_period(text: str, first: date, last: date):
    assert periods(text) == {("air.pm25_mean", 35.0, first, last, False)}


@pytest.mark.parametrize(
    "text",
    [
        "2024年，全市PM2.5浓度为35微克/立方米。",
        "2024年1-12月，全市PM2.5浓度为35微克/立方米。",  # the twelve months are the year
        "2024年全年，全市PM2.5浓度为35微克/立方米。",
        # a month named in passing elsewhere in the sentence governs nothing else
        "2024年优良天数比率为95.5%，全年有3个月(6月、7月、11月)达到100%；PM2.5浓度为35微克/立方米。",
        # a month after 较 is the base of a change, not the figure's period
        "2024年PM2.5浓度为35微克/立方米，较3月份下降2微克/立方米。",
    ],
)
def test_a_whole_year_figure_has_no_period(text: str):
    found = [f for f in extract_facts(text, CTX, gazetteer=GAZ) if f.indicator_code == "air.pm25_mean"]
    assert found and all(f.is_full_year and f.period_start is None for f in found)


def test_a_month_and_the_year_are_two_facts():
    text = "2024年，全市PM2.5浓度为35微克/立方米。2024年12月，全市PM2.5浓度为35微克/立方米。"
    assert len(extract_facts(text, CTX, gazetteer=GAZ)) == 2


def test_targets_cover_their_year():
    text = "到2025年上半年，PM2.5浓度目标为30微克/立方米。"
    found = extract_facts(text, CTX, gazetteer=GAZ)
    assert found and all(f.value_kind == "target" and f.is_full_year for f in found)


def test_period_words_overlap_longest_first():
    s = "前三季度"
    assert [(p.first_month, p.last_month) for p in find_periods(s)] == [(1, 9)]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("PM2.5浓度为35微克/立方米。", extraction.GOVERNING),
        ("洪泽区PM2.5浓度最低，为31.2微克/立方米。", extraction.COPULA),
        ("PM2.5浓度为35微克/立方米，同比下降5%。", extraction.CONTINUATION),
        ("PM10、PM2.5浓度分别为84、51微克/立方米。", extraction.DISTRIBUTION),
        ("优良天数为300天，较去年同期(287天)增加13天。", extraction.BASE_IN_PARENTHESES),
        ("| 指标 | 2024年 |\n| PM2.5浓度(微克/立方米) | 35 |\n", table_facts.INDICATORS_DOWN),
        ("| 年份 | PM2.5浓度(微克/立方米) |\n| 2024年 | 35 |\n", table_facts.INDICATORS_ACROSS),
        ("| 城市 | 鞍山市 | 海城市 |\n| PM2.5浓度(微克/立方米) | 35 | 33 |\n", table_facts.AREAS_ACROSS),
        ("PM2.5浓度由低至高依次为：海城市(30微克/立方米)、台安县(35微克/立方米)。", extraction.AREA_LIST),
    ],
)
def test_every_fact_records_its_rule(text: str, rule: str):
    found = extract_facts(text, CTX, gazetteer=GAZ)
    assert rule in {f.rule for f in found}
    assert all(f.rule in RULES for f in found)


def test_every_rule_names_a_documented_method():
    methods = {
        "governing": "_governing",
        "copula": "_copula",
        "continuation": "_continues",
        "distribution": "_distribution",
        "base_in_parentheses": "_base_paren",
        "area_list": "_area_list",
    }
    tables = {rule: "_" + rule.removeprefix("table_") for rule in table_facts.RULES}
    assert set(methods) | set(tables) == set(RULES)
    for method in methods.values():
        assert getattr(extraction._Extractor, method).__doc__
    for function in tables.values():
        assert getattr(table_facts, function).__doc__
