"""`python -m bench.run`: how fast and how lean a build is on this machine, against the targets.

Builds run through the real CLI in a subprocess, so their wall time includes start-up and
their peak memory is the build's own; per-stage times come from the Dagster run the build
records. PDF reading against raw pypdfium2 and extraction throughput are measured in this
process on the same corpus. Corpus generation is timed apart and is not part of any figure.
The builds use the executor the environment chooses (ENVREPORTS_EXECUTOR), as `make build` does.

    python -m bench.run [--docs 2000] [--memory-docs 500] [--out bench/out] [--timeout 1800] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from bench import corpus, pdf_speed
from pipelines.settings import ENV_EXECUTOR, ENV_STAGING_DIR
from pipelines.store.fingerprint import code_fingerprint

PROJECT_ROOT = Path(__file__).resolve().parent.parent

FULL_BUILD_S_PER_2000 = 180.0  # full build of 2000 documents on the 2-core reference machine
REBUILD_SHARE = 0.10  # a no-change rebuild against the full build
PDF_READ_RATIO = 2.0  # read_document time against raw pypdfium2 text extraction
MEMORY_GROWTH = 1.25  # peak memory of the large corpus against the small one ("flat")


@dataclass(frozen=True)
class Step:
    key: str
    start: float  # epoch seconds
    end: float


@dataclass
class Build:
    """One `envreports build` subprocess and what its Dagster run recorded."""

    label: str
    wall_s: float
    peak_rss_mb: float  # the largest single process of the build: its peak RSS (VmHWM, or wait4)
    peak_pss_mb: float  # the build's process tree together, sampled
    exit_code: int
    output: str  # the end of the CLI's output: its summary, or why it failed
    run_s: float | None = None  # the Dagster run from its start to its end event
    steps: list[Step] = field(default_factory=list)
    code: str = ""  # fingerprint of the pipeline's code when the build started
    peak_during: list[str] = field(default_factory=list)  # steps running when the tree's PSS peaked
    samples: list[tuple[float, int]] = field(default_factory=list)  # (epoch seconds, tree PSS in kB)

    @property
    def outside_run_s(self) -> float | None:
        """Start-up, imports and the summary: what a build costs before and after the job."""
        return None if self.run_s is None else self.wall_s - self.run_s

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


@dataclass(frozen=True)
class Workspace:
    """Folders of one corpus size: the documents, the warehouse and a private DAGSTER_HOME."""

    root: Path

    @property
    def corpus(self) -> Path:
        return self.root / "corpus"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse" / "envreports.duckdb"

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster_home"


# ---------------------------------------------------------------- machine and corpus


def machine() -> dict:
    """What the figures depend on, so results from different machines are not compared blindly."""
    import dagster
    import duckdb
    import polars

    from pipelines.defs.executor import DEFAULT_EXECUTOR

    meminfo = Path("/proc/meminfo").read_text().splitlines()
    total_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal:"))
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "cores": len(os.sched_getaffinity(0)),
        "cpu": model,
        "ram_gb": round(total_kb / 1024**2, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "polars": polars.__version__,
        "dagster": dagster.__version__,
        "executor": os.environ.get(ENV_EXECUTOR) or DEFAULT_EXECUTOR,
        "load_before": round(os.getloadavg()[0], 2),  # other work competing for the cores skews every figure
    }


def prepare(workspace: Workspace, n_docs: int) -> dict:
    """A fresh corpus and an empty DAGSTER_HOME; returns the manifest with the generation time."""
    shutil.rmtree(workspace.root, ignore_errors=True)
    workspace.dagster_home.mkdir(parents=True)
    (workspace.dagster_home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    start = time.perf_counter()
    manifest = corpus.generate(workspace.corpus, n_docs=n_docs)
    manifest["generate_s"] = round(time.perf_counter() - start, 2)
    return manifest


# ---------------------------------------------------------------- builds


class _TreeSampler(threading.Thread):
    """Samples the summed PSS of a build's process tree (its session) and kills it at the deadline.

    With the multiprocess executor a build is several processes at once; their summed
    proportional set size is what the machine must hold, which no single RSS shows.
    """

    def __init__(self, session: int, timeout_s: float, interval_s: float = 1.0):
        super().__init__(daemon=True)
        self.session, self.interval_s = session, interval_s
        self.deadline = time.perf_counter() + timeout_s
        self.samples: list[tuple[float, int]] = []  # epoch seconds, comparable with Dagster's step times
        self.peak_rss_kb = 0  # the largest high-water mark of any one process seen
        self.timed_out = False
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(self.interval_s):
            pss_kb, hwm_kb = _session_memory_kb(self.session)
            self.samples.append((time.time(), pss_kb))
            self.peak_rss_kb = max(self.peak_rss_kb, hwm_kb)
            if time.perf_counter() > self.deadline and not self.timed_out:
                self.timed_out = True
                os.killpg(self.session, signal.SIGKILL)


def _session_memory_kb(session: int) -> tuple[int, int]:
    """The session's summed PSS, and the largest peak RSS (VmHWM) of any one of its processes.

    Steps of the multiprocess executor are forked by a forkserver, which reaps them, so wait4 on
    the CLI never sees their peaks; each process's own high-water mark does.
    """
    total = largest = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) != session:
                continue
            rollup = Path(entry.path, "smaps_rollup").read_text().splitlines()
            status = Path(entry.path, "status").read_text().splitlines()
        except (OSError, ValueError, IndexError):  # the process ended while we looked
            continue
        total += next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
        largest = max(largest, next((int(line.split()[1]) for line in status if line.startswith("VmHWM:")), 0))
    return total, largest


def build(workspace: Workspace, label: str, *, full: bool, timeout_s: float) -> Build:
    """Runs the CLI in a session of its own, so that its whole process tree can be measured and,
    if it hangs, killed; wait4 gives the wall time and, with the sampler, the largest single process's
    peak RSS."""
    command = [sys.executable, "-m", "pipelines.cli", "build", "--raw-dir", str(workspace.corpus)]
    command += ["--warehouse", str(workspace.warehouse)] + (["--full"] if full else [])
    # the stage caches stay in the workspace, whatever the caller's environment says
    env = {k: v for k, v in os.environ.items() if k != ENV_STAGING_DIR}
    env["DAGSTER_HOME"] = str(workspace.dagster_home)
    log = workspace.root / f"build-{label}.log"
    code = code_fingerprint()[:12]
    with log.open("w") as out:
        start = time.perf_counter()
        child = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT, start_new_session=True
        )
        sampler = _TreeSampler(child.pid, timeout_s)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        sampler.stop.set()
        sampler.join()
    child.returncode = os.waitstatus_to_exitcode(status)
    output = log.read_text().splitlines()[-15:]
    if sampler.timed_out:
        output.append(f"killed: no result after {timeout_s:.0f} s")
    peak_at, peak_kb = max(sampler.samples, key=lambda sample: sample[1], default=(0.0, 0))
    result = Build(
        label,
        wall,
        max(usage.ru_maxrss, sampler.peak_rss_kb) / 1024,
        peak_kb / 1024,
        child.returncode,
        "\n".join(output),
        code=code,
        samples=sampler.samples,
    )
    if result.ok:
        result.run_s, result.steps = run_steps(workspace.dagster_home)
        result.peak_during = [s.key for s in result.steps if s.start <= peak_at <= s.end]
    return result


@contextmanager
def _dagster_home(path: Path) -> Iterator[None]:
    previous = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(path)
    try:
        yield
    finally:
        if previous is None:
            del os.environ["DAGSTER_HOME"]
        else:
            os.environ["DAGSTER_HOME"] = previous


def run_steps(dagster_home: Path) -> tuple[float | None, list[Step]]:
    """Duration of the latest run and its steps, from the instance the CLI wrote to."""
    import dagster as dg

    with _dagster_home(dagster_home), dg.DagsterInstance.get() as instance:
        run = instance.get_runs(limit=1)[0]
        stats = instance.get_run_stats(run.run_id)
        steps = [
            Step(s.step_key, s.start_time, s.end_time)
            for s in instance.get_run_step_stats(run.run_id)
            if s.start_time and s.end_time
        ]
    run_s = stats.end_time - stats.start_time if stats.start_time and stats.end_time else None
    return run_s, sorted(steps, key=lambda s: s.start)


def stages(steps: list[Step], samples: list[tuple[float, int]]) -> dict[str, dict]:
    """Steps grouped by stage (mapped steps 'extract[shard_3]' under 'extract'), slowest first.

    busy_s sums the steps' durations (CPU-side cost); span_s is first start to last end
    (the stage's share of the wall time when its steps run in parallel); peak_pss_mb is the
    largest memory sample taken while one of its steps ran, to show which stage grows.
    """
    groups: dict[str, list[Step]] = {}
    for step in steps:
        groups.setdefault(step.key.split("[", 1)[0], []).append(step)
    table = {
        name: {
            "steps": len(group),
            "busy_s": round(sum(s.end - s.start for s in group), 2),
            "span_s": round(max(s.end for s in group) - min(s.start for s in group), 2),
            "peak_pss_mb": max(
                (round(kb / 1024) for at, kb in samples if any(s.start <= at <= s.end for s in group)), default=None
            ),  # None: no sample fell within its steps (shorter than the sampling interval)
        }
        for name, group in groups.items()
    }
    return dict(sorted(table.items(), key=lambda kv: -kv[1]["busy_s"]))


# ---------------------------------------------------------------- in-process measurements


def pdf_reading(paths: list[Path], repeat: int) -> dict:
    """read_document against raw pypdfium2 on the same files, alternating after one warm-up each."""
    pdf_speed.raw_pdfium(paths[:20])
    pdf_speed.read_all(paths[:20])
    raw_s = ours_s = 0.0
    pages = 0
    for _ in range(repeat):
        seconds, count = pdf_speed.timed(pdf_speed.raw_pdfium, paths)
        raw_s, pages = raw_s + seconds, pages + count
        ours_s += pdf_speed.timed(pdf_speed.read_all, paths)[0]
    return {
        "files": len(paths),
        "pages": pages // repeat,
        "passes": repeat,
        "raw_pages_per_s": round(pages / raw_s, 1),
        "ours_pages_per_s": round(pages / ours_s, 1),
        "ratio": round(ours_s / raw_s, 2),
    }


def ocr_reading(repeat: int = 3) -> dict:
    """OCR pages per second and the peak memory of an OCR read, in a fresh process (bench.ocr_speed)."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.ocr_speed", "--json", "--repeat", str(repeat)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {"error": (done.stderr or done.stdout).strip()[-500:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def extraction(paths: list[Path]) -> dict:
    """MB/s of read text through cleaning, then through context and facts, as stages.py runs them."""
    from pipelines.core import areas, cleaning, extraction, reading

    read = [reading.read_document(p) for p in paths]
    texts = [(r.text, r.file_type) for r in read if r.status == "ok"]
    megabytes = sum(len(text.encode()) for text, _ in texts) / 1e6
    gazetteer = areas.Gazetteer.load()

    start = time.perf_counter()
    cleaned = [cleaning.clean_text(text, file_type=file_type).simplified for text, file_type in texts]
    clean_s = time.perf_counter() - start
    start = time.perf_counter()
    facts = 0
    for text in cleaned:
        context = extraction.document_context(text, gazetteer=gazetteer)
        facts += len(extraction.extract_facts(text, context, gazetteer=gazetteer))
    extract_s = time.perf_counter() - start
    return {
        "documents": len(texts),
        "mb": round(megabytes, 2),
        "facts": facts,
        "clean_mb_per_s": round(megabytes / clean_s, 2),
        "extract_mb_per_s": round(megabytes / extract_s, 2),
        "clean_and_extract_mb_per_s": round(megabytes / (clean_s + extract_s), 2),
    }


# ---------------------------------------------------------------- targets and report


def targets(n_docs: int, full: Build, rebuild: Build, small: Build, pdf: dict) -> list[dict]:
    """PASS/MISS per target; the full-build budget scales with the corpus size.

    Builds are compared only when the code did not change between their starts (each build
    starts after the previous one ended): a rebuild after a code change redoes work, and two
    corpus sizes measured on different code say nothing about how memory scales.
    """
    budget = FULL_BUILD_S_PER_2000 * n_docs / 2000

    def target(name: str, value: float | None, limit: float, unit: str) -> dict:
        passed = None if value is None else value <= limit
        return {"name": name, "value": value, "limit": limit, "unit": unit, "pass": passed}

    share = round(rebuild.wall_s / full.wall_s, 3) if full.ok and rebuild.ok and full.code == rebuild.code else None
    both = full.ok and small.ok and small.code == full.code
    pss_growth = round(full.peak_pss_mb / small.peak_pss_mb, 2) if both else None
    rss_growth = round(full.peak_rss_mb / small.peak_rss_mb, 2) if both else None
    return [
        target(f"full build of {n_docs} documents", round(full.wall_s, 1) if full.ok else None, budget, "s"),
        target("no-change rebuild / full build", share, REBUILD_SHARE, ""),
        target("PDF read / raw pypdfium2", pdf["ratio"], PDF_READ_RATIO, "x"),
        target("peak memory, all processes (PSS), large / small", pss_growth, MEMORY_GROWTH, "x"),
        target("peak memory, largest process (RSS), large / small", rss_growth, MEMORY_GROWTH, "x"),
    ]


def report(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"envreports benchmark — {m['date']}",
        f"machine: {m['cores']} cores ({m['cpu']}), {m['ram_gb']} GB RAM, {m['platform']}",
        f"python {m['python']}, duckdb {m['duckdb']}, polars {m['polars']}, dagster {m['dagster']}, "
        f"executor {m['executor']}",
        f"1-minute load average: {m['load_before']} before, {m['load_after']} after the builds",
        "",
        "corpus (generation not counted in any figure):",
    ]
    for size, c in results["corpus"].items():
        lines.append(
            f"  {size:>5} docs: {c['n_txt']} txt + {c['n_pdf']} pdf ({c['pdf_pages']} pages, "
            f"{c['pdf_tables']} with tables), {c['bytes'] / 1e6:.1f} MB, generated in {c['generate_s']:.1f} s"
        )
    lines += ["", "builds (envreports build in a subprocess):"]
    for b in results["builds"].values():
        if b["exit_code"] != 0:
            lines.append(f"  {b['label']:<14} FAILED (exit {b['exit_code']}):")
            lines += [f"    {line}" for line in b["output"].splitlines()]
            continue
        lines += [
            f"  {b['label']:<14} {b['wall_s']:7.1f} s wall   {b['docs_per_s']:6.1f} docs/s   "
            f"{b['pdf_pages_per_s']:6.1f} PDF pages/s   Dagster run {b['run_s']} s, "
            f"outside it {b['outside_run_s']} s",
            f"  {'':<14} peak memory: {b['peak_pss_mb']:.0f} MB all processes (PSS), "
            f"{b['peak_rss_mb']:.0f} MB largest process (RSS); peak during {', '.join(b['peak_during']) or '?'}",
            *(f"  {'':<14} {line}" for line in b["output"].splitlines()[:2]),
        ]
    for b in (results["builds"]["full"], results["builds"]["rebuild"]):
        if b["stages"]:
            lines += ["", f"stages of {b['label']} (by busy time; span = first start to last end):"]
            for name, st in b["stages"].items():
                lines.append(
                    f"  {name:<42} {st['busy_s']:8.2f} s busy  {st['span_s']:8.2f} s span  {st['steps']:4d} steps"
                    f"  peak {st['peak_pss_mb'] or '—':>5} MB"
                )
    p, x = results["pdf_read"], results["extraction"]
    lines += [
        "",
        f"PDF reading ({p['files']} files, {p['pages']} pages, {p['passes']} passes):",
        f"  raw pypdfium2 {p['raw_pages_per_s']:.1f} pages/s, "
        f"read_document {p['ours_pages_per_s']:.1f} pages/s, ratio {p['ratio']:.2f}x",
        f"extraction ({x['documents']} documents, {x['mb']} MB of text, {x['facts']} raw facts):",
        f"  clean {x['clean_mb_per_s']} MB/s, context+facts {x['extract_mb_per_s']} MB/s,"
        f" both {x['clean_and_extract_mb_per_s']} MB/s",
        _ocr_line(results.get("ocr")),
        "",
        "targets:",
    ]
    for t in results["targets"]:
        verdict = {True: "PASS", False: "MISS", None: "n/a "}[t["pass"]]
        value = "—" if t["value"] is None else f"{t['value']}{t['unit']}"
        lines.append(f"  {verdict}  {t['name']:<52} {value:>8}  (target ≤ {t['limit']:g}{t['unit']})")
    lines += [f"WARNING: {w}" for w in results.get("warnings", [])]
    return "\n".join(lines)


def _ocr_line(o: dict | None) -> str:
    if not o or "error" in o:
        return f"OCR: not measured ({(o or {}).get('error', 'no result')})"
    return (
        f"OCR ({o['pages']} scanned pages): {o['pages_per_s']} pages/s, {o['cpu_s_per_page']} CPU s/page, "
        f"peak memory {o['peak_rss_mb']} MB (one process), models load in {o['model_load_s']} s"
    )


def _build_record(b: Build, manifest: dict) -> dict:
    def r(x: float | None) -> float | None:
        return None if x is None else round(x, 2)

    return asdict(b) | {
        "wall_s": r(b.wall_s),
        "peak_rss_mb": r(b.peak_rss_mb),
        "peak_pss_mb": r(b.peak_pss_mb),
        "run_s": r(b.run_s),
        "outside_run_s": r(b.outside_run_s),
        "steps": [[s.key, round(s.end - s.start, 3)] for s in b.steps],
        "stages": stages(b.steps, b.samples),
        "samples": [[round(at, 1), kb] for at, kb in b.samples],
        "docs_per_s": r(manifest["n_docs"] / b.wall_s),
        "pdf_pages_per_s": r(manifest["pdf_pages"] / b.wall_s),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000, help="documents in the main corpus (default 2000)")
    parser.add_argument(
        "--memory-docs", type=int, help="documents in the smaller corpus for the memory comparison (docs/4)"
    )
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "bench" / "out", help="results folder")
    parser.add_argument("--pdf-passes", type=int, default=3, help="timed passes of each PDF reader")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a build is killed")
    parser.add_argument("--keep", action="store_true", help="keep the corpora, warehouses and Dagster runs")
    args = parser.parse_args(argv)
    args.out = args.out.resolve()  # DAGSTER_HOME must be absolute
    small_docs = args.memory_docs or max(args.docs // 4, 1)
    if small_docs == args.docs:
        parser.error("--memory-docs must differ from --docs")

    large, small = Workspace(args.out / f"work-{args.docs}"), Workspace(args.out / f"work-{small_docs}")
    results: dict = {"machine": machine(), "corpus": {}, "builds": {}}
    manifests = {args.docs: prepare(large, args.docs), small_docs: prepare(small, small_docs)}
    results["corpus"] = {str(n): {k: v for k, v in m.items() if k != "files"} for n, m in manifests.items()}

    small_full = build(small, f"full-{small_docs}", full=True, timeout_s=args.timeout)
    full = build(large, f"full-{args.docs}", full=True, timeout_s=args.timeout)
    rebuild = build(large, f"rebuild-{args.docs}", full=False, timeout_s=args.timeout)
    results["machine"]["load_after"] = round(os.getloadavg()[0], 2)
    for key, b, n in (
        ("full", full, args.docs),
        ("rebuild", rebuild, args.docs),
        ("small", small_full, small_docs),
    ):
        results["builds"][key] = _build_record(b, manifests[n])

    paths = sorted(large.corpus.iterdir())
    results["pdf_read"] = pdf_reading([p for p in paths if p.suffix == ".pdf"], args.pdf_passes)
    results["ocr"] = ocr_reading()
    results["extraction"] = extraction(paths)
    results["targets"] = targets(args.docs, full, rebuild, small_full, results["pdf_read"])
    if len({small_full.code, full.code, rebuild.code, code_fingerprint()[:12]}) > 1:
        results["warnings"] = [
            "the pipeline code changed while the benchmark ran (fingerprints "
            f"{small_full.code}, {full.code}, {rebuild.code} at the builds' starts): comparisons across a "
            "change get no verdict; run the benchmark again on a quiet tree"
        ]

    (args.out / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    print(report(results))
    print(f"\nresults: {args.out / 'results.json'}")
    if not args.keep:
        for workspace in (large, small):
            shutil.rmtree(workspace.root, ignore_errors=True)
    return 0 if full.ok and rebuild.ok and small_full.ok else 1


if __name__ == "__main__":
    sys.exit(main())
