"""Tables flattened into text: each shape and each reading rule, as variants of the class."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.core import table_facts
from pipelines.core.areas import Gazetteer
from pipelines.core.cleaning import clean_text
from pipelines.core.extraction import extract_facts
from pipelines.core.models import DocContext

GAZ = Gazetteer.load()


def ctx(area: str | None = "镇安县", subject: int | None = 2021, when: date | None = None) -> DocContext:
    return DocContext(
        title=None,
        doc_date=when,
        subject_year=subject,
        area=GAZ.by_name(area) if area else None,
        source_type="bulletin",
        plan=None,
    )


def keys(text: str, context: DocContext | None = None) -> set[tuple]:
    facts = extract_facts(text, context or ctx(), gazetteer=GAZ)
    return {(f.region_name, f.indicator_code, f.year, f.value_kind, f.number) for f in facts}


def cell_lines(*rows: list[str], closers: tuple[int, ...] = ()) -> str:
    """A table flattened one cell a line; a line of pipes alone after the rows in `closers`."""
    out = []
    for i, row in enumerate(rows):
        out += [f"{c} |" for c in row]
        if i in closers:
            out.append("|||")
    return "\n".join(out) + "\n"


# -- one cell a line ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("early", "late", "compare"),
    [
        ("2020上半年监测数据", "2021上半年监测数据", "同期相比"),
        ("2020年", "2021年", "同比变化"),
        ("2020年1-6月", "2021年1-6月", "与去年同期相比"),
    ],
)
def test_cell_lines_with_a_spanning_header_and_a_comparison_row(early: str, late: str, compare: str) -> None:
    """Rule table.cell_lines + table.spanning_header + table_indicators_across: the repeated
    优良天数 spans 一级/二级, which are no indicator; the comparison row gives changes."""
    header = [
        "名称",
        "优良天数",
        "优良天数",
        "优良天数占总天数百分比",
        "PM2.5 均值ug/m3",
        "SO2 均值ug/m3",
        "空气质量综合指数",
    ]
    text = "具体监测情况如下表:\n" + cell_lines(
        header,
        ["一级", "二级"],
        [early, "173", "79", "94", "95.1", "29", "8", "3.26"],
        [late, "170", "76", "94", "93.9", "28", "9", "3.26"],
        [compare, "减少3天", "减少 3天", "持平", "减少1.2%", "下降3.4%", "上升12.5%", "持平"],
        closers=(0, 1),
    )
    got = keys(text)
    assert ("镇安县", "air.good_days", 2021, "actual", 170) in got
    assert ("镇安县", "air.good_days", 2020, "actual", 173) in got
    assert ("镇安县", "air.good_days_ratio", 2021, "actual", 93.9) in got
    assert ("镇安县", "air.pm25_mean", 2021, "actual", 28) in got
    assert ("镇安县", "air.so2_mean", 2021, "actual", 9) in got
    assert ("镇安县", "air.composite_index", 2021, "actual", 3.26) in got
    assert ("镇安县", "air.good_days", 2021, "change_abs", -3) in got
    assert ("镇安县", "air.good_days_ratio", 2021, "change_pct", -1.2) in got
    assert ("镇安县", "air.pm25_mean", 2021, "change_pct", -3.4) in got
    assert ("镇安县", "air.so2_mean", 2021, "change_pct", 12.5) in got  # the air reading of SO2, by its unit
    # 一级/二级 parts of the good days are no catalogue figure
    assert not {k for k in got if k[4] in (79, 76, 94)}


@pytest.mark.parametrize(
    ("header", "rows"),
    [
        # the rank opens each row, the main pollutant (words) closes it
        (
            ["排名", "城市", "环境空气质量综合指数", "综合指数变化率", "首要污染物"],
            [
                ["1", "信阳", "3.12", "-4.2%", "臭氧"],
                ["2", "南阳", "3.40", "2.0%", "细颗粒物"],
                ["3", "驻马店", "3.51", "-1.1%", "臭氧"],
            ],
        ),
        # no rank, but a column of words after the figures
        (
            ["城市", "环境空气质量综合指数", "综合指数变化率", "首要污染物"],
            [
                ["信阳", "3.12", "-4.2%", "臭氧"],
                ["南阳", "3.40", "2.0%", "细颗粒物"],
                ["驻马店", "3.51", "-1.1%", "臭氧"],
            ],
        ),
    ],
)
def test_cell_lines_read_n_cells_a_row_under_a_header_of_n(header: list[str], rows: list[list[str]]) -> None:
    """Rule table.fixed_width: rows that do not open with their label still line up with the
    header; the cities are named without their suffix (信阳 for 信阳市)."""
    text = "表1 2023年1-6月全省城市环境空气质量综合指数\n" + cell_lines(header, *rows)
    assert keys(text, ctx("河南省", 2023)) == {
        ("信阳市", "air.composite_index", 2023, "actual", 3.12),
        ("信阳市", "air.composite_index", 2023, "change_pct", -4.2),
        ("南阳市", "air.composite_index", 2023, "actual", 3.40),
        ("南阳市", "air.composite_index", 2023, "change_pct", 2.0),
        ("驻马店市", "air.composite_index", 2023, "actual", 3.51),
        ("驻马店市", "air.composite_index", 2023, "change_pct", -1.1),
    }


def test_two_ranking_tables_side_by_side_keep_each_half_with_its_areas_and_period() -> None:
    """One header row repeated twice ('区县 | 综合指数 | 排名' ×2) under a row naming two periods:
    the right half's figures belong to the right half's districts and to its period; a
    bracketed last-year figure ('4.12(4.50)') leaves the cell's own figure first."""
    text = "2024年3月及1—3月各区县综合指数排名\n" + cell_lines(
        ["2024年3月及同期", "2024年1—3月及同期"],
        ["区县", "综合指数", "综合指数排名", "区县", "综合指数", "综合指数排名"],
        ["铁东区", "4.12(4.50)", "3(5)", "千山区", "4.80(4.95)", "2(4)"],
        ["海城市", "4.30(4.41)", "5(2)", "台安县", "4.99(5.20)", "6(6)"],
        closers=(0,),
    )
    facts = extract_facts(text, ctx("鞍山市", 2024), gazetteer=GAZ)
    got = {(f.region_name, f.number, f.period_start and f.period_start.month) for f in facts}
    assert got == {("铁东区", 4.12, 3), ("海城市", 4.30, 3), ("千山区", 4.80, 1), ("台安县", 4.99, 1)}


def test_uneven_spanning_groups_each_open_with_their_level() -> None:
    """Rule table.spanning_header: three groups over seven sub-headers, each group opening with its
    level ('浓度', '实测值(%)', '重污染天数') and followed by its changes; a leading 区域 column the
    data fill only on a group's first row ('豫北地区'); a change against a three-year mean is
    against no year and gives nothing."""
    text = "表2 2024年1-6月各市PM2.5、优良天数比例变化情况\n" + cell_lines(
        ["区域", "城市", "PM10", "优良天数比例", "重污染天数"],
        [
            "浓度(μg/m3)",
            "同比2023年",
            "同比近三年均值",
            "实测值(%)",
            "同比2023年(百分点)",
            "重污染天数",
            "同比2023年(天)",
        ],
        ["豫北地区", "安阳市", "88", "-5.4%", "-9.1%", "58.3", "2.2", "6", "-3"],
        ["鹤壁市", "81", "-2.4%", "-7.0%", "61.5", "-1.1", "4", "0"],
        closers=(0, 1),
    )
    assert keys(text, ctx("河南省", 2024)) == {
        ("安阳市", "air.pm10_mean", 2024, "actual", 88),
        ("安阳市", "air.pm10_mean", 2024, "change_pct", -5.4),
        ("安阳市", "air.good_days_ratio", 2024, "actual", 58.3),
        ("安阳市", "air.good_days_ratio", 2024, "change_abs", 2.2),
        ("安阳市", "air.heavy_pollution_days", 2024, "actual", 6),
        ("安阳市", "air.heavy_pollution_days", 2024, "change_abs", -3),
        ("鹤壁市", "air.pm10_mean", 2024, "actual", 81),
        ("鹤壁市", "air.pm10_mean", 2024, "change_pct", -2.4),
        ("鹤壁市", "air.good_days_ratio", 2024, "actual", 61.5),
        ("鹤壁市", "air.good_days_ratio", 2024, "change_abs", -1.1),
        ("鹤壁市", "air.heavy_pollution_days", 2024, "actual", 4),
        ("鹤壁市", "air.heavy_pollution_days", 2024, "change_abs", 0),
    }


@pytest.mark.parametrize("blank", ["", "\n"])
def test_bare_cell_lines_whose_rows_open_with_a_rank(blank: str) -> None:
    """Rule table.fixed_width without pipes: the rank opens each row, so a rank must never pass for
    the figure of the row above; the caption over the header is no column."""
    cells = ["2024年各县区环境空气质量排名", "排名", "县区", "综合指数", "优良天数比例(%)"]
    cells += ["1", "台安", "3.66", "84.1", "2", "千山", "3.92", "80.3", "3", "铁西", "4.25", "76.0"]
    text = blank.join(c + "\n" for c in cells)
    assert keys(text, ctx("鞍山市", 2024)) == {
        ("台安县", "air.composite_index", 2024, "actual", 3.66),
        ("台安县", "air.good_days_ratio", 2024, "actual", 84.1),
        ("千山区", "air.composite_index", 2024, "actual", 3.92),
        ("千山区", "air.good_days_ratio", 2024, "actual", 80.3),
        ("铁西区", "air.composite_index", 2024, "actual", 4.25),
        ("铁西区", "air.good_days_ratio", 2024, "actual", 76.0),
    }


@pytest.mark.parametrize("pipes", [True, False])
def test_a_ranking_whose_tied_rows_leave_out_their_rank(pipes: bool) -> None:
    """并列: a tied row leaves its rank cell out ('1 | 台安县 | 28 | 海城市 | 28 | 3 | …'); a word where
    a rank is due opens that row, so every figure stays with its own county."""
    cells = ["排名", "县区", "PM2.5浓度(μg/m3)", "1", "台安县", "28", "海城市", "28", "3", "千山区", "31"]
    cells += ["4", "铁西区", "35"]
    text = "2024年各县区PM2.5浓度排名\n" + "".join(f"{c} |\n" if pipes else f"{c}\n" for c in cells)
    assert keys(text, ctx("鞍山市", 2024)) == {
        ("台安县", "air.pm25_mean", 2024, "actual", 28),
        ("海城市", "air.pm25_mean", 2024, "actual", 28),
        ("千山区", "air.pm25_mean", 2024, "actual", 31),
        ("铁西区", "air.pm25_mean", 2024, "actual", 35),
    }


def test_only_a_rank_or_serial_number_opens_a_row_with_a_figure() -> None:
    """A run of cells that happens to line up n a row from a figure is read that way only under
    a header that opens with 排名/序号: elsewhere the figure is the value of a labelled row."""
    cells = ["指标", "二氧化硫", "二氧化氮", "首要污染物", "1", "6", "14", "臭氧", "2", "7", "15", "细颗粒物"]
    tokens = [(k, table_facts.Cell(c, 0, len(c))) for k, c in enumerate(cells)]
    assert table_facts._fixed_width(tokens, labelled=False) is None
    ranked = [(k, table_facts.Cell(c, 0, len(c))) for k, c in enumerate(["排名", *cells[1:]])]
    assert table_facts._fixed_width(ranked, labelled=False) is not None


def test_cell_lines_whose_columns_mix_figures_and_words_give_nothing() -> None:
    """n cells a row only where every column is all figures or all words: a run that does not
    line up is left alone rather than guessed."""
    text = cell_lines(["城市", "综合指数", "首要污染物"], ["信阳", "3.12", "臭氧"], ["南阳", "细颗粒物", "3.40"])
    assert keys(text, ctx("河南省", 2023)) == set()


def test_cell_lines_with_areas_across_the_header() -> None:
    """Rule table_areas_across: the header names areas, each row an indicator; a column that
    names no area (spam) and a 排名 row give nothing."""
    text = "2021年1-3月各盟市综合指数排名情况\n" + cell_lines(
        ["盟 市", "赌球网站", "呼伦贝尔市", "阿拉善盟", "兴安盟"],
        ["综合指数", "1.89", "2.12", "2.74", "3.00"],
        ["排名", "1", "2", "3", "4"],
    )
    assert keys(text, ctx("内蒙古自治区")) == {
        ("呼伦贝尔市", "air.composite_index", 2021, "actual", 2.12),
        ("阿拉善盟", "air.composite_index", 2021, "actual", 2.74),
        ("兴安盟", "air.composite_index", 2021, "actual", 3.0),
    }


def test_the_cleaner_keeps_a_cell_line_table() -> None:
    """A run of short '… |' lines and a line of pipes looks like a menu; with figures in its rows it is body."""
    table = cell_lines(
        ["名称", "优良天数", "优良天数", "空气质量综合指数"],
        ["一级", "二级"],
        ["2021年", "170", "76", "94", "3.26"],
        closers=(0, 1),
    )
    text = "一、环境空气质量\n镇安县空气质量监测情况如下表:\n" + table + "二、地表水环境质量\n断面水质均达标。\n"
    kept = clean_text(text).text
    for line in ("空气质量综合指数 |", "一级 |", "二级 |", "3.26 |"):
        assert line in kept


# -- pipe rows ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rows",
    [
        ["年份 | 优良天数（天） | PM2.5浓度（微克/立方米）", "2023年 | 300 | 35", "2024年 | 310 | 32"],
        ["| 年度 | 优良天数(天) | PM2.5(微克/立方米) |", "| 2023 | 300 | 35 |", "| 2024 | 310 | 32 |"],
        [" | 优良天数（天） | PM2.5浓度（μg/m3）", "2023年 | 300 | 35", "2024年 | 310 | 32"],
    ],
)
def test_pipe_rows_with_years_down_and_indicators_across(rows: list[str]) -> None:
    """Rule table_indicators_across: rows name years, header cells name indicators and units."""
    assert keys("\n".join(rows) + "\n", ctx("沈阳市", 2024)) == {
        ("沈阳市", "air.good_days", 2023, "actual", 300),
        ("沈阳市", "air.good_days", 2024, "actual", 310),
        ("沈阳市", "air.pm25_mean", 2023, "actual", 35),
        ("沈阳市", "air.pm25_mean", 2024, "actual", 32),
    }


@pytest.mark.parametrize("whole", ["全市", "沈阳市", "市区"])
def test_pipe_rows_with_areas_down(whole: str) -> None:
    """Rule table_indicators_across: rows name sub-areas; the whole city's row is the document's area."""
    text = f"表3 2024年各区县空气质量\n区县 | 优良天数 | PM2.5浓度(μg/m³)\n新民市 | 318 | 30\n{whole} | 305 | 33\n"
    assert keys(text, ctx("沈阳市", 2024)) == {
        ("新民市", "air.good_days", 2024, "actual", 318),
        ("新民市", "air.pm25_mean", 2024, "actual", 30),
        ("沈阳市", "air.good_days", 2024, "actual", 305),
        ("沈阳市", "air.pm25_mean", 2024, "actual", 33),
    }


def test_pipe_rows_with_indicators_down_and_bare_figures() -> None:
    """Rule table_indicators_down: bare figures take the unit column, or the indicator's own unit."""
    text = "项目 | 单位 | 2024年 | 2023年 | 增减\n优良天数 | 天 | 268 | 262 | +6\n优良天数比例 | | 73.4 | 71.8 | 1.6\n"
    assert keys(text, ctx("林州市", 2024)) == {
        ("林州市", "air.good_days", 2024, "actual", 268),
        ("林州市", "air.good_days", 2023, "actual", 262),
        ("林州市", "air.good_days", 2024, "change_abs", 6),
        ("林州市", "air.good_days_ratio", 2024, "actual", 73.4),
        ("林州市", "air.good_days_ratio", 2023, "actual", 71.8),
        ("林州市", "air.good_days_ratio", 2024, "change_abs", 1.6),
    }


# -- space rows --------------------------------------------------------------------------


def test_space_rows_with_the_units_on_a_second_header_line() -> None:
    """Rule table.space_rows: a header whose units stand on a line of their own ('(%) (μg/m3)')
    gives each column its unit; the rows start after it."""
    text = (
        "表3 2024年各县(市、区)环境空气质量\n县(市、区) 优良天数比例 PM2.5浓度 PM10浓度\n(%) (μg/m3) (mg/m3)\n"
        "海城市 81.6 34 0.061\n台安县 84.2 31 0.058\n"
    )
    assert keys(text, ctx("鞍山市", 2024)) == {
        ("海城市", "air.good_days_ratio", 2024, "actual", 81.6),
        ("海城市", "air.pm25_mean", 2024, "actual", 34),
        ("海城市", "air.pm10_mean", 2024, "actual", 0.061),
        ("台安县", "air.good_days_ratio", 2024, "actual", 84.2),
        ("台安县", "air.pm25_mean", 2024, "actual", 31),
        ("台安县", "air.pm10_mean", 2024, "actual", 0.058),
    }


@pytest.mark.parametrize(
    "rows",
    [
        ["指标 2024年 2023年 同比变化", "优良天数（天） 268 262 增加6天", "PM2.5浓度（微克/立方米） 35 38 下降7.9%"],
        ["指标 单位 2024年 2023年 同比变化", "优良天数 天 268 262 +6", "PM2.5浓度 微克/立方米 35 38 下降 7.9%"],
        ["指标\t2024年\t2023年\t同比变化", "优良天数(天)\t268\t262\t+6", "PM2.5浓度(μg/m3)\t35\t38\t-7.9%"],
    ],
)
def test_space_rows(rows: list[str]) -> None:
    """Rule table.space_rows: a header line of words, then rows of a label and figures."""
    got = keys("\n".join(rows) + "\n", ctx("林州市", 2024))
    assert got == {
        ("林州市", "air.good_days", 2024, "actual", 268),
        ("林州市", "air.good_days", 2023, "actual", 262),
        ("林州市", "air.good_days", 2024, "change_abs", 6),
        ("林州市", "air.pm25_mean", 2024, "actual", 35),
        ("林州市", "air.pm25_mean", 2023, "actual", 38),
        ("林州市", "air.pm25_mean", 2024, "change_pct", -7.9),
    }


# -- rejected ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # spam and channel lists joined by pipes
        "久久久久无码精品国产不卡| 最近2019免费中文字幕6| 天堂√最新版中文在线| 中文字幕国产91\n",
        "直通屏山|福建|时评|大学城|台海|娱乐|体育|国内|国际|专题\n",
        # a metadata table
        "索引号 | : | 640000014/2022-01897 | 所属机构 | : | 宁夏回族自治区生态环境厅 |\n"
        "责任部门 | : | 厅办公室 | 发布日期 | : | 2016-08-25 09:38 |\n",
    ],
)
def test_not_tables(text: str) -> None:
    assert keys(text, ctx("沈阳市", 2024)) == set()


@pytest.mark.parametrize(
    "text",
    [
        "全市优良天数 268 天 比上年 多 6 天\n空气质量 总体 良好 2024 年 优良 天数 268\n",
        "二级和好于二级的天数 共 246 天\n四级和五级 天数 34 天\n三级 85 天 占 23.3%\n",
    ],
)
def test_prose_with_spaces_is_no_table(text: str) -> None:
    assert table_facts.find_tables(text) == []


def test_a_header_that_does_not_line_up_gives_nothing() -> None:
    """Two header rows whose spans cannot be told apart: no guess."""
    text = cell_lines(
        ["名称", "优良天数", "PM2.5浓度", "空气质量综合指数"],
        ["一级", "二级"],
        ["2021年", "170", "76", "28", "3.26", "9"],
        closers=(0, 1),
    )
    assert keys(text) == set()


# -- header rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "width", "header"),
    [
        ([["名称", "优良天数", "优良天数", "PM10"], ["一级", "二级"]], 5, ["名称", "优良天数", "一级", "二级", "PM10"]),
        (
            [["指标", "PM2.5浓度", "PM10浓度"], ["2023年", "2024年", "2023年", "2024年"]],
            5,
            ["指标", "PM2.5浓度2023年", "PM2.5浓度2024年", "PM10浓度2023年", "PM10浓度2024年"],
        ),
        ([["优良天数", "PM10"]], 3, ["", "优良天数", "PM10"]),
        ([["名称", "优良天数", "PM10", "SO2"], ["一级", "二级"]], 5, None),
    ],
)
def test_merge_header(rows: list[list[str]], width: int, header: list[str] | None) -> None:
    """Rule table.spanning_header."""
    assert table_facts.merge_header(rows, width) == header


@pytest.mark.parametrize(
    ("cell", "value"),
    [("173", True), ("95.1%", True), ("减少 3天", True), ("持平", True), ("—", True), ("≥98", True),
     ("2020上半年监测数据", False), ("2023年", False), ("PM10", False), ("同期相比", False), ("呼伦贝尔市", False)],
)  # fmt: skip
def test_value_cells(cell: str, value: bool) -> None:
    assert table_facts.is_value(cell) is value


@pytest.mark.parametrize("intro", ["镇安县空气质量监测项目为PM2.5。具体监测情况如下表:", "镇安县城区空气质量见下表"])
def test_the_line_announcing_a_table_names_its_area_when_the_document_has_none(intro: str) -> None:
    """Rule table.intro: a document without its own area; the paragraph before the table names one."""
    table = "年份 | 优良天数（天）\n2020年 | 173\n2021年 | 170\n"
    assert keys(intro + "\n" + table, ctx(None)) == {
        ("镇安县", "air.good_days", 2020, "actual", 173),
        ("镇安县", "air.good_days", 2021, "actual", 170),
    }
    assert {k[0] for k in keys("监测情况如下表:\n" + table, ctx(None))} == {None}


# -- more shapes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lines",
    [
        [
            "表1 主要指标",
            "指标",
            "2023年",
            "2024年",
            "优良天数（天）",
            "300",
            "310",
            "PM2.5浓度（微克/立方米）",
            "35",
            "32",
        ],
        ["", "项目", "2023年", "2024年", "", "优良天数(天)", "300", "310", "", "PM2.5(μg/m3)", "35", "32", ""],
    ],
)
def test_bare_cell_lines(lines: list[str]) -> None:
    """Rule table.bare_cell_lines: one cell a line without pipes, under a header that lines up."""
    assert keys("\n".join(lines) + "\n", ctx("沈阳市", 2024)) == {
        ("沈阳市", "air.good_days", 2023, "actual", 300),
        ("沈阳市", "air.good_days", 2024, "actual", 310),
        ("沈阳市", "air.pm25_mean", 2023, "actual", 35),
        ("沈阳市", "air.pm25_mean", 2024, "actual", 32),
    }


def test_bare_cell_lines_with_units_on_lines_of_their_own() -> None:
    """A header cell's unit alone on the next line ('NO2' / '(μg/m3)') belongs to that column."""
    lines = ["指标", "数值", "NO2", "(μg/m3)", "PM10", "(μg/m3)", "CO第95百分位数", "(mg/m3)", "综合指数"]
    lines += ["2024年", "21", "55", "1.1", "3.80", "2023年", "24", "61", "1.2", "4.02"]
    assert keys("\n\n".join(lines) + "\n", ctx("沈阳市", 2024)) == {
        ("沈阳市", "air.no2_mean", 2024, "actual", 21),
        ("沈阳市", "air.pm10_mean", 2024, "actual", 55),
        ("沈阳市", "air.co_mean", 2024, "actual", 1.1),
        ("沈阳市", "air.composite_index", 2024, "actual", 3.80),
        ("沈阳市", "air.no2_mean", 2023, "actual", 24),
        ("沈阳市", "air.pm10_mean", 2023, "actual", 61),
        ("沈阳市", "air.co_mean", 2023, "actual", 1.2),
        ("沈阳市", "air.composite_index", 2023, "actual", 4.02),
    }


@pytest.mark.parametrize(
    "text",
    [
        "首页\n新闻中心\n政务公开\n办事服务\n互动交流\n2024\n关于我们\n",
        "一、大气环境\n优良天数\n300\n二、水环境\n达标率\n100\n",
    ],
)
def test_short_lines_that_are_no_table(text: str) -> None:
    assert table_facts.find_tables(text) == []


def test_a_table_split_in_two_halves_reads_each_under_its_own_header() -> None:
    """Rule table.cell_lines: a label followed by a label after the data opens the next table."""
    text = cell_lines(
        ["盟 市", "呼伦贝尔市", "阿拉善盟"],
        ["综合指数", "2.12", "2.74"],
        ["盟 市", "包头市", "乌海市"],
        ["综合指数", "4.71", "4.35"],
    )
    assert keys("2021年1-3月各盟市综合指数\n" + text, ctx("内蒙古自治区")) == {
        ("呼伦贝尔市", "air.composite_index", 2021, "actual", 2.12),
        ("阿拉善盟", "air.composite_index", 2021, "actual", 2.74),
        ("包头市", "air.composite_index", 2021, "actual", 4.71),
        ("乌海市", "air.composite_index", 2021, "actual", 4.35),
    }


def test_cell_lines_with_an_empty_data_cell() -> None:
    """A line of pipes among the data is an empty cell and keeps the columns in place."""
    text = cell_lines(
        ["年份", "优良天数（天）", "PM2.5（微克/立方米）", "PM10（微克/立方米）"],
        ["2023年", "300"],
        [],
        ["35", "60"],
        ["2024年", "310", "32", "58"],
    ).replace("\n\n", "\n|\n")
    got = keys(text, ctx("沈阳市", 2024))
    assert ("沈阳市", "air.pm10_mean", 2023, "actual", 60) in got
    assert ("沈阳市", "air.pm25_mean", 2024, "actual", 32) in got
    assert ("沈阳市", "air.pm25_mean", 2023, "actual", 60) not in got


@pytest.mark.parametrize(
    ("top", "sub"),
    [
        ("城市 | PM2.5浓度 | 优良天数比例", "2023年 | 2024年 | 2023年 | 2024年"),
        ("城市 | PM2.5浓度 | PM2.5浓度 | 优良天数比例 | 优良天数比例", " | 2023年 | 2024年 | 2023年 | 2024年"),
    ],
)
def test_pipe_rows_with_a_spanning_header_kept_in_place(top: str, sub: str) -> None:
    """Rule table.spanning_header on pipe rows: a blank (or repeated) top cell continues the one to its left."""
    text = f"{top}\n{sub}\n新民市 | 35 | 30 | 85.1% | 88.2%\n"
    assert keys(text, ctx("沈阳市", 2024)) == {
        ("新民市", "air.pm25_mean", 2023, "actual", 35),
        ("新民市", "air.pm25_mean", 2024, "actual", 30),
        ("新民市", "air.good_days_ratio", 2023, "actual", 85.1),
        ("新民市", "air.good_days_ratio", 2024, "actual", 88.2),
    }


def test_unit_sub_headers() -> None:
    assert table_facts.merge_header([["指标", "PM2.5", "SO2"], ["μg/m³", "μg/m³"]], 3) == [
        "指标",
        "PM2.5(μg/m³)",
        "SO2(μg/m³)",
    ]


@pytest.mark.parametrize(
    ("header", "unit"),
    [("优良天数(天)", "天"), ("PM2.5（微克/立方米）", "微克/立方米"), ("PM10 均值ug/m3", "ug/m3"),
     ("CO第95百分位浓度mg/m3", "mg/m3"), ("达标率%", "%"), ("区域噪声dB(A)", "dB(A)"),
     ("优良天数占总天数百分比", "%"), ("优良天数", "")],
)  # fmt: skip
def test_header_units(header: str, unit: str) -> None:
    assert table_facts.header_unit(header) == unit


@pytest.mark.parametrize(("cell", "value"), [("↓3.4%", -3.4), ("↑3.4%", 3.4), ("-3.4%", -3.4), ("下降3.4%", -3.4)])
def test_change_cells_take_their_sign_from_a_verb_a_sign_or_an_arrow(cell: str, value: float) -> None:
    text = f"指标 | 2024年 | 同比\nPM2.5浓度（微克/立方米） | 35 | {cell}\n"
    assert ("林州市", "air.pm25_mean", 2024, "change_pct", value) in keys(text, ctx("林州市", 2024))


def test_the_label_column_is_the_first_column_of_words_after_a_serial_number() -> None:
    text = "序号 | 区县 | 优良天数（天） | 排名\n1 | 新民市 | 318 | 1\n2 | 辽中区 | 312 | 2\n"
    assert keys(text, ctx("沈阳市", 2024)) == {
        ("新民市", "air.good_days", 2024, "actual", 318),
        ("辽中区", "air.good_days", 2024, "actual", 312),
    }


# -- periods -----------------------------------------------------------------------------


def periods(text: str, context: DocContext | None = None) -> set[tuple]:
    facts = extract_facts(text, context or ctx(), gazetteer=GAZ)
    return {(f.indicator_code, f.year, f.value_kind, f.period_start, f.period_end) for f in facts}


def test_a_row_label_gives_its_cells_a_period_and_the_comparison_row_the_latest() -> None:
    text = "年份 | 优良天数（天）\n2020上半年 | 173\n2021上半年 | 170\n同期相比 | 减少3天\n"
    assert periods(text) == {
        ("air.good_days", 2020, "actual", date(2020, 1, 1), date(2020, 6, 30)),
        ("air.good_days", 2021, "actual", date(2021, 1, 1), date(2021, 6, 30)),
        ("air.good_days", 2021, "change_abs", date(2021, 1, 1), date(2021, 6, 30)),
    }


@pytest.mark.parametrize(
    ("caption", "header", "start", "end"),
    [
        ("", "指标 | 2024年1-6月 | 同比", date(2024, 1, 1), date(2024, 6, 30)),
        ("2024年1-3月主要指标", "指标 | 数值 | 同比", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024年主要指标", "指标 | 2024年 | 同比", None, None),
    ],
)
def test_a_column_header_or_the_caption_gives_a_period(caption: str, header: str, start, end) -> None:
    text = (caption + "\n" if caption else "") + header + "\nPM2.5浓度（微克/立方米） | 35 | 下降5.4%\n"
    got = periods(text, ctx("林州市", 2024))
    assert got == {("air.pm25_mean", 2024, "actual", start, end), ("air.pm25_mean", 2024, "change_pct", start, end)}


@pytest.mark.parametrize(
    ("line", "row"),
    [
        ("指标 | 2024年 | 同比变化", True),
        ("| 鞍山市 | 35 |", True),
        # a stray pipe in a garbled paragraph: the 'cell' is a long sentence, so the line is prose
        ("国家考核断面水质优良比例为94.7%,“五河”和东江源头保护区出水?dāng)嗝嫠|功能区达标率为100%。", False),
    ],
)
def test_a_stray_pipe_in_a_sentence_is_no_table_row(line: str, row: bool) -> None:
    assert table_facts.is_pipe_row(line) is row


# -- a row naming the statistic of the indicators across ----------------------------------------


@pytest.mark.parametrize(
    ("caption", "stat", "change"),
    [
        ("表1 2023年环境空气质量（单位：mg/m3）", "年平均浓度", "同比变化(%)"),
        ("", "年平均浓度(mg/m3)", "同比变化(%)"),
        ("空气质量状况（单位：mg/m3）", "年均值", "同比增减（%）"),
    ],
)
def test_a_statistic_row_across_and_its_change_in_per_cent(caption: str, stat: str, change: str) -> None:
    """Rule table_indicators_across: '年平均浓度' is the level for the document's year and area; the
    comparison row in (%) gives relative changes, SO2 staying the air's (its levels are mg/m3)."""
    text = (caption + "\n" if caption else "") + (
        f"项目 | SO2 | NO2 | PM2.5\n{stat} | 0.006 | 0.025 | 0.045\n{change} | -14.3 | 4.2 | -6.3\n"
    )
    assert keys(text, ctx("镇安县", 2023)) == {
        ("镇安县", "air.so2_mean", 2023, "actual", 0.006),
        ("镇安县", "air.no2_mean", 2023, "actual", 0.025),
        ("镇安县", "air.pm25_mean", 2023, "actual", 0.045),
        ("镇安县", "air.so2_mean", 2023, "change_pct", -14.3),
        ("镇安县", "air.no2_mean", 2023, "change_pct", 4.2),
        ("镇安县", "air.pm25_mean", 2023, "change_pct", -6.3),
    }


@pytest.mark.parametrize(
    "units_line",
    ["单位 % μg/m3 μg/m3 μg/m3", "计量单位 % ug/m3 微克/立方米 μg/m³", "(%) (μg/m3) (μg/m3) (μg/m3)"],
)
def test_space_rows_by_year_with_the_units_on_a_line_of_their_own(units_line: str) -> None:
    """Rule table.space_rows + table_indicators_across: rows labelled by year under a header of
    indicators whose units stand on the next line, bare after 单位 or bracketed."""
    text = f"年份 优良天数比例 PM2.5 SO2 NO2\n{units_line}\n2020年 67.8 70 18 41\n2021年 72.1 62 15 38\n"
    assert keys(text, ctx("镇安县", 2023)) == {
        ("镇安县", "air.good_days_ratio", 2020, "actual", 67.8),
        ("镇安县", "air.good_days_ratio", 2021, "actual", 72.1),
        ("镇安县", "air.pm25_mean", 2020, "actual", 70),
        ("镇安县", "air.pm25_mean", 2021, "actual", 62),
        ("镇安县", "air.so2_mean", 2020, "actual", 18),
        ("镇安县", "air.so2_mean", 2021, "actual", 15),
        ("镇安县", "air.no2_mean", 2020, "actual", 41),
        ("镇安县", "air.no2_mean", 2021, "actual", 38),
    }
