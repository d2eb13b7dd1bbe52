"""Nightly build at 02:00 China time, when analysts are least likely to be reconnecting."""

import dagster as dg

from pipelines.defs.automation.jobs import LAUNCHED_BY_TAG, build_warehouse_job

nightly_build = dg.ScheduleDefinition(
    name="nightly_build",
    job=build_warehouse_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    tags={LAUNCHED_BY_TAG: "schedule"},
    description="Materialise the whole graph nightly; unchanged documents cost a hash and a cache lookup.",
)
