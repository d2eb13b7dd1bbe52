"""The shipped gazetteer, and finding and resolving administrative areas in text.

Areas come from pipelines/data/areas.csv (see AREAS_SOURCE.md there); nothing is
downloaded at run time. Full names (安阳市, 岫岩满族自治县) are matched wherever they
appear. Short written forms (安阳, 岫岩县) are matched too, but a two-character form is
weak evidence: it must not be an ordinary word, must not name another place or a river
("朝阳区", "鄱阳湖"), and must be unambiguous or made unambiguous by the document's own
area. Where that is not enough, no area is returned: a wrong area is worse than none.

Texts are expected in simplified characters (CleanResult.simplified); offsets returned
by `find_mentions` point into the text given.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections import Counter
from collections.abc import Iterable
from functools import cache
from importlib import resources

from pipelines.core import scanning
from pipelines.core.models import Area

# Two-character names that are ordinary words or common substrings in Chinese
# environmental and government prose (资源, 合作, 新建, 城区 …), checked against the seed
# corpus and reports of this kind, and short forms of units created since 2016 that are
# words too (光明日报, 新星, 白杨树, 建安投资 'construction and installation', 上党课 'attend a
# Party lecture'). They are still found when written with their suffix
# (资源县), and `resolve` accepts them where the caller already knows it has a place name.
_ORDINARY = """
    城区 郊区 矿区 东区 西区 市中 市北 市南 城中 城关 城东 城西 城北 城厢 新城 老城 古城 大城 商城 山城
    江城 钢城 新市 和平 长安 东方 中方 中原 南部 江南 江北 江汉 河东 河西 南郊 南岸 江岸 湖滨 滨江 滨湖
    滨海 沿河 河口 港口 江口 湖口 洞口 河源 江源 临海 临江 临河 江海 资源 通道 平原 太平 平安 安定 安居
    安宁 安康 合作 友好 友谊 解放 振兴 新兴 新建 新华 复兴 前进 前锋 工农 红旗 红星 向阳 富裕 富民 惠民
    惠农 宏伟 比如 民权 民和 民丰 爱民 同心 同仁 互助 会同 公安 大方 大名 大关 大厂 大田 大兴 大丰 大观
    大化 清水 清河 清流 清新 白云 白水 白河 沙河 黑水 温泉 盐湖 盐田 海盐 石棉 海港 合水 江山 青山 金山
    天山 泰山 庐山 衡山 西山 东山 南山 太湖 巢湖 洪湖 南湖 西湖 东湖 南海 东海 三江 三水 三河 三山 延长
    长寿 方正 无为 高明 凌云 凤凰 牡丹 芙蓉 莲花 海棠 灯塔 天桥 天台 天等 平房 小店 台前 交口 吉利 威信
    来宾 光泽 丰满 博爱 和顺 平和 平顺 康乐 怀柔 武功 名山 高台 站前 路南 路北 路桥 运河 全州 兴隆 兴业
    日照 龙潭 龙门 万全 万年 上街 东风 定结 治多 久治 杂多 通化
    光明 新星 白杨 双河 建安 上党
    和县 高县 理县 成县 康县 任县 献县 应县 代县 兴县 费县 单县 范县 新县 息县 南县
"""
ORDINARY_WORDS = frozenset(_ORDINARY.split())
# Phrases whose letters contain an area's short name without meaning it.
NOT_AREAS = (
    "长治久安",
    "绿水青山",
    "金山银山",
    "确保定",
    "最大化",
    "三河三湖",
    "黄河源",
    "长江源",
    "朝阳产业",
    # Great rivers, whose names hold a county's short name: 长江干流 is no 江干区, 嘉陵江 no 嘉陵区.
    "长江",
    "黄河",
    "珠江",
    "淮河",
    "海河",
    "辽河",
    "松花江",
    "嘉陵江",
    "汉江",
    "湘江",
    "赣江",
    "闽江",
    "渭河",
    "汾河",
    "钱塘江",
    "岷江",
    "沱江",
)
_NOT_AREAS = re.compile("|".join(NOT_AREAS))
# A bare short name followed by one of these names a different place or a natural feature:
# 朝阳区 where only 朝阳市 is meant, 彰武镇, 鄱阳湖, 赤水河, 鞍山路.
_FEATURE_AFTER = frozenset("市县区镇乡村路街道湖河江山岛湾峡")
_SIDE_AFTER = frozenset("岸麓侧部坡端面边段翼缘郊")
_DIRECTION_PROVINCES = frozenset(
    ["河南", "河北", "湖南", "湖北", "山东", "山西", "江西", "广东", "广西", "海南", "云南"]
)
# Characters that may stand right before a province's short name: 在河南, 赴山东, 美丽河北.
_BEFORE_NAME = frozenset("在与和及同对到从赴至往是了的为向将把被由以如即省国丽美来去回经临驻")
_WATER_AFTER = ("流域", "干流", "支流", "水", "段", "断面", "沿岸", "两岸", "上游", "中游", "下游")
# Institutions that follow an issuer's area: 鞍山市生态环境局, 安阳市人大常委会办公室.
# (a bracket ends the name's reach: in '[丽水日报]县人大常委会' the outlet's city is no office's)
_ISSUER = re.compile(r"[^\s,，。;；:：、\[\]【】]{0,10}?(人民政府|政府|人民代表大会|人大|政协|委员会|办公室|局|厅|委)")
# 我市 / 全县 / 本区: which kind of area the document calls itself.
# '全省第一', '居全市前列' compare with the larger area; they are no self-reference.
_SELF = re.compile(r"[我全本]([省市县区州盟旗])(?!域)(?![第前]|排名|排位|之首|首位|同类)")
# An office named by its level alone where a sentence or title starts ('[处州晚报]县人大常委会首次…',
# '县政府关于…的报告'): the text speaks of its own 县, as with 我县.
_BARE_OFFICE = re.compile(
    r"(?<![\u4e00-\u9fff\w])([省市县区州])(?:人大常委会|人大|人民政府|政府|政协|生态环境局|环境保护局|环保局)"
)
_URBAN_PART = ("城市建成区", "中心城区", "主城区", "建成区", "市区", "城区")  # longest first
# Page metadata naming the issuing body: '发布机构 | 剑阁县政府', '发文机关:鞍山市生态环境局'.
_ISSUER_LABEL = re.compile(
    r"(?:发布机构|发文机构|发文机关|发文单位|发布单位|主办单位|成文单位|信息来源|来源单位)\s*(?:[:：|]\s*)+([^|\n]{2,30})"
)
# Where a news lead says its figures come from: an area's office after 从/据 or before a news
# verb (记者从黔南州生态环境局获悉, 据乌鲁木齐市环境监测中心站提供的数据, 宜昌市生态环境局举行
# 新闻发布会), or an area's press conference (宜昌市2020年生态环境质量通报新闻发布会).
_OFFICE_AFTER = re.compile(
    r"[^\s,，。;；:：、“”]{0,12}?"
    r"(?:人民政府|政府|环境局|环保局|环境厅|环保厅|监测中心站|监测中心|监测站|新闻办公室|新闻办|局|厅)"
)
_SOURCE_BEFORE = re.compile(r"(?:从|据|由|经)$")
_NEWS_VERB = re.compile(r"[^,，。;；]{0,12}?(?:举行|召开|发布|公布|通报|获悉|提供|传来)")
_PRESS_EVENT = re.compile(r"[^\s,，。;；:：、“”]{0,20}?(?:新闻发布会|发布会)")
_SENTENCE_END = re.compile(r"[。！？\n]")
_NEWS_LEAD = 600  # the lead of a story, where it names its source
# An item of an enumeration or a table row: '、清水(23天)', '清水 | 23'.
_ENUM_BEFORE = re.compile(r"(?:^|[、,，|:：;；\n])\s*$")
_ENUM_AFTER = re.compile(r"\s*(?:[(（、,，|;；\n等]|$)")
_ENUM_REACH = 40  # how far a sibling county may stand in the same list
_HEAD = 3000  # the first part of a document, where its own area is named
# A rank right after an area's name in a title ('张家界第二', '长沙居首'): one of the areas ranked.
_RANKED_AFTER = re.compile(
    r"\s*(?:第[一二三四五六七八九十\d]{1,3}(?!季度|次|届|批|轮|期|版|号)|居首|居末|垫底|夺冠|排名|位列)"
)
_ISSUER_SPAN = 1500  # issuer lines sit in the first and last lines of a document
_ISSUER_LINE = 80

_RANK = {"province": 0, "prefecture": 1, "county": 2}
# The level a text means by 全省/我市/全县: a city's news that ranks it 全省第一 still is the city's.
_KIND_RANK = {"省": 0, "市": 1, "州": 1, "盟": 1, "县": 2, "区": 2, "旗": 2}
# Items of a navigation bar or channel list: '福建|时评|台海', '宣城新闻 宁国新闻 郎溪新闻'.
_LIST_SEP = re.compile(r"\s*[|｜/·•]\s*|\s+")
_LIST_ITEM_MAX = 6
_LIST_MIN_ITEMS = 4


# A footer's contact or ownership line: a postal address ('北京通州区景盛南二街25号…26号楼', '地址：…')
# or a company's name ('…科学仪器有限公司'). The area it names is where the site's owner sits, not
# the page's subject.
_CONTACT = re.compile(
    r"地\s*址\s*[:：]|邮\s*编|邮政编码|[路街道巷弄]\d{1,5}号|\d{1,5}号(?:楼|院|大厦)|有限(?:责任)?公司|ICP备"
)


_OFFICE = re.compile(r"人民政府|政府|人大|政协|委员会|环境局|环保局|生态环境厅|环境保护厅")


def is_contact_line(line: str) -> bool:
    """Whether a line is a footer's address, company or licence line (see _CONTACT); one that names
    a government office ('主办：安阳市生态环境局 地址：…') still says whose site it is."""
    return _CONTACT.search(line) is not None and _OFFICE.search(line) is None


def is_list_line(line: str) -> bool:
    """Whether a line is a list of short items (a site's navigation or channel bar): its area
    names belong to the site's menu, not to the page. Rows of figures are tables, not lists."""
    if any(map(str.isdigit, line)):
        return False
    items = [item for item in _LIST_SEP.split(line.strip()) if item]
    return len(items) >= _LIST_MIN_ITEMS and all(len(item) <= _LIST_ITEM_MAX for item in items)


class Gazetteer:
    """Areas by full name and short form, with the hierarchy carried by their adcodes."""

    def __init__(self, rows: Iterable[tuple[Area, tuple[str, ...]]]):
        rows = list(rows)
        self.areas: tuple[Area, ...] = tuple(area for area, _ in rows)
        self._by_code = {area.adcode: area for area in self.areas}
        self._full: dict[str, list[Area]] = {}
        self._short: dict[str, list[Area]] = {}
        for area, aliases in rows:
            self._full.setdefault(area.name, []).append(area)
            for alias in aliases:
                self._short.setdefault(alias, []).append(area)
        # Every written form of two characters or more, found in one pass of the scan engine
        # (compiled on first use, in the process that scans).
        self._names = scanning.Words(sorted({s for s in (*self._full, *self._short) if len(s) >= 2}))

    @classmethod
    @cache
    def load(cls) -> Gazetteer:
        """The shipped gazetteer (read once per process)."""
        text = resources.files("pipelines.data").joinpath("areas.csv").read_text(encoding="utf-8")
        rows = []
        for r in csv.DictReader(text.splitlines()):
            area = Area(
                name=r["name"],
                level=r["level"],
                adcode=r["adcode"],
                province=r["province"] or None,
                parent=r["parent"] or None,
                name_en=r["name_en"] or None,
            )
            rows.append((area, tuple(a for a in r["aliases"].split("|") if a)))
        return cls(rows)

    # -- lookups -------------------------------------------------------------------------

    def by_name(self, name: str) -> Area | None:
        """The area with this full name; None when unknown or when several share it (铁东区)."""
        found = self._full.get(name.strip(), [])
        return found[0] if len(found) == 1 else None

    def candidates(self, alias: str) -> list[Area]:
        """Every area written this way, by full name or short form, larger areas first."""
        alias = alias.strip()
        found = {a.adcode: a for a in (*self._full.get(alias, []), *self._short.get(alias, []))}
        return sorted(found.values(), key=lambda a: (_RANK[a.level], a.adcode))

    def resolve(self, name: str, *, context: Area | None) -> Area | None:
        """A written area name (彰武, 岫岩县, 鞍山市铁东区, 城区) to one area, or None if unsure."""
        name = name.strip()
        if self.candidates(name):
            found = self._choose(name, context)
            if found is not None:
                return found
        elif name:
            spans = self._select(self._hits(name, strict=False))
            if spans and spans[0][0] == 0 and spans[-1][1] == len(name) and _contiguous(spans):
                found_all = self._resolve_spans(name, spans, context, strict=False)
                if len(found_all) == len(spans):
                    return found_all[-1][2]
        # The urban part of a city is still the city (FACTS.md, "Area"): 城区, 阜新市城区, 安阳市区.
        if name in _URBAN_PART:
            return context
        for part in _URBAN_PART:
            if name.endswith(part):
                return self.resolve(name[: -len(part)], context=context)
        return None

    # -- mentions in text ----------------------------------------------------------------

    def find_mentions(self, text: str, *, context: Area | None = None) -> list[tuple[int, int, Area]]:
        """Non-overlapping area mentions (start, end, area), longest first, in text order."""
        hits = self._hits(text, strict=True)
        found = self._resolve_spans(text, self._select(hits), context, strict=True)
        return self._enumerated(text, hits, found)

    def _enumerated(
        self, text: str, hits: list[tuple[int, int, bool]], found: list[tuple[int, int, Area]]
    ) -> list[tuple[int, int, Area]]:
        """An ordinary word listed among its sibling counties is a county too: '秦州(24天)、
        清水(23天)、武山(22天)' names 清水县, as does a table row '清水 | 23'; among sibling cities
        it is a city ('韶关、河源、梅州等' names 河源市)."""
        extra = []
        for start, end, ok in hits:
            surface = text[start:end]
            if ok or surface not in ORDINARY_WORDS or any(a < end and start < b for a, b, _ in found):
                continue
            if not (_ENUM_BEFORE.search(text[max(0, start - 3) : start]) and _ENUM_AFTER.match(text, end)):
                continue
            siblings = {(a.level, a.parent) for s, _, a in found if abs(s - start) <= _ENUM_REACH}
            listed = [
                a
                for a in self.candidates(surface)
                if a.level in ("county", "prefecture") and (a.level, a.parent) in siblings
            ]
            if len(listed) == 1:
                extra.append((start, end, listed[0]))
        return sorted(found + extra, key=lambda m: m[0]) if extra else found

    def document_area(self, title: str | None, text: str, *, headers: Iterable[str] = ()) -> Area | None:
        """The document's own area: from its title, else its issuer (a running header the PDF
        reader removed, a metadata block, a signing line), else the source a news lead names,
        else the area of the kind it calls itself (我县 and one county named)."""
        head = _without_lists(text[:_HEAD])
        provisional = self._most_named(self.find_mentions(head), kind=None)
        title = title or ""
        # '青海西宁等东部城市群': a name before 等 is an example of a group, not the subject; '2022年
        # 湖南省空气质量排行榜出炉 张家界第二': a name given a rank is a member of the ranked whole
        in_title = self.find_mentions(title, context=provisional)
        named = [a for _, end, a in in_title if title[end : end + 1] != "等"]
        unranked = [a for _, end, a in in_title if not _RANKED_AFTER.match(title, end)]
        if unranked and len(unranked) < len(named):
            named = [a for a in named if a in unranked]
        title_area = self._most_specific(named)
        headers = tuple(headers)
        issuer_area = self._issuer(head, text, provisional, headers=headers)
        if issuer_area is None:
            # a running header repeats the document's own name on every page ('大连市2024年生态环境
            # 状况公报'): the area it names is the document's, as a title's would be
            issuer_area = self._most_specific(
                [a for line in headers for _, _, a in self.find_mentions(line, context=provisional)]
            )
        if title_area is not None:
            if issuer_area is not None and self._contains(title_area, issuer_area):
                return issuer_area  # a county's report on a city-wide plan is the county's
            return title_area
        if issuer_area is not None:
            return issuer_area
        # Counting names only says whose document it is when it speaks of itself (我市, 全县);
        # a national news page that names 北京 three times is not Beijing's.
        kind = _self_kind(head)
        mentions = self.find_mentions(head, context=provisional)
        source = self._attributed(head, mentions)
        if source is not None and (kind is None or _is_kind(source, kind) or _RANK[source.level] > _KIND_RANK[kind]):
            return source
        if kind is None:
            return None
        found = self._most_named(mentions, kind=kind)
        if found is not None and found.level == "county":
            found = self._whole_of_parts(found, text[:_HEAD], provisional) or found
        if found is None:
            # 我县 and one county named once (镇安县空气质量…; 我县城区饮用水源地…) is that county
            of_kind = {a.adcode: a for _, _, a in mentions if _is_kind(a, kind)}
            found = next(iter(of_kind.values())) if len(of_kind) == 1 else None
        return found

    # -- internals -----------------------------------------------------------------------

    def _hits(self, text: str, *, strict: bool) -> list[tuple[int, int, bool]]:
        """Every span that spells an area name, and whether its neighbours let it be one.

        A span that is a name but not an area here (柳江 in 柳江干流) still takes its
        characters, so that a shorter name inside it (江干) is not found instead.
        """
        masked = bytearray(len(text))
        if strict:
            for m in _NOT_AREAS.finditer(text):
                masked[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
        hits = []
        ok_ends: set[int] = set()
        # left to right, the longest name first at each start
        for i, end, _ in sorted(self._names.find(text), key=lambda h: (h[0], -h[1])):
            if strict and any(masked[i:end]):
                continue
            if i + 1 in ok_ends and text[i + 1 : end] in _URBAN_PART:
                continue  # 梁平城区 is 梁平's urban part, not 平城区 (大同); 昌平城区 not 平城区
            surface, after = text[i:end], text[end : end + 2]
            ok = not (surface.endswith("区") and after[:1] == "域")  # 江北区域, not 江北区
            if strict:
                ok = ok and self._bare_ok(surface, after) and self._direction_ok(surface, text[i - 1 : i])
            hits.append((i, end, ok))
            if ok:
                ok_ends.add(end)
        return hits

    def _bare_ok(self, surface: str, after: str) -> bool:
        """Whether a name met in running text can be an area, judging by its neighbours."""
        if len(surface) <= 2 and surface in ORDINARY_WORDS:
            return False
        if surface in self._full:
            return True
        if surface[-1] in "江河湖溪" and after.startswith(_WATER_AFTER):
            return False  # 嫩江流域, 柳江水质: the river, not the county named after it
        if len(surface) > 2:
            return True
        if surface[-1] in "东西南北" and after[:1] in _SIDE_AFTER:
            return False  # 太行山东麓, 黄河南岸: a side of something, not 山东 or 河南
        return after[:1] not in _FEATURE_AFTER

    def _direction_ok(self, surface: str, before: str) -> bool:
        """河南, 湖北, 山东 … inside a run of characters are usually a river, lake or mountain
        followed by a direction (南沙河南沙河大桥, 黄河南岸), not the province."""
        if surface not in _DIRECTION_PROVINCES:
            return True
        return not ("\u4e00" <= before <= "\u9fff") or before in _BEFORE_NAME

    @staticmethod
    def _select(hits: list[tuple[int, int, bool]]) -> list[tuple[int, int]]:
        """Longest spans first, then leftmost, none overlapping; the areas among them in text order."""
        taken: list[tuple[int, int]] = []
        used: set[int] = set()
        for start, end, ok in sorted(hits, key=lambda h: (h[0] - h[1], h[0])):
            if not used.intersection(range(start, end)):
                used.update(range(start, end))
                if ok:
                    taken.append((start, end))
        return sorted(taken)

    def _resolve_spans(
        self, text: str, spans: list[tuple[int, int]], context: Area | None, *, strict: bool
    ) -> list[tuple[int, int, Area]]:
        out: list[tuple[int, int, Area]] = []
        for start, end in spans:
            surface = text[start:end]
            bare = surface not in self._full
            # "阜新彰武", "四平市铁东区": an area written right after its parent belongs to it.
            parent = out[-1][2] if out and out[-1][1] == start else None
            under = [a for a in self.candidates(surface) if parent and self._contains(parent, a)]
            if under:
                area = self._single(under)
            else:
                area = self._choose(surface, context)
                if strict and bare and area is not None and not self._plausible(surface, area, context):
                    area = None
            if area is not None:
                out.append((start, end, area))
        return out

    def _plausible(self, surface: str, area: Area, context: Area | None) -> bool:
        """Whether a name written without its suffix, and not after its parent, is believable."""
        if area.level == "province":
            return True
        if area.level == "county" and surface[-1] in "河湖":
            return False  # 细河, 柳河 are rivers before they are districts
        if context is None:
            return True
        # Far from the document's own area, a county or a two-character name is too weak
        # (科尔沁沙地 in a 阜新 plan; 保定 inside 确保定期).
        if area.level == "county" or len(surface) <= 2:
            return self._closeness(context, area) > 0
        return True

    def _choose(self, surface: str, context: Area | None) -> Area | None:
        """One area for a written name: the document's area, its neighbours, then the name alone."""
        candidates = self.candidates(surface)
        if not candidates:
            return None
        if context is not None and context in candidates:
            return context
        full = self._full.get(surface, [])
        provinces = [a for a in candidates if a.level == "province"]
        if not full and provinces:
            return provinces[0]  # 河北, 海南, 吉林 without a suffix are the provinces
        if context is not None:
            scores = {a.adcode: self._closeness(context, a) for a in candidates}
            best = max(scores.values())
            if best > 0:
                return self._single([a for a in candidates if scores[a.adcode] == best])
        # Without a hint, a full name means the area of that name (东乡县 in 江西, not the
        # 东乡族自治县 that is also called so).
        return self._single(full or candidates)

    def _single(self, areas: list[Area]) -> Area | None:
        """The one area left once areas inside another candidate are dropped (安阳 → 安阳市)."""
        outer = [a for a in areas if not any(self._contains(b, a) for b in areas if b is not a)]
        return outer[0] if len(outer) == 1 else None

    def _ancestors(self, area: Area) -> tuple[str, ...]:
        code = area.adcode
        up = [code[:2] + "0000", code[:4] + "00"]
        return tuple(c for c in up if c != code and c in self._by_code)

    def _contains(self, outer: Area, inner: Area) -> bool:
        return outer.adcode in self._ancestors(inner)

    def _closeness(self, context: Area, area: Area) -> int:
        """How strongly the document's area suggests this candidate (0: not at all)."""
        if area.adcode == context.adcode:
            return 5
        if self._contains(context, area) or self._contains(area, context):
            return 4
        if area.parent is not None and area.parent == context.parent:
            return 3
        return 2 if area.province == context.province else 0

    def _most_specific(self, areas: list[Area]) -> Area | None:
        """The first area named, narrowed by later ones inside it (辽宁省鞍山市 → 鞍山市)."""
        if not areas:
            return None
        best = areas[0]
        for area in areas[1:]:
            if self._contains(best, area):
                best = area
        return best

    def _issuer(self, head: str, text: str, context: Area | None, *, headers: tuple[str, ...]) -> Area | None:
        """The area of an issuing body: in a running header, a labelled metadata field, or on a
        short line near the top or the bottom."""
        for m in _ISSUER_LABEL.finditer(head):
            # an office (剑阁县政府), not an outlet named after a province (信息来源:河南日报)
            value = m.group(1)
            offices = [a for _, end, a in self.find_mentions(value, context=context) if _ISSUER.match(value, end)]
            if offices:
                return self._most_specific(offices)
        for part in ("\n".join(headers), head[:_ISSUER_SPAN], text[-_ISSUER_SPAN:]):
            for line in part.splitlines():
                line = line.strip()
                if not line or len(line) > _ISSUER_LINE or "。" in line:  # a sentence, not a signature
                    continue
                mentions = self.find_mentions(line, context=context)
                issuers = [area for _, end, area in mentions if _ISSUER.match(line, end)]
                if issuers:
                    return self._most_specific(issuers)
        return None

    def _attributed(self, head: str, mentions: list[tuple[int, int, Area]]) -> Area | None:
        """The area whose office a news lead gives as its source (记者从黔南州生态环境局获悉;
        据乌鲁木齐市环境监测中心站提供的数据; 宜昌市2020年生态环境质量通报新闻发布会)."""
        lead = head[:_NEWS_LEAD]
        mentions = [m for m in mentions if m[1] <= _NEWS_LEAD]
        for i, (start, end, area) in enumerate(mentions):
            office = _OFFICE_AFTER.match(lead, end)
            if _PRESS_EVENT.match(lead, end) or (
                office is not None and (_SOURCE_BEFORE.search(lead[:start]) or _NEWS_VERB.match(lead, office.end()))
            ):
                # the sentence may name its one subject inside the source's area: 湖北省环保厅发布
                # 消息,宜昌环境工作获…第一名 is 宜昌's story; one that names the best and the worst
                # of the source's cities is still the source's
                stop = _SENTENCE_END.search(lead, end)
                inside = {
                    a.adcode: a
                    for s, _, a in mentions[i + 1 :]
                    if (stop is None or s < stop.start()) and self._contains(area, a)
                }
                return next(iter(inside.values())) if len(inside) == 1 else area
        return None

    def _whole_of_parts(self, county: Area, head: str, context: Area | None) -> Area | None:
        """The prefecture a text names along with this county-level city and others of its counties
        ('达州市城区、宣汉、开江、大竹、渠县、万源共6县(市)' with 全市): the 市 it speaks of is the
        prefecture, the county one of its parts."""
        mentions = [a for _, _, a in self.find_mentions(head, context=context)]
        parts = {a.adcode for a in mentions if a.level == "county" and a.parent == county.parent}
        named_parent = any(a.level == "prefecture" and a.name == county.parent for a in mentions)
        return self.by_name(county.parent or "") if named_parent and len(parts) >= 3 else None

    @staticmethod
    def _most_named(mentions: list[tuple[int, int, Area]], *, kind: str | None) -> Area | None:
        """The clearly most frequent area, of the kind the text calls itself (我市 → a 市)."""
        # 我区 also fits 广西壮族自治区; 我市 fits 北京市 as well as 安阳市 and 海宁市.
        counts = Counter(area for _, _, area in mentions if kind is None or area.name.endswith(kind))
        ranked = counts.most_common(2)
        if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
            return None
        return ranked[0][0]


def _self_kind(text: str) -> str | None:
    """The suffix of the area a text calls 我市/全县/本区, when one kind clearly dominates."""
    kinds = [m.group(1) for m in _SELF.finditer(text)] + [m.group(1) for m in _BARE_OFFICE.finditer(text)]
    ranked = Counter(kinds).most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


@cache
def _regions() -> tuple[scanning.Gated, ...]:
    """Each region pattern of pipelines/data/regions.csv, run only where its literal cores occur."""
    text = resources.files("pipelines.data").joinpath("regions.csv").read_text(encoding="utf-8")
    return tuple(scanning.Gated(re.compile(r["pattern"])) for r in csv.DictReader(text.splitlines()))


def find_regions(text: str) -> list[tuple[int, int]]:
    """Spans naming a region that is no administrative area (京津冀及周边, 长三角, 汾渭平原,
    黄河流域, 东部城市群), longest first where they overlap: figures stated for them are not
    facts (FACTS.md, Area). A pattern runs only where its literal cores occur."""
    spans = [m.span() for region in _regions() for m in region.finditer(text)]
    taken: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda sp: (sp[0] - sp[1], sp[0])):
        if end > start and not any(a < end and start < b for a, b in taken):
            taken.append((start, end))
    return sorted(taken)


def _is_kind(area: Area, kind: str) -> bool:
    """Whether an area is of the kind a text calls itself: 我市 → 大连市, 我州 → 黔南布依族苗族自治州."""
    return area.name.endswith(kind) or (kind == "区" and area.name.endswith("自治区"))


def _without_lists(text: str) -> str:
    """The text with navigation and channel lists and footer contact lines blanked (kept at their
    length, so offsets hold)."""
    return "\n".join(
        " " * len(line) if is_list_line(line) or is_contact_line(line) else line for line in text.split("\n")
    )


def _contiguous(spans: list[tuple[int, int]]) -> bool:
    return all(a[1] == b[0] for a, b in itertools.pairwise(spans))
