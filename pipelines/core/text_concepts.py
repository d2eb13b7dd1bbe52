"""Text concepts the cleaner and the extractor both read: one definition of each.

A sentence end, a numbered heading, a 《》 title, a pinyin reading, a self-reference (我市,
全县), the bounds of a plausible year, the five-year plans and a figure with its unit mean the
same thing to the step that removes noise and to the step that finds facts; when they drift
apart, the cleaner removes what the extractor needs or leaves what it trips over.
"""

from __future__ import annotations

import re
from functools import cache

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

# ---------------------------------------------------------------- sentences
TERMINAL = "。！？!?"  # ends a sentence
SENTENCE_END = "。！？；!?;"  # ends a sentence or a clause that stands alone
SENTENCE_END_RE = re.compile(f"[{SENTENCE_END}]")

# ---------------------------------------------------------------- headings and titles
# A chapter heading: 第三章, 一、, （二）, (4); a numbered link list ("1. 标题") never uses these.
_CN_NUM = "一二三四五六七八九十"
_CHAPTER = rf"第[{_CN_NUM}百\d]+[章节部分篇条]|[{_CN_NUM}]+[、.．]|[(（][{_CN_NUM}\d]+[)）]"
CHAPTER_HEADING_RE = re.compile(rf"^\s*(?:{_CHAPTER})")
# The numbered headings of a body with the level each opens, outermost first: 第三章 / 一、 (1),
# （二） (2), 3. (3), (4) / ① (4). The extractor nests sections by level, so it takes a heading
# only where its level is certain: narrower than a chapter heading above (no 第3条, no (123)),
# which only has to tell a heading from a link list.
_LEVELLED_HEADINGS = (
    (1, rf"第[{_CN_NUM}百]+[章节部分篇]"),
    (1, rf"[{_CN_NUM}]+[、.．]"),
    (2, rf"[(（][{_CN_NUM}]+[)）]"),
    (3, r"\d{1,2}[.．、](?!\d)"),
    (4, r"[(（]\d{1,2}[)）]|[①-⑳]"),
)
HEADING_RE = re.compile(r"^\s*(?:" + "|".join(f"({p})" for _, p in _LEVELLED_HEADINGS) + ")")
HEADING_LEVELS = tuple(level for level, _ in _LEVELLED_HEADINGS)  # the level of each group of HEADING_RE
# A line that only names a place and heads the lines under it: '北京——', '【渭南市】', '陕西：'; after a
# numbered heading ('（二）西安市') the bare name will do. The name is group 'name'.
AREA_LABEL_RE = re.compile(
    r"\s*(?:[【\[]\s*(?P<name>[\u4e00-\u9fff]{2,12})\s*[】\]]"
    r"|(?P<dashed>[\u4e00-\u9fff]{2,12})\s*(?:[—－]{1,2}|-{2}|[:：]))\s*"
)
AREA_NAME_RE = re.compile(r"\s*(?P<name>[\u4e00-\u9fff]{2,12})\s*")
TITLE_SPAN_RE = re.compile(r"《[^《》]*》")  # a cited document: its years and figures are its own

# ---------------------------------------------------------------- pinyin readings
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
UNTONE = str.maketrans(TONED, "aaaaeeeeiiiioooouuuuüüüünnnm")
_INITIAL = "(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_FINAL = (
    "(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|üan|ai|ei|ao|ou|an|en|in|un|ün"
    "|er|ia|ie|iu|ua|uo|ui|üe|ue|a|o|e|i|u|ü)"
)
# One to four syllables, tone marks removed: what a reading in brackets may spell.
PINYIN_WORD_RE = re.compile(f"(?:{_INITIAL}{_FINAL}|ng|hng|hm|n|m){{1,4}}")
# A bracketed Latin word after a non-space character: a reading when it spells pinyin and
# either follows a Han character ("質(zhì)量") or carries a tone mark (after a bar, after a Latin
# letter, inside a token: "P(pí)M10"). See is_reading.
READING_CANDIDATE_RE = re.compile(f"(?<=\\S)[(（]([a-zü{TONED}]{{1,24}})[)）]")
_HAN_CHAR_RE = re.compile(f"[{HAN}]")
TONED_RE = re.compile(f"[{TONED}]")
# A toned reading as the extractor still meets it in cleaned text: after a Han character or
# another reading, also where the scraper turned the bracket or the character into '?'
# ('空气质量?jī)?yōu)良'), which READING_CANDIDATE_RE (a real bracket after a non-space) cannot see.
TONED_READING_RE = re.compile(f"(?:(?<=[{HAN}])|(?<=[)）?？]))[(（?？][a-zü]*[{TONED}][a-zü]*[)）]")
# A zhuyin (bopomofo) reading with its tone mark: "（ㄐㄧㄥˇ）".
ZHUYIN_RE = re.compile(f"(?<=[{HAN}])[(（]([\u3105-\u312f\u31a0-\u31bf]{{1,4}}[ˊˇˋ˙]?)[)）]")


def is_pinyin(reading: str) -> bool:
    """Whether a bracketed word spells pinyin syllables (tone marks allowed)."""
    return PINYIN_WORD_RE.fullmatch(reading.lower().translate(UNTONE)) is not None


def is_reading(match: re.Match[str]) -> bool:
    """Whether a READING_CANDIDATE_RE match is a pinyin reading (see there)."""
    before = match.string[match.start() - 1]
    return (_HAN_CHAR_RE.match(before) is not None or TONED_RE.search(match.group(1)) is not None) and is_pinyin(
        match.group(1)
    )


# ---------------------------------------------------------------- areas and years
# How a document names its own area without naming it.
SELF_REFERENCE_RE = re.compile(
    r"全国|全省|我省|本省|全市|我市|本市|全县|我县|本县|全区|我区|本区|主城区|中心城区|市区|城区|市本级|建成区|全旗|全州|全盟"
)
MIN_YEAR, MAX_YEAR = 1949, 2100
FIVE_YEAR_PLANS = {"十二五": (2011, 2015), "十三五": (2016, 2020), "十四五": (2021, 2025), "十五五": (2026, 2030)}

# ---------------------------------------------------------------- figures


@cache
def figure_unit_re() -> re.Pattern[str]:
    """A figure followed by a unit of the units table ("35微克/立方米", "82.5%", "6.9个百分点").

    Written for the cleaner's folded view (lower-case ASCII). A unit followed by another
    "/…" or "每…" is some other measure ("3元/月" is a price) and does not count.
    """
    from pipelines.core.units import unit_table  # the table of units is the one home of unit spellings

    spellings = sorted({u.lower() for u in unit_table()} - {"个", "起", "件", "宗"}, key=len, reverse=True)
    units = "|".join(re.escape(u) for u in spellings)
    return re.compile(rf"(?<![\d.])\d+(?:\.\d+)?\s*(?:{units})(?![/每a-z])")
