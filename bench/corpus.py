"""A synthetic corpus of Chinese environmental reports, byte-identical for a given seed.

The benchmark needs thousands of documents that cost the pipeline what real ones cost: web
pages wrapped in CMS chrome and injected spam, files in the encodings scrapers bring home,
traditional script with pinyin readings, and multi-page PDFs with running headers, page
numbers and ruled tables. The sample documents in raw/ are copied as they are and reposted
with new chrome; the rest is filled from templates with real area names and figures drawn
from plausible ranges, so extraction meets about as many figures per kilobyte as in practice.
"""

from __future__ import annotations

import codecs
import csv
import math
import random
import re
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import opencc
import pypdfium2 as pdfium
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Table, TableStyle

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = PROJECT_ROOT / "raw"
AREAS_CSV = PROJECT_ROOT / "pipelines" / "data" / "areas.csv"

PDF_SHARE = 0.2
REPOST_SHARE = 0.05  # of text files: a sample document reposted on another site
TXT_BYTES = (3_000, 30_000)  # log-uniform target size of a text file
PDF_PAGES = (2, 8)
ENCODINGS = (("utf-8", 50), ("utf-8-sig", 15), ("gb18030", 20), ("utf-16", 15))
FONT = "STSong-Light"

# Kinds of noise a web page may carry, with the share of web pages that get each.
NOISE_SHARES = {
    "breadcrumb": 0.8,
    "page_meta": 0.85,
    "footer_chrome": 0.8,
    "prev_next": 0.5,
    "image_names": 0.3,
    "vertical_nav": 0.15,
    "seo_block": 0.1,
    "headline_run": 0.1,
    "spam_header": 0.05,
    "doubled_page": 0.05,
    "traditional_pinyin": 0.07,
}

Block = str | list[list[str]]  # a paragraph, or a table as rows of cells (first row: header)


@dataclass(frozen=True)
class Place:
    name: str  # 鞍山市, 彰武县
    short: str  # 鞍山, 彰武
    scope: str  # 全市, 全县, 全区, 全旗: how a document speaks of its own area


@dataclass
class Doc:
    style: str
    title: str
    header: str  # running header of the PDF rendering
    date: str  # publication date, 2024-05-31
    source: str  # publishing body
    sections: list[tuple[str | None, list[Block]]] = field(default_factory=list)

    def size(self) -> int:
        return sum(len(b) if isinstance(b, str) else 40 * len(b) for _, bs in self.sections for b in bs)


# ---------------------------------------------------------------- vocabularies

FILLER_SUBJECTS = ("{scope}", "各地各部门", "{short}生态环境部门", "各级党委政府", "相关职能部门", "我们")
FILLER_MEANS = (
    "坚持精准治污、科学治污、依法治污，",
    "强化部门协同和区域联动，",
    "压紧压实各方责任，",
    "以解决突出生态环境问题为导向，",
    "坚持问题导向和目标导向，",
    "",
)
FILLER_VERBS = (
    "深入贯彻",
    "认真落实",
    "持续推进",
    "扎实开展",
    "全面加强",
    "统筹推进",
    "积极推动",
    "大力实施",
)
FILLER_OBJECTS = (
    "习近平生态文明思想",
    "污染防治攻坚战各项任务",
    "中央生态环境保护督察反馈问题整改",
    "河湖长制",
    "林长制",
    "排污许可制度改革",
    "生态环境分区管控",
    "重点行业超低排放改造",
    "入河排污口排查整治",
    "农村人居环境整治",
    "固体废物和新污染物治理",
    "生态环境监测网络建设",
    "环境信息依法披露制度",
    "北方地区清洁取暖",
    "扬尘污染精细化管控",
    "柴油货车污染治理",
    "挥发性有机物综合治理",
    "饮用水水源地规范化建设",
    "土壤污染源头防控",
    "“无废城市”建设",
)
FILLER_RESULTS = (
    "生态环境质量持续改善",
    "群众生态环境获得感不断增强",
    "各项工作取得明显成效",
    "为高质量发展提供了有力支撑",
    "治理体系和治理能力进一步提升",
    "环境风险得到有效管控",
    "绿色发展底色更加鲜明",
)
FILLER_COUNTS = (
    "累计排查各类问题{n}个，完成整改{m}个。",
    "组织召开专题调度会议{m}次，印发工作方案{k}份。",
    "出动执法人员{n}人次，检查企业{m}家次。",
    "谋划重点项目{m}个，总投资{k}.{d}亿元。",
    "培训基层干部和企业环保负责人{n}人次。",
    "完成{m}家企业深度治理，淘汰落后产能项目{k}个。",
)
SECTIONS_WEB = ("部门动态", "工作动态", "环境质量", "通知公告", "政务公开", "新闻中心", "环保要闻")
NAV_MENU = ("首页", "新闻中心", "政务公开", "政务服务", "互动交流", "环境质量", "专题专栏", "联系我们")
EDITORS = ("张伟", "李娜", "王芳", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴霞", "admin")
SEO_TERMS = ("网站建设", "网站优化", "seo推广", "网站制作", "营销型网站建设", "关键词排名优化", "百度推广")
SEO_SUFFIXES = ("公司哪家好", "价格", "报价", "多少钱", "推荐", "费用", "哪家强")
HEADLINES = (
    "女子网购退货遭遇新型骗局",
    "多地发布寒潮蓝色预警",
    "春运火车票今起开售 这些变化要知道",
    "男子酒驾被查竟称自己在拍短视频",
    "网红餐厅被曝使用过期食材 官方回应",
    "某地一小区电梯故障困住8人",
    "专家提醒冬季谨防一氧化碳中毒",
    "高校毕业生就业服务月启动",
    "热门景区门票价格再下调",
    "两部门发布暴雪橙色预警",
    "小伙外卖途中救下落水儿童",
    "男篮亚洲杯预选赛名单公布",
    "多地楼市新政密集出台",
    "退休人员基本养老金再上调",
    "千年古树被盗挖嫌疑人落网",
    "电动自行车新国标正式实施",
    "某品牌奶粉召回最新进展",
    "冬季流感高发期如何防护",
    "明星夫妇官宣离婚引热议",
    "油价或迎年内最大涨幅",
)
SPAM_LINES = (
    "真人百家乐 注册送彩金 最高8888元",
    "威尼斯人官网 www.{n}vns.com 手机版下载",
    "澳门新葡京娱乐城 官方网站 信誉第一",
    "北京赛车pk10 在线投注 日赚千元",
    "亚洲成人在线视频 免费观看 高清无码",
    "太阳城娱乐 现金网 开户送体验金 {n}.com",
)
PINYIN = {"质": "zhì", "数": "shù", "国": "guó", "重": "zhòng", "率": "lǜ", "综": "zōng", "降": "jiàng"}
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
_HEADING_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)")
_HANGING = frozenset("，。、；：？！）》”’%")


# ---------------------------------------------------------------- figures


def _pct(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".") if x != 100 else "100"


def _change(rng: random.Random, low: float, high: float, unit: str = "个百分点") -> str:
    d = rng.uniform(low, high)
    return f"{'上升' if d >= 0 else '下降'}{abs(d):.1f}{unit}"


def _figures(rng: random.Random, year: int) -> dict[str, str]:
    """One document's figures, consistent with each other (ratio = days / days in the year)."""
    days = 366 if year % 4 == 0 else 365
    good = rng.randint(220, 350)
    pm25 = rng.randint(18, 68)
    forest = rng.uniform(8, 65)
    ratio = good / days * 100
    return {
        "good_days": str(good),
        "good_ratio": _pct(ratio),
        "good_change": _change(rng, -3, 6),
        "pm25": str(pm25),
        "pm25_down": _pct(rng.uniform(1, 15)),
        "pm10": str(pm25 + rng.randint(20, 45)),
        "no2": str(rng.randint(14, 42)),
        "so2": str(rng.randint(4, 22)),
        "o3": str(rng.randint(118, 182)),
        "co": f"{rng.uniform(0.7, 1.8):.1f}",
        "heavy": str(rng.randint(0, 12)),
        "ci": f"{rng.uniform(3.2, 6.8):.2f}",
        "sections": str(rng.randint(4, 30)),
        "water_good": _pct(rng.uniform(60, 100)),
        "inferior": rng.choice(("0", "0", _pct(rng.uniform(0.5, 8)))),
        "wqi": f"{rng.uniform(3.2, 6.5):.2f}",
        "wqi_better": _pct(rng.uniform(0.5, 9)),
        "drinking": rng.choice(("100", "100", _pct(rng.uniform(95, 99.9)))),
        "sewage": _pct(rng.uniform(92, 99.5)),
        "county_sewage": _pct(rng.uniform(88, 98)),
        "farmland": rng.choice(("100", _pct(rng.uniform(90, 99.9)))),
        "noise_day": _pct(rng.uniform(50, 57.5)),
        "traffic": _pct(rng.uniform(63.5, 69.8)),
        "afforest": _pct(rng.uniform(0.5, 25)),
        "forest": _pct(forest),
        "straw": _pct(rng.uniform(85, 96)),
        "manure": _pct(rng.uniform(75, 92)),
        "film": _pct(rng.uniform(80, 92)),
        "cases": str(rng.randint(20, 420)),
        "fines": _pct(rng.uniform(80, 3500)),
        "complaints": str(rng.randint(300, 9000)),
        "cod_cut": _pct(rng.uniform(2, 18)),
        "nh3_cut": _pct(rng.uniform(2, 18)),
        "nox_cut": _pct(rng.uniform(2, 18)),
        "renew": _pct(rng.uniform(5, 180)),
        "energy_cut": _pct(rng.uniform(2, 4.5)),
        "co2_cut": _pct(rng.uniform(15, 21)),
        "pm25_target": str(pm25 - rng.randint(2, 8)),
        "ratio_target": _pct(min(99.0, ratio + rng.uniform(0.5, 5))),
        "water_target": _pct(rng.uniform(70, 100)),
        "forest_target": _pct(forest + rng.uniform(0.3, 2)),
        "sewage_target": _pct(rng.uniform(95, 98)),
        "gdp": _pct(rng.uniform(4.5, 7)),
    }


SENTENCES: dict[str, tuple[str, ...]] = {
    "air": (
        "{year}年，{scope}环境空气质量优良天数为{good_days}天，优良天数比例为{good_ratio}%，同比{good_change}。"
        "细颗粒物(PM2.5)平均浓度为{pm25}微克/立方米，同比下降{pm25_down}%。",
        "{year}年{scope}空气质量优良天数比率{good_ratio}%，PM2.5年均浓度{pm25}μg/m³，PM10年均浓度{pm10}μg/m³，"
        "重污染天数{heavy}天。",
        "全年{scope}优良天数{good_days}天，PM2.5浓度{pm25}微克/立方米、同比下降{pm25_down}%，"
        "环境空气质量综合指数为{ci}。",
    ),
    "air_detail": (
        "二氧化氮年均浓度为{no2}微克/立方米，二氧化硫年均浓度为{so2}微克/立方米，"
        "臭氧日最大8小时平均浓度为{o3}微克/立方米，一氧化碳浓度为{co}毫克/立方米。",
        "可吸入颗粒物年均浓度{pm10}微克/立方米，臭氧浓度{o3}微克/立方米，重度及以上污染天数{heavy}天。",
    ),
    "water": (
        "{scope}{sections}个国考断面水质优良比例为{water_good}%，劣Ⅴ类水质断面比例为{inferior}%；"
        "县级及以上城市集中式饮用水水源地水质达标率为{drinking}%。",
        "地表水国考断面优良水质比例达到{water_good}%，城市水质指数为{wqi}，同比改善{wqi_better}%。",
        "{scope}城市生活污水处理率达到{sewage}%，县城污水处理率达到{county_sewage}%，"
        "饮用水水源地水质达标率保持{drinking}%。",
    ),
    "soil": (
        "受污染耕地安全利用率达到{farmland}%，重点建设用地安全利用率保持100%。",
        "{scope}受污染耕地安全利用率{farmland}%，污染地块安全利用率100%，土壤环境风险得到有效管控。",
    ),
    "noise": (
        "城市区域声环境昼间平均等效声级为{noise_day}分贝，道路交通声环境昼间平均等效声级为{traffic}分贝。",
        "区域环境噪声昼间平均等效声级{noise_day}dB(A)，道路交通噪声平均等效声级{traffic}dB(A)。",
    ),
    "eco": (
        "全年完成营造林面积{afforest}万亩，森林覆盖率达到{forest}%。",
        "{scope}森林覆盖率{forest}%，秸秆综合利用率达到{straw}%，畜禽粪污综合利用率达到{manure}%，农膜回收率{film}%。",
    ),
    "emissions": (
        "化学需氧量、氨氮、氮氧化物排放量分别比{prev}年下降{cod_cut}%、{nh3_cut}%和{nox_cut}%，完成年度减排任务。",
        "单位地区生产总值能耗下降{energy_cut}%，新增风电、光伏发电装机规模{renew}万千瓦。",
    ),
    "enforcement": (
        "全年共立案查处环境违法案件{cases}起，罚款金额{fines}万元；受理群众信访投诉{complaints}件，办结率100%。",
        "{scope}查处环境违法案件{cases}起，处罚金额{fines}万元。",
    ),
    "targets": (
        "到{target_year}年，{scope}细颗粒物(PM2.5)浓度控制在{pm25_target}微克/立方米以下，"
        "空气质量优良天数比例达到{ratio_target}%以上，基本消除重污染天气。",
        "地表水国考断面优良水质比例达到{water_target}%，城市生活污水集中收集率达到70%以上，"
        "城市污水处理率达到{sewage_target}%。",
        "森林覆盖率达到{forest_target}%，单位地区生产总值二氧化碳排放比{base}年降低{co2_cut}%。",
    ),
}


# ---------------------------------------------------------------- places


@cache
def _places() -> tuple[tuple[Place, ...], tuple[Place, ...]]:
    """Prefectures and counties of the shipped gazetteer."""
    prefectures, counties = [], []
    with AREAS_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["level"] not in ("prefecture", "county"):
                continue
            name = row["name"]
            short = (row["aliases"] or "").split("|")[0] or name
            scope = "全" + (name[-1] if name[-1] in "市县区旗" else "市")
            (prefectures if row["level"] == "prefecture" else counties).append(Place(name, short, scope))
    return tuple(prefectures), tuple(counties)


def _place(rng: random.Random) -> Place:
    prefectures, counties = _places()
    return rng.choice(prefectures if rng.random() < 0.7 else counties)


# ---------------------------------------------------------------- document templates


class _Writer:
    """Fills one document's templates from its place, year and figures."""

    def __init__(self, rng: random.Random, place: Place, year: int):
        self.rng = rng
        plan, base, target = ("十三五", 2015, 2020) if year <= 2017 else ("十四五", 2020, 2025)
        self.fields = _figures(rng, year) | {
            "city": place.name,
            "short": place.short,
            "scope": place.scope,
            "year": str(year),
            "prev": str(year - 1),
            "next": str(year + 1),
            "plan": plan,
            "base": str(base),
            "target_year": str(target),
        }

    def fill(self, template: str) -> str:
        return template.format(**self.fields)

    def say(self, topic: str) -> str:
        return self.fill(self.rng.choice(SENTENCES[topic]))

    def date(self, year: int, months: tuple[int, int] = (1, 12)) -> str:
        return f"{year}-{self.rng.randint(*months):02d}-{self.rng.randint(1, 28):02d}"

    def filler(self) -> str:
        rng = self.rng
        sentences = []
        for _ in range(rng.randint(2, 5)):
            if rng.random() < 0.3:
                n = rng.randint(30, 900)
                m, k = rng.randint(5, n), rng.randint(2, 60)
                sentences.append(rng.choice(FILLER_COUNTS).format(n=n, m=m, k=k, d=rng.randint(0, 9)))
            else:
                sentences.append(
                    self.fill(rng.choice(FILLER_SUBJECTS))
                    + rng.choice(FILLER_MEANS)
                    + rng.choice(FILLER_VERBS)
                    + rng.choice(FILLER_OBJECTS)
                    + "，"
                    + rng.choice(FILLER_RESULTS)
                    + "。"
                )
        return "".join(sentences)


def _bulletin(w: _Writer, year: int) -> Doc:
    f = w.fields
    doc = Doc(
        "bulletin",
        w.fill("{city}{year}年生态环境状况公报"),
        w.fill("{city}{year}年生态环境状况公报"),
        w.date(year + 1, (4, 6)),
        w.fill("{city}生态环境局"),
    )
    doc.sections = [
        ("一、大气环境", [w.say("air") + w.say("air_detail")]),
        ("二、水环境", [w.say("water")]),
        ("三、声环境", [w.say("noise")]),
        ("四、自然生态", [w.say("eco")]),
        ("五、土壤环境", [w.say("soil")]),
        ("六、污染减排与执法", [w.say("emissions"), w.say("enforcement")]),
    ]
    if w.rng.random() < 0.5:
        table = [
            ["指标", f"{year}年", "同比变化"],
            ["优良天数比例(%)", f["good_ratio"], f["good_change"].replace("个百分点", "")],
            ["PM2.5浓度(微克/立方米)", f["pm25"], f"下降{f['pm25_down']}%"],
            ["PM10浓度(微克/立方米)", f["pm10"], "—"],
            ["地表水优良水质比例(%)", f["water_good"], "—"],
            ["森林覆盖率(%)", f["forest"], "—"],
        ]
        doc.sections[0][1].extend([f"表1 {year}年主要环境质量指标", table])
    return doc


def _congress(w: _Writer, year: int) -> Doc:
    rng = w.rng
    session = f"{rng.choice('十一二三四五六七八')}届人大常委会第{rng.randint(3, 40)}次会议"
    title = w.fill("市人大常委会关于{city}{year}年度环境状况和环境保护目标完成情况报告的审议意见")
    doc = Doc("congress", title, w.fill("{city}人大常委会文件"), w.date(year + 1, (3, 6)), "市人大常委会")
    opening = w.fill(f"{doc.date}，市{session}听取和审议了《{{city}}{{year}}年度环境状况和环境保护目标完成情况报告》。")
    doc.sections = [
        (None, [opening, "会议认为，" + w.say("air") + w.say("water"), w.say("soil") + w.say("eco")]),
        ("会议指出，当前生态环境保护工作仍存在一些问题和不足。", [w.filler()]),
        ("为此，会议提出如下审议意见：", ["一、" + w.filler(), "二、" + w.filler(), "三、" + w.filler()]),
    ]
    return doc


def _government(w: _Writer, year: int) -> Doc:
    title = w.fill("{city}人民政府工作报告（{next}年）")
    doc = Doc("government", title, title, w.date(year + 1, (1, 2)), w.fill("{city}人民政府"))
    goals = w.fill(
        "{next}年经济社会发展的主要预期目标是：地区生产总值增长{gdp}%左右，单位地区生产总值能耗下降{energy_cut}%左右，"
        "PM2.5浓度控制在{pm25_target}微克/立方米以内，空气质量优良天数比例达到{ratio_target}%，主要污染物排放量持续下降。"
    )
    doc.sections = [
        (f"一、{year}年工作回顾", [w.filler(), w.say("air") + w.say("water")]),
        (f"二、{year + 1}年主要目标任务", [goals, w.filler()]),
    ]
    return doc


def _plan(w: _Writer, year: int) -> Doc:
    f = w.fields
    title = w.fill("{city}“{plan}”生态环境保护规划")
    doc = Doc("plan", title, title, w.date(year, (3, 11)), w.fill("{city}人民政府办公室"))
    table = [
        ["指标", f"{f['base']}年", f"{f['target_year']}年目标", "属性"],
        ["PM2.5浓度(微克/立方米)", f["pm25"], f"≤{f['pm25_target']}", "约束性"],
        ["空气质量优良天数比例(%)", f["good_ratio"], f"≥{f['ratio_target']}", "约束性"],
        ["地表水优良水质比例(%)", f["water_good"], f"≥{f['water_target']}", "约束性"],
        ["森林覆盖率(%)", f["forest"], f["forest_target"], "约束性"],
        ["城市污水处理率(%)", f["sewage"], f["sewage_target"], "预期性"],
    ]
    targets = [w.fill(t) for t in SENTENCES["targets"]]
    doc.sections = [
        ("一、发展基础", [w.filler(), w.say("air"), w.say("water")]),
        ("二、主要目标", ["".join(targets), f"表1 “{f['plan']}”生态环境保护主要指标", table]),
        ("三、重点任务", [w.filler(), w.filler()]),
    ]
    return doc


def _bureau(w: _Writer, year: int) -> Doc:
    month = w.rng.randint(3, 11)
    title = w.fill(f"{{city}}生态环境局关于{{year}}年1—{month}月重点工作进展情况的报告")
    doc = Doc("bureau", title, w.fill("{city}生态环境局"), w.date(year, (month + 1, month + 1)), "生态环境局")
    air = w.say("air").replace(f"{year}年", f"1—{month}月", 1)
    doc.sections = [
        ("一、主要工作完成情况", [f"1.大气污染防治。{air}", f"2.水污染防治。{w.say('water')}"]),
        (None, [f"3.执法监管。{w.say('enforcement')}", f"4.生态保护。{w.say('eco')}"]),
        ("二、下一步工作打算", [w.filler()]),
    ]
    return doc


def _news(w: _Writer, year: int) -> Doc:
    title = w.rng.choice(
        (
            "{short}：{year}年PM2.5浓度降至{pm25}微克/立方米",
            "{city}空气质量优良天数比例达{good_ratio}%",
            "{city}持续深入打好污染防治攻坚战",
            "{year}年{city}生态环境质量持续改善",
        )
    )
    doc = Doc("news", w.fill(title), "", w.date(year + 1, (1, 3)), w.rng.choice(("新华网", "日报", "融媒体中心")))
    lead = w.fill("记者从{city}生态环境局获悉，") + w.say("air")
    doc.sections = [(None, [lead, w.say("water") + w.say("enforcement"), w.filler()])]
    return doc


STYLES: dict[str, tuple[Callable[[_Writer, int], Doc], int]] = {  # builder, weight
    "bulletin": (_bulletin, 25),
    "congress": (_congress, 10),
    "government": (_government, 15),
    "plan": (_plan, 10),
    "bureau": (_bureau, 20),
    "news": (_news, 20),
}


def _compose(rng: random.Random, target_chars: int, samples: list[str], pdf: bool) -> Doc:
    """A document of one style, padded with filler and sample paragraphs to the target size."""
    names = [s for s in STYLES if not (pdf and s == "news")]
    style = rng.choices(names, weights=[STYLES[s][1] for s in names])[0]
    year = rng.randint(2015, 2024)
    writer = _Writer(rng, _place(rng), year)
    doc = STYLES[style][0](writer, year)
    while doc.size() < target_chars:
        _, blocks = rng.choice(doc.sections)
        blocks.insert(rng.randint(0, len(blocks)), rng.choice(samples) if rng.random() < 0.25 else writer.filler())
    return doc


# ---------------------------------------------------------------- text files


def _body_lines(doc: Doc) -> list[str]:
    lines = []
    for heading, blocks in doc.sections:
        if heading:
            lines.append(heading)
        for block in blocks:
            lines.extend(block.splitlines() if isinstance(block, str) else ["\t".join(r) for r in block])
    return lines


def _pdf_export(rng: random.Random, doc: Doc) -> str:
    """Text as PDF converters save it: hard-wrapped lines, spaces around numbers, blank lines."""
    width = rng.randint(24, 32)
    spaced = [
        _NUMBER_RE.sub(lambda m: f" {m.group()} " if rng.random() < 0.6 else m.group(), s) for s in _body_lines(doc)
    ]
    wrapped = [line[i : i + width] for line in [doc.title, *spaced] for i in range(0, max(len(line), 1), width)]
    return "\n\n".join(wrapped) + "\n"


def _plain(rng: random.Random, doc: Doc) -> str:
    indent = rng.choice(("", "　　", "  "))
    sep = rng.choice(("\n", "\n\n"))
    lines = [doc.title, "", f"{doc.source}  {doc.date}", ""]
    lines += [line if _HEADING_RE.match(line) else indent + line for line in _body_lines(doc)]
    return sep.join(lines) + "\n"


def _seo_block(rng: random.Random) -> str:
    prefectures, _ = _places()
    return "".join(
        rng.choice(prefectures).short + rng.choice(SEO_TERMS) + rng.choice(SEO_SUFFIXES)
        for _ in range(rng.randint(10, 20))
    )


def _web_page(rng: random.Random, doc: Doc, body: list[str], noise: list[str]) -> str:
    """A scraped CMS page around `body`: the chrome kinds drawn for this page, in page order."""

    def has(kind: str) -> bool:
        if rng.random() < NOISE_SHARES[kind]:
            noise.append(kind)
            return True
        return False

    top: list[str] = []
    if has("spam_header"):
        top += [line.format(n=rng.randint(100, 9999)) for line in rng.sample(SPAM_LINES, rng.randint(2, 4))]
    if has("vertical_nav"):
        top += list(NAV_MENU)
    section = rng.choice(SECTIONS_WEB)
    if has("breadcrumb"):
        top.append(
            rng.choice(
                (
                    "您的位置: 首页 > {s}",
                    "当前位置：首页 >> {s} >> 正文",
                    "您现在的位置：网站首页 > 信息公开 > {s}",
                )
            ).format(s=section)
        )
    top.append(doc.title)
    if has("page_meta"):
        top.append(
            rng.choice(
                (
                    "时间:{d}来源:{src}作者:点击:",
                    "发布日期：{d}  浏览量:{n}  来源：{src}  责任编辑：{e}  字号：大 中 小",
                    "日期: {d} 浏览量:{n} 来源:{src} 责任编辑:{e} 文字大小:",
                    "{d}  来源：{src}  【字体：大 中 小】【打印】【关闭】",
                )
            ).format(d=doc.date, src=doc.source, n=rng.randint(20, 9999), e=rng.choice(EDITORS))
        )
    middle = list(body)
    if has("image_names"):
        for _ in range(rng.randint(1, 3)):
            name = rng.choice(("640.png", "微信图片_{d}{n}.jpg", "IMG_{n}.JPG", "图片{k}.png", "640 (2).jpeg"))
            middle.insert(
                rng.randint(0, len(middle)),
                name.format(d=doc.date.replace("-", ""), n=rng.randint(1000, 999999), k=rng.randint(1, 9)),
            )
    if has("headline_run"):
        joiner = rng.choice((" ", ""))
        middle.insert(
            rng.randint(len(middle) // 2, len(middle)), joiner.join(rng.sample(HEADLINES, rng.randint(8, 12)))
        )
    bottom: list[str] = []
    if has("seo_block"):
        bottom.append(_seo_block(rng))
    if has("footer_chrome"):
        bottom.append(
            rng.choice(("打印 分享 返回列表", "【打印本页】【关闭窗口】", "分享到：微信 微博 QQ空间", "返回顶部"))
        )
    if has("prev_next"):
        bottom += [f"上一篇：{rng.choice(HEADLINES)}", f"下一篇：{rng.choice(HEADLINES)}"]
    bottom.append(f"责任编辑：{rng.choice(EDITORS)}")
    page = "\n\n".join([*top, *middle, *bottom])
    if has("doubled_page"):
        page = page + "\n\n" + page
    if has("traditional_pinyin"):
        page = _traditional(rng, page)
    return page + "\n"


def _traditional(rng: random.Random, text: str) -> str:
    """Traditional script with a few inline pinyin readings, as Hong Kong and Macau reposts show."""
    with_readings = "".join(f"{c}({PINYIN[c]})" if c in PINYIN and rng.random() < 0.15 else c for c in text)
    return _s2t().convert(with_readings)


@cache
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def _encode(text: str, encoding: str, crlf: bool) -> bytes:
    if crlf:
        text = text.replace("\n", "\r\n")
    if encoding == "utf-16":  # explicit little-endian with BOM: the same bytes on every machine
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return text.encode(encoding)


# ---------------------------------------------------------------- PDFs


@dataclass(frozen=True)
class _PageStyle:
    """Page geometry of one office template; a few dozen of them cover the corpus."""

    size: float
    leading: float
    margin_x: float
    margin_y: float
    header_rule: bool
    header_on_first: bool

    @property
    def column(self) -> float:
        return A4[0] - 2 * self.margin_x

    def chars_per_page(self) -> int:
        return int(self.column / self.size) * int((A4[1] - 2 * self.margin_y) / self.leading)


def _page_style(rng: random.Random) -> _PageStyle:
    size = rng.choice((12.0, 14.0, 15.0, 16.0))
    return _PageStyle(
        size=size,
        leading=size * rng.choice((1.6, 1.8, 2.0)),
        margin_x=rng.choice((72.0, 80.0, 90.0)),
        margin_y=rng.choice((72.0, 80.0, 90.0)),
        header_rule=rng.random() < 0.5,
        header_on_first=rng.random() < 0.5,
    )


@cache
def _glyph_width(char: str) -> float:
    return pdfmetrics.stringWidth(char, FONT, 1.0)


def _wrap(text: str, width: float, size: float, indent: float) -> list[tuple[str, float]]:
    """Hard-wraps by glyph width as word processors do, letting closing punctuation hang."""
    lines: list[tuple[str, float]] = []
    current, used, offset = "", indent, indent
    for char in text:
        w = _glyph_width(char) * size
        if current and used + w > width and char not in _HANGING:
            lines.append((current, offset))
            current, used, offset = "", 0.0, 0.0
        current += char
        used += w
    if current:
        lines.append((current, offset))
    return lines


class _PdfWriter:
    """Draws a report page by page: running header, body lines, ruled tables, '— N —' footers."""

    def __init__(self, path: Path, style: _PageStyle, header: str):
        if FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        self.pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
        self.style = style
        self.header = header
        self.page = 1
        self.y = self._top()

    def _top(self) -> float:
        return A4[1] - self.style.margin_y

    def _furniture(self) -> None:
        s, pdf = self.style, self.pdf
        pdf.setFont(FONT, 10.5)
        if self.header and (self.page > 1 or s.header_on_first):
            # pdfium drops a text object of one glyph of a non-embedded CJK font: end lines with a space
            pdf.drawCentredString(A4[0] / 2, A4[1] - s.margin_y + 30, self.header + " ")
            if s.header_rule:
                pdf.line(s.margin_x, A4[1] - s.margin_y + 24, A4[0] - s.margin_x, A4[1] - s.margin_y + 24)
        pdf.drawCentredString(A4[0] / 2, s.margin_y - 40, f"— {self.page} — ")

    def _break(self) -> None:
        self._furniture()
        self.pdf.showPage()
        self.page += 1
        self.y = self._top()

    def _room(self, height: float) -> None:
        if self.y - height < self.style.margin_y:
            self._break()

    def title(self, text: str) -> None:
        size = self.style.size + 6
        for line, _ in _wrap(text, self.style.column, size, 0.0):
            self._room(size * 1.8)
            self.pdf.setFont(FONT, size)
            self.pdf.drawCentredString(A4[0] / 2, self.y - size, line + " ")
            self.y -= size * 1.8
        self.y -= self.style.leading / 2

    def paragraph(self, text: str) -> None:
        s = self.style
        indent = 0.0 if _HEADING_RE.match(text) else 2 * s.size
        for line, offset in _wrap(text, s.column, s.size, indent):
            self._room(s.leading)
            self.pdf.setFont(FONT, s.size)
            self.pdf.drawString(s.margin_x + offset, self.y - s.size, line + " ")
            self.y -= s.leading

    def table(self, rows: list[list[str]]) -> None:
        s = self.style
        first = s.column * 0.42
        widths = [first] + [(s.column - first) / (len(rows[0]) - 1)] * (len(rows[0]) - 1)
        table = Table([[cell + " " for cell in row] for row in rows], colWidths=widths)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                    ("FONTNAME", (0, 0), (-1, -1), FONT),
                    ("FONTSIZE", (0, 0), (-1, -1), 10.5),
                    ("ALIGN", (1, 0), (-1, -1), "CENTER"),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        _, height = table.wrap(s.column, A4[1])
        self._room(height + s.leading)
        table.drawOn(self.pdf, s.margin_x, self.y - height)
        self.y -= height + s.leading

    def save(self) -> int:
        self._furniture()
        self.pdf.showPage()
        self.pdf.save()
        return self.page


def _write_pdf(path: Path, doc: Doc, style: _PageStyle) -> tuple[int, bool]:
    """Renders the document; returns its page count and whether it holds a table."""
    writer = _PdfWriter(path, style, doc.header)
    writer.title(doc.title)
    writer.paragraph(f"{doc.source}　{doc.date}")
    has_table = False
    for heading, blocks in doc.sections:
        if heading:
            writer.paragraph(heading)
        for block in blocks:
            if isinstance(block, str):
                writer.paragraph(block)
            else:
                writer.table(block)
                has_table = True
    return writer.save(), has_table


# ---------------------------------------------------------------- the corpus


def _page_count(path: Path) -> int:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def _sample_paragraphs(texts: list[str]) -> list[str]:
    """Real prose to mix into generated documents; lines with Han text of paragraph length."""
    return [line.strip() for text in texts for line in text.splitlines() if len(line.strip()) >= 60]


def generate(out_dir: Path, n_docs: int = 2000, seed: int = 7) -> dict:
    """Writes `n_docs` files into `out_dir` (which must be empty or absent); returns a manifest.

    The manifest counts what was written (files, bytes, PDF pages, encodings, styles, noise
    kinds) so that the benchmark can report rates per page and per megabyte.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()):
        raise FileExistsError(f"{out_dir} is not empty; the corpus needs a folder of its own")
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    sample_txt = sorted(SAMPLE_DIR.glob("*.txt"))
    sample_pdf = sorted(SAMPLE_DIR.glob("*.pdf"))
    sample_texts = [p.read_text(encoding="utf-8") for p in sample_txt]
    paragraphs = _sample_paragraphs(sample_texts)

    n_pdf = round(n_docs * PDF_SHARE)
    copied_txt, copied_pdf = sample_txt[: n_docs - n_pdf], sample_pdf[:n_pdf]
    jobs: list[Path | str] = [*copied_txt, *copied_pdf]
    jobs += ["pdf"] * (n_pdf - len(copied_pdf)) + ["txt"] * (n_docs - n_pdf - len(copied_txt))
    rng.shuffle(jobs)
    page_styles = [_page_style(rng) for _ in range(60)]

    files: list[dict] = []
    for index, job in enumerate(jobs):
        entry: dict = {"noise": []}
        if isinstance(job, Path):
            path = out_dir / f"{index:05d}_sample_{job.name}"
            shutil.copyfile(job, path)
            if job.suffix == ".pdf":
                entry |= {"kind": "pdf", "style": "sample", "encoding": None, "pages": _page_count(path)}
            else:
                entry |= {"kind": "txt", "style": "sample", "encoding": "utf-8"}
        elif job == "pdf":
            style = rng.choice(page_styles)
            target = int(rng.randint(*PDF_PAGES) * style.chars_per_page() * 0.85)
            doc = _compose(rng, target, paragraphs, pdf=True)
            path = out_dir / f"{index:05d}_{doc.style}.pdf"
            pages, has_table = _write_pdf(path, doc, style)
            entry |= {"kind": "pdf", "style": doc.style, "encoding": None, "pages": pages, "table": has_table}
        else:
            text, style_name = _text_file(rng, paragraphs, sample_texts, entry["noise"])
            encoding = rng.choices([e for e, _ in ENCODINGS], weights=[w for _, w in ENCODINGS])[0]
            path = out_dir / f"{index:05d}_{style_name}.txt"
            path.write_bytes(_encode(text, encoding, crlf=rng.random() < 0.2))
            entry |= {"kind": "txt", "style": style_name, "encoding": encoding}
        files.append(entry | {"name": path.name, "bytes": path.stat().st_size})
    return _manifest(files)


def _text_file(rng: random.Random, paragraphs: list[str], sample_texts: list[str], noise: list[str]) -> tuple[str, str]:
    """A text file's content and style: a reposted sample, a web page, a plain or PDF export."""
    if rng.random() < REPOST_SHARE:
        text = rng.choice(sample_texts)
        title, *rest = [line for line in text.splitlines() if line.strip()]
        doc = Doc("repost", title.strip(), "", "2025-05-20", rng.choice(("澎湃新闻", "人民网", "新浪网")))
        return _web_page(rng, doc, rest, noise), "repost"
    target = int(math.exp(rng.uniform(*map(math.log, TXT_BYTES))) / 3)  # UTF-8 Han: 3 bytes a character
    doc = _compose(rng, target, paragraphs, pdf=False)
    layout = "web" if doc.style == "news" else rng.choices(("web", "plain", "export"), weights=(60, 25, 15))[0]
    if layout == "web":
        indent = rng.choice(("", "　　", "    "))
        return _web_page(rng, doc, [indent + line for line in _body_lines(doc)], noise), doc.style
    return (_plain(rng, doc) if layout == "plain" else _pdf_export(rng, doc)), doc.style


def _manifest(files: list[dict]) -> dict:
    return {
        "n_docs": len(files),
        "n_txt": sum(f["kind"] == "txt" for f in files),
        "n_pdf": sum(f["kind"] == "pdf" for f in files),
        "bytes": sum(f["bytes"] for f in files),
        "txt_bytes": sum(f["bytes"] for f in files if f["kind"] == "txt"),
        "pdf_pages": sum(f.get("pages", 0) for f in files),
        "pdf_tables": sum(bool(f.get("table")) for f in files),
        "styles": dict(sorted(Counter(f["style"] for f in files).items())),
        "encodings": dict(sorted(Counter(f["encoding"] for f in files if f["kind"] == "txt").items())),
        "noise": dict(sorted(Counter(k for f in files for k in f["noise"]).items())),
        "files": files,
    }
