"""Facts: normalise the extracted figures to canonical units and deterministic keys."""

import dagster as dg
import polars as pl

from pipelines.core.records import FACT_KEY
from pipelines.core.restatements import merge_restatements
from pipelines.core.units import normalise_facts
from pipelines.defs.metadata import counts, preview, table_metadata
from pipelines.store.warehouse import add_key


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
    keyed = add_key(normalise_facts(joined), "fact_key", FACT_KEY)
    facts = merge_restatements(keyed)
    context.add_output_metadata(
        {
            **table_metadata(facts),
            "restated_same_value_merged": keyed.height - facts.height,
            "conflicting_restatements": int(facts["conflict"].sum()),
            "by_unit_status": counts(facts, "unit_status"),
            "preview": preview(
                facts.select("source_file", "indicator_code", "region_name", "year", "value_kind", "value", "unit")
            ),
        }
    )
    return facts
