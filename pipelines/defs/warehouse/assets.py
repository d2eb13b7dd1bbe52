"""Warehouse: load the star schema into a new DuckDB file and publish it atomically.

Everything it loads comes from its upstream assets; the document texts, too big to pass from step
to step, come as the stage-cache files that `read_results` and `clean_results` name."""

from contextlib import AbstractContextManager, nullcontext

import dagster as dg
import polars as pl

from pipelines.core.catalogue import catalogue_frame
from pipelines.core.models import DUPLICATE, OK, SKIPPED
from pipelines.defs.documents.assets import READ_SUMMARY_COLUMNS
from pipelines.defs.metadata import counts, md_text, preview
from pipelines.defs.published_checks import publish_results
from pipelines.defs.resources import PipelineResource, prune_run_outputs
from pipelines.settings import Settings, lock_wait
from pipelines.stages import DATA_DIR, StageCaches
from pipelines.store.tables import build_tables, dim_area
from pipelines.store.warehouse import build_lock, lock_held_for, publish

# The CLI holds the build lock for the whole run it starts and tags the run with the lock's token;
# runs from the UI, the schedule or the sensor take the lock for the steps that write beside the warehouse.
BUILD_LOCK_TAG = "envreports/build_lock"

READABLE_CHECK = "documents_readable"
NOT_FAILURES = frozenset({OK, DUPLICATE, SKIPPED})
"""Statuses that need no operator: read, the same content as another file, or left out on purpose
(hidden files, links out of the raw folder). Every other status is a file the build could not use."""


def failed_documents(documents: pl.DataFrame) -> pl.DataFrame:
    """The documents an operator must look at (statuses outside NOT_FAILURES), by file name."""
    return documents.filter(~pl.col("status").is_in(sorted(NOT_FAILURES))).sort("source_file")


LISTED_FAILURES = 20
"""Failed files the check's description lists; its `failed` metadata table holds up to 100."""


def failed_files_description(failed: pl.DataFrame, total: int) -> str:
    """A Markdown list, one failed file per line: the UI renders descriptions as Markdown, where plain
    lines run together into one paragraph."""
    rows = failed.select("source_file", "status", "error").head(LISTED_FAILURES).iter_rows()
    lines = [f"- {md_text(f)} — {md_text(s)}: {md_text(e or '')}" for f, s, e in rows]
    if failed.height > LISTED_FAILURES:
        lines.append(f"- … and {failed.height - LISTED_FAILURES} more (the `failed` table below lists up to 100)")
    return f"{failed.height} of {total} files could not be used:\n\n" + "\n".join(lines)


def readable_check(documents: pl.DataFrame) -> dg.AssetCheckResult:
    """Warns, naming each file with its status and error, when some documents could not be used;
    the statuses are those of dim_document, which v_documents shows."""
    failed = failed_documents(documents)
    return dg.AssetCheckResult(
        check_name=READABLE_CHECK,
        asset_key="warehouse",
        passed=failed.is_empty(),
        severity=dg.AssetCheckSeverity.WARN,
        description=failed_files_description(failed, documents.height) if failed.height else None,
        metadata={
            "documents": documents.height,
            "failed_documents": failed.height,
            "by_status": counts(documents, "status"),
            "failed": preview(failed.select("source_file", "status", "error"), rows=100, max_chars=200),
        },
    )


def warehouse_lock(context: dg.AssetExecutionContext, settings: Settings) -> AbstractContextManager[None]:
    """The build lock of this warehouse, unless the CLI that started this run already holds it."""
    if lock_held_for(settings.warehouse, context.run.tags.get(BUILD_LOCK_TAG, "")):
        return nullcontext()
    return build_lock(
        settings.warehouse, wait=lock_wait(), what=f"Dagster run {context.run.run_id}", on_wait=context.log.warning
    )


@dg.asset(
    group_name="warehouse",
    description="The published DuckDB star schema (dim_document, dim_area, dim_indicator, dim_period, "
    "fact_indicator, fact_rejected, document_text, noise_removed and the v_* views). Built into a new file, "
    "verified, then atomically swapped in: readers are never blocked and never see a partial build.",
    kinds={"duckdb"},
    check_specs=[
        dg.AssetCheckSpec(
            READABLE_CHECK,
            asset="warehouse",
            description="Every file was read and has content, or was left out on purpose (duplicate, hidden). "
            "Warns and lists each failed file with its status and error, as v_documents shows them.",
        )
    ],
)
def warehouse(
    context: dg.AssetExecutionContext,
    pipeline: PipelineResource,
    raw_documents: pl.DataFrame,
    read_results: pl.DataFrame,
    clean_results: pl.DataFrame,
    document_contexts: pl.DataFrame,
    validated_facts: pl.DataFrame,
    rejected_facts: pl.DataFrame,
) -> dg.MaterializeResult:
    settings = pipeline.settings()
    caches = StageCaches.at(settings.staging_dir)
    # the texts are the bulk of the data: the stage results name the cache files holding them, and
    # DuckDB loads the texts from those files in batches
    ok_reads = read_results.filter(pl.col("status") == OK).select("content_hash", "read_path")
    text_files = (
        ok_reads.join(clean_results.select("content_hash", "clean_path"), on="content_hash", how="left")
    ).sort("content_hash")
    tables = build_tables(
        documents=raw_documents,
        reads=read_results.select(*READ_SUMMARY_COLUMNS, "removals"),
        cleans=clean_results.select("content_hash", "status", "error", "removals"),
        contexts=document_contexts,
        accepted=validated_facts,
        rejected=rejected_facts,
        indicators=catalogue_frame(),
        areas=dim_area(DATA_DIR / "areas.csv"),
        text_files=text_files,
    )
    check = readable_check(tables.dim_document)
    with warehouse_lock(context, settings):
        published = publish(settings.warehouse, tables)
        publish_results(settings, context.run.run_id, [check])  # what a run that finds nothing changed reports
        keep = set(raw_documents["content_hash"].drop_nulls())
        pruned = sum(c.prune(keep) for c in (caches.read, caches.clean, caches.extract))
        pruned_runs = prune_run_outputs(settings.staging_dir, context.instance)
    for warning in published.warnings:
        context.log.warning(warning)
    docs = tables.dim_document
    return dg.MaterializeResult(
        check_results=[check],
        metadata={
            "path": dg.MetadataValue.path(str(settings.warehouse)),
            "row_counts": published.row_counts,
            "publish_warnings": published.warnings,
            "documents_by_status": counts(docs, "status"),
            "facts_loaded": tables.fact_indicator.height,
            "facts_rejected": tables.fact_rejected.height,
            "stale_cache_entries_pruned": pruned,
            "old_run_outputs_pruned": pruned_runs,
            "failed_documents": preview(  # the same files as the documents_readable check lists
                failed_documents(docs).select("source_file", "status", "error"),
                rows=100,
                max_chars=200,
            ),
            "dagster/row_count": tables.fact_indicator.height,
        },
    )
