"""Notice new, changed or removed files in the raw folder and start a build."""

import hashlib
import os

import dagster as dg

from pipelines.defs.automation.jobs import build_warehouse_job
from pipelines.defs.resources import PipelineResource


def folder_fingerprint(pipeline: PipelineResource) -> str:
    """Hash of every file's path, size and mtime: cheap to compute every 30 s on a large folder."""
    raw_dir = pipeline.settings().raw_dir
    digest = hashlib.sha256()
    for folder, dirs, files in os.walk(raw_dir):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                stat = os.lstat(path)
            except OSError:
                continue
            digest.update(f"{os.path.relpath(path, raw_dir)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@dg.sensor(
    job=build_warehouse_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts a build when a file in the raw folder is added, changed or removed.",
)
def raw_folder_sensor(context: dg.SensorEvaluationContext, pipeline: PipelineResource):
    fingerprint = folder_fingerprint(pipeline)
    if fingerprint == context.cursor:
        return dg.SkipReason("raw folder unchanged since the last build request")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint)
