"""Extraction time grows with the length of a text, not with its square (issue 12 C1).

One long paragraph or one long sentence (a 20 MB page without line breaks, a run of years)
used to re-scan every figure, year and area for each sentence and figure: 200k characters of
"YYYY年" took 40 s. Each shape is timed at two sizes four times apart: linear code takes about
four times as long (noise allowed up to eight), quadratic code sixteen times. The ratio holds on a
loaded machine where a fixed bound would not; a generous bound still catches a hang.
"""

from __future__ import annotations

import time

import pytest

from pipelines.core.areas import Gazetteer
from pipelines.core.extraction import document_context, extract_facts

GAZ = Gazetteer.load()
SIZE = 200_000
RATIO = 8.0  # linear: about 4; quadratic: about 16
BOUND_SECONDS = 60.0

SHAPES = [
    "2020年",  # years one after another: the figure filter scanned every year for every number
    "2018-2022年",  # ranges: years.find_years scanned every blocked span for every year
    "我市PM2.5浓度35微克/立方米，",  # one sentence of clauses: each figure re-filtered the sentence
    "安阳市我市",  # self references beside named areas
    "PM2.5浓度35微克/立方米。",  # many sentences in one paragraph
    "PM10、PM2.5浓度分别为35、",  # 分别 lists: the items before 分别 were the whole sentence
    "安阳市、林州市PM2.5浓度均为35微克/立方米和",  # 均 over areas
    "同比分别下降5%和",  # 分别 over the indicators just stated
]


def _seconds(unit: str, size: int) -> float:
    text = unit * (size // len(unit))
    ctx = document_context(text, gazetteer=GAZ)
    started = time.perf_counter()
    extract_facts(text, ctx, gazetteer=GAZ)
    return time.perf_counter() - started


@pytest.mark.parametrize("unit", SHAPES)
def test_a_long_single_line_extracts_in_linear_time(unit: str):
    small = max(min(_seconds(unit, SIZE // 4) for _ in range(2)), 0.05)  # the floor keeps noise out
    large = _seconds(unit, SIZE)
    assert large < BOUND_SECONDS, f"{SIZE} characters of {unit!r} took {large:.1f} s"
    assert large / small < RATIO, (
        f"{unit!r}: 4× the text took {large / small:.1f}× the time ({small:.2f} s → {large:.2f} s)"
    )
