"""Evidence report: a static HTML site over the published warehouse, rebuilt after every publish."""

import dagster as dg
import polars as pl

from pipelines.defs.resources import PipelineResource
from pipelines.defs.warehouse.assets import warehouse_lock
from pipelines.report import build_report
from pipelines.store.fingerprint import build_fingerprint, record_published


@dg.asset(
    group_name="report",
    ins={"raw_documents": dg.AssetIn()},
    deps=["warehouse"],
    description="Static HTML evidence report beside the warehouse (report/index.html): documents read and "
    "failed, quarantined figures, facts per domain and the noise removed; an area page with headline charts "
    "whose points link to their evidence; a page per document with every fact highlighted in its clean text. "
    "Self-contained and offline; written to a temporary folder and swapped in.",
    kinds={"html"},
)
def evidence_report(
    context: dg.AssetExecutionContext, pipeline: PipelineResource, raw_documents: pl.DataFrame
) -> dg.MaterializeResult:
    settings = pipeline.settings()
    with warehouse_lock(context, settings):
        summary = build_report(settings.warehouse, settings.report_dir)
        # the last step: from now on an unchanged folder needs no build
        record_published(build_fingerprint(raw_documents, settings), settings)
    context.log.info(f"report: {summary.pages} pages, {summary.facts_highlighted} facts highlighted")
    index = summary.index.resolve()
    return dg.MaterializeResult(
        metadata={
            "report": dg.MetadataValue.url(index.as_uri()),
            "path": dg.MetadataValue.path(str(index)),
            "pages_written": summary.pages,
            "document_pages": summary.documents,
            "area_pages": summary.areas,
            "charts": summary.charts,
            "chart_links": summary.chart_links,
            "facts_highlighted": summary.facts_highlighted,
            "quarantined_highlighted": summary.rejected_highlighted,
        }
    )
