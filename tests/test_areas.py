"""The gazetteer and area resolution, on snippets of the seed corpus and on headers written here."""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.core.areas import ORDINARY_WORDS, Gazetteer
from tests.conftest import RAW

ROOT = Path(__file__).resolve().parents[1]
SEEDS = RAW  # raw/ holds the seed corpus, so these tests need nothing outside the repository


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return Gazetteer.load()


def names(mentions):
    return [area.name for _, _, area in mentions]


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


# -- the shipped table --------------------------------------------------------------------


def test_levels_and_codes(g):
    assert Counter(a.level for a in g.areas) == {"province": 34, "prefecture": 335, "county": 2972}
    codes = [a.adcode for a in g.areas]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert not {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"} & {a.name for a in g.areas}


def test_parents_exist_and_sit_one_level_up(g):
    by_name = {a.name: a for a in g.areas if a.level != "county"}
    for area in g.areas:
        if area.level == "province":
            assert area.parent is None and area.province == area.name
            continue
        parent = by_name[area.parent]
        assert parent.adcode[:2] == area.adcode[:2]
        assert by_name[area.province].level == "province"
        if area.level == "prefecture":
            assert parent.level == "province"


def test_cached_load(g):
    assert Gazetteer.load() is g


def test_municipality_districts_hang_off_the_municipality(g):
    yubei = g.by_name("渝北区")
    assert (yubei.province, yubei.parent, yubei.level) == ("重庆市", "重庆市", "county")
    assert g.by_name("忠县").parent == "重庆市"  # 5002xx, under the dropped "县" heading
    assert g.by_name("重庆市").level == "province"
    assert g.by_name("海淀区").parent == "北京市"


@pytest.mark.parametrize(
    ("name", "province"),
    [("济源市", "河南省"), ("仙桃市", "湖北省"), ("神农架林区", "湖北省"), ("石河子市", "新疆维吾尔自治区")],
)
def test_province_administered_county_level_units(g, name, province):
    area = g.by_name(name)
    assert (area.level, area.parent, area.province) == ("county", province, province)


@pytest.mark.parametrize(
    ("name", "english"),
    [
        ("陕西省", "Shaanxi"),
        ("山西省", "Shanxi"),
        ("内蒙古自治区", "Inner Mongolia"),
        ("西藏自治区", "Tibet"),
        ("广西壮族自治区", "Guangxi"),
        ("宁夏回族自治区", "Ningxia"),
        ("新疆维吾尔自治区", "Xinjiang"),
        ("香港特别行政区", "Hong Kong"),
        ("澳门特别行政区", "Macao"),
        ("台湾省", "Taiwan"),
        ("北京市", "Beijing"),
        ("重庆市", "Chongqing"),
        ("安阳市", "Anyang"),
        ("彰武县", "Zhangwu"),
        ("海宁市", "Haining"),
        ("西安市", "Xi'an"),
        ("长沙市", "Changsha"),
        ("成都市", "Chengdu"),
        ("朝阳市", "Chaoyang"),
        ("六安市", "Lu'an"),
        ("岫岩满族自治县", "Xiuyan"),
        ("延边朝鲜族自治州", "Yanbian"),
        ("沛县", "Peixian"),
    ],
)
def test_english_names(g, name, english):
    assert g.by_name(name).name_en == english


@pytest.mark.parametrize(
    ("alias", "full"),
    [
        ("安阳", "安阳市"),
        ("彰武", "彰武县"),
        ("岫岩县", "岫岩满族自治县"),
        ("岫岩", "岫岩满族自治县"),
        ("内蒙古", "内蒙古自治区"),
        ("广西", "广西壮族自治区"),
        ("延边", "延边朝鲜族自治州"),
        ("延边州", "延边朝鲜族自治州"),
        ("香港", "香港特别行政区"),
        ("喀左县", "喀喇沁左翼蒙古族自治县"),
        ("喀左", "喀喇沁左翼蒙古族自治县"),
        ("阜蒙县", "阜新蒙古族自治县"),
        ("本溪县", "本溪满族自治县"),
        ("科左中旗", "科尔沁左翼中旗"),
        ("察右前旗", "察哈尔右翼前旗"),
    ],
)
def test_aliases(g, alias, full):
    assert full in [a.name for a in g.candidates(alias)]


def test_candidates_larger_areas_first(g):
    assert [a.name for a in g.candidates("安阳")] == ["安阳市", "安阳县"]
    assert [a.parent for a in g.candidates("铁东区")] == ["鞍山市", "四平市"]
    assert g.candidates("沛") == []


def test_by_name_is_none_when_ambiguous(g):
    assert g.by_name("铁东区") is None
    assert g.by_name("鞍山市").level == "prefecture"
    assert g.by_name("鞍山") is None  # a short form, not a full name


# -- mentions in running text ------------------------------------------------------------


def test_seed_snippets_in_their_city(g):
    anshan = g.by_name("鞍山市")
    text = "岫岩县河流水质始终保持在优良水体,为全市国考断面达标奠定坚实基础。台安县22个纳污坑塘全部完成治理"
    assert names(g.find_mentions(text, context=anshan)) == ["岫岩满族自治县", "台安县"]
    text = "开展大气综合整治,铁东区为全市空气质量改善做出积极贡献,铁西区、立山区两个大气重点区域"
    found = g.find_mentions(text, context=anshan)
    assert [(a.name, a.parent) for _, _, a in found] == [
        ("铁东区", "鞍山市"),
        ("铁西区", "鞍山市"),
        ("立山区", "鞍山市"),
    ]
    assert g.find_mentions("铁东区为全市空气质量改善做出积极贡献") == []  # 鞍山 or 四平: unknown


def test_offsets_point_at_the_name(g):
    text = "(3)推进彰武草原建设。在彰武北部建设了100万亩防护林带,"
    found = g.find_mentions(text, context=g.by_name("阜新市"))
    assert [(text[s:e], a.name) for s, e, a in found] == [("彰武", "彰武县"), ("彰武", "彰武县")]


def test_parent_written_before_decides(g):
    found = g.find_mentions("四平市铁东区、阜新彰武、浙江安吉", context=g.by_name("鞍山市"))
    assert [(a.name, a.parent) for _, _, a in found] == [
        ("四平市", "吉林省"),
        ("铁东区", "四平市"),
        ("阜新市", "辽宁省"),
        ("彰武县", "阜新市"),
        ("浙江省", None),
        ("安吉县", "湖州市"),
    ]


@pytest.mark.parametrize(
    ("context", "expected"),
    [("阜新市", ("朝阳市", "辽宁省")), ("辽宁省", ("朝阳市", "辽宁省")), ("北京市", ("朝阳区", "北京市"))],
)
def test_short_name_disambiguated_by_context(g, context, expected):
    found = g.find_mentions("朝阳全年空气质量优良天数为301天", context=g.by_name(context))
    assert [(a.name, a.parent) for _, _, a in found] == [expected]


def test_ambiguous_short_name_without_context_is_dropped(g):
    assert g.find_mentions("朝阳全年空气质量优良天数为301天") == []


def test_unambiguous_short_name_without_context(g):
    assert names(g.find_mentions("全国重点城市中,拉萨、海口空气质量较好")) == ["拉萨市", "海口市"]


def test_far_short_names_are_not_believed_in_a_local_document(g):
    fuxin = g.by_name("阜新市")
    assert g.find_mentions("学习安吉、宜兴治理经验", context=fuxin) == []
    assert g.find_mentions("位于科尔沁沙地的南缘", context=fuxin) == []


def test_provinces_short_names(g):
    assert names(g.find_mentions("海南、吉林、河北、内蒙古、广西")) == [
        "海南省",
        "吉林省",
        "河北省",
        "内蒙古自治区",
        "广西壮族自治区",
    ]
    assert names(g.find_mentions("河北空气质量", context=g.by_name("天津市"))) == ["河北省"]
    assert names(g.find_mentions("在河南调研,建设美丽河北")) == ["河南省", "河北省"]


@pytest.mark.parametrize(
    "text",
    [
        "加强资源综合利用,深化区域合作,新建污水处理厂2座,大力发展新兴产业",
        "城区、郊区、主城区、中心城区空气质量",
        "推进新型城镇化,新城镇化建设",
        "优良天数326天等指标全面完成",
        "确保定期开展监测,实现效益最大化,长治久安",
        "践行绿水青山就是金山银山理念",
        "三江源国家公园、鄱阳湖流域、洪泽湖、永定河、巢湖、太湖流域",
        "黄河南岸生态廊道,太行山东麓生态修复",
        "细河流域氟化物溯源排查,以细河、柳河等干支流为重点",
        "普通化学品,交通运输结构调整",
        "江北区域、江南区域",
        "南沙河南沙河大桥断面、汉江河汉江大桥断面均为Ⅱ类水质",
        "嫩江流域水质稳定,柳江干流水质为优",
        "据光明日报报道,带头上党课,完成建安投资,一颗新星,白杨树成林,双河水质",
    ],
)
def test_ordinary_words_are_not_areas(g, text):
    assert g.find_mentions(text, context=g.by_name("阜新市")) == []
    assert g.find_mentions(text) == []


def test_full_names_still_match_where_short_forms_would_not(g):
    fuxin = g.by_name("阜新市")
    text = "推进彰武县大德镇、细河区四合镇作为全域土地综合整治试点,太平区、清河门区"
    assert names(g.find_mentions(text, context=fuxin)) == ["彰武县", "细河区", "太平区", "清河门区"]


def test_longest_name_wins(g):
    assert names(g.find_mentions("阜新市彰武县")) == ["阜新市", "彰武县"]
    assert names(g.find_mentions("内蒙古自治区")) == ["内蒙古自治区"]
    assert names(g.find_mentions("岫岩满族自治县")) == ["岫岩满族自治县"]


def test_every_unique_full_name_is_found_on_its_own(g):
    counts = Counter(a.name for a in g.areas)
    for area in g.areas:
        if counts[area.name] > 1 or area.name in ORDINARY_WORDS:
            continue
        text = f"据统计,{area.name}。"
        assert g.find_mentions(text) == [(4, 4 + len(area.name), area)], area.name


_PIECES = [
    *[a.name for a in Gazetteer.load().areas[::7]],
    *["安阳", "彰武", "岫岩县", "朝阳", "铁东区", "资源", "新城", "河北", "鞍山", "细河", "延边"],
    *["的", ",", "。", "和", "在", "全市", "2024年", "空气质量", "镇", "湖", "区域", "市中心"],
]


@settings(max_examples=200, deadline=None)
@given(pieces=st.lists(st.sampled_from(_PIECES), max_size=12), ctx=st.sampled_from([None, "鞍山市", "北京市"]))
def test_mentions_are_ordered_disjoint_and_spell_their_area(g, pieces, ctx):
    text = "".join(pieces)
    found = g.find_mentions(text, context=g.by_name(ctx) if ctx else None)
    ends = [0]
    for start, end, area in found:
        assert start >= ends[-1]
        assert area in g.candidates(text[start:end])
        ends.append(end)


# -- resolving a written name ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "context", "adcode"),
    [
        ("彰武", "阜新市", "210922"),
        ("岫岩县", "鞍山市", "210323"),
        ("铁东区", "鞍山市", "210302"),
        ("铁东区", "四平市", "220303"),
        ("鞍山市铁东区", None, "210302"),
        ("朝阳", "阜新市", "211300"),
        ("城区", "阳泉市", "140302"),  # a district really called 城区
        ("城区", "阜新市", "210900"),  # the urban part of the city is the city
        ("主城区", "沈阳市", "210100"),
        ("阜新市城区", None, "210900"),
        ("阜新市主城区", None, "210900"),
        ("阳泉市城区", None, "140302"),
        ("安阳市区", None, "410500"),
        ("资源", "桂林市", "450329"),  # an ordinary word, but the caller knows it is a place
        ("内蒙古", None, "150000"),
        ("安阳", None, "410500"),
    ],
)
def test_resolve(g, name, context, adcode):
    found = g.resolve(name, context=g.by_name(context) if context else None)
    assert found is not None and found.adcode == adcode


@pytest.mark.parametrize("name", ["铁东区", "朝阳", "城区", "市区", "桓满县", "", "全市"])
def test_resolve_refuses_to_guess(g, name):
    assert g.resolve(name, context=None) is None


# -- the document's own area -------------------------------------------------------------

SEED_TITLES = {
    "000": ("市人大常委会关于鞍山市 2024年度环境状况", "鞍山市"),
    "001": ("关于我市 2024 年度环境状况和 环境保护目标完成情况的调研报告", "安阳市"),
    "002": ("笃定前行砥砺奋进 污防攻坚三战三捷——让绿色成为鞍山高质量发展的鲜明底色", "鞍山市"),
    "003": ("阜新市人民政府办公室关于印发阜新市“十四五”生态环境保护规划的通知", "阜新市"),
    "004": ("市生态环境局关于2024年省《政府工作报告》工作任务全年进展情况的报告", "沈阳市"),
}


@pytest.mark.parametrize("prefix", sorted(SEED_TITLES))
def test_document_area_of_seeds(g, prefix):
    title, expected = SEED_TITLES[prefix]
    text = seed(prefix)
    assert g.document_area(title, text).name == expected
    assert g.document_area(None, text).name == expected


COUNTY_BULLETIN = """青阳县2023年环境状况公报

池州市青阳县生态环境分局
2024年5月

2023年,全县上下深入贯彻习近平生态文明思想,在市委、市政府和县委、县政府的坚强领导下,
持续深入打好污染防治攻坚战。全县空气质量优良天数比例为90.4%,PM2.5平均浓度为28微克/立方米。
九华河、青通河等主要河流水质保持稳定,县级集中式饮用水水源地水质达标率100%。
"""

DISTRICT_REPORT = """铁西区2024年政府工作报告
——2024年1月10日在鞍山市铁西区第十八届人民代表大会第四次会议上
各位代表:
现在,我代表区人民政府向大会报告工作,请予审议。
过去一年,在鞍山市委、市政府和区委的坚强领导下,全区上下攻坚克难。全区空气质量优良天数达到
310天,PM2.5平均浓度下降至35微克/立方米,城区黑臭水体全部消除。
"""

PROVINCIAL_PLAN = """河南省人民政府
关于印发河南省“十四五”生态环境保护和生态经济发展规划的通知
各省辖市人民政府,济源示范区管委会,省人民政府各部门:
现将《河南省“十四五”生态环境保护和生态经济发展规划》印发给你们,请认真贯彻执行。
到2025年,全省细颗粒物(PM2.5)平均浓度下降到42微克/立方米,郑州市、洛阳市、安阳市空气质量持续改善。
"""

NATIONAL_NEWS = """您的位置:首页 > 新闻发布
生态环境部通报2024年1—12月全国地表水、环境空气质量状况
1月14日,全国生态环境保护工作会议在北京召开。与2015年相比,北京PM2.5平均浓度下降了57.7%,
北京冬奥会实现“碳中和”。2024年,全国339个地级及以上城市平均优良天数比例为87.2%。168个重点城市中,拉萨、海口和
黄山市等20个城市空气质量相对较好;临汾、太原和唐山市等20个城市空气质量相对较差。
3641个国家地表水考核断面中,水质优良断面比例为90.4%。
"""

COUNTY_UNDER_CITY_PLAN = """彰武县人民政府办公室
关于印发《阜新市“十四五”生态环境保护规划》重点任务分工方案的通知
各乡镇人民政府,县政府各部门:
为贯彻落实《阜新市“十四五”生态环境保护规划》,结合我县实际,制定本方案。到2025年,
全县森林覆盖率达到32%,细河、柳河水质稳定达到考核要求。
"""


@pytest.mark.parametrize(
    ("title", "text", "adcode"),
    [
        ("青阳县2023年环境状况公报", COUNTY_BULLETIN, "341723"),
        (None, COUNTY_BULLETIN, "341723"),
        ("铁西区2024年政府工作报告", DISTRICT_REPORT, "210303"),  # 鞍山's, not 沈阳's or 四平's
        (None, DISTRICT_REPORT, "210303"),
        ("河南省“十四五”生态环境保护规划", PROVINCIAL_PLAN, "410000"),
        (
            "关于印发《阜新市“十四五”生态环境保护规划》重点任务分工方案的通知",
            COUNTY_UNDER_CITY_PLAN,
            "210922",
        ),
        ("辽宁省鞍山市2023年生态环境状况公报", "2023年,全市空气质量优良天数为310天。", "210300"),
    ],
)
def test_document_area_of_written_headers(g, title, text, adcode):
    area = g.document_area(title, text)
    assert area is not None and area.adcode == adcode


def test_document_area_from_the_text_that_calls_itself_a_city(g):
    text = (
        "市生态环境局2023年工作总结\n2023年,我市空气质量优良天数为331天。大连市PM2.5平均浓度为"
        "25微克/立方米,全市国考断面水质优良比例达到90%。大连市获评国家生态文明建设示范区,"
        "与沈阳市、鞍山市联合开展区域大气污染联防联控。"
    )
    assert g.document_area(None, text).name == "大连市"


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("生态环境部通报2024年1—12月全国地表水、环境空气质量状况", NATIONAL_NEWS),
        (
            "我市2022年2月份环境质量情况",
            "2022年2月我市环境质量总体优,市区2个集中式饮用水源水质达标率为100%。",
        ),
        (None, ""),
    ],
)
def test_document_area_never_guesses(g, title, text):
    assert g.document_area(title, text) is None


# -- the generator -------------------------------------------------------------------------


def _builder():
    spec = importlib.util.spec_from_file_location("build_areas", ROOT / "scripts" / "build_areas.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_builder_derives_levels_parents_names_and_aliases(tmp_path):
    rows = [
        ("110000", "北京市"),
        ("110100", "市辖区"),
        ("110105", "朝阳区"),
        ("410000", "河南省"),
        ("410500", "安阳市"),
        ("410522", "安阳县"),
        ("419000", "省直辖县级行政区划"),
        ("419001", "济源市"),
        ("210000", "辽宁省"),
        ("210300", "鞍山市"),
        ("210323", "岫岩满族自治县"),
        ("150000", "内蒙古自治区"),
        ("150121", "土默特左旗"),
        ("441803", "清新区"),
        ("211324", "喀喇沁左翼蒙古族自治县"),
        ("210921", "阜新蒙古族自治县"),
    ]
    src = tmp_path / "adcodes.csv"
    src.write_text(
        "adcode,name,longitude,latitude\n" + "".join(f"{c}000000,{n},0,0\n" for c, n in rows),
        encoding="utf-8",
    )
    table = {r["name"]: r for r in _builder().build(src).iter_rows(named=True)}
    assert "市辖区" not in table and "省直辖县级行政区划" not in table
    assert table["朝阳区"]["parent"] == "北京市" and table["朝阳区"]["level"] == "county"
    assert table["济源市"]["parent"] == "河南省"
    assert table["安阳县"]["parent"] == "安阳市" and table["安阳县"]["province"] == "河南省"
    assert table["安阳市"]["parent"] == "河南省" and table["安阳市"]["level"] == "prefecture"
    assert table["河南省"]["parent"] is None and table["河南省"]["province"] == "河南省"
    assert table["岫岩满族自治县"]["aliases"] == "岫岩县|岫岩"
    assert table["内蒙古自治区"]["name_en"] == "Inner Mongolia"
    assert table["土默特左旗"]["name_en"] == "Tumote Zuoqi" and table["土默特左旗"]["aliases"] == "土左旗"
    assert table["清新区"]["aliases"] == "清新"  # 清新 + 区, not 清 + 新区
    assert table["喀喇沁左翼蒙古族自治县"]["aliases"] == "喀喇沁左翼县|喀喇沁左翼|喀左县|喀左"
    assert table["阜新蒙古族自治县"]["aliases"] == "阜新县|阜新|阜蒙县"


# -- units created or renamed since the older source (see scripts/build_areas.py) ------------


@pytest.mark.parametrize(
    ("name", "adcode", "parent", "province"),
    [
        ("梁平区", "500155", "重庆市", "重庆市"),  # 梁平县 became a district in 2016
        ("开州区", "500154", "重庆市", "重庆市"),
        ("武隆区", "500156", "重庆市", "重庆市"),
        ("邹平市", "371681", "滨州市", "山东省"),  # a 县 → 市 conversion (2018)
        ("莱芜区", "370116", "济南市", "山东省"),  # 莱芜市 merged into 济南市 (2019)
        ("钢城区", "370117", "济南市", "山东省"),  # the same district renumbered under 济南
        ("那曲市", "540600", "西藏自治区", "西藏自治区"),  # 那曲地区 became a city (2017)
        ("襄都区", "130502", "邢台市", "河北省"),  # 桥东区 renamed, code kept (2020)
        ("定州市", "130682", "保定市", "河北省"),  # renumbered: one 定州市, not two
        ("公主岭市", "220184", "长春市", "吉林省"),  # moved from 四平市 (2020)
    ],
)
def test_current_units_resolve_with_their_parent(g, name, adcode, parent, province):
    area = g.by_name(name)
    assert area is not None and (area.adcode, area.parent, area.province) == (adcode, parent, province)
    assert g.resolve(name, context=None) == area
    assert [a for _, _, a in g.find_mentions(f"据统计,{name}空气质量优良天数为300天。")] == [area]


@pytest.mark.parametrize(
    ("name", "adcode", "parent"),
    [
        ("梁平县", "500228", "重庆市"),
        ("武隆县", "500232", "重庆市"),
        ("邹平县", "371626", "滨州市"),
        ("莱芜市", "371200", "山东省"),
        ("莱城区", "371202", "莱芜市"),
        ("那曲地区", "542400", "西藏自治区"),
    ],
)
def test_former_names_still_resolve_to_the_unit_of_that_name(g, name, adcode, parent):
    area = g.by_name(name)
    assert area is not None and (area.adcode, area.parent) == (adcode, parent)
    assert g.resolve(name, context=None) == area


@pytest.mark.parametrize(
    ("alias", "adcode"),
    [("梁平", "500155"), ("武隆", "500156"), ("邹平", "371681"), ("莱芜", "370116"), ("那曲", "540600")],
)
def test_a_short_form_shared_by_a_former_and_a_current_unit_is_the_current_one(g, alias, adcode):
    assert [a.adcode for a in g.candidates(alias)] == [adcode]
    assert g.resolve(alias, context=None).adcode == adcode
    found = g.find_mentions(f"{alias}全年空气质量优良天数为330天")
    assert [a.adcode for _, _, a in found] == [adcode]


def test_a_renamed_unit_keeps_its_former_name_as_an_alias(g):
    xingtai = g.by_name("邢台市")
    assert g.resolve("桥东区", context=xingtai).name == "襄都区"
    assert g.resolve("桥东区", context=g.by_name("张家口市")).adcode == "130702"


def test_builder_merges_a_current_list_into_the_older_one(tmp_path):
    old = [
        ("500000", "重庆市"),
        ("500228", "梁平县"),
        ("370000", "山东省"),
        ("371200", "莱芜市"),
        ("371203", "钢城区"),
        ("370100", "济南市"),
        ("130000", "河北省"),
        ("130500", "邢台市"),
        ("130502", "桥东区"),
        ("810000", "香港特别行政区"),
    ]
    src = tmp_path / "adcodes.csv"
    src.write_text("adcode,name,longitude,latitude\n" + "".join(f"{c}000000,{n},0,0\n" for c, n in old), "utf-8")
    current = tmp_path / "division"
    current.mkdir()
    (current / "provinces.csv").write_text('code,name\n50,"重庆市"\n37,"山东省"\n13,"河北省"\n', "utf-8")
    (current / "cities.csv").write_text(
        'code,name,provinceCode\n5001,"市辖区",50\n3701,"济南市",37\n1305,"邢台市",13\n6202,"嘉峪关市",62\n', "utf-8"
    )
    (current / "areas.csv").write_text(
        "code,name,cityCode,provinceCode\n"
        '500155,"梁平区",5001,50\n370116,"莱芜区",3701,37\n370117,"钢城区",3701,37\n'
        '370176,"济南高新技术产业开发区",3701,37\n130502,"襄都区",1305,13\n620201,"嘉峪关市",6202,62\n',
        "utf-8",
    )
    table = _builder().build(src, current)
    rows = {r["adcode"]: r for r in table.iter_rows(named=True)}
    assert rows["500155"]["name"] == "梁平区" and rows["500155"]["aliases"] == "梁平"
    assert rows["500228"]["name"] == "梁平县" and rows["500228"]["aliases"] == ""  # 梁平 is the 区's
    assert rows["371200"]["name"] == "莱芜市" and rows["371200"]["aliases"] == ""
    assert "371203" not in rows and rows["370117"]["parent"] == "济南市"  # renumbered, once
    assert rows["130502"]["name"] == "襄都区" and rows["130502"]["aliases"] == "襄都|桥东区|桥东"
    assert "370176" not in rows and "620201" not in rows  # a statistical zone; a city as its own county
    assert rows["810000"]["aliases"] == "香港"  # outside the current list, still current
    assert table["adcode"].is_unique().all()


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        ("2021年,梁平城区环境空气质量优良天数为336天", None, ["梁平区"]),
        ("昌平城区空气质量优良天数为280天", "北京市", ["昌平区"]),
        ("大同市平城区空气质量优良天数为300天", None, ["大同市", "平城区"]),
        ("平城区空气质量优良天数为300天", None, ["平城区"]),
    ],
)
def test_a_name_then_its_urban_part_is_not_a_district_spelt_across_them(g, text, context, expected):
    """梁平城区 is 梁平 + 城区 (its urban part), not the 平城区 of 大同 spelt across the two."""
    found = g.find_mentions(text, context=g.by_name(context) if context else None)
    assert names(found) == expected
