"""Hard-wrapped text files are re-flowed; paragraph-per-line files are left as they are."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from pipelines.core.textfiles import fold
from pipelines.core.unwrap import unwrap, wrap_width
from pipelines.settings import PROJECT_ROOT

RAW = PROJECT_ROOT / "raw"


def _wrap(paragraphs: list[str], width: int) -> str:
    lines = []
    for paragraph in paragraphs:
        lines += [paragraph[i : i + width] for i in range(0, len(paragraph), width)]
    return "\n\n".join(lines)


BODY = [
    "空气质量持续改善,全年优良天数326天,同比增加14天,优良天数比例达到89.3%,细颗粒物年均浓度为35微克/立方米。",
    "水环境质量稳中向好,10个国考断面水质优良比例为80%,县级及以上集中式饮用水水源地水质达标率保持100%。",
    "今年以来,全县农作物秸秆综合利用率达到95.3%,畜禽粪污综合利用率达到78%,农膜回收率达到87%。",
]


def test_numbers_split_across_wrapped_lines_rejoin():
    wrapped = _wrap(BODY, 20)
    assert "9\n\n5.3" in wrapped  # the width splits 95.3 across two lines
    text = unwrap(wrapped)
    assert text.split("\n") == BODY


def test_the_hard_wrapped_seed_is_reflowed():
    text = unwrap(fold((RAW / "000_f62db9893ffb6cb0.txt").read_text(encoding="utf-8")))
    assert "《鞍山市 2024 年度环境状况和环境保护目标完成情况报告》。" in text
    assert "城市水质指数同比改善 1.02%" in text


def test_paragraph_per_line_files_are_untouched():
    for name in ("001_9aa5532d1dae63e5.txt", "002_1476e9828541749f.txt", "004_855f608002ef64d1.txt"):
        text = fold((RAW / name).read_text(encoding="utf-8"))
        assert wrap_width(text.split("\n")) is None
        assert unwrap(text) == text


def test_headings_start_new_lines():
    wrapped = _wrap(["一、大气环境质量总体稳定向好趋势明显持续改善" * 2], 20)
    wrapped += "\n\n二、水环境质量稳中向好,断面水质优良\n\n" + _wrap(BODY, 20)
    assert "\n二、水环境质量" in unwrap(wrapped)


ALPHABET = "优良天数比例达到百分之空气质量持续改善0123456789.%,。"


@given(st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=80), max_size=12))
def test_unwrapping_never_loses_or_reorders_characters(paragraphs: list[str]):
    text = _wrap(paragraphs, 18)
    assert re.sub(r"\s", "", unwrap(text)) == re.sub(r"\s", "", text)


def test_list_of_dated_links_cut_at_one_width_is_not_rejoined():
    # Titles of other stories cut at a fixed width, each closed by its date: one link per line.
    items = [
        "- 湖州市开展秋冬季大气污染综合治理攻坚2019-10-08",
        "- 嘉兴市完成年度地表水考核断面水质监测2019-10-11",
        "- 丽水市召开生态环境保护督察整改推进会2019-09-27",
        "- 衢州市发布第三季度环境空气质量状况表2019-10-02",
        "- 金华市部署重污染天气应急减排清单修订2019-09-30",
        "- 台州市推进近岸海域污染防治攻坚战行动2019-10-09",
        "- 温州市通报九月份主要河流水质监测情况2019-10-10",
        "- 绍兴市启动第二轮土壤污染状况详查工作2019-09-25",
    ]
    text = "\n".join(items) + "\n"
    assert unwrap(text) == text
