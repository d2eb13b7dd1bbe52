"""The unit table and normalise_facts: values in the catalogue unit, statuses for what cannot be."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.core.units import (
    INCOMPATIBLE_UNIT,
    OK,
    UNKNOWN_UNIT,
    convertible,
    normalise_facts,
    unit_key,
    unit_table,
)


def _norm(rows: list[tuple[str, str, float, str]]) -> pl.DataFrame:
    code, kind, number, unit = zip(*rows, strict=True)
    raw = pl.DataFrame(
        {
            "indicator_code": code,
            "value_kind": kind,
            "number": number,
            "unit_text": unit,
            "keep": range(len(rows)),
        }
    )
    return normalise_facts(raw)


@pytest.mark.parametrize(
    ("code", "kind", "number", "unit", "value", "canonical"),
    [
        ("energy.renewable_capacity_added", "actual", 42, "万千瓦", 420_000, "kW"),
        ("energy.renewable_capacity_total", "actual", 637, "万千瓦", 6_370_000, "kW"),
        ("energy.renewable_capacity_total", "actual", 1887, "兆瓦", 1_887_000, "kW"),
        ("energy.renewable_capacity_total", "actual", 5000, "千瓦", 5000, "kW"),
        ("emis.cod", "actual", 5.21, "万吨", 52_100, "t"),
        ("emis.so2", "actual", 812, "吨", 812, "t"),
        ("enforcement.fines", "actual", 3136, "万元", 31_360_000, "CNY"),
        ("enforcement.fines", "actual", 1.2, "亿元", 120_000_000, "CNY"),
        ("enforcement.fines", "actual", 5000, "元", 5000, "CNY"),
        ("eco.afforestation_area", "actual", 7.8, "万亩", 5200, "ha"),
        ("eco.afforestation_area", "actual", 300, "亩", 20, "ha"),
        ("eco.afforestation_area", "actual", 12, "公顷", 12, "ha"),
        ("eco.afforestation_area", "actual", 1.5, "万公顷", 15_000, "ha"),
        ("eco.grassland_restored_area", "actual", 3, "平方公里", 300, "ha"),
        ("air.pm25_mean", "actual", 0.051, "毫克/立方米", 51, "ug/m3"),
        ("air.pm25_mean", "actual", 0.026, "mg/m³", 26, "ug/m3"),
        ("air.pm25_mean", "actual", 33, "μg/m³", 33, "ug/m3"),
        ("air.pm25_mean", "actual", 33, "μg/m3", 33, "ug/m3"),
        ("air.pm25_mean", "actual", 33, "ug/m3", 33, "ug/m3"),
        ("air.pm25_mean", "actual", 33, "ug/m³", 33, "ug/m3"),
        ("air.pm25_mean", "actual", 51, "微克/立方米", 51, "ug/m3"),
        ("air.pm25_mean", "actual", 51, "微克每立方米", 51, "ug/m3"),
        ("air.pm25_mean", "change_abs", -3, "微克/立方米", -3, "ug/m3"),
        ("air.co_mean", "actual", 1.1, "毫克/立方米", 1.1, "mg/m3"),
        ("air.co_mean", "actual", 800, "μg/m3", 0.8, "mg/m3"),
        ("noise.regional_day_leq", "actual", 53.3, "分贝", 53.3, "dB(A)"),
        ("noise.regional_day_leq", "actual", 52.6, "dB(A)", 52.6, "dB(A)"),
        ("noise.traffic_day_leq", "actual", 65.4, "dB", 65.4, "dB(A)"),
        ("water.sewage_capacity_added", "actual", 5.1, "万吨/日", 51_000, "t/d"),
        ("water.sewage_capacity_added", "actual", 2000, "吨/天", 2000, "t/d"),
        ("water.sewage_capacity_added", "actual", 800, "吨/日", 800, "t/d"),
        ("air.good_days", "actual", 326, "天", 326, "day"),
        ("air.good_days", "change_abs", 14, "天", 14, "day"),
        ("air.good_days_ratio", "change_abs", 2.7, "个百分点", 2.7, "%"),
        ("air.composite_index", "change_pct", -4.4, "%", -4.4, "%"),
        ("air.pm25_mean", "change_pct", -13.6, "%", -13.6, "%"),
        ("enforcement.cases", "actual", 572, "起", 572, "case"),
        ("complaints.received", "actual", 1441, "件", 1441, "case"),
        ("enforcement.cases", "actual", 12, "宗", 12, "case"),
        ("enforcement.cases", "actual", 3, "个", 3, "case"),
        ("water.inferior_v_ratio", "actual", 0, "", 0, "%"),
        ("air.composite_index", "actual", 4.803, "", 4.803, "index"),
        ("soil.contaminated_farmland_safe_use_rate", "change_abs", 0, "", 0, "%"),
        ("air.good_days", "change_abs", 0, "", 0, "day"),
        ("energy.energy_intensity", "actual", 0.45, "吨标准煤/万元", 0.45, "tce/10^4 CNY"),
        ("climate.co2_intensity", "actual", 0.9, "吨/万元", 0.9, "t/10^4 CNY"),
    ],
)
def test_conversions(code: str, kind: str, number: float, unit: str, value: float, canonical: str) -> None:
    row = _norm([(code, kind, number, unit)]).row(0, named=True)
    assert row["unit_status"] == OK
    assert row["value"] == pytest.approx(value)
    assert row["unit"] == canonical


@pytest.mark.parametrize(
    ("code", "kind", "number", "unit", "status"),
    [
        ("air.pm25_mean", "actual", 5, "μ/m", UNKNOWN_UNIT),  # garbled
        ("air.good_days", "actual", 3, "辆", UNKNOWN_UNIT),
        ("air.pm25_mean", "actual", 35, "", UNKNOWN_UNIT),  # a concentration needs its unit
        ("air.good_days", "actual", 80, "%", INCOMPATIBLE_UNIT),
        ("eco.afforestation_area", "actual", 3, "万吨", INCOMPATIBLE_UNIT),
        ("air.good_days", "change_pct", 5, "天", INCOMPATIBLE_UNIT),
    ],
)
def test_figures_that_cannot_be_converted_keep_no_value(
    code: str, kind: str, number: float, unit: str, status: str
) -> None:
    row = _norm([(code, kind, number, unit)]).row(0, named=True)
    assert row["unit_status"] == status
    assert row["value"] is None


def test_columns_and_order_are_kept() -> None:
    out = _norm([("air.good_days", "actual", 1, "天"), ("eco.afforestation_area", "actual", 1, "万亩")] * 3)
    assert out["keep"].to_list() == list(range(6))
    assert {"value", "unit", "unit_status"} <= set(out.columns)


def test_table_covers_the_required_spellings() -> None:
    table = unit_table()
    required = (
        "万千瓦 兆瓦 千瓦 万吨 吨 万元 亿元 元 万亩 亩 公顷 万公顷 平方公里 毫克/立方米 mg/m3 "
        "μg/m3 ug/m3 微克/立方米 微克每立方米 分贝 dB dB(A) 吨/日 吨/天 万吨/日 天 % 个百分点 "
        "起 件 宗 个 吨标准煤/万元 吨/万元"
    )
    for spelling in required.split():
        assert spelling in table, spelling


@settings(max_examples=50)
@given(
    st.decimals(min_value="0.01", max_value=99999, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from([("万元", 1e4), ("亿元", 1e8), ("元", 1.0)]),
)
def test_multiplier_units_scale(d, unit) -> None:
    text, factor = unit
    row = _norm([("enforcement.fines", "actual", float(d), text)]).row(0, named=True)
    assert row["value"] == pytest.approx(float(d) * factor, rel=1e-9)


@settings(max_examples=50)
@given(st.floats(min_value=0, max_value=1e5, allow_nan=False), st.sampled_from(["万亩", "亩"]))
def test_mu_to_hectares(x: float, unit: str) -> None:
    row = _norm([("eco.afforestation_area", "actual", x, unit)]).row(0, named=True)
    expected = x * (1e4 if unit == "万亩" else 1) / 15
    assert row["value"] == pytest.approx(expected, rel=1e-6, abs=1e-6)


def test_water_concentrations_are_known_but_fit_no_indicator() -> None:
    assert unit_table()[unit_key("毫克/升")] == ("mg/L", 1.0)
    assert not convertible("mg/L", "mg/m3") and not convertible("mg/L", "ug/m3")


@pytest.mark.parametrize(
    ("code", "kind", "number", "unit", "value"),
    [
        # a concentration whose volume is left unsaid: 微克 of PM2.5 means per cubic metre
        ("air.pm25_mean", "change_abs", -26, "微克", -26),
        ("air.o3_mean", "actual", 150, "微克", 150),
        ("air.co_mean", "actual", 1.1, "毫克", 1.1),
        ("air.pm10_mean", "actual", 0.06, "毫克", 60),
    ],
)
def test_a_mass_without_its_volume_is_an_air_concentration(
    code: str, kind: str, number: float, unit: str, value: float
) -> None:
    row = _norm([(code, kind, number, unit)]).row(0, named=True)
    assert (row["unit_status"], row["value"]) == (OK, pytest.approx(value))


@pytest.mark.parametrize(("spelling", "factor"), [("微克/升", 0.001), ("μg/L", 0.001), ("ug/L", 0.001)])
def test_micrograms_per_litre_stay_water_units(spelling: str, factor: float) -> None:
    assert unit_table()[unit_key(spelling)] == ("mg/L", factor)
