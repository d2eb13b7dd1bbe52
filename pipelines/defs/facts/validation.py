"""Validation: Great Expectations suites as asset checks; failing rows are quarantined, not dropped."""

import dagster as dg
import polars as pl

from pipelines.core import validation
from pipelines.core.status import with_document_status
from pipelines.defs.facts.data_docs import write_data_docs
from pipelines.defs.metadata import preview, table_metadata
from pipelines.defs.published_checks import stage_results
from pipelines.defs.resources import PipelineResource
from pipelines.serve import served_url

ROW_CHECK = "fact_rows_plausible"
STRUCTURE_CHECK = "fact_table_structure"
DOCUMENT_CHECK = "documents_consistent"
CONFLICT_REASON = "conflicting figure for the same document, area, indicator, year and kind (first mention kept)"


def _check_result(name: str, suites: list[validation.SuiteResult], *, blocking_severity: bool) -> dg.AssetCheckResult:
    failed = [s for s in suites if not s.success]
    severity = dg.AssetCheckSeverity.ERROR if blocking_severity else dg.AssetCheckSeverity.WARN
    samples = [row for s in failed for row in s.failing_rows][:10]
    return dg.AssetCheckResult(
        check_name=name,
        asset_key="validated_facts",
        passed=not failed,
        severity=severity,
        description="\n".join(failure_lines(failed)[:20]) or None,
        metadata={
            "suites": [s.suite for s in suites],
            "expectations_evaluated": sum(s.evaluated for s in suites),
            "expectations_failed": sum(s.failed for s in suites),
            "expectations_errored": sum(s.errored for s in suites),
            "failed_expectations": dg.MetadataValue.json(
                [
                    {
                        "suite": s.suite,
                        "expectation": e.name,
                        "unexpected": e.unexpected_count,
                        "exception": e.exception,
                    }
                    for s in failed
                    for e in s.expectations
                    if not e.success
                ][:50]
            ),
            "sample_failing_rows": preview(pl.DataFrame(samples, infer_schema_length=None)) if samples else "none",
        },
    )


def _documents(
    raw_documents: pl.DataFrame,
    read_results: pl.DataFrame,
    clean_results: pl.DataFrame,
    document_contexts: pl.DataFrame,
) -> pl.DataFrame:
    """Each file with its status as the warehouse will publish it (core.status) and the start of its
    clean text (enough to tell a blank one), as the document suites see it."""
    return (
        with_document_status(raw_documents, read_results, clean_results, document_contexts)
        .join(read_results.select("content_hash", "file_type"), on="content_hash", how="left")
        .join(
            clean_results.select("content_hash", pl.col("clean_text_start").alias("clean_text")),
            on="content_hash",
            how="left",
        )
        .select("document_key", "source_file", "status", "error", "clean_text", "file_type")
    )


def failure_lines(suites: list[validation.SuiteResult]) -> list[str]:
    """One line per failing row of the failed suites, naming the file (or fact, or column) and what failed."""
    lines = []
    for suite in suites:
        if suite.success:
            continue
        for row in suite.failing_rows:
            who = next((str(row[k]) for k in ("source_file", "fact_key", "document_key", "column") if row.get(k)), "?")
            state = f" (status {row['status']})" if row.get("status") else ""
            lines.append(f"{suite.suite}: {who}{state}: {row.get('failed')}")
        lines += [f"{suite.suite}: {o.name} raised: {o.exception}" for o in suite.expectations if o.exception]
    return lines


@dg.multi_asset(
    group_name="facts",
    outs={
        "validated_facts": dg.AssetOut(
            description="Facts that passed every row-level expectation (Great Expectations): these load.",
            kinds={"polars", "great_expectations"},
        ),
        "rejected_facts": dg.AssetOut(
            description="Quarantined facts with the expectation(s) each failed; loaded to fact_rejected.",
            kinds={"polars"},
        ),
    },
    check_specs=[
        dg.AssetCheckSpec(
            ROW_CHECK,
            asset="validated_facts",
            description="Row-level suites: not-null keys, "
            "value kinds, catalogue units, plausible years and per-unit ranges. Failing rows are "
            "quarantined; the check warns.",
        ),
        dg.AssetCheckSpec(
            STRUCTURE_CHECK,
            asset="validated_facts",
            blocking=True,
            description="Structural "
            "suites: schema and unique fact keys. A failure means the pipeline is wrong; it blocks "
            "publishing and the published warehouse stays as it was.",
        ),
        dg.AssetCheckSpec(
            DOCUMENT_CHECK,
            asset="validated_facts",
            blocking=True,
            description="Document suites: every fact's document exists and is ok, ok documents have clean "
            "text, statuses are known (core.models.STATUSES). A failure names the files.",
        ),
    ],
)
def validate_facts(
    context: dg.AssetExecutionContext,
    pipeline: PipelineResource,
    normalised_facts: pl.DataFrame,
    raw_documents: pl.DataFrame,
    read_results: pl.DataFrame,
    clean_results: pl.DataFrame,
    document_contexts: pl.DataFrame,
):
    conflicts = normalised_facts.filter(pl.col("conflict"))
    outcome = validation.validate_facts(normalised_facts.filter(~pl.col("conflict")).drop("conflict"))
    documents = _documents(raw_documents, read_results, clean_results, document_contexts)
    document_suites = validation.validate_documents(documents, outcome.accepted)
    for line in failure_lines([s for s in [*outcome.suites, *document_suites] if s.severity != "row"])[:50]:
        context.log.error(f"blocking check failed: {line}")
    docs_path = write_data_docs([*outcome.suites, *document_suites], pipeline.settings().data_docs_dir)
    rejected = pl.concat(
        [outcome.rejected, conflicts.drop("conflict").with_columns(reason=pl.lit(CONFLICT_REASON))],
        how="diagonal_relaxed",
    )
    row_suites = [s for s in outcome.suites if s.severity == "row"]
    structural = [s for s in outcome.suites if s.severity != "row"]
    settings = pipeline.settings()
    link = dg.MetadataValue.url(served_url("data_docs", docs_path.relative_to(settings.data_docs_dir)))
    yield dg.Output(
        outcome.accepted,
        output_name="validated_facts",
        metadata={
            **table_metadata(outcome.accepted),
            "data_docs": link,
            "data_docs_path": dg.MetadataValue.path(str(docs_path)),
        },
    )
    yield dg.Output(
        rejected,
        output_name="rejected_facts",
        metadata={
            **table_metadata(rejected),
            "preview": preview(rejected.select("source_file", "indicator_code", "value", "reason"), max_chars=160),
        },
    )
    checks = [
        _check_result(ROW_CHECK, row_suites, blocking_severity=False),
        _check_result(STRUCTURE_CHECK, structural, blocking_severity=True),
        _check_result(DOCUMENT_CHECK, document_suites, blocking_severity=True),
    ]
    stage_results(settings, context.run.run_id, checks)  # published with the warehouse
    yield from checks
