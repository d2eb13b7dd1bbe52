"""Ingest: find the files in the raw folder and fingerprint them."""

import dagster as dg

from pipelines.core.discovery import discover, outputs_inside
from pipelines.defs.metadata import counts, preview
from pipelines.defs.resources import PipelineResource
from pipelines.stages import StageCaches, pending_documents
from pipelines.store.fingerprint import build_fingerprint, is_published
from pipelines.store.tables import mark_duplicates


@dg.asset(
    group_name="ingest",
    description="Every file under the raw folder: path, size, sha256 content hash and a first status "
    "(hidden files, links out of the folder, names that are not UTF-8 and hard links with names outside are "
    "skipped; repeated content is marked duplicate). The warehouse's own files are left out.",
    kinds={"polars"},
    output_required=False,
)
def raw_documents(context: dg.AssetExecutionContext, pipeline: PipelineResource):
    """Yields nothing when content and code equal the published build's, so every later step skips."""
    settings = pipeline.settings()
    if not settings.raw_dir.is_dir():
        raise dg.Failure(f"raw folder {settings.raw_dir} does not exist")
    for output in outputs_inside(settings.raw_dir, settings.outputs):
        context.log.warning(f"{output} is inside the raw folder {settings.raw_dir}: left out of discovery")
    manifest = mark_duplicates(discover(settings.raw_dir, settings.outputs))
    fingerprint = build_fingerprint(manifest, settings)
    # a document whose read failed for the moment (CHANGED) is pending although the manifest is not new
    caches = StageCaches.at(settings.staging_dir)
    if is_published(fingerprint, settings) and not pending_documents(manifest, caches):
        context.log.info(f"{manifest.height} files, nothing changed since the published build: stopping here")
        return
    yield dg.Output(
        manifest,
        metadata={
            "fingerprint": fingerprint,
            "raw_dir": str(settings.raw_dir),
            "dagster/row_count": manifest.height,
            "by_status": counts(manifest, "status"),
            "by_extension": counts(manifest, "extension"),
            "preview": preview(manifest.select("source_file", "status", "size_bytes", "content_hash", "error")),
        },
    )
