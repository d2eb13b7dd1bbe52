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


@pytest.mark.parametrize(
    "heading",
    ["一、2024年1-9月全市水环境质量状况", "2024年1-9月："],  # a numbered heading, or a lead-in line
)
def test_a_heading_that_names_part_of_the_year_gives_its_period_to_the_lines_under_it(heading: str):
    """一、2024年9月… then 二、2024年1-9月…: each section's figures cover the months its heading names,
    so the month and the months to date are two facts, not a conflict."""
    month = "一、2024年9月全市水环境质量状况" if heading.startswith("一") else "2024年9月："
    text = (
        f"{month}\nⅠ~Ⅲ类水质断面14个，比例为93.3%。\n"
        f"{heading.replace('一、', '二、')}\nⅠ~Ⅲ类水质断面13个，比例为86.7%。\n"
    )
    got = {(f.number, f.period_start, f.period_end) for f in extract_facts(text, CTX, gazetteer=GAZ)}
    assert got == {(93.3, date(2024, 9, 1), date(2024, 9, 30)), (86.7, date(2024, 1, 1), date(2024, 9, 30))}


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
        ("PM2.5浓度下降较多的为海城、台安2地，分别下降9.5%、8.1%。", extraction.LISTED_AREAS),
        ("优良天数增幅较大，其中海城市增加17天。", extraction.AREA_CLAUSE),
        ("Ⅰ~Ⅲ类水质断面28个，占70%。", extraction.SHARE_OF_COUNT),
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
        "shared_by_areas": "_shared_by_areas",
        "listed_areas": "_areas_before",
        "periods_listed": "_periods_listed",
        "area_clause": "_area_clause",
        "share_of_count": "_share_of_count",
    }
    tables = {rule: "_" + rule.removeprefix("table_") for rule in table_facts.RULES}
    assert set(methods) | set(tables) == set(RULES)
    for method in methods.values():
        assert getattr(extraction._Extractor, method).__doc__
    for function in tables.values():
        assert getattr(table_facts, function).__doc__


def area_facts(text: str) -> set[tuple]:
    return {(f.region_name, f.indicator_code, f.value_kind, f.number) for f in extract_facts(text, CTX, gazetteer=GAZ)}


PM25 = "air.pm25_mean"
DAYS = "air.good_days"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the areas close the clause before 分别; the indicator stands before them in the sentence
        (
            "PM2.5浓度下降幅度最大的为海城、台安2市，分别下降9.5%、8.1%。",
            {("海城市", PM25, "change_pct", -9.5), ("台安县", PM25, "change_pct", -8.1)},
        ),
        (
            "PM2.5浓度改善较大的是海城市和台安县，分别同比下降9.5%、8.1%。",
            {("海城市", PM25, "change_pct", -9.5), ("台安县", PM25, "change_pct", -8.1)},
        ),
        # … or in the sentence before, in the same paragraph
        (
            "全市PM2.5浓度持续改善。从改善程度看，降幅较大的为海城、台安两县市，分别同比下降9.5%、8.1%。",
            {("海城市", PM25, "change_pct", -9.5), ("台安县", PM25, "change_pct", -8.1)},
        ),
    ],
)
def test_listed_areas_take_the_figures_of_a_following_list(text: str, expected: set[tuple]):
    assert expected <= area_facts(text)


@pytest.mark.parametrize(
    "text",
    [
        "PM2.5浓度下降幅度最大的为海城、台安2市，分别下降9.5%、8.1%、7.7%。",  # three figures, two areas
        "PM2.5浓度下降幅度最大的为海城、台安3市，分别下降9.5%、8.1%。",  # the count says a third is missing
        "下降幅度最大的为海城、台安2市，分别下降9.5%、8.1%。",  # no indicator named anywhere
        "PM2.5浓度下降较多，海城、台安工业产值分别下降9.5%、8.1%。",  # the list is no clause of its own
    ],
)
def test_listed_areas_rejected(text: str):
    assert not {f for f in area_facts(text) if f[0] in ("海城市", "台安县") and f[1] == PM25}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "优良天数增幅前10的城市中，其中海城增加17天，位列第一；台安县增加12天，位列第二。",
            {("海城市", DAYS, "change_abs", 17), ("台安县", DAYS, "change_abs", 12)},
        ),
        ("PM2.5浓度降幅较大，海城市下降9.5%。", {("海城市", PM25, "change_pct", -9.5)}),
        ("PM2.5浓度降幅较大，而台安县同比下降8.1%。", {("台安县", PM25, "change_pct", -8.1)}),
    ],
)
def test_an_area_clause_changes_the_indicator_named_before(text: str, expected: set[tuple]):
    assert expected <= area_facts(text)


@pytest.mark.parametrize(
    "text",
    [
        "PM2.5浓度较高，海城市为45。",  # a level may measure anything: only a change is read this way
        "PM2.5浓度降幅较大，海城市工业产值下降9.5%。",  # words between the area and the verb
        "PM2.5浓度降幅较大。海城市下降9.5%。",  # the indicator is in another sentence
        "PM2.5浓度降幅较大，海城市、台安县下降9.5%。",  # two areas: a range, not one area's change
        "PM2.5浓度降幅较大，全国下降9.5%。",  # the whole country is no area
    ],
)
def test_an_area_clause_rejected(text: str):
    assert not {f for f in area_facts(text) if f[0] in ("海城市", "台安县") or f[3] == -9.5}


GOOD, WORST = "water.good_quality_ratio", "water.inferior_v_ratio"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("水质优良符合Ⅰ~Ⅲ类共有42个断面占85.7%。", {(GOOD, "actual", 85.7)}),
        ("Ⅰ～Ⅲ类水质断面28个，占70%。", {(GOOD, "actual", 70)}),
        ("Ⅰ-Ⅲ类水质断面28个，占比70%。", {(GOOD, "actual", 70)}),
        ("达到或优于Ⅲ类的断面有28个，占70%。", {(GOOD, "actual", 70)}),
        ("Ⅲ类及以上水质断面共28个，占70.0%。", {(GOOD, "actual", 70)}),
        ("劣Ⅴ类水体1个占3.4%。", {(WORST, "actual", 3.4)}),
        # a count, then 比例为: the class named with its grade word and a bracketed aside
        ("Ⅰ~Ⅲ类优良水质断面(点位)41个，比例为91.1%。", {(GOOD, "actual", 91.1)}),
        ("劣Ⅴ类重度污染水质点位3个，所占比例为6.7%。", {(WORST, "actual", 6.7)}),
        ("全市12个国考断面中，优良断面10个，占83.3%。", {(GOOD, "actual", 83.3)}),
        # the share goes on: a change in the next clause is the share's
        ("Ⅰ~Ⅲ类共有42个断面占85.7%，比上年提高16个百分点。", {(GOOD, "actual", 85.7), (GOOD, "change_abs", 16)}),
        # drinking sources, not surface-water sections: the share of those meeting the standard
        ("Ⅰ~Ⅲ类达标水质水源地12个，比例为92.3%。", {("water.drinking_source_compliance", "actual", 92.3)}),
    ],
)
def test_a_counted_class_of_water_and_its_share(text: str, expected: set[tuple]):
    assert {(f.indicator_code, f.value_kind, f.number) for f in extract_facts(text, CTX, gazetteer=GAZ)} == expected


@pytest.mark.parametrize(
    "text",
    [
        "Ⅳ类水质断面5个，占12.5%。",  # class IV is no catalogue share
        "Ⅱ类水质断面10个，占25%。",  # exactly class II is only part of the good classes
        "Ⅰ~Ⅲ类水质断面28个，其中国控断面10个，占35.7%。",  # the share of something else counted later
        "Ⅰ~Ⅲ类水质断面28个，占全省的10吨。",  # no percentage
    ],
)
def test_a_counted_share_rejected(text: str):
    assert not extract_facts(text, CTX, gazetteer=GAZ)
