"""`envreports`: build the warehouse and look into it from a terminal.

`build` runs the same Dagster job as the UI, the schedule and the sensor (one code path); the
other commands only read the published warehouse.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from pipelines.settings import ENV_RAW_DIR, ENV_WAREHOUSE, settings_from_env


def _build(args: argparse.Namespace) -> int:
    if args.raw_dir:
        os.environ[ENV_RAW_DIR] = str(Path(args.raw_dir).resolve())
    if args.warehouse:
        os.environ[ENV_WAREHOUSE] = str(Path(args.warehouse).resolve())
    settings = settings_from_env()
    if not settings.raw_dir.is_dir():
        print(f"error: raw folder {settings.raw_dir} does not exist", file=sys.stderr)
        return 2
    if args.full and settings.staging_dir.exists():
        shutil.rmtree(settings.staging_dir)

    import dagster as dg

    from pipelines.definitions import defs

    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
    job = defs().resolve_job_def("build_warehouse")
    quiet = {"loggers": {"console": {"config": {"log_level": "DEBUG" if args.verbose else "WARNING"}}}}
    result = job.execute_in_process(run_config=quiet, instance=instance, raise_on_error=False)
    published = any(
        event.asset_key == dg.AssetKey("warehouse") for event in result.get_asset_materialization_events()
    )
    if not result.success or not published:
        failures = [e.message for e in result.all_events if e.is_failure]
        print("build did not complete; the published warehouse is unchanged.", file=sys.stderr)
        for message in failures[:5]:
            print(f"  {message}", file=sys.stderr)
        return 1
    print(summary(settings.warehouse))
    return 0


def summary(warehouse: Path) -> str:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        docs = dict(con.execute("SELECT status, count(*) FROM v_documents GROUP BY 1 ORDER BY 1").fetchall())
        (facts,) = con.execute("SELECT count(*) FROM v_indicator_facts").fetchone()
        (rejected,) = con.execute("SELECT count(*) FROM v_rejected_facts").fetchone()
    finally:
        con.close()
    read = docs.get("ok", 0)
    other = ", ".join(f"{k} {v}" for k, v in docs.items() if k != "ok") or "none"
    return (
        f"documents read: {read}   not read: {sum(docs.values()) - read} ({other})\n"
        f"facts loaded: {facts}   rejected: {rejected}\n"
        f"warehouse: {warehouse}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="envreports", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build and publish the warehouse from the raw folder")
    build.add_argument("--raw-dir", help=f"folder of documents (default raw/, or ${ENV_RAW_DIR})")
    build.add_argument(
        "--warehouse",
        help=f"DuckDB file to publish (default warehouse/envreports.duckdb, or ${ENV_WAREHOUSE})",
    )
    build.add_argument(
        "--full", action="store_true", help="ignore the per-document caches and redo every stage"
    )
    build.add_argument("--verbose", action="store_true", help="show Dagster's step-by-step log")
    build.set_defaults(func=_build)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
