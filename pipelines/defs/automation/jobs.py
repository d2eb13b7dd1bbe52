"""The one job the schedule, the sensor, the UI and the CLI all run: the whole asset graph."""

import dagster as dg

# Who started a run, shown in the runs list: "cli", "schedule" or "sensor" (runs launched from the UI
# carry no such tag).
LAUNCHED_BY_TAG = "envreports/launched_by"

build_warehouse_job = dg.define_asset_job(
    "build_warehouse",
    selection=dg.AssetSelection.all(),
    description="Discover, read, clean, extract, normalise, validate and publish; only new or changed "
    "documents are processed (content-hash caches).",
)
