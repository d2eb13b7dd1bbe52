"""Validation of the normalised facts and the documents table with Great Expectations (GX Core 1.x).

Two severities, so that the Dagster layer can map them onto asset checks:

- ``row``: a single fact is implausible (a null value, a unit other than the catalogue's, a
  share above 100%). Such rows are quarantined into ``FactValidation.rejected`` with a plain
  reason and the build carries on with a warning.
- ``structural``: the pipeline itself is wrong (duplicate fact keys, a column missing or of the
  wrong dtype, facts from documents that do not exist or were not read, an expectation that
  crashed). These block publishing; nothing is quarantined for them.

A value kind or indicator code outside its set is a row problem (one bad extraction), while
key uniqueness and the schema are structural (every row is suspect).

GX is imported lazily inside the functions (the import costs seconds), and each public call
uses one ephemeral context. Facts are validated as pandas (converted from polars); failed rows
are mapped back through a ``row_nr`` helper column passed as ``unexpected_index_column_names``
(with ``fact_key`` beside it, so GX's own results and Data Docs name the facts), which stays
exact even when fact keys are duplicated or null.

GX never raises when an expectation crashes (a missing column, a bad condition): the result
says ``success=False`` with ``exception_info``. Such results are reported as failures of the
check in a separate structural suite (``<prefix>_checks_ran``) and never as failed rows.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import polars as pl

from pipelines.core.catalogue import load_catalogue
from pipelines.core.models import ACTUAL, CHANGE_ABS, CHANGE_PCT, OK, STATUSES, TARGET, VALUE_KINDS
from pipelines.core.records import FACT_SCHEMA

ROW = "row"
STRUCTURAL = "structural"
ROW_NR = "row_nr"  # helper column: position of the row in the frame given to GX

YEAR_MIN, YEAR_MAX = 1949, 2100
QUALIFIERS = ("≥", "≤", ">", "≈")
KIND_GROUPS = {ACTUAL: "level", TARGET: "level", CHANGE_ABS: "change", CHANGE_PCT: "relative"}
SAMPLE_ROWS = 10
SAMPLE_VALUES = 20

DOCUMENT_SCHEMA: dict[str, pl.DataType] = {
    "document_key": pl.String(),
    "source_file": pl.String(),
    "status": pl.String(),
    "error": pl.String(),
    "clean_text": pl.String(),
    "file_type": pl.String(),
}


@dataclass(frozen=True)
class ExpectationOutcome:
    """One expectation's verdict, in plain values (no GX objects)."""

    name: str  # 'expect_column_values_to_be_between(value, 0, 366) where range_rule == ...'
    type: str
    kwargs: dict[str, Any]
    success: bool
    unexpected_count: int
    unexpected_sample: list[Any]
    observed: Any = None  # observed_value for aggregate expectations
    exception: str | None = None  # set when the expectation itself crashed
    notes: str | None = None  # why the expectation exists (for range rules: the CSV's 'why')


@dataclass
class SuiteResult:
    suite: str
    severity: str  # ROW (quarantine, warn) | STRUCTURAL (block publishing)
    success: bool
    evaluated: int  # expectations run
    failed: int  # expectations that found failing data
    expectations: list[ExpectationOutcome]
    failing_rows: list[dict[str, Any]]  # at most SAMPLE_ROWS, with a 'failed' column
    errored: int = 0  # expectations that raised instead of evaluating
    gx_result: Any = field(default=None, repr=False, compare=False)  # for Data Docs


@dataclass
class FactValidation:
    accepted: pl.DataFrame  # rows that passed every row-level expectation
    rejected: pl.DataFrame  # failed rows + 'reason' (str) + 'reason_in_words' (str) + 'expectations' (list[str])
    suites: list[SuiteResult]

    @property
    def blocking(self) -> list[SuiteResult]:
        """Failed structural suites: the build must not be published."""
        return [s for s in self.suites if s.severity == STRUCTURAL and not s.success]


@dataclass(frozen=True)
class RangeRule:
    """One row of plausible_ranges.csv."""

    scope: str  # 'unit' | 'indicator'
    key: str  # a unit ('%') or an indicator code
    group: str  # 'level' (actual, target) | 'change' (change_abs) | 'relative' (change_pct)
    min: float | None
    max: float | None
    why: str

    @property
    def rule_id(self) -> str:
        return f"{self.scope}:{self.key}:{self.group}"


def _bound(raw: str) -> float | None:
    return float(raw) if raw.strip() else None


@cache
def load_ranges() -> tuple[RangeRule, ...]:
    """Plausible bounds from the shipped CSV, so analysts can read and adjust them."""
    text = resources.files("pipelines.data").joinpath("plausible_ranges.csv").read_text(encoding="utf-8")
    rules = tuple(
        RangeRule(r["scope"], r["key"], r["value_kind_group"], _bound(r["min"]), _bound(r["max"]), r["why"])
        for r in csv.DictReader(text.splitlines())
    )
    for r in rules:
        if r.scope not in ("unit", "indicator") or r.group not in set(KIND_GROUPS.values()):
            raise ValueError(f"plausible_ranges.csv: bad scope or group in {r}")
        if r.min is None and r.max is None:
            raise ValueError(f"plausible_ranges.csv: no bound in {r}")
    if len({r.rule_id for r in rules}) != len(rules):
        raise ValueError("plausible_ranges.csv: a (scope, key, value_kind_group) appears twice")
    return rules


# ---------------------------------------------------------------- frames given to GX


def _str_col(frame: pl.DataFrame, name: str) -> pl.Expr:
    return pl.col(name).cast(pl.String) if name in frame.columns else pl.lit(None, pl.String)


def _prepare_facts(facts: pl.DataFrame) -> pl.DataFrame:
    """Facts plus helper columns that make unit- and kind-dependent checks single-column checks.

    - ``expected_unit``: the catalogue unit of the code ('%' for change_pct), compared with
      ``unit`` by a column-pair expectation.
    - ``range_rule``: the id of the plausible_ranges.csv row that governs the row — the
      indicator's own row for its kind group if there is one, else its unit's row, else null.
      Each CSV row becomes one ``expect_column_values_to_be_between(value, min, max)`` with
      ``row_condition range_rule == id``, so every range is a separate, named expectation
      evaluated only on the rows it governs, and the CSV stays the single source of bounds.

    A helper is only added when its source columns exist; otherwise the expectations that use it
    crash and are reported as check errors, which is what a missing column deserves.
    """
    cols = set(facts.columns)
    out = facts.with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias(ROW_NR))
    if "value_kind" not in cols:
        return out
    kind = pl.col("value_kind").cast(pl.String)
    group = kind.replace_strict(KIND_GROUPS, default=None, return_dtype=pl.String)
    out = out.with_columns(group.alias("kind_group"))
    if "indicator_code" in cols:
        units = {code: ind.unit for code, ind in load_catalogue().items()}
        catalogue_unit = (
            pl.col("indicator_code").cast(pl.String).replace_strict(units, default=None, return_dtype=pl.String)
        )
        out = out.with_columns(
            pl.when(kind == CHANGE_PCT).then(pl.lit("%")).otherwise(catalogue_unit).alias("expected_unit")
        )
    if {"indicator_code", "unit"} <= cols:
        ids = [r.rule_id for r in load_ranges()]
        by_code = pl.concat_str(
            [pl.lit("indicator"), pl.col("indicator_code").cast(pl.String), pl.col("kind_group")],
            separator=":",
        )
        by_unit = pl.concat_str([pl.lit("unit"), pl.col("unit").cast(pl.String), pl.col("kind_group")], separator=":")
        out = out.with_columns(
            pl.when(by_code.is_in(ids)).then(by_code).when(by_unit.is_in(ids)).then(by_unit).alias("range_rule")
        )
    return out


def _schema_frame(frame: pl.DataFrame, expected: dict[str, pl.DataType]) -> pl.DataFrame:
    """One row per required column: its expected and actual dtype (null when missing)."""
    actual = {name: str(dtype) for name, dtype in frame.schema.items()}
    return pl.DataFrame(
        {
            "column": list(expected),
            "expected_dtype": [str(d) for d in expected.values()],
            "actual_dtype": [actual.get(name) for name in expected],
        },
        schema={"column": pl.String, "expected_dtype": pl.String, "actual_dtype": pl.String},
    ).with_row_index(ROW_NR)


def _prepare_documents(documents: pl.DataFrame) -> pl.DataFrame:
    """The documents table without its texts: only their non-blank length is checked."""
    keep = [c for c in ("document_key", "source_file", "status", "error", "file_type") if c in documents.columns]
    extra = (
        [pl.col("clean_text").str.strip_chars().str.len_chars().fill_null(0).alias("clean_text_chars")]
        if "clean_text" in documents.columns
        else []
    )
    return documents.select(*keep, *extra).with_row_index(ROW_NR)


def _fact_documents(facts: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    """Each fact with the status of its document (null when the document is not in the table)."""
    out = facts.select([c for c in ("fact_key", "document_key") if c in facts.columns]).with_row_index(ROW_NR)
    if "document_key" in facts.columns and {"document_key", "status"} <= set(documents.columns):
        statuses = documents.select(
            pl.col("document_key").cast(pl.String), pl.col("status").cast(pl.String).alias("document_status")
        ).unique("document_key", keep="first")
        out = out.with_columns(pl.col("document_key").cast(pl.String)).join(
            statuses, on="document_key", how="left", maintain_order="left"
        )
    return out


# ---------------------------------------------------------------- expectations


def _label_for(kind: str, kwargs: dict[str, Any]) -> str:
    """A readable call-like name for an expectation, used in reasons and reports."""
    args = [str(kwargs[k]) for k in ("column", "column_A", "column_B") if k in kwargs]
    if "column_list" in kwargs:
        args.append(", ".join(kwargs["column_list"]))
    if "min_value" in kwargs or "max_value" in kwargs:
        args += [_num(kwargs.get("min_value"), "-inf"), _num(kwargs.get("max_value"), "inf")]
    if "value_set" in kwargs:
        values = list(kwargs["value_set"])
        args.append("|".join(map(str, values)) if len(values) <= 8 else f"{len(values)} allowed values")
    label = f"{kind}({', '.join(args)})"
    condition = kwargs.get("row_condition")
    if isinstance(condition, dict) and condition.get("type") == "comparison":
        label += f" where {condition['column']['name']} {condition['operator']} {condition['parameter']!r}"
    return label


def _num(value: float | None, missing: str) -> str:
    return missing if value is None else f"{value:g}"


def _bounds_in_words(rule: RangeRule) -> str:
    """'must lie between 0 and 366 day', 'cannot be below 0 ha': the rule's bounds as a sentence part."""
    unit = f" {rule.key}" if rule.scope == "unit" else ""
    if rule.min is not None and rule.max is not None:
        return f"must lie between {rule.min:g} and {rule.max:g}{unit}"
    if rule.min is not None:
        return f"cannot be below {rule.min:g}{unit}"
    return f"cannot exceed {rule.max:g}{unit}"


def _fact_row_expectations() -> list[Any]:
    """Row expectations; meta 'words' says in plain words what a failing row got wrong."""
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    codes = sorted(load_catalogue())
    exps: list[Any] = [
        gxe.ExpectColumnValuesToNotBeNull(column=c, meta={"words": f"no {c.replace('_', ' ')} was found"})
        for c in ("document_key", "indicator_code", "value_kind", "value", "unit")
    ]
    exps += [
        gxe.ExpectColumnValuesToBeInSet(
            column="value_kind",
            value_set=list(VALUE_KINDS),
            meta={"words": f"the value kind is none of {', '.join(VALUE_KINDS)}"},
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="indicator_code",
            value_set=codes,
            meta={
                "label": "expect_column_values_to_be_in_set(indicator_code, catalogue)",
                "words": "the indicator code is not in the catalogue",
            },
        ),
        gxe.ExpectColumnPairValuesToBeEqual(
            column_A="unit",
            column_B="expected_unit",
            ignore_row_if="either_value_is_missing",
            notes="expected_unit is the catalogue unit of the code, '%' for change_pct.",
            meta={"words": "the unit is not the indicator's catalogue unit (% for a relative change)"},
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="unit_status",
            value_set=["ok"],
            meta={"words": "the unit as written cannot be converted to the indicator's unit"},
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="qualifier",
            value_set=list(QUALIFIERS),
            meta={"words": f"the qualifier is none of {' '.join(QUALIFIERS)}"},
        ),
    ]
    exps += [
        gxe.ExpectColumnValuesToBeBetween(
            column=c,
            min_value=YEAR_MIN,
            max_value=YEAR_MAX,
            meta={"words": f"the {c.replace('_', ' ')} lies outside {YEAR_MIN}–{YEAR_MAX}"},
        )
        for c in ("year", "year_start", "base_year")
    ]
    for rule in load_ranges():
        kwargs = {"column": "value", "min_value": rule.min, "max_value": rule.max}
        exps.append(
            gxe.ExpectColumnValuesToBeBetween(
                **kwargs,
                row_condition=Column("range_rule") == rule.rule_id,
                notes=f"{rule.rule_id}: {rule.why}",
                meta={
                    "label": _label_for("expect_column_values_to_be_between", kwargs),
                    "range_rule": rule.rule_id,
                    "words": f"the value {_bounds_in_words(rule)}. {rule.why}",
                },
            )
        )
    return exps


def _fact_key_expectations() -> list[Any]:
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToNotBeNull(column="fact_key"),
        gxe.ExpectColumnValuesToBeUnique(column="fact_key"),
    ]


def _schema_expectations() -> list[Any]:
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    return [
        gxe.ExpectColumnValuesToNotBeNull(column="actual_dtype", notes="A null actual_dtype is a missing column."),
        gxe.ExpectColumnPairValuesToBeEqual(
            column_A="actual_dtype",
            column_B="expected_dtype",
            ignore_row_if="either_value_is_missing",
            row_condition=Column("actual_dtype") != str(pl.Null()),
            notes="A column without any value (polars dtype Null) fits every dtype.",
        ),
    ]


def _document_table_expectations() -> list[Any]:
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    not_ok = Column("status") != OK
    return [
        gxe.ExpectColumnValuesToNotBeNull(column="document_key"),
        gxe.ExpectColumnValuesToBeUnique(column="document_key"),
        gxe.ExpectColumnValuesToNotBeNull(column="source_file"),
        gxe.ExpectColumnValuesToBeUnique(column="source_file"),
        gxe.ExpectColumnValuesToBeInSet(column="status", value_set=list(STATUSES)),
        gxe.ExpectColumnValuesToNotBeNull(
            column="error", row_condition=not_ok, notes="Every non-ok document says why."
        ),
        gxe.ExpectColumnValueLengthsToBeBetween(column="error", min_value=1, row_condition=not_ok),
        gxe.ExpectColumnValuesToBeBetween(
            column="clean_text_chars",
            min_value=1,
            row_condition=Column("status") == OK,
            notes="An ok document with no clean text should have been 'empty'.",
        ),
    ]


def _fact_document_expectations() -> list[Any]:
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToNotBeNull(
            column="document_status", notes="Null: the fact's document_key is not in the documents table."
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="document_status", value_set=[OK], notes="Facts come only from documents read as ok."
        ),
    ]


# ---------------------------------------------------------------- running GX


def _context() -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return context


def _exception_text(info: Any) -> str | None:
    """The message of a crashed expectation; GX nests exception_info per metric when several fail."""
    if not isinstance(info, dict):
        return None
    if "raised_exception" in info:
        return (info.get("exception_message") or "raised an exception") if info["raised_exception"] else None
    messages = [m for m in (_exception_text(v) for v in info.values()) if m]
    return "; ".join(dict.fromkeys(messages)) or None


def _plain(value: Any) -> Any:
    """Numpy scalars, tuples and NaN as plain JSON-able values."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _columns_used(expectations: Sequence[Any]) -> set[str]:
    """The columns the expectations read, so GX gets only those (as pandas, evidence sentences
    and the other text columns were most of the validation step's memory)."""
    used: set[str] = set()
    for e in expectations:
        used.update(v for v in (getattr(e, a, None) for a in ("column", "column_A", "column_B")) if isinstance(v, str))
        used.update(getattr(e, "column_list", None) or ())
        condition = getattr(getattr(e, "row_condition", None), "column", None)
        if condition is not None:
            used.add(condition.name)
    return used


@contextmanager
def _system_arrow_memory() -> Iterator[None]:
    """Arrow allocations on the system allocator while GX runs, then the previous pool again.

    pandas 3 keeps strings in Arrow arrays, so each of GX's metrics (null masks, set membership,
    row conditions, the copies of the frame it filters) allocates Arrow buffers. Arrow's default
    pool (mimalloc) keeps the pages it freed, so the step's memory grew with every expectation
    and with the number of facts; the system allocator reuses and returns them. Buffers remember
    the pool they came from, so switching back later is safe.
    """
    import pyarrow as pa

    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


def _run_suite(
    context: Any, name: str, severity: str, frame: pl.DataFrame, expectations: list[Any], index: Sequence[str]
) -> tuple[SuiteResult, pl.DataFrame]:
    """Validate one frame against one suite; also return (row_nr, name, label) for every failed row."""
    import great_expectations as gx

    asset = context.data_sources.add_pandas(name).add_dataframe_asset(name)
    suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=name, data=asset.add_batch_definition_whole_dataframe(name), suite=suite)
    )
    index_columns = [c for c in (ROW_NR, *index) if c in frame.columns]
    used = _columns_used(expectations) | set(index_columns)
    with _system_arrow_memory():
        result = definition.run(
            # a column that is missing stays missing, so its expectations still report the error
            batch_parameters={"dataframe": frame.select(c for c in frame.columns if c in used).to_pandas()},
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": index_columns},
        )
    # GX keeps the context it made last (and through it this batch's pandas copy) until the next
    # get_context: without its data source the copy goes now; the result does not need it.
    context.data_sources.delete(name)
    outcomes: list[ExpectationOutcome] = []
    failed_rows: list[int] = []
    failed_names: list[str] = []
    failed_labels: list[str] = []
    failed_words: list[str] = []
    for r in result.results:
        config = r.expectation_config
        kwargs = {k: v for k, v in config.kwargs.items() if k != "batch_id"}
        exp_name = _label_for(config.type, kwargs)
        label = config.meta.get("label") or exp_name  # the short form used in row reasons
        words = config.meta.get("words") or label  # the reason in plain words
        exception = _exception_text(r.exception_info)
        res = r.result or {}
        rows = [int(entry[ROW_NR]) for entry in res.get("unexpected_index_list") or []]
        if not r.success and exception is None and len(rows) < int(res.get("unexpected_count") or 0):
            # GX could not name the failing rows: quarantining none of them would pass them silently.
            exception = f"GX reported {res['unexpected_count']} unexpected rows but identified {len(rows)}"
        outcomes.append(
            ExpectationOutcome(
                name=exp_name,
                type=config.type,
                kwargs=kwargs,
                success=bool(r.success),
                unexpected_count=int(res.get("unexpected_count") or 0),
                unexpected_sample=[_plain(v) for v in (res.get("partial_unexpected_list") or [])[:SAMPLE_VALUES]],
                observed=_plain(res.get("observed_value")),
                exception=exception,
                notes=config.notes if isinstance(config.notes, str) else None,
            )
        )
        if not r.success and exception is None:
            failed_rows += rows
            failed_names += [exp_name] * len(rows)
            failed_labels += [label] * len(rows)
            failed_words += [words] * len(rows)
    failures = pl.DataFrame(
        {ROW_NR: failed_rows, "name": failed_names, "label": failed_labels, "words": failed_words},
        schema={ROW_NR: pl.Int64, "name": pl.String, "label": pl.String, "words": pl.String},
    )
    sample = (
        failures.group_by(ROW_NR, maintain_order=True)
        .agg(pl.col("name").str.join("; ").alias("failed"))
        .head(SAMPLE_ROWS)
        .join(frame.with_columns(pl.col(ROW_NR).cast(pl.Int64)), on=ROW_NR, how="left", maintain_order="left")
    )
    failed = sum(1 for o in outcomes if not o.success and o.exception is None)
    errored = sum(1 for o in outcomes if o.exception is not None)
    suite_result = SuiteResult(
        suite=name,
        severity=severity,
        success=failed == 0 and errored == 0,
        evaluated=len(outcomes),
        failed=failed,
        errored=errored,
        expectations=outcomes,
        failing_rows=sample.to_dicts(),
        gx_result=result,
    )
    return suite_result, failures


def _checks_ran(name: str, suites: Sequence[SuiteResult]) -> SuiteResult:
    """A structural suite collecting expectations that crashed: the check is broken, not the data."""
    crashed = [
        ExpectationOutcome(
            name=f"{s.suite}: {o.name}",
            type=o.type,
            kwargs=o.kwargs,
            success=False,
            unexpected_count=0,
            unexpected_sample=[],
            exception=o.exception,
        )
        for s in suites
        for o in s.expectations
        if o.exception is not None
    ]
    return SuiteResult(
        suite=name,
        severity=STRUCTURAL,
        success=not crashed,
        evaluated=sum(s.evaluated for s in suites),
        failed=len(crashed),
        expectations=crashed,
        failing_rows=[],
        errored=len(crashed),
    )


# ---------------------------------------------------------------- public API


def _stated(facts: pl.DataFrame) -> pl.Expr:
    """What the row says, for its reason in words: '= 400 day', or the figure as written when it has no value."""
    written = pl.concat_str(_str_col(facts, "figure_text").fill_null(""), _str_col(facts, "unit_text").fill_null(""))
    value = pl.col("value").cast(pl.Float64) if "value" in facts.columns else pl.lit(None, pl.Float64)
    return pl.coalesce(
        pl.format("= {} {}", value.round(6).cast(pl.String).str.replace(r"\.0$", ""), _str_col(facts, "unit")),
        pl.when(written.str.len_chars() > 0).then(pl.format("“{}” as written", written)),
        pl.lit("with no value"),
    )


def validate_facts(facts: pl.DataFrame) -> FactValidation:
    """Run the row-level and structural fact suites; split the facts into accepted and rejected."""
    context = _context()
    prepared = _prepare_facts(facts)
    rows, failures = _run_suite(context, "facts_rows", ROW, prepared, _fact_row_expectations(), ["fact_key"])
    keys, _ = _run_suite(context, "facts_keys", STRUCTURAL, prepared, _fact_key_expectations(), ["fact_key"])
    schema, _ = _run_suite(
        context,
        "facts_schema",
        STRUCTURAL,
        _schema_frame(facts, FACT_SCHEMA),
        _schema_expectations(),
        ["column"],
    )
    suites = [rows, keys, schema]

    context_cols = prepared.select(
        ROW_NR,
        _str_col(prepared, "indicator_code").fill_null("?").alias("_code"),
        _str_col(prepared, "unit").fill_null("?").alias("_unit"),
        _stated(prepared).alias("_stated"),
    )
    per_row = (
        failures.join(context_cols, on=ROW_NR, how="left", maintain_order="left")
        .with_columns(
            pl.format("{} [{}, unit {}]", "label", "_code", "_unit").alias("reason"),
            pl.format("{} {}: {}", "_code", "_stated", "words").alias("reason_in_words"),
        )
        .group_by(ROW_NR, maintain_order=True)
        .agg(
            pl.col("reason").str.join("; "),
            pl.col("reason_in_words").str.join("; "),
            pl.col("name").unique(maintain_order=True).alias("expectations"),
        )
    )
    rejected = (
        prepared.join(per_row, on=ROW_NR, how="inner")
        .sort(ROW_NR)
        .select(*facts.columns, "reason", "reason_in_words", "expectations")
    )
    accepted = prepared.join(per_row, on=ROW_NR, how="anti", maintain_order="left").select(facts.columns)
    return FactValidation(
        accepted=accepted, rejected=rejected, suites=[*suites, _checks_ran("facts_checks_ran", suites)]
    )


def validate_documents(documents: pl.DataFrame, facts: pl.DataFrame) -> list[SuiteResult]:
    """Structural checks on the documents table and on the link from facts to their documents."""
    context = _context()
    schema, _ = _run_suite(
        context,
        "documents_schema",
        STRUCTURAL,
        _schema_frame(documents, DOCUMENT_SCHEMA),
        _schema_expectations(),
        ["column"],
    )
    table, _ = _run_suite(
        context,
        "documents_table",
        STRUCTURAL,
        _prepare_documents(documents),
        _document_table_expectations(),
        ["source_file"],
    )
    links, _ = _run_suite(
        context,
        "documents_facts",
        STRUCTURAL,
        _fact_documents(facts, documents),
        _fact_document_expectations(),
        ["fact_key", "document_key"],
    )
    suites = [schema, table, links]
    return [*suites, _checks_ran("documents_checks_ran", suites)]
