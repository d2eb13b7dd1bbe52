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
from pipelines.defs.metadata import column_schema, counts, preview, table_metadata
from pipelines.defs.resources import PipelineResource
from pipelines.settings import shard_count
from pipelines.store.staging import StageCache

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
READ_RESULT_SCHEMA = {
    **{c: stages.READ_SCHEMA[c] for c in READ_SUMMARY_COLUMNS},
    "removals": stages.READ_SCHEMA["removals"],  # running headers and page numbers taken out while reading
    "source_file": pl.String,
    "read_path": pl.String,  # the cache file holding the text: the warehouse loads it from there
}
"""A row of `read_results`: what reading found in one distinct content, without its text."""
CLEAN_RESULT_SCHEMA = {
    "content_hash": pl.String,
    "status": pl.String,
    "error": pl.String,
    "n_chars_clean": pl.UInt32,
    "clean_text_start": pl.String,
    "n_removals": pl.UInt32,
    "removals": stages.CLEAN_SCHEMA["removals"],  # the noise removed, each span with its reason
    "clean_path": pl.String,  # the cache file holding the clean and simplified texts
}
"""A row of `clean_results`: what cleaning did to one readable document, without its text."""


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


def with_cache_paths(frame: pl.DataFrame, cache: StageCache, column: str) -> pl.DataFrame:
    """`frame` with the cache file that holds each document's row: the texts stay in the cache and
    the warehouse loads them from these files, so no step holds every text in memory."""
    hashes = sorted(set(frame["content_hash"]))
    files = pl.DataFrame(
        {"content_hash": hashes, column: cache.paths(hashes)},
        schema=dict.fromkeys(("content_hash", column), pl.String),  # typed when empty
    )
    return frame.join(files, on="content_hash", how="left", maintain_order="left")


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
        "read_results": dg.Out(),
        "clean_results": dg.Out(),
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
    reads = caches.read.scan(documents["content_hash"], stages.READ_SCHEMA).select(*READ_SUMMARY_COLUMNS, "removals")
    reads = reads.collect(engine="streaming")
    reads = with_cache_paths(reads.join(documents, on="content_hash"), caches.read, "read_path")
    reads = reads.select(list(READ_RESULT_SCHEMA)).cast(READ_RESULT_SCHEMA).sort("source_file")
    ok = reads.filter(pl.col("status") == OK)["content_hash"]
    cleans = (
        caches.clean.scan(ok, stages.CLEAN_SCHEMA)
        .select(
            "content_hash",
            "status",
            "error",
            pl.col("clean_text").str.len_chars().alias("n_chars_clean"),
            # enough to tell a blank text from a real one, without holding every text in memory
            pl.col("clean_text").str.strip_chars().str.slice(0, 80).alias("clean_text_start"),
            pl.col("removals").list.len().alias("n_removals"),
            "removals",
        )
        .collect(engine="streaming")
    )
    cleans = with_cache_paths(cleans, caches.clean, "clean_path").select(list(CLEAN_RESULT_SCHEMA))
    cleans = cleans.cast(CLEAN_RESULT_SCHEMA)
    removed = (
        cleans.select("removals")
        .explode("removals")
        .unnest("removals")
        .drop_nulls("reason")
        .group_by("reason")
        .agg(pl.col("text").str.len_chars().sum().alias("chars"), pl.len().alias("spans"))
        .sort("reason")
    )
    extractable = cleans.filter(pl.col("status") == OK)["content_hash"]  # the extract stage ran on these
    facts = caches.extract.scan(extractable, stages.RAW_FACT_SCHEMA, "facts").collect()
    contexts = caches.extract.scan(extractable, stages.CONTEXT_SCHEMA, "context").collect()

    yield dg.Output(
        reads,
        "read_results",
        metadata={
            **table_metadata(reads),
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
            "preview": preview(reads.drop("read_path")),
        },
    )
    yield dg.Output(
        cleans,
        "clean_results",
        metadata={
            **table_metadata(cleans),
            "cleaned_this_run": done["clean"],
            "chars_removed_by_reason": {r: int(c) for r, c, _ in removed.iter_rows()},
            "spans_removed_by_reason": {r: int(n) for r, _, n in removed.iter_rows()},
            "by_status": counts(cleans, "status"),
            "preview": preview(cleans.drop("clean_path")),
        },
    )
    yield dg.Output(
        facts,
        "extracted_facts",
        metadata={
            **table_metadata(facts),
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
            **table_metadata(contexts),
            "by_source_type": counts(contexts, "source_type"),
            "failed": int(contexts["error"].is_not_null().sum()),
            "preview": preview(contexts),
        },
    )


DOCUMENT_ASSETS = ("read_results", "clean_results", "extracted_facts", "document_contexts")
RAW_DOCUMENTS = dg.AssetKey("raw_documents")
STAGE_INPUTS = {
    "read_results": {RAW_DOCUMENTS},
    "clean_results": {dg.AssetKey("read_results")},
    # extraction takes the clean text, and from the read the pages and running headers
    "extracted_facts": {dg.AssetKey("clean_results"), dg.AssetKey("read_results")},
    "document_contexts": {dg.AssetKey("clean_results"), dg.AssetKey("read_results")},
}
"""What each document asset is made from: the lineage the catalog draws (read → clean → extract),
although one sharded step makes all four (a document goes through its stages in one worker)."""


@dg.graph(out={name: dg.GraphOut() for name in DOCUMENT_ASSETS})
def document_stages(raw_documents):
    results = plan_document_shards(raw_documents).map(process_document_shard).collect()
    return collect_document_results(raw_documents, results)


def _kinds(*kinds: str) -> dict[str, str]:
    return {f"dagster/kind/{kind}": "" for kind in kinds}


document_assets = dg.AssetsDefinition.from_graph(
    document_stages,
    keys_by_input_name={"raw_documents": RAW_DOCUMENTS},
    keys_by_output_name={name: dg.AssetKey(name) for name in DOCUMENT_ASSETS},
    internal_asset_deps=STAGE_INPUTS,
    group_name="documents",
    descriptions_by_output_name={
        "read_results": "What reading found in each distinct document (one row per content hash): status, "
        "file type, encoding, pages, tables, characters, read method and OCR confidence, the running headers and "
        "page numbers removed, and the stage-cache file holding its text. .txt is decoded (UTF-8/GB18030/UTF-16/"
        "Big5) and NFKC-folded; .pdf read page by page (pypdfium2 text, pdfplumber tables, OCR for scanned pages) "
        "and re-flowed. Read once per content hash; the texts stay in the cache files.",
        "clean_results": "What cleaning did to each readable document: status, clean length and first characters, "
        "the noise removed (SEO blocks, headline runs, spam headers, navigation and page chrome, image names, "
        "doubled blocks, inline pinyin) span by span with its reason, and the stage-cache file holding the clean "
        "text and its simplified twin, which the extractor reads.",
        "extracted_facts": "Every figure the extractor found, as written: indicator, area, year, kind, figure, "
        "unit and qualifier, with the evidence sentence, offsets into the clean text and the PDF page.",
        "document_contexts": "Per document: title, date, subject year, own area, source type and five-year plan, which "
        "the extractor resolves 我市/今年/去年 against.",
    },
    metadata_by_output_name={
        "read_results": {"dagster/column_schema": column_schema(READ_RESULT_SCHEMA)},
        "clean_results": {"dagster/column_schema": column_schema(CLEAN_RESULT_SCHEMA)},
        "extracted_facts": {"dagster/column_schema": column_schema(stages.RAW_FACT_SCHEMA)},
        "document_contexts": {"dagster/column_schema": column_schema(stages.CONTEXT_SCHEMA)},
    },
    tags_by_output_name={
        "read_results": _kinds("polars", "pdf"),
        "clean_results": _kinds("polars"),
        "extracted_facts": _kinds("polars"),
        "document_contexts": _kinds("polars"),
    },
    code_versions_by_output_name={
        "read_results": stages.READ_VERSION,
        "clean_results": stages.CLEAN_VERSION,
        "extracted_facts": stages.EXTRACT_VERSION,
        "document_contexts": stages.EXTRACT_VERSION,
    },
)
