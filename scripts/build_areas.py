"""Build pipelines/data/areas.csv from two lists of China's administrative divisions.

The gazetteer ships with the project so that runs never download it; this script is how
it was made and how to remake it:

    pip download --no-deps cpca==0.5.5 -d /tmp/cpca && unzip -q /tmp/cpca/cpca-0.5.5-*.whl -d /tmp/cpca
    cd /tmp && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz  # → /tmp/package
    .venv/bin/python scripts/build_areas.py /tmp/cpca/cpca/resources/adcodes.csv /tmp/package/dist

1. The older list: the adcodes table of the PyPI package cpca 0.5.5 (MIT), one row per area
   (12-digit adcode, name, longitude, latitude), as of about 2016 (梁平县, 莱芜市, 那曲地区).
2. The current list: dist/provinces.csv, cities.csv and areas.csv of the npm package
   china-division 2.7.0 (MIT in its package.json, WTFPL in its LICENSE file; both permissive),
   the National Bureau of Statistics division codes as of 2023-06-30 (梁平区, 莱芜区 under
   济南市, 那曲市, 邹平市 and some 140 other units created, renamed or renumbered since).
   Its statistical-only zones (county codes PPCC7x: 开发区, 工业园区) are no administrative
   divisions and are left out.

The gazetteer holds every current unit and every older unit that the current list no longer
has (梁平县 beside 梁平区): documents written before a change still name the unit as it was,
and an area is named as its document writes it (FACTS.md, "Area"). `merge` says how a
renamed or renumbered unit keeps one adcode. Names, levels, parents and provinces come from
the first six adcode digits (PPCCDD); English names come from pypinyin with the corrections
that place names need; aliases are the names without their suffix, where the remaining name
is at least two characters.

A short form shared by a former and a current unit (梁平 of 梁平县 and 梁平区, 莱芜 of 莱芜市
and 莱芜区, 邹平 of 邹平县 and 邹平市) belongs to the current unit alone. Given to both, it
would name neither (the resolver returns no area rather than guess between two counties);
the documents this project reads are mostly recent, where the bare name means today's unit,
and the territory is the same. A document that writes the former full name (梁平县) still
gets the former unit.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import polars as pl
from pypinyin import lazy_pinyin

OUT = Path(__file__).resolve().parents[1] / "pipelines" / "data" / "areas.csv"

# Rows of the source that are bookkeeping headings, not areas anyone names in a text:
# "市辖区" under every prefecture, and the groups of county-level units that hang off a
# province or a municipality directly (4190xx, 4290xx, 6590xx, 5002xx …).
PSEUDO_AREAS = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")

# Standard English names where they are not the pinyin of the short name.
PROVINCE_EN = {
    "内蒙古": "Inner Mongolia",
    "西藏": "Tibet",
    "陕西": "Shaanxi",
    "香港": "Hong Kong",
    "澳门": "Macao",
}

# The 56 nationalities (without 族) and 各 (龙胜各族自治县), as they appear inside names of
# autonomous areas: "岫岩满族自治县", "巴音郭楞蒙古自治州".
_NATIONS_TEXT = """
汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 拉祜 水 东乡 纳西 景颇
柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安
裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 高山 各
"""
NATIONS = _NATIONS_TEXT.split()
# A nationality ends an autonomous area's name with 族, or without it when it has two or
# more characters ("巴音郭楞蒙古自治州", "塔什库尔干塔吉克自治县").
_NATION_TAIL = re.compile(
    "(?:" + "|".join(sorted({f"{n}族" for n in NATIONS} | {n for n in NATIONS if len(n) > 1}, key=len)[::-1]) + ")$"
)

# Longest first, so that 自治县 wins over 县. 林区 is a suffix only for 神农架林区 (a
# province-administered unit); elsewhere "林" belongs to the name (碑林区, 万柏林区).
_SUFFIXES = (
    "特别行政区",
    "行政委员会",  # 大柴旦行政委员会, a county-level unit of 海西州
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "新区",
    "矿区",
    "特区",
    "省",
    "市",
    "县",
    "区",
    "旗",
    "盟",
)

# pypinyin reads these characters with their common-word readings; in place names they
# are read otherwise (长沙 chang, 成都 du, 朝阳 chao, 喀什/什邡 shi, 佛冈 fo …).
CHAR_READINGS = {
    "长": "chang",
    "都": "du",
    "朝": "chao",
    "勒": "le",
    "什": "shi",
    "柏": "bai",
    "佛": "fo",
    "卡": "ka",
    "蚌": "beng",
    "尾": "wei",
    "珲": "hun",
    "覃": "qin",
    "称": "chen",
    "泊": "bo",
    "伽": "jia",
}
# Whole-word readings that neither pypinyin nor the character table gets right.
WORD_READINGS = {
    "长子": ["zhang", "zi"],
    "六合": ["lu", "he"],
    "中牟": ["zhong", "mou"],
    "牟定": ["mou", "ding"],
    "南乐": ["nan", "le"],
    "民乐": ["min", "le"],
    "荥经": ["ying", "jing"],
    "单县": ["shan", "xian"],
    "浚县": ["xun", "xian"],
    "涡阳": ["guo", "yang"],
    "洪洞": ["hong", "tong"],
    "筠连": ["jun", "lian"],
    "漯河": ["luo", "he"],
    "蔚县": ["yu", "xian"],
    "红寺堡": ["hong", "si", "bu"],
    "曾都": ["zeng", "du"],
    "召陵": ["shao", "ling"],
}


def split_name(name: str, adcode: str) -> tuple[str, str]:
    """The name without its administrative suffix, and the suffix ('' if none)."""
    # Prefer a suffix that leaves at least two characters: 清新区 is 清新 + 区, not 清 + 新区.
    fits = [s for s in _SUFFIXES if name.endswith(s) and len(name) > len(s)]
    suffix = next((s for s in fits if len(name) - len(s) >= 2), fits[0] if fits else "")
    if adcode[2:4] == "90" and name.endswith("林区"):
        suffix = "林区"
    stem = name[: len(name) - len(suffix)]
    if suffix.startswith("自治"):
        while (m := _NATION_TAIL.search(stem)) and m.start() >= 2:
            stem = stem[: m.start()]
        if stem.endswith("族") and len(stem) > 2:  # 东乡族自治县, 鄂温克族自治旗
            stem = stem[:-1]
    return stem, suffix


def syllables(text: str) -> list[str]:
    """Pinyin syllables of a place name, with the place-name readings above."""
    out = lazy_pinyin(text, errors="ignore")
    if len(out) != len(text):
        return out
    fixed = [False] * len(text)
    for word, reading in WORD_READINGS.items():
        for m in re.finditer(word, text):
            out[m.start() : m.end()] = reading
            fixed[m.start() : m.end()] = [True] * len(word)
    return [CHAR_READINGS.get(ch, syl) if not done else syl for ch, syl, done in zip(text, out, fixed, strict=True)]


def romanize(text: str) -> str:
    """One capitalised word; an apostrophe before a syllable that starts with a vowel (Xi'an)."""
    word = ""
    for syl in syllables(text):
        word += ("'" if word and syl[0] in "aoe" else "") + syl.replace("v", "ü")
    return word[:1].upper() + word[1:]


def english_name(name: str, adcode: str) -> str:
    stem, suffix = split_name(name, adcode)
    if stem in PROVINCE_EN and adcode.endswith("0000"):
        return PROVINCE_EN[stem]
    if suffix == "旗" and stem[-1] in "前中后左右" and len(stem) > 2:
        return f"{romanize(stem[:-1])} {romanize(stem[-1] + '旗')}"  # Tumote Zuoqi
    # A one-character name keeps its suffix, as in the national standard (沛县 Peixian).
    return romanize(stem if len(stem) > 1 and suffix else name)


_SIDE = re.compile(r"^(.).{1,3}?(左翼|右翼|左|右)(前|中|后)?$")


def _contractions(name: str, stem: str, suffix: str) -> list[str]:
    """Contracted names in everyday use: a side of a banner or county keeps its first character
    and the side (科尔沁左翼中旗 → 科左中旗, 喀喇沁左翼蒙古族自治县 → 喀左县|喀左); a Mongol
    autonomous county keeps its first character and 蒙 (阜新蒙古族自治县 → 阜蒙县)."""
    out: list[str] = []
    if suffix not in ("旗", "自治县", "自治旗"):
        return out
    side = _SIDE.match(stem)
    if side and len(stem) >= 4:
        short = side.group(1) + side.group(2)[0] + (side.group(3) or "")
        out.append(short + suffix[-1])
        if suffix == "自治县" and len(short) == 2:
            out.append(short)
    elif suffix == "自治县" and name[len(stem) :].startswith("蒙古"):
        out.append(stem[0] + "蒙县")
    return out


def aliases(name: str, adcode: str) -> str:
    """Short written forms: 安阳市→安阳, 岫岩满族自治县→岫岩县|岫岩, 延边朝鲜族自治州→延边州|延边."""
    stem, suffix = split_name(name, adcode)
    out: list[str] = []
    if suffix[:2] == "自治" and suffix != "自治区":
        out.append(stem + suffix[-1])
    banner_part = suffix == "旗" and (stem[-1] in "前中后左右" or stem.endswith("联合"))
    if suffix and len(stem) >= 2 and not banner_part:
        out.append(stem)
    out += _contractions(name, stem, suffix)
    return "|".join(a for a in dict.fromkeys(out) if a != name)


def _read_cpca(adcodes_csv: Path) -> pl.DataFrame:
    """(adcode, name) of the cpca table, without its bookkeeping rows."""
    return (
        pl.read_csv(adcodes_csv, schema_overrides={"adcode": pl.Utf8})
        .select(pl.col("adcode").str.slice(0, 6), pl.col("name").str.strip_chars())
        .filter(~pl.col("name").is_in(PSEUDO_AREAS))
    )


def _read_current(division_dir: Path) -> pl.DataFrame:
    """(adcode, name) of the current list in china-division's dist/ directory (provinces.csv,
    cities.csv, areas.csv), without bookkeeping rows, statistical-only zones (county code
    PPCC7x: 开发区, 工业园区, 管理区, which are no administrative divisions) and a prefecture
    without counties listed again as its own county (嘉峪关市 620201 under 620200)."""
    read = lambda name: pl.read_csv(division_dir / name, infer_schema=False)  # noqa: E731
    prefectures = read("cities.csv").select((pl.col("code") + "00").alias("adcode"), "name")
    counties = read("areas.csv").select(pl.col("code").alias("adcode"), "name", pref=pl.col("cityCode") + "00")
    counties = (
        counties.join(prefectures.rename({"adcode": "pref", "name": "pref_name"}), on="pref", how="left")
        .filter(pl.col("adcode").str.slice(4, 1) != "7", pl.col("name") != pl.col("pref_name").fill_null(""))
        .select("adcode", "name")
    )
    provinces = read("provinces.csv").select((pl.col("code") + "0000").alias("adcode"), "name")
    return (
        pl.concat([provinces, prefectures, counties])
        .with_columns(pl.col("name").str.strip_chars())
        .filter(~pl.col("name").is_in(PSEUDO_AREAS))
    )


def merge(old: pl.DataFrame, current: pl.DataFrame) -> pl.DataFrame:
    """One row per adcode: every current unit, and every older unit that has no current row.

    Columns adcode, name, current (bool), old_names (a renamed unit's former name or '').
    An older code whose name now belongs to a new code of the same province, and to no other
    unit of that province then or now, is the same unit renumbered (定州市 139001 → 130682,
    公主岭市 220381 → 220184, 钢城区 371203 → 370117): it is left out, since its name resolves
    to the current code. A code the current list gives another name (邢台 桥东区 130502 →
    襄都区) is one unit renamed: the code is the current unit's, the former name one of its
    aliases, as adcodes are unique in the warehouse. Provinces the current list leaves out
    (Hong Kong, Macao, Taiwan) keep their older rows as current."""
    prov = pl.col("adcode").str.slice(0, 2)
    covered = current.select(prov.alias("p")).unique()["p"]
    once = lambda df: df.filter(pl.len().over(prov, "name") == 1).select(prov.alias("p"), "name")  # noqa: E731
    renumbered = once(old).join(once(current), on=["p", "name"]).with_columns(dropped=pl.lit(True))
    old = (
        old.with_columns(p=prov)
        .join(current.rename({"name": "current_name"}), on="adcode", how="left")
        .join(renumbered, on=["p", "name"], how="left")
    )
    renamed = old.filter(pl.col("current_name").is_not_null() & (pl.col("current_name") != pl.col("name")))
    kept = old.filter(
        pl.col("current_name").is_null() & pl.col("dropped").is_null(),
    ).select("adcode", "name", current=~pl.col("p").is_in(covered.implode()), old_names=pl.lit(""))
    now = current.join(renamed.select("adcode", old_names="name"), on="adcode", how="left").select(
        "adcode", "name", current=pl.lit(True), old_names=pl.col("old_names").fill_null("")
    )
    return pl.concat([now, kept]).sort("adcode")


def build(adcodes_csv: Path, division_dir: Path | None = None) -> pl.DataFrame:
    """The gazetteer table, one row per real area, ordered by adcode (cpca alone without a
    current list)."""
    old = _read_cpca(adcodes_csv)
    if division_dir is None:
        src = old.with_columns(current=pl.lit(True), old_names=pl.lit(""))
    else:
        src = merge(old, _read_current(division_dir))
    names = src.select(pl.col("adcode").alias("code"), pl.col("name").alias("ref_name"))
    code = pl.col("adcode")
    df = (
        src.with_columns(
            level=pl.when(code.str.slice(2) == "0000")
            .then(pl.lit("province"))
            .when(code.str.slice(4) == "00")
            .then(pl.lit("prefecture"))
            .otherwise(pl.lit("county")),
            province_code=code.str.slice(0, 2) + "0000",
            prefecture_code=code.str.slice(0, 4) + "00",
        )
        .join(names.rename({"ref_name": "province"}), left_on="province_code", right_on="code", how="left")
        .join(names.rename({"ref_name": "prefecture"}), left_on="prefecture_code", right_on="code", how="left")
        .with_columns(
            # A county without a real prefecture (a municipality's district, 济源市, 石河子市)
            # hangs off its province.
            parent=pl.when(pl.col("level") == "county")
            .then(pl.coalesce("prefecture", "province"))
            .when(pl.col("level") == "prefecture")
            .then(pl.col("province")),
            name_en=pl.struct("name", "adcode").map_elements(
                lambda r: english_name(r["name"], r["adcode"]), return_dtype=pl.Utf8
            ),
            aliases=pl.struct("name", "adcode", "old_names").map_elements(
                lambda r: "|".join(
                    a
                    for a in [aliases(r["name"], r["adcode"]), r["old_names"], aliases(r["old_names"], r["adcode"])]
                    if a
                ),
                return_dtype=pl.Utf8,
            ),
        )
    )
    # A short form shared by a former and a current unit (梁平 of 梁平县 and 梁平区, 莱芜 of 莱芜市
    # and 莱芜区) is the current unit's alone: see the module docstring.
    taken = set(df.filter("current")["name"]) | {a for s in df.filter("current")["aliases"] for a in s.split("|") if a}
    df = df.with_columns(
        aliases=pl.when("current")
        .then(pl.col("aliases"))
        .otherwise(
            pl.col("aliases").map_elements(
                lambda s: "|".join(a for a in s.split("|") if a and a not in taken), return_dtype=pl.Utf8
            )
        )
    )
    return df.select("adcode", "name", "level", "province", "parent", "name_en", "aliases").sort("adcode")


def main(argv: list[str]) -> None:
    table = build(Path(argv[1]), Path(argv[2]) if len(argv) > 2 else None)
    table.write_csv(OUT)
    print(f"{OUT}: {table.height} areas", table.group_by("level").len().sort("level").rows())


if __name__ == "__main__":
    main(sys.argv)
