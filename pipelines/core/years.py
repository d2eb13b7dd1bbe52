"""Years in Chinese reports: explicit, relative, five-year plans, and a document's own date and subject.

Every year a figure can get is found here with its role in the sentence (a point in time, a
deadline, the base of a change, a span), so the extractor only has to choose among them.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from pipelines.core import scanning
from pipelines.core import text_concepts as T
from pipelines.core.numbers import parse_chinese

RELATIVE = {
    "今年": 0,
    "本年": 0,
    "本年度": 0,
    "去年": -1,
    "上年": -1,
    "上一年": -1,
    "过去一年": -1,
    "前年": -2,
    "明年": 1,
}

# roles a year can play for the figures after it
POINT = "point"  # 2024年, 今年: the year the figures describe
BY = "by"  # 到2025年: a target year in a plan, an achieved one when looking back
DEADLINE = "deadline"  # 2025年底前: always a target year
BASE = "base"  # 与2015年相比, 较去年同期: the base of a change
ATTACHED = "attached"  # 由2015年的273天: only the figure right after it
SINCE = "since"  # 2017年以来: a start, not the year of a figure
DATE = "date"  # 2025年4月28日: a day; describes its own clause only
PERIOD = "period"  # “十三五”期间: the span, figures belong to its last year
REFERENCE = "reference"  # “十四五”规划: names a plan, describes no figure

_CN_DIGIT = "〇零○一二三四五六七八九"
_YEAR = rf"(?:(?:19|20)\d{{2}}|[{_CN_DIGIT}]{{4}})"
_EXPLICIT = re.compile(rf"(?<![\d{_CN_DIGIT}])({_YEAR})\s*年(?!代)")
_RANGE = re.compile(rf"{_YEAR}\s*年?\s*[-~～—–至到]\s*{_YEAR}\s*年")
_RELATIVE = re.compile(
    r"(?<![\d〇零一二三四五六七八九]年)(本年度|过去一年|上一年|今年|本年|去年|上年|前年|明年)(同期)?"
)
_PLAN = re.compile(rf"[“\"']?({'|'.join(T.FIVE_YEAR_PLANS)})[”\"']?(期间|时期|以来|末期|末年|末|收官之年|收官)?")
# 过去五年 / 近三年 / 五年来: the years up to the one before the text was written
_LOOKBACK = re.compile(
    r"(?:过去|近|这|前)([二两三四五六七八九十]|\d{1,2})年(?:来|间|里|中)?|([二两三四五六七八九十]|\d{1,2})年来"
)
_BASE_BEFORE = re.compile(r"(?:与|较|比|同|相比|相较于?|对比)$")
_BASE_AFTER = re.compile(r"^(?:相比|相较|比较|比|同期|水平相比)")
_BY_BEFORE = re.compile(r"(?<!截)(?:到|至)$")
_DEADLINE_AFTER = re.compile(r"^(?:度)?(?:底前|末前|年底前|年末前|前(?![一二三四两\d]个?(?:季度|月)))")
_SINCE_AFTER = re.compile(r"^(?:度)?(?:有(?:监测|气象)?(?:数据)?记录)?(?:以来|起|开始|至今)")  # 2013年有监测记录以来
_DATE_AFTER = re.compile(rf"^\s*[\d{_CN_DIGIT}十]{{1,2}}\s*月\s*[\d{_CN_DIGIT}十]{{1,3}}\s*日")
_ATTACHED_AFTER = re.compile(r"^(?:度)?(?:底|末)?的[约近]?\d")

_DATE_NUM = rf"[\d{_CN_DIGIT}十]"
# The building blocks the named patterns of date_formats.csv are written with.
_DATE_PARTS = {
    "date": rf"(?P<y>{_YEAR})\s*[年\-/.]\s*(?P<m>{_DATE_NUM}{{1,2}})\s*[月\-/.]\s*(?P<d>{_DATE_NUM}{{1,3}})\s*日?",
    "dmy": r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d{2})",
    "time": r"\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?(?!\d)",
    "sep": r"\s*(?:[:：|]\s*)+",
}
# a date with a clock time: a page's timestamp ('2022-08-26 09:53:36'), never a figure's date
_TIMESTAMP = re.compile(_DATE_PARTS["date"] + r"\s*" + _DATE_PARTS["time"])
_PART_NAME = re.compile(r"\{(" + "|".join(_DATE_PARTS) + r")\}")
_HEAD_CHARS = 1000  # a page's byline and timestamp sit above its body


@dataclass(frozen=True)
class DateFormat:
    """One named way a document states its own date (a row of date_formats.csv)."""

    name: str
    scope: str  # 'head': the first lines only; 'any': anywhere in the text
    pattern: re.Pattern[str]
    why: str


@cache
def date_formats() -> tuple[DateFormat, ...]:
    """The shipped date formats, in order of trust: the first that matches gives the date."""
    text = resources.files("pipelines.data").joinpath("date_formats.csv").read_text(encoding="utf-8")
    rows = []
    for r in csv.DictReader(text.splitlines()):
        if r["scope"] not in ("head", "any"):
            raise ValueError(f"date_formats.csv: bad scope in {r}")
        source = _PART_NAME.sub(lambda m: _DATE_PARTS[m.group(1)], r["pattern"])
        pattern = re.compile(source, re.M)
        rows.append(DateFormat(r["name"], r["scope"], pattern, r["why"]))
    return tuple(rows)


_PART_YEAR = re.compile(
    r"截至\d{1,2}月|截止\d{1,2}月|截至目前|截止目前|\d{1,2}\s*[-—~～至]\s*\d{1,2}月|[上下]半年|前三季度|[一二三四]季度|今年以来|年初以来|年初至今"
)
_PRESENTS = r"(?:通报|发布|公布|介绍)了?"  # a news lead presenting figures
_PRESENTS_YEAR = re.compile(
    rf"{_PRESENTS}《?({_YEAR})年度?[^。,，;；]{{0,20}}?"
    r"(?:环境状况|环境质量状况|环境质量|空气质量|水质|公报|状况|情况)"
)
# A news lead presenting the current year's figures: '生态环境部22日通报今年上半年全国环境空气质量状况'.
_PRESENTS_THIS_YEAR = re.compile(
    _PRESENTS + r"今年(?:以来|上半年|下半年|前三季度|[一二三四]季度|\d{1,2}\s*[-—~至]\s*\d{1,2}\s*月|前\d{1,2}个?月)?"
    r"[^。,，;；]{0,20}?(?:环境状况|环境质量|空气质量|水环境质量|状况|情况)"
)
_BARE_TITLE_YEAR = re.compile(r"(?:^|《)((?:19|20)\d{2})(?=[\u4e00-\u9fff])(?!年)")
# A headline writes its year without 年 before what the year did ('锁定蓝天目标 2020实现多项突破',
# '确定2021空气质量目标'); a count of things ('2000多家企业', '1998亩') is followed by its measure word.
_HEADLINE_YEAR = re.compile(
    r"(?<![\d.A-Za-z第约近超达共计])((?:19|20)\d{2})"
    r"(?=[\u4e00-\u9fff])(?![年月日余多万亿千百十个家吨天人元件亩公项座株台辆户所条处次名位棵只头米克度份])"
)
# A note that says which year the document's figures are ('本公报部分数据为2022年初步统计数据',
# '备注:以上数据为2016年1月1日-6月30日均值'): the subject year of a text whose title names none.
_DATA_YEAR_NOTE = re.compile(
    rf"(?:本公报|本报告|本通报|本期|以上|上述|表中|文中)[^。\n]{{0,12}}?数据(?:均|皆)?(?:为|是|系)\s*({_YEAR})\s*年"
)
_SUBJECT_DOC = re.compile(r"环境状况|环境质量|公报|工作|报告|总结|进展|情况|目标|年报|考核")


@dataclass(frozen=True)
class YearMention:
    """A year named in a sentence, with the role it plays for the figures around it."""

    start: int
    end: int
    text: str
    year: int | None  # None for a relative year when the document's own year is unknown
    role: str
    year_start: int | None = None  # first year of a plan period
    relative: bool = False


def parse_year(text: str) -> int | None:
    """'2024', '2024年', '２０２４', '二〇三五年' → the year, when it lies in 1949–2100."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).removesuffix("年")
    if re.fullmatch(r"\d{4}", s):
        value = int(s)
    elif len(s) == 4 and all(c in _CN_DIGIT for c in s):
        value = int(parse_chinese(s) or 0)
    else:
        return None
    return value if T.MIN_YEAR <= value <= T.MAX_YEAR else None


def plan_span(name: str) -> tuple[int, int] | None:
    """'十四五' → (2021, 2025)."""
    return T.FIVE_YEAR_PLANS.get(name.strip("“”\"' "))


def find_plan(text: str) -> str | None:
    """The five-year plan a title names ('“十四五”生态环境保护规划' → '十四五')."""
    m = _PLAN.search(text)
    return m.group(1) if m else None


# The patterns find_years runs on every sentence, each tried only where its literal core occurs
# (most sentences name no year: a substring test instead of six regex scans).
_TITLE_SPAN_G, _RANGE_G, _EXPLICIT_G, _RELATIVE_G, _LOOKBACK_G, _PLAN_G, _PART_YEAR_G = map(
    scanning.Gated, (T.TITLE_SPAN_RE, _RANGE, _EXPLICIT, _RELATIVE, _LOOKBACK, _PLAN, _PART_YEAR)
)

# Every year expression find_years reports holds 年 (a year, a relative year, a lookback) or 五
# (a plan): a sentence without either names no year (tests/test_scanning.py checks the patterns).
_YEAR_CUES = "年五"
_MAY_NAME_YEAR = scanning.any_char(_YEAR_CUES)


def _role(text: str, start: int, end: int) -> str:
    before, after = text[max(0, start - 4) : start].rstrip(), text[end : end + 8]
    if _DATE_AFTER.match(after):
        return DATE
    if _BASE_BEFORE.search(before) or _BASE_AFTER.match(after):
        return BASE
    if _SINCE_AFTER.match(after) or before.endswith("自"):
        return SINCE
    if _DEADLINE_AFTER.match(after):
        return DEADLINE
    if _ATTACHED_AFTER.match(after):
        return ATTACHED
    if _BY_BEFORE.search(before):
        return BY
    return POINT


def find_years(text: str, *, ref_year: int | None) -> list[YearMention]:
    """Every year a sentence names, left to right, with its role.

    Years inside a title (《2024年…方案》) and in ranges (2018-2022年) describe no figure and are
    left out. Relative years resolve against `ref_year`, the year the text was written.
    """
    if not _MAY_NAME_YEAR(text):
        return []
    blocked = bytearray(len(text) + 1)  # a flag per character: one lookup per year, not a scan
    for m in (*_TITLE_SPAN_G.finditer(text), *_RANGE_G.finditer(text)):
        blocked[m.start() : m.end()] = b"\x01" * (m.end() - m.start())

    def free(start: int) -> bool:
        return not blocked[start]

    found: list[YearMention] = []
    for m in _EXPLICIT_G.finditer(text):
        year = parse_year(m.group(1))
        if year is not None and free(m.start()):
            found.append(YearMention(m.start(), m.end(), m.group(), year, _role(text, m.start(), m.end())))
    for m in _RELATIVE_G.finditer(text):
        if not free(m.start()):
            continue
        year = ref_year + RELATIVE[m.group(1)] if ref_year is not None else None
        role = BASE if m.group(2) else _role(text, m.start(), m.end())
        if m.group(1) == "今年" and text[m.end() : m.end() + 2] == "以来":
            role = POINT
        found.append(YearMention(m.start(), m.end(), m.group(), year, role, relative=True))
    for m in _LOOKBACK_G.finditer(text):
        word = m.group(1) or m.group(2)
        span = int(word) if word.isdigit() else parse_chinese(word)
        if not free(m.start()) or span is None or not 2 <= span <= 10:
            continue
        # a lookback is a span, like a plan period; its figures belong to its last year
        last = ref_year - 1 if ref_year is not None else None
        first = ref_year - int(span) if ref_year is not None else None
        found.append(YearMention(m.start(), m.end(), m.group(), last, PERIOD, year_start=first, relative=True))
    for m in _PLAN_G.finditer(text):
        if not free(m.start()):
            continue
        first, last = T.FIVE_YEAR_PLANS[m.group(1)]
        suffix = m.group(2) or ""
        before = text[max(0, m.start() - 3) : m.start()]
        if suffix in ("期间", "时期") or (suffix == "以来" and ref_year is None):
            role = PERIOD
        elif suffix == "以来":
            # “十三五”以来, written during or after the period: a start, its figures run to the time of writing
            role = SINCE
        elif suffix:
            role = BY if _BY_BEFORE.search(before) else (BASE if _BASE_BEFORE.search(before) else POINT)
        else:
            role = REFERENCE
        found.append(YearMention(m.start(), m.end(), m.group(), last, role, year_start=first))
    found.sort(key=lambda y: y.start)
    return found


def has_part_year(text: str) -> bool:
    """截至10月18日, 1-6月, 上半年, 今年以来: a figure for part of the year the text was written in."""
    return bool(_PART_YEAR_G.search(text))


def _to_date(y: str, m: str, d: str) -> date | None:
    year = parse_year(y)
    month = int(m) if m.isdigit() else int(parse_chinese(m) or 0)
    day = int(d) if d.isdigit() else int(parse_chinese(d) or 0)
    try:
        return date(year, month, day) if year else None
    except ValueError:
        return None


def find_document_date(text: str) -> date | None:
    """The document's own date (publication, meeting or signature), by the first format of
    date_formats.csv that finds a real calendar date."""
    found = document_date_match(text)
    return found[1] if found else None


def has_timestamp(text: str) -> bool:
    """Whether a text carries a date with a clock time, as a page's byline does."""
    return bool(_TIMESTAMP.search(unicodedata.normalize("NFKC", text)))


def document_date_match(text: str) -> tuple[str, date] | None:
    """The name of the date format that gave the document's date, and the date."""
    folded = unicodedata.normalize("NFKC", text)
    head = folded[:_HEAD_CHARS]
    for fmt in date_formats():
        for m in fmt.pattern.finditer(head if fmt.scope == "head" else folded):
            found = _to_date(m.group("y"), m.group("m"), m.group("d"))
            if found:
                return fmt.name, found
    return None


def squeeze(text: str) -> str:
    """`text` without white space, except one space between two numbers it kept apart
    ('附表1 2020年1-2月' must not read as 12020年)."""
    kept = re.sub(r"(?<=\d)\s+(?=\d)", "\x00", text)
    return re.sub(r"\s+", "", kept).replace("\x00", " ")


def subject_year(title: str | None, text: str) -> int | None:
    """The year a document is about: '2024年度环境状况…' → 2024; '关于2024年省《政府工作报告》工作任务
    全年进展情况的报告' → 2024; '我市2022年2月份环境质量情况' → 2022. Looks at the title (else the
    first lines); a headline without a year takes the year its news lead presents ('通报了2018年
    全市生态环境质量状况'). Never the body, never a year that is part of a date."""
    lead = squeeze(unicodedata.normalize("NFKC", title if title else text[:300]))
    for m in _EXPLICIT.finditer(lead):
        after = lead[m.end() : m.end() + 30]
        # a day names a date, not a subject; a month names part of the subject year
        # ('我市2022年2月份环境质量情况' is about 2022)
        if _DATE_AFTER.match(after) or _RANGE.match(lead[m.start() :]):
            continue
        # '与2022年相比无明显变化': the base of a comparison, not the year the text is about
        if _BASE_BEFORE.search(lead, max(0, m.start() - 4), m.start()) or _BASE_AFTER.match(after):
            continue
        # a title names its year anywhere ("沈阳：2024年全市空气质量…");
        # the first lines of an untitled text only before a report word
        if title or after.startswith("度") or _SUBJECT_DOC.search(after):
            return parse_year(m.group(1))
    m = _BARE_TITLE_YEAR.search(lead) if title else None
    if m and _SUBJECT_DOC.search(lead[m.end() : m.end() + 30]):
        return parse_year(m.group(1))  # '《2022湖南省生态环境状况公报》发布': a year written without 年
    m = _HEADLINE_YEAR.search(lead) if title and not _EXPLICIT.search(lead) else None
    if m:
        return parse_year(m.group(1))  # '2020实现多项突破': a headline's year written without 年
    if title:
        # a news headline without a year: its lead says which year's figures it presents
        # ('局长…通报了2018年全市生态环境质量状况', '发布《2022年湖南省生态环境状况公报》')
        m = _PRESENTS_YEAR.search(squeeze(unicodedata.normalize("NFKC", text[:300])))
        if m:
            return parse_year(m.group(1))
    m = _DATA_YEAR_NOTE.search(squeeze(unicodedata.normalize("NFKC", text)))
    return parse_year(m.group(1)) if m else None


# a month ('9月份', '十二月'), the whole year ('全年', '年度'), a quarter or a season ('秋冬季'):
# the text says which time its figures cover
_DATE_IN_TEXT = re.compile(_DATE_PARTS["date"])
_NAMES_A_TIME = re.compile(r"[\d一二三四五六七八九十]{1,2}\s*月|全年|年度|季度|[上下]半年|[春夏秋冬]{1,2}季")


def names_no_time(text: str) -> bool:
    """Whether a text names no year (2018年, 今年, 去年, “十三五”), no month and no whole year: its figures
    are a present state ('城区空气质量优良率保持在99%以上'), as of the day it was written. Dates
    ('2018年5月25日') name a day, not the figures' time."""
    folded = squeeze(unicodedata.normalize("NFKC", text))
    if _NAMES_A_TIME.search(_DATE_IN_TEXT.sub("", folded)):
        return False
    return all(y.role == DATE for y in find_years(folded, ref_year=None))


def presents_this_year(text: str) -> bool:
    """Whether a page's lead presents this year's figures ('通报今年上半年全国环境空气质量状况'), so
    that the year it was written in is the year it is about."""
    return bool(_PRESENTS_THIS_YEAR.search(squeeze(unicodedata.normalize("NFKC", text[:400]))))
