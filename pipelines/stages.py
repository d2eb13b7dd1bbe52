"""Per-document stage runs: core functions applied to the documents a cache lacks.

Kept free of Dagster so that a batch of documents can be processed the same way by an
asset, a mapped op in another process, a benchmark or a test.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import polars as pl

from pipelines.core import areas, catalogue, cleaning, extraction, ocr, reading, status
from pipelines.core.models import OK, TRANSIENT_STATUSES, CleanResult, Page
from pipelines.core.records import RAW_FACT_SCHEMA, as_row
from pipelines.store.code_versions import code_version, inputs
from pipelines.store.staging import StageCache

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


def read_one(path: Path, content_hash: str, max_bytes: int, root: Path | None = None) -> pl.DataFrame:
    """The read row of the file at `path`, opened below `root` and checked against the discovery hash."""
    result = reading.read_document(path, max_bytes=max_bytes, root=root, expected_hash=content_hash)
    low = [p.number for p in result.ocr_pages if p.confidence is not None and p.confidence < ocr.LOW_CONFIDENCE]
    return pl.DataFrame(
        [
            {
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
        ],
        schema=READ_SCHEMA,
    )


def clean_one(read_row: dict) -> pl.DataFrame:
    result = cleaning.clean_text(read_row["text"], file_type=read_row["file_type"])
    clean_status, error = status.after_cleaning(result.text)
    return pl.DataFrame(
        [
            {
                "content_hash": read_row["content_hash"],
                "status": clean_status,
                "clean_text": result.text,
                "simplified_text": result.simplified,
                "removals": [asdict(r) for r in result.removals],
                "segments": [{"clean_start": c, "source_start": s, "length": n} for c, s, n in result.segments],
                "error": error,
            }
        ],
        schema=CLEAN_SCHEMA,
    )


def _page_of(pages: list[Page], pos: int) -> int | None:
    for page in pages:
        if page.start <= pos < page.end:
            return page.number
    return pages[-1].number if pages and pos >= pages[-1].end else None


def extract_one(read_row: dict, clean_row: dict) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Facts and document context of one document; pages come from the read stage's spans."""
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
    return pl.DataFrame(rows, schema=RAW_FACT_SCHEMA), pl.DataFrame([context], schema=CONTEXT_SCHEMA)


def _failed(stage: str, exc: Exception) -> dict[str, str]:
    crash_status, error = status.crashed(stage, exc)
    return {"status": crash_status, "error": error}


def failed_read(content_hash: str, exc: Exception) -> pl.DataFrame:
    """A read row for a file whose reading crashed, so the file still gets a status and a reason."""
    row = {k: None for k in READ_SCHEMA} | {
        "pages": [],
        "removals": [],
        "text": "",
        "original": "",
        "page_methods": [],
        "ocr_low_pages": [],
    }
    row |= {"content_hash": content_hash, **_failed("read", exc)}
    return pl.DataFrame([row], schema=READ_SCHEMA)


def failed_clean(content_hash: str, exc: Exception) -> pl.DataFrame:
    row = {
        "content_hash": content_hash,
        "clean_text": "",
        "simplified_text": "",
        "removals": [],
        "segments": [],
    }
    return pl.DataFrame([row | _failed("clean", exc)], schema=CLEAN_SCHEMA)


def failed_extract(content_hash: str, exc: Exception) -> tuple[pl.DataFrame, pl.DataFrame]:
    context = {k: None for k in CONTEXT_SCHEMA} | {"content_hash": content_hash, **_failed("extract", exc)}
    return pl.DataFrame(schema=RAW_FACT_SCHEMA), pl.DataFrame([context], schema=CONTEXT_SCHEMA)


@dataclass(frozen=True)
class StageCaches:
    """The three per-document caches of one staging folder, at the current code versions."""

    read: StageCache
    clean: StageCache
    extract: StageCache

    @classmethod
    def at(cls, staging_dir: Path) -> StageCaches:
        return cls(
            # a reading depends on the OCR settings too: scans read with OCR off are read again with it on
            read=StageCache(staging_dir, "read", f"{READ_VERSION}-{ocr.OcrSettings.from_env().key()}"),
            clean=StageCache(staging_dir, "clean", CLEAN_VERSION),
            extract=StageCache(staging_dir, "extract", EXTRACT_VERSION),
        )

    def status(self, stage: str, content_hash: str) -> str | None:
        """The status a stage left for this content at its current code version; None if it has not run
        or if it failed for the moment only (TRANSIENT_STATUSES: the file changed during the build)."""
        cache: StageCache = getattr(self, stage)
        path = cache.path(content_hash, "context" if stage == "extract" else "main")
        if not path.exists():
            return None
        found = pl.read_parquet(path, columns=["status"])["status"][0]
        return None if found in TRANSIENT_STATUSES else found  # a failure of the moment is no result

    def needs_work(self, content_hash: str) -> bool:
        """True when some stage has still to run on this content at its current code version."""
        if self.extract.path(content_hash, "context").exists():
            return False  # the last stage ran
        return status.next_stage(lambda stage: self.status(stage, content_hash)) is not None


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


def process_document(
    path: Path, content_hash: str, caches: StageCaches, max_bytes: int, root: Path | None = None
) -> dict[str, int]:
    """Read, clean and extract one document, skipping what the caches already hold.

    Each stage's result is cached on its own, so a change to the extractor re-runs only
    extraction; a crash in any stage becomes that document's status, never the run's.
    """
    done = {"read": 0, "clean": 0, "extract": 0}
    read_row = caches.read.read(content_hash).row(0, named=True) if caches.read.path(content_hash).exists() else None
    if read_row is None or read_row["status"] in TRANSIENT_STATUSES:  # kept for this build's report only
        try:
            frame = read_one(path, content_hash, max_bytes, root)
        except Exception as exc:  # noqa: BLE001 - a reader bug on one file must not stop the run
            frame = failed_read(content_hash, exc)
        caches.read.write(content_hash, frame)
        read_row, done["read"] = frame.row(0, named=True), 1
    if read_row["status"] != OK:  # no later stage runs (status.next_stage)
        return done
    if caches.clean.path(content_hash).exists():
        clean_row = caches.clean.read(content_hash).row(0, named=True)
    else:
        try:
            frame = clean_one(read_row)
        except Exception as exc:  # noqa: BLE001
            frame = failed_clean(content_hash, exc)
        caches.clean.write(content_hash, frame)
        clean_row, done["clean"] = frame.row(0, named=True), 1
    if clean_row["status"] != OK or caches.extract.path(content_hash, "context").exists():
        return done
    try:
        facts, context = extract_one(read_row, clean_row)
    except Exception as exc:  # noqa: BLE001
        facts, context = failed_extract(content_hash, exc)
    caches.extract.write(content_hash, facts, part="facts")
    caches.extract.write(content_hash, context, part="context")
    done["extract"] = 1
    return done
