"""Facts: extract stated figures from each clean document, then normalise units and keys."""


import dagster as dg
import polars as pl

from pipelines import stages
from pipelines.core.units import normalise_facts
from pipelines.defs.cleaning.assets import clean_cache
from pipelines.defs.ingest.assets import read_cache
from pipelines.defs.metadata import counts, preview
from pipelines.defs.resources import PipelineResource
from pipelines.store.staging import StageCache
from pipelines.store.warehouse import add_key

FACT_KEY = ["document_key", "area_key", "region_name", "indicator_code", "year", "value_kind"]


def extract_cache(pipeline: PipelineResource) -> StageCache:
    return StageCache(pipeline.settings().staging_dir, "extract", stages.EXTRACT_VERSION)


@dg.multi_asset(
    group_name="facts",
    outs={
        "extracted_facts": dg.AssetOut(
            description="Every figure the extractor found, as written: indicator, area, year, kind, figure, "
            "unit and qualifier as in the text, with the evidence sentence, offsets and PDF page.",
            kinds={"polars"},
            code_version=stages.EXTRACT_VERSION,
        ),
        "document_contexts": dg.AssetOut(
            description="Per document: title, date, subject year, own area, source type and five-year plan, "
            "which the extractor resolves 我市/今年/去年 against.",
            kinds={"polars"},
            code_version=stages.EXTRACT_VERSION,
        ),
    },
)
def extract_facts(
    context: dg.AssetExecutionContext, pipeline: PipelineResource, clean_texts: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    reads, cleans, cache = read_cache(pipeline), clean_cache(pipeline), extract_cache(pipeline)
    hashes = clean_texts.filter(pl.col("error").is_null())["content_hash"]
    pending = cache.missing(hashes, part="context")
    for content_hash in pending:
        try:
            facts, ctx = stages.extract_one(
                reads.read(content_hash).row(0, named=True), cleans.read(content_hash).row(0, named=True)
            )
        except Exception as exc:
            facts, ctx = stages.failed_extract(content_hash, exc)
        cache.write(content_hash, facts, part="facts")
        cache.write(content_hash, ctx, part="context")
    facts = pl.concat(
        [
            pl.DataFrame(schema=stages.RAW_FACT_SCHEMA),
            *(pl.read_parquet(p) for p in cache.paths(hashes, "facts")),
        ]
    )
    contexts = pl.concat(
        [
            pl.DataFrame(schema=stages.CONTEXT_SCHEMA),
            *(pl.read_parquet(p) for p in cache.paths(hashes, "context")),
        ]
    )
    context.add_output_metadata(
        {
            "dagster/row_count": facts.height,
            "extracted_this_run": len(pending),
            "reused_from_cache": len(hashes) - len(pending),
            "by_indicator_domain": counts(
                facts.with_columns(pl.col("indicator_code").str.extract(r"^(\w+)")), "indicator_code"
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
        output_name="extracted_facts",
    )
    context.add_output_metadata(
        {
            "dagster/row_count": contexts.height,
            "by_source_type": counts(contexts, "source_type"),
            "failed": int(contexts["error"].is_not_null().sum()),
            "preview": preview(contexts),
        },
        output_name="document_contexts",
    )
    return facts, contexts


@dg.asset(
    group_name="facts",
    description="Facts in canonical units (unit table joined with polars: 万/亿 multipliers, mg→µg, 亩→ha, "
    "万千瓦→kW …), keyed deterministically per document × area × indicator × year × kind. A figure restated "
    "with the same value is one fact; a conflicting restatement is kept for quarantine.",
    kinds={"polars"},
)
def normalised_facts(
    context: dg.AssetExecutionContext, raw_documents: pl.DataFrame, extracted_facts: pl.DataFrame
) -> pl.DataFrame:
    owners = raw_documents.filter(pl.col("duplicate_of").is_null()).select(
        "content_hash", "document_key", "source_file"
    )
    joined = owners.join(extracted_facts, on="content_hash", how="inner").drop("content_hash")
    facts = add_key(normalise_facts(joined), "fact_key", FACT_KEY)
    ranked = facts.sort("document_key", "char_start").with_columns(
        mention=pl.int_range(pl.len()).over("fact_key"),
        same_value=pl.col("value").n_unique().over("fact_key") == 1,
    )
    # same value stated again: one fact; another value for the same key: conflict, quarantined later
    facts = (
        ranked.filter((pl.col("mention") == 0) | ~pl.col("same_value"))
        .with_columns(conflict=pl.col("mention") > 0)
        .drop("mention", "same_value")
    )
    context.add_output_metadata(
        {
            "dagster/row_count": facts.height,
            "restated_same_value_merged": ranked.height - facts.height,
            "conflicting_restatements": int(facts["conflict"].sum()),
            "by_unit_status": counts(facts, "unit_status"),
            "preview": preview(
                facts.select(
                    "source_file", "indicator_code", "region_name", "year", "value_kind", "value", "unit"
                )
            ),
        }
    )
    return facts
