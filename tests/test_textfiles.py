"""Encodings and folding of text files, on sentences of the seed corpus."""

from __future__ import annotations

import codecs
import random
import re
import unicodedata

import opencc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.core import textfiles
from tests.conftest import RAW

SEEDS = RAW  # raw/ holds the seed corpus, so these tests need nothing outside the repository
_S2T = opencc.OpenCC("s2t")


def seed_sentences(name: str = "001_9aa5532d1dae63e5.txt") -> list[str]:
    """Sentences of a seed document that carry a figure, as the extractor will meet them."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    sentences = re.split(r"(?<=[。；])", text)
    return [s.strip() for s in sentences if re.search(r"\d", s) and 10 <= len(s.strip()) <= 80]


def traditional(text: str) -> str:
    """The seeds are simplified; Big5 documents are traditional."""
    return _S2T.convert(text)


SENTENCE = next(s for s in seed_sentences() if "优良天数" in s)


@pytest.mark.parametrize(
    ("encode", "expected"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
        (lambda t: t.encode("gb18030"), "gb18030"),
        (lambda t: t.encode("gbk"), "gb18030"),
        (lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16"),
        (lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030", "gbk", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_simplified_sentence_in_each_encoding(encode, expected):
    decoded = textfiles.decode(encode(SENTENCE))
    assert decoded is not None
    assert decoded.text == SENTENCE
    assert decoded.encoding == expected


def test_big5_sentence():
    sentence = traditional(SENTENCE)
    decoded = textfiles.decode(sentence.encode("big5"))
    assert decoded is not None
    assert (decoded.text, decoded.encoding) == (sentence, "big5")


@pytest.mark.parametrize("name", ["000_f62db9893ffb6cb0.txt", "001_9aa5532d1dae63e5.txt", "004_855f608002ef64d1.txt"])
def test_short_texts_tell_gb18030_from_big5(name):
    """Every 8-character window with at least four hanzi, in both encodings."""
    windows = []
    for sentence in seed_sentences(name):
        for start in range(0, len(sentence) - 8, 3):
            window = sentence[start : start + 8]
            if sum("\u4e00" <= c <= "\u9fff" for c in window) >= 4:
                windows.append(window)
    assert len(windows) > 50
    wrong = []
    for window in windows:
        gb = textfiles.decode(window.encode("gb18030"))
        if gb is None or (gb.text, gb.encoding) != (window, "gb18030"):
            wrong.append(("gb18030", window, gb))
        big5_text = traditional(window)
        try:
            data = big5_text.encode("cp950")
        except UnicodeEncodeError:
            continue
        big5 = textfiles.decode(data)
        if big5 is None or (big5.text, big5.encoding) != (big5_text, "big5"):
            wrong.append(("big5", big5_text, big5))
    assert wrong == []


def test_two_gb_hanzi_that_happen_to_be_valid_utf8():
    """C8 BB CD BB is "然突" in GB18030 and "Ȼͻ" in UTF-8."""
    decoded = textfiles.decode("然突".encode("gb18030"))
    assert decoded is not None
    assert (decoded.text, decoded.encoding) == ("然突", "gb18030")


@pytest.mark.parametrize("text", ["café", "naïve façade", "Ünïcödé"])
def test_latin_utf8_stays_utf8(text):
    decoded = textfiles.decode(text.encode("utf-8"))
    assert decoded is not None
    assert (decoded.text, decoded.encoding) == (text, "utf-8")


def test_micro_sign_and_superscript_in_gb18030():
    """μ (micro sign) and ³ are four-byte GB18030 characters, common in concentrations."""
    sentence = "PM2.5年累计浓度33\u00b5g/m\u00b3，达到国家二级标准。"
    decoded = textfiles.decode(sentence.encode("gb18030"))
    assert decoded is not None
    assert (decoded.text, decoded.encoding) == (sentence, "gb18030")


def test_binary_junk_is_not_text():
    rng = random.Random(20240423)
    for _ in range(20):
        assert textfiles.decode(bytes(rng.randrange(256) for _ in range(2048))) is None


def test_nul_bytes_without_bom_are_binary():
    assert textfiles.decode(SENTENCE.encode("utf-8") + b"\x00\x00\x01\x02") is None


def test_fold_full_width_digits_and_punctuation():
    assert textfiles.fold("２０２４，７．８％") == "2024,7.8%"
    assert textfiles.fold("ＰＭ２．５年均浓度为５１微克／立方米") == "PM2.5年均浓度为51微克/立方米"


def test_fold_line_endings():
    assert textfiles.fold("第一段。\r\n第二段。\r第三段。\n") == "第一段。\n第二段。\n第三段。\n"


def test_blank():
    assert textfiles.is_blank(" \t\r\n\u3000\ufeff")
    assert not textfiles.is_blank("\u3000优良")


@given(st.text(alphabet=st.sampled_from("０１２３４５６７８９．，％／（）ＡＢｍ　优良天数微克立方米。\r\n 2024")))
def test_fold_is_nfkc_with_unix_lines(text):
    folded = textfiles.fold(text)
    assert "\r" not in folded
    assert folded == unicodedata.normalize("NFKC", folded)
    assert not re.search(r"[\uff10-\uff19\uff0c\uff05\u3000]", folded)


@given(st.text())
def test_fast_nfkc_equals_the_normalizer(text):
    assert textfiles.nfkc(text) == unicodedata.normalize("NFKC", text)


@given(st.text(alphabet=st.sampled_from("ｶﾞﾟe\u0301\u0308\u00a8\u3099ﬁ㎡２，𝐀가\u1100\u1161\u11a8 ")))
def test_fast_nfkc_on_composing_sequences(text):
    assert textfiles.nfkc(text) == unicodedata.normalize("NFKC", text)
