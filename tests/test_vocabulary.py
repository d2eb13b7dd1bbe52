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


@pytest.mark.parametrize("name", ["change_verbs", "share_subjects", "target_cues", "regions", "periods"])
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
        # a pollutant's Chinese name before its formula in brackets, whatever the statistic's words
        ("一氧化碳(CO-95per)浓度下降比例为18.8%。", ("air.co_mean", "change_pct", -18.8)),
        ("臭氧(O3-8h-90per)浓度变化幅度最小，下降比例为8.7%。", ("air.o3_mean", "change_pct", -8.7)),
        ("臭氧(O3)日第90百分位浓度为170微克/立方米。", ("air.o3_mean", "actual", 170.0)),
        ("一氧化碳(CO)24小时平均浓度第95百分位数3.4毫克/立方米。", ("air.co_mean", "actual", 3.4)),
        ("细颗粒物(PM2.5)月均浓度为36微克/立方米。", ("air.pm25_mean", "actual", 36.0)),
        ("PM_2.5累计浓度均值为48μg/m^3。", ("air.pm25_mean", "actual", 48.0)),
        # percentage points after the days: a change of their share
        ("优良天数333天，达标比例91%，同比改善3.6个百分点。", ("air.good_days_ratio", "change_abs", 3.6)),
        ("出现重污染天气1天。", ("air.heavy_pollution_days", "actual", 1.0)),
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


def keys(text: str) -> set[tuple]:
    return {(f.region_name, f.indicator_code, f.value_kind, f.number) for f in extract_facts(text, CTX, gazetteer=GAZ)}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # one spelling of PM2.5 / PM10 whatever the case, underscore or space
        ("细颗粒物(PM_2.5)年均浓度26微克/立方米。", ("air.pm25_mean", "actual", 26.0)),
        ("PM_{2.5}年均浓度26微克/立方米。", ("air.pm25_mean", "actual", 26.0)),
        ("pm2.5为43.8微克/立方米。", ("air.pm25_mean", "actual", 43.8)),
        ("PM 10年均浓度60微克/立方米。", ("air.pm10_mean", "actual", 60.0)),
        ("pm10浓度为69.7微克/立方米。", ("air.pm10_mean", "actual", 69.7)),
        # a full stop typed for the decimal point before a percent sign
        ("空气质量优良天数比率达到92。6%。", ("air.good_days_ratio", "actual", 92.6)),
        # pinyin readings, also where the scraper turned a bracket into '?'
        ("空气质量优?yōu)良天数比率84.6%。", ("air.good_days_ratio", "actual", 84.6)),
        ("空气质(zhì)量优(yōu)良天数比例为98.1%。", ("air.good_days_ratio", "actual", 98.1)),
        # the older API grades name the good days
        ("二级和好于二级的天数共246天。", ("air.good_days", "actual", 246.0)),
        ("城区空气质量达到或好于二级以上天数为170天。", ("air.good_days", "actual", 170.0)),
        # the share of the days just counted
        ("二级和好于二级的天数共246天，占全年的67.4%。", ("air.good_days_ratio", "actual", 67.4)),
        ("环境空气质量优良天数333天，达标比例91%，同比改善3.6个百分点。", ("air.good_days_ratio", "actual", 91.0)),
        # a change said with 下降比例 after its own indicator
        ("二氧化硫(SO2)浓度下降最为显著，下降比例为69.7%。", ("air.so2_mean", "change_pct", -69.7)),
        ("可吸入颗粒物(PM10)浓度下降比例为39.8%。", ("air.pm10_mean", "change_pct", -39.8)),
        # a pollutant's Chinese name before its formula in brackets, whatever the statistic's words
        ("一氧化碳(CO-95per)浓度下降比例为18.8%。", ("air.co_mean", "change_pct", -18.8)),
        ("臭氧(O3-8h-90per)浓度变化幅度最小，下降比例为8.7%。", ("air.o3_mean", "change_pct", -8.7)),
        ("臭氧(O3)日第90百分位浓度为170微克/立方米。", ("air.o3_mean", "actual", 170.0)),
        ("一氧化碳(CO)24小时平均浓度第95百分位数3.4毫克/立方米。", ("air.co_mean", "actual", 3.4)),
        ("细颗粒物(PM2.5)月均浓度为36微克/立方米。", ("air.pm25_mean", "actual", 36.0)),
        ("PM_2.5累计浓度均值为48μg/m^3。", ("air.pm25_mean", "actual", 48.0)),
        # percentage points after the days: a change of their share
        ("优良天数333天，达标比例91%，同比改善3.6个百分点。", ("air.good_days_ratio", "change_abs", 3.6)),
        ("出现重污染天气1天。", ("air.heavy_pollution_days", "actual", 1.0)),
        # the mean named before 浓度 as well as after it
        ("PM2.5均值浓度为41μg/m3。", ("air.pm25_mean", "actual", 41.0)),
        ("可吸入颗粒物PM10年均值浓度为66微克/立方米。", ("air.pm10_mean", "actual", 66.0)),
        # the good days by their grade in Roman numerals, the grade's name in brackets, no 及
        ("1-6月达到Ⅱ级(良)以上天数共计160天。", ("air.good_days", "actual", 160.0)),
        ("全年城区空气质量ⅱ级以上天数达301天。", ("air.good_days", "actual", 301.0)),
        # 优良 alone, a count of days right after it
        ("全年监测365天，其中优良 320天，轻度污染45天。", ("air.good_days", "actual", 320.0)),
        # the classes of good water in brackets between the words
        ("全省80个国考断面中，优良水质(Ⅰ~Ⅲ类)断面占比87.5%。", ("water.good_quality_ratio", "actual", 87.5)),
        # the year between the drinking sources and their compliance
        ("全区县级饮用水水源地全年水质达标率为100%。", ("water.drinking_source_compliance", "actual", 100.0)),
        # the area word between the pollutant and its statistic
        ("二氧化氮全县平均浓度19微克/立方米，同比下降9.5%。", ("air.no2_mean", "actual", 19.0)),
        ("臭氧全市平均浓度148微克/立方米。", ("air.o3_mean", "actual", 148.0)),
        # the coastal waters' good classes in brackets after 水质
        ("全市近岸海域优良水质(一、二类)比例92.4%。", ("water.coastal_good_quality_ratio", "actual", 92.4)),
        # the air meeting the standard, a count of days right after it
        ("全年城区空气质量达标318天，同比增加12天。", ("air.good_days", "change_abs", 12.0)),
        # the drinking sources that meet the standard, counted, then their share
        (
            "全市县级集中式饮用水水源地共20个，其中达标水质水源地19个，比例为95.0%；不达标水质水源地1个，比例为5.0%。",
            ("water.drinking_source_compliance", "actual", 95.0),
        ),
    ],
)
def test_phrasing_variants(sentence: str, expected: tuple):
    assert expected in changes(sentence)


def test_an_area_list_gives_each_area_its_figure():
    text = (
        "各县PM2.5平均浓度由低至高依次为：海城市(30微克/立方米)、台安县(35微克/立方米)和岫岩满族自治县(41微克/立方米)。"
    )
    assert keys(text) >= {
        ("海城市", "air.pm25_mean", "actual", 30.0),
        ("台安县", "air.pm25_mean", "actual", 35.0),
        ("岫岩满族自治县", "air.pm25_mean", "actual", 41.0),
    }


def test_a_bracket_after_an_area_outside_a_list_is_no_list_item():
    # the figure in brackets follows a count, not an area: nothing is paired with an area
    text = "PM2.5浓度为35微克/立方米；全市共有监测点位(12个)。"
    assert all(f.rule != "area_list" for f in extract_facts(text, CTX, gazetteer=GAZ))


@pytest.mark.parametrize(
    ("text", "kept", "dropped"),
    [
        # an aside in brackets right after the figure is about it, not a second value
        ("环境空气质量优良天数333天(连续5年实现315天以上)。", 333.0, 315.0),
        ("优良天数300天(近三年最多的为310天)。", 300.0, 310.0),
    ],
)
def test_an_aside_after_a_figure_is_no_second_value(text: str, kept: float, dropped: float):
    numbers = {f.number for f in extract_facts(text, CTX, gazetteer=GAZ)}
    assert kept in numbers and dropped not in numbers


@pytest.mark.parametrize(
    "text",
    [
        "国考断面优良水质比例53.3%(达到考核目标33.3%)。",  # a target in the aside
        "出现重污染天气1天(2021年全年均为0天)。",  # a year of its own in the aside
        "受理诉求20079件(占全市诉求受理量的1.5%，同比增长12.41%)。",  # a change of the same subject
    ],
)
def test_an_aside_with_its_own_year_target_or_change_is_kept(text: str):
    assert len(extract_facts(text, CTX, gazetteer=GAZ)) == 2


def test_the_extremes_among_unnamed_places_are_no_fact():
    text = "可吸入颗粒物(PM10)浓度均值最高114微克/立方米，最低86微克/立方米，按从高到低排序依次是：甲、乙。"
    assert extract_facts(text, CTX, gazetteer=GAZ) == []


def test_the_extreme_of_a_named_place_is_its_figure():
    text = "海城市PM2.5浓度最低，为31.2微克/立方米。"
    assert keys(text) == {("海城市", "air.pm25_mean", "actual", 31.2)}


def test_drinking_water_sources_with_a_de():
    text = "全市20个县级以上集中式饮用水源地的水质达标率均为100%。"
    assert ("water.drinking_source_compliance", "actual", 100.0) in changes(text)


@pytest.mark.parametrize(
    "text",
    [
        "全省PM2.5年均浓度34.9微克/立方米，优于年度目标7.2微克/立方米。",
        "受污染耕地安全利用率达96%，超过国家下达目标5个百分点。",
        "空气质量优良天数比率84.6%，好于考核目标6.1个百分点。",
    ],
)
def test_the_margin_over_a_target_is_no_fact(text: str):
    assert all(f.value_kind != "target" for f in extract_facts(text, CTX, gazetteer=GAZ))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9个断面水质达标率100%，高于目标值88.9%。", ("water.section_compliance_rate", "target", 88.9)),
        ("16个重要水功能区水质达标率100%，高于85%的考核要求。", ("water.section_compliance_rate", "target", 85.0)),
    ],
)
def test_a_target_value_or_requirement_is_a_target(text: str, expected: tuple):
    assert expected in changes(text)


@pytest.mark.parametrize(
    "text",
    [
        "PM2.5和PM10平均浓度分别为34微克/立方米和48微克/立方米，相比上年分别下降2.9%、4.0%。",
        "PM2.5和PM10平均浓度分别为34微克/立方米和48微克/立方米，与2015年相比分别下降2.9%、4.0%。",
        "PM2.5和PM10平均浓度分别为34微克/立方米和48微克/立方米，较上年同期分别下降2.9%、4.0%。",
    ],
)
def test_a_base_then_distribution_speaks_of_the_indicators_just_stated(text: str):
    assert {("air.pm25_mean", "change_pct", -2.9), ("air.pm10_mean", "change_pct", -4.0)} <= changes(text)


def test_digits_of_a_unit_are_no_figure():
    text = "全省PM2.5累计浓度均值为48μg/m^3，较去年同期上升9.1%。"
    assert ("air.pm25_mean", "change_pct", 9.1) in changes(text)


@pytest.mark.parametrize(
    "tail",
    ["较2017年下降10.3%、12.0%", "同比下降10.3%和12.0%", "与上年相比下降10.3%、12.0%"],
)
def test_a_change_list_without_fenbie_speaks_of_the_indicators_just_stated(tail: str):
    text = f"PM10、PM2.5年均浓度分别为57、41微克/立方米，{tail}。"
    assert {("air.pm10_mean", "change_pct", -10.3), ("air.pm25_mean", "change_pct", -12.0)} <= changes(text)


def test_a_change_list_needs_as_many_indicators_as_figures():
    text = "PM2.5年均浓度41微克/立方米，同比下降10.3%、12.0%。"
    assert not any(k == "change_pct" and n == -12.0 for _, k, n in changes(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("可吸入颗粒物(PM1045微克/立方米，同比下降5%。", ("air.pm10_mean", "actual", 45.0)),
        ("细颗粒物(PM2.538微克/立方米。", ("air.pm25_mean", "actual", 38.0)),
        ("全市pm1062μg/m3。", ("air.pm10_mean", "actual", 62.0)),
    ],
)
def test_a_formula_glued_to_its_figure(text: str, expected: tuple):
    assert expected in changes(text)


def test_a_formula_followed_by_other_digits_is_left_alone():
    assert ("air.pm10_mean", "actual", 45.0) in changes("PM10浓度为45微克/立方米。")
    assert not changes("PM102型监测仪。")


def test_a_superlative_names_the_place_of_its_figure():
    ctx = DocContext(title=None, doc_date=None, subject_year=2015, area=GAZ.by_name("山东省"), source_type="bulletin")
    text = "可吸入颗粒物浓度最好的城市是威海市，为71μg/m3，最差的城市是聊城市，为210μg/m3。"
    found = {(f.region_name, f.indicator_code, f.number) for f in extract_facts(text, ctx, gazetteer=GAZ)}
    assert found == {("威海市", "air.pm10_mean", 71.0), ("聊城市", "air.pm10_mean", 210.0)}


def test_a_superlative_without_a_known_place_gives_nothing():
    ctx = DocContext(title=None, doc_date=None, subject_year=2015, area=GAZ.by_name("山东省"), source_type="bulletin")
    text = "可吸入颗粒物浓度最好的是沿海站点，为71μg/m3。"
    assert extract_facts(text, ctx, gazetteer=GAZ) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("重污染天数同比增加最多是济南市，为16天。", ("济南市", "air.heavy_pollution_days", "change_abs", 16.0)),
        ("PM2.5浓度下降最为显著，为12.5%。", ("鞍山市", "air.pm25_mean", "change_pct", -12.5)),
        ("海城市PM2.5浓度最低，为31.2微克/立方米。", ("海城市", "air.pm25_mean", "actual", 31.2)),
    ],
)
def test_a_change_named_before_the_copula(text: str, expected: tuple):
    assert expected in keys(text)


def test_transport_channel_cities_are_no_area():
    text = "7个传输通道城市PM2.5平均浓度为86μg/m3，同比下降26.5%。"
    assert extract_facts(text, CTX, gazetteer=GAZ) == []


def test_areas_listed_before_the_phrase_share_its_figure():
    text = "2024年，海城市、台安县和岫岩满族自治县优良天数为317天，铁东区优良天数为300天。"
    found = {(f.region_name, f.number, f.rule) for f in extract_facts(text, CTX, gazetteer=GAZ)}
    assert {(r, n) for r, n, _ in found} == {
        ("海城市", 317.0),
        ("台安县", 317.0),
        ("岫岩满族自治县", 317.0),
        ("铁东区", 300.0),
    }
    assert ("海城市", 317.0, "shared_by_areas") in found


def test_a_month_without_a_year_is_of_the_year_of_writing():
    ctx = DocContext(title=None, doc_date=date(2021, 5, 11), subject_year=None, area=GAZ.by_name("延边朝鲜族自治州"),
                     source_type="news")  # fmt: skip
    found = extract_facts("我州4月空气质量优良率达100%。", ctx, gazetteer=GAZ)
    assert [(f.year, f.period_start, f.period_end) for f in found] == [(2021, date(2021, 4, 1), date(2021, 4, 30))]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("纳入国家考核的9个断面水质优良率保持在100%,好于国家考核优良率不低于88.9%的要求。", "water.good_quality_ratio"),
        ("全市空气质量持续改善,优良率为88.9%。", "air.good_days_ratio"),
        ("优良率为88.9%。", "air.good_days_ratio"),  # no domain word: air, as the catalogue says
    ],
)
def test_a_bare_优良率_takes_the_domain_of_its_sentence(text: str, code: str):
    assert (code, 88.9) in {(f.indicator_code, f.number) for f in extract_facts(text, CTX, gazetteer=GAZ)}


@pytest.mark.parametrize(
    "sentence",
    [
        "Ⅲ级以上天数共5天。",  # grade III or worse: polluted days, not good ones
        "水质优良 8个断面。",  # 优良 before a count of sections, not of days
        "不达标水质水源地1个，比例为5.0%。",  # the sources that fail
        "功能区昼间达标 3天。",  # 达标 without the air before it
    ],
)
def test_near_misses_of_the_new_phrasings_read_nothing(sentence: str):
    assert not {c for c in changes(sentence) if c[0] in ("air.good_days", "water.drinking_source_compliance")}


def test_coastal_good_classes_in_brackets_are_no_surface_water_share():
    assert not {c for c in changes("全市近岸海域优良水质(一、二类)比例92.4%。") if c[0] == "water.good_quality_ratio"}
