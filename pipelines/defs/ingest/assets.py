"""Ingest: find the files in the raw folder and read each new content once."""


import dagster as dg
import polars as pl

from pipelines import stages
from pipelines.core.discovery import discover
from pipelines.core.models import OK
from pipelines.defs.metadata import counts, preview
from pipelines.defs.resources import PipelineResource
from pipelines.store.staging import StageCache
from pipelines.store.tables import mark_duplicates

READ_SUMMARY_COLUMNS = [
    "content_hash",
    "status",
    "error",
    "file_type",
    "encoding",
    "n_pages",
    "n_tables",
    "n_chars",
]


def read_cache(pipeline: PipelineResource) -> StageCache:
    return StageCache(pipeline.settings().staging_dir, "read", stages.READ_VERSION)


@dg.asset(
    group_name="ingest",
    description="Every file under the raw folder: path, size, sha256 content hash and a first status "
    "(links out of the folder are skipped, repeated content is marked duplicate).",
    kinds={"polars"},
)
def raw_documents(context: dg.AssetExecutionContext, pipeline: PipelineResource) -> pl.DataFrame:
    settings = pipeline.settings()
    if not settings.raw_dir.is_dir():
        raise dg.Failure(f"raw folder {settings.raw_dir} does not exist")
    manifest = mark_duplicates(discover(settings.raw_dir))
    context.add_output_metadata(
        {
            "raw_dir": str(settings.raw_dir),
            "dagster/row_count": manifest.height,
            "by_status": counts(manifest, "status"),
            "by_extension": counts(manifest, "extension"),
            "preview": preview(
                manifest.select("source_file", "status", "size_bytes", "content_hash", "error")
            ),
        }
    )
    return manifest


@dg.asset(
    group_name="ingest",
    description="Text of each distinct document: .txt decoded (UTF-8/GB18030/UTF-16/Big5) and NFKC-folded, "
    ".pdf read page by page (pypdfium2 text, pdfplumber tables) with running headers removed and lines "
    "re-flowed. Only new content is read; results are cached by content hash.",
    kinds={"polars", "pdf"},
    code_version=stages.READ_VERSION,
)
def document_texts(
    context: dg.AssetExecutionContext, pipeline: PipelineResource, raw_documents: pl.DataFrame
) -> pl.DataFrame:
    settings = pipeline.settings()
    cache = read_cache(pipeline)
    todo = (
        raw_documents.filter(pl.col("status") == OK).unique("content_hash", keep="first").sort("content_hash")
    )
    pending = set(cache.missing(todo["content_hash"]))
    for source_file, content_hash in todo.select("source_file", "content_hash").iter_rows():
        if content_hash not in pending:
            continue
        try:
            row = stages.read_one(settings.raw_dir / source_file, content_hash, settings.max_file_bytes)
        except Exception as exc:
            row = stages.failed_read(content_hash, exc)
        cache.write(content_hash, row)
    summary = (
        pl.scan_parquet(cache.paths(todo["content_hash"]))
        .select(READ_SUMMARY_COLUMNS)
        .collect()
        .join(todo.select("content_hash", "source_file"), on="content_hash")
        .sort("source_file")
    )
    failed = summary.filter(pl.col("status") != OK)
    context.add_output_metadata(
        {
            "dagster/row_count": summary.height,
            "read_this_run": len(pending),
            "reused_from_cache": todo.height - len(pending),
            "by_status": counts(summary, "status"),
            "pdf_pages": int(summary["n_pages"].sum()),
            "pdf_tables": int(summary["n_tables"].sum()),
            "failed_documents": preview(
                failed.select("source_file", "status", "error"), rows=50, max_chars=200
            ),
            "preview": preview(summary),
        }
    )
    return summary
