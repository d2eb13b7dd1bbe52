"""The extractor's vocabularies are data: a row added to a CSV changes what is read, with no code."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.core import extraction
from pipelines.core.areas import Gazetteer
from pipelines.core.extraction import ChangeVerbs, change_verbs, extract_facts, read_vocabulary
from pipelines.core.models import DocContext

GAZ = Gazetteer.load()
CTX = DocContext(
    title=None, doc_date=date(2025, 4, 28), subject_year=2024, area=GAZ.by_name("鞍山市"), source_type="congress"
)


def changes(text: str) -> set[tuple]:
    return {(f.indicator_code, f.value_kind, f.number) for f in extract_facts(text, CTX, gazetteer=GAZ)}


@pytest.mark.parametrize("name", ["change_verbs"])
def test_every_vocabulary_row_says_why(name: str):
    rows = read_vocabulary(name)
    assert rows and all(r["why"].strip() for r in rows)


def test_adding_a_change_verb_to_the_data_gives_its_sign(monkeypatch: pytest.MonkeyPatch):
    text = "二氧化硫排放量压减12%。"  # no base cue: the short verb 减 alone reads nothing
    assert ("emis.so2", "change_pct", -12.0) not in changes(text)
    rows = [*read_vocabulary("change_verbs"), {"word": "压减", "sign": "-", "kind": "change", "why": "a cut"}]
    monkeypatch.setattr(extraction, "change_verbs", lambda: ChangeVerbs.from_rows(rows))
    assert ("emis.so2", "change_pct", -12.0) in changes(text)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("PM2.5浓度同比下降4.4%。", ("air.pm25_mean", "change_pct", -4.4)),
        ("优良天数同比增加14天。", ("air.good_days", "change_abs", 14.0)),
        ("PM2.5浓度同比改善13.6%。", ("air.pm25_mean", "change_pct", -13.6)),  # 改善: by direction
        ("优良天数比例同比改善3.6个百分点。", ("air.good_days_ratio", "change_abs", 3.6)),
        ("PM10浓度较上年恶化5%。", ("air.pm10_mean", "change_pct", 5.0)),
        ("PM2.5浓度降幅为8%。", ("air.pm25_mean", "change_pct", -8.0)),
        ("可吸入颗粒物(PM10)浓度下降比例为39.8%。", ("air.pm10_mean", "change_pct", -39.8)),
        ("优良天数比上年多14天。", ("air.good_days", "change_abs", 14.0)),
        ("PM2.5浓度降至35微克/立方米。", ("air.pm25_mean", "actual", 35.0)),  # a level, not a change
        ("优良天数比例提高到85%。", ("air.good_days_ratio", "actual", 85.0)),
    ],
)
def test_change_words_read_by_kind(sentence: str, expected: tuple):
    assert expected in changes(sentence)


def test_a_verb_without_a_sign_is_refused():
    with pytest.raises(ValueError, match="no sign"):
        ChangeVerbs.from_rows([{"word": "压减", "sign": "", "kind": "change", "why": "x"}])


def test_one_row_per_word():
    words = [r["word"] for r in read_vocabulary("change_verbs")]
    assert len(words) == len(set(words))
    assert change_verbs().sign("下降", None) == -1
