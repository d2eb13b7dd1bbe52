"""The indicator catalogue: codes, canonical units and direction, shipped with the project.

The codes and units are a public contract with analysts (see ../shared/spec/indicators.csv);
the project's copy may add codes but never renames or re-units one.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

import polars as pl


@dataclass(frozen=True)
class Indicator:
    code: str
    name_zh: str
    name_en: str
    domain: str
    unit: str
    higher_is_better: bool | None  # None where direction is not meaningful (cases, fines)
    phrases: tuple[str, ...]


def _direction(raw: str) -> bool | None:
    return None if raw.strip() == "" else raw.strip() == "1"


@cache
def load_catalogue() -> dict[str, Indicator]:
    """Indicators by code, in catalogue order."""
    text = resources.files("pipelines.data").joinpath("indicators.csv").read_text(encoding="utf-8")
    out: dict[str, Indicator] = {}
    for row in csv.DictReader(text.splitlines()):
        out[row["code"]] = Indicator(
            code=row["code"],
            name_zh=row["name_zh"],
            name_en=row["name_en"],
            domain=row["domain"],
            unit=row["unit"],
            higher_is_better=_direction(row["higher_is_better"]),
            phrases=tuple(p for p in row["example_phrases"].split("|") if p),
        )
    return out


def catalogue_frame() -> pl.DataFrame:
    """The catalogue as a table, for joins in the normalise stage and for dim_indicator."""
    rows = load_catalogue().values()
    return pl.DataFrame(
        {
            "indicator_code": [i.code for i in rows],
            "name_zh": [i.name_zh for i in rows],
            "name_en": [i.name_en for i in rows],
            "domain": [i.domain for i in rows],
            "unit": [i.unit for i in rows],
            "higher_is_better": [i.higher_is_better for i in rows],
            "example_phrases": ["|".join(i.phrases) for i in rows],
        },
        schema_overrides={"higher_is_better": pl.Boolean},
    )
