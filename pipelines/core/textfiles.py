"""Decoding of text files in the encodings Chinese web pages and exports come in, and folding.

Strict UTF-8 goes first because it almost never decodes anything else by accident. GB18030
and Big5 share most byte ranges, so a short text often decodes under both; the choice is
made by how much of each decoding consists of frequently used characters, which a wrong
decoding (random rare characters, kana, box drawing) does not. charset-normalizer covers
whatever else turns up.
"""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import charset_normalizer

# Longest first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_BLANK = " \t\n\r\f\v\u3000\u00a0\ufeff\u200b"
_MAX_CONTROL_SHARE = 0.002
_MIN_PLAUSIBLE = 0.5
_SAMPLE_CHARS = 4000
_SHORT_NON_ASCII = 16


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the name reported in ReadResult.encoding


def decode(data: bytes) -> Decoded | None:
    """The text in `data`, or None when it is not text in any encoding we can tell."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data[len(bom) :].decode(codec), name)
            except UnicodeDecodeError:
                return None
    if b"\x00" in data:
        return None  # NUL bytes without a BOM: binary, not text
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    if utf8 is not None and not _looks_misdecoded(utf8):
        return _checked(utf8, "utf-8")
    chinese = _best_chinese(data)
    if chinese is not None:
        return chinese
    if utf8 is not None:
        return _checked(utf8, "utf-8")
    match = charset_normalizer.from_bytes(data).best()
    if match is None:
        return None
    return _checked(str(match), match.encoding)


def fold(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII, ideographic space to space), \\n lines."""
    return nfkc(_NEWLINES.sub("\n", text))


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), twenty times faster on Chinese text.

    The normalizer decomposes and recomposes every hanzi although almost none changes;
    here only the characters that NFKC changes on their own (a few per line: "，", "２",
    "　") are replaced, in one regex pass. Where that is not the whole story (combining
    marks, half-width kana sound marks, characters beyond the BMP) the result is not
    yet normalized and the full normalizer finishes it, with the same result.
    """
    changed = _compatibility_forms()
    folded = _compatibility_chars().sub(lambda m: changed[m.group()], text)
    return folded if unicodedata.is_normalized("NFKC", folded) else unicodedata.normalize("NFKC", folded)


def is_blank(text: str) -> bool:
    return not text.strip(_BLANK)


@cache
def _compatibility_forms() -> dict[str, str]:
    """The BMP characters that NFKC changes, with what it changes them to."""
    forms = {}
    for code in range(0x10000):
        if not 0xD800 <= code <= 0xDFFF:
            char = chr(code)
            normal = unicodedata.normalize("NFKC", char)
            if normal != char:
                forms[char] = normal
    return forms


@cache
def _compatibility_chars() -> re.Pattern[str]:
    """A character class of those characters, as ranges."""
    codes = sorted(ord(c) for c in _compatibility_forms())
    ranges, start = [], codes[0]
    for previous, code in itertools.pairwise([*codes, -1]):
        if code != previous + 1:
            last = "" if previous == start else "-" + re.escape(chr(previous))
            ranges.append(re.escape(chr(start)) + last)
            start = code
    return re.compile("[" + "".join(ranges) + "]")


def _checked(text: str, encoding: str) -> Decoded | None:
    """Rejects decodings full of control characters: those were binary data."""
    if text and len(_CONTROL.findall(text)) > _MAX_CONTROL_SHARE * len(text):
        return None
    return Decoded(text, encoding)


def _looks_misdecoded(text: str) -> bool:
    """A few GB/Big5 byte pairs can form valid UTF-8 by chance ("然突" → "Ȼͻ").

    That happens only in short texts whose non-ASCII characters are all two-byte UTF-8
    sequences; real text of that kind is Latin with accents (U+00A0–U+017F).
    """
    rest = [m.group() for m in itertools.islice(_NON_ASCII.finditer(text), _SHORT_NON_ASCII + 1)]
    return 0 < len(rest) <= _SHORT_NON_ASCII and all(c <= "\u07ff" for c in rest) and any(c > "\u017f" for c in rest)


def _best_chinese(data: bytes) -> Decoded | None:
    """GB18030 or Big5, whichever decodes into more everyday characters; GB18030 on a tie."""
    candidates = []
    for rank, (codec, name, everyday) in enumerate(
        (("gb18030", "gb18030", _gb_everyday()), ("cp950", "big5", _big5_everyday()))
    ):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        candidates.append((_plausibility(text, everyday, codec), -rank, name, text))
    if not candidates:
        return None
    score, _, name, text = max(candidates)
    return _checked(text, name) if score >= _MIN_PLAUSIBLE else None


def _plausibility(text: str, everyday: frozenset[str], codec: str) -> float:
    """Share of everyday characters among the non-ASCII ones.

    A wrong decoding turns byte pairs into rare hanzi, kana, bopomofo, box drawing or
    private-use characters; a right one mostly into the script's level-1 hanzi and symbols.
    GB18030's four-byte characters (μ as micro sign, ³) count as everyday: Big5 bytes
    never form them by accident.
    """
    sample = [c for c in text[:_SAMPLE_CHARS] if c > "\x7f" and not c.isspace()]
    if not sample:
        return 1.0
    good = sum(1 for c in sample if c in everyday or (codec == "gb18030" and _four_byte_gb(c)))
    return good / len(sample)


def _four_byte_gb(c: str) -> bool:
    return len(c.encode("gb18030")) == 4 and unicodedata.category(c) != "Co"


@cache
def _gb_everyday() -> frozenset[str]:
    """GB2312 punctuation, numerals and full-width forms (rows 1–3), Greek (row 6) and the
    3,755 level-1 hanzi (rows 16–55)."""
    rows = [0xA1, 0xA2, 0xA3, 0xA6, *range(0xB0, 0xD8)]
    return _decoded_pairs("gb18030", rows, range(0xA1, 0xFF))


@cache
def _big5_everyday() -> frozenset[str]:
    """Big5 symbols (A140–A3BF, without bopomofo) and the 5,401 level-1 hanzi (A440–C67E)."""
    chars = _decoded_pairs("cp950", range(0xA1, 0xC6), [*range(0x40, 0x7F), *range(0xA1, 0xFF)])
    chars |= _decoded_pairs("cp950", [0xC6], range(0x40, 0x7F))
    return frozenset(c for c in chars if not "\u3100" <= c <= "\u312f")


def _decoded_pairs(codec: str, leads: Iterable[int], trails: Iterable[int]) -> frozenset[str]:
    trails = list(trails)
    pairs = bytes(b for lead in leads for t in trails for b in (lead, t))
    return frozenset(pairs.decode(codec, "ignore"))
