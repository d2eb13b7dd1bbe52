"""The per-document stages (read → clean → extract) as one fan-out over shards of documents.

Documents are independent, so the work is split into shards that the configured executor
runs side by side (multiprocess locally, pods or Celery workers in a cluster). Only documents
whose content or stage code changed are planned, so a quiet night spawns no shard at all and
Dagster's per-step cost is paid per shard, never per document.
"""

import dagster as dg
import polars as pl

from pipelines import stages
from pipelines.core.models import OK
from pipelines.core.status import STAGES
from pipelines.defs.documents.limits import DocumentLimits
from pipelines.defs.metadata import counts, preview
from pipelines.defs.resources import PipelineResource
from pipelines.settings import shard_count

READ_SUMMARY_COLUMNS = [
    "content_hash",
    "status",
    "error",
    "file_type",
    "encoding",
    "n_pages",
    "n_tables",
    "n_chars",
    "read_method",
    "page_methods",
    "ocr_confidence",
    "ocr_low_pages",
    "ocr_warning",
]


def _mean_or_null(values: pl.Series) -> float | dg.NullMetadataValue:
    mean = values.mean()
    return dg.MetadataValue.null() if mean is None else round(float(mean), 4)


@dg.op(
    out=dg.DynamicOut(list, io_manager_key="step_io_manager"),
    description="Split the documents that need work into shards.",
)
def plan_document_shards(context: dg.OpExecutionContext, pipeline: PipelineResource, raw_documents: pl.DataFrame):
    todo = stages.pending_documents(raw_documents, stages.StageCaches.at(pipeline.settings().staging_dir))
    shards = shard_count(len(todo), pipeline.settings())
    context.log.info(f"{len(todo)} documents need work, in {shards} shards")
    for index in range(shards):
        yield dg.DynamicOutput(todo[index::shards], mapping_key=f"shard_{index}")


@dg.op(
    out=dg.Out(dict, io_manager_key="step_io_manager"),
    description="Read, clean and extract every document of one shard in a worker process with per-document "
    "limits, caching each stage by content hash, one file per stage for the shard.",
)
def process_document_shard(
    context: dg.OpExecutionContext, pipeline: PipelineResource, document_limits: DocumentLimits, shard: list
):
    settings = pipeline.settings()
    caches = stages.StageCaches.at(settings.staging_dir)
    runs = stages.process_documents(
        [(settings.raw_dir / source_file, content_hash) for source_file, content_hash in shard],
        caches,
        settings.max_file_bytes,
        document_limits.limits(),
        root=settings.raw_dir,
    )
    done = {stage: sum(stage in run.ran for run in runs) for stage in STAGES}
    record = run_record(runs, dict((h, s) for s, h in shard))
    # one log line for the shard: a log event per document costs more than the stages of a small one
    context.log.info(f"shard of {len(shard)} documents: {done}; limits hit: {record['limit'].count()}")
    yield dg.Output(
        done,
        metadata={
            "documents": len(shard),
            "ran": done,
            "limits_hit": preview(record.filter(pl.col("limit").is_not_null()), rows=50),
            "slowest": preview(record.sort("seconds", descending=True), rows=10),
            "seconds_per_document": float(record["seconds"].mean() or 0.0),
        },
    )


def run_record(runs: list[stages.DocumentRun], sources: dict[str, str]) -> pl.DataFrame:
    """Per document: the stages that ran, its seconds and a limit it hit, for the step's metadata."""
    return pl.DataFrame(
        {
            "source_file": [sources.get(r.content_hash) for r in runs],
            "ran": [", ".join(r.ran) or "nothing" for r in runs],
            "seconds": [round(r.seconds, 3) for r in runs],
            "limit": [r.limit for r in runs],
        },
        schema={"source_file": pl.String, "ran": pl.String, "seconds": pl.Float64, "limit": pl.String},
    )


@dg.op(
    out={
        "document_texts": dg.Out(),
        "clean_texts": dg.Out(),
        "extracted_facts": dg.Out(),
        "document_contexts": dg.Out(),
    },
    description="Gather the cached results of all current documents into the stage tables.",
)
def collect_document_results(
    context: dg.OpExecutionContext,
    pipeline: PipelineResource,
    document_limits: DocumentLimits,
    raw_documents: pl.DataFrame,
    shard_results: list[dict[str, int]],
):
    settings = pipeline.settings()
    caches = stages.StageCaches.at(settings.staging_dir)
    documents = stages.readable_documents(raw_documents)
    done = {stage: sum(r[stage] for r in shard_results) for stage in STAGES}
    # a damaged cache file, or a shard that never finished, costs a recomputation here, not the build
    damaged = caches.verify(documents["content_hash"].to_list())
    missing = [  # a file found changed was read in this build: it is reported now and read again next build
        (settings.raw_dir / s, h) for s, h in documents.iter_rows() if caches.needs_work(h) and not caches.changed(h)
    ]
    if missing:
        context.log.warning(
            f"{len(damaged)} damaged stage cache files removed; {len(missing)} documents computed again"
        )
        limits = document_limits.limits()
        for run in stages.process_documents(missing, caches, settings.max_file_bytes, limits, settings.raw_dir):
            for stage in run.ran:
                done[stage] += 1
    reads = caches.read.scan(documents["content_hash"], stages.READ_SCHEMA).select(READ_SUMMARY_COLUMNS).collect()
    reads = reads.join(documents, on="content_hash").sort("source_file")
    ok = reads.filter(pl.col("status") == OK)["content_hash"]
    clean_rows = caches.clean.scan(ok, stages.CLEAN_SCHEMA)
    cleans = clean_rows.select(
        "content_hash",
        "status",
        "error",
        pl.col("clean_text").str.len_chars().alias("n_chars_clean"),
        # enough to tell a blank text from a real one, without holding every text in memory
        pl.col("clean_text").str.strip_chars().str.slice(0, 80).alias("clean_text_start"),
        pl.col("removals").list.len().alias("n_removals"),
    ).collect(engine="streaming")
    removed = (
        clean_rows.select("removals")
        .explode("removals")
        .unnest("removals")
        .drop_nulls("reason")
        .group_by("reason")
        .agg(pl.col("text").str.len_chars().sum().alias("chars"), pl.len().alias("spans"))
        .sort("reason")
        .collect()
    )
    extractable = cleans.filter(pl.col("status") == OK)["content_hash"]  # the extract stage ran on these
    facts = caches.extract.scan(extractable, stages.RAW_FACT_SCHEMA, "facts").collect()
    contexts = caches.extract.scan(extractable, stages.CONTEXT_SCHEMA, "context").collect()

    yield dg.Output(
        reads,
        "document_texts",
        metadata={
            "dagster/row_count": reads.height,
            "read_this_run": done["read"],
            "reused_from_cache": reads.height - done["read"],
            "by_status": counts(reads, "status"),
            "pdf_pages": int(reads["n_pages"].sum() or 0),
            "pdf_tables": int(reads["n_tables"].sum() or 0),
            "by_read_method": counts(reads.drop_nulls("read_method"), "read_method"),
            "pdf_pages_read_by_ocr": int(reads["page_methods"].list.count_matches("ocr").sum() or 0),
            "ocr_confidence_mean": _mean_or_null(reads["ocr_confidence"]),
            "ocr_warnings": preview(
                reads.filter(pl.col("ocr_warning").is_not_null()).select("source_file", "ocr_warning"),
                rows=50,
                max_chars=200,
            ),
            "failed_documents": preview(
                reads.filter(pl.col("status") != OK).select("source_file", "status", "error"),
                rows=50,
                max_chars=200,
            ),
            "preview": preview(reads),
        },
    )
    yield dg.Output(
        cleans,
        "clean_texts",
        metadata={
            "dagster/row_count": cleans.height,
            "cleaned_this_run": done["clean"],
            "chars_removed_by_reason": {r: int(c) for r, c, _ in removed.iter_rows()},
            "spans_removed_by_reason": {r: int(n) for r, _, n in removed.iter_rows()},
            "by_status": counts(cleans, "status"),
            "preview": preview(cleans),
        },
    )
    yield dg.Output(
        facts,
        "extracted_facts",
        metadata={
            "dagster/row_count": facts.height,
            "extracted_this_run": done["extract"],
            "by_indicator_domain": counts(
                facts.select(pl.col("indicator_code").str.extract(r"^(\w+)")), "indicator_code"
            ),
            "by_value_kind": counts(facts, "value_kind"),
            "preview": preview(
                facts.select(
                    "indicator_code",
                    "region_name",
                    "year",
                    "value_kind",
                    "figure_text",
                    "unit_text",
                    "evidence",
                )
            ),
        },
    )
    yield dg.Output(
        contexts,
        "document_contexts",
        metadata={
            "dagster/row_count": contexts.height,
            "by_source_type": counts(contexts, "source_type"),
            "failed": int(contexts["error"].is_not_null().sum()),
            "preview": preview(contexts),
        },
    )


@dg.graph_multi_asset(
    group_name="documents",
    outs={
        "document_texts": dg.AssetOut(
            description="Text of each distinct document: .txt decoded (UTF-8/GB18030/UTF-16/Big5) and NFKC-folded; "
            ".pdf read page by page (pypdfium2 text, pdfplumber table finding; scanned pages by OCR, with the "
            "read method and OCR confidence recorded) with running headers and page numbers removed and lines "
            "re-flowed. Read once per content hash.",
            kinds={"polars", "pdf"},
            code_version=stages.READ_VERSION,
        ),
        "clean_texts": dg.AssetOut(
            description="Clean text of each readable document: SEO blocks, headline runs, spam headers, navigation "
            "and page chrome, image names, doubled blocks and inline pinyin removed and audited; a simplified "
            "twin of the same length for the extractor.",
            kinds={"polars"},
            code_version=stages.CLEAN_VERSION,
        ),
        "extracted_facts": dg.AssetOut(
            description="Every figure the extractor found, as written: indicator, area, year, kind, figure, unit "
            "and qualifier, with the evidence sentence, offsets into the clean text and the PDF page.",
            kinds={"polars"},
            code_version=stages.EXTRACT_VERSION,
        ),
        "document_contexts": dg.AssetOut(
            description="Per document: title, date, subject year, own area, source type and five-year plan, which "
            "the extractor resolves 我市/今年/去年 against.",
            kinds={"polars"},
            code_version=stages.EXTRACT_VERSION,
        ),
    },
)
def document_stages(raw_documents):
    results = plan_document_shards(raw_documents).map(process_document_shard).collect()
    return collect_document_results(raw_documents, results)
