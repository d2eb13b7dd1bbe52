"""The clean stage: noise removed by rule, body kept, offsets traceable to the input."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.core.cleaning import REASONS, clean_text, to_simplified
from pipelines.core.models import CleanResult
from tests.conftest import RAW
from tests.noise_eval import load_fixtures, score

SEEDS = RAW  # raw/ holds the seed corpus, so these tests need nothing outside the repository


def seed(name: str) -> str:
    path = next(SEEDS.glob(f"{name}_*.txt"))
    return unicodedata.normalize("NFKC", path.read_text(encoding="utf-8")).replace("\r\n", "\n")


def removed(result: CleanResult, reason: str) -> str:
    return "".join(r.text for r in result.removals if r.reason == reason)


def assert_consistent(source: str, result: CleanResult) -> None:
    """Every clean character maps to the same input character; removals and segments tile the input."""
    assert len(result.simplified) == len(result.text)
    for i, ch in enumerate(result.text):
        assert source[result.to_source(i)] == ch
    pieces = [(r.start, r.end) for r in result.removals] + [(s, s + n) for _, s, n in result.segments]
    pos = 0
    for start, end in sorted(pieces):
        assert start == pos and end > start
        pos = end
    assert pos == len(source)
    clean_pos = 0
    for clean_start, source_start, length in result.segments:
        assert clean_start == clean_pos
        assert result.text[clean_start : clean_start + length] == source[source_start : source_start + length]
        clean_pos += length
    assert clean_pos == len(result.text)
    for r in result.removals:
        assert r.text == source[r.start : r.end] and r.reason in REASONS


# ------------------------------------------------------------------------------ real seeds


@pytest.fixture(scope="module")
def anshan() -> tuple[str, CleanResult]:
    text = seed("002")
    return text, clean_text(text)


@pytest.fixture(scope="module")
def fuxin() -> tuple[str, CleanResult]:
    text = seed("003")
    return text, clean_text(text)


def test_seed_seo_block_and_headline_run_removed_apart(anshan: tuple[str, CleanResult]) -> None:
    _, r = anshan
    assert "湘潭外贸网站制作多少钱" in removed(r, "seo_spam")
    assert "恒大被罚41.75亿到底怎么缴" in removed(r, "headline_run")
    assert "歼20紧急升空" not in removed(r, "seo_spam")  # the split falls where the headlines start
    assert "PHP网站源码" not in r.text and "XML地图" not in r.text


def test_seed_navigation_meta_and_images(anshan: tuple[str, CleanResult]) -> None:
    _, r = anshan
    assert "您的位置" in removed(r, "navigation")
    assert "640 (1).png" in removed(r, "image_filename") and "640.png" in removed(r, "image_filename")
    assert "点击:" in removed(r, "page_meta") and "点击" not in r.text
    assert "时间:2022-09-16来源:鞍山市生态环境局" in r.text  # date and issuer stay


def test_seed_body_kept(anshan: tuple[str, CleanResult]) -> None:
    _, r = anshan
    for body in (
        "笃定前行砥砺奋进 污防攻坚三战三捷",
        "鞍山市考核结果再次被评为优秀等级",
        "台安县22个纳污坑塘全部完成整治工作",
        "以实实在在的工作成效迎接党的二十大胜利召开",
    ):
        assert body in r.text


def test_seed_metadata_line_keeps_date_and_issuer(fuxin: tuple[str, CleanResult]) -> None:
    _, r = fuxin
    assert r.text.splitlines()[2] == "日期: 2023-08-15 来源:阜新市人民政府办公室"
    assert "浏览量:2154" in removed(r, "page_meta") and "责任编辑:李艳" in removed(r, "page_meta")
    assert "文字大小" in removed(r, "navigation")


def test_seed_tail_chrome_and_image_names(fuxin: tuple[str, CleanResult]) -> None:
    text, r = fuxin
    assert r.text.rstrip().endswith("分别对本规划执行情况开展中期评估和总结评估。")
    assert "返回列表" in removed(r, "navigation") and "政策解读" in removed(r, "navigation")
    assert text.count(".png") == removed(r, "image_filename").count(".png") == 9
    assert "PM2.5浓度由2015年的49μg/m3下降到36μg/m3" in r.text
    assert "阜新市“十四五”生态环境保护规划" in r.text.splitlines()[0]


@pytest.mark.parametrize(("name", "file_type"), [("000", "pdf"), ("001", "pdf"), ("004", "pdf"), ("004", "txt")])
def test_seed_reports_without_noise_are_untouched(name: str, file_type: str) -> None:
    text = seed(name)
    r = clean_text(text, file_type=file_type)
    assert r.removals == [] and r.text == text


@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_seed_offsets_consistent(name: str) -> None:
    text = seed(name)
    assert_consistent(text, clean_text(text))


# ------------------------------------------------------------------------------ one rule each


def test_spam_headers_removed_body_kept() -> None:
    text = (
        "澳门新葡京娱乐城 官方网站\n亚洲成人 av在线\n真人百家乐 注册送彩金\nwww.88567.com 最新地址\n"
        "全县空气质量优良天数为301天。\n文化娱乐场所噪声扰民投诉同比下降12%。\n"
    )
    r = clean_text(text)
    assert r.text == "全县空气质量优良天数为301天。\n文化娱乐场所噪声扰民投诉同比下降12%。\n"
    assert {x.reason for x in r.removals} == {"spam_header"}


def test_seo_run_glued_to_body_line() -> None:
    body = "全市PM2.5平均浓度为35微克/立方米，同比下降5.4%。"
    text = body + "长沙网站建设哪家好株洲seo优化报价湘潭网站推广公司衡阳网站制作多少钱\n"
    r = clean_text(text)
    assert r.text == body + "\n"
    assert removed(r, "seo_spam").startswith("长沙网站建设")


def test_prose_mentioning_websites_is_not_seo() -> None:
    text = "征求意见稿已在县政府网站公开，公众可通过网站留言、电话等方式反馈，推广应用优化后的系统。\n"
    assert clean_text(text).text == text


def test_headline_run_with_figures_removed() -> None:
    run = (
        "某地发布暴雪橙色预警小伙外卖途中救下落水儿童男篮亚洲杯预选赛名单公布多地楼市新政密集出台"
        "退休人员基本养老金再上调3%国足主帅谈新年目标千年古树被盗挖嫌疑人落网电动自行车新国标正式实施"
        "某品牌奶粉召回最新进展冬季流感高发期如何防护景区门票价格下调20元"
    )
    text = f"全年优良天数226天，同比增加14天。\n{run}\n"
    r = clean_text(text)
    assert r.text == "全年优良天数226天，同比增加14天。\n"
    assert removed(r, "headline_run").strip() == run


def test_long_titles_and_citations_are_not_headlines() -> None:
    text = (
        "对本级政府及其部门落实《中华人民共和国大气污染防治法》《中华人民共和国水污染防治法》"
        "《中华人民共和国土壤污染防治法》《中华人民共和国固体废物污染环境防治法》情况开展了执法检查。\n"
        "出席：张明 李华 王芳 赵强 刘洋 陈静 杨帆 黄磊 周敏 吴刚 "
        "徐丽 孙伟 马超 朱琳 胡军 郭峰 何平 高洁 林涛\n"
    )
    assert clean_text(text).text == text


def test_procedural_headings_that_look_like_chrome_are_body() -> None:
    text = (
        "二、审核：对申报材料进行审核\n（三）阅读：推进全民阅读\n位置优越，交通便利\n"
        "位置：北纬41°、东经122°\n太阳城片区污水管网改造\n评论\n"
    )
    r = clean_text(text)
    assert r.text == text.replace("评论\n", "")


def test_pinyin_readings_removed_real_parentheses_kept() -> None:
    text = "全年空氣質(zhì)量優良天數（shù）為287天(287天中僅1天重度污染)，細顆粒物(PM2.5)按(試行)辦法監測(lǜ)。\n"
    r = clean_text(text)
    assert r.text == "全年空氣質量優良天數為287天(287天中僅1天重度污染)，細顆粒物(PM2.5)按(試行)辦法監測。\n"
    assert r.simplified == "全年空气质量优良天数为287天(287天中仅1天重度污染)，细颗粒物(PM2.5)按(试行)办法监测。\n"
    assert [x.text for x in r.removals] == ["(zhì)", "（shù）", "(lǜ)"]
    assert clean_text("二氧化硫(SO2)、化学需氧量(cod)、空气质量指数(AQI)\n").removals == []


def test_navigation_chrome_of_several_cms() -> None:
    text = (
        "首页 | 政务公开 | 新闻中心 | 办事服务 | 互动交流\n"
        "当前位置：首页 > 新闻中心 > 工作动态\n"
        "盘锦市召开生态环境保护工作会议\n"
        "发布时间：2024-02-06　　浏览次数：1387　　【字体：大 中 小】\n"
        "会议通报，2023年全市PM2.5平均浓度为31微克/立方米。\n"
        "【打印本页】【关闭窗口】\n"
        "上一篇：关于开展2024年世界环境日宣传活动的通知\n"
        "下一篇：暂无\n"
        "相关阅读\n山东16市空气质量排名出炉\n济南启动重污染天气橙色预警\n"
        "标签：空气质量 蓝天保卫战\n"
        "精彩评论\n加载更多\n"
        "版权所有：盘锦市生态环境局　辽ICP备05001357号\n"
    )
    r = clean_text(text)
    assert r.text == (
        "盘锦市召开生态环境保护工作会议\n发布时间：2024-02-06\n会议通报，2023年全市PM2.5平均浓度为31微克/立方米。\n"
    )
    assert {x.reason for x in r.removals} == {"navigation", "page_meta"}


def test_wechat_repost_furniture() -> None:
    text = (
        "点击上方蓝字关注我们\n2023年全省PM2.5平均浓度为33微克/立方米。\n"
        "阅读原文\n预览时标签不可点\n微信扫一扫\n关注该公众号\n江苏生态环境\n继续滑动看下一个\n轻触阅读原文\n"
    )
    assert clean_text(text).text == "2023年全省PM2.5平均浓度为33微克/立方米。\n"


def test_epaper_edition_chrome_keeps_the_date() -> None:
    text = "版面导航\n2024年03月12日 第A4版：综合新闻  上一版  下一版\n全国PM2.5平均浓度为50微克/立方米。\n"
    r = clean_text(text)
    assert r.text == "2024年03月12日\n全国PM2.5平均浓度为50微克/立方米。\n"
    assert removed(r, "page_meta").split() == ["版面导航", "第A4版：综合新闻", "上一版", "下一版"]


def test_image_filenames() -> None:
    text = "微信图片_20240508101112.png\n图1 2023年各月PM2.5浓度变化.jpeg\n见下表 IMG_5562.JPG。附件：排名.xlsx\n"
    r = clean_text(text)
    assert r.text == "见下表。附件：排名.xlsx\n"
    assert {x.reason for x in r.removals} == {"image_filename"}


def test_doubled_page_keeps_first_copy() -> None:
    page = (
        "海陵区2023年环境质量状况\n发布日期：2024-03-18 浏览：221\n"
        "2023年，海陵区空气质量优良天数比率为82.5%，同比上升3.1个百分点。PM2.5年均浓度为31.6微克/立方米。\n"
        "全区集中式饮用水水源地水质达标率100%。\n"
    )
    text = page + "\n" + page.replace("浏览：221", "浏览：222")
    r = clean_text(text)
    assert r.text.count("优良天数比率为82.5%") == 1 and r.text.count("达标率100%") == 1
    assert r.text.startswith("海陵区2023年环境质量状况\n发布日期：2024-03-18\n2023年")
    assert "海陵区空气质量优良天数比率" in removed(r, "duplicate_block")


def test_short_repeated_lines_are_not_duplicates() -> None:
    text = (
        "表1 主要污染物浓度\n单位：微克/立方米\nPM2.5 | 45\n"
        "表2 各县PM2.5浓度\n单位：微克/立方米\n舞钢市 | 38\n一、大气环境\n一、大气环境\n"
    )
    assert clean_text(text).removals == []


def test_pdf_lines_do_not_trigger_web_list_rules() -> None:
    text = "热点新闻\n全县PM2.5平均浓度为4\n1.2微克/立方米\n同比下降6.8%\n"
    r = clean_text(text, file_type="pdf")
    assert r.text == "全县PM2.5平均浓度为4\n1.2微克/立方米\n同比下降6.8%\n"


def test_spam_glued_to_a_body_sentence_is_cut_out_of_the_line() -> None:
    body = "2023年，全市优良天数比例为98.4%，PM2.5年均浓度为24微克/立方米。"
    text = (
        f"{body}澳门新葡京娱乐场官网www.35222.com真人百家乐注册送38元彩金\n"
        "开云体育(中国)官方网站·IOS/安卓通用版/手机APP下载\n"
        "新澳门天天开彩免费资料大全 | 管家婆一肖一码100准\n"
        "对城区12家棋牌室和KTV开展噪声专项检查，办结率100%。\n"
    )
    r = clean_text(text)
    assert r.text == f"{body}\n对城区12家棋牌室和KTV开展噪声专项检查，办结率100%。\n"
    assert {x.reason for x in r.removals} == {"spam_header"}


def test_copy_wrapped_at_other_points_is_a_duplicate() -> None:
    para = (
        "2023年，衡水市PM2.5平均浓度为44微克/立方米，同比下降6.4%；优良天数比例为68.8%。重污染天数为7天，同比减少5天。"
    )
    title = "衡水市2023年环境空气质量公报"
    text = f"{title}\n\n　　{para}\n\n{title}\n{para[:30]}\n{para[30:55]}\n{para[55:]}\n"
    r = clean_text(text)
    assert r.text == f"{title}\n\n　　{para}\n\n"
    assert {x.reason for x in r.removals} == {"duplicate_block"}


def test_banners_trails_and_left_menus_but_not_issuers_or_process_flows() -> None:
    text = (
        "浙江省生态环境厅\nZhejiang Provincial Department of Ecology and Environment\n"
        "首页 | 机构概况 | 新闻动态 | 信息公开 | 互动交流\n"
        "信息公开目录\n政策文件\n规划信息\n统计数据\n财政预决算\n"
        "人民网 >> 环保 >> 正文\n"
        "关于印发大气污染防治工作方案的通知\n"
        "沈阳市浑南区人民政府办公室\n"
        "企业申报 > 街道初审 > 区生态环境分局复核 > 公示\n"
        "全区PM2.5平均浓度控制在36微克/立方米以下。\n"
    )
    r = clean_text(text)
    assert r.text == (
        "关于印发大气污染防治工作方案的通知\n沈阳市浑南区人民政府办公室\n"
        "企业申报 > 街道初审 > 区生态环境分局复核 > 公示\n全区PM2.5平均浓度控制在36微克/立方米以下。\n"
    )


def test_self_media_account_bar_and_widgets() -> None:
    text = (
        "齐鲁壹点\n关注\n2024-07-03 18:42 发布于山东 齐鲁晚报·齐鲁壹点官方账号\n"
        "不少市民在朋友圈分享蓝天白云的照片，PM2.5浓度为41微克/立方米！#济南蓝# 网页链接\n"
        "举报/反馈\n作者最新文章\n济南多地发布高温橙色预警\n山东高校录取分数线陆续公布\n济南地铁6号线最新进展来了\n"
    )
    r = clean_text(text)
    assert r.text == "2024-07-03 18:42\n不少市民在朋友圈分享蓝天白云的照片，PM2.5浓度为41微克/立方米！\n"


def test_closing_issuer_and_date_are_not_a_link_list() -> None:
    text = (
        "全年优良天数226天，同比增加14天。\n盘锦市生态环境局\n2024年2月5日\n附件：排名.xlsx\n【打印本页】【关闭窗口】\n"
    )
    assert clean_text(text).text == text.replace("【打印本页】【关闭窗口】\n", "")


def test_zhuyin_readings_removed() -> None:
    r = clean_text("紅色警戒（ㄐㄧㄥˇ）站日數（ㄕㄨˋ）為38站日。\n")
    assert r.text == "紅色警戒站日數為38站日。\n" and {x.reason for x in r.removals} == {"pinyin"}


def test_never_raises_on_odd_input() -> None:
    for text in ("", "\n\n", "\ud800質(zhì)量", "\x00" * 5, "a" * 5000, "。" * 300, "网站" * 400):
        r = clean_text(text)
        assert len(r.simplified) == len(r.text)


# ------------------------------------------------------------------------------ properties

_ALPHABET = st.sampled_from(
    [
        *"質量天數環境优良空气水",
        "(zhì)",
        "（shù）",
        "(PM2.5)",
        "(287天)",
        "。",
        "，",
        " ",
        "\n",
        "\n\n",
        "浏览量:12 ",
        "责任编辑:李艳",
        "打印 分享 返回列表",
        "您的位置: 首页 > 部门动态",
        "640 (1).png",
        "长沙网站建设哪家好",
        "澳门新葡京娱乐城",
        "上一篇:",
        "优良天数226天，同比增加14天。",
        "PM2.5平均浓度为35微克/立方米，同比下降5.4%。",
        "歼20紧急升空逼退外机英媒称团队夜以继日筹划王妃复出",
        "2023-08-15",
        "乾隆",
        "\ud800",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join))
def test_property_offsets_map_back_and_tile_the_input(text: str) -> None:
    assert_consistent(text, clean_text(text))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x3400, max_codepoint=0x9FFF) | st.sampled_from("\n ,.a1")))
def test_property_simplified_twin_has_same_length(text: str) -> None:
    assert len(to_simplified(text)) == len(text)


# ------------------------------------------------------------------------------ labelled pages


def test_fixture_pages_precision_recall_and_body_kept() -> None:
    fixtures = load_fixtures()
    assert len(fixtures) >= 20
    sc = score(fixtures)
    assert sc.recall >= 0.95, sc.misses
    assert sc.precision >= 0.95, sc.false_removals
    assert sc.kept == sc.snippets, sc.lost_snippets
    assert {r for f in fixtures for *_, r in f.noise} <= set(REASONS)
