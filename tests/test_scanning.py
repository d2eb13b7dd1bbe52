"""The engine-based scans find exactly what a plain, obviously correct scan finds.

Each fast path (Hyperscan word sets, regexes gated on their literal cores, the view copied in
runs, the gazetteer's one-pass name scan) is checked against a reference written the slow,
plain way: on real snippets, and on random strings over a small alphabet of the characters
that matter (area-name characters, digits, marks, spaces, full-width forms), where overlaps,
boundaries and near-misses are frequent.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.core import areas, extraction, numbers, scanning, text_concepts, years

SNIPPETS = [
    "2023年，鞍山市环境空气质量优良天数为300天，同比增加12天；PM2.5年均浓度为35微克/立方米。",
    "阜新彰武县城区饮用水源地水质达标率100%，柳江干流水质优良，长江干流江干段断面达标。",
    "四平市铁东区、铁西区及梨树县PM10浓度分别为58、61、55微克/立方米，较上年下降5.2%。",
    "河南省郑州市 1-5月 空气质量综合指数4.93，PM_{2.5} 浓度 45 μg/m3，97。3%的断面达标。",
    "空气质(zhì)量优(yōu)良天数比例为８５．６％，“十四五”期间截至10月18日累计改善。",
    "秦州(24天)、清水(23天)、武山(22天)；鄱阳湖水位上升，黄河南岸、太行山东麓。",
    "(PM1045微克/立方米) 二〇二四年 一季度 上半年 前三季度 全年 年度 12月份 本年度 去年同期",
    "",
    "   \n\t ",
]

_AREA_CHARS = "鞍山市阜新彰武县铁东西区梨树河南北省江干柳湖清水安阳朝"
_ALPHABET = _AREA_CHARS + "0123456789 .。，、()（）年月季度上半PMpm_{}２５％%长治久安流域"


@pytest.fixture(scope="module")
def gazetteer() -> areas.Gazetteer:
    return areas.Gazetteer.load()


# ----------------------------------------------------------------------------- word sets


def _occurrences(words: list[str], text: str) -> list[tuple[int, int, int]]:
    """Every occurrence of every word, overlapping ones included, by trying each start."""
    found = []
    for k, word in enumerate(words):
        i = text.find(word)
        while i >= 0:
            found.append((i, i + len(word), k))
            i = text.find(word, i + 1)
    return sorted(found, key=lambda h: (h[1], h[0], h[2]))


WORDS = ["鞍山", "鞍山市", "山市", "市", "PM2.5", "2.5", "江干", "柳江", "长江干流", "年", "二〇"]


@pytest.mark.parametrize("text", SNIPPETS)
def test_words_find_every_occurrence_on_real_snippets(text: str) -> None:
    assert sorted(scanning.Words(WORDS).find(text), key=lambda h: (h[1], h[0], h[2])) == _occurrences(WORDS, text)


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.text(alphabet=_ALPHABET, min_size=1, max_size=4), min_size=1, max_size=8, unique=True),
    text=st.text(alphabet=_ALPHABET, max_size=60),
)
def test_words_find_every_occurrence_on_random_text(words: list[str], text: str) -> None:
    found = scanning.Words(words).find(text)
    assert sorted(found, key=lambda h: (h[1], h[0], h[2])) == _occurrences(words, text)
    assert scanning.Words(words, once=True).present(text) == {k for _, _, k in _occurrences(words, text)}


def test_a_word_set_rejects_what_the_engine_cannot_hold() -> None:
    with pytest.raises(ValueError):
        scanning.Words(["鞍山", ""])


# ----------------------------------------------------------------------------- gazetteer


def _reference_hits(gaz: areas.Gazetteer, text: str, *, strict: bool) -> list[tuple[int, int, bool]]:
    """The gazetteer's scan as it was: every start, every name length that starts there."""
    lengths: dict[str, set[int]] = {}
    for surface in (*gaz._full, *gaz._short):
        lengths.setdefault(surface[:2], set()).add(len(surface))
    masked = [False] * len(text)
    if strict:
        for m in areas._NOT_AREAS.finditer(text):
            masked[m.start() : m.end()] = [True] * (m.end() - m.start())
    hits = []
    for i in range(len(text) - 1):
        for length in sorted(lengths.get(text[i : i + 2], ()), reverse=True):
            end = i + length
            surface = text[i:end]
            if len(surface) < length or (surface not in gaz._full and surface not in gaz._short):
                continue
            if strict and any(masked[i:end]):
                continue
            after = text[end : end + 2]
            ok = not (surface.endswith("区") and after[:1] == "域")
            if strict:
                ok = ok and gaz._bare_ok(surface, after) and gaz._direction_ok(surface, text[i - 1 : i])
            hits.append((i, end, ok))
    return hits


@pytest.mark.parametrize("strict", [True, False])
@pytest.mark.parametrize("text", SNIPPETS)
def test_area_scan_matches_the_plain_scan_on_real_snippets(gazetteer, text: str, strict: bool) -> None:
    assert gazetteer._hits(text, strict=strict) == _reference_hits(gazetteer, text, strict=strict)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=_AREA_CHARS + "，。、 (", max_size=40), strict=st.booleans())
def test_area_scan_matches_the_plain_scan_on_random_text(gazetteer, text: str, strict: bool) -> None:
    assert gazetteer._hits(text, strict=strict) == _reference_hits(gazetteer, text, strict=strict)


# ----------------------------------------------------------------------------- gated regexes


@pytest.mark.parametrize(
    ("pattern", "cores"),
    [
        (r"(?<!前)(?:第)?三季度|3季度", ("三季度", "3季度")),
        (r"(?<![\d〇])((?:19|20)\d{2})\s*年(?!代)", ("19", "20")),
        (r"(今年|去年|上一年)(同期)?", ("今年", "去年", "上一年")),
        (r"优良天(?:气天)?数?", ("优良天",)),
        (r"(?i)pm2\.5", ("",)),
        (r"[A-Z]+\d?", ("",)),
    ],
)
def test_literal_cores(pattern: str, cores: tuple[str, ...]) -> None:
    assert scanning.literal_cores(re.compile(pattern)) == cores


GATED = [
    *(g for g, *_ in extraction._period_patterns()),
    years._TITLE_SPAN_G,
    years._RANGE_G,
    years._EXPLICIT_G,
    years._RELATIVE_G,
    years._LOOKBACK_G,
    years._PLAN_G,
    years._PART_YEAR_G,
]


@pytest.mark.parametrize("index", range(len(GATED)))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_a_gated_regex_finds_what_the_plain_regex_finds(index: int, data: st.DataObject) -> None:
    gated = GATED[index]
    found = data.draw(st.from_regex(gated.pattern, fullmatch=True))
    noise = st.text(alphabet=_ALPHABET, max_size=8)
    text = data.draw(noise) + found + data.draw(noise)
    for sample in (text, data.draw(st.text(alphabet=_ALPHABET, max_size=30))):
        assert [m.span() for m in gated.finditer(sample)] == [m.span() for m in gated.pattern.finditer(sample)]
        assert bool(gated.search(sample)) == bool(gated.pattern.search(sample))


@pytest.mark.parametrize("index", range(len(extraction._period_patterns())))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_every_period_expression_holds_a_period_cue(index: int, data: st.DataObject) -> None:
    """find_periods skips a text without one of its cues: no period pattern may match one."""
    gated = extraction._period_patterns()[index][0]
    found = data.draw(st.from_regex(gated.pattern, fullmatch=True))
    assert scanning.any_char(extraction._period_cues())(found)


def test_a_sentence_without_a_cue_has_no_period_or_year() -> None:
    text = "全市空气质量优良天数为300天，PM2.5为35微克/立方米。"
    assert not scanning.any_char(extraction._period_cues())(text)
    assert extraction.find_periods(text) == [] and years.find_years(text, ref_year=2024) == []


@pytest.mark.parametrize("pattern", [years._EXPLICIT, years._RELATIVE, years._LOOKBACK, years._PLAN])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_year_expression_holds_a_year_cue(pattern: re.Pattern[str], data: st.DataObject) -> None:
    """find_years skips a text without 年 or 五: no year pattern may match one."""
    found = data.draw(st.from_regex(pattern, fullmatch=True))
    assert scanning.any_char(years._YEAR_CUES)(found)


# ----------------------------------------------------------------------------- view and numbers


def _reference_view(src: str, a: int, b: int) -> extraction._View:
    """The normalised view as it was built: every repair run everywhere, one character at a time."""
    drop: set[int] = set()
    for m in text_concepts.TONED_READING_RE.finditer(src, a, b):
        drop.update(range(m.start(), m.end()))
    for m in extraction._SUBSCRIPT.finditer(src, a, b):
        drop.update((m.start(), m.start() + 1, m.end() - 1))
    subst: dict[int, str] = {}
    for m in extraction._PM.finditer(src, a, b):
        subst.update({m.start(): "P", m.start() + 1: "M"})
        drop.update(range(m.start() + 2, m.end()))
    for m in extraction._DECIMAL_STOP.finditer(src, a, b):
        subst[m.start()] = "."
    for m in extraction._GLUED_PM.finditer(src, a, b):
        subst.update({m.start(): "P", m.start() + 1: "M", m.end() - 1: src[m.end() - 1] + ")"})
    chars: list[str] = []
    pos: list[int] = []
    i = a
    while i < b:
        c = subst.get(i, src[i])
        if i in drop:
            i += 1
            continue
        if c.isspace():
            j = i
            while j < b and src[j].isspace():
                j += 1
            prev, nxt = (chars[-1] if chars else ""), (extraction._fold_char(src[j])[:1] if j < b else "")
            alpha = extraction._is_ascii_alpha
            if prev and nxt and ((prev.isdigit() and nxt.isdigit()) or (alpha(prev) and alpha(nxt))):
                chars.append(" ")
                pos.append(i)
            i = j
            continue
        for ch in extraction._fold_char(c):
            chars.append(ch)
            pos.append(i)
        i += 1
    pos.append(b)
    return extraction._View("".join(chars), pos)


_VIEW_ALPHABET = _ALPHABET + "\u3000\u00a0\tzhìyōuㄧ㎡①Ⅲ−﹪ＰＭ𠀀"


@pytest.mark.parametrize("text", SNIPPETS)
def test_the_view_matches_the_plain_view_on_real_snippets(text: str) -> None:
    for a, b in ((0, len(text)), (min(3, len(text)), max(len(text) - 2, min(3, len(text))))):
        assert extraction._view(text, a, b) == _reference_view(text, a, b)


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=_VIEW_ALPHABET, max_size=50), cut=st.tuples(st.integers(0, 50), st.integers(0, 50)))
def test_the_view_matches_the_plain_view_on_random_text(text: str, cut: tuple[int, int]) -> None:
    a, b = sorted(min(c, len(text)) for c in cut)
    assert extraction._view(text, a, b) == _reference_view(text, a, b)


_ARABIC_AS_WRITTEN = re.compile(
    rf"(?<![A-Za-z_\d.{re.escape(numbers._MASK)}])(?:\d{{1,3}}(?:,\d{{3}})+(?![\d,])|\d+)(?:\.\d+)?"
    rf"(?![\d{re.escape(numbers._MASK)}]|\.\d)"
)


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet="0123456789,.xX*PM年%万 ", max_size=40))
def test_the_number_pattern_matches_its_look_behind_first_form(text: str) -> None:
    """The digit-first pattern finds the numbers the look-behind-first one (its plain reading) finds."""
    assert [m.span() for m in numbers._ARABIC_IN_TEXT.finditer(text)] == [
        m.span() for m in _ARABIC_AS_WRITTEN.finditer(text)
    ]


def _reference_sentence_ends(s: str) -> list[int]:
    ends, i = [], 0
    while i < len(s):
        if s[i] in text_concepts.TERMINAL:
            j = i + 1
            while j < len(s) and s[j] in extraction._CLOSERS:
                j += 1
            ends.append(j)
            i = j
        else:
            i += 1
    if not ends or ends[-1] < len(s):
        ends.append(len(s))
    return ends


def _reference_clauses(s: str, a: int, b: int) -> list[tuple[int, int]]:
    out, start = [], a
    for i in range(a, b):
        if s[i] in extraction._CLAUSE_SEP and not (s[i] == ":" and i > a and s[i - 1].isdigit()):
            out.append((start, i + 1))
            start = i + 1
    out.append((start, b))
    return [c for c in out if c[1] > c[0]]


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet='年月12:：,，;；。！？!?”’"』」)）市', max_size=40), cut=st.integers(0, 40))
def test_sentence_and_clause_marks_match_the_plain_scan(text: str, cut: int) -> None:
    assert extraction._sentence_ends(text) == _reference_sentence_ends(text)
    a = min(cut, len(text))
    assert extraction._clauses(text, a, len(text)) == _reference_clauses(text, a, len(text))
