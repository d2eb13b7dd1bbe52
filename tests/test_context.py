"""A document's own context on real page shapes: its date, title, area and the year 今年/去年 count from.

Each table holds variants of one class of page furniture (bylines, metadata blocks, channel lists,
news leads), written after the shapes met on government and news sites, not one page's sentence.
"""

from __future__ import annotations

import csv
from datetime import date
from importlib import resources

import pytest

from pipelines.core import extraction, years
from pipelines.core.areas import Gazetteer, find_regions, is_list_line


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return Gazetteer.load()


# -- dates ---------------------------------------------------------------------------------

DATES = [
    # (text, date, the date_formats.csv row that finds it)
    ("关于印发规划的通知\n\n发布日期: 2023-08-15 浏览量:2154\n\n正文", date(2023, 8, 15), "labelled"),
    ("发布时间：2022年6月29日 17:57:17 稿件来源: 大听网", date(2022, 6, 29), "labelled"),
    (
        "索 引 号 | 0084/2020-0408 | 公文种类 | 其他 |\n发布日期 | 2020-12-24 | 主题词 | 空气 |",
        date(2020, 12, 24),
        "labelled",
    ),
    (
        "发文单位 | : | 厅办公室 | 发布日期 | : | 2016-08-25 09:38 |\n8、产生日期:2016.07.05",
        date(2016, 8, 25),
        "labelled",
    ),
    ("成文日期:2021-04-17 00:00:00 | 公开日期:2021-04-17 08:53:16 |", date(2021, 4, 17), "labelled"),
    ("更新时间:2017-06-06\n浙江生态环境质量稳居前列", date(2017, 6, 6), "labelled"),
    ("2021年05月11日 17:06\n州生态环境局日前发布4月环境空气质量信息。", date(2021, 5, 11), "timestamp"),
    ("情意无价 2018-1-1 13:19\n\n本报讯 2017年我市空气质量达标天数为300天", date(2018, 1, 1), "timestamp"),
    ("7月份空气质量:湖南11个市州实现“全优”\n2022-08-26 09:53:36 红网\n正文", date(2022, 8, 26), "timestamp"),
    ("标题\n2021-02-12 17:02:02\n原标题:1月山东16市空气质量排名", date(2021, 2, 12), "timestamp"),
    ("2016年06月04日 14:44   来源:青海新闻网", date(2016, 6, 4), "timestamp"),
    ("福建省环境质量继续领先全国\n11.05.2021 17:06 来源:东南网", date(2021, 5, 11), "timestamp_dmy"),
    ("福建省环境质量继续领先全国\n2017-11-23 郑昭 来源:东南网", date(2017, 11, 23), "date_before_source"),
    ("朝阳市持续打好蓝天保卫战\n2023-12-29 来源：朝阳市生态环境局\n", date(2023, 12, 29), "date_before_source"),
    ("2016年01月26日  来源:齐鲁晚报\n本报聊城1月25日讯", date(2016, 1, 26), "date_before_source"),
    ("安徽公众生态环境满意率连续4年九成以上\n来源:安徽日报2024-03-28", date(2024, 3, 28), "source_then_date"),
    (
        "今年全市环境质量状况总体平稳\n来源:宣城日报 2017-12-05   https://www.yybnet.net/",
        date(2017, 12, 5),
        "source_then_date",
    ),
    (
        "天水市2019年1月县区环境空气质量排名情况\n天水市环境保护局2019年2月21日发布",
        date(2019, 2, 21),
        "date_before_source",
    ),
    ("新华社2021年3月5日电 政府工作报告指出", date(2021, 3, 5), "outlet_date"),
    ("湖北省空气质量通报\n人民网2021年06月23日\n正文", date(2021, 6, 23), "outlet_date"),
    ("2021年6月23日 星期三\n我市空气质量持续改善", date(2021, 6, 23), "weekday"),
    ("7月份空气质量:湖南11个市州实现“全优”\n2022-08-26 红网\n正文", date(2022, 8, 26), "date_then_outlet"),
    ("发稿时间：2019年03月01日\n正文", date(2019, 3, 1), "labelled"),
    (
        "3上一篇  下一篇4 2021年6月8日 放大 缩小 默认\n《长春市生态环境质量报告》近日发布",
        date(2021, 6, 8),
        "page_tools",
    ),
    ("2019-03-01 【字号：大 中 小】\n我市空气质量", date(2019, 3, 1), "page_tools"),
    (
        "关于我市 2024 年度环境状况的调研报告\n\n——2025 年 4 月 23 日在安阳市第十五届人民代表大会",
        date(2025, 4, 23),
        "dash_date",
    ),
    (
        "市人大常委会关于鞍山市 2024年度环境状况\n\n2025 年 4 月 28 日，市十七届人大常委会第二十七次会议",
        date(2025, 4, 28),
        "meeting_date",
    ),
    ("正文。\n\n安阳市人大常委会办公室\n\n2025年4月22日印", date(2025, 4, 22), "signature"),
    ("索引号11530/2022-0043\n发布机构蒙自市人民政府\n发布日期2022-11-04\n正文", date(2022, 11, 4), "labelled_glued"),
    ("[2019-04-16]\n全市空气质量持续改善", date(2019, 4, 16), "bracketed"),
    ("《湖北日报》2020年5月12日 第6版\n全省优良天数比例为86.1%。", date(2020, 5, 12), "paper_edition"),
    ("作者:王五 2019-04-16\n正文", date(2019, 4, 16), "source_then_date"),
    ("2019年04月16日 | 县生态环境分局\n正文", date(2019, 4, 16), "date_then_outlet"),
    ("发布:2019-04-16 浏览:35\n正文", date(2019, 4, 16), "labelled"),
    ("正文。\n鞍山市生态环境局\n二〇二四年七月八日", date(2024, 7, 8), "signature"),
]

NOT_DATES = [
    "截至12月9日，沈阳市共完成优良天296天",
    "新疆新闻网1月15日电 2006年首府没完成70%的环境目标。",
    "《条例》自2021年1月1日起施行,2020年12月31日前完成整改。",
    "人工客服工作时间:9:00-18:30",
    "全省优良天数比例为86.1%,较《规划》2020年12月31日确定的目标提前完成。",
    "2021年1月1日0时起,全市实施机动车限行。",
    # a forum's footer clock: when the page was served, not when the post was written
    "1—6月份,全市优良天数为150天,比上年同期增加9天。 |\nGMT+8, 2023-11-02 08:15",
]


@pytest.mark.parametrize(("text", "expected", "fmt"), DATES)
def test_document_date_formats(text: str, expected: date, fmt: str) -> None:
    assert years.document_date_match(text) == (fmt, expected)


@pytest.mark.parametrize("text", NOT_DATES)
def test_dates_a_figure_refers_to_are_not_the_document_date(text: str) -> None:
    assert years.find_document_date(text) is None


def test_every_date_format_is_documented_and_exercised() -> None:
    """A newcomer adds a date format by adding a row (with its why) and a variant above."""
    raw = resources.files("pipelines.data").joinpath("date_formats.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(raw.splitlines()))
    assert [r["name"] for r in rows] == [f.name for f in years.date_formats()]
    assert all(r["why"].strip() and r["scope"] in ("head", "any") for r in rows)
    assert {r["name"] for r in rows} == {fmt for _, _, fmt in DATES}


# -- titles --------------------------------------------------------------------------------

TITLES = [
    (
        "无障碍阅读 | 进入适老化模式\n\n我区生态环境持续向好\n\n发布日期:2020-04-21 来源: 区环保局\n\n正文。",
        "我区生态环境持续向好",
    ),
    (
        "直通屏山|福建|时评|大学城|台海|娱乐|体育|国内|国际|福州|厦门\n\n福建省环境质量继续领先全国\n\n"
        "2017-11-23 07:55:42 郑昭 来源:东南网\n\n东南网11月23日讯。",
        "福建省环境质量继续领先全国",
    ),
    (
        "宣城新闻 宁国新闻 郎溪新闻 广德新闻 泾县新闻 绩溪新闻\n\n今年全市环境质量状况总体平稳\n\n"
        "来源:宣城日报 2017-12-05 10:05\n\n本报讯记者获悉,今年以来,宣城市环境质量总体平稳。",
        "今年全市环境质量状况总体平稳",
    ),
    (
        "首页 时事聚焦 [省内] 7月份空气质量:湖南11个市州实现“全优”\n\n7月份空气质量:湖南11个市州实现“全优”\n\n"
        "2022-08-26 09:53:36 红网\n\n正文。",
        "7月份空气质量:湖南11个市州实现“全优”",
    ),
    (
        "山东省2015年度环境质量状况发布\n聊城“蓝天白云”同比增加五天\n2016年01月26日  来源:齐鲁晚报\n正文。",
        "山东省2015年度环境质量状况发布",
    ),
    (
        "标题:内蒙古自治区生态环境厅公布2021年1-3月全区环境空气、地表水质量状况 | |||\n索引号:7361/2020 |",
        "内蒙古自治区生态环境厅公布2021年1-3月全区环境空气、地表水质量状况",
    ),
    (
        "名称 | : | 关于全区5市2016年6月份空气质量情况的通报 |\n文号 | : |",
        "关于全区5市2016年6月份空气质量情况的通报",
    ),
    (
        "24小时手机咨询 18221844698\n应勇:今年将启动实施新一轮清洁空气三年行动计划\n"
        "应勇说:去年上海的大气质量得到持续改善。",
        "应勇:今年将启动实施新一轮清洁空气三年行动计划",
    ),
    (
        "根据各县区空气质量自动监测数据,2019年1月份各县区环境空气质量综合排名由低到高分别为:清水、秦州、甘谷、武山。\n"
        "天水市2019年1月县区环境空气质量由好到差排名情况\n天水市环境保护局2019年2月21日发布\n(天水在线编辑:李俊锋)",
        "天水市2019年1月县区环境空气质量由好到差排名情况",
    ),
]


TITLES += [
    # a 政务公开 field list flattened one field a line, each with a bullet; its fields are no title
    (
        "- 环境质量信息\n-\n索引号11530/2022-0043\n-\n发布机构蒙自市人民政府办公室\n-\n发布日期2022-11-04\n"
        "2022年1-10月蒙自市空气质量状况\n有效监测天数304天。",
        "2022年1-10月蒙自市空气质量状况",
    ),
]


# a page cut short: its last line, a sentence broken off after the body, is no headline
_CUT_SHORT = (
    "12日,生态环境部发布了2018年5月和1-5月全国及重点区域空气质量状况。据介绍,5月份,全国338个地级及以上城市"
    "平均优良天数比例为80.3%,同比上升5.2个百分点。\n天津市5月优良天数比例为58.1%,同比上升9.7个"
)
TITLES += [(_CUT_SHORT, None)]


@pytest.mark.parametrize(("text", "expected"), TITLES)
def test_titles_of_real_page_shapes(text: str, expected: str) -> None:
    assert extraction._title(text) == expected


@pytest.mark.parametrize(
    "line",
    [
        "三都羊甲风光 陈建 摄",
        "新疆新闻网1月15日电 2006年首府没完成70%的环境目标",
        "湖北日报讯(记者唐宜贵 通讯员罗继涛)湖北省环保厅2月12日发布消息",
        "州生态环境局日前发布4月环境空气质量信息。我州4月空气质量优良率达100%。",
        "图为聊城城区雾霾散去,出现蓝天。",
        "24小时手机咨询 18221844698",
        "直通屏山|福建|时评|大学城|台海|娱乐",
        "宣城新闻 宁国新闻 郎溪新闻 广德新闻",
        "![]()",
        "具体表现为以上几个方面:",
        "2017-11-23 07:55:42 郑昭 来源:东南网",
        "表2 2024年6月各县(市、区)环境空气质量排名",  # a table's caption
        "附表1 2023年1-6月全省城市水环境质量排名",
        "吐鲁番市生态环境局高昌分局",  # the signing office
        "鄯善县人民政府办公室",
        "杭州西湖区文三路478号华星科技大厦9楼",  # a footer's postal address
        "地址：南京市鼓楼区北京西路12号 邮编：210008",
        "无障碍阅读 | 进入适老化模式",  # a government site's accessibility toolbar
        "关怀版 无障碍 English",
    ],
)
def test_lines_that_are_never_titles(line: str) -> None:
    assert not extraction._title_like(line)


@pytest.mark.parametrize(
    ("line", "is_list"),
    [
        ("直通屏山|福建|时评|大学城|台海|娱乐|福州|厦门", True),
        ("宣城新闻 宁国新闻 郎溪新闻 广德新闻 泾县新闻", True),
        ("首页 · 新闻 · 政务 · 服务", True),
        ("PM10 | 50 | 29 | 8 | 18", False),  # a table row of figures
        ("福建省环境质量继续领先全国", False),
        ("安阳市 林州市 滑县", False),  # too few items for a menu
    ],
)
def test_list_lines(line: str, is_list: bool) -> None:
    assert is_list_line(line) is is_list


# -- the document's own area ---------------------------------------------------------------

AREAS = [
    # (text, running headers the PDF reader removed, expected area or None)
    ("2024年生态环境状况公报\n\n一、环境空气\n全市优良天数比例为91%。", ("大连市生态环境局",), "大连市"),
    ("工作总结\n\n我县空气质量持续改善,全县优良天数比例为90%。", ("澄城县人民政府",), "澄城县"),
    ("工作总结\n\n我县空气质量持续改善。", ("县生态环境分局",), None),
    ("一、环境空气\n全市优良天数比例为91%。", ("大连市2024年生态环境状况公报",), "大连市"),
    ("信息来源:河南日报 | 发布时间:2021-06-01\n一、环境空气\n全市优良天数为240天。", (), None),
    ("信息来源:林州市生态环境局 | 发布时间:2021-06-01\n一、环境空气\n全市优良天数为240天。", (), "林州市"),
    (
        "索 引 号 | 008474032/2020-0408 | 公文种类 | 其他 | 发布机构 | 剑阁县政府 |\n"
        "发布日期 | 2020-12-24 |\n截至12月21日,县城区空气质量优良天数达347天。",
        (),
        "剑阁县",
    ),
    ("发文机关:鞍山市生态环境局 | 信息分类:统计信息 |\n一、环境空气\n全市优良天数为300天。", (), "鞍山市"),
    ("发文机构:生态环境局|信息分类:统计信息\\公报|||\n全区优良天数比例为81.7%。", (), None),
    (
        "近日,记者从黔南州生态环境局获悉,“十四五”以来,全州上下坚定践行生态文明思想。\n"
        "三都羊甲风光 陈建 摄\n据了解,全州生态质量为“一类”。",
        (),
        "黔南布依族苗族自治州",
    ),
    (
        "新疆新闻网1月15日电 2006年首府没完成70%的环境目标。\n"
        "据乌鲁木齐市环境监测中心站提供的数据,2006年空气质量二级天数198天。",
        (),
        "乌鲁木齐市",
    ),
    (
        "今天(1月27日)上午,宜昌市2020年生态环境质量通报新闻发布会在城区举行。记者从会上获悉,"
        "全年空气质量改善幅度位居全国第五、全省第一。",
        (),
        "宜昌市",
    ),
    ("4月26日上午,襄阳市生态环境局举行新闻发布会,通报了2018年全市生态环境质量状况。", (), "襄阳市"),
    ("本报讯 今日凌晨从大连市环境监测中心再次传来喜讯:2017年我市空气质量达标天数为300天。", (), "大连市"),
    # a county's story that quotes its city's office stays the county's
    ("记者从安阳市生态环境局获悉,2023年汤阴县空气质量优良天数为250天,我县PM2.5浓度为45微克/立方米。", (), "汤阴县"),
    # 我县 and one county named once
    ("镇安县空气质量采用空气自动站连续监测。\n我县城区饮用水源地每季度监测一次。", (), "镇安县"),
    ("一、环境空气质量状况\n汤阴县、内黄县空气质量持续改善。\n我县城区饮用水源地每季度监测一次。", (), None),
    # only 我州 / 州生态环境局, no 州 named: never guessed from its counties
    ("州生态环境局日前发布4月环境空气质量信息。我州4月空气质量优良率达100%。延吉市优良天数为30天。", (), None),
    ("我市2022年2月份环境质量情况\n2022年2月我市环境质量总体优。", (), None),
    # a channel list of another site names no area of the page
    ("宣城新闻 福州新闻 厦门新闻 莆田新闻\n\n今年全市空气质量总体平稳\n\n全市优良天数243天。", (), None),
    ("去年青海西宁等东部城市群环境空气质量优良率为77.6%\n青海省环境保护厅召开新闻发布会。", (), "青海省"),
    # 居全省第一 compares with the province; the page still calls itself 我市
    (
        "空气质量持续改善\n今年以来,我市空气质量综合指数改善幅度居全省第一,PM2.5浓度改善幅度居全省第一。"
        "河南全年优良天数为240天,安阳市优良天数为200天,河南各地均有改善。",
        (),
        "安阳市",
    ),
    # the source's sentence names its subject inside the source's area; a sentence is no signature line
    (
        "湖北日报讯(记者唐宜贵 通讯员罗继涛)湖北省环保厅2月12日发布消息,"
        "宜昌环境工作获省目标责任制考核同类城市第一名。\n"
        "2017年,宜昌空气质量优良天数为258天,比上年明显增加。",
        (),
        "宜昌市",
    ),
    (
        "大河网讯 记者从河南省生态环境厅获悉,2020年,全省PM2.5平均浓度为52微克/立方米,空气质量最好的是三门峡,"
        "最差的是安阳。全省优良天数比例为66.7%,同比增加了52天,达到历史最好水平。",
        (),
        "河南省",
    ),
]


AREAS += [
    # a footer's address and company name say where the site owner sits, not whose figures these are
    (
        "(一)到2025年,全市受污染耕地安全利用率达到93%以上。\n杭州西湖区文三路478号华星科技大厦9楼\n"
        "版权所有 © 2025杭州绿源检测仪器有限公司\n备案号:浙ICP备2023011111号-1",
        (),
        None,
    ),
    # an address line beside the office that runs the site still names the site's area
    ("全县森林覆盖率为61.2%。\n主办:泰顺县人民政府办公室 地址:泰顺县罗阳镇新城大道1号", (), "泰顺县"),
    # a rank after a name in a title makes it one of the ranked, the whole is the subject
    ("2023年河北省空气质量排名公布 承德第一\n2024-01-20 来源:河北新闻网\n全省优良天数比例为76.5%。", (), "河北省"),
    ("2023年河北省空气质量排名公布 承德市居首\n全省优良天数比例为76.5%。", (), "河北省"),
    # an office named by its level alone speaks of the text's own county, as 我县 does
    (
        "[丽水日报]县人大常委会听取环境状况报告\n2019年08月12日 来源:丽水日报\n"
        "近日,松阳县人大常委会审议了《松阳县2018年环境状况报告》,全年优良率98.1%。",
        (),
        "松阳县",
    ),
    # a province's office inside a sentence is no self-reference
    ("市区优良天数达标,优于省政府下达的目标。\n松阳县、遂昌县空气质量均为优。", (), None),
    # 全省 and several cities of one province named: that province's page
    ("2022年全省空气质量通报\n全省11个市优良天数比例为88%,其中南昌市86%、九江市84%、赣州市91%。", (), "江西省"),
    # a city's own page that ranks itself among its province's cities stays unnamed
    ("我市优良率98.4%,超出全省16.2个百分点,是全省入围的城市之一(广元市37位、巴中市52位)。", (), None),
    # cities of two provinces: no guess
    ("2022年全省空气质量通报\n全省优良天数比例为88%,南昌市86%,高于长沙市。", (), None),
    # a quarter is no rank
    ("承德市第三季度空气质量状况\n全市优良天数为80天。", (), "承德市"),
    # 全市 with a county-level city and its siblings listed: the prefecture they belong to
    (
        "2019年,南充市城区、阆中、南部、营山、仪陇、西充共6县(市)开展了区域噪声监测,全市昼间噪声总体水平为二级。\n"
        "阆中市 | 5月 | 55.1 |\n阆中市 | 评价 | 较好 |",
        (),
        "南充市",
    ),
]


@pytest.mark.parametrize(("text", "headers", "expected"), AREAS)
def test_document_area_of_real_page_shapes(g, text: str, headers: tuple[str, ...], expected: str | None) -> None:
    ctx = extraction.document_context(text, gazetteer=g, headers=headers)
    assert (ctx.area.name if ctx.area else None) == expected


@pytest.mark.parametrize(
    ("text", "not_an_area"),
    [
        ("长江干流宜昌段水质均达到地表水II类", "江干区"),
        ("嘉陵江南充段水质为优", "嘉陵区"),
    ],
)
def test_great_rivers_hold_no_county(g, text: str, not_an_area: str) -> None:
    assert not_an_area not in [a.name for _, _, a in g.find_mentions(text)]


@pytest.mark.parametrize(
    ("text", "source_type", "plan"),
    [
        (
            "97.3%、92.6%、57%,三个百分数代表2025年重庆市水质量、空气质量、森林覆盖率建设水平\n"
            "2025年,重庆市地表水国控断面水质优良比例达到97.3%。\n"
            "2月15日,上述资讯由《重庆市生态环境保护“十四五”规划(2021—2025年)》新闻发布会释出。",
            "plan",
            "十四五",
        ),
        ("泸州市“十四五”生态环境保护规划出台\n发布时间:2022-06-29 17:57:17\n到2025年,全市…", "plan", "十四五"),
        (
            "剑阁县空气质量持续改善\n来源:剑阁县政府 发布日期:2020-12-24\n"
            "截至12月21日,优良天数达347天,提前完成“十三五”规划中关于优良天数率的目标任务。",
            "news",
            None,
        ),
    ],
)
def test_a_page_presenting_a_plan_by_name_is_the_plan(g, text: str, source_type: str, plan: str | None) -> None:
    ctx = extraction.document_context(text, gazetteer=g)
    assert (ctx.source_type, ctx.plan) == (source_type, plan)


# -- the year 今年/去年 count from ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # undated: 去年 and one year above the others → written the year after it
        ("去年江西省优良天数比例居中部六省第一\n2022年,我省优良天数比例为92.1%。2022年,全省PM2.5浓度为27。", 2023),
        ("去年陕西省平均优良天242.8天\n2018年12月,全省PM2.5平均浓度76。2018年1~12月,全省PM2.5为51。", 2019),
        # no year stands out: unknown rather than guessed
        (
            "2014年11月,江西列入示范区。去年1月,江西首次以决议推动。2015年,全省空气质量优良率达90.1%。2016年是开局之年。",
            None,
        ),
        ("今年以来,全市空气质量持续改善,优良天数为120天。", None),
        # a dated page counts from its date
        ("福建省环境质量继续领先全国\n2017-11-23 07:55:42 郑昭 来源:东南网\n今年1—9月,全省优良天数比例为95.2%。", 2017),
    ],
)
def test_reference_year(g, text: str, expected: int | None) -> None:
    ctx = extraction.document_context(text, gazetteer=g)
    assert extraction.reference_year(ctx, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # untitled pages: the base of a comparison in the first lines is no subject year
        ("全省生态质量总体稳定,生态质量指数与2021年相比无明显变化。全省地表水环境质量持续向好。", None),
        ("全市环境质量较2020年同期有所改善。全市优良天数为280天。", None),
        ("2023年全市环境质量状况公报\n全市优良天数为280天。", 2023),
    ],
)
def test_a_base_year_in_the_first_lines_is_no_subject_year(text: str, expected: int | None) -> None:
    assert years.subject_year(None, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "焦点:全省城市空气质量持续改善\n发布时间:2023-08-02 10:15 来源:某某网\n"
            "记者2日从省生态环境厅获悉,该厅通报今年1-7月全省环境空气质量状况:全省优良天数比例为85.2%。",
            2023,
        ),
        (  # this year named, but no date to count it from
            "焦点:全省城市空气质量持续改善\n记者获悉,该厅通报今年1-7月全省环境空气质量状况。",
            None,
        ),
        (  # a dated page that presents no year's figures keeps no subject year
            "焦点:全省城市空气质量持续改善\n发布时间:2023-08-02 10:15\n该厅召开会议部署秋冬季大气治理工作。",
            None,
        ),
    ],
)
def test_a_dated_lead_presenting_this_years_figures_gives_the_subject_year(g, text: str, expected: int | None) -> None:
    assert extraction.document_context(text, gazetteer=g).subject_year == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a dated page naming no year, month or whole year states its figures as of the day it was written
        ("我县生态建设再上台阶\n发布日期:2019-06-12 来源:县环保局\n城区空气质量优良率保持在98%以上。", 2019),
        ("某区环境持续向好\n2020年9月3日 星期四\n全区森林覆盖率达到62.5%。", 2020),
        # a month or the whole year named: the figures may be for a time before the page's date
        ("全市空气质量通报\n发布时间:2020-01-08 10:00\n12月份,全市优良天数为25天。", None),
        ("全市空气质量通报\n发布时间:2021-01-15 10:00\n全年全市优良天数为320天。", None),
        # a relative year is counted from the date, not made the subject
        ("全县生态建设\n发布日期:2019-06-12\n去年全县森林覆盖率达到70%。", None),
        # no date, nothing to go by
        ("我县生态建设再上台阶\n城区空气质量优良率保持在98%以上。", None),
    ],
)
def test_a_dated_page_naming_no_time_is_about_the_year_it_was_written(g, text: str, expected: int | None) -> None:
    assert extraction.document_context(text, gazetteer=g).subject_year == expected


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        (
            "水环境质量逐渐趋好",
            "4月26日上午,宜昌市生态环境局举行新闻发布会,局长通报了2018年全市生态环境质量状况。",
            2018,
        ),
        ("青海环境状况", "6月3日,青海省环境保护厅召开新闻发布会,通报了2015年青海省环境状况相关情况。", 2015),
        ("湖南公报发布", "6月21日,湖南省生态环境厅发布《2022年湖南省生态环境状况公报》。", 2022),
        # a year a headline-less lead merely mentions is no subject
        ("水环境质量逐渐趋好", "与2017年相比,全市水质优良比例持平。", None),
        # the air-quality bulletin of a year, its month numerals lost in scraping
        ("月度通报", "生态环境部15日向媒体通报了2021年 和1— 全国环境空气质量状况。", 2021),
        ("水质通报", "省生态环境厅近日公布了2019年第二季度全省地表水水质状况。", 2019),
    ],
)
def test_subject_year_from_the_year_a_news_lead_presents(title: str, text: str, expected: int | None) -> None:
    assert years.subject_year(title, text) == expected


def test_a_caption_number_before_a_year_does_not_hide_the_year() -> None:
    # '附表1 2023年…' squeezed must not read 12023年
    assert years.subject_year("附表1 2023年1-6月全省城市水环境质量排名", "") == 2023
    assert years.squeeze("表 3  2024 年 6 月") == "表3 2024年6月"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("我市2022年2月份环境质量情况", 2022),
        ("天水市2019年1月县区环境空气质量由好到差排名情况", 2019),
        ("湖北省2021年1-3月环境空气质量重要数据通报", 2021),
        ("《2022湖南省生态环境状况公报》发布|当前短讯", 2022),
        ("2018福建省生态环境状况公报", 2018),
        ("全市2000多家企业完成整改工作", None),
        ("政府工作报告——2024年1月16日在濮阳市第八届人民代表大会第四次会议上", None),
    ],
)
def test_a_month_in_a_title_is_part_of_its_subject_year(title: str, expected: int | None) -> None:
    assert years.subject_year(title, "") == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # a headline writes its year without 年, before what the year did or what it sets
        ("守住碧水底线 2021取得新进展", 2021),
        ("明确2023水环境改善目标", 2023),
        ("蓝天保卫战2019交出满意答卷", 2019),
        # counts of things carry their measure word; a year with 年 is read as before
        ("城区新增绿地1998亩", None),
        ("全市2000多家企业完成整改工作", None),
        ("2022年全市空气质量排名 2023目标发布", 2022),
    ],
)
def test_a_headline_year_written_without_nian(title: str, expected: int | None) -> None:
    assert years.subject_year(title, "") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a note saying which year the figures are gives the year of a text that names none
        ("全县森林面积达到9000公顷。\n附注:\n1、本公报部分数据为2021年快报数据。", 2021),
        ("截至6月底,全市优良天数为120天。\n备注:以上数据为2019年1月1日至6月30日均值。", 2019),
        ("全区造林面积500公顷。\n说明:表中数据均为2020年监测结果。", 2020),
        # a note naming a source, not a year, says nothing
        ("全区造林面积500公顷。\n备注:以上数据来源于区统计局。", None),
    ],
)
def test_a_note_naming_the_year_of_the_data_gives_the_subject_year(text: str, expected: int | None) -> None:
    assert years.subject_year(None, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # undated, about part of a year, naming only the same part of one earlier year: written the year after
        ("通讯社7月18日电 与2018年同期相比,上半年全市优良天数比例上升3.2个百分点。", 2019),
        ("1-9月,全县PM2.5浓度为35微克/立方米,较2020年同期下降5%。", 2021),
        # several base years (a fixed base year besides last year's): no one year of writing
        ("上半年,优良率与2016年同期相比上升2%,PM2.5浓度与2013年同期相比下降11%。", None),
        # a base without 同期 may be any earlier year
        ("上半年,全市PM2.5浓度与2015年相比下降20%。", None),
    ],
)
def test_reference_year_of_an_undated_part_year_text_comparing_with_the_same_period(
    g, text: str, expected: int | None
) -> None:
    ctx = extraction.document_context(text, gazetteer=g)
    assert extraction.reference_year(ctx, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a page of 2019 on what was achieved since the plan began: 2019, not the plan's last year (a target)
        (
            "某县生态环境分局\n发布日期:2019-06-12\n“十三五”以来,全县优良天数比例提高到88.6%,PM2.5浓度累计下降19%。",
            {("air.good_days_ratio", 2019, "actual"), ("air.pm25_mean", 2019, "change_pct")},
        ),
        # a bulletin on 2020 published in 2021: its own year
        (
            "某市2020年环境状况公报\n发布日期:2021-05-30\n“十三五”以来,全市PM2.5浓度累计下降26%。",
            {("air.pm25_mean", 2020, "change_pct")},
        ),
    ],
)
def test_figures_since_a_plan_began_run_to_the_time_of_writing(g, text: str, expected: set) -> None:
    ctx = extraction.document_context(text, gazetteer=g)
    facts = extraction.extract_facts(text, ctx, gazetteer=g)
    assert {(f.indicator_code, f.year, f.value_kind) for f in facts} == expected


# -- regions that are no administrative area -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "河北省2020年环境状况公报\n2020年,京津冀及周边地区PM2.5平均浓度为51微克/立方米。"
            "全省PM2.5平均浓度为44.8微克/立方米。",
            {("河北省", 44.8)},
        ),
        ("河北省2020年环境状况公报\n2020年,汾渭平原PM2.5平均浓度为48微克/立方米。", set()),
        ("安徽省2020年环境状况公报\n2020年,长三角地区41个城市优良天数比例为85.2%。", set()),
        ("青海省2015年环境状况公报\n2015年,以西宁市为重点的东部城市群环境空气质量优良率为77.6%。", set()),
        ("河南省2020年环境状况公报\n2020年,黄河流域国控断面水质优良比例为76.2%。", set()),
        # a page of no area goes on about the region its sentence before opened with: a target met there
        # ('发生重污染…，超额完成…同比下降3%的改善目标') is the region's too
        (
            "秋冬季重点区域空气质量改善\n近日,生态环境部通报了秋冬季目标完成情况。\n"
            "其中,汾渭平原PM2.5平均浓度为66微克/立方米,同比下降8.1%。"
            "发生重污染120天次,同比下降30.2%,超额完成PM2.5平均浓度同比下降3%的改善目标。",
            set(),
        ),
        # ... or whose sentence before named nothing but a region
        (
            "上半年大气污染防治成效\n从重点区域看,汾渭平原11个城市空气质量有所反弹。1至6月,平均优良天数比例为52.3%,"
            "同比下降4.1个百分点。",
            set(),
        ),
        # an average over the province's cities is the province's
        ("安徽省2020年环境状况公报\n2020年,全省16个地级市平均优良天数比例为82.9%。", {("安徽省", 82.9)}),
        # a development zone ranked among districts is none of them: its figure goes to no area
        (
            "潍坊市2024年3月空气质量通报\nPM10 |\n"
            "经开区(81微克/立方米)、奎文区(77微克/立方米)、坊子区(70微克/立方米) |",
            {("奎文区", 77.0), ("坊子区", 70.0)},
        ),
    ],
)
def test_figures_of_regions_that_are_no_area_are_not_facts(g, text: str, kept: set) -> None:
    ctx = extraction.document_context(text, gazetteer=g)
    assert {(f.region_name, f.number) for f in extraction.extract_facts(text, ctx, gazetteer=g)} == kept


@pytest.mark.parametrize(
    ("text", "regions"),
    [
        ("京津冀及周边省份中均为最大", ["京津冀及周边省份"]),
        ("改善幅度居全国第3位、长三角第1位", ["长三角"]),
        ("推进成渝地区双城经济圈生态共建", ["成渝地区双城经济圈"]),
        ("澄城县西河属于黄河流域渭河水系", ["黄河流域"]),
        ("安阳市、鹤壁市空气质量持续改善", []),
        ("高新区(4.41)、临淄区(4.12)", ["高新区"]),
        ("依托洛阳高新技术产业开发区和化工园区", ["高新技术产业开发区", "化工园区"]),
        ("浦东新区优良天数为330天", []),  # a 新区 that is a district
    ],
)
def test_find_regions(text: str, regions: list[str]) -> None:
    assert [text[a:b] for a, b in find_regions(text)] == regions


# -- sub-areas in lists and tables -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "各县区优良天数依次是:张家川(25天)、秦州(24天)、清水(23天)、武山(22天)",
            ["张家川回族自治县", "秦州区", "清水县", "武山县"],
        ),
        ("清水 | 23 | 5\n武山 | 22 | 6", ["清水县", "武山县"]),
        ("清水河水质为优,武山县优良天数22天", ["武山县"]),  # a river, not the county
        ("清水(23天)", []),  # an ordinary word alone is no place
    ],
)
def test_ordinary_words_listed_among_their_sibling_counties(g, text: str, names: list[str]) -> None:
    tianshui = g.by_name("天水市")
    assert [a.name for _, _, a in g.find_mentions(text, context=tianshui)] == names


def test_the_extract_stage_hands_the_running_headers_to_the_context() -> None:
    """The PDF reader takes '大连市生态环境局' off every page; the document is still 大连's."""
    from pipelines import stages

    text = "2024年生态环境状况公报\n\n一、环境空气\n全市优良天数比例为91%。"
    header = {"start": 0, "end": 8, "reason": "running_header", "text": "大连市生态环境局", "page": 1}
    read_row = {"content_hash": "h", "pages": [], "removals": [header]}
    clean_row = {
        "simplified_text": text,
        "clean_text": text,
        "segments": [{"clean_start": 0, "source_start": 0, "length": len(text)}],
    }
    _, context = stages.extract_one(read_row, clean_row)
    assert context["area_name"] == "大连市"
