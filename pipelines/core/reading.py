"""The read stage: one file in, one ReadResult out, whatever the file holds.

The type is sniffed from the bytes, not the name: scraped files are often misnamed
(a web page saved as .pdf, a PDF saved without extension).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path, PurePath

from pipelines.core import pdfs, textfiles
from pipelines.core.models import CHANGED, EMPTY, OK, TOO_LARGE, UNREADABLE, UNSUPPORTED, ReadResult
from pipelines.core.unwrap import unwrap

_HEAD_BYTES = 1024  # a PDF header may sit anywhere in the first kilobyte
_CHUNK = 1 << 20
DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC  # a folder, not through a link (discovery too)
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
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


def read_document(
    path: Path,
    *,
    max_bytes: int = 50_000_000,
    root: Path | None = None,
    expected_hash: str | None = None,
) -> ReadResult:
    """Reads a text file or a PDF; never raises, except MemoryError: past the per-document
    memory limit the worker stops the document with a status of its own (too_complex).

    The file is opened once, without following any link below `root` (default: its own
    folder), and every later step works on the bytes read then. When those bytes do not hash
    to `expected_hash` (discovery's hash) the file changed in between: it gets the transient
    status CHANGED, so that no cache keeps a result under a hash it does not belong to.
    """
    try:
        return _read(Path(path), max_bytes, root, expected_hash)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the pipeline: report it on the document
        return ReadResult(status=UNREADABLE, error=f"unexpected {type(exc).__name__}: {exc}", file_type="unknown")


def open_raw(root: Path, rel: str | PurePath) -> int:
    """A read-only descriptor of the regular file `rel` under `root`, never reached through a link out.

    Every folder on the way is opened from the one before with O_NOFOLLOW, so a file or folder
    swapped for a link (to /etc, say) fails instead of leaving `root`. A link inside the folder
    (which discovery accepted) is resolved and must land inside `root`; the file it names is then
    opened the same way. O_NONBLOCK lets a FIFO put in a file's place open at once, and fstat
    refuses anything but a regular file. Raises OSError.
    """
    try:
        return _open_beneath(root, PurePath(rel))
    except OSError as exc:
        if exc.errno not in (errno.ELOOP, errno.ENOTDIR):
            raise
    real_root = root.resolve()
    try:
        target = (root / rel).resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a link loop this way
        raise OSError(errno.ELOOP, "a symbolic link loop") from None
    if not target.is_relative_to(real_root):
        raise OSError(errno.EXDEV, "a symbolic link to outside the raw folder, which is not followed")
    return _open_beneath(real_root, target.relative_to(real_root))


def _open_beneath(root: Path, rel: PurePath) -> int:
    parts = rel.parts
    if not parts or any(part in ("..", "/") for part in parts):
        raise OSError(errno.EINVAL, f"not a path inside the raw folder: {rel}")
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in parts[:-1]:
            inner = os.open(part, DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = inner
        file_fd = os.open(parts[-1], _FILE_FLAGS, dir_fd=fd)
    finally:
        os.close(fd)
    if not stat.S_ISREG(os.fstat(file_fd).st_mode):
        os.close(file_fd)
        raise OSError(errno.EINVAL, "not a regular file (a FIFO, device, socket or folder)")
    return file_fd


def read_hashed(fd: int, max_bytes: int, *, hash_all: bool = True) -> tuple[bytes, int, str | None]:
    """(bytes, size, sha256) of an open file, read in chunks from where it stands.

    Of a file over `max_bytes` only the first kilobyte is returned (enough to sniff the type);
    the rest is hashed and dropped, or, without `hash_all`, not read at all (the hash is None).
    """
    size = os.fstat(fd).st_size
    if not hash_all and size > max_bytes:
        return os.read(fd, _HEAD_BYTES), size, None
    digest = hashlib.sha256()
    kept: list[bytes] = []
    n = 0
    while chunk := os.read(fd, _CHUNK):
        digest.update(chunk)
        n += len(chunk)
        if n <= max_bytes or not kept:
            kept.append(chunk)
    data = b"".join(kept)
    return (data if n <= max_bytes else data[:_HEAD_BYTES]), n, digest.hexdigest()


def _read(path: Path, max_bytes: int, root: Path | None, expected_hash: str | None) -> ReadResult:
    root = path.parent if root is None else root
    try:
        fd = open_raw(root, path.relative_to(root))
        try:
            data, size, digest = read_hashed(fd, max_bytes, hash_all=expected_hash is not None)
        finally:
            os.close(fd)
    except OSError as exc:
        return _changed(f"cannot open the file: {exc.strerror or exc}")
    if expected_hash is not None and digest != expected_hash:
        return _changed("its content is not what discovery hashed: the file changed during the build")
    head = data[:_HEAD_BYTES]
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
        return pdfs.read_pdf(data)
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return ReadResult(status=UNSUPPORTED, error=f"the file is {name}", file_type="unknown")
    return _read_text(data)


def _changed(reason: str) -> ReadResult:
    """A transient failure: says nothing about the content, so it is reported but never cached."""
    return ReadResult(status=CHANGED, error=f"{reason}; it is read again on the next build", file_type="unknown")


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
