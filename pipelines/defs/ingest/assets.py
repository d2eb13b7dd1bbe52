"""Ingest: find the files in the raw folder and fingerprint them."""

import shutil

import dagster as dg

from pipelines.core.discovery import discover, outputs_inside
from pipelines.defs.metadata import counts, preview, table_metadata
from pipelines.defs.published_checks import report_published_results
from pipelines.defs.resources import PipelineResource
from pipelines.defs.warehouse.assets import warehouse_lock
from pipelines.stages import StageCaches, pending_documents
from pipelines.store.fingerprint import build_fingerprint, is_published
from pipelines.store.tables import mark_duplicates


class BuildConfig(dg.Config):
    """Run config of a build: in the UI's launchpad, `ops: {raw_documents: {config: {full_refresh: true}}}`."""

    full_refresh: bool = False
    """Forget every document's cached read, clean and extract, and redo them (`envreports build --full`)."""


@dg.asset(
    group_name="ingest",
    description="Every file under the raw folder: path, size, sha256 content hash and a first status "
    "(hidden files, links out of the folder, names that are not UTF-8 and hard links with names outside are "
    "skipped; repeated content is marked duplicate). The warehouse's own files are left out.",
    kinds={"polars"},
    output_required=False,
)
def raw_documents(context: dg.AssetExecutionContext, pipeline: PipelineResource, config: BuildConfig):
    """Yields nothing when content and code equal the published build's, so every later step skips;
    the checks then report the published build's results again (they describe the same data)."""
    settings = pipeline.settings()
    caches = StageCaches.at(settings.staging_dir)
    if config.full_refresh:
        with warehouse_lock(context, settings):  # never delete caches another build is reading
            for cache in (caches.read, caches.clean, caches.extract):
                shutil.rmtree(cache.dir, ignore_errors=True)
        context.log.info("full refresh: every document is read, cleaned and extracted again")
    if not settings.raw_dir.is_dir():
        raise dg.Failure(f"raw folder {settings.raw_dir} does not exist")
    for output in outputs_inside(settings.raw_dir, settings.outputs):
        context.log.warning(f"{output} is inside the raw folder {settings.raw_dir}: left out of discovery")
    manifest = mark_duplicates(discover(settings.raw_dir, settings.outputs))
    fingerprint = build_fingerprint(manifest, settings)
    # a document whose read failed for the moment (CHANGED) is pending although the manifest is not new
    if is_published(fingerprint, settings) and not pending_documents(manifest, caches):
        reported = report_published_results(context, settings)
        context.log.info(
            f"{manifest.height} files, nothing changed since the published build: stopping here "
            f"({reported} check results of the published build reported again)"
        )
        return
    yield dg.Output(
        manifest,
        metadata={
            "fingerprint": fingerprint,
            "raw_dir": str(settings.raw_dir),
            **table_metadata(manifest),
            # before reading: a file found ok here may still fail to read (final statuses: warehouse, v_documents)
            "by_discovery_status": counts(manifest, "status"),
            "by_extension": counts(manifest, "extension"),
            "preview": preview(manifest.select("source_file", "status", "size_bytes", "content_hash", "error")),
        },
    )
