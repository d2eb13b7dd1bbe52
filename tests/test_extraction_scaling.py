"""Extraction time grows with the length of a text, not with its square (issue 12 C1).

One long paragraph or one long sentence (a 20 MB page without line breaks, a run of years)
used to re-scan every figure, year and area for each sentence and figure: 200k characters of
"YYYY年" took 40 s. The bound below is generous (linear code needs about 1 s on a loaded
machine) so the test never flakes, and a quadratic path (30 s and more at this size) fails it.
"""

from __future__ import annotations

import time

import pytest

from pipelines.core.areas import Gazetteer
from pipelines.core.extraction import document_context, extract_facts

GAZ = Gazetteer.load()
SIZE = 200_000
BOUND_SECONDS = 12.0

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


@pytest.mark.parametrize("unit", SHAPES)
def test_a_long_single_line_extracts_in_linear_time(unit: str):
    text = unit * (SIZE // len(unit))
    ctx = document_context(text, gazetteer=GAZ)
    started = time.perf_counter()
    extract_facts(text, ctx, gazetteer=GAZ)
    elapsed = time.perf_counter() - started
    assert elapsed < BOUND_SECONDS, f"{SIZE} characters of {unit!r} took {elapsed:.1f} s"
