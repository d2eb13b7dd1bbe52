"""Cleaning: strip page noise from each newly read document, keeping an audit of what went."""


import dagster as dg
import polars as pl

from pipelines import stages
from pipelines.core.models import OK
from pipelines.defs.ingest.assets import read_cache
from pipelines.defs.metadata import preview
from pipelines.defs.resources import PipelineResource
from pipelines.store.staging import StageCache


def clean_cache(pipeline: PipelineResource) -> StageCache:
    return StageCache(pipeline.settings().staging_dir, "clean", stages.CLEAN_VERSION)


@dg.asset(
    group_name="cleaning",
    description="Clean text of each readable document: SEO blocks, headline runs, spam headers, navigation "
    "and page chrome, image names, doubled blocks and inline pinyin removed, every removal audited; "
    "a simplified-script twin of the same length for the extractor.",
    kinds={"polars"},
    code_version=stages.CLEAN_VERSION,
)
def clean_texts(
    context: dg.AssetExecutionContext, pipeline: PipelineResource, document_texts: pl.DataFrame
) -> pl.DataFrame:
    reads, cache = read_cache(pipeline), clean_cache(pipeline)
    hashes = document_texts.filter(pl.col("status") == OK)["content_hash"]
    pending = cache.missing(hashes)
    for content_hash in pending:
        read_row = reads.read(content_hash).row(0, named=True)
        try:
            row = stages.clean_one(read_row)
        except Exception as exc:
            row = stages.failed_clean(content_hash, exc)
        cache.write(content_hash, row)
    frame = pl.scan_parquet(cache.paths(hashes)) if len(hashes) else None
    summary = (
        frame.select(
            "content_hash",
            "error",
            pl.col("clean_text").str.len_chars().alias("n_chars_clean"),
            pl.col("removals").list.len().alias("n_removals"),
        ).collect()
        if frame is not None
        else pl.DataFrame(schema={"content_hash": pl.String, "error": pl.String})
    )
    by_reason = (
        frame.select("removals")
        .explode("removals")
        .unnest("removals")
        .drop_nulls("reason")
        .group_by("reason")
        .agg(pl.col("text").str.len_chars().sum().alias("chars"), pl.len().alias("spans"))
        .sort("reason")
        .collect()
        if frame is not None
        else pl.DataFrame()
    )
    context.add_output_metadata(
        {
            "dagster/row_count": summary.height,
            "cleaned_this_run": len(pending),
            "reused_from_cache": len(hashes) - len(pending),
            "chars_removed_by_reason": {r: int(c) for r, c, _ in by_reason.iter_rows()}
            if by_reason.height
            else {},
            "spans_removed_by_reason": {r: int(n) for r, _, n in by_reason.iter_rows()}
            if by_reason.height
            else {},
            "failed": int(summary["error"].is_not_null().sum()) if summary.height else 0,
            "preview": preview(summary),
        }
    )
    return summary
