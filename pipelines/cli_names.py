"""Turning what an analyst types after --area and --indicator into the warehouse's names.

Areas: the Chinese full name (沈阳市) or the English/pinyin name of the shipped gazetteer
(Shenyang, case and spaces ignored). Indicators: the code (air.good_days), or the Chinese or
English name or one of the catalogue's phrases when it names one indicator. Anything else is an
error that suggests the names meant, areas and indicators with facts in this warehouse first.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from pipelines.core.areas import Gazetteer
from pipelines.core.catalogue import load_catalogue

SUGGESTIONS = 5
"""At most this many names are suggested."""


class UnknownName(Exception):
    """A name the gazetteer or the catalogue does not know, said in one line with suggestions."""


@dataclass(frozen=True)
class Named:
    """What a typed name resolved to, and whether the warehouse has facts for it."""

    name: str
    has_facts: bool


_KIND_WORDS = re.compile(r"\s+(city|shi|county|xian|district|qu|province|sheng)$", re.IGNORECASE)
"""English or pinyin words for the kind of area, which the gazetteer's name_en leaves out (Shenyang City)."""


def _latin(text: str) -> str:
    """Pinyin/English compared without case, spaces, hyphens, apostrophes or a kind word (Xi'an, XI AN city)."""
    return re.sub(r"[\s\-'’_.]", "", _KIND_WORDS.sub("", text.strip())).casefold()


def _did_you_mean(what: str, typed: str, names: Iterable[str], fallback: str) -> UnknownName:
    names = list(dict.fromkeys(names))[:SUGGESTIONS]
    if names:
        return UnknownName(f"no {what} {typed}; did you mean {', '.join(names)}?")
    return UnknownName(f"no {what} {typed}; {fallback}")


def _facts_first(names: Iterable[str], with_facts: Collection[str]) -> list[str]:
    names = list(dict.fromkeys(names))
    return [n for n in names if n in with_facts] + [n for n in names if n not in with_facts]


def resolve_area(typed: str, with_facts: Collection[str], gazetteer: Gazetteer | None = None) -> Named:
    """The area's full name for `--area`; UnknownName when it names none (or several) areas."""
    gazetteer = gazetteer or Gazetteer.load()
    typed = typed.strip()
    if typed in with_facts:
        return Named(typed, True)
    full_names = {area.name for area in gazetteer.areas}
    if typed in full_names:
        return Named(typed, False)
    key = _latin(typed)
    english = [a for a in gazetteer.areas if a.name_en and _latin(a.name_en) == key] if key else []
    names = _facts_first((a.name for a in english), with_facts)
    if len(names) == 1 or (names and names[0] in with_facts and names[1] not in with_facts):
        return Named(names[0], names[0] in with_facts)
    if names:
        where: dict[str, list[str]] = {}
        for a in english:
            where.setdefault(a.name, []).extend([a.parent] if a.parent else [])
        listed = ", ".join(f"{n} ({', '.join(where[n])})" if where[n] else n for n in names[:SUGGESTIONS])
        raise UnknownName(f"{typed} names several areas: {listed}; give the Chinese name")
    guesses = [a.name for a in gazetteer.candidates(typed)]  # short forms: 沈阳 → 沈阳市, 沈阳县 …
    guesses += [n for n in sorted(full_names) if typed and typed in n]
    guesses += difflib.get_close_matches(typed, [*with_facts, *full_names], n=SUGGESTIONS, cutoff=0.6)
    if key.isascii() and key:
        by_latin = {_latin(a.name_en): a.name for a in gazetteer.areas if a.name_en}
        guesses += [by_latin[k] for k in difflib.get_close_matches(key, list(by_latin), n=SUGGESTIONS, cutoff=0.75)]
    raise _did_you_mean(
        "area",
        typed,
        _facts_first(guesses, with_facts),
        f"areas with facts: {', '.join(sorted(with_facts)[:10])}" if with_facts else "the warehouse has no facts",
    )


def resolve_indicator(typed: str, with_facts: Collection[str], known: Collection[str] = ()) -> Named:
    """The indicator code for `--indicator`; UnknownName with close codes when it names none."""
    typed = typed.strip()
    catalogue = load_catalogue()
    codes = [*catalogue, *(c for c in known if c not in catalogue)]
    if typed in codes:
        return Named(typed, typed in with_facts)
    folded = typed.casefold()
    by_name = {
        i.code
        for i in catalogue.values()
        if folded in (i.name_zh.casefold(), i.name_en.casefold()) or typed in i.phrases
    }
    if len(by_name) == 1:
        (code,) = by_name
        return Named(code, code in with_facts)
    guesses = sorted(by_name)
    guesses += [c for c in codes if folded and folded in c.casefold()]
    guesses += [i.code for i in catalogue.values() if typed and (typed in i.name_zh or folded in i.name_en.casefold())]
    guesses += difflib.get_close_matches(typed, codes, n=SUGGESTIONS, cutoff=0.6)
    tails = {c.split(".", 1)[-1]: c for c in codes}
    guesses += [tails[t] for t in difflib.get_close_matches(folded, list(tails), n=SUGGESTIONS, cutoff=0.6)]
    raise _did_you_mean(
        "indicator",
        typed,
        _facts_first(guesses, with_facts),
        '`envreports sql "SELECT indicator_code, name_zh FROM dim_indicator"` lists them',
    )
