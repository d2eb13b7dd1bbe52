"""Notice new, changed or removed files in the raw folder and start a build."""

import hashlib
import json

import dagster as dg

from pipelines.core.discovery import walk
from pipelines.defs.automation.jobs import LAUNCHED_BY_TAG, build_warehouse_job
from pipelines.defs.resources import PipelineResource
from pipelines.settings import Settings

_MISSING = "missing"  # the cursor's fingerprint while the raw folder does not exist


def folder_fingerprint(settings: Settings) -> str:
    """Hash of every name's path, size and mtime: cheap to compute every 30 s on a large folder.

    The names are those discovery sees (the same walk, so the warehouse's own files inside the
    raw folder do not start a build after every build); names that are not UTF-8 are hashed as bytes.
    """
    digest = hashlib.sha256()
    for entry in walk(settings.raw_dir, settings.outputs):
        size, mtime = (entry.stat.st_size, entry.stat.st_mtime_ns) if entry.stat else (None, None)
        digest.update(entry.rel.encode("utf-8", "surrogateescape") + f"\0{size}\0{mtime}\n".encode())
    return digest.hexdigest()


def _cursor(text: str | None) -> tuple[str | None, int]:
    """(fingerprint, number of changes seen) from the cursor; a bare fingerprint is an older cursor."""
    if not text:
        return None, 0
    try:
        saved = json.loads(text)
        return saved["fingerprint"], int(saved["changes"])
    except (ValueError, TypeError, KeyError):
        return text, 0


@dg.sensor(
    job=build_warehouse_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts a build when a file in the raw folder is added, changed or removed.",
)
def raw_folder_sensor(context: dg.SensorEvaluationContext, pipeline: PipelineResource):
    """The run key counts the changes: Dagster never reuses a run key, and a folder that goes back
    to an earlier state (files removed that a change had added) must start a build too."""
    settings = pipeline.settings()
    raw_dir = settings.raw_dir
    previous, changes = _cursor(context.cursor)
    if not raw_dir.is_dir():  # no build now; one when it is back, even unchanged (a build may have missed it)
        context.update_cursor(json.dumps({"fingerprint": _MISSING, "changes": changes}))
        return dg.SkipReason(f"raw folder {raw_dir} does not exist")
    fingerprint = folder_fingerprint(settings)
    if fingerprint == previous:
        return dg.SkipReason("raw folder unchanged since the last build request")
    changes += 1
    context.update_cursor(json.dumps({"fingerprint": fingerprint, "changes": changes}))
    return dg.RunRequest(run_key=f"{fingerprint}-{changes}", tags={LAUNCHED_BY_TAG: "sensor"})
