"""Figures as Chinese reports write them: Arabic, full-width, Chinese numerals, 万/亿 multipliers.

A multiplier (万, 亿, 千 …) that stands in front of a unit is kept apart from the value, so the
unit table can scale "42 万千瓦" as 42 × (万千瓦 → kW ×10⁴) and the figure stays as written.
Masked or garbled figures ("PM*.*", "XX%", "3X%") are never numbers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10**4, "亿": 10**8}
MULTIPLIERS = {"千": 1e3, "万": 1e4, "十万": 1e5, "百万": 1e6, "千万": 1e7, "亿": 1e8}

_CN_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS) + "点"
_ARABIC = re.compile(r"[+\-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_MASK = "Xx*×?？#＊"
# a number glued to a masking character is a redacted figure, not a number. The pattern opens
# with its first digit and only then looks at the character before it: a pattern that opens
# with a class is scanned for in C, one that opens with a look-behind is tried at every position
# (three times slower over a page).
_ARABIC_IN_TEXT = re.compile(
    rf"\d(?<![A-Za-z_\d.{re.escape(_MASK)}]\d)(?:\d{{0,2}}(?:,\d{{3}})+(?![\d,])|\d*)(?:\.\d+)?"
    rf"(?![\d{re.escape(_MASK)}]|\.\d)"
)
_CHINESE_IN_TEXT = re.compile(rf"百分之[{_CN_CHARS}]+|百分百|[一二两三四五六七八九十零〇○][{_CN_CHARS}]*")


@dataclass(frozen=True)
class ParsedNumber:
    """A figure without its unit: 3.95万 → value 3.95, multiplier '万'."""

    value: float
    multiplier: str = ""  # '' | '千' | '万' | '十万' | '百万' | '千万' | '亿'
    unit: str | None = None  # set when the numeral carries its own unit: 百分百 → '%'

    @property
    def scaled(self) -> float:
        return self.value * MULTIPLIERS.get(self.multiplier, 1.0)


@dataclass(frozen=True)
class NumberSpan:
    """A number found in running text; `text` is the numeral exactly as written."""

    start: int
    end: int
    text: str
    value: float
    chinese: bool
    unit: str | None = None  # '%' for 百分百 / 百分之九十


def fold(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII), without white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).replace("−", "-")


def parse_arabic(text: str) -> float | None:
    """'3136', '4.803', '1,441', '９５．６６', '-4.4' → float; anything else → None."""
    s = fold(text)
    if not _ARABIC.fullmatch(s):
        return None
    return float(s.replace(",", ""))


def _parse_integer_cn(s: str) -> int | None:
    if s and all(c in DIGITS for c in s):
        if len(s) == 1:
            return DIGITS[s]
        return int("".join(str(DIGITS[c]) for c in s))  # 二〇三五: digit by digit
    total, section, digit = 0, 0, None
    for c in s:
        if c in DIGITS:
            if digit is not None and DIGITS[c] != 0 and c not in "零〇○":
                return None  # two digits in a row ("三四") is not a unit-style numeral
            digit = DIGITS[c] if DIGITS[c] != 0 else None
        elif c in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[c]
            digit = None
        elif c in BIG_UNITS:
            section += digit or 0
            if section == 0 and total == 0:
                section = 1
            total = (total + section) * BIG_UNITS[c] if BIG_UNITS[c] > 10**4 else total + section * BIG_UNITS[c]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def parse_chinese(text: str) -> float | None:
    """二〇三五 → 2035, 十四 → 14, 一百二十 → 120, 三千五百 → 3500, 三点五 → 3.5."""
    s = fold(text)
    if not s or any(c not in _CN_CHARS for c in s) or not (s[0] in DIGITS or s[0] == "十"):
        return None
    if "点" in s:
        whole, _, frac = s.partition("点")
        if not frac or any(c not in DIGITS for c in frac):
            return None
        head = _parse_integer_cn(whole) if whole else 0
        if head is None:
            return None
        return float(f"{head}.{''.join(str(DIGITS[c]) for c in frac)}")
    value = _parse_integer_cn(s)
    return None if value is None else float(value)


def parse_number(text: str) -> ParsedNumber | None:
    """A whole figure string: '3.95万' → (3.95, '万'); '1.2亿' → (1.2, '亿'); '百分百' → (100, unit '%')."""
    s = fold(text)
    if not s or any(c in _MASK for c in s):
        return None
    if s in ("百分百", "百分之百"):
        return ParsedNumber(100.0, "", "%")
    if s.startswith("百分之"):
        inner = parse_number(s[3:])
        return ParsedNumber(inner.scaled, "", "%") if inner and not inner.unit else None
    for mult in sorted(MULTIPLIERS, key=len, reverse=True):
        if s.endswith(mult) and len(s) > len(mult):
            head = s[: -len(mult)]
            value = parse_arabic(head)
            if value is not None:
                return ParsedNumber(value, mult)
    value = parse_arabic(s)
    if value is not None:
        return ParsedNumber(value)
    cn = parse_chinese(s)
    if cn is None:
        return None
    if s[-1] in BIG_UNITS and len(s) > 1:
        return ParsedNumber(cn / BIG_UNITS[s[-1]], s[-1])
    return ParsedNumber(cn)


def find_numbers(text: str) -> list[NumberSpan]:
    """Every Arabic or Chinese number in running text, left to right.

    Digits glued to letters are names (PM2.5, SO2, GB3095) and digits glued to masking
    characters are redactions; neither is returned. Chinese numerals are returned whole
    ("三千五百") so the caller can decide from what follows whether they are a figure.
    """
    found: list[NumberSpan] = []
    for m in _ARABIC_IN_TEXT.finditer(text):
        found.append(NumberSpan(m.start(), m.end(), m.group(), float(m.group().replace(",", "")), False))
    for m in _CHINESE_IN_TEXT.finditer(text):
        s = m.group()
        if s.startswith("百分"):
            parsed = parse_number(s)  # 百分百, 百分之九十五: a percentage in words
            if parsed:
                found.append(NumberSpan(m.start(), m.end(), s, parsed.value, True, "%"))
            continue
        # a trailing 万/亿 belongs to the unit ("十万亩"), not to the numeral
        core = s.rstrip("万亿") or s
        value = parse_chinese(core)
        if value is not None:
            found.append(NumberSpan(m.start(), m.start() + len(core), core, value, True))
    found.sort(key=lambda n: n.start)
    return found
