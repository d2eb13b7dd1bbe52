"""The read stage: one file in, one ReadResult out, whatever the file holds.

The type is sniffed from the bytes, not the name: scraped files are often misnamed
(a web page saved as .pdf, a PDF saved without extension).
"""

from __future__ import annotations

from pathlib import Path

from pipelines.core import pdfs, textfiles
from pipelines.core.models import EMPTY, OK, TOO_LARGE, UNREADABLE, UNSUPPORTED, ReadResult
from pipelines.core.unwrap import unwrap

_HEAD_BYTES = 1024  # a PDF header may sit anywhere in the first kilobyte
_MAGIC = (  # binary formats that are documents, but not ones this pipeline reads
    (b"PK\x03\x04", "a ZIP archive (e.g. .docx, .xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 file (e.g. .doc, .xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"Rar!", "a RAR archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)


def read_document(path: Path, *, max_bytes: int = 50_000_000) -> ReadResult:
    """Reads a text file or a PDF; never raises, except MemoryError: past the per-document
    memory limit the worker stops the document with a status of its own (too_complex)."""
    try:
        return _read(Path(path), max_bytes)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the pipeline: report it on the document
        return ReadResult(status=UNREADABLE, error=f"unexpected {type(exc).__name__}: {exc}", file_type="unknown")


def _read(path: Path, max_bytes: int) -> ReadResult:
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(_HEAD_BYTES)
    except OSError as exc:
        return ReadResult(status=UNREADABLE, error=f"cannot open the file: {exc.strerror}", file_type="unknown")
    file_type = _sniff(head)
    if size == 0:
        return ReadResult(status=EMPTY, error="the file is empty (0 bytes)", file_type="unknown")
    if size > max_bytes:
        return ReadResult(
            status=TOO_LARGE,
            error=f"the file has {size:,} bytes, over the limit of {max_bytes:,}",
            file_type=file_type,
        )
    if file_type == "pdf":
        return pdfs.read_pdf(path)
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return ReadResult(status=UNSUPPORTED, error=f"the file is {name}", file_type="unknown")
    return _read_text(path.read_bytes())


def _sniff(head: bytes) -> str:
    return "pdf" if b"%PDF-" in head else "txt"


def _read_text(data: bytes) -> ReadResult:
    decoded = textfiles.decode(data)
    if decoded is None:
        return ReadResult(status=UNREADABLE, error="binary data: not text in any known encoding", file_type="unknown")
    if textfiles.is_blank(decoded.text):
        return ReadResult(
            status=EMPTY,
            error="the file holds only white space",
            original=decoded.text,
            encoding=decoded.encoding,
        )
    return ReadResult(
        status=OK,
        text=unwrap(textfiles.fold(decoded.text)),
        original=decoded.text,
        encoding=decoded.encoding,
    )
