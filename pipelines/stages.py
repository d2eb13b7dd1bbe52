"""Per-document stage runs: core functions applied to the documents a cache lacks.

Kept free of Dagster so that a batch of documents can be processed the same way by an
asset, a mapped op in another process, a benchmark or a test.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import polars as pl

from pipelines.core import areas, catalogue, cleaning, extraction, ocr, reading, status
from pipelines.core.models import OK, TRANSIENT_STATUSES, CleanResult, Page
from pipelines.core.records import RAW_FACT_SCHEMA, as_row
from pipelines.store.code_versions import code_version, inputs
from pipelines.store.staging import StageCache, new_batch_id
from pipelines.worker import LimitHit, Limits, Worker

log = logging.getLogger(__name__)

DATA_DIR = Path(catalogue.__file__).resolve().parent.parent / "data"

# Each stage's version covers the modules it runs (found from its entry modules' imports), the
# data files they name, and this runner, which shapes every stage's rows.
_RUNNER = Path(__file__).resolve()
READ_INPUTS = [*inputs(reading.__name__, status.__name__), _RUNNER]
CLEAN_INPUTS = [*inputs(cleaning.__name__, status.__name__), _RUNNER]
EXTRACT_INPUTS = [*inputs(extraction.__name__, areas.__name__, status.__name__), _RUNNER]
READ_VERSION = code_version(READ_INPUTS)
CLEAN_VERSION = code_version(CLEAN_INPUTS)
EXTRACT_VERSION = code_version(EXTRACT_INPUTS)

_REMOVAL = pl.Struct({"start": pl.Int64, "end": pl.Int64, "reason": pl.String, "text": pl.String, "page": pl.Int32})
READ_SCHEMA = {
    "content_hash": pl.String,
    "status": pl.String,
    "error": pl.String,
    "file_type": pl.String,
    "encoding": pl.String,
    "n_pages": pl.Int32,
    "n_tables": pl.Int32,
    "n_chars": pl.Int64,
    "text": pl.String,
    "original": pl.String,
    "pages": pl.List(
        pl.Struct(
            {"number": pl.Int32, "start": pl.Int64, "end": pl.Int64, "method": pl.String, "confidence": pl.Float64}
        )
    ),
    "removals": pl.List(_REMOVAL),
    "read_method": pl.String,  # PDFs: 'text', 'ocr' or 'text+ocr'
    "page_methods": pl.List(pl.String),  # how each page was read, in page order
    "ocr_confidence": pl.Float64,  # mean OCR score of the OCR pages, per character
    "ocr_low_pages": pl.List(pl.Int32),  # OCR pages scored below ocr.LOW_CONFIDENCE
    "ocr_warning": pl.String,
}
CLEAN_SCHEMA = {
    "content_hash": pl.String,
    "status": pl.String,
    "clean_text": pl.String,
    "simplified_text": pl.String,
    "removals": pl.List(_REMOVAL),
    "segments": pl.List(pl.Struct({"clean_start": pl.Int64, "source_start": pl.Int64, "length": pl.Int64})),
    "error": pl.String,
}
CONTEXT_SCHEMA = {
    "content_hash": pl.String,
    "status": pl.String,
    "title": pl.String,
    "doc_date": pl.Date,
    "subject_year": pl.Int32,
    "area_name": pl.String,
    "area_key": pl.String,
    "source_type": pl.String,
    "plan": pl.String,
    "error": pl.String,
}


def read_one(path: Path, content_hash: str, max_bytes: int, root: Path | None = None) -> dict:
    """The read row of the file at `path`, opened below `root` and checked against the discovery hash."""
    result = reading.read_document(path, max_bytes=max_bytes, root=root, expected_hash=content_hash)
    low = [p.number for p in result.ocr_pages if p.confidence is not None and p.confidence < ocr.LOW_CONFIDENCE]
    return {
        "content_hash": content_hash,
        "status": result.status,
        "error": result.error,
        "file_type": result.file_type,
        "encoding": result.encoding,
        "n_pages": len(result.pages),
        "n_tables": result.n_tables,
        "n_chars": len(result.text),
        "text": result.text,
        "original": result.original,
        "pages": [asdict(p) for p in result.pages],
        "removals": [asdict(r) for r in result.removals],
        "read_method": result.read_method,
        "page_methods": [p.method for p in result.pages],
        "ocr_confidence": result.ocr_confidence,
        "ocr_low_pages": low,
        "ocr_warning": ocr.low_confidence_warning(low),
    }


def clean_one(read_row: dict) -> dict:
    result = cleaning.clean_text(read_row["text"], file_type=read_row["file_type"])
    clean_status, error = status.after_cleaning(result.text)
    return {
        "content_hash": read_row["content_hash"],
        "status": clean_status,
        "clean_text": result.text,
        "simplified_text": result.simplified,
        "removals": [asdict(r) for r in result.removals],
        "segments": [{"clean_start": c, "source_start": s, "length": n} for c, s, n in result.segments],
        "error": error,
    }


def _page_of(pages: list[Page], pos: int) -> int | None:
    for page in pages:
        if page.start <= pos < page.end:
            return page.number
    return pages[-1].number if pages and pos >= pages[-1].end else None


def extract_one(read_row: dict, clean_row: dict) -> tuple[list[dict], dict]:
    """Fact rows and the context row of one document; pages come from the read stage's spans."""
    gazetteer = areas.Gazetteer.load()
    text = clean_row["simplified_text"]
    headers = tuple(r["text"] for r in read_row.get("removals") or () if r["reason"] == "running_header")
    ctx = extraction.document_context(text, gazetteer=gazetteer, headers=headers)
    facts = extraction.extract_facts(text, ctx, gazetteer=gazetteer)
    clean = CleanResult(
        text=clean_row["clean_text"],
        simplified=text,
        segments=[(s["clean_start"], s["source_start"], s["length"]) for s in clean_row["segments"]],
    )
    pages = [Page(**p) for p in read_row["pages"]]
    rows = [
        {
            "content_hash": read_row["content_hash"],
            **as_row(fact),
            "page": _page_of(pages, clean.to_source(fact.start)) if pages else None,
        }
        for fact in facts
    ]
    context = {
        "content_hash": read_row["content_hash"],
        "status": OK,
        "title": ctx.title,
        "doc_date": ctx.doc_date,
        "subject_year": ctx.subject_year,
        "area_name": ctx.area.name if ctx.area else None,
        "area_key": ctx.area.adcode if ctx.area else None,
        "source_type": ctx.source_type,
        "plan": ctx.plan,
        "error": None,
    }
    return rows, context


def failed_read(content_hash: str, row_status: str, error: str) -> dict:
    """A read row for a file whose reading crashed or hit a limit, so it still gets a status and a reason."""
    row = {k: None for k in READ_SCHEMA} | {
        "pages": [],
        "removals": [],
        "text": "",
        "original": "",
        "page_methods": [],
        "ocr_low_pages": [],
        "n_pages": 0,
        "n_tables": 0,
    }
    return row | {"content_hash": content_hash, "status": row_status, "error": error}


def failed_clean(content_hash: str, row_status: str, error: str) -> dict:
    return {
        "content_hash": content_hash,
        "status": row_status,
        "clean_text": "",
        "simplified_text": "",
        "removals": [],
        "segments": [],
        "error": error,
    }


def failed_extract(content_hash: str, row_status: str, error: str) -> tuple[list[dict], dict]:
    return [], {k: None for k in CONTEXT_SCHEMA} | {"content_hash": content_hash, "status": row_status, "error": error}


_FAILED_ROW = {"read": failed_read, "clean": failed_clean, "extract": failed_extract}


def stopped_row(stage: str, content_hash: str, row_status: str, error: str) -> object:
    """The row a stage leaves when it crashed (status.crashed) or a per-document limit stopped it
    (status.limit_hit): no result, the status and the reason."""
    return _FAILED_ROW[stage](content_hash, row_status, error)


@dataclass(frozen=True)
class StageCaches:
    """The three per-document caches of one staging folder, at the current code versions.

    Each cache indexes its documents' `status` (the extract cache: the context part's), so the
    planner asks status.next_stage without reading a row."""

    read: StageCache
    clean: StageCache
    extract: StageCache

    @classmethod
    def at(cls, staging_dir: Path) -> StageCaches:
        return cls(
            # a reading depends on the OCR settings too: scans read with OCR off are read again with it on
            read=StageCache(
                staging_dir, "read", f"{READ_VERSION}-{ocr.OcrSettings.from_env().key()}", index_columns=("status",)
            ),
            clean=StageCache(staging_dir, "clean", CLEAN_VERSION, index_columns=("status",)),
            extract=StageCache(
                staging_dir, "extract", EXTRACT_VERSION, index_part="context", index_columns=("status",)
            ),
        )

    def status(self, stage: str, content_hash: str) -> str | None:
        """The status a stage left for this content at its current code version; None if it has not run
        or if it failed for the moment only (TRANSIENT_STATUSES: the file changed during the build)."""
        entry = getattr(self, stage).entry(content_hash)
        return None if entry is None or entry["status"] in TRANSIENT_STATUSES else entry["status"]

    def stages_to_run(self, content_hash: str) -> tuple[str, ...]:
        """The stages still to run on this content, in order (status.next_stage and those after it);
        later ones run only if earlier ones end ok."""
        first = status.next_stage(lambda stage: self.status(stage, content_hash))
        return status.STAGES[status.STAGES.index(first) :] if first else ()

    def needs_work(self, content_hash: str) -> bool:
        """True when some stage has still to run on this content at its current code version."""
        return bool(self.stages_to_run(content_hash))

    def changed(self, content_hash: str) -> bool:
        """The read stage found this content changed during this build (reported now, read again next build)."""
        entry = self.read.entry(content_hash)
        return entry is not None and entry["status"] in TRANSIENT_STATUSES

    def verify(self, hashes: Sequence[str]) -> list[Path]:
        """Removes damaged cache files of these documents (their documents then need work again)."""
        return [file for cache in (self.read, self.clean, self.extract) for file in cache.verify(hashes)]


def readable_documents(manifest: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct content that can be read (duplicates and skipped files are not)."""
    return (
        manifest.filter(pl.col("status") == OK)
        .select("source_file", "content_hash")
        .unique("content_hash", keep="first")
        .sort("content_hash")
    )


def pending_documents(manifest: pl.DataFrame, caches: StageCaches) -> list[tuple[str, str]]:
    """(source_file, content_hash) of every distinct content some stage has still to run on."""
    return [row for row in readable_documents(manifest).iter_rows() if caches.needs_work(row[1])]


# --- running the stages ------------------------------------------------------------------------

BATCH_DOCS = 100  # documents per cache batch: the warehouse loads a batch's texts in one statement
BATCH_CHARS = 8_000_000  # or fewer, when their texts are long


@dataclass(frozen=True)
class Job:
    """One document for the worker: what to run, and the cached rows the first stage needs."""

    path: str
    content_hash: str
    max_bytes: int
    stages: tuple[str, ...]
    root: str | None = None
    read_row: dict | None = None
    clean_row: dict | None = None


def run_job(job: Job, emit: Callable[[str, object], None]) -> None:
    """The stages of one document (in the worker process): each result is emitted as it is
    made; a crash becomes that stage's `failed` row (status.crashed), never an exception."""
    read_row, clean_row = job.read_row, job.clean_row
    if "read" in job.stages:
        try:
            read_row = read_one(Path(job.path), job.content_hash, job.max_bytes, Path(job.root) if job.root else None)
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001 - a reader bug on one file must not stop the run
            read_row = failed_read(job.content_hash, *status.crashed("read", exc))
        emit("read", read_row)
    if read_row is None or read_row["status"] != OK:  # no later stage runs (status.next_stage)
        return
    if "clean" in job.stages:
        try:
            clean_row = clean_one(read_row)
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001
            clean_row = failed_clean(job.content_hash, *status.crashed("clean", exc))
        emit("clean", clean_row)
    if clean_row is None or clean_row["status"] != OK or "extract" not in job.stages:
        return
    try:
        extracted = extract_one(read_row, clean_row)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001
        extracted = failed_extract(job.content_hash, *status.crashed("extract", exc))
    emit("extract", extracted)


def warm_up() -> None:
    """What every document's extraction shares, built once per worker before its memory limit
    applies: the gazetteer, and the unit patterns (read with polars, whose thread pool and
    allocator reserve address space the limit would otherwise refuse)."""
    gazetteer, sample = areas.Gazetteer.load(), "2024年全市空气质量优良天数为300天。"
    extraction.extract_facts(sample, extraction.document_context(sample, gazetteer=gazetteer), gazetteer=gazetteer)


@dataclass(frozen=True)
class DocumentRun:
    """What one document cost: the stages that ran, the time, and a limit it hit."""

    content_hash: str
    ran: tuple[str, ...]
    seconds: float
    limit: str | None = None


class _Batches:
    """Rows of the documents processed since the last flush, written as one batch per stage."""

    def __init__(self, caches: StageCaches):
        self.caches = caches
        self._reset()

    def _reset(self) -> None:
        self.rows: dict[str, list] = {"read": [], "clean": [], "facts": [], "context": []}
        self.docs = self.chars = 0

    def add(self, stage: str, value: object) -> None:
        if stage == "extract":
            facts, context = value
            self.rows["facts"].extend(facts)
            self.rows["context"].append(context)
            return
        self.rows[stage].append(value)
        if stage == "read":
            self.chars += len(value["text"]) + len(value["original"])

    def document_done(self) -> None:
        self.docs += 1
        if self.docs >= BATCH_DOCS or self.chars >= BATCH_CHARS:
            self.flush()

    def flush(self) -> None:
        batch = new_batch_id()
        if self.rows["read"]:
            self.caches.read.write_batch({"main": pl.DataFrame(self.rows["read"], schema=READ_SCHEMA)}, batch)
        if self.rows["clean"]:
            self.caches.clean.write_batch({"main": pl.DataFrame(self.rows["clean"], schema=CLEAN_SCHEMA)}, batch)
        if self.rows["context"]:
            facts = pl.DataFrame(self.rows["facts"], schema=RAW_FACT_SCHEMA)
            context = pl.DataFrame(self.rows["context"], schema=CONTEXT_SCHEMA)
            self.caches.extract.write_batch({"facts": facts, "context": context}, batch)
        self._reset()


_EXTRACT_READ_COLUMNS = ["content_hash", "status", "pages", "removals"]  # what extract_one takes from the read row


def _jobs(
    caches: StageCaches, plans: list[tuple[Path, str, tuple[str, ...]]], max_bytes: int, root: Path | None
) -> Iterator[Job]:
    """Jobs with the cached rows their first stage needs, loaded batch file by batch file so
    each file is read once (documents are taken in the order of the files they come from)."""
    base = str(root) if root is not None else None
    fresh = [p for p in plans if p[2][0] == "read"]
    yield from (Job(str(path), h, max_bytes, stages, base) for path, h, stages in fresh)
    for first, cache in (("clean", caches.read), ("extract", caches.clean)):
        todo = sorted((cache.entry(h)["batch"], h, path, stages) for path, h, stages in plans if stages[0] == first)
        for _, group in itertools.groupby(todo, key=lambda p: p[0]):
            group = [(path, h, stages) for _, h, path, stages in group]
            hashes = [h for _, h, _ in group]
            try:
                if first == "clean":
                    reads, cleans = caches.read.rows(hashes), {}
                else:
                    reads = caches.read.rows(hashes, columns=_EXTRACT_READ_COLUMNS)
                    cleans = caches.clean.rows(hashes)
            except Exception as exc:  # noqa: BLE001 - a damaged cache file costs a recomputation, not the run
                log.warning("cached rows of %d documents cannot be read (%s); computing them again", len(hashes), exc)
                yield from (Job(str(path), h, max_bytes, status.STAGES, base) for path, h, _ in group)
                continue
            for path, h, stages in group:
                yield Job(str(path), h, max_bytes, stages, base, read_row=reads[h], clean_row=cleans.get(h))


def process_documents(
    documents: Sequence[tuple[Path, str]],
    caches: StageCaches,
    max_bytes: int,
    limits: Limits,
    root: Path | None = None,
    task: Callable[[Job, Callable[[str, object], None]], None] = run_job,
) -> list[DocumentRun]:
    """Read, clean and extract documents, skipping what the caches already hold.

    Each stage's result is cached on its own, so a change to the extractor re-runs only
    extraction; a crash or a limit hit in any stage becomes that stage's status, and so the
    document's (status.document_status), never the run's. Files are opened below `root` and
    checked against their discovery hash (read_one). The stages run in one worker process under
    `limits`, reused from document to document; `task` is what the worker runs for each
    document (run_job; a test may wrap it).
    """
    plans = [(path, h, stages) for path, h in documents if (stages := caches.stages_to_run(h))]
    runs = []
    batches = _Batches(caches)
    try:
        with Worker(task, limits, warm_up) as worker:
            for job in _jobs(caches, plans, max_bytes, root):
                start, ran, limit = time.perf_counter(), [], None
                for stage, value in worker.run(job, job.stages):
                    if isinstance(value, LimitHit):
                        limit = value.status
                        value = stopped_row(stage, job.content_hash, *status.limit_hit(value.status, value.error))
                    if stage == "clean" and "read" not in job.stages:
                        batches.add("read", job.read_row)  # beside its clean row: the warehouse reads them together
                    batches.add(stage, value)
                    ran.append(stage)
                batches.document_done()
                runs.append(DocumentRun(job.content_hash, tuple(ran), time.perf_counter() - start, limit))
    finally:
        batches.flush()  # what was done is kept, even when the shard stops early
    return runs


def process_document(
    path: Path,
    content_hash: str,
    caches: StageCaches,
    max_bytes: int,
    limits: Limits | None = None,
    root: Path | None = None,
) -> dict[str, int]:
    """One document through process_documents; the number of times each stage ran."""
    runs = process_documents([(path, content_hash)], caches, max_bytes, limits or Limits.from_env(), root)
    return {stage: sum(stage in run.ran for run in runs) for stage in status.STAGES}
