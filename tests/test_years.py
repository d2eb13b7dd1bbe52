"""Years: explicit, 〇-style, relative, five-year plans, roles, document dates and subject years."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.core import years
from pipelines.core.years import find_document_date, find_years, parse_year, plan_span, subject_year

_CN = "〇一二三四五六七八九"


def _roles(text: str, ref: int | None = 2025) -> list[tuple[str, int | None, str]]:
    return [(y.text, y.year, y.role) for y in find_years(text, ref_year=ref)]


@given(st.integers(min_value=1949, max_value=2100))
def test_arabic_and_ling_style_years(y: int) -> None:
    assert parse_year(f"{y}年") == y
    assert parse_year("".join(_CN[int(c)] for c in str(y)) + "年") == y
    assert parse_year("".join(chr(ord(c) + 0xFEE0) for c in str(y))) == y


@given(st.integers(min_value=0, max_value=9999).filter(lambda y: not 1949 <= y <= 2100))
def test_years_outside_the_range_are_not_years(y: int) -> None:
    assert parse_year(f"{y:04d}") is None


@pytest.mark.parametrize(
    ("name", "span"),
    [
        ("十二五", (2011, 2015)),
        ("十三五", (2016, 2020)),
        ("十四五", (2021, 2025)),
        ("“十五五”", (2026, 2030)),
    ],
)
def test_plan_spans(name: str, span: tuple[int, int]) -> None:
    assert plan_span(name) == span


def test_roles_in_a_sentence() -> None:
    text = "与2015年相比，2020年全市化学需氧量下降；达标天数由2015年的273天增加到296天。"
    assert _roles(text) == [
        ("2015年", 2015, years.BASE),
        ("2020年", 2020, years.POINT),
        ("2015年", 2015, years.ATTACHED),
    ]


def test_targets_deadlines_and_periods() -> None:
    assert _roles("到2025年，城市生活污水集中收集率达到70%以上") == [("2025年", 2025, years.BY)]
    assert _roles("2025年底前，全市重度及以上污染天数比率控制在0.3%以内") == [("2025年", 2025, years.DEADLINE)]
    found = find_years("“十三五”期间，全市新增污水处理能力5.1万吨/日", ref_year=None)
    assert [(y.year, y.year_start, y.role) for y in found] == [(2020, 2016, years.PERIOD)]
    assert _roles("到“十四五”末，森林覆盖率达到35%") == [("“十四五”末", 2025, years.BY)]
    assert _roles("展望二〇三五年，森林覆盖率达到45%") == [("二〇三五年", 2035, years.POINT)]


def test_relative_years_count_from_the_writing_year() -> None:
    assert _roles("今年是“十四五”收官之年", 2025)[0][:2] == ("今年", 2025)
    assert _roles("从去年我市12345热线受理数据看", 2025) == [("去年", 2024, years.POINT)]
    assert _roles("较去年同期(287天)增加9天", 2024) == [("去年同期", 2023, years.BASE)]
    assert _roles("前年", 2024)[0][1] == 2022
    assert _roles("去年", None)[0][1] is None  # never guessed without a writing year


def test_titles_dates_ranges_and_since_are_not_figure_years() -> None:
    text = "制定《2024年沈阳市蓝天保卫战专项方案》，出台《规划(2018-2022年)》，自2017年以来，2025年4月28日"
    assert _roles(text) == [("2017年", 2017, years.SINCE), ("2025年", 2025, years.DATE)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "市人大常委会关于鞍山市 2024年度环境状况\n\n2025 年 4 月 28 日，市十七届人大常委会第二十七次会议",
            date(2025, 4, 28),
        ),
        (
            "阜新市人民政府办公室关于印发规划的通知\n\n日期: 2023-08-15 浏览量:2154\n\n2023年8月8日",
            date(2023, 8, 15),
        ),
        ("笃定前行\n    时间:2022-09-16来源:鞍山市生态环境局", date(2022, 9, 16)),
        (
            "关于我市 2024 年度环境状况的调研报告\n\n——2025 年 4 月 23 日在安阳市第十五届人民代表大会",
            date(2025, 4, 23),
        ),
        ("正文。\n\n安阳市人大常委会办公室\n\n2025年4月22日印", date(2025, 4, 22)),
        ("正文。\n鞍山市生态环境局\n二〇二四年七月八日", date(2024, 7, 8)),
        ("截至12月9日，沈阳市共完成优良天296天", None),
    ],
)
def test_document_dates(text: str, expected: date | None) -> None:
    assert find_document_date(text) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("市人大常委会关于鞍山市2024年度环境状况和环境保护目标完成情况报告的审议意见", 2024),
        ("市生态环境局关于2024年省《政府工作报告》工作任务全年进展情况的报告", 2024),
        ("2023年彰武县生态环境状况公报", 2023),
        ("阜新市人民政府办公室关于印发阜新市“十四五”生态环境保护规划的通知", None),
        ("政府工作报告——2024年1月16日在濮阳市第八届人民代表大会第四次会议上", None),
    ],
)
def test_subject_year(title: str, expected: int | None) -> None:
    assert subject_year(title, "") == expected


def test_part_year_cues() -> None:
    assert years.has_part_year("截至10月18日，全市优良天数")
    assert years.has_part_year("1-6月，全市空气质量")
    assert years.has_part_year("上半年，共受理")
    assert not years.has_part_year("2024年，全市空气质量")


def test_byline_dates_of_news_pages() -> None:
    assert find_document_date("朝阳市持续打好蓝天保卫战\n2023-12-29 来源：朝阳市生态环境局\n") == date(2023, 12, 29)
    assert find_document_date("我市上半年生态环境质量稳中向好\n来源：丹东日报 发布时间：2024-07-12\n") == date(
        2024, 7, 12
    )


@pytest.mark.parametrize(
    ("text", "last", "first"),
    [("过去五年，我们", 2022, 2018), ("五年来，全市", 2022, 2018), ("近3年", 2022, 2020), ("近两年来", 2022, 2021)],
)
def test_lookback_spans_end_the_year_before_writing(text: str, last: int, first: int) -> None:
    (found,) = find_years(text, ref_year=2023)
    assert (found.year, found.role, found.year_start) == (last, years.PERIOD, first)


def test_lookbacks_that_are_no_spans() -> None:
    assert [y.text for y in find_years("前三季度，近10个月", ref_year=2023)] == []
    assert find_years("过去五年", ref_year=None)[0].year is None


@pytest.mark.parametrize("text", ["2013年以来", "2013年有监测记录以来", "2013年有记录以来", "2013年有气象记录以来"])
def test_since_records_began_is_a_start(text: str) -> None:
    assert _roles("为" + text + "首次达标") == [("2013年", 2013, years.SINCE)]


@pytest.mark.parametrize(
    ("text", "ref_year", "role"),
    [
        # written at a known time: a start, its figures run to the time of writing
        ("“十三五”以来，全县PM2.5浓度累计下降18%", 2019, years.SINCE),
        ("“十四五”以来，全区新增造林面积3.2万亩", 2023, years.SINCE),
        # no time of writing to run to: the period's last year, as for 期间
        ("“十四五”以来，全州森林覆盖率达66.3%", None, years.PERIOD),
        ("“十三五”期间，全市优良天数比例提高9个百分点", 2021, years.PERIOD),
    ],
)
def test_since_a_plan_began_runs_to_the_time_of_writing(text: str, ref_year: int | None, role: str) -> None:
    assert [y.role for y in find_years(text, ref_year=ref_year)] == [role]
