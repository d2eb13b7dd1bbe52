"""Extraction time grows with the length of a text, not with its square (issue 12 C1).

One long paragraph or one long sentence (a 20 MB page without line breaks, a run of years)
used to re-scan every figure, year and area for each sentence and figure: 200k characters of
"YYYY年" took 40 s (80k: 6 s). Each shape is timed at two sizes four times apart: linear code takes about
four times as long (noise allowed up to eight), quadratic code sixteen times. Times are CPU time of
this process, the best of a few runs, so the ratio holds on a loaded machine where wall time and a
fixed bound would not; a generous bound still catches a hang.
"""

from __future__ import annotations

import time

import pytest

from pipelines.core.areas import Gazetteer
from pipelines.core.extraction import document_context, extract_facts

GAZ = Gazetteer.load()
SIZE = 80_000
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


def _seconds(unit: str, size: int, runs: int) -> float:
    """The least CPU time of `runs` extractions: other processes on the machine only ever add to it."""
    text = unit * (size // len(unit))
    ctx = document_context(text, gazetteer=GAZ)
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        extract_facts(text, ctx, gazetteer=GAZ)
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize("unit", SHAPES)
def test_a_long_single_line_extracts_in_linear_time(unit: str):
    small = max(_seconds(unit, SIZE // 4, runs=3), 0.05)  # the floor keeps timer noise out
    large = _seconds(unit, SIZE, runs=2)
    assert large < BOUND_SECONDS, f"{SIZE} characters of {unit!r} took {large:.1f} s"
    assert large / small < RATIO, (
        f"{unit!r}: 4× the text took {large / small:.1f}× the time ({small:.2f} s → {large:.2f} s)"
    )


def test_text_without_figures_is_not_searched_for_indicators_or_areas(monkeypatch: pytest.MonkeyPatch) -> None:
    """Most paragraphs of a report state no figure: they pass on the year they open with and no more
    (issue 13, extraction speed); indicator phrases and areas are looked for only where a figure is."""
    from pipelines.core import extraction

    text = "某市生态环境状况公报\n\n2020年，全市深入推进大气污染防治工作。持续开展蓝天保卫战。\n\n"
    text += "细颗粒物（PM2.5）年均浓度为35微克/立方米。"
    context = document_context(text, gazetteer=GAZ)
    seen: list[str] = []
    find_mentions = extraction._find_mentions
    monkeypatch.setattr(extraction, "_find_mentions", lambda s: seen.append(s) or find_mentions(s))
    facts = extract_facts(text, context, gazetteer=GAZ)
    assert [(f.indicator_code, f.number) for f in facts] == [("air.pm25_mean", 35.0)]
    assert all("35" in s for s in seen) and seen  # only the paragraph with the figure
