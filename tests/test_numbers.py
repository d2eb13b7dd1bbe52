"""Number parsing: Arabic, full-width, Chinese numerals, 万/亿 multipliers, masked figures."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.core.numbers import find_numbers, parse_arabic, parse_chinese, parse_number

_CN_DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """An independent int → Chinese numeral writer (unit style, 零 for gaps), for round trips."""

    def below_10000(k: int) -> str:
        out, zero = "", False
        for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = k // value % 10
            if d:
                if zero and out:
                    out += "零"
                out += _CN_DIGITS[d] + unit
                zero = False
            else:
                zero = True
        return out

    if n == 0:
        return "零"
    high, low = divmod(n, 10000)
    text = (below_10000(high) + "万" if high else "") + (
        ("零" if high and low < 1000 and low else "") + below_10000(low) if low else ""
    )
    return text[1:] if text.startswith("一十") else text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3136", 3136),
        ("4.803", 4.803),
        ("1,441", 1441),
        ("95.66", 95.66),
        ("９５．６６", 95.66),
        ("-4.4", -4.4),
    ],
)
def test_arabic(text: str, value: float) -> None:
    assert parse_arabic(text) == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("二〇三五", 2035),
        ("二零二四", 2024),
        ("十四", 14),
        ("一百二十", 120),
        ("三千五百", 3500),
        ("一百零五", 105),
    ],
)
def test_chinese(text: str, value: int) -> None:
    assert parse_chinese(text) == value


def test_chinese_decimal_and_non_numerals() -> None:
    assert parse_chinese("三点五") == pytest.approx(3.5)
    assert parse_chinese("十四五") is None  # a plan's name, not a number
    assert parse_chinese("万") is None


@pytest.mark.parametrize(
    ("text", "value", "multiplier", "unit"),
    [
        ("3.95万", 3.95, "万", None),
        ("1.2亿", 1.2, "亿", None),
        ("42", 42, "", None),
        ("百分百", 100, "", "%"),
        ("百分之百", 100, "", "%"),
        ("百分之九十五", 95, "", "%"),
        ("一亿二千万", 12000, "万", None),
    ],
)
def test_parse_number(text: str, value: float, multiplier: str, unit: str | None) -> None:
    parsed = parse_number(text)
    assert parsed is not None
    assert (parsed.value, parsed.multiplier, parsed.unit) == (pytest.approx(value), multiplier, unit)


@pytest.mark.parametrize("text", ["PM*.*", "XX%", "μ/m", "3X", "**"])
def test_masked_figures_are_not_numbers(text: str) -> None:
    assert parse_number(text) is None


def test_find_numbers_skips_names_and_masks() -> None:
    text = "PM2.5浓度为36μg/m3，SO2为7，3X%的站点，劣V类比例0，百分百，84、51"
    found = [n.text for n in find_numbers(text)]
    assert found == ["36", "7", "0", "百分百", "84", "51"]


def test_find_numbers_keeps_decimals_whole() -> None:
    assert [n.value for n in find_numbers("综合指数4.803，下降4.4%")] == [4.803, 4.4]


@given(st.integers(min_value=0, max_value=10**9))
def test_arabic_round_trip_with_thousands(n: int) -> None:
    assert parse_arabic(f"{n:,}") == n
    assert parse_arabic(str(n)) == n


@given(st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False))
def test_decimal_round_trip(d) -> None:
    assert parse_arabic(str(d)) == pytest.approx(float(d))


@given(st.integers(min_value=0, max_value=10**6))
def test_full_width_digits(n: int) -> None:
    wide = "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    assert parse_arabic(wide) == n


@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_round_trip(n: int) -> None:
    assert parse_chinese(to_chinese(n)) == n


@given(
    st.decimals(min_value="0.01", max_value=9999, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from([("万", 1e4), ("亿", 1e8), ("千", 1e3)]),
)
def test_multiplier_scaling(d, mult) -> None:
    text, factor = mult
    parsed = parse_number(f"{d}{text}")
    assert parsed is not None and parsed.multiplier == text
    assert parsed.scaled == pytest.approx(float(d) * factor)


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(list("Xx*")))
def test_digits_glued_to_a_mask_are_not_found(n: int, mask: str) -> None:
    assert find_numbers(f"浓度为{n}{mask}微克") == []
