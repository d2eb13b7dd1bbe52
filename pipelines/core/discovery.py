"""Find the documents in the raw folder and fingerprint their content.

Content hashes, not names or mtimes, decide what work a build needs: the same bytes under
two names are read once, and an edited file is re-read even if its mtime lies.

Every name below the raw folder gets a row, also when it is not read: hidden files and
folders, links that leave the folder, loop or dangle, file names that are not UTF-8,
folders too deep to search, hard links with names outside the folder. Only the pipeline's
own outputs (a warehouse, its staging, report and Data Docs placed inside the raw folder)
get none: they are not input, and would grow with every build.
"""

from __future__ import annotations

import errno
import os
import stat
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

import polars as pl

from pipelines.core.models import OK, SKIPPED
from pipelines.core.reading import DIR_FLAGS, open_raw, read_hashed

MAX_DEPTH = 64  # folders below this many levels are reported, not searched
HIDDEN_FILE = "hidden file: names starting with '.' are not read"
HIDDEN_FOLDER = "hidden folder: names starting with '.' are not searched"
NOT_REGULAR = "not a regular file (a FIFO, socket or device)"
LINK_OUTSIDE = "symbolic link to a file outside the raw folder: not followed"
LINK_LOOP = "symbolic link loop: not followed"
LINK_TO_FOLDER = "symbolic link to a folder: links to folders are not followed"

MANIFEST_SCHEMA = {
    "source_file": pl.String,
    "content_hash": pl.String,
    "size_bytes": pl.Int64,
    "extension": pl.String,
    "status": pl.String,
    "error": pl.String,
}


@dataclass(frozen=True)
class Entry:
    """One name below the raw folder, as the walk found it."""

    rel: str  # '/'-joined path from the raw folder, as the OS gives it (bytes that are not UTF-8 as surrogates)
    stat: os.stat_result | None  # lstat: the name itself, never a link's target
    skip: str | None = None  # why it is not read, when the walk alone can tell


@dataclass(frozen=True)
class _Outputs:
    """The pipeline's own files and folders inside the raw folder, as paths relative to it."""

    folders: frozenset[tuple[str, ...]]
    files: frozenset[tuple[tuple[str, ...], str]]  # (folder, name): the warehouse file

    def covers(self, parts: tuple[str, ...]) -> bool:
        """An output folder, or an output file or a file named after it (its WAL, its temporary copies)."""
        if parts in self.folders:
            return True
        folder, name = parts[:-1], parts[-1]
        return any(folder == f and (name == n or name.startswith((f"{n}.", f".{n}"))) for f, n in self.files)


def outputs_inside(raw_dir: Path, outputs: Iterable[Path]) -> list[Path]:
    """Those of the pipeline's outputs that lie inside the raw folder (which deserves a warning)."""
    root = raw_dir.resolve()
    return [p for p in outputs if p.resolve() != root and p.resolve().is_relative_to(root)]


def _outputs(raw_dir: Path, outputs: Iterable[Path]) -> _Outputs:
    root = raw_dir.resolve()
    folders, files = set(), set()
    for path in outputs_inside(raw_dir, outputs):
        parts = path.resolve().relative_to(root).parts
        if path.is_dir():
            folders.add(parts)
        else:
            files.add((parts[:-1], parts[-1]))
    return _Outputs(frozenset(folders), frozenset(files))


def walk(raw_dir: Path, outputs: Iterable[Path] = ()) -> Iterator[Entry]:
    """Every name below raw_dir, without recursion and without following links.

    Each folder is opened from its parent's descriptor, so neither Python's recursion limit
    nor PATH_MAX bounds the walk; MAX_DEPTH does, and keeps the open descriptors few. Hidden
    folders, folders deeper than MAX_DEPTH and folders that cannot be listed are one entry
    each, with the reason; the pipeline's own outputs are left out.
    """
    skip_outputs = _outputs(raw_dir, outputs)
    root_fd = os.open(raw_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    stack = [(root_fd, (), iter(sorted(os.listdir(root_fd))))]
    try:
        while stack:
            fd, folder, names = stack[-1]
            name = next(names, None)
            if name is None:
                os.close(fd)
                stack.pop()
                continue
            parts = (*folder, name)
            if skip_outputs.covers(parts):
                continue
            rel = "/".join(parts)
            try:
                info = os.stat(name, dir_fd=fd, follow_symlinks=False)
            except OSError as exc:
                yield Entry(rel, None, f"cannot examine the file: {exc.strerror or exc}")
                continue
            if not stat.S_ISDIR(info.st_mode):
                yield Entry(rel, info, HIDDEN_FILE if name.startswith(".") else None)
            elif name.startswith("."):
                yield Entry(rel, info, HIDDEN_FOLDER)
            elif len(parts) > MAX_DEPTH:
                yield Entry(rel, info, f"folder nested deeper than {MAX_DEPTH} levels: not searched")
            else:
                try:
                    child = os.open(name, DIR_FLAGS, dir_fd=fd)
                except OSError as exc:
                    yield Entry(rel, info, f"cannot open the folder: {exc.strerror or exc}")
                    continue
                try:
                    listing = sorted(os.listdir(child))
                except OSError as exc:
                    os.close(child)
                    yield Entry(rel, info, f"cannot list the folder: {exc.strerror or exc}")
                    continue
                stack.append((child, parts, iter(listing)))
    finally:
        for fd, _, _ in stack:
            os.close(fd)


def content_hash(path: Path) -> str:
    """sha256 of the file, streamed so that huge files never sit in memory."""
    fd = open_raw(path.parent, path.name)
    try:
        return read_hashed(fd, 0)[2]
    finally:
        os.close(fd)


def discover(raw_dir: Path, outputs: Iterable[Path] = ()) -> pl.DataFrame:
    """One row per name under raw_dir, sorted by path; whatever is not read gets a status, not a read.

    `outputs` are the pipeline's own paths (warehouse file, staging, report, Data Docs): inside
    the raw folder they are left out. A file with several hard links is read only when all its
    names are in the folder (names in hidden folders count as outside): otherwise a link could
    bring in a file from anywhere on the disk.
    """
    root = raw_dir.resolve()
    rows: list[dict] = []
    names_inside: Counter[tuple[int, int]] = Counter()
    hashed: list[tuple[dict, os.stat_result]] = []  # rows read, with the fstat of the file read
    for entry in walk(raw_dir, outputs):
        row = {
            "source_file": printable(entry.rel),
            "content_hash": None,
            "size_bytes": None,
            "extension": printable(PurePath(entry.rel).suffix.lower().lstrip(".")),
            "status": OK,
            "error": None,
        }
        rows.append(row)
        if entry.stat is not None and stat.S_ISREG(entry.stat.st_mode):
            names_inside[entry.stat.st_dev, entry.stat.st_ino] += 1
        problem = entry.skip or _name_problem(entry.rel) or _kind_problem(raw_dir / entry.rel, root, entry.stat)
        if problem:
            row |= {"status": SKIPPED, "error": printable(problem)}
            continue
        try:
            fd = open_raw(raw_dir, entry.rel)
            try:
                _, size, digest = read_hashed(fd, 0)
                info = os.fstat(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            row |= {"status": SKIPPED, "error": printable(f"cannot open the file: {exc.strerror or exc}")}
            continue
        row |= {"size_bytes": size, "content_hash": digest}
        hashed.append((row, info))
    for row, info in hashed:
        outside = info.st_nlink - names_inside[info.st_dev, info.st_ino]
        if info.st_nlink > 1 and outside > 0:
            row |= {
                "status": SKIPPED,
                "content_hash": None,
                "error": f"hard link with {outside} of its {info.st_nlink} names outside the raw folder: "
                "not read (copy the file into the folder instead)",
            }
    return pl.DataFrame(rows, schema=MANIFEST_SCHEMA).sort("source_file")


def printable(text: str) -> str:
    """The text as valid UTF-8: bytes that were not UTF-8 (surrogates from the OS) as \\xNN."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _name_problem(rel: str) -> str | None:
    """A name that is not UTF-8 cannot be stored as itself; it is reported with the bytes escaped."""
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        return None
    raw = rel.encode("utf-8", "surrogateescape")
    try:
        hint = f" (as GB18030: {raw.decode('gb18030')})"
    except UnicodeDecodeError:
        hint = ""
    return f"file name is not valid UTF-8{hint}: rename it in UTF-8 to have it read"


def _kind_problem(path: Path, root: Path, info: os.stat_result | None) -> str | None:
    """Why a non-regular name is not read: a link that leaves, loops or dangles, a FIFO, a device."""
    if info is None or stat.S_ISREG(info.st_mode):
        return None
    if not stat.S_ISLNK(info.st_mode):
        return NOT_REGULAR
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a loop this way
        return LINK_LOOP
    except FileNotFoundError:
        return f"broken symbolic link: its target {os.readlink(path)} does not exist"
    except OSError as exc:
        return LINK_LOOP if exc.errno == errno.ELOOP else f"cannot follow the symbolic link: {exc.strerror or exc}"
    if not target.is_relative_to(root):
        return LINK_OUTSIDE
    if target.is_dir():
        return LINK_TO_FOLDER
    return None if target.is_file() else NOT_REGULAR
