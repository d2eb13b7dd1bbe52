"""`envreports`: build the warehouse and look into it from a terminal.

`build` runs the same Dagster job as the UI, the schedule and the sensor (one code path); the
other commands only read the published warehouse.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import sys
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.cli_format import TABLE_ROWS
from pipelines.core.models import VALUE_KINDS
from pipelines.settings import (
    ENV_EXECUTOR,
    ENV_LOCK_WAIT,
    ENV_MAX_FILE_MB,
    ENV_RAW_DIR,
    ENV_WAREHOUSE,
    Settings,
    lock_wait,
    settings_from_env,
    shard_count,
)
from pipelines.store.locking import LockTimeout, file_lock

if TYPE_CHECKING:
    from pipelines.cli_changes import Keys


def build_job():
    """The job every entry point runs; module-level so other processes can reconstruct it."""
    from pipelines.definitions import defs

    return defs().resolve_job_def("build_warehouse")


class CliError(Exception):
    """A condition the operator must fix, said in one line (no traceback)."""


INSTANCE_LOCK = ".envreports-instance.lock"
INSTANCE_CONFIG = """\
# The Dagster instance of envreports (created by `envreports build` / `make dev`).
# Dagster's defaults: run history, event log and schedules in SQLite files in this folder.
# Settings: https://docs.dagster.io/deployment/oss/dagster-yaml
# Telemetry off: builds run offline, and its first-run banner is noise in every new instance.
telemetry:
  enabled: false
"""


@contextmanager
def _instance():
    """The operator's Dagster instance (runs show in the UI), else a throw-away one."""
    import dagster as dg

    home = os.environ.get("DAGSTER_HOME")
    if home:
        yield _operator_instance(Path(home))
        return
    with (
        tempfile.TemporaryDirectory(prefix="envreports-dagster-") as home,
        dg.DagsterInstance.local_temp(tempdir=home) as instance,
    ):
        yield instance


def _operator_instance(home: Path):
    """DAGSTER_HOME's instance, created under a lock so two first builds cannot both create its schema.

    Dagster creates the SQLite storages and stamps their schema version on first use; two processes
    doing so at once leave two alembic_version rows and an instance no later build can open.
    """
    import dagster as dg
    from dagster._core.errors import DagsterError
    from sqlalchemy.exc import SQLAlchemyError

    if not home.is_dir():
        raise CliError(f"DAGSTER_HOME={home} is not a folder; create it (make build does) or unset DAGSTER_HOME")
    if not os.access(home, os.W_OK | os.X_OK):
        raise CliError(f"DAGSTER_HOME={home} is not writable; Dagster keeps its run history there")
    try:
        with file_lock(home / INSTANCE_LOCK, wait=120, what="creating the Dagster instance"):
            if not (home / "dagster.yaml").exists():  # without one, Dagster warns on every run
                (home / "dagster.yaml").write_text(INSTANCE_CONFIG, encoding="utf-8")
            instance = dg.DagsterInstance.get()
            instance.get_runs(limit=1)  # creates and stamps the run, event log and schedule storages
            instance.event_log_storage.get_latest_materialization_events([])
            instance.schedule_storage.all_instigator_state()
    except (LockTimeout, OSError) as exc:
        raise CliError(f"DAGSTER_HOME={home}: {exc}") from None
    except (SQLAlchemyError, DagsterError) as exc:  # their messages never name the folder
        raise CliError(f"DAGSTER_HOME={home} cannot be used: {type(exc).__name__}: {_first_line(exc)}") from None
    return instance


def init_instance() -> int:
    """Create DAGSTER_HOME's instance safely before `dg dev` starts (`make dev`); 2 with a message if unusable."""
    try:
        _operator_instance(Path(os.environ["DAGSTER_HOME"]))
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [""])[0]


def _build(args: argparse.Namespace) -> int:
    paths = {ENV_RAW_DIR: args.raw_dir, ENV_WAREHOUSE: args.warehouse}
    given = {name: str(Path(value).resolve()) for name, value in paths.items() if value}
    if args.max_file_mb is not None:
        given[ENV_MAX_FILE_MB] = str(args.max_file_mb)
    settings = settings_from_env(os.environ | given)
    if not settings.raw_dir.is_dir():
        print(f"error: raw folder {settings.raw_dir} does not exist", file=sys.stderr)
        return 2
    from sqlalchemy.exc import SQLAlchemyError

    from pipelines.store.warehouse import build_lock

    token = uuid.uuid4().hex
    wait = lock_wait() if args.wait is None else args.wait
    try:
        with (
            build_lock(
                settings.warehouse,
                wait=wait,
                what="envreports build",
                token=token,
                on_wait=lambda message: print(f"another build is running: {message}", file=sys.stderr),
            ),
            _instance() as instance,
        ):
            # under the lock: never delete caches a running build is using
            if args.full and settings.staging_dir.exists():
                shutil.rmtree(settings.staging_dir)
            return _run(args, settings, instance, token)
    except LockTimeout as exc:
        print(f"error: another build of this warehouse is running; {exc}", file=sys.stderr)
        return 3
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:  # the instance's storage failed mid-run (read-only or full DAGSTER_HOME)
        home = os.environ.get("DAGSTER_HOME", "(a temporary folder)")
        print(f"error: Dagster's storage in DAGSTER_HOME={home} failed: {_first_line(exc)}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace, settings: Settings, instance, token: str) -> int:
    """Run the job under the build lock and say what happened to the published warehouse."""
    from pipelines.defs.automation.jobs import LAUNCHED_BY_TAG
    from pipelines.defs.documents.limits import limits_run_config
    from pipelines.defs.executor import execution_run_config
    from pipelines.defs.resources import resources_run_config
    from pipelines.defs.warehouse.assets import BUILD_LOCK_TAG
    from pipelines.worker import Limits

    kind = args.executor or os.environ.get(ENV_EXECUTOR) or _executor_for(settings)
    try:
        execution = execution_run_config(kind, os.environ)
        limits = limits_run_config(Limits.from_env())
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    import dagster as dg

    from pipelines.cli_changes import read_keys

    before = read_keys(settings.warehouse)  # under the build lock: the file this run replaces
    run_config = {
        "resources": {**resources_run_config(settings), "document_limits": limits},
        "execution": execution,
        "loggers": {"console": {"config": {"log_level": "DEBUG" if args.verbose else "WARNING"}}},
    }
    with (
        _step_processes_stopped_on_interrupt(),
        dg.execute_job(
            dg.reconstructable(build_job),
            instance=instance,
            run_config=run_config,
            tags={BUILD_LOCK_TAG: token, LAUNCHED_BY_TAG: "cli"},
            raise_on_error=False,
        ) as result,
    ):
        success = result.success
        materialized = {event.asset_key for event in result.get_asset_materialization_events()}
        failures = [event.message for event in result.all_events if event.is_failure]
    if success and dg.AssetKey("raw_documents") not in materialized:
        print("nothing changed since the last build: the published warehouse is current.")
        return _print_summary(settings.warehouse)
    if success and dg.AssetKey("warehouse") in materialized:
        return _print_summary(settings.warehouse, before, published=True)
    if dg.AssetKey("warehouse") in materialized:
        print(
            "build did not complete: the warehouse was published, but a later step failed "
            "(the evidence report is not up to date; the next build redoes it).",
            file=sys.stderr,
        )
    else:
        print("build did not complete; the published warehouse is unchanged.", file=sys.stderr)
    for message in failures[:5]:
        print(f"  {message}", file=sys.stderr)
    return 1


def _print_summary(warehouse: Path, before: Keys | None = None, *, published: bool = False) -> int:
    """The published warehouse's summary and, when this run published it, what changed since `before`."""
    import duckdb

    from pipelines.cli_changes import describe_changes, read_keys

    try:
        print(summary(warehouse))
        if published and (after := read_keys(warehouse)) is not None:
            print(describe_changes(before, after))
    except duckdb.Error as exc:
        print(f"error: cannot read {warehouse}: {_first_line(exc)}", file=sys.stderr)
        return 1
    return 0


STOP_GRACE_SECONDS = 5.0
"""How long an interrupted build's step processes get to stop by themselves before they are killed."""


@contextmanager
def _step_processes_stopped_on_interrupt(grace: float = STOP_GRACE_SECONDS) -> Iterator[None]:
    """Ctrl-C or SIGTERM during a build ends its step processes too, not only the CLI.

    Dagster forwards the interrupt to the steps, but a step busy in native code (pdfium, polars)
    never sees it, and the run waits for it for minutes, or leaves it running when the CLI is
    killed. Every signal with a Python handler also reaches the wakeup fd (Dagster's own handlers
    leave it alone); the watcher gives the steps `grace` seconds, then kills every process this
    one started and their children, except multiprocessing's forkserver and resource tracker,
    which end with this process (killing the tracker only makes it relaunch and complain).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    read, write = os.pipe()
    os.set_blocking(write, False)
    previous = signal.set_wakeup_fd(write)
    finished = threading.Event()

    def watch() -> None:
        while data := os.read(read, 64):
            if {signal.SIGINT, signal.SIGTERM} & set(data):
                if not finished.wait(grace):
                    for pid in set(descendants(os.getpid())) - _multiprocessing_helpers():
                        with contextlib.suppress(ProcessLookupError):
                            os.kill(pid, signal.SIGKILL)
                return

    watcher = threading.Thread(target=watch, name="envreports-interrupt-watcher", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        finished.set()
        signal.set_wakeup_fd(previous)
        os.close(write)
        watcher.join()
        os.close(read)


def _multiprocessing_helpers() -> set[int]:
    """The pids of this process's forkserver and resource tracker, where they run."""
    from multiprocessing import forkserver, resource_tracker

    pids = {
        getattr(forkserver._forkserver, "_forkserver_pid", None),
        getattr(resource_tracker._resource_tracker, "_pid", None),
    }
    return {pid for pid in pids if pid}


def descendants(pid: int) -> list[int]:
    """Every living process below `pid`, from /proc (empty where there is no /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        below = children.get(todo.pop(), [])
        found += below
        todo += below
    return found


def _executor_for(settings: Settings) -> str:
    """Parallel step processes only when there is more than one shard of documents to work on.

    Starting the preloaded forkserver costs seconds, which a night with nothing or little new
    should not pay. The UI, schedule and sensor use ENVREPORTS_EXECUTOR (multiprocess by default).
    """
    from pipelines.core.discovery import discover
    from pipelines.stages import StageCaches, pending_documents

    pending = pending_documents(discover(settings.raw_dir, settings.outputs), StageCaches.at(settings.staging_dir))
    return "multiprocess" if shard_count(len(pending), settings) > 1 else "in_process"


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


WAREHOUSE_VIEWS = ("v_documents", "v_indicator_facts")
"""Views every published warehouse has; a DuckDB file without them is not one."""


def _connect(args: argparse.Namespace):
    """A read-only connection that can touch nothing but the warehouse (no files, no extensions);
    `with _connect(args) as con:` closes it."""
    import duckdb

    path = Path(args.warehouse) if args.warehouse else settings_from_env().warehouse
    if not path.exists():
        raise SystemExit(f"error: no warehouse at {path}; run `envreports build` first")
    if not path.is_file():
        raise SystemExit(f"error: {path} is a folder, not a warehouse file (e.g. warehouse/envreports.duckdb)")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        if "lock" in str(exc).lower():
            raise SystemExit(
                f"error: {path} is locked by a read-write connection in another process; "
                "close it (analysts open the warehouse with read_only=True) and retry"
            ) from None
        raise SystemExit(f"error: {path} is not a DuckDB warehouse: {_first_line(exc)}") from None
    views = {name for (name,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    if missing := [view for view in WAREHOUSE_VIEWS if view not in views]:
        con.close()
        raise SystemExit(
            f"error: {path} is a DuckDB file but not an envreports warehouse (no {', '.join(missing)}); "
            "`envreports build` publishes one"
        )
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def _query_text(args: argparse.Namespace) -> str:
    """The SQL to run: the argument, or the file given with -f (`-f -` reads standard input)."""
    if (args.query is None) == (args.file is None):
        raise CliError("give one query, either as an argument or with -f FILE.sql")
    if args.file is None:
        return args.query
    if args.file == "-":
        return sys.stdin.read()
    try:
        return Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"cannot read {args.file}: {exc}") from None


def _sql(args: argparse.Namespace) -> int:
    """Run each statement and print its result; stops at the first that fails (one line, exit 1)."""
    import duckdb

    try:
        text = _query_text(args)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with _connect(args) as con:
        try:
            statements = con.extract_statements(text)
        except duckdb.Error as exc:
            print(f"error: {_first_line(exc)}", file=sys.stderr)
            return 1
        if not statements:
            print("error: no SQL statement to run (the query is empty or only comments)", file=sys.stderr)
            return 1
        for number, statement in enumerate(statements, 1):
            try:
                cursor = con.execute(statement)
                if cursor.description is None:
                    continue
                if number > 1:
                    print()
                _print_result(cursor, args.format)
            except duckdb.Error as exc:
                which = f"statement {number}: " if len(statements) > 1 else ""
                print(f"error: {which}{_first_line(exc)}", file=sys.stderr)
                return 1
    return 0


def _print_result(cursor, form: str) -> None:
    """One statement's result: a table of its first rows (and how many more), or every row as csv/json."""
    from pipelines.cli_format import render_table, write_csv, write_json

    columns = [column[0] for column in cursor.description]
    if form == "table":
        rows = cursor.fetchmany(TABLE_ROWS)
        more = 0
        while batch := cursor.fetchmany(10_000):
            more += len(batch)
        print(render_table(columns, rows, more))
        return
    batches = iter(lambda: cursor.fetchmany(10_000), [])
    (write_csv if form == "csv" else write_json)(sys.stdout, columns, batches)


def _facts(args: argparse.Namespace) -> int:
    """Facts with the figure as written and marked in its evidence; unknown names are errors with suggestions."""
    from pipelines.cli_names import UnknownName

    with _connect(args) as con:
        try:
            area, indicator = _named_filters(con, args)
        except UnknownName as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        for named, what in ((area, "area"), (indicator, "indicator")):
            if named is not None and not named.has_facts:
                print(f"no facts for {what} {named.name}: a known {what}, but no document in this warehouse has any")
                return 0
        where, params = ["TRUE"], []
        for column, value in (
            ("region_name", area and area.name),
            ("indicator_code", indicator and indicator.name),
            ("year", args.year),
            ("value_kind", args.kind),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        # each report once by default (a PDF and its text, mirrors); every copy's own rows on request
        view = "v_indicator_facts" if args.all_copies else "v_report_facts"
        rows = con.execute(
            "SELECT region_name, indicator_code, year, value_kind, value, unit, qualifier, figure_text, unit_text, "
            f"source_file, page, evidence, period_start, period_end, base_year FROM {view} WHERE {' AND '.join(where)} "
            "ORDER BY region_name, indicator_code, year, value_kind, source_file",
            params,
        ).fetchall()
    _print_facts(rows, bold=sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    return 0


def _named_filters(con, args: argparse.Namespace):
    """--area and --indicator resolved against the gazetteer, the catalogue and this warehouse's facts."""
    from pipelines.cli_names import resolve_area, resolve_indicator

    area = indicator = None
    if args.area is not None:
        with_facts = {n for (n,) in con.execute("SELECT DISTINCT region_name FROM v_indicator_facts").fetchall() if n}
        area = resolve_area(args.area, with_facts)
    if args.indicator is not None:
        with_facts = {c for (c,) in con.execute("SELECT DISTINCT indicator_code FROM v_indicator_facts").fetchall()}
        known = [c for (c,) in con.execute("SELECT indicator_code FROM dim_indicator").fetchall()]
        indicator = resolve_indicator(args.indicator, with_facts, known)
    return area, indicator


def _print_facts(rows: list[tuple], *, bold: bool) -> None:
    from pipelines.cli_format import human_number, marked_evidence
    from pipelines.core.display import human_unit, kind_text, period_text

    for row in rows:
        area, code, year, kind, value, unit, qualifier, figure, unit_text, source, page, evidence = row[:12]
        start, end, base_year = row[12:]
        where_from = f"{source}, page {page}" if page else source
        written = f"{figure or ''}{unit_text or ''}"
        as_written = f"  (as written: {written})" if written else ""
        # a month's or the year-to-date figure must not read as the year's, nor a change against 2015 as one
        # against 2020
        print(
            f"{area or '-'}  {code}  {period_text(year, start, end)}  {kind_text(kind, base_year)}"
            f"  = {qualifier or ''}{human_number(value)} {human_unit(unit)}{as_written}   [{where_from}]"
        )
        lines = marked_evidence(evidence or "", figure, unit_text, bold=bold)
        print("    «" + "\n     ".join(lines) + "»")
    print(f"{len(rows)} facts")


def data_dictionary(con) -> str:
    """Markdown data dictionary from the warehouse's own COMMENTs, so it cannot drift from them."""
    lines = [
        "# envreports data dictionary",
        "",
        "Generated by `envreports schema` from the warehouse's COMMENTs.",
        "",
    ]
    relations = con.execute(
        "SELECT table_name, 'table' AS kind, comment FROM duckdb_tables() WHERE database_name = current_database() "
        "UNION ALL SELECT view_name, 'view', comment FROM duckdb_views() "
        "WHERE database_name = current_database() AND NOT internal ORDER BY kind, 1"
    ).fetchall()
    for name, kind, comment in relations:
        lines += [
            f"## {name} ({kind})",
            "",
            comment or "",
            "",
            "| column | type | description |",
            "|---|---|---|",
        ]
        columns = con.execute(
            "SELECT column_name, data_type, comment FROM duckdb_columns() "
            "WHERE database_name = current_database() AND table_name = ? ORDER BY column_index",
            [name],
        ).fetchall()
        lines += [f"| {c} | {t} | {(d or '').replace('|', '/')} |" for c, t, d in columns]
        lines.append("")
    return "\n".join(lines)


def _schema(args: argparse.Namespace) -> int:
    with _connect(args) as con:
        print(data_dictionary(con))
    return 0


def _serve(args: argparse.Namespace) -> int:
    """Serve the report and the Data Docs until interrupted (Ctrl-C, or `make dev` stopping)."""
    from urllib.parse import urlsplit

    from pipelines.serve import make_server
    from pipelines.settings import serve_url

    given = {ENV_WAREHOUSE: str(Path(args.warehouse).resolve())} if args.warehouse else {}
    settings = settings_from_env(os.environ | given)
    port = args.port if args.port is not None else (urlsplit(serve_url()).port or 8765)
    try:
        server = make_server(settings, args.host, port)
    except OSError as exc:
        print(f"error: cannot serve on {args.host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"serving the report and Data Docs at http://{args.host}:{server.server_port}/ (Ctrl-C stops)")
    with server, contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


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
        "--executor",
        help=f"in_process, multiprocess, k8s or celery (default ${ENV_EXECUTOR}, else chosen by the work to do)",
    )
    build.add_argument(
        "--max-file-mb", type=float, help=f"larger files are not read (default 50, or ${ENV_MAX_FILE_MB})"
    )
    build.add_argument("--full", action="store_true", help="ignore the per-document caches and redo every stage")
    build.add_argument("--verbose", action="store_true", help="show Dagster's step-by-step log")
    build.add_argument(
        "--wait",
        type=float,
        metavar="SECONDS",
        help=f"how long to wait for another build of the same warehouse (default 1800, or ${ENV_LOCK_WAIT}; "
        "0 gives up at once)",
    )
    build.set_defaults(func=_build)

    sql = commands.add_parser("sql", help="run read-only SQL on the warehouse and print each result")
    sql.add_argument("query", nargs="?", help="one or more statements separated by ;")
    sql.add_argument("-f", "--file", help="read the SQL from this file (- for standard input)")
    sql.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help=f"table (first {TABLE_ROWS} rows), csv or json (every row); default table",
    )
    facts = commands.add_parser("facts", help="show facts with their evidence")
    facts.add_argument("--area", help="area name, e.g. 安阳市 or Anyang")
    facts.add_argument("--indicator", help="indicator code or name, e.g. air.pm25_mean or 优良天数")
    facts.add_argument("--year", type=int)
    facts.add_argument("--kind", choices=VALUE_KINDS)
    facts.add_argument(
        "--all-copies", action="store_true", help="every copy of a report (PDF and text, mirrors), not each report once"
    )
    schema = commands.add_parser("schema", help="print the data dictionary (Markdown) from the COMMENTs")
    serve = commands.add_parser("serve", help="serve the evidence report and the Data Docs on 127.0.0.1")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, help="port (default: the one in $ENVREPORTS_SERVE_URL, else 8765)")
    for command, func in ((sql, _sql), (facts, _facts), (schema, _schema), (serve, _serve)):
        command.add_argument("--warehouse", help="DuckDB file (default: the published warehouse)")
        command.set_defaults(func=func)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        return _closed_pipe()


def _closed_pipe() -> int:
    """The reader went away (`envreports sql … | head`): stop quietly, as shell tools do.

    Standard output is pointed at /dev/null so the interpreter's final flush cannot complain either.
    """
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return 128 + signal.SIGPIPE


if __name__ == "__main__":
    sys.exit(main())
