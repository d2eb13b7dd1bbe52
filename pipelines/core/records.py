"""The fact record as table columns, derived from `models.RawFact`.

The dataclass is the one definition: the extract stage's columns and the normalised facts'
columns (which the validation checks and the warehouse loads) follow from its fields, so a new
field flows into every schema. tests/test_records.py checks that sql/schema.sql agrees.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date

import polars as pl

from pipelines.core.models import RawFact

# Table column of a RawFact field, where the names differ (the core speaks of the sentence
# and the span it found; the tables of the evidence and its character offsets).
COLUMN_NAMES = {"sentence": "evidence", "start": "char_start", "end": "char_end"}
# Integer columns stored narrower than Int64 (years and pages fit INTEGER).
INT32_COLUMNS = frozenset({"year", "year_start", "base_year", "page"})
_DTYPES: dict[type, pl.DataType] = {
    str: pl.String(),
    int: pl.Int64(),
    float: pl.Float64(),
    bool: pl.Boolean(),
    date: pl.Date(),
}


def _dtype(name: str, hint: object) -> pl.DataType:
    """The polars dtype of a field annotated `T` or `T | None`."""
    union = isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union
    args = [a for a in typing.get_args(hint) if a is not type(None)] if union else [hint]
    if len(args) != 1 or args[0] not in _DTYPES:
        raise TypeError(f"RawFact.{name}: no column type for {hint!r}")
    if args[0] is int and name in INT32_COLUMNS:
        return pl.Int32()
    return _DTYPES[args[0]]


def record_columns(record: type = RawFact) -> dict[str, pl.DataType]:
    """Column name → polars dtype for every field of the record, in field order."""
    hints = typing.get_type_hints(record)
    out = {}
    for f in dataclasses.fields(record):
        name = COLUMN_NAMES.get(f.name, f.name)
        out[name] = _dtype(name, hints[f.name])
    return out


def as_row(fact: RawFact) -> dict:
    """A fact as a row of `record_columns()`."""
    return {COLUMN_NAMES.get(k, k): v for k, v in dataclasses.asdict(fact).items()}


# The extract stage's facts: the record, its document and the PDF page of its offset.
RAW_FACT_SCHEMA: dict[str, pl.DataType] = {"content_hash": pl.String(), **record_columns(), "page": pl.Int32()}

# What a figure is about, whichever document states it: documents giving different values for one
# such key disagree (v_latest_period_facts, v_conflicts and the report's conflict flags key on it).
# The period and the base year are part of it: a December figure and the year's figure, or a change
# against 2015 and one against 2020, are two figures (FACTS.md, Period), never a disagreement.
FIGURE_KEY = ("area_key", "indicator_code", "year", "value_kind", "base_year", "period_start", "period_end")

# Normalised facts (facts assets → validation → warehouse): keyed, with the figure in the
# catalogue unit. The fact key is the figure key within one document (the area's name as read keeps
# figures of areas without an adcode apart); restated figures share it. The column order is the hash's.
FACT_KEY = ["document_key", FIGURE_KEY[0], "region_name", *FIGURE_KEY[1:]]
FACT_SCHEMA: dict[str, pl.DataType] = {
    "fact_key": pl.String(),
    "document_key": pl.String(),
    "source_file": pl.String(),
    **{k: v for k, v in RAW_FACT_SCHEMA.items() if k != "content_hash"},
    "value": pl.Float64(),
    "unit": pl.String(),
    "unit_status": pl.String(),
}
