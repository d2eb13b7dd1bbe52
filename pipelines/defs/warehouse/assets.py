"""Warehouse: load the star schema into a new DuckDB file and publish it atomically."""

from contextlib import AbstractContextManager, nullcontext

import dagster as dg
import polars as pl

from pipelines.core.catalogue import catalogue_frame
from pipelines.defs.documents.assets import READ_SUMMARY_COLUMNS
from pipelines.defs.metadata import counts, preview
from pipelines.defs.resources import PipelineResource, prune_run_outputs
from pipelines.settings import Settings, lock_wait
from pipelines.stages import CLEAN_SCHEMA, DATA_DIR, READ_SCHEMA, StageCaches
from pipelines.store.tables import build_tables, dim_area
from pipelines.store.warehouse import build_lock, lock_held_for, publish

# The CLI holds the build lock for the whole run it starts and tags the run with the lock's token;
# runs from the UI, the schedule or the sensor take the lock for the steps that write beside the warehouse.
BUILD_LOCK_TAG = "envreports/build_lock"


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
)
def warehouse(
    context: dg.AssetExecutionContext,
    pipeline: PipelineResource,
    raw_documents: pl.DataFrame,
    document_texts: pl.DataFrame,
    document_contexts: pl.DataFrame,
    validated_facts: pl.DataFrame,
    rejected_facts: pl.DataFrame,
) -> dg.MaterializeResult:
    settings = pipeline.settings()
    caches = StageCaches.at(settings.staging_dir)
    ok_hashes = document_texts.filter(pl.col("status") == "ok")["content_hash"]
    # what the tables need of each stage; DuckDB loads the texts from the files themselves
    reads = caches.read.scan(document_texts["content_hash"], READ_SCHEMA).select(*READ_SUMMARY_COLUMNS, "removals")
    cleans = caches.clean.scan(ok_hashes, CLEAN_SCHEMA).select("content_hash", "status", "error", "removals")
    tables = build_tables(
        documents=raw_documents,
        reads=reads.collect(engine="streaming"),
        cleans=cleans.collect(engine="streaming"),
        contexts=document_contexts,
        accepted=validated_facts,
        rejected=rejected_facts,
        indicators=catalogue_frame(),
        areas=dim_area(DATA_DIR / "areas.csv"),
        text_files=pl.DataFrame(
            {
                "content_hash": sorted(set(ok_hashes)),  # the order StageCache.paths gives
                "read_path": caches.read.paths(ok_hashes),
                "clean_path": caches.clean.paths(ok_hashes),
            },
            schema=dict.fromkeys(("content_hash", "read_path", "clean_path"), pl.String),  # typed when empty
        ),
    )
    with warehouse_lock(context, settings):
        published = publish(settings.warehouse, tables)
        keep = set(raw_documents["content_hash"].drop_nulls())
        pruned = sum(c.prune(keep) for c in (caches.read, caches.clean, caches.extract))
        pruned_runs = prune_run_outputs(settings.staging_dir, context.instance)
    for warning in published.warnings:
        context.log.warning(warning)
    docs = tables.dim_document
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(settings.warehouse)),
            "row_counts": published.row_counts,
            "publish_warnings": published.warnings,
            "documents_by_status": counts(docs, "status"),
            "facts_loaded": tables.fact_indicator.height,
            "facts_rejected": tables.fact_rejected.height,
            "stale_cache_entries_pruned": pruned,
            "old_run_outputs_pruned": pruned_runs,
            "failed_documents": preview(
                docs.filter(pl.col("status") != "ok").select("source_file", "status", "error"),
                rows=100,
                max_chars=200,
            ),
            "dagster/row_count": tables.fact_indicator.height,
        }
    )
