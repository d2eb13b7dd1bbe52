"""A document's status: one rule, used by the stage runner, the cache planner, the validation
checks and the warehouse.

Every stage (read, clean, extract) leaves one row per document with a `status` and an
`error`: the reader says why a file could not be read, the cleaner says `no_content` when
nothing but page noise was left, a stage that crashed says `failed` with the exception, and a
stage that a per-document limit stopped (pipelines/worker.py) says `timed_out` or `too_complex`.
A stage runs only after the ones before it ended `ok`; the document's status is that of the
first stage that did not end `ok` (discovery's status comes first: duplicates, skipped files).
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from pipelines.core.models import FAILED, NO_CONTENT, OK, TIMED_OUT, TOO_COMPLEX

STAGES = ("read", "clean", "extract")
FOUND = "found"  # discovery: the manifest's own status (duplicate, skipped, too_large …)

LIMIT_STATUSES = (TIMED_OUT, TOO_COMPLEX)  # a per-document limit stopped a stage: time, memory

NO_CONTENT_ERROR = (
    "nothing is left after removing page noise (navigation, share bars, 'page not found' text): "
    "the page has no content to extract from"
)


def after_cleaning(clean_text: str) -> tuple[str, str | None]:
    """The clean stage's status: a text with no letter, digit or character left once the noise is
    gone (blank, or only punctuation and bars) has no content."""
    return (OK, None) if any(ch.isalnum() for ch in clean_text) else (NO_CONTENT, NO_CONTENT_ERROR)


def crashed(stage: str, exc: BaseException) -> tuple[str, str]:
    """The status of a document on which `stage` raised: only this document fails, and says why."""
    return FAILED, f"internal error in the {stage} stage: {type(exc).__name__}: {exc}"


def limit_hit(limit_status: str, reason: str) -> tuple[str, str]:
    """The status of a document whose stage was stopped from outside (pipelines/worker.py): the
    limit it hit (LIMIT_STATUSES), or `failed` when its process died of anything else. It is that
    stage's status, so `document_status` reports it like any other stage's; `reason` names the stage."""
    return (limit_status if limit_status in LIMIT_STATUSES else FAILED), reason


def next_stage(status_of: Callable[[str], str | None]) -> str | None:
    """The stage still to run on a document, given the status each stage left (None: not run).

    None when every stage has run or one ended the document; `document_status` below applies
    the same order, reading a stage that has not run as failed.
    """
    for stage in STAGES:
        status = status_of(stage)
        if status is None:
            return stage
        if status != OK:
            return None
    return None


def no_result_error(stage: str) -> str:
    return f"the {stage} stage left no result for this document"


def document_status() -> tuple[pl.Expr, pl.Expr]:
    """(status, error) expressions over `found_status`, `found_error` and `<stage>_status`,
    `<stage>_error` for each stage (null where the stage left no row).

    The first of discovery and the stages that did not end ok gives the status and the error;
    a stage with no row after stages that ended ok is `failed`.
    """
    status: pl.Expr = pl.lit(OK)
    error: pl.Expr = pl.lit(None, pl.String)
    for stage in reversed((FOUND, *STAGES)):
        stage_status, stage_error = pl.col(f"{stage}_status"), pl.col(f"{stage}_error")
        missing, stopped = stage_status.is_null(), stage_status != OK
        status = pl.when(missing).then(pl.lit(FAILED)).when(stopped).then(stage_status).otherwise(status)
        error = pl.when(missing).then(pl.lit(no_result_error(stage))).when(stopped).then(stage_error).otherwise(error)
    return status.alias("status"), error.alias("error")


def with_document_status(
    documents: pl.DataFrame, reads: pl.DataFrame, cleans: pl.DataFrame, contexts: pl.DataFrame
) -> pl.DataFrame:
    """`documents` (the manifest, duplicates marked) with `status` and `error` replaced by the
    document's status; each stage frame gives `content_hash`, `status` and `error` per document."""

    def stage(frame: pl.DataFrame, name: str) -> pl.DataFrame:
        return frame.select(
            "content_hash", pl.col("status").alias(f"{name}_status"), pl.col("error").alias(f"{name}_error")
        ).unique("content_hash", keep="first")

    frame = documents.rename({"status": f"{FOUND}_status", "error": f"{FOUND}_error"})
    for name, rows in zip(STAGES, (reads, cleans, contexts), strict=True):
        frame = frame.join(stage(rows, name), on="content_hash", how="left", maintain_order="left")
    helpers = [f"{name}_{part}" for name in (FOUND, *STAGES) for part in ("status", "error")]
    return frame.with_columns(*document_status()).drop(helpers)
