"""Extraction: the figures a cleaned, simplified document states for catalogue indicators.

A figure becomes a fact only when an indicator phrase governs it: the phrase stands before it
in the same clause with no other measurable noun in between, or a 分别/均 list distributes it,
or a table row or column names it. Each fact then gets its kind (actual, target, change),
year, area and evidence sentence from the words around it; what cannot be decided stays
empty rather than guessed (FACTS.md).

The text is read through a normalised view (NFKC, no white space between CJK and digits,
PM_{2.5} → PM2.5, inline pinyin dropped) that keeps, for every character, its offset in the
text received, so offsets and evidence always point into the caller's text.
"""

from __future__ import annotations

import bisect
import calendar
import collections
import csv
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from pipelines.core import areas, scanning, table_facts, units, years
from pipelines.core import text_concepts as T
from pipelines.core.catalogue import load_catalogue
from pipelines.core.models import ACTUAL, CHANGE_ABS, CHANGE_PCT, TARGET, Area, DocContext, RawFact
from pipelines.core.numbers import find_numbers

if TYPE_CHECKING:
    from pipelines.core.areas import Gazetteer


# ----------------------------------------------------------------------------- vocabulary

_LINE_END = "。！？!?;；:："
_CLAUSE_SEP = ",:;，：；"
_CLOSERS = '”’"』」)）'
# PM_2.5, pm2.5, PM 10: one spelling, PM2.5 / PM10, whatever the case, space or underscore
_PM = re.compile(r"(?<![A-Za-z])([Pp][Mm])[\s_＿]{0,2}(?=(?:2[.．]5|10)(?![\d.]))")
# (PM1045微克: the closing bracket lost, the formula glued to its figure (PM10 = 45)
_GLUED_PM = re.compile(r"(?<![A-Za-z])[Pp][Mm][\s_＿]?(?:2[.．]5|10)(?=\d{1,3}(?:[.．]\d+)?\s*(?:微克|μg|µg|ug))")
# 97。3%: a full stop typed for the decimal point, between digits right before a percent sign
_DECIMAL_STOP = re.compile(r"(?<=\d)[。．](?=\d{1,3}\s*[%％])")
_SUBSCRIPT = re.compile(r"(?<=[A-Za-zＡ-Ｚａ-ｚ])[_＿][{｛]\s*([\d.．]+)\s*[}｝]")
_HEADING_MAX = 45

# a measurable noun between an indicator phrase and a figure: the figure measures that noun
_BLOCKER = re.compile(
    r"率|比例|比率|比重|占(?!比)|指数|浓度|天数|面积|量|能力|规模|长度|里程|人次|户数|个数|次数|强度|金额|投资|资金|产值|覆盖|排名|位次"
)
_MAX_GAP = 24
# how far back the words before a figure are read for its verb, kind or subject: a clause is far
# shorter, and a bound keeps a sentence without punctuation linear in its length
_LOOK = 80
_SHARE = re.compile(r"占比")
_SHARE_OF = re.compile(r"占(?!比)")
# between a count of days and a figure: 'of all the (valid, monitored) days of the period', so the
# figure is the share of those days (优良天数占全年有效监测天数的82.2%)
_SHARE_OF_DAYS = re.compile(
    r"(?:所)?占(?:全年|整月|全月|当月|本月|同期|总|有效|监测|评价|的)*(?:天数|天)?的?(?:比例|比重)?(?:为|达到?)?"
)
# 优于年度目标7.2微克/立方米, 超过国家下达目标5个百分点: by how much a target was beaten, a difference
# ('高于目标值88.9%' names the target value itself)
_MARGIN = re.compile(
    r"(?:(优于|好于)|超过|超出|高出|超额完成|高于|低于)(?:国家|省|市|县|年度|考核|下达|定|的)*(?:目标|(?<=[达度核])指标)[约近]?$"
)
# 较国家推荐的噪声控制值低8.4dB(A), 比二级标准低4微克/立方米: the distance to a standard or limit, no
# change and no level
_NORM_MARGIN = re.compile(
    r"(?:较|比|低于|高于|优于|好于|超过|超出)[^,，;；。]{0,12}(?:标准|限值|控制值|推荐值|基准值)(?:值)?(?:要求)?"
    r"(?:低|高|少|多|下降|降低|优)?(?:了)?[约近]?$"
)
# 比目标多下降3.5%, 较年度目标多改善2个百分点: the margin by which a change beat a target, no change
_TARGET_MARGIN = re.compile(
    r"(?:比|较)(?:国家|省|市|县|年度|考核|下达|定|的)*(?:目标|指标)值?(?:多|少|超额)?(?:下降|降低|减少|增加|提高|上升|改善)(?:了)?[约近]?$"
)
# 项目建成后可削减化学需氧量8389吨, 年削减二氧化硫2300吨: what a project will or can remove each year,
# a planned reduction, no emission of the year (nor of the indicators listed after it)
_PLANNED_CUT = re.compile(r"(?:可|能|将|预计|年|每年|可年|年可)削减")
# 高于85%的考核要求, 不低于88.9%的要求: the figure names a requirement, a target
_REQUIREMENT_AFTER = re.compile(r"(?:以上|以下|以内)?的(?:考核|年度|国家)?(?:要求|目标|任务)")
# 最好的城市是威海市: the place a superlative names (the place itself is checked against the gazetteer)
_SUPERLATIVE = re.compile(
    r"(?:同比)?(?:增加|减少|下降|改善)?(?:最好|最差|最高|最低|最多|最少|最大|最小)的?(?:城市|县|区|地区|市)?(?:是|为)[\u4e00-\u9fff]{2,12}"
)
# fullmatch: a clause that opens with the mean of the areas just spread over ('全省平均为94.0%')
_AVERAGE_COPULA = re.compile(r"(?:全省|全市|全区|全县|全州|总体|整体)?平均(?:值|水平)?(?:为|是|达到?)[约近]?")
# fullmatch: the spread of a figure over the areas ('在89.9%-98.1%之间'), which is no fact of its own
_SPREAD = re.compile(r"(?:在|介于)\s*[\d.]+\s*%?\s*[-~～—–至]\s*[\d.]+\s*(?:%|微克/立方米|μg/m3|天)?\s*(?:之间|范围内)")
# search: areas counted as a subject ('3个县(区、市)', '8个乡镇'): a figure with 超过/以上 is a bar they pass
_COUNTED_AREAS = re.compile(r"\d{1,3}个?(?:设区市|县级市|城市|县区|区县|县|市|区|乡镇|镇)(?:\([^()]{1,8}\))?")
# match after a figure: '以52.63%名列第一', the level that ranks an area (extraction._area_clause)
_RANKED_AFTER = re.compile(
    r"(?:名列|位列|位居|居|排名?|排在)(?:全[省市国区])?(?:第[一二三四五六七八九十\d]+|首位|榜首|前列)"
)
_COPULA_ONLY = re.compile(r"(?:则|仅|分别)?(?:为|是)[约近]?")
_AREA_JOIN = re.compile(r"、|和|及|与|以及")  # fullmatch: between two areas of one list
# fullmatch: what may close a list of areas before the phrase they share ('广州、韶关等11个城市优良天数…')
_AREA_LIST_TAIL = re.compile(
    r"等(?:城市|地市|市|县区|区县|地区)?的?|(?:等|共|这)?\s*(?:\d{1,3}|[一二两三四五六七八九十]{1,3})\s*个?"
    r"(?:地级及?以上城市|地级市|城市|设区市|地市|市|县市区|县区|区县|县|区|地区)的?"
)
# 由44.3%提高到45.2%: a figure right after 由 that a 到/至 follows is the level the year started
# from; its year is not the sentence's, and unnamed ('由2015年的49' names it: rule base_in_parentheses)
_FROM_LEVEL = re.compile(r"由[约近]?$")
_TO_LEVEL = re.compile(r"[^，,。；;\d]{0,6}?(?:到|至)")
_ASIDE_YEAR = re.compile(r"(?:19|20)\d{2}年")
_EXTREME = re.compile(r"(?:最高|最低|最大|最小)(?:值)?(?:为|是|达到?)?[约近]?$")
_EXTREME_ONLY = re.compile(r"(?:最高|最低|最好|最差|最大|最小|次之|其次)")  # fullmatch: 衡南县最低，为38.1%
_AREA_LIST_BREAK = re.compile(r"[;；。]")  # an area list ends with its statement
# a clause naming only the share of the days just counted ('达标比例91%', '优良率为82.2%')
_RATIO_OF_TOPIC = re.compile(r"(?:其中)?(?:优良|达标)?(?:天数)?(?:比例|比率|占比|百分比|率)(?:为|达到?|是)?[约近]?")
# units that say a figure counts something else, or is a time, a rank or a grade
_GRADES = {"级", "类"}  # 二级标准, Ⅲ类: a grade or class, never a quantity
_NOT_MEASURES = set("辆家台套处座项次人户条只头批所名位个年月日号时倍类级期轮场块棵株根张份篇周岁届")
_INVERTED_VOLUME_UNIT = re.compile(r"微克|毫克")  # after a figure that '每立方米' opens (每立方米38微克)
_UNIT_TAIL = re.compile(r"[万亿]?[A-Za-zμµ][A-Za-zμµ/\d().·]*")
_MULTIPLIER_ONLY = re.compile(r"(?:十万|百万|千万|万|亿)(?=[^\d\u4e00-\u9fff]|$|[以左余多])")
_UNITLESS_FOLLOW = re.compile(
    r"以上|以下|以内|左右|同比|较|比|与|下降|上升|增|减|提高|提升|降低|改善|恶化|持平|和|及|或|至|为|的|达|均|分别|位于|处于|高于|低于"
)
_APPROX_MID = re.compile(r"余|多")
_LOOSE_MULTIPLIER = re.compile(r"(十万|百万|千万|万|亿|千)(余|多)([\u4e00-\u9fff]{1,3}(?:/[\u4e00-\u9fff]{1,3})?)")
_QUAL_AFTER = re.compile(r"以上|以下|以内|左右|余|多")
_QUAL_AFTER_MAP = {"以上": "≥", "以下": "≤", "以内": "≤", "左右": "≈", "余": ">", "多": ">"}
_QUAL_BEFORE = re.compile(
    r"(≥|≤|>|<|≈|不低于|不少于|至少|不超过|不高于|不大于|控制在|超过|高于|大于|多于|逾|约为|大约|约|将近|近|低于|小于|不足|不到)$"
)
_QUAL_BEFORE_MAP = {
    "不低于": "≥", "不少于": "≥", "至少": "≥", "不超过": "≤", "不高于": "≤", "不大于": "≤", "控制在": "≤",
    "低于": "≤", "小于": "≤", "不足": "≤", "不到": "≤", "超过": ">", "高于": ">", "大于": ">", "多于": ">", "逾": ">",
    "约为": "≈", "大约": "≈", "约": "≈", "将近": "≈", "近": "≈",
    "≥": "≥", "≤": "≤", ">": ">", "<": "≤", "≈": "≈",
}  # fmt: skip
_RANGE_SEP = re.compile(r"\s*[-~～—–至]\s*")
_FLAT = re.compile(r"(?<!保)持平")

_BASE_CUE = re.compile(r"同比|较上年|比上年|较去年|比去年|与上年相比|与去年相比|较上一年|比上一年|较前一年")
_MONTH_CUE = re.compile(r"环比")
_CONTINUATION = re.compile(
    r"同比|同期|较|比|相比|增加|增长|下降|降低|减少|上升|提高|提升|改善|恶化|持平|占比|目标|降幅|增幅|分别|低于|高于|实际"
    r"|(?:约束性|预期性|力争|考核|下达)的?指标"
)
_TARGET_NEAR = re.compile(
    r"(?:目标|(?:下达|考核|年度|约束性|预期性|力争)的?指标)(?:值)?(?:为|是|:|\()?[约近]?$"
    r"|(不低于|不少于|不超过|不高于|控制在)$"
)
# 森林覆盖率目标为41%，实际完成41.5%: the level reached, set against the target just named;
# 完成值38微克(目标值40): the value reached, the target beside it in brackets
_ACTUAL_NEAR = re.compile(r"(?:实际(?:完成|达到|实现|值)?|完成值)(?:为|是)?[约近]?$")
# 完成值38微克(目标值40), 约束性指标(36ug/m3)和力争指标(34.5): a target in brackets beside a figure
# just given, its unit left unsaid because it is the figure's own
_BRACKETED_TARGET = re.compile(
    r"[^。；;！？\n\d()（）]{0,12}(?:[(（][^\d()（）]{0,6}(?:目标|指标)值?(?:为|是|:|：)?|(?:目标|指标)值?[(（])"
)
_TARGET_SENTENCE = re.compile(
    r"力争|确保|争取|预期|展望|(?:主要|发展|约束性|考核|年度)?目标(?:任务)?(?:是|为|:)|(?:约束性|考核|预期性)指标(?:是|为|:)"
)
_PROSPECTIVE = re.compile(
    r"目标任务|主要目标|预期目标|工作安排|工作计划|工作打算|工作思路|下一步|重点任务|工作重点|主要任务"
)
_REVIEW = re.compile(r"成效|成就|基础|回顾|现状|进展|取得")
_RETROSPECTIVE = re.compile(r"完成情况|回顾|成效|进展|成绩")
_ACHIEVED = re.compile(r"(?:完成|达到|实现|超额完成|超过)[^,，]{0,6}目标")
_DIST = re.compile(r"分别|均为|均达到|均达|均保持|均|都为|都达到|全部达到")
_COPULA = re.compile(r"(?:均|则|仅|分别)?(?:为|是|达到?|仅为)[约近]?")
_RUN_SEP = re.compile(
    r"(?:以上|以下|以内|左右)?(?:、|和|及|与|或)(?:下降|降低|减少|增加|增长|上升|提高|提升|改善|恶化)?(?:了)?"
)
# the base of a change with no subject of its own: '同比分别下降…' speaks of the indicators just stated
_NO_SUBJECT = re.compile(
    r"(?:同比|(?:相比|较|比)(?:上年|去年|上一年|\d{4}年)(?:同期)?|与(?:上年|去年|\d{4}年)(?:同期)?相比)?"
)
_ITEM_SEP = re.compile(r"、|以及|和|及|与")
_ASSESSOR_AFTER = re.compile(r"(?:下达|下发|考核|确定|规定)")  # 湖北省考核的断面: who assesses, not whose
# 共有42个断面占85.7%, 28个，占70%, 67个，比例为98.5%: a count of sections and then their share
# (search, ends at the figure)
_COUNT_SHARE = re.compile(
    r"(?:共有|共计|共|有|为)?\d{1,4}个(?:监测|国控|省控|考核)?(?:断面|点位|水体|河流断面)?[,，]?"
    r"(?:占(?:比)?(?:为)?|(?:所占)?(?:比例|占比)(?:为|是|达到?)?)[约近]?$"
)
# what may stand between the class and the count: 水质断面, 的断面有, 水体, 优良水质断面(点位),
# 重度污染水质点位 (a water body or section, never a drinking source: 达标水质水源地34个)
_SHARE_GAP = re.compile(
    r"(?:优良|良好|轻度污染|中度污染|重度污染)?(?:水质|水体)?(?:标准)?(?:的)?(?:监测|国控|省控|考核)?"
    r"(?:断面|河流|水体|点位)?(?:\((?:断面|点位)\))?(?:共有|共计|共|有|为)?"
)
_BASE_TAIL = re.compile(f"(?:{_NO_SUBJECT.pattern})$")  # search: where the base that ends a subject starts
# the count that closes an area list: 邢台、邯郸、保定5市, 石家庄等3个城市, 保定和衡水两市
_LIST_COUNT = re.compile(
    r"等?(\d{1,2}|[两二三四五六七八九十]{1,2})?个?(?:设区市|地级市|城市|县市区|县区|县市|市|县|区|地)$"
)
_AREA_CLAUSE_HEAD = re.compile(r"(?:其中|而|则)?")  # an area clause opens with the area itself
_SUBJECT_PREFIX = re.compile(r"(?:其中|在|全年|\d{4}年|今年|去年|仅|只有)?(?:\d{1,3}个)?")  # fullmatch; 7个…城市
_TOPIC_PREFIX = re.compile(r"(?:在|于|截至|截止|到|至|全年|其中)?")  # fullmatch
# the words a period may follow and still open its clause ('今年1—5月，', '2024年12月，')
_PERIOD_OPENING = re.compile(r"(?:其中|在|于|据统计|监测结果表明|数据显示)?(?:今年|去年|本年|上年|\d{4}年)?")
# a clause that ranks: its areas are where the rank is counted ('浙江省排名第一'), not the subject of
# the clauses after it
_RANK_SCOPE = re.compile(r"(?:排名|排行|排位|名列|位列|位居|排|居|列)第")
# before an area: a counted group it is joined to ('9个设区城市及平潭', '14个市和定州'): the figure
# that follows is the group's (the whole province's or city's), not that area's
_GROUP_JOIN = re.compile(r"\d{1,3}个(?:设区|省辖|地级|县级)?(?:城市|市|县|区|县区|区县|县\(市、区\))(?:及|和|与|以及)$")
_OPENING_LEAD = 12  # how far into a sentence its opening area may stand ('2019年1-7月，北京市')
_BACK_CLAUSES = 32  # how many clauses back an area that opened the statement still speaks (a bound, not a rule:
# a national bulletin lists six pollutants with their changes in one sentence of some 14 clauses)

# words that show which subject a sentence is on, for words shared by several indicators
_DOMAIN_CUES = {
    "air": re.compile(r"空气|大气|天数|PM|颗粒物|臭氧|污染天"),
    "water": re.compile(r"水质|断面|水体|地表水|河流|湖库|III类|V类|饮用水"),
    "emissions": re.compile(r"排放|减排|污染物总量"),
}
# words that say which of two indicators of one domain a shared phrase measures: 昼间平均等效声级
# after 区域声环境 is the regional level, after 道路交通 the traffic one
_CODE_CUES = {
    "noise.regional_day_leq": re.compile(r"区域"),
    "noise.traffic_day_leq": re.compile(r"道路交通|交通干线|交通噪声"),
    # a bare 达标率 after sections or rivers is theirs, after drinking-water sources theirs, else no one's
    "water.section_compliance_rate": re.compile(r"断面|河流|河段|国控|省控|考核"),
    "water.drinking_source_compliance": re.compile(r"饮用水|水源"),
}
_NEVER = re.compile(r"(?!)")
_UNIT_BRACKET_END = re.compile(r"[(（][^()（）]{0,12}[)）]$")  # '降低(%)': the unit closing a row label
_NIGHT_ITEM = re.compile(r"夜间")  # the night half of a day-and-night list: no catalogue indicator
# one monitoring site named as the subject of a figure ('空港站PM2.5浓度')
_SITE = re.compile(r"([\u4e00-\u9fffA-Za-z\d]{0,10})(?:监测站|站点|点位|监测点|子站|站)的?$")
_SITE_GROUP = re.compile(r"\d|[一二三四五六七八九十两]个|个|各|所有|全部|全[市县区省]|自动")


_SOURCE_TYPES = (
    ("plan", re.compile(r"规划|纲要")),
    ("bulletin", re.compile(r"环境状况公报|环境质量公报|环境质量状况公报|生态环境公报|环境公报|状况公报")),
    ("congress", re.compile(r"人大|审议意见|调研报告|常委会|执法检查")),
    ("bureau", re.compile(r"[^\s]{0,12}局(?:关于|[^\s]{0,20}(?:报告|总结|进展|情况|汇报))")),
    ("government", re.compile(r"政府工作报告|人民政府|政府")),
)
_TO_CONGRESS = re.compile(r"在[^。]{0,30}人民代表大会[^。]{0,20}会议上")
_META_LINE = re.compile(r"(?:来源|作者|发布时间|发布日期|时间|日期|浏览次数|点击数?|责任编辑)\s*[:：]")
_NEWS_META = re.compile(r"来源\s*[:：]|作者\s*[:：]|点击|浏览|发布时间|责任编辑|新闻|记者")
_DOC_WORD = re.compile(r"关于|报告|公报|规划|意见|通知|总结|方案|纲要|情况|决定|办法")
_DOC_END = re.compile(r"(?:报告|公报|规划|意见|通知|总结|方案|纲要|情况|决定|办法)\s*$")
# page chrome, never a headline: navigation, and the accessibility toolbar of government sites
# ("无障碍浏览 | 打开适老化模式", "关怀版 无障碍")
_NAV = re.compile(r"您的位置|当前位置|首页|>|》\s*$|返回|登录|打印|关闭|无障碍(?:浏览|阅读)|适老化|关怀版|长者模式")


# ----------------------------------------------------------------------------- change verbs

# How a change verb's sign is written in change_verbs.csv.
_SIGNS = {"-": -1, "+": 1}
_IMPROVES, _WORSENS = "improve", "worsen"


@dataclass(frozen=True)
class ChangeVerbs:
    """The change vocabulary (pipelines/data/change_verbs.csv): one row per word with its sign and kind.

    kind `change` (下降4.4%), `spread` (降幅为5%, 下降比例为69.7%) and `after_base` (a short verb
    read as a change only after 同比/较/比: 比上年多14天) make the figure a change; `level`
    (降至35, 提高到80%) makes it the level reached. The sign lives in the same row as the word, so a
    new verb is one row of data: 压减,-,change gives a negative change.
    """

    signs: dict[str, str]  # word → '-' | '+' | 'improve' | 'worsen'
    level: re.Pattern[str]
    change: re.Pattern[str]
    spread: re.Pattern[str]
    after_base: re.Pattern[str]
    any_word: re.Pattern[str]  # every change word, for taking them out of the words between phrase and figure
    opening: re.Pattern[str]  # a clause that is only a change ('下降比例为', '同比下降'): fullmatch

    @classmethod
    def from_rows(cls, rows: list[dict[str, str]]) -> ChangeVerbs:
        by_kind: dict[str, list[str]] = collections.defaultdict(list)
        for row in rows:
            by_kind[row["kind"]].append(row["word"])
            if row["kind"] != "level" and row["sign"] not in (*_SIGNS, _IMPROVES, _WORSENS):
                raise ValueError(f"change_verbs.csv: {row['word']} has no sign (-, +, improve, worsen)")

        def words(kind: str) -> str:
            return "|".join(re.escape(w) for w in sorted(by_kind[kind], key=len, reverse=True)) or "(?!)"

        return cls(
            signs={r["word"]: r["sign"] for r in rows if r["kind"] != "level"},
            level=re.compile(rf"(?:{words('level')})(?:了)?[约近]?$"),
            change=re.compile(
                rf"({words('change')})(?:了)?(?:幅度|幅)?(?:为|达到|达|约|近|超过|分别为|分别)?[约近]?$"
            ),
            spread=re.compile(rf"({words('spread')})(?:为|达到|达|约|分别为)?[约近]?$"),
            after_base=re.compile(rf"({words('after_base')})(?:了)?[约近]?$"),
            any_word=re.compile("|".join(re.escape(w) for w in sorted(
                (r["word"] for r in rows if r["kind"] in ("change", "spread")), key=len, reverse=True)) or "(?!)"),
            opening=re.compile(rf"(?:同比|较上年|比上年)?(?:{words('change')}|{words('spread')})(?:了)?"
                               r"(?:为|达到|达)?[约近]?"),
        )  # fmt: skip

    def sign(self, word: str, higher_is_better: bool | None) -> int | None:
        """−1 or +1 for a word; 改善/恶化 by the indicator's direction (None where it has none)."""
        sign = self.signs.get(word)
        if sign in _SIGNS:
            return _SIGNS[sign]
        if sign in (_IMPROVES, _WORSENS) and higher_is_better is not None:
            up = 1 if higher_is_better else -1
            return up if sign == _IMPROVES else -up
        return None


def read_vocabulary(name: str) -> list[dict[str, str]]:
    """The rows of one vocabulary file in pipelines/data (every file has a `why` column)."""
    text = resources.files("pipelines.data").joinpath(f"{name}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def target_cues() -> re.Pattern[str]:
    """target_cues.csv: the words that make a figure in their clause a goal, plan or projection."""
    return re.compile("|".join(f"(?:{r['pattern']})" for r in read_vocabulary("target_cues")))


@cache
def change_verbs() -> ChangeVerbs:
    return ChangeVerbs.from_rows(read_vocabulary("change_verbs"))


@cache
def share_subjects() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """share_subjects.csv: the classes of water whose counted sections are followed by their share
    (Ⅰ~Ⅲ类共有42个断面占85.7%), each with the indicator that share is."""
    return tuple((r["indicator_code"], re.compile(r["pattern"])) for r in read_vocabulary("share_subjects"))


@cache
def _implied_list() -> re.Pattern[str]:
    """A clause that is only a base and a change verb before a list of figures ('较2017年下降10.3%、12.0%'):
    a 分别 left unsaid, over the indicators just stated."""
    return re.compile(_NO_SUBJECT.pattern + change_verbs().opening.pattern)


# ----------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    """Part of a year a figure covers ('12月', '一季度', '1—5月', '截至10月18日'), at view offsets."""

    start: int
    end: int
    first_month: int
    last_month: int
    last_day: int | None = None  # 截至10月18日: the span ends on that day, not at the month's end

    @property
    def full_year(self) -> bool:
        return self.first_month == 1 and self.last_month == 12 and self.last_day is None

    def dates(self, year: int) -> tuple[date, date] | None:
        """First and last day (inclusive) of the period in `year`; None when the words make no date."""
        last_day = self.last_day or calendar.monthrange(year, self.last_month)[1]
        try:
            return date(year, self.first_month, 1), date(year, self.last_month, last_day)
        except ValueError:
            return None


@cache
def _period_patterns() -> tuple[tuple[scanning.Gated, str, str, str], ...]:
    """periods.csv: a pattern and its first month, last month and last day (a number or a group '\\1');
    each pattern runs only on text holding its literal core (most sentences name no period)."""
    return tuple(
        (scanning.Gated(re.compile(r["pattern"])), r["first_month"], r["last_month"], r["last_day"])
        for r in read_vocabulary("periods")
    )


def _group_or_number(m: re.Match, spec: str) -> int | None:
    if not spec:
        return None
    if spec.startswith("\\"):
        return int(m.group(int(spec[1:])))
    return int(spec)


@cache
def _period_cues() -> str:
    return scanning.cues(g for g, *_ in _period_patterns())


@cache
def _may_name_period() -> Callable[[str], bool]:
    return scanning.any_char(_period_cues())


def find_periods(s: str) -> list[Period]:
    """The period expressions of a text, longest first where they overlap, in text order."""
    if not _may_name_period()(s):
        return []  # most sentences hold no 月, 季, 年 …: no period pattern can match there
    found = []
    for pattern, first, last, day in _period_patterns():
        for m in pattern.finditer(s):
            a, b, d = _group_or_number(m, first), _group_or_number(m, last), _group_or_number(m, day)
            if a and b and 1 <= a <= b <= 12 and (d is None or 1 <= d <= 31):
                found.append(Period(m.start(), m.end(), a, b, d))
    taken: list[Period] = []
    for p in sorted(found, key=lambda p: (p.start - p.end, p.start)):
        if all(p.end <= q.start or q.end <= p.start for q in taken):
            taken.append(p)
    return sorted(taken, key=lambda p: p.start)


# ----------------------------------------------------------------------------- normalised view


@dataclass
class _View:
    """A normalised stretch of the text; pos[i] is the source offset of text[i]."""

    text: str
    pos: list[int]
    src: str = field(default="", compare=False, repr=False)  # the source the offsets point into

    def source_span(self, a: int, b: int) -> tuple[int, int]:
        if b <= a:
            return self.pos[a], self.pos[a]
        return self.pos[a], self.pos[b - 1] + 1


@cache
def _fold_char(c: str) -> str:
    folded = unicodedata.normalize("NFKC", c)
    return {"−": "-", "﹪": "%", "％": "%"}.get(folded, folded)


def _is_ascii_alpha(c: str) -> bool:
    return c.isascii() and c.isalpha()


@cache
def _unplain() -> re.Pattern[str]:
    """Characters the view does not copy as they are: white space, characters NFKC (or
    _fold_char) changes, and anything outside the BMP. Every other character is its own folded
    form, so runs of them are copied whole instead of one by one (most of a page is such runs).
    Built on first use: a scan of the BMP, about 50 ms once per process."""
    fold = _fold_char.__wrapped__  # uncached: 65,536 one-off lookups would fill the cache
    odd = [i for i in range(0x10000) if (c := chr(i)).isspace() or fold(c) != c]
    ranges = []
    for i in odd:
        if ranges and ranges[-1][1] == i - 1:
            ranges[-1][1] = i
        else:
            ranges.append([i, i])
    body = "".join(f"\\u{lo:04x}" if lo == hi else f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in ranges)
    return re.compile(f"[{body}\\U00010000-\\U0010ffff]")


# What each repair of the view needs in its stretch before it can match: a toned vowel for a
# pinyin reading, an underscore for a subscript, P and M for a PM formula, digits round a stop.
# These scans are fast (they start with a character class); the repairs start with a look-behind,
# which the regex engine tries at every position, so they run only where their cue is.
_UNDERSCORE = re.compile(r"[_＿]")
_PM_CUE = re.compile(r"[Pp][Mm]")
_STOP_CUE = re.compile(r"\d[。．]\d")


def _view(src: str, a: int, b: int) -> _View:
    drop: set[int] = set()
    subst: dict[int, str] = {}
    if T.TONED_RE.search(src, a, b):
        for m in T.TONED_READING_RE.finditer(src, a, b):
            drop.update(range(m.start(), m.end()))
    if _UNDERSCORE.search(src, a, b):
        for m in _SUBSCRIPT.finditer(src, a, b):
            drop.update((m.start(), m.start() + 1, m.end() - 1))
    pm = _PM_CUE.search(src, a, b) is not None
    if pm:
        for m in _PM.finditer(src, a, b):
            subst.update({m.start(): "P", m.start() + 1: "M"})
            drop.update(range(m.start() + 2, m.end()))
    if _STOP_CUE.search(src, max(0, a - 1), b):  # the digit before may stand before the stretch
        for m in _DECIMAL_STOP.finditer(src, a, b):
            subst[m.start()] = "."
    if pm:
        for m in _GLUED_PM.finditer(src, a, b):
            subst.update({m.start(): "P", m.start() + 1: "M", m.end() - 1: src[m.end() - 1] + ")"})
    # positions that need a look of their own; between them the text is copied as it stands
    marks = sorted({m.start() for m in _unplain().finditer(src, a, b)}.union(drop, subst))
    pieces: list[str] = []
    pos: list[int] = []
    last = ""  # the last character of the view so far
    i = a
    for k in marks:
        if k < i:
            continue  # inside a run of white space already read
        if k > i:
            pieces.append(src[i:k])
            pos.extend(range(i, k))
            last, i = src[k - 1], k
        if i in drop:
            i += 1
            continue
        c = subst.get(i, src[i])
        if c.isspace():
            j = i
            while j < b and src[j].isspace():
                j += 1
            nxt = _fold_char(src[j])[:1] if j < b else ""
            # keep a gap only where it separates two numbers or two words of Latin letters
            if (
                last
                and nxt
                and ((last.isdigit() and nxt.isdigit()) or (_is_ascii_alpha(last) and _is_ascii_alpha(nxt)))
            ):
                pieces.append(" ")
                pos.append(i)
                last = " "
            i = j
            continue
        folded = _fold_char(c)
        pieces.append(folded)
        pos.extend([i] * len(folded))
        last = folded[-1:] or last
        i += 1
    if i < b:
        pieces.append(src[i:b])
        pos.extend(range(i, b))
    pos.append(b)
    return _View("".join(pieces), pos, src)


# ----------------------------------------------------------------------------- layout


@dataclass
class _Block:
    kind: str  # 'prose' | 'heading' | 'table'
    start: int
    end: int
    level: int = 0  # heading level
    table: table_facts.Table | None = None  # a table's grid, rebuilt from its flattened text


# a figure with the unit of a measure: a numbered line stating one is a list item, not a heading
_STATED_MEASURE = re.compile(r"\d\s*(?:%|％|微克|毫克|μg|µg|ug/|mg/|分贝|dB)")


def _heading_level(line: str) -> int:
    stripped = line.strip()
    if len(stripped) > _HEADING_MAX or any(c in stripped for c in "。；;！？!?"):
        return 0
    m = T.HEADING_RE.match(stripped)
    if not m:
        return 0
    return T.HEADING_LEVELS[next(i for i, g in enumerate(m.groups()) if g)]


# '2018年1-11月：' alone on its line: the part of the year the lines under it cover, a section below
# every numbered heading
_LEAD_IN = re.compile(r"(?:\d{4}年)?[^,，。;；:：]{0,12}[:：]")
_LEAD_IN_LEVEL = 9


def _lead_in_level(stripped: str) -> int:
    """The level of a line that only names a part of the year and ends with a colon, else 0."""
    if len(stripped) > 20 or not _LEAD_IN.fullmatch(stripped):
        return 0
    part = next((p for p in find_periods(stripped) if not p.full_year), None)
    if part is None:
        return 0
    rest = _ASIDE_YEAR.sub("", stripped[: part.start] + stripped[part.end :])
    return 0 if re.search(r"\d", rest) else _LEAD_IN_LEVEL


# an area label on its own line ('北京——', '【渭南市】') opens a section below every numbered heading
# and above a lead-in part of the year
_AREA_LABEL_LEVEL = 8


def _area_label(line: str) -> str | None:
    """The place a heading line only names: '北京——' → 北京, '（二）西安市' → 西安市, else None."""
    stripped = line.strip()
    numbered = T.HEADING_RE.match(stripped)
    rest = stripped[numbered.end() :] if numbered else stripped
    m = T.AREA_LABEL_RE.fullmatch(rest) or (T.AREA_NAME_RE.fullmatch(rest) if numbered else None)
    return (m.group("name") or m.group("dashed")) if m else None


def _blocks(src: str, is_area: Callable[[str], bool] = lambda _: False) -> list[_Block]:
    """Paragraphs (reflowed lines joined until a sentence ends), headings and tables; `is_area` tells
    whether a line that only names something names a place, which makes it a heading."""
    blocks: list[_Block] = []
    para: list[int] | None = None
    tables = {t.start: t for t in table_facts.find_tables(src)}
    table_end = -1

    def flush() -> None:
        nonlocal para
        if para is not None:
            blocks.append(_Block("prose", para[0], para[1]))
            para = None

    pos = 0
    for line in src.split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        stripped = line.strip()
        if a < table_end or not stripped:
            continue
        if a in tables:
            flush()
            table = tables[a]
            blocks.append(_Block("table", table.start, table.end, table=table))
            table_end = table.end
            continue
        level = _heading_level(line) or _lead_in_level(stripped)
        if not level and is_area(_area_label(stripped) or ""):
            level = _AREA_LABEL_LEVEL
        if level and _STATED_MEASURE.search(stripped):
            flush()  # '4、泰顺县酸雨率为24.4%，属轻酸雨区': a numbered statement, no heading
            blocks.append(_Block("prose", a, b))
        elif level:
            flush()
            blocks.append(_Block("heading", a, b, level=level))
        elif _META_LINE.search(stripped) and len(stripped) <= 120:
            flush()  # 时间：2024-10-21 来源：… : page metadata is no part of the next sentence
            blocks.append(_Block("prose", a, b))
        else:
            if para is None:
                para = [a, b]
            else:
                para[1] = b
            if stripped[-1] in _LINE_END or (
                stripped[-1] in _CLOSERS and len(stripped) > 1 and stripped[-2] in _LINE_END
            ):
                flush()
    flush()
    return blocks


# ----------------------------------------------------------------------------- indicators


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    codes: tuple[str, ...]  # alternatives for the same words, best first (二氧化硫: emissions, then air)


def _fold_phrase(phrase: str) -> str:
    return "".join(_fold_char(c) for c in phrase if not c.isspace())


@dataclass(frozen=True)
class _Alias:
    code: str
    pattern: re.Pattern[str]
    # a literal every match holds, for each alternative of the pattern ('' for an alternative
    # without one: the alias may then match anything and is always tried)
    cores: tuple[str, ...]


@cache
def _patterns() -> tuple[_Alias, ...]:
    """Indicator phrases: the project's alias patterns, then the catalogue's example phrases."""
    text = resources.files("pipelines.data").joinpath("indicator_aliases.csv").read_text(encoding="utf-8")
    catalogue = load_catalogue()
    out = [(r["indicator_code"], re.compile(r["pattern"])) for r in csv.DictReader(text.splitlines())]
    for code, ind in catalogue.items():
        for phrase in (ind.name_zh, *ind.phrases):
            out.append((code, re.compile(re.escape(_fold_phrase(phrase)))))
    unknown = {code for code, _ in out} - set(catalogue)
    if unknown:
        raise ValueError(f"indicator_aliases.csv names codes outside the catalogue: {sorted(unknown)}")
    return tuple(_Alias(code, pattern, scanning.literal_cores(pattern)) for code, pattern in out)


@cache
def _alias_index() -> tuple[scanning.Words, tuple[tuple[int, ...], ...], tuple[int, ...]]:
    """The aliases' literal cores as one scan, the aliases each core stands for, and the aliases
    that may match anything. One scan of a paragraph for the cores says which few of the ~280
    patterns can match there; running every pattern was most of the time spent finding mentions."""
    by_core: dict[str, set[int]] = collections.defaultdict(set)
    always: list[int] = []
    for i, alias in enumerate(_patterns()):
        if "" in alias.cores:
            always.append(i)
        else:
            for core in alias.cores:
                by_core[core].add(i)
    cores = sorted(by_core)
    return scanning.Words(cores, once=True), tuple(tuple(sorted(by_core[c])) for c in cores), tuple(always)


def _find_mentions(text: str) -> list[_Mention]:
    """Indicator phrases, longest first where they overlap, in text order."""
    aliases = _patterns()
    cores, by_core, always = _alias_index()
    candidates = sorted({i for core in cores.present(text) for i in by_core[core]}.union(always))  # catalogue order
    spans: dict[tuple[int, int], list[str]] = {}
    for alias in (aliases[i] for i in candidates):
        for m in alias.pattern.finditer(text):
            if m.end() > m.start():
                codes = spans.setdefault((m.start(), m.end()), [])
                if alias.code not in codes:
                    codes.append(alias.code)
    taken: list[_Mention] = []
    used = [False] * (len(text) + 1)
    for (a, b), codes in sorted(spans.items(), key=lambda kv: (kv[0][0] - kv[0][1], kv[0][0])):
        ordered = _by_context(text, a, codes)
        if ordered and not any(used[a:b]):
            taken.append(_Mention(a, b, ordered))
            used[a:b] = [True] * (b - a)
    return sorted(taken, key=lambda m: m.start)


def _by_context(text: str, start: int, codes: list[str]) -> tuple[str, ...]:
    """Order the readings of ambiguous words (优良比例: air or water? 昼间平均等效声级: regional or
    traffic noise?) by the subject the sentence spoke of last before them; unambiguous words and
    ties keep their order."""
    catalogue = load_catalogue()
    by_code = len(codes) > 1 and all(c in _CODE_CUES for c in codes)  # one domain, told apart by words
    if by_code:
        cues = {c: _CODE_CUES[c] for c in codes}
    elif len({catalogue[c].domain for c in codes}) > 1:
        cues = {c: _DOMAIN_CUES.get(catalogue[c].domain, _NEVER) for c in codes}
    else:
        return tuple(codes)
    lo = max(0, start - _LOOK)
    # words of one indicator speak for the statement they stand in ('…断面比例100%；声环境功能区达标率…')
    stop = max(text.rfind(p, lo, start) for p in ("。", ";", "；")) if by_code else text.rfind("。", lo, start)
    before = text[max(stop + 1, lo) : start]
    last = {c: max((m.end() for m in cues[c].finditer(before)), default=-1) for c in codes}
    if by_code and max(last.values()) < 0:
        return ()  # 1类功能区昼间平均等效声级: neither sound environment the catalogue measures
    return tuple(sorted(codes, key=lambda c: -last[c]))


def _mention_at_end(text: str) -> _Mention | None:
    """The indicator phrase a short string ends with (for the items of a 分别 list)."""
    found = [m for m in _find_mentions(text) if m.end == len(text)]
    return found[-1] if found else None


# ----------------------------------------------------------------------------- figures


@dataclass
class _Figure:
    start: int  # the numeral, in view coordinates
    end: int
    value: float  # as written, unsigned unless a sign was written
    unit: str  # as written (normalised), multiplier included: '万亩', '%', ''
    unit_end: int
    qualifier: str | None = None
    flat: bool = False  # 持平: a zero change
    signed: bool = False
    countable: bool = True  # False when the unit says it counts something else


@cache
def _unit_regex() -> re.Pattern[str]:
    """Built on first use, not at import: forked step processes must not inherit polars' thread pool."""
    return re.compile("|".join(re.escape(k) for k in units.spellings_longest_first() if k))


def _read_unit(s: str, i: int) -> tuple[str, int, bool]:
    """(unit as written, end, measures) for the text after a numeral at i."""
    m = _unit_regex().match(s, i)
    if m:
        return m.group(), m.end(), True
    m = _UNIT_TAIL.match(s, i)
    if m:
        return m.group().rstrip(".()"), i + len(m.group().rstrip(".()")), True
    m = _MULTIPLIER_ONLY.match(s, i)
    if m:
        return m.group(), m.end(), True
    if i < len(s) and (s[i] in _NOT_MEASURES or s[i : i + 2] in ("小时", "分钟", "季度", "公里", "千米", "米")):
        return s[i], i + 1, False
    # no unit: fine before punctuation or a word that goes on about the figure, not before a noun
    return "", i, i >= len(s) or not _is_cjk(s[i]) or bool(_UNITLESS_FOLLOW.match(s, i))


def _is_cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def _find_figures(s: str) -> list[_Figure]:
    """Numbers with their unit and qualifier; not years, dates, ranks, ranges or list numbers."""
    blocked = bytearray(len(s) + 1)  # one flag per character: a lookup per number, not a scan
    for a, b in [(m.start(), m.end()) for m in T.TITLE_SPAN_RE.finditer(s)] + [
        (y.start, y.end) for y in years.find_years(s, ref_year=None)
    ]:
        blocked[a:b] = b"\x01" * (b - a)
    nums = find_numbers(s)
    out: list[_Figure] = []
    skip: set[int] = set()
    for k, n in enumerate(nums):
        if n.start in skip or blocked[n.start] or (out and n.start < out[-1].unit_end):
            continue  # a year, a title, or the digits of the last figure's unit (μg/m^3)
        before = s[max(0, n.start - 1) : n.start]
        if before in ("第", ".") or s[max(0, n.start - 2) : n.start] in ("排名", "位居"):
            continue
        j, qualifier = n.end, None
        if n.unit:
            unit, j, measures = n.unit, n.end, True
        else:
            mid = _APPROX_MID.match(s, j)
            if mid and not n.chinese:
                qualifier, j = ">", mid.end()
            loose = _LOOSE_MULTIPLIER.match(s, j)
            if loose and units.unit_key(loose.group(1) + loose.group(3)) in units.unit_table():
                # 2.1万余件: the multiplier, 余, then the unit
                unit, j, measures, qualifier = loose.group(1) + loose.group(3), loose.end(), True, ">"
            else:
                unit, j, measures = _read_unit(s, j)
                inverted = _INVERTED_VOLUME_UNIT.match(s, j) if not unit else None
                if inverted and s.endswith("每立方米", 0, n.start):
                    # 每立方米38微克: the volume written before the figure, the mass after it
                    unit, j, measures = inverted.group() + "每立方米", inverted.end(), True
        if s[j : j + 1] in ("月", "日") or (unit == "" and s[j : j + 1] in ("年",)):
            continue
        if n.chinese and not unit:
            continue
        if (
            not unit
            and s[j : j + 1]
            and s[j : j + 1] in ".、)"
            and (n.start == 0 or s[n.start - 1] in "(（,，;；。\n")
            and "." not in s[n.start : n.end]
        ):
            continue  # 1. / 2、 / (3): list numbering; 清水(4.64) is a value
        rng = _RANGE_SEP.match(s, j)
        if rng and k + 1 < len(nums) and nums[k + 1].start == rng.end():
            skip.add(nums[k + 1].start)
            continue  # 97.5%~99.7%, 75-120km: a range, not one figure
        after = _QUAL_AFTER.match(s, j)
        if after:
            qualifier = _QUAL_AFTER_MAP[after.group()]
        if qualifier is None:
            pre = _QUAL_BEFORE.search(s, max(0, n.start - 4), n.start)
            if pre:
                qualifier = _QUAL_BEFORE_MAP[pre.group(1)]
        signed = n.start > 0 and s[n.start - 1] in "+-" and not (n.start > 1 and s[n.start - 2].isdigit())
        value = -n.value if signed and s[n.start - 1] == "-" else n.value
        out.append(_Figure(n.start, n.end, value, unit, j, qualifier, signed=signed, countable=measures))
    for prev, f in itertools.pairwise(out):
        if not f.unit and prev.unit and prev.countable and _BRACKETED_TARGET.fullmatch(s, prev.unit_end, f.start):
            f.unit = prev.unit
    for m in _FLAT.finditer(s):
        out.append(_Figure(m.start(), m.end(), 0.0, "", m.end(), flat=True))
    return sorted(out, key=lambda f: f.start)


def _caption_unit(caption: str, unit: str, readings: list[str]) -> str:
    """'表1 2023年环境空气质量（单位：mg/m3）': the one concentration unit a caption names is the unit
    of the bare figures under it, over the catalogue's (0.006 there is 6 ug/m3, not 0.006), and picks
    the concentration among a header's readings (SO2: the air's, not the emissions). `readings` are
    the catalogue units of the header's indicator codes."""
    here = units.unit_table().get(units.unit_key(unit)) if unit else None
    concentration = (
        here[0] in _CONCENTRATION_UNITS if here else not unit and bool(set(readings) & set(_CONCENTRATION_UNITS))
    )
    if not concentration:
        return unit
    named = {units.unit_table()[units.unit_key(m.group())][0] for m in _unit_regex().finditer(caption)}
    named &= set(_CONCENTRATION_UNITS)
    return next(iter(named)) if len(named) == 1 else unit


_CONCENTRATION_UNITS = ("ug/m3", "mg/m3")


# ----------------------------------------------------------------------------- context


_PLAN_TITLE = re.compile(r"《[^《》]{0,40}(?:规划|纲要)[^《》]{0,20}》")
_PLAN_LEAD = 300
# A photo caption ('三都羊甲风光 陈建 摄', '图为聊城城区') names what a picture shows, not the page.
_CAPTION = re.compile(r"\s摄\s*$|摄影|图片来源|资料图|^\s*[(（]?图[为:：]|^\s*[(（]?(?:附)?[图表]\s*\d")
# A telephone number or other long digit run: an advert or a contact line, not a title.
_LONG_DIGITS = re.compile(r"\d{7,}")
# Page metadata that labels the title: '标题:…', '名称 | : | 关于…'.
_LABELLED_TITLE = re.compile(r"^\s*(?:标\s*题|名\s*称|文\s*件\s*名\s*称|题\s*目)\s*(?:[:：|]\s*)+(.+?)[\s|]*$")
# A news byline under the headline: a source, author or publication label (or a timestamp).
_BYLINE = re.compile(r"来源\s*[:：]|作者\s*[:：]|编辑\s*[:：]|发布时间|发布日期")
_BYLINE_MAX = 90
_BODY_LINE = re.compile(r"[。！？]|[:：]\s*$")  # a sentence, or a line that introduces a list
# A news dateline opens the body, it is no headline: '新疆新闻网1月15日电', '本报讯', '湖北日报讯(记者…)'.
_DATELINE = re.compile(r"\d{1,2}日(?:电|讯|消息)|本报讯|[报网台]讯")
_TITLE_MIN_CJK = 4
# An issuer's name on a line of its own ('哈密市生态环境局伊州分局' above the closing date): who signs, not a headline.
_ISSUER_NAME = re.compile(r"(?:局|分局|厅|人民政府|委员会|办公室|监测站|监测中心)\s*$")
_ISSUER_MAX = 24
# Cells of a table flattened into text ('有效测点数(个) |', '阆中市 | 5月 | 55.1 |'): a row, not a headline.
_TABLE_CELLS = re.compile(r"[|｜]\s*$|[|｜][^|｜]*[|｜]")
# A field of a 政务公开 metadata block ('发布机构开远市人民政府办公室', '索引号:…'): it files the page.
_META_FIELD = re.compile(
    r"^\s*(?:索\s*引\s*号|发布机构|发文机关|文\s*号|主题分类|时效性|有效性|公开方式|公开范围|所属机构)"
)
# The bullet of a list item ('- 空气环保信息', '• 2021年09月14日'): a column's link, not part of a title;
# the outlet a reposted headline is tagged with ('[丽水日报]县人大常委会…'): whose copy, not whose news.
_TITLE_PREFIX = re.compile(
    r"^\s*[-–•·▪◆■●]+\s+|^\s*[-–•·▪◆■●]+\s*$|^\s*[\[【][^\]】]{2,12}(?:报|网|台|客户端)[\]】]\s*"
)


def _is_byline(line: str) -> bool:
    """A source, author or publication label, or a page's timestamp."""
    return bool(_BYLINE.search(line)) or years.has_timestamp(line)


_TITLE_MAX = 70  # a headline is shorter than this


def _title_like(line: str) -> bool:
    """Whether a line can be a page's headline: not navigation, a list of channels, a photo
    caption, an advert with a phone number or a byline."""
    return (
        4 <= len(line) <= _TITLE_MAX
        and sum(_is_cjk(c) for c in line) >= _TITLE_MIN_CJK
        and not _NAV.search(line)
        and not areas.is_list_line(line)
        and not _CAPTION.search(line)
        and not _LONG_DIGITS.search(line)
        and not areas.is_contact_line(line)
        and not _is_byline(line)
        and not _DATELINE.search(line)
        and not _BODY_LINE.search(line)
        and not _META_FIELD.match(line)
        and not _TABLE_CELLS.search(line)
        and not (len(line) <= _ISSUER_MAX and _ISSUER_NAME.search(line) and not _DOC_WORD.search(line))
    )


def _title(text: str) -> str | None:
    """The document's title: a labelled title in page metadata; else the headline right above
    a news byline (the first of a headline and its subtitle); else the first early line that
    names a kind of document, joined with its continuation line when a PDF title wraps."""
    lines = [ln for ln in (_TITLE_PREFIX.sub("", ln).strip() for ln in text.split("\n")) if ln][:15]
    for line in lines:
        m = _LABELLED_TITLE.match(line)
        if m and _title_like(m.group(1).strip(" |")):
            return years.squeeze(m.group(1).strip(" |"))
    for i, line in enumerate(lines):
        if _BODY_LINE.search(line) and len(line) > _BYLINE_MAX:
            break  # a byline sits above the body; an editor's line below it is no byline
        if i and len(line) <= _BYLINE_MAX and _is_byline(line) and _title_like(lines[i - 1]):
            headline = lines[i - 2] if i >= 2 and _title_like(lines[i - 2]) else lines[i - 1]
            return years.squeeze(headline)
    for i, line in enumerate(lines):
        if not _title_like(line) or not _DOC_WORD.search(line):
            continue
        title = line
        if (
            not _DOC_END.search(title)
            and i + 1 < len(lines)
            and len(lines[i + 1]) <= 40
            and _DOC_END.search(lines[i + 1])
        ):
            title += lines[i + 1]
        return years.squeeze(title)
    for line in lines:
        if _BODY_LINE.search(line) and len(line) > _TITLE_MAX:
            break  # a headline stands above the body: a line after it is part of the story (or its end)
        if 8 <= len(line) <= _TITLE_MAX and _title_like(line):
            return years.squeeze(line)
    return None


def _source_type(title: str | None, text: str) -> str:
    head = (title or "") + "\n" + text[:300]
    for kind, pattern in _SOURCE_TYPES:
        if pattern.search(title or ""):
            return kind
    if _cited_plan(text):
        return "plan"  # a page that opens by presenting a plan by name reports its targets
    if _NEWS_META.search(text[:600]):
        return "news"
    if _TO_CONGRESS.search(head):
        return "government"  # a report read out to the people's congress by the government
    for kind, pattern in _SOURCE_TYPES:
        # a plan names itself in its title or by name; 规划 in a first paragraph may be a word
        if kind != "plan" and pattern.search(head):
            return kind
    return "unknown"


def _cited_plan(text: str) -> str | None:
    """The plan a page's opening paragraph presents by name ('《重庆市生态环境保护“十四五”规划
    (2021—2025年)》新闻发布会'), or None."""
    m = _PLAN_TITLE.search(text[:_PLAN_LEAD])
    return m.group() if m else None


def document_context(text: str, *, gazetteer: Gazetteer, headers: tuple[str, ...] = ()) -> DocContext:
    """Title, date, subject year, own area, source type and plan of one document.

    `headers` are the running headers the PDF reader took off its pages ('大连市生态环境局'):
    the issuer printed on every page, gone from the text but still the document's own."""
    title = _title(text)
    source_type = _source_type(title, text)
    plan = years.find_plan(title or "") or years.find_plan(_cited_plan(text) or "")
    doc_date = years.find_document_date(text)
    subject = years.subject_year(title, text)
    if subject is None and doc_date is not None and years.presents_this_year(text):
        subject = doc_date.year  # '通报今年上半年…状况' on a page dated 2022-07-23 is about 2022
    elif subject is None and doc_date is not None and years.names_no_time(text):
        subject = doc_date.year  # '优良率保持在99%以上' on a page dated 2018-05-25, naming no year or month
    return DocContext(
        title=title,
        doc_date=doc_date,
        subject_year=subject,
        area=gazetteer.document_area(title, text, headers=headers) or _city_of_parts(text, gazetteer),
        source_type=source_type,
        plan=plan if source_type == "plan" else None,
    )


def _city_of_parts(text: str, gazetteer: Gazetteer) -> Area | None:
    """A page that says 我市/全市 and names several counties of one city, and no other city, is
    that city's ('东港市、凤城市、宽甸满族自治县…' → 丹东市); one that says 全省/我省 and names
    several cities of one province, and no other province's, is that province's ('全省14个市…长沙市
    80%、株洲市82%' → 湖南省)."""
    head = text[:3000]
    found = [area for _, _, area in gazetteer.find_mentions(head)]
    if re.search(r"[我全本]市", head):
        cities = {a.parent if a.level == "county" else a.name for a in found if a.level != "province"}
        counties = [a for a in found if a.level == "county"]
        if len(cities) == 1 and len({a.adcode for a in counties}) >= 2:
            return gazetteer.by_name(cities.pop() or "")
    if re.search(r"[我全本]省", head) and not re.search(r"[我本]市", head):  # a city's page ranks itself in 全省
        provinces = {a.province for a in found}
        prefectures = {a.adcode for a in found if a.level == "prefecture"}
        if len(provinces) == 1 and len(prefectures) >= 2:
            return gazetteer.by_name(provinces.pop() or "")
    return None


def reference_year(ctx: DocContext, text: str) -> int | None:
    """The year the text was written or read out, which 今年/去年 count from.

    The document's date when it has one; else a report on year Y that speaks of part of a
    year (截至10月, 1-6月) was written in Y, and one that looks back on Y as 去年 in Y+1.
    """
    if ctx.doc_date is not None:
        return ctx.doc_date.year
    looks_back = "去年" in text.replace("去年同期", "")
    if ctx.subject_year is None:
        # Undated and about no one year: a text that calls a year 去年 and states its figures
        # for one year above all others ('去年我省…', '2022年,我省优良天数比例为92.1%') was
        # written the year after it. Where no year stands out, the year stays unknown.
        if not looks_back:
            # undated, about part of a year ('12月和1—12月', '1-7月'), naming that one year alone
            # ('2022年12月'): its months are that year's
            if not years.has_part_year(text):
                return None
            named = [y for y in years.find_years(text, ref_year=None) if not y.relative]
            one = {y.year for y in named if y.role == years.POINT}
            if not one:
                # naming no year but the same part of one earlier year ('与2016年同期相比,上半年…'):
                # written the year after it
                bases = {y.year for y in named if y.role == years.BASE}
                same_period = any(y.role == years.BASE and text.startswith("同期", y.end) for y in named)
                return bases.pop() + 1 if same_period and len(bases) == 1 else None
            return one.pop() if len(one) == 1 else None
        named = collections.Counter(
            y.year for y in years.find_years(text, ref_year=None) if y.role == years.POINT and not y.relative
        ).most_common(2)
        if not named or (len(named) > 1 and named[1][1] == named[0][1]):
            return None
        return named[0][0] + 1
    if years.has_part_year(text):
        return ctx.subject_year
    return ctx.subject_year + 1 if looks_back else ctx.subject_year


# ----------------------------------------------------------------------------- extraction


@dataclass
class _Fact:
    code: str
    area: Area | None
    year: int | None
    kind: str
    fig: _Figure
    view: _View
    sentence: tuple[int, int]  # view span of the evidence
    year_start: int | None = None
    base_year: int | None = None
    value: float = 0.0  # signed, in the written unit
    rule: str = ""  # the composition rule that paired the indicator and the figure (RULES)
    period: Period | None = None  # part of the year the figure covers; None for the whole year


@dataclass(frozen=True)
class _Section:
    plan: str | None  # 十三五 in '(一)“十三五”时期主要成效'
    year: int | None  # 2023 in '一、2023年工作回顾'
    prospective: bool  # '二、下半年工作计划': figures are targets
    period: Period | None = None  # '二、2024年1-11月全区水环境质量状况': the part of the year its figures cover
    area: Area | None = None  # '北京——', '（二）西安市': the place the lines under it speak of


@dataclass
class _Year:
    year: int | None
    role: str | None = None
    year_start: int | None = None
    explicit: bool = False


class _Extractor:
    def __init__(self, src: str, ctx: DocContext, gazetteer: Gazetteer):
        self.src, self.ctx, self.gaz = src, ctx, gazetteer
        self.ref = reference_year(ctx, src)
        self.catalogue = load_catalogue()
        self.facts: list[_Fact] = []
        self.sections: dict[int, _Section] = {}
        self.last_year: _Year | None = None  # the last year a paragraph opened with
        self.national = False  # the paragraph's statements so far are about the whole country
        # the area that opened the paragraph's last sentence naming one: a sentence naming none goes on
        # about it ('北京市3月优良天数比例为71.0%。1-3月，优良天数比例为71.1%')
        self.opening_area: Area | None = None
        # the paragraph's last sentence naming any place opened on, or named only, regions or the
        # nation ('从三大主战场看，京津冀及周边地区“2+26”城市空气质量有所反弹。')
        self.after_region = False
        self.plan_span = years.plan_span(ctx.plan) if ctx.plan else None

    # -- document walk ---------------------------------------------------------------

    def run(self) -> list[_Fact]:
        for block in _blocks(self.src, lambda name: self._labelled_area(name) is not None):
            if block.kind == "heading":
                self._heading(block)
            elif block.kind == "table":
                self._table(block)
            else:
                self._paragraph(_view(self.src, block.start, block.end))
        return self.facts

    def _heading(self, block: _Block) -> None:
        """A heading opens a section: '一、2023年工作回顾' gives its year, '二、下半年工作计划' makes
        its figures targets, '(一)“十三五”时期主要成效' puts a plan's figures in the last period."""
        for level in [lv for lv in self.sections if lv >= block.level]:
            del self.sections[level]
        text = _view(self.src, block.start, block.end).text
        named = [y for y in years.find_years(text, ref_year=self.ref) if y.role in (years.POINT, years.BY) and y.year]
        self.sections[block.level] = _Section(
            plan=years.find_plan(text) or self._looking_back(text),
            year=named[0].year if named else None,
            prospective=bool(_PROSPECTIVE.search(text)) and not _RETROSPECTIVE.search(text),
            period=next((p for p in find_periods(text) if not p.full_year), None),
            area=self._labelled_area(_area_label(text) or ""),
        )

    def _labelled_area(self, name: str) -> Area | None:
        """The area a label names in full ('北京' → 北京市), else None (a label that is no place)."""
        found = self.gaz.find_mentions(name, context=self.ctx.area) if name else []
        if len(found) == 1 and found[0][0] == 0 and found[0][1] == len(name):
            return found[0][2]
        return None

    def _looking_back(self, heading: str) -> str | None:
        """In a plan, '一、规划基础' / '(一)主要成效' review the period before the plan's own."""
        if self.plan_span is None or not _REVIEW.search(heading):
            return None
        return next((name for name, (_, last) in T.FIVE_YEAR_PLANS.items() if last == self.plan_span[0] - 1), None)

    def _section(self, attr: str) -> str | int | bool | Period | None:
        """The innermost open section that says something about `attr`."""
        for level in sorted(self.sections, reverse=True):
            value = getattr(self.sections[level], attr)
            if value:
                return value
        return None

    def _paragraph(self, view: _View) -> None:
        s = view.text
        self.national = False
        figures = _find_figures(s)
        if figures:
            para = _Paragraph(view, _find_mentions(s), figures, self._places(s), years.has_part_year(s))
        else:  # no figure, no fact: its sentences only pass on the years they open with
            para = _Paragraph(view, [], [], [], False)
        para_year: _Year | None = None
        self.opening_area = None
        self.after_region = False
        start = 0
        for end in _sentence_ends(s):
            topical = self._sentence(para, start, end, para_year)
            if topical is not None:
                para_year = self.last_year = topical
            start = end

    def _places(self, s: str) -> list[tuple[int, int, Area | None]]:
        """Area mentions and self references (我市, 城区: the document's own area), in order."""
        found: list[tuple[int, int, Area | None]] = list(self.gaz.find_mentions(s, context=self.ctx.area))
        found += [(a, b, NATION) for a, b in areas.find_regions(s)]  # 长三角, 汾渭平原: no area, no fact
        covered = bytearray(len(s) + 1)  # a flag per character inside, or right after, a named area
        for a, b, _ in found:
            covered[a : b + 1] = b"\x01" * (b + 1 - a)
        for m in T.SELF_REFERENCE_RE.finditer(s):
            if any(covered[m.start() : m.end()]):
                continue  # 彰武县建成区: the urban part of the county just named
            if m.start() and s[m.start() - 1].isdigit():
                continue  # '关中7市区': a count of cities and districts, not the urban part of one
            found.append((m.start(), m.end(), self._self_area(m.group())))
        return sorted(found, key=lambda p: p[0])

    def _self_area(self, word: str) -> Area | None:
        """我市/全县/城区 → the document's own area; 全省 → its province; 全国 → no area at all."""
        if word == "全国":
            return NATION
        if word in ("全省", "我省", "本省") and self.ctx.area is not None and self.ctx.area.level != "province":
            return self.gaz.by_name(self.ctx.area.province or "")
        return self.ctx.area

    # -- one sentence ----------------------------------------------------------------

    def _sentence(self, para: _Paragraph, a: int, b: int, para_year: _Year | None) -> _Year | None:
        """The facts of one sentence; returns the year it opens with, if any, for the next ones."""
        s = para.view.text
        self._national_topic(
            s, a, para.places[bisect.bisect_left(para.place_starts, a) : bisect.bisect_left(para.place_starts, b)]
        )
        figs = para.figures[bisect.bisect_left(para.fig_starts, a) : bisect.bisect_left(para.fig_starts, b)]
        year_mentions = [_shift(y, a) for y in years.find_years(s[a:b], ref_year=self.ref)]
        if not figs:  # no figure, no fact: the sentence only passes on the year it opens with
            if not year_mentions:
                return None
            return self._topical(
                _Env(para.view, (a, b), _clauses(s, a, b), year_mentions, [], para_year, para.part_year)
            )
        lo, hi = bisect.bisect_left(para.mention_starts, a), bisect.bisect_left(para.mention_starts, b)
        ments = [m for m in para.mentions[lo:hi] if m.end <= b]
        env = _Env(
            para.view,
            (a, b),
            _clauses(s, a, b),
            year_mentions,
            para.places[bisect.bisect_left(para.place_starts, a) : bisect.bisect_left(para.place_starts, b)],
            para_year,
            para.part_year,
            figs,
            ments=ments,
            periods=[replace(p, start=p.start + a, end=p.end + a) for p in find_periods(s[a:b])],
            prior=self._prior(para, lo, a),
        )
        runs = self._runs(env, figs)
        done: set[int] = set()
        emitted: list[_Fact] = []
        bound: dict[int, list[_Figure]] = {}
        topic: tuple[_Mention, _Figure] | None = None
        for f in figs:
            if f.start in runs:
                dm, run = runs[f.start]
                done.update(g.start for g in self._distribution(env, dm, run, ments, emitted))
            if f.start in done:
                topic = None
                continue
            if topic is not None and _aside_after(s, f, topic[1]):
                continue  # the topic goes on after the aside
            clause = env.clause_of(f.start)
            listed = self._area_list(env, f)
            if listed is not None:
                mention, area = listed
                code = self._choose_code(mention, f, None)
                year = self._year(env, f, clause)
                fact = self._build(env, f, code, None, year, clause, area=area, rule=AREA_LIST) if code else None
                if fact is not None:
                    emitted.append(fact)
                    self._emit(fact)
                topic = None
                continue
            mention = self._governing(env, f, clause, bound)
            rule = GOVERNING if mention is None or mention.end > clause[0] else COPULA
            if mention is None and topic is not None and self._continues(env, f, clause, topic, bound):
                mention, rule = topic[0], CONTINUATION
            elif mention is not None and topic is not None and mention.start == topic[0].start:
                mention = topic[0]  # the phrase again, as the figure before it read it
            if mention is None:
                shared = self._share_of_count(env, f)
                if shared is not None:
                    fact, subject = shared
                    topic = (subject, f)  # 比上年提高16个百分点 goes on about the share
                    emitted.append(fact)
                    self._emit(fact)
                    continue
                fact = self._area_clause(env, f, clause)
                if fact is not None:
                    emitted.append(fact)
                    self._emit(fact)
                    continue
                if f.countable and not f.flat and not _is_share(s, f, clause):
                    topic = None
                continue
            if _site_subject(s, env.clause_of(mention.start)[0], mention):
                topic = None
                continue
            if _FROM_LEVEL.search(s, max(0, f.start - 3), f.start) and _TO_LEVEL.match(s, f.unit_end):
                # 由44.3%提高到45.2%: the level before, of a year the text does not name; no fact,
                # but the figure after 到 still reads the phrase
                bound.setdefault(mention.start, []).append(f)
                continue
            fact = self._fact(env, f, mention, clause, rule)
            if fact is None:
                continue
            bound.setdefault(mention.start, []).append(f)
            if fact.code in mention.codes:  # 二氧化硫12微克/立方米，同比改善7.7%: the concentration's change
                mention = replace(mention, codes=(fact.code, *(c for c in mention.codes if c != fact.code)))
            topic = (mention, f)
            for one in [fact, *self._shared_by_areas(env, fact, mention)]:
                emitted.append(one)
                self._emit(one)
        if env.places:
            self.opening_area = self._opening_area(env)
            self.after_region = self.opening_area is NATION or all(p[2] is NATION for p in env.places)
        return self._topical(env)

    def _opening_area(self, env: _Env) -> Area | None:
        """The area a sentence opens with (after a period or year at most: '1-7月，北京市…'), if any."""
        a, places = _from_line_start(env.view, env.sentence[0], env.places)
        first = places[0]
        if first[0] - a <= _OPENING_LEAD and not any(g.countable for g in env.figs_between(a, first[0])):
            return first[2]
        return None

    @staticmethod
    def _prior(para: _Paragraph, lo: int, a: int) -> _Mention | None:
        """The paragraph's last indicator phrase that ends before the sentence at a (mentions do not
        overlap, so at most one step back from the first mention of the sentence)."""
        k = lo - 1
        while k >= 0 and para.mentions[k].end > a:
            k -= 1
        return para.mentions[k] if k >= 0 else None

    def _shared_by_areas(self, env: _Env, fact: _Fact, mention: _Mention) -> list[_Fact]:
        """图们市、和龙市、汪清县优良天数为117天: areas listed right before the phrase share its figure;
        the fact found went to one of them, the others get the same figure. The list may close
        with its count ('广州、韶关等11个城市的优良天数比例为100%')."""
        s = env.view.text
        places = env.places_between(env.clause_of(mention.start)[0], mention.start)
        if len(places) < 2:
            return []
        if places[-1][1] != mention.start and not _AREA_LIST_TAIL.fullmatch(s, places[-1][1], mention.start):
            return []
        run = [places[-1]]
        for place in reversed(places[:-1]):
            if not _AREA_JOIN.fullmatch(s, place[1], run[-1][0]):
                break
            run.append(place)
        if not any(area is fact.area for _, _, area in run):
            return []
        return [
            replace(fact, area=area, rule=SHARED_BY_AREAS)
            for _, _, area in run
            if area is not None and area is not NATION and area is not fact.area
        ]

    def _area_list(self, env: _Env, f: _Figure) -> tuple[_Mention, Area] | None:
        """'PM2.5平均浓度由低至高依次为：呼伦贝尔市(20微克/立方米)、阿拉善盟(24微克/立方米)…': a
        figure in brackets right after an area name is that area's figure for the indicator the list
        follows. Every item between the indicator and the figure must be such an 'area(figure)'."""
        s = env.view.text
        if f.start < 1 or s[f.start - 1] != "(" or s[f.unit_end : f.unit_end + 1] != ")":
            return None
        places = env.places_between(max(env.sentence[0], f.start - 20), f.start)
        if not places or places[-1][1] != f.start - 1 or places[-1][2] is None or places[-1][2] is NATION:
            return None
        k = bisect.bisect_right(env.ment_ends, places[-1][0])
        if not k:
            return None
        m = env.ments[k - 1]
        stretch = s[m.end : places[-1][0]]
        if len(stretch) > 30 + 25 * stretch.count("(") or _AREA_LIST_BREAK.search(stretch):
            return None
        for g in env.figs_between(m.end, f.start):  # the items before this one are listed areas too
            if g.countable and (s[g.start - 1 : g.start] != "(" or s[g.unit_end : g.unit_end + 1] != ")"):
                return None  # a count or rank ('后3位', '5个区县') announces the list and is no item
        return m, places[-1][2]

    def _governing(self, env: _Env, f: _Figure, clause: tuple[int, int], bound: dict) -> _Mention | None:
        """The indicator phrase before a figure in its clause that governs it, if any."""
        s, ments = env.view.text, env.ments
        k = bisect.bisect_right(env.ment_ends, f.start)  # mentions do not overlap: ends are sorted
        if not k or ments[k - 1].start < clause[0]:
            return self._copula(env, f, clause)
        m = ments[k - 1]
        chained = bound.get(m.start, [])
        if f.start - m.end - sum(g.unit_end - g.start for g in chained) > _MAX_GAP:
            return None  # the cheap test first: the gap cannot shrink below this
        gap = _blank(s, m.end, f.start, [(g.start, g.unit_end) for g in chained])
        if len(gap.replace(" ", "")) > _MAX_GAP:
            return None
        chained_at = {g.start for g in chained}
        others = [g for g in env.figs_between(m.end, f.start) if g.start not in chained_at and not g.flat]
        if any(g.countable for g in others):
            return None
        if m.codes[0] in _RATIO_SIBLING and f.unit == "%" and _SHARE_OF_DAYS.fullmatch(gap.replace(" ", "")):
            return m  # 优良天数占整月有效天数的96.8%: the share of those days, the ratio indicator
        # 浓度下降比例为69.7%: the words of a change speak of the phrase's own figure
        blocker = _BLOCKER.search(change_verbs().any_word.sub("", _SHARE.sub("", gap)))
        if blocker:
            return None
        return m

    def _copula(self, env: _Env, f: _Figure, clause: tuple[int, int]) -> _Mention | None:
        """洪泽区PM2.5浓度最低，为31.2μg/m³: the indicator closes the clause before, '为' opens this one."""
        s = env.view.text
        labelled = clause[0] > 0 and s[clause[0] - 1] in ":：" and not s[clause[0] : f.start].strip()
        averaged = _AVERAGE_COPULA.fullmatch(s, clause[0], f.start) is not None
        if clause[0] == 0 or not (
            labelled
            or averaged
            or _COPULA.fullmatch(s, clause[0], f.start)
            or change_verbs().opening.fullmatch(s, clause[0], f.start)
        ):
            return None  # '为31.2' or a change that opens its clause: '下降比例为69.7%'
        k = bisect.bisect_right(env.ment_ends, clause[0])
        if not k:
            return None
        m = env.ments[k - 1]
        if labelled and m.end != clause[0] - 1:
            return None  # 'PM2.5年均浓度值:34': only the phrase the colon closes labels the figure
        tail = s[m.end : clause[0] - 1]
        if averaged and _SPREAD.fullmatch(tail):
            return m  # 优良天数比例在89.9%-98.1%之间，全省平均为94.0%: the spread over the areas, then the mean
        between = env.figs_between(m.end, clause[0])
        named = s[max(m.end, env.clause_of(clause[0] - 1)[0]) : clause[0] - 1]
        if _SUPERLATIVE.fullmatch(named) and all(g.start in env.subjects for g in between):
            # 可吸入颗粒物浓度最好的城市是威海市，为71，最差的城市是聊城市，为210: the places named
            places = env.places_between(m.end, clause[0])
            if places and places[-1][1] == clause[0] - 1 and places[-1][2] not in (None, NATION):
                env.subjects[f.start] = places[-1][2]
                return m
            return None
        tail = change_verbs().any_word.sub("", tail)  # 优良天数增幅在全国最多，同比增加了52天
        if between or len(tail) > 6 or _BLOCKER.search(tail):
            return None
        return m

    def _continues(
        self, env: _Env, f: _Figure, clause: tuple[int, int], topic: tuple[_Mention, _Figure], bound: dict
    ) -> bool:
        """A clause without its own indicator that goes on about the last one (同比增加14天, 占比61.7%)."""
        s = env.view.text
        pre = s[max(clause[0], f.start - _LOOK) : f.start]
        share = re.search(r"占(?!比)", pre)
        if share:
            # 优良天数300天，占全年有效监测天数的82.2%: the share of days is the ratio indicator
            of_days = "天" in pre[share.end() :] or "全年" in pre[share.end() :]  # 占全年的67.4%
            return topic[0].codes[0] in _RATIO_SIBLING and of_days and f.unit == "%"
        if topic[0].codes[0] in _RATIO_SIBLING and f.unit == "%" and _RATIO_OF_TOPIC.fullmatch(pre):
            return True  # 优良天数333天，达标比例91%: the share of those days
        # 优良天数比例为82.5%，未完成省定85%的目标: a figure named as the requirement goes on about the topic
        required = _REQUIREMENT_AFTER.match(s, f.unit_end) is not None and f.unit == topic[1].unit
        if not _CONTINUATION.search(pre) and not f.flat and not required and not self._other_extreme(env, f, clause):
            return False
        if _NORM_MARGIN.search(pre):
            return False  # 较国家二级标准低4微克/立方米: the distance to a standard, no change of the topic
        if _BLOCKER.search(change_verbs().any_word.sub("", _SHARE.sub("", pre))):
            return False  # 下降比例为8.7%: the words of a change are no other noun
        between = [g for g in env.figs_between(topic[1].start + 1, f.start) if not g.flat]
        if any(not g.countable and self._measures_other(env, g) for g in between):
            return False
        chained = {g.start for g in bound.get(topic[0].start, [])}
        return all(g.start in chained or _is_share(s, g, env.clause_of(g.start)) for g in between if g.countable)

    def _other_extreme(self, env: _Env, f: _Figure, clause: tuple[int, int]) -> bool:
        """耒阳市森林覆盖率最高，为65.2%；衡南县最低，为38.1%: the other end of the range, an area and
        最高/最低 alone in the clause before the figure's, goes on about the same indicator."""
        s = env.view.text
        if not _COPULA.fullmatch(s, clause[0], f.start):
            return False
        k = bisect.bisect_left(env.clause_starts, clause[0])
        if k == 0:
            return False
        c0, c1 = env.clauses[k - 1]
        inside = env.places_between(c0, c1)
        if len(inside) != 1 or inside[0][2] in (None, NATION):
            return False
        head = s[c0 : inside[0][0]].lstrip(";；,，")
        return (
            _AREA_CLAUSE_HEAD.fullmatch(head) is not None
            and _EXTREME_ONLY.fullmatch(s, inside[0][1], c1 - 1) is not None
        )

    def _measures_other(self, env: _Env, g: _Figure) -> bool:
        """总磷浓度为0.060毫克/升: a figure in a unit the table does not know, stated for a measurable
        noun outside the catalogue; what follows speaks of that noun, not of the topic."""
        if g.unit in _GRADES:
            return False  # 达到国家空气质量二级标准: a grade reached, no measure of another noun
        clause = env.clause_of(g.start)
        text = env.view.text[max(clause[0], g.start - _LOOK) : g.start]
        return bool(_BLOCKER.search(text)) and not _find_mentions(text)  # the cheap test first

    # -- one fact --------------------------------------------------------------------

    def _fact(self, env: _Env, f: _Figure, mention: _Mention, clause: tuple[int, int], rule: str) -> _Fact | None:
        s = env.view.text
        anchor = max(clause[0], mention.end if mention.end <= f.start else clause[0], f.start - _LOOK)
        prev = [g for g in env.figs_between(anchor - _LOOK, f.start) if anchor < g.unit_end <= f.start]
        near = s[max(anchor, prev[-1].unit_end) if prev else anchor : f.start]
        if _MONTH_CUE.search(near):
            return None  # 环比: against the month before, not a yearly change
        if near == ")" and prev and s[prev[-1].start - 1 : prev[-1].start] == "(":
            near = s[anchor : prev[-1].start - 1]  # 高出年度目标(90.1%)5.9个百分点: the words before the bracket
        margin = _MARGIN.search(near)
        if margin and (margin.group(1) or f.unit == "个百分点"):
            return None  # 优于年度目标7.2微克/立方米: the margin over a target is a difference, no fact
        if _NORM_MARGIN.search(near):
            return None  # 较国家推荐的控制值低8.4dB(A): the distance to a standard, no fact
        if _TARGET_MARGIN.search(near):
            return None  # 比目标多下降3.5%: the margin over a target, no change
        if mention.end <= f.start and _PLANNED_CUT.search(s, max(clause[0], mention.start - _LOOK), mention.start):
            return None  # 项目建成后可削减化学需氧量8389吨: a planned reduction, no emission
        if f.qualifier in (">", "≥", "≤") and _COUNTED_AREAS.search(s, clause[0], mention.start):
            # 3个县森林覆盖率超过50%, 邢台、邯郸等24个城市达标天数比例不足50%: a bar the counted
            # areas pass or miss, no figure of one area
            return None
        if _EXTREME.search(near) and not env.places_between(clause[0], f.start):
            return None  # 浓度均值最高114，最低86: the extremes among places the clause does not name
        change = self._change(near, f)
        if change is None and rule == COPULA and _COPULA_ONLY.fullmatch(near):
            # 重污染天数同比增加最多是济南市，为16天: the change named before the comma
            # …减少最多的是临沂，减少25天；同比增加最多的是聊城，为4天: the verb nearest the figure
            verbs = list(change_verbs().any_word.finditer(s, mention.end, clause[0]))
            change = verbs[-1].group() if verbs else None
        code = self._choose_code(mention, f, change)
        if code is None:
            return None
        base = self._base_paren(env, f)
        if base is not None:
            return self._make(env, code, f, ACTUAL, base, f.value, rule=BASE_IN_PARENTHESES)
        return self._build(env, f, code, change, self._year(env, f, clause), clause, rule=rule)

    def _build(
        self,
        env: _Env,
        f: _Figure,
        code: str,
        change: str | None,
        year: _Year,
        clause: tuple[int, int],
        *,
        area: Area | None = None,
        kind: str | None = None,
        rule: str,
    ) -> _Fact | None:
        """A change (signed, percent or absolute) or a level (actual or target) of one figure."""
        if change is not None:
            sign = self._sign(change, code)
            kind = CHANGE_PCT if f.unit == "%" else CHANGE_ABS
            if sign is None or not self._compatible(code, kind, f):
                return None
            value = 0.0 if f.flat else abs(f.value) * sign
            base_year = self._base_year(env, f, year)
            return self._make(env, code, f, kind, year, value, base_year=base_year, area=area, rule=rule)
        kind = kind or self._kind(env, f, clause, year)
        if not self._compatible(code, kind, f):
            return None
        return self._make(env, code, f, kind, year, f.value, area=area, rule=rule)

    def _make(
        self,
        env: _Env,
        code: str,
        f: _Figure,
        kind: str,
        year: _Year,
        value: float,
        *,
        base_year: int | None = None,
        area: Area | None = None,
        rule: str,
    ) -> _Fact:
        period = None
        if kind != TARGET:  # targets cover their year; a figure's own period, else its section's
            period = env.period_before(f.start) or self._section("period")
        return _Fact(
            rule=rule,
            period=period if period is not None and not period.full_year else None,
            code=code,
            area=area if area is not None else self._area(env, f),
            year=year.year,
            kind=kind,
            fig=f,
            view=env.view,
            sentence=env.sentence,
            year_start=year.year_start,
            base_year=base_year,
            value=value,
        )

    def _change(self, near: str, f: _Figure) -> str | None:
        """The change verb right before a figure ('下降', '改善', '持平'), or None for a level."""
        if f.flat:
            return "持平"
        verbs = change_verbs()
        if verbs.level.search(near):
            return None
        m = verbs.spread.search(near) or verbs.change.search(near)
        if m:
            return m.group(1)
        if _BASE_CUE.search(near) or re.search(r"[较比]", near):
            m = verbs.after_base.search(near)
            if m:
                return m.group(1)
            if f.signed:
                return "+" if f.value >= 0 else "-"
        return None

    def _sign(self, verb: str, code: str) -> int | None:
        """下降 −, 增加 +, 持平 0; 改善/恶化 by the indicator's direction (None where it has none)."""
        if verb == "持平":
            return 0
        if verb in ("+", "-"):
            return 1 if verb == "+" else -1
        return change_verbs().sign(verb, self.catalogue[code].higher_is_better)

    def _choose_code(self, mention: _Mention, f: _Figure, change: str | None) -> str | None:
        """The first alternative whose unit fits the figure; 优良天数 … 占比 61.7% is the ratio."""
        for code in mention.codes:
            unit = self.catalogue[code].unit
            if code in _RATIO_SIBLING and f.unit == "%" and change is None:
                return _RATIO_SIBLING[code]
            if code in _RATIO_SIBLING and f.unit == "个百分点" and change is not None:
                return _RATIO_SIBLING[code]  # percentage points: a change of the share of those days
            if change is not None and (f.unit == "%" or f.flat):
                return code
            if self._fits(unit, f):
                return code
            if change is not None and code in _DAYS_OF_RATIO and f.unit == "天":
                return _DAYS_OF_RATIO[code]  # 优良率为96.4%，同比增加11天: the days behind the share
        return None

    def _fits(self, target_unit: str, f: _Figure) -> bool:
        if not f.countable:
            return False
        if f.unit == "":
            return target_unit in units.UNITLESS or f.flat
        known = units.unit_table().get(units.unit_key(f.unit))
        if known is None:
            # a unit the table does not know yet: keep it (quarantined downstream) if it looks like a measure
            return bool(re.search(r"[A-Za-zμµ/]", f.unit))
        return units.convertible(known[0], target_unit)

    def _compatible(self, code: str, kind: str, f: _Figure) -> bool:
        if kind == CHANGE_PCT:
            return f.unit == "%"
        if f.flat:
            return True
        return self._fits(self.catalogue[code].unit, f)

    def _base_paren(self, env: _Env, f: _Figure) -> _Year | None:
        """较去年同期(287天) / 由2015年的273天: a figure for the base or an earlier year."""
        s = env.view.text
        near = []  # the years that end right before the figure, in text order
        for y in env.years_before(f.start):
            if f.start - y.start > _LOOK:
                break
            near.insert(0, y)
        for y in near:
            if y.role == years.BASE and 0 <= f.start - y.end <= 2 and "(" in s[y.end : f.start]:
                return _Year(y.year, years.BASE, explicit=True)
            if (
                y.role == years.ATTACHED
                and 0 < f.start - y.end <= 4
                and s[y.end : f.start].rstrip("约近").endswith("的")
            ):
                return _Year(y.year, years.ATTACHED, explicit=True)
        return None

    def _year(self, env: _Env, f: _Figure, clause: tuple[int, int]) -> _Year:
        pick = None  # the nearest governing year in the clause, else the nearest before it that is no date
        for y in env.years_before(f.start):
            if y.role not in _GOVERNING or y.year is None:
                continue
            if y.start >= clause[0] or y.role != years.DATE:
                pick = y
                break
        if pick is not None:
            start = pick.year_start if pick.role == years.PERIOD else None
            return _Year(pick.year, pick.role, start, explicit=True)
        period = env.period_before(f.start)
        if period is not None:  # 截至2024年10月18日，…: the year the period names
            named = next((y for y in env.year_mentions if y.year and period.start <= y.start < period.end), None)
            if named is not None:
                return _Year(named.year, named.role, explicit=True)
        if env.para_year is not None:
            return env.para_year
        section_year = self._section("year")
        if isinstance(section_year, int):
            return _Year(section_year, explicit=True)
        if self.plan_span is not None:
            period = self._section("plan")
            if isinstance(period, str) and T.FIVE_YEAR_PLANS[period][1] < self.plan_span[0]:
                first, last = T.FIVE_YEAR_PLANS[period]
                return _Year(last, years.PERIOD, first)
            return _Year(self.plan_span[1], years.DEADLINE)
        period = env.period_before(f.start)
        part = env.part_year or (period is not None and not period.full_year)  # 我州4月…: the year of writing
        if (part or self._section("prospective")) and self.ref is not None:
            return _Year(self.ref)  # 截至10月… / 下一步工作打算: the year of writing
        if self.ctx.subject_year is None and self.last_year is not None:
            return self.last_year  # a page about one year names it once ("2024年，沈阳市…") and goes on
        if self.ctx.subject_year is None and self.ref is not None and self._against_last_year(env, f):
            return _Year(self.ref)  # 今天…与上年同期相比，优良天数比例上升0.5个百分点: this year's change
        if self.ctx.subject_year is None and self.ref is not None and self._since_before(env, f):
            return _Year(self.ref)  # “十三五”以来累计下降20% on a page of 2019: up to the time of writing
        return _Year(self.ctx.subject_year)

    @staticmethod
    def _since_before(env: _Env, f: _Figure) -> bool:
        """A start (“十三五”以来, 2017年以来) before the figure in its sentence."""
        return any(y.role == years.SINCE and env.sentence[0] <= y.start < f.start for y in env.year_mentions)

    def _against_last_year(self, env: _Env, f: _Figure) -> bool:
        """A base that counts back from the time of writing (上年同期, 去年) before the figure."""
        k = bisect.bisect_left(env.base_starts, f.start)
        return any(y.relative and y.end <= f.start and y.year == self.ref - 1 for y in env.bases[max(0, k - 2) : k])

    def _base_year(self, env: _Env, f: _Figure, year: _Year) -> int | None:
        """与2015年相比 → 2015; 同比/较上年 → the year before; a table's earlier column.

        A relative base (比上年, 较去年同期) counts back from the figure's own year, not from the time of
        writing: a bulletin on 2023 published in 2024 compares 2023 with 2022."""
        if env.base is not None:
            return env.base
        k = bisect.bisect_left(env.base_starts, f.start)
        bases = [y for y in env.bases[max(0, k - 2) : k] if y.end <= f.start]
        if bases:
            base = bases[-1]
            if base.relative and None not in (base.year, year.year, self.ref):
                return year.year + (base.year - self.ref)
            return base.year
        if env.said_before(_BASE_CUE, f.start) and year.year is not None:
            return year.year - 1
        return None

    def _kind(self, env: _Env, f: _Figure, clause: tuple[int, int], year: _Year) -> str:
        s = env.view.text
        if year.role == years.DEADLINE:
            return TARGET
        if self._future(year.year):
            return TARGET
        if year.role == years.BY and (self.ctx.source_type == "plan" or self._undated()):
            return TARGET
        if self._plan_end(year.year):
            return TARGET
        if (
            year.role == years.PERIOD
            and self.plan_span is not None
            and year.year is not None
            and year.year >= self.plan_span[1]
        ):
            return TARGET
        near = s[max(clause[0], f.start - _LOOK) : f.start]
        if _ACTUAL_NEAR.search(near):
            return ACTUAL
        if _TARGET_NEAR.search(near.rstrip("约近")) or _REQUIREMENT_AFTER.match(s, f.unit_end):
            return TARGET
        if target_cues().search(near) and not _ACHIEVED.search(near):
            return TARGET
        if env.said_before(_TARGET_SENTENCE, f.start) and not env.said_before(_ACHIEVED, f.start):
            return TARGET
        if self._section("prospective") and (year.year is None or self.ref is None or year.year >= self.ref):
            return TARGET
        return ACTUAL

    def _plan_end(self, year: int | None) -> bool:
        """2025年，重庆市…优良比例达到97.3% in a page on the 十四五 plan: a plan's figure for its last
        year (or later) is a goal, unless the page was written after that year had ended."""
        if self.ctx.source_type != "plan" or self.plan_span is None or year is None or year < self.plan_span[1]:
            return False
        return self.ctx.doc_date is None or self.ctx.doc_date.year <= self.plan_span[1]

    def _undated(self) -> bool:
        """到2030年，受污染耕地安全利用率达到95%以上 in a text with no date and no year of its own:
        nothing says the year is over, and 到…年 with no date to look back from announces a goal."""
        return self.ref is None and self.ctx.subject_year is None

    def _future(self, year: int | None) -> bool:
        """A year after the one the text was written in: its figures can only be targets."""
        ref = self.ref if self.ref is not None else self.ctx.subject_year
        if ref is None and self.plan_span is not None:
            ref = self.plan_span[0]  # an undated plan was written as its period began
        return year is not None and ref is not None and year > ref

    def _area(self, env: _Env, f: _Figure) -> Area | None:
        if f.start in env.subjects:
            return env.subjects[f.start]
        s = env.view.text
        clause = env.clause_of(f.start)
        for p in reversed(env.places_between(clause[0], f.start)):
            if p[1] <= f.start and _GROUP_JOIN.search(s, max(0, p[0] - 16), p[0]):
                return self.ctx.area  # '9个设区城市及平潭综合实验区…平均': the group, not its last member
            if p[1] <= f.start and not _aside(s, clause[0], p, f.start) and not self._assessor(s, p):
                return p[2]
        # an area that opens an earlier clause of the same statement ('彰武县…，同比…') still speaks
        k = bisect.bisect_left(env.clause_starts, clause[0])
        for c0, c1 in reversed(env.clauses[max(0, k - _BACK_CLAUSES) : k]):
            inside = env.places_between(c0, c1)
            if inside and _RANK_SCOPE.search(s, c0, c1):
                continue  # '浙江省排名第一', '在全国168个重点城市中排行第三': where a rank is counted
            c0, inside = _from_line_start(env.view, c0, inside)
            if len(inside) == 1 and inside[0][0] - c0 <= 6 and _SUBJECT_PREFIX.fullmatch(s, c0, inside[0][0]):
                return inside[0][2]  # past a ';' too: '北京市优良天数比例为77.9%…；PM2.5浓度为31'
            if inside:
                break
        if (
            not env.places
            and self.opening_area is not None
            and (self._opens_with_period(env) or s.startswith("其中", env.sentence[0]))
        ):
            return self.opening_area  # '1-3月，优良天数比例为71.1%', '其中，PM2.5为30': the area before
        if self.ctx.area is None and self.after_region and not env.places_between(env.sentence[0], f.start):
            # a page of no area of its own whose sentence before opened on, or only named, a region or
            # the nation ('“2+26”城市PM2.5平均浓度为70…。发生重污染395天次，…同比下降4%的改善目标')
            # goes on about it
            return NATION
        if self.national and not env.places:
            return NATION
        return self._section("area") or self.ctx.area  # the place a section heading names, else the page's

    def _national_topic(self, s: str, a: int, places: list[tuple[int, int, Area | None]]) -> None:
        """上半年，全国化学需氧量排放总量1138.3万吨…。氨氮排放总量118.6万吨…: a paragraph that opens a
        statement on the whole country goes on about it in the sentences that name no area of their own;
        a sentence naming an area ends that. A river basin or region (赣江流域…) speaks only for its
        own sentence."""
        if any(p[2] is not NATION for p in places):
            self.national = False
        elif (
            places
            and s.startswith("全国", places[0][0])  # also '全国339个地级及以上城市', a region from 全国 on
            and not _NATION_TITLE.match(s, places[0][0] + 2)
            and places[0][0] - _after_attribution(s, a) <= _NATION_OPENING
            and not _CLAUSE_BREAK.search(s, a, places[0][0])
        ):
            self.national = True

    @staticmethod
    def _opens_with_period(env: _Env) -> bool:
        """A sentence that opens with a part of the year and names no area ('1-3月，…', '上半年，…')
        goes on about the area of the sentence before; one opening otherwise may change the subject."""
        if not env.periods:
            return False
        start = env.sentence[0]
        lead = env.view.text[start : env.periods[0].start]
        return len(lead) <= _OPENING_LEAD and _PERIOD_OPENING.fullmatch(lead) is not None

    def _assessor(self, s: str, place: tuple[int, int, Area | None]) -> bool:
        """纳入国家与湖北省考核的9个断面 in a page of 宜昌市: the province that sets the assessment,
        named before the document's own figures, is not their area."""
        own, area = self.ctx.area, place[2]
        if own is None or area is None or area is NATION or area.adcode == own.adcode:
            return False
        above = area.name in (own.province, own.parent)
        return above and _ASSESSOR_AFTER.match(s, place[1]) is not None

    def _topical(self, env: _Env) -> _Year | None:
        """A year that opens a clause ('2020年,…', '截至2020年') carries over to later sentences."""
        s = env.view.text
        for y in env.year_mentions:
            if y.role not in (years.POINT, years.BY, years.PERIOD) or y.year is None:
                continue
            clause = env.clause_of(y.start)
            if y.start - clause[0] <= 4 and _TOPIC_PREFIX.fullmatch(s, clause[0], y.start):
                return _Year(y.year, y.role, y.year_start if y.role == years.PERIOD else None, explicit=True)
        return None

    # -- 分别 / 均 ---------------------------------------------------------------------

    def _runs(self, env: _Env, figs: list[_Figure]) -> dict[int, tuple[re.Match, list[_Figure]]]:
        """分别/均 and the figures each spreads over, by the start of the first figure."""
        s = env.view.text
        out: dict[int, tuple[re.Match, list[_Figure]]] = {}
        for dm in _DIST.finditer(s, *env.sentence):
            run = _figure_run(s, dm.end(), env.clause_of(dm.start())[1], env.figs_from(dm.end()))
            if run and run[0].start not in out and (dm.group() == "分别" or len(run) == 1):
                out[run[0].start] = (dm, run)
        # 较2017年下降10.3%、12.0%: a clause that opens with a change and lists figures, no 分别
        for c0, c1 in env.clauses:
            dm = _implied_list().match(s, c0, c1)
            if dm is None:
                continue
            run = _figure_run(s, dm.end(), c1, env.figs_between(dm.end(), c1))
            if len(run) > 1 and run[0].start not in out:
                out[run[0].start] = (dm, run)
        return out

    def _distribution(
        self, env: _Env, dm: re.Match, run: list[_Figure], ments: list[_Mention], emitted: list[_Fact]
    ) -> list[_Figure]:
        """Emit the facts of one 分别/均 list; returns the figures it used up."""
        s = env.view.text
        clause = env.clause_of(dm.start())
        first = max(clause[0], dm.start() - _LOOK)  # the items of a list stand right before 分别
        subject = s[first : dm.start()]
        implied = dm.re is _implied_list()
        # PM10、二氧化氮平均浓度同比分别下降1.6%、7.1%: the base of the change closes the items
        items = subject[: _BASE_TAIL.search(subject).start()]
        pairs = None if implied or not items else self._distribute(env, items, first, dm, run, ments)
        rule = DISTRIBUTION
        if pairs is None and not implied and dm.group() == "分别" and _NO_SUBJECT.fullmatch(subject):
            pairs = self._areas_before(env, clause, dm, run)
            rule = LISTED_AREAS if pairs is not None else DISTRIBUTION
        other = self._other_area(env, clause, dm) if pairs is None and not implied and dm.group() == "分别" else None
        if pairs is None and (
            implied or other is not None or (_NO_SUBJECT.fullmatch(subject) and dm.group() == "分别")
        ):
            # 罚没款428.6万元,同比分别下降12.3%和8.5%: over the indicators just stated; '淄川区分别为
            # 36、68' over those just stated for another area, now for the area that opens the clause
            recent = emitted[-4 * len(run) :]  # the statement just made, not the whole sentence
            earlier = list({(x.code, x.area.adcode if x.area else None): x for x in recent}.values())
            # … and only when they are the figures right before: '昼间达标率为100%、夜间达标率为97.2%，
            # 同比分别提升0.8个百分点和6.7个百分点' speaks of two figures that made no fact
            stated = [g.start for g in env.figs_between(env.sentence[0], dm.start()) if g.countable and not g.flat]
            if len(earlier) >= len(run) and stated[-len(run) :] == [x.fig.start for x in earlier[-len(run) :]]:
                pairs = [(x.code, other or x.area, f) for x, f in zip(earlier[-len(run) :], run, strict=True)]
                if other is not None and any(x.area is other for x in earlier[-len(run) :]):
                    pairs = None  # the same area again: no second reading of its figures
        listed = pairs is None and not implied and dm.group() == "分别"
        if listed and self._periods_listed(env, clause, dm, run, emitted):
            return run
        if pairs is None:
            return run if dm.group() == "分别" and not implied else []
        for code, area, f in pairs:
            # each figure may carry its own verb: 分别比2015年下降28.2%、提高12.7个百分点
            i = run.index(f) if f in run else 0
            own = s[run[i - 1].unit_end : f.start] if i else ""
            pred = own if change_verbs().change.search(own) else s[dm.start() if implied else dm.end() : run[0].start]
            year = self._year(env, f, clause)
            fact = self._build(env, f, code, self._change(pred, f), year, clause, area=area, rule=rule)
            if fact is not None:
                emitted.append(fact)
                self._emit(fact)
        return run

    def _periods_listed(
        self, env: _Env, clause: tuple[int, int], dm: re.Match, run: list[_Figure], emitted: list[_Fact]
    ) -> bool:
        """2023年4月、5月、6月，PM2.5平均浓度分别为35、28、22: as many periods as figures, listed
        before the one indicator phrase 分别 follows, give each figure its period (rule
        periods_listed). Levels only: a change over listed periods has no base to read."""
        s = env.view.text
        before = [p for p in env.periods if env.sentence[0] <= p.start and p.end <= dm.start() and not p.full_year]
        if len(before) < 2:
            return False
        chain = [before[-1]]
        for p in reversed(before[:-1]):
            if not _AREA_JOIN.fullmatch(s, p.end, chain[-1].start):
                break
            chain.append(p)
        chain.reverse()
        ments = [m for m in env.ments if chain[-1].end <= m.start and m.end <= dm.start()]
        if len(chain) != len(run) or len(ments) != 1 or s[dm.end() : run[0].start].strip("为是达到约近"):
            return False
        if any(g.countable for g in env.figs_between(chain[-1].end, dm.start())):
            return False
        for p, f in zip(chain, run, strict=True):
            code = self._choose_code(ments[0], f, None)
            year = self._year(env, f, clause)
            fact = self._build(env, f, code, None, year, clause, rule=PERIODS_LISTED) if code else None
            if fact is not None:
                fact = replace(fact, period=p)
                emitted.append(fact)
                self._emit(fact)
        return True

    @staticmethod
    def _other_area(env: _Env, clause: tuple[int, int], dm: re.Match) -> Area | None:
        """The one area that is all a clause names before its 分别 ('，淄川区分别为36、68'), if any."""
        places = env.places_between(clause[0], dm.start())
        if len(places) != 1 or places[0][2] in (None, NATION):
            return None
        a, b, area = places[0]
        s = env.view.text
        return area if not s[clause[0] : a].strip() and _NO_SUBJECT.fullmatch(s, b, dm.start()) else None

    def _distribute(
        self, env: _Env, subject: str, offset: int, dm: re.Match, run: list[_Figure], ments: list[_Mention]
    ) -> list[tuple[str, Area | None, _Figure]] | None:
        """Pair the items before 分别/均 with the figures: several indicators ('城市、县城、重点建制镇
        污水处理率'), several areas ('康平县、法库县PM2.5浓度'), or areas with the indicator after
        分别 ('彰武县、阜蒙县分别完成营造林…')."""
        s = env.view.text
        pred = env.ments_within(dm.end(), run[0].start)
        inside = [(m.start - offset, m.end - offset) for m in env.ments_within(offset, dm.start())]
        parts = _split_items(subject, inside)
        if dm.group() == "分别":
            if len(parts) < len(run):
                return None
            spare = parts[-len(run) - 1] if len(parts) > len(run) else None  # the item before the list's
            items = parts
            parts = parts[-len(run) :]
            figs = run
        else:
            if len(parts) < 2:
                return None
            spare, items = None, parts
            figs = run * len(parts)
        if pred:
            areas = [self._item_area(p) for p in parts]
            if any(x is None for x in areas) or not _distinct(areas):
                return None
            code = self._choose_code(pred[-1], figs[0], self._change(s[dm.end() : run[0].start], figs[0]))
            return [(code, area, f) for area, f in zip(areas, figs, strict=True)] if code else None
        last = parts[-1]
        last_mention = _mention_at_end(last)
        if last_mention is None:
            return self._day_of_day_and_night(env, subject, offset, parts, figs)
        areas: list[Area | None] | None = None
        for j in range(len(last) + 1):  # the words the items share end the last item: longest first
            head = last[j:]
            found: list[_Mention] = []
            for p in parts[:-1]:
                m = _mention_at_end(p + head)
                if m is None:
                    break
                found.append(m)
            if len(found) < len(parts) - 1:
                continue
            found.append(last_mention)
            codes = [m.codes[0] for m in found]
            if len(set(codes)) == len(codes):
                if spare is not None and _mention_at_end(spare + head) is not None:
                    return self._in_order(items, head, figs)
                return [(code, None, f) for code, f in zip(codes, figs, strict=True)]
            if len(set(codes)) == 1:
                areas = areas if areas is not None else [self._item_area(p) for p in parts]  # once per list
                if all(areas) and _distinct(areas):
                    return [(codes[0], area, f) for area, f in zip(areas, figs, strict=True)]
        return None

    def _day_of_day_and_night(
        self, env: _Env, subject: str, offset: int, parts: list[str], figs: list[_Figure]
    ) -> list[tuple[str, Area | None, _Figure]] | None:
        """道路交通噪声昼间和夜间平均等效声级分别为65.2、57.3: the catalogue measures the day only, so
        the day item takes the first figure and the night one uses up the second with no fact. Any
        other list whose last item names no indicator makes no pairs."""
        if len(parts) != 2 or len(figs) != 2 or not _NIGHT_ITEM.match(parts[1]):
            return None
        day_end = offset + subject.find(parts[0]) + len(parts[0])
        day = [m for m in env.ments_within(offset, day_end) if m.end == day_end]
        return [(day[0].codes[0], None, figs[0])] if day else None

    def _areas_before(
        self, env: _Env, clause: tuple[int, int], dm: re.Match, run: list[_Figure]
    ) -> list[tuple[str, Area | None, _Figure]] | None:
        """下降幅度较大的为邢台、邯郸、保定5市，分别同比下降40.0%、38.1%、32.7%: the clause before
        分别 ends with a list of exactly as many areas as figures; the indicator is the phrase last
        named before the list, in the sentence or earlier in the paragraph (rule listed_areas)."""
        s = env.view.text
        if clause[0] == 0 or clause[0] <= env.sentence[0]:
            return None
        prev = env.clause_of(clause[0] - 1)
        places = env.places_between(prev[0], clause[0])
        count = None
        listed = _area_run(s, places, clause[0] - 1)  # 海城市和台安县: the last name ends the clause
        if not listed:
            count = _LIST_COUNT.search(s, prev[0], clause[0] - 1)
            listed = _area_run(s, places, count.start()) if count else []
        if len(listed) != len(run) or len({a.adcode for _, _, a in listed}) != len(run):
            return None
        if count is not None and count.group(1) and _count(count.group(1)) != len(run):
            return None
        k = bisect.bisect_right(env.ment_ends, listed[0][0])  # mentions do not overlap: ends are sorted
        mention = env.ments[k - 1] if k else env.prior
        if mention is None:
            return None
        code = self._choose_code(mention, run[0], self._change(s[dm.end() : run[0].start], run[0]))
        return [(code, area, f) for (_, _, area), f in zip(listed, run, strict=True)] if code else None

    def _area_clause(self, env: _Env, f: _Figure, clause: tuple[int, int]) -> _Fact | None:
        """优良天数增幅前10的城市中，其中平顶山增加77天；漯河市增加69天: a clause that is only an
        area, a change verb and the figure speaks of the indicator named earlier in the sentence
        (rule area_clause). A level ('A市为35') is not read this way: it may measure anything; only a
        level that ranks the area ('其中沁源县以52.63%名列第一') measures the indicator just named."""
        s = env.view.text
        head = _AREA_CLAUSE_HEAD.match(s, clause[0], f.start)
        if head is None:
            return None
        i = bisect.bisect_left(env.place_starts, clause[0])  # the one place, opening the clause
        if i >= len(env.places) or env.places[i][0] != head.end() or env.places[i][2] in (None, NATION):
            return None
        while i + 1 < len(env.places) and env.places[i + 1][0] == env.places[i][1] and env.places[i + 1][2]:
            i += 1  # 长治市沁源县: the last of the areas that name one another
        places = [env.places[i]]
        verb = change_verbs().opening.fullmatch(s, places[0][1], f.start)
        ranked = s[places[0][1] : f.start] == "以" and _RANKED_AFTER.match(s, f.unit_end) is not None
        k = bisect.bisect_right(env.ment_ends, clause[0])
        if (verb is None and not ranked) or not k:
            return None
        change = self._change(s[places[0][1] : f.start], f)
        code = self._choose_code(env.ments[k - 1], f, change)
        if code is None or (change is None and not ranked):
            return None
        year = self._year(env, f, clause)
        return self._build(env, f, code, change, year, clause, area=places[0][2], rule=AREA_CLAUSE)

    def _share_of_count(self, env: _Env, f: _Figure) -> tuple[_Fact, _Mention] | None:
        """Ⅰ~Ⅲ类共有42个断面占85.7%; 劣Ⅴ类水体1个占3.4%: a class of water (share_subjects.csv), the
        count of its sections, then 占 and a percentage is that class's share (rule share_of_count)."""
        s = env.view.text
        if f.unit != "%":
            return None
        count = _COUNT_SHARE.search(s, max(env.sentence[0], f.start - 30), f.start)
        if count is None:
            return None
        window = max(env.sentence[0], count.start() - 24)
        best: tuple[int, int, str] | None = None
        for code, pattern in share_subjects():
            for m in pattern.finditer(s, window, count.start()):
                if _SHARE_GAP.fullmatch(s, m.end(), count.start()) and (best is None or m.start() < best[0]):
                    best = (m.start(), m.end(), code)
        if best is None:
            return None
        subject = _Mention(best[0], best[1], (best[2],))
        clause = env.clause_of(f.start)
        fact = self._build(env, f, best[2], None, self._year(env, f, clause), clause, rule=SHARE_OF_COUNT)
        return (fact, subject) if fact is not None else None

    @staticmethod
    def _in_order(items: list[str], head: str, figs: list[_Figure]) -> list[tuple[str, Area | None, _Figure]] | None:
        """PM10、二氧化氮、臭氧、一氧化碳平均浓度同比分别下降1.6%、7.1% (the page cut the list short):
        more indicators than figures distribute in order from the first, when every item is one."""
        every = [_mention_at_end(p + head) for p in items[:-1]] + [_mention_at_end(items[-1])]
        codes = [m.codes[0] for m in every if m is not None]
        if len(codes) != len(items) or len(set(codes)) != len(codes):
            return None
        return [(code, None, f) for code, f in zip(codes[: len(figs)], figs, strict=True)]

    def _item_area(self, item: str) -> Area | None:
        """The area one list item or row label names; a region that is none ('高新区', '长三角')
        named after any area is NATION: its figure is no fact, and no neighbour's either."""
        found = self.gaz.find_mentions(item, context=self.ctx.area)
        regions = areas.find_regions(item)
        if regions and (not found or regions[-1][0] >= found[-1][1]):
            return NATION
        if found:
            return found[-1][2]
        m = T.SELF_REFERENCE_RE.search(item)
        return self._self_area(m.group()) if m else None

    # -- tables ----------------------------------------------------------------------

    def _table(self, block: _Block) -> None:
        """A table's value cells, as the rules of table_facts read them."""
        if block.table is None:
            return
        cap_year, area = self._caption(block.table.caption)
        if area is None and block.table.intro is not None:
            area = self._intro_area(block.table.intro)
        default_year = cap_year or (self.plan_span[1] if self.plan_span else self.ctx.subject_year)
        lexicon = table_facts.Lexicon(
            norm=lambda t: _view(t, 0, len(t)).text,
            mentions=_find_mentions,
            area=self._item_area,
            unit_of=lambda code: self.catalogue[code].unit,
            ref_year=self.ref,
        )
        caption = _view(self.src, *block.table.caption).text if block.table.caption else ""
        for cell in table_facts.read_table(block.table, lexicon, default_year, area):
            self._cell(cell, caption)

    def _caption(self, caption: tuple[int, int] | None) -> tuple[int | None, Area | None]:
        """The year and area a table's caption names ('附表 2024年安阳市主要环境质量指标')."""
        if caption is None:
            return None, self.ctx.area
        text = _view(self.src, *caption).text
        year = next(
            (y.year for y in years.find_years(text, ref_year=self.ref) if y.role in _GOVERNING and y.year),
            None,
        )
        places = self.gaz.find_mentions(text, context=self.ctx.area)
        return year, places[-1][2] if places else self.ctx.area

    def _intro_area(self, intro: tuple[int, int]) -> Area | None:
        """In a document whose own area is unknown, the one area named by the paragraph that
        announces a table ('镇安县空气质量…具体监测情况如下表:') is the table's."""
        found = {a.adcode: a for _, _, a in self.gaz.find_mentions(_view(self.src, *intro).text)}
        return next(iter(found.values())) if len(found) == 1 else None

    def _cell(self, cell: table_facts.TableCell, caption: str = "") -> None:
        """The fact of one table cell: its figure read here, the rest as the table rule gave it."""
        if table_facts.EMPTY_CELL.match(self.src[cell.cell[0] : cell.cell[1]]):
            return
        view = _view(self.src, *cell.row)
        n = len(view.text)
        a, b = bisect.bisect_left(view.pos, cell.cell[0], 0, n), bisect.bisect_left(view.pos, cell.cell[1], 0, n)
        figs = [_shifted(f, a) for f in _find_figures(view.text[a:b])]
        if not figs:
            return
        f = figs[0]
        if f.start > a and view.text[f.start - 1] == "(" and not table_facts.is_value(view.text[a : f.start - 1]):
            return  # '高新区(4.33)、张店区(4.20)': a cell listing named items' figures states none for its row
        changes = cell.kind == table_facts.CHANGE
        if not f.unit and not f.flat:
            # a bare change of a ratio is in percentage points (优良天数比例(%) … | -1.6)
            f.unit = (
                "%"
                if changes and cell.relative
                else "个百分点"
                if changes and cell.unit == "%"
                else _caption_unit(caption, cell.unit, [self.catalogue[c].unit for c in cell.mention.codes])
            )
        change = self._change(view.text[a : f.start], f)
        if change is None and not changes and f.unit == "%":
            # 单位地区生产总值能源消耗降低(%) | 〔16.2〕 | 〔14〕: the row names a fall, its cells how much
            label = _UNIT_BRACKET_END.sub("", self.src[cell.row[0] : cell.row[1]].split("|")[0].strip())
            verb = change_verbs().change.search(label)
            change = verb.group(1) if verb else None
        if changes and change is None:
            change = "-" if f.value < 0 or "↓" in view.text[a:b] else "+"  # an arrow is the sign
        readings = [self.catalogue[c].unit for c in cell.mention.codes]
        named = replace(cell, unit=_caption_unit(caption, cell.unit, readings)) if cell.relative else cell
        code = self._choose_code(self._table_mention(named), f, change)
        if code is None:
            return
        if cell.unit == "%" and code in _RATIO_SIBLING:
            code = _RATIO_SIBLING[code]  # 优良天数占总天数百分比: the header's share is the ratio
        whole = (0, n)
        year = cell.year
        base = cell.base if year is None or cell.base is None or cell.base < year else None  # 〔16.2〕 under 2020年
        env = _Env(view, whole, [whole], [], [], None, False, figs, base=base, periods=_table_period(cell, caption))
        ahead = year is not None and (self._future(year) or (self.plan_span is not None and year >= self.plan_span[1]))
        kind = TARGET if cell.kind == TARGET or ahead else ACTUAL
        when = _Year(year, explicit=year is not None)
        fact = self._build(env, f, code, change, when, whole, area=cell.area, kind=kind, rule=cell.rule)
        if fact is not None:
            self._emit(fact)

    def _table_mention(self, cell: table_facts.TableCell) -> _Mention:
        """A header's unit picks among an ambiguous name's readings: SO2 in ug/m3 is the air
        concentration, not the emissions, even where the cell holds only a change."""
        known = units.unit_table().get(units.unit_key(cell.unit)) if cell.unit else None
        if known is None or len(cell.mention.codes) < 2:
            return cell.mention
        fits = [c for c in cell.mention.codes if units.convertible(known[0], self.catalogue[c].unit)]
        rest = [c for c in cell.mention.codes if c not in fits]
        return replace(cell.mention, codes=(*fits, *rest))

    # -- output ----------------------------------------------------------------------

    def _emit(self, fact: _Fact) -> None:
        if fact.area is not NATION:  # a national figure has no area in the gazetteer: not a fact here
            self.facts.append(fact)


# The composition rules: how an indicator phrase and a figure were paired. Each names the method
# that applies it; every fact records its rule, so a wrong fact is traced to its rule in one query.
GOVERNING = "governing"  # _Extractor._governing: the phrase before the figure in its clause
COPULA = "copula"  # _Extractor._copula: the phrase closes the clause before, '为' opens the figure's
CONTINUATION = "continuation"  # _Extractor._continues: a clause going on about the last phrase (同比增加14天)
DISTRIBUTION = "distribution"  # _Extractor._distribution: 分别/均 lists
BASE_IN_PARENTHESES = "base_in_parentheses"  # _Extractor._base_paren: 较去年同期(287天), 由2015年的273天
SHARED_BY_AREAS = "shared_by_areas"  # _Extractor._shared_by_areas: 图们市、和龙市、汪清县优良天数为117天
AREA_LIST = "area_list"  # _Extractor._area_list: 呼伦贝尔市(20微克/立方米)、阿拉善盟(24微克/立方米)
PERIODS_LISTED = "periods_listed"  # _Extractor._periods_listed: 4月、5月、6月，PM2.5浓度分别为35、28、22
LISTED_AREAS = "listed_areas"  # _Extractor._areas_before: 为邢台、邯郸2市，分别下降40.0%、38.1%
AREA_CLAUSE = "area_clause"  # _Extractor._area_clause: 优良天数增幅…，其中平顶山增加77天
SHARE_OF_COUNT = "share_of_count"  # _Extractor._share_of_count: Ⅰ~Ⅲ类共有42个断面占85.7%
RULES = (
    GOVERNING,
    COPULA,
    CONTINUATION,
    DISTRIBUTION,
    BASE_IN_PARENTHESES,
    AREA_LIST,
    SHARED_BY_AREAS,
    LISTED_AREAS,
    PERIODS_LISTED,
    AREA_CLAUSE,
    SHARE_OF_COUNT,
    *table_facts.RULES,
)  # tables: table_facts

NATION = Area(name="全国", level="nation", adcode="000000", province=None, parent=None)
_NATION_OPENING = 10  # how far into a sentence 全国 may stand and still be its subject ('2023年上半年，全国')
_CLAUSE_BREAK = re.compile(r"[;；。]")
# Who reports, before what is reported: '根据报告，', '据通报，', '监测数据显示，', '…司长刘志全介绍，'
# (and the blank a scraped line opens with). 全国 after it still opens the statement.
_ATTRIBUTION = re.compile(
    r"\s*(?:(?:根据|据)[^,，;；。]{0,8}|[^,，;；。]{0,20}(?:显示|表明|指出|介绍|表示))[,，:：]+\s*|\s+"
)


def _after_attribution(s: str, a: int) -> int:
    """Where a sentence's statement begins, past a leading attribution ('根据报告，')."""
    m = _ATTRIBUTION.match(s, a)
    return m.end() if m else a


# 全国文明城市, 全国首批…, 全国排名第3: a title or a rank the area holds, not a statement on the country
_NATION_TITLE = re.compile(r"文明|卫生|园林|优秀|先进|首批|首个|首家|示范|百强|排名|前列|第|重点城市")
_GOVERNING = (years.POINT, years.BY, years.DEADLINE, years.PERIOD, years.DATE)
_RATIO_SIBLING = {
    "air.good_days": "air.good_days_ratio",
    "air.heavy_pollution_days": "air.heavy_pollution_days_ratio",
}
_DAYS_OF_RATIO = {ratio: days for days, ratio in _RATIO_SIBLING.items()}


@dataclass
class _Paragraph:
    view: _View
    mentions: list[_Mention]
    figures: list[_Figure]
    places: list[tuple[int, int, Area | None]]
    part_year: bool  # 截至10月, 1-6月: figures with no year are for the year of writing

    def __post_init__(self) -> None:
        # start offsets, for finding a sentence's share by bisection instead of a scan per sentence
        self.fig_starts = [f.start for f in self.figures]
        self.mention_starts = [m.start for m in self.mentions]
        self.place_starts = [p[0] for p in self.places]


@dataclass
class _Env:
    """What the words around a figure are resolved against: its sentence and paragraph."""

    view: _View
    sentence: tuple[int, int]
    clauses: list[tuple[int, int]]
    year_mentions: list[years.YearMention]
    places: list[tuple[int, int, Area | None]]
    para_year: _Year | None
    part_year: bool
    figs: list[_Figure] = field(default_factory=list)
    base: int | None = None  # the base year of changes, when the layout gives it (a table's columns)
    ments: list[_Mention] = field(default_factory=list)  # the indicator phrases of the sentence
    periods: list[Period] = field(default_factory=list)  # part-year expressions of the sentence
    prior: _Mention | None = None  # the paragraph's last indicator phrase before the sentence

    def __post_init__(self) -> None:
        self.ment_ends = [m.end for m in self.ments]
        self.ment_starts = [m.start for m in self.ments]
        # sorted starts, so that each figure finds its clause, figures, places and years by bisection:
        # a scan per figure made a long sentence quadratic in its length
        self.clause_starts = [c[0] for c in self.clauses]
        self.fig_starts = [f.start for f in self.figs]
        self.place_starts = [p[0] for p in self.places]
        self.year_starts = [y.start for y in self.year_mentions]
        self.bases = [y for y in self.year_mentions if y.role == years.BASE and y.year is not None]
        self.base_starts = [y.start for y in self.bases]
        self._first_end: dict[re.Pattern[str], int] = {}
        self.subjects: dict[int, Area] = {}  # figure start → the area a rule named as its subject

    def clause_of(self, i: int) -> tuple[int, int]:
        k = bisect.bisect_right(self.clause_starts, i) - 1
        if 0 <= k < len(self.clauses) and self.clauses[k][0] <= i < self.clauses[k][1]:
            return self.clauses[k]
        return self.clauses[-1] if self.clauses else self.sentence

    def period_before(self, i: int) -> Period | None:
        """The period a figure at i covers: the nearest period expression before it in its clause, or
        one that opens an earlier clause of the sentence ('1—5月，PM2.5浓度35'). A month named in
        passing elsewhere ('有3个月(6月、7月、11月)达到100%') governs nothing else."""
        clause = self.clause_of(i)
        for p in reversed(self.periods[: bisect.bisect_right([p.end for p in self.periods], i)]):
            if p.start >= clause[0]:
                return p
            lead = self._after_opening_area(self.clause_of(p.start)[0], p.start)
            if p.start - lead <= 12 and _PERIOD_OPENING.fullmatch(self.view.text, lead, p.start):
                return p
        return None

    def _after_opening_area(self, c0: int, i: int) -> int:
        """Where the words after the area that opens the clause at c0 start ('北京市3月的空气质量…':
        the month follows the city), or c0 when no area opens it before i."""
        c0, inside = _from_line_start(self.view, c0, self.places_between(c0, i))
        if inside and inside[0][1] <= i and _AREA_CLAUSE_HEAD.fullmatch(self.view.text, c0, inside[0][0]):
            return inside[0][1]
        return c0

    def ments_within(self, a: int, b: int) -> list[_Mention]:
        """The indicator phrases that lie inside [a, b)."""
        found = self.ments[bisect.bisect_left(self.ment_starts, a) : bisect.bisect_left(self.ment_starts, b)]
        return [m for m in found if m.end <= b]

    def figs_between(self, a: int, b: int) -> list[_Figure]:
        """The figures that start in [a, b)."""
        return self.figs[bisect.bisect_left(self.fig_starts, a) : bisect.bisect_left(self.fig_starts, b)]

    def figs_from(self, a: int) -> Iterator[_Figure]:
        """The figures that start at or after a, in order, read lazily: a 分别 run reads only the
        first few, and copying the rest of a long sentence for each 分别 made it quadratic."""
        return (self.figs[k] for k in range(bisect.bisect_left(self.fig_starts, a), len(self.figs)))

    def places_between(self, a: int, b: int) -> list[tuple[int, int, Area | None]]:
        return self.places[bisect.bisect_left(self.place_starts, a) : bisect.bisect_left(self.place_starts, b)]

    def years_before(self, i: int) -> Iterator[years.YearMention]:
        """The year mentions that end at or before i, nearest first."""
        for k in range(bisect.bisect_left(self.year_starts, i) - 1, -1, -1):
            if self.year_mentions[k].end <= i:
                yield self.year_mentions[k]

    def said_before(self, pattern: re.Pattern[str], i: int) -> bool:
        """Whether `pattern` matches in the sentence before i; found once per sentence and pattern."""
        if pattern not in self._first_end:
            m = pattern.search(self.view.text, *self.sentence)
            self._first_end[pattern] = m.end() if m else 1 << 62
        return self._first_end[pattern] <= i


def _table_period(cell: table_facts.TableCell, caption: str) -> list[Period]:
    """The part of the year a table cell covers, from its row label or column header, else the
    table's caption ('2021年1-3月各盟市综合指数'): one period standing before the whole row."""
    for text in (cell.when, caption):
        found = find_periods(text)
        if found:
            return [replace(found[0], start=0, end=0)]
    return []


def _distinct(listed: Sequence[Area | None]) -> bool:
    """Whether the areas of a list are all different (regions that are no area may repeat)."""
    named = [a.adcode for a in listed if a is not None and a is not NATION]
    return len(set(named)) == len(named)


def _shifted(f: _Figure, d: int) -> _Figure:
    return replace(f, start=f.start + d, end=f.end + d, unit_end=f.unit_end + d)


def _shift(y: years.YearMention, a: int) -> years.YearMention:
    return years.YearMention(y.start + a, y.end + a, y.text, y.year, y.role, y.year_start, y.relative)


def _sentence_ends(s: str) -> list[int]:
    ends = [m.end() for m in _SENTENCE_END.finditer(s)]
    if not ends or ends[-1] < len(s):
        ends.append(len(s))
    return ends


def _from_line_start(
    view: _View, start: int, places: list[tuple[int, int, Area | None]]
) -> tuple[int, list[tuple[int, int, Area | None]]]:
    """A statement the view runs on from unpunctuated lines before it ('图2 …全国339个城市…变化' /
    '重点区域' / '北京市12月优良天数比例为96.8%'): the last area that opens a source line starts it."""
    for k in range(len(places) - 1, 0, -1):
        i = places[k][0]
        if i > start and "\n" in view.src[view.pos[i - 1] + 1 : view.pos[i]]:
            return i, places[k:]
    return start, places


def _clauses(s: str, a: int, b: int) -> list[tuple[int, int]]:
    out, start = [], a
    for m in _CLAUSE_MARK.finditer(s, a, b):
        i = m.start()
        if not (s[i] == ":" and i > a and s[i - 1].isdigit()):
            out.append((start, i + 1))
            start = i + 1
    out.append((start, b))
    return [c for c in out if c[1] > c[0]]


# a sentence ends at a terminal mark and the closing quotes or brackets right after it
_SENTENCE_END = re.compile(f"[{re.escape(T.TERMINAL)}][{re.escape(_CLOSERS)}]*")
_CLAUSE_MARK = re.compile(f"[{re.escape(_CLAUSE_SEP)}]")


def _site_subject(s: str, clause_start: int, mention: _Mention) -> bool:
    """空港站PM2.5浓度最高，为37: the figure of one monitoring site, which is no area. A count of
    sites (4个监测点位, 各站点) speaks of them all and still describes the area."""
    m = _SITE.search(s[max(clause_start, mention.start - _LOOK) : mention.start])
    return bool(m) and not _SITE_GROUP.search(m.group(1))


def _is_share(s: str, f: _Figure, clause: tuple[int, int]) -> bool:
    """占全市诉求受理量的1.5%: a share of some other total, a side remark on the same subject."""
    return bool(_SHARE_OF.search(s, max(clause[0], f.start - _LOOK), f.start))


def _aside_after(s: str, f: _Figure, last: _Figure) -> bool:
    """优良天数333天(连续5年实现315天以上): a figure in brackets that open right after the figure
    the phrase just gave is an aside about it, not a second value; a target or a year said in the
    aside ('(达到考核目标33.3%)', '(2021年全年均为0天)') makes a value of its own."""
    opening = s.rfind("(", max(0, f.start - 20), f.start)
    if opening < 0 or ")" in s[opening : f.start] or last.unit_end != opening:
        return False
    aside = s[opening : f.start]
    return not (target_cues().search(aside) or _ASIDE_YEAR.search(aside) or _CONTINUATION.search(aside))


def _blank(s: str, a: int, b: int, spans: list[tuple[int, int]]) -> str:
    chars = list(s[a:b])
    for x, y in spans:
        for i in range(max(x, a), min(y, b)):
            chars[i - a] = " "
    return "".join(chars)


def _figure_run(s: str, start: int, end: int, figs: Iterable[_Figure]) -> list[_Figure]:
    """The figures a 分别 spreads over: the first within a few characters, then one per 、/和.
    `figs` are in text order: the first one at or after `end` ends the run."""
    run: list[_Figure] = []
    for f in figs:
        if f.start >= end:
            break
        if f.start < start or f.flat:
            continue
        if not run:
            if f.start - start > 15:
                return []
            run.append(f)
            continue
        between = s[run[-1].unit_end : f.start]
        if _RUN_SEP.fullmatch(between):
            run.append(f)
        else:
            break
    if len(run) > 1:
        tail_unit, tail_qual = run[-1].unit, run[-1].qualifier
        for f in run[:-1]:
            if not f.unit:
                f.unit = tail_unit
            if f.qualifier is None:
                f.qualifier = tail_qual
    return run


_ASIDE_REACH = 60  # how far a bracketed list of members reaches around one of its names


def _aside(s: str, lo: int, place: tuple[int, int, Area | None], end: int) -> bool:
    """5个区(西陵区、伍家岗区、夷陵区)空气质量…: a name inside brackets that close before the figure
    lists the members of the subject; it is not the subject."""
    lo = max(lo, place[0] - _ASIDE_REACH)  # bounded: a long clause of names stays linear
    opened = s.rfind("(", lo, place[0])
    return opened > s.rfind(")", lo, place[0]) and s.find(")", place[1], min(end, place[1] + _ASIDE_REACH)) >= 0


def _area_run(s: str, places: list[tuple[int, int, Area | None]], end: int) -> list[tuple[int, int, Area]]:
    """The areas of a list that ends at `end` ('邢台、邯郸和保定'), in order; empty if it does not."""
    if not places or places[-1][1] != end:
        return []
    listed = [places[-1]]
    for place in reversed(places[:-1]):
        if not _AREA_JOIN.fullmatch(s, place[1], listed[-1][0]):
            break
        listed.append(place)
    if any(a is None or a is NATION for _, _, a in listed):
        return []
    return [(a, b, area) for a, b, area in reversed(listed) if area is not None]


def _count(word: str) -> int:
    """'5' or '五' → 5 (up to 99), for the count that closes a list."""
    if word.isdigit():
        return int(word)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
    if word == "十":
        return 10
    if word.startswith("十"):
        return 10 + digits.get(word[1], 0)
    return digits.get(word[0], 0) * (10 if word.endswith("十") else 1) if len(word) <= 2 else 0


def _split_items(subject: str, protected: list[tuple[int, int]]) -> list[str]:
    """'城市、县城、重点建制镇污水处理率' → ['城市', '县城', '重点建制镇污水处理率'], not splitting inside
    an indicator phrase (新增风电、光伏发电装机规模)."""
    inside = bytearray(len(subject) + 1)
    for a, b in protected:
        inside[a:b] = b"\x01" * (b - a)
    parts, start = [], 0
    for m in _ITEM_SEP.finditer(subject):
        if any(inside[m.start() : m.end()]):
            continue
        parts.append(subject[start : m.start()])
        start = m.end()
    parts.append(subject[start:])
    return [p for p in parts if p]


# ----------------------------------------------------------------------------- public


def extract_facts(text: str, ctx: DocContext, *, gazetteer: Gazetteer) -> list[RawFact]:
    """Every fact the document states, in text order; a fact stated twice is kept once."""
    found = _Extractor(text, ctx, gazetteer).run()
    out: list[RawFact] = []
    seen: set[tuple] = set()
    for fact in sorted(found, key=lambda x: x.view.pos[x.fig.start]):
        key = _dedupe_key(fact)
        if key in seen:
            continue
        seen.add(key)
        out.append(_raw(text, fact))
    return out


def _dedupe_key(fact: _Fact) -> tuple:
    known = units.unit_table().get(units.unit_key(fact.fig.unit))
    value = round(fact.value * known[1], 6) if known and fact.kind != CHANGE_PCT else (fact.value, fact.fig.unit)
    region = fact.area.name if fact.area else None
    return (region, fact.code, fact.year, fact.kind, value, _period_dates(fact))


def _period_dates(fact: _Fact) -> tuple[date, date] | None:
    return fact.period.dates(fact.year) if fact.period is not None and fact.year is not None else None


def _raw(text: str, fact: _Fact) -> RawFact:
    view, f = fact.view, fact.fig
    start, end = view.source_span(f.start, f.end)
    s0, s1 = view.source_span(*fact.sentence)
    dates = _period_dates(fact)
    return RawFact(
        indicator_code=fact.code,
        region_name=fact.area.name if fact.area else None,
        year=fact.year,
        value_kind=fact.kind,
        figure_text=text[start:end],
        number=fact.value,
        unit_text=f.unit,
        qualifier=f.qualifier,
        sentence=text[s0:s1].strip(),
        start=start,
        end=end,
        year_start=fact.year_start,
        base_year=fact.base_year,
        area_key=fact.area.adcode if fact.area else None,
        rule=fact.rule,
        period_start=dates[0] if dates else None,
        period_end=dates[1] if dates else None,
        is_full_year=fact.period is None,
    )
