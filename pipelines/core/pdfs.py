"""PDF reading: page-aware text with tables in place and without running headers or page numbers.

pypdfium2 reads the text of every page: it is some forty times faster than pdfminer, on
which pdfplumber stands. pdfplumber's table finder is fed with the ruling lines that
pypdfium2 reports for the page, and the cells are read with pypdfium2, so a page with a
table costs little more than a page without. Only pages whose glyphs pypdfium2 drops or
doubles (fake bold: each glyph drawn twice at a small offset) are parsed by pdfplumber,
which de-duplicates the characters and finds the tables on its own.

Every page becomes a list of blocks: printed lines, with where they sit, and tables.
Lines at the top and bottom of the pages that repeat, and page numbers, are taken out;
hard-wrapped lines are re-joined into paragraphs judged by indentation, line length and
punctuation; tables become "cell | cell" rows in place of their text.

A page without a usable text layer (a scan) is read by OCR (core/ocr.py), whose lines go
through the same furniture removal and re-flow; each page records how it was read.
"""

from __future__ import annotations

import ctypes
import io
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pdfplumber.table as plumber_table
import pdfplumber.utils as plumber_utils
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipelines.core import ocr, textfiles
from pipelines.core.models import (
    CORRUPT,
    EMPTY,
    ENCRYPTED,
    NEEDS_OCR,
    OK,
    UNREADABLE,
    Page,
    ReadResult,
    Removal,
)

# --- records -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One printed line and where it sits on the page (points; `mid` from the page top)."""

    text: str
    x0: float
    x1: float
    mid: float
    size: float  # font size: the em that indents and short lines are measured in


@dataclass(frozen=True)
class Table:
    """A ruled table: its box (points from the page top) and its cells' text, row by row."""

    x0: float
    top: float
    x1: float
    bottom: float
    rows: tuple[tuple[str, ...], ...]

    def covers(self, line: Line) -> bool:
        return self.top <= line.mid <= self.bottom and line.x0 < self.x1 and line.x1 > self.x0


Block = Line | Table


@dataclass
class _Page:
    number: int
    blocks: list[Block]
    raw: str  # the page's text as the library gave it, for ReadResult.original
    note: str | None = None  # why the page gave no text
    method: str = "text"  # how the page was read: "text" (its text layer) or "ocr"
    confidence: float | None = None  # mean OCR score of the page


@dataclass(frozen=True)
class Layout:
    """The document's text column: left margin, right edge of a full line, em."""

    left: float
    right: float
    em: float

    @classmethod
    def of(cls, lines: Sequence[Line]) -> Layout:
        if not lines:
            return cls(0.0, 0.0, 1.0)
        return cls(
            left=_quantile([ln.x0 for ln in lines], 0.2),
            right=_quantile([ln.x1 for ln in lines], 0.9),
            em=max(statistics.median(ln.size for ln in lines), 1.0),
        )

    def short(self, line: Line) -> bool:
        """Ends well before the right edge: two ems, since a full CJK line can end one em
        early when the next character may not start a line."""
        return line.x1 < self.right - 2 * self.em

    def indented(self, line: Line) -> bool:
        return line.x0 > self.left + self.em


@dataclass
class _Reflowed:
    text: str
    starts: list[int] = field(default_factory=list)  # offset in text of each block


class _Failure(Exception):
    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


# --- entry point ---------------------------------------------------------------------------


def read_pdf(source: Path | bytes, ocr_settings: ocr.OcrSettings | None = None) -> ReadResult:
    """Never raises: failures come back as a status with a plain-words error.

    The read stage passes the bytes it hashed, so what is parsed is what the cache is keyed by.
    Pages without a usable text layer are read by OCR, within `ocr_settings` (from the environment
    when not given).
    """
    try:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
    except OSError as exc:
        return ReadResult(status=UNREADABLE, error=f"cannot open the file: {exc.strerror or exc}", file_type="pdf")
    scanner = ocr.Scanner(ocr_settings or ocr.OcrSettings.from_env())
    try:
        pages = _extract(data, scanner)
    except _Failure as failure:
        return ReadResult(status=failure.status, error=failure.message, file_type="pdf")
    if all(not page.blocks for page in pages):
        if all((page.note or "").startswith(_NO_TEXT) for page in pages):
            unread = sorted({page.note.removeprefix(_NO_TEXT).strip("; ") for page in pages} - {"", _OCR_FOUND_NONE})
            if scanner.pages_read and not unread:
                return ReadResult(
                    status=EMPTY,
                    error=f"no text layer, and OCR found no text on any of {len(pages)} pages",
                    file_type="pdf",
                )
            return ReadResult(
                status=NEEDS_OCR,
                error=f"no text layer on any of {len(pages)} pages: needs OCR"
                + (f" ({'; '.join(unread)})" if unread else ""),
                file_type="pdf",
            )
        notes = "; ".join(sorted({page.note or "no text" for page in pages}))
        return ReadResult(status=CORRUPT, error=f"no page could be read ({notes})", file_type="pdf")
    return _assemble(pages)


# --- extraction ----------------------------------------------------------------------------

_NO_TEXT = "no text layer"
_OCR_FOUND_NONE = "OCR found no text"
_LINE = re.compile(r"[^\r\n]+")
_WHITESPACE = re.compile(r"\s+")
_DOUBLED = re.compile(r"([^\s\d])\1")


def _extract(data: bytes, scanner: ocr.Scanner) -> list[_Page]:
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise _open_failure(data, exc) from None
    pages: list[_Page] = []
    for_plumber: list[int] = []
    try:
        for index in range(len(doc)):
            try:
                page = doc[index]
            except pdfium.PdfiumError as exc:
                pages.append(_Page(index + 1, [], "", note=f"page cannot be parsed: {exc}"))
                continue
            try:
                read, needs_plumber = _pdfium_page(page, index + 1)
                if scanner.wanted(page, read.raw):
                    read, needs_plumber = _ocr_page(page, read, scanner), False
            finally:
                page.close()
            pages.append(read)
            if needs_plumber:
                for_plumber.append(index)
    finally:
        doc.close()
    if for_plumber:
        _reread_with_plumber(data, pages, for_plumber)
    return pages


def _ocr_page(page: pdfium.PdfPage, read: _Page, scanner: ocr.Scanner) -> _Page:
    """A page without a usable text layer, read by OCR; its text layer stands when OCR could not
    run or found less, and the note says why."""
    outcome = scanner.read(page)
    if isinstance(outcome, str):
        return read if read.blocks else _Page(read.number, [], read.raw, f"{_NO_TEXT}; {outcome}")
    found = [ln for ln in outcome.lines if ln.text]
    if sum(len(ln.text) for ln in found) <= len(_WHITESPACE.sub("", read.raw)):
        return read if read.blocks else _Page(read.number, [], read.raw, f"{_NO_TEXT}; {_OCR_FOUND_NONE}")
    texts = tidy_all([ln.text for ln in found])
    lines = [Line(text, ln.x0, ln.x1, ln.mid, ln.size) for text, ln in zip(texts, found, strict=True)]
    return _Page(read.number, lines, "\n".join(texts), method="ocr", confidence=outcome.confidence)


def _open_failure(data: bytes, exc: pdfium.PdfiumError) -> _Failure:
    if _has_no_pages(data):
        return _Failure(EMPTY, "PDF has no pages")
    code = getattr(exc, "err_code", None)
    if code == pdfium_c.FPDF_ERR_PASSWORD:
        return _Failure(ENCRYPTED, "PDF is encrypted and needs a password")
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return _Failure(ENCRYPTED, "PDF is encrypted with a security handler that cannot be opened")
    if code == pdfium_c.FPDF_ERR_FILE:
        return _Failure(UNREADABLE, "the file cannot be opened")
    reason = re.search(r"PDFium: ([^)]*)", str(exc))
    return _Failure(
        CORRUPT, f"PDF is damaged or truncated and cannot be parsed (PDFium: {reason[1] if reason else exc})"
    )


def _has_no_pages(data: bytes) -> bool:
    """pypdfium2 refuses a PDF without pages, with whatever error code pdfium kept from an
    earlier file, so that case is told apart by loading the file directly."""
    doc = pdfium_c.FPDF_LoadMemDocument(data, len(data), None)
    if not doc:
        return False
    try:
        return pdfium_c.FPDF_GetPageCount(doc) == 0
    finally:
        pdfium_c.FPDF_CloseDocument(doc)


def _pdfium_page(page: pdfium.PdfPage, number: int) -> tuple[_Page, bool]:
    """The page read by pypdfium2, and whether pdfplumber must read it again."""
    textpage = page.get_textpage()
    try:
        n_chars = textpage.count_chars()
        text = textpage.get_text_range() if n_chars > 0 else ""
        n_text_objects, paths = _page_objects(page)
        height = page.get_height()
        lines = _pdfium_lines(textpage, text, n_chars, height)
        tables = _pdfium_tables(textpage, paths, height) if paths else []
    finally:
        textpage.close()
    raw = text.replace("\r\n", "\n")
    blocks = _place_tables(lines, tables)
    note = None if blocks else _NO_TEXT
    return _Page(number, blocks, raw, note), _glyphs_lost_or_doubled(text, n_text_objects)


def _page_objects(page: pdfium.PdfPage) -> tuple[int, list[ctypes.c_void_p]]:
    """Counts the text objects and collects the path objects, in one pass of C calls."""
    get_object, get_type = pdfium_c.FPDFPage_GetObject, pdfium_c.FPDFPageObj_GetType
    text_type, path_type = pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_PATH
    n_text, paths = 0, []
    for index in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = get_object(page.raw, index)
        kind = get_type(obj)
        if kind == text_type:
            n_text += 1
        elif kind == path_type:
            paths.append(obj)
    return n_text, paths


def _glyphs_lost_or_doubled(text: str, n_text_objects: int) -> bool:
    """pdfium drops single-glyph text objects it cannot measure and overlapping copies of
    them, so more text objects than printed characters means lost text or fake bold; many
    doubled characters mean fake bold it kept. pdfplumber's de-duplication reads both right."""
    visible = len(_WHITESPACE.sub("", text))
    if n_text_objects > 1.5 * visible + 2:
        return True
    return visible > 0 and len(_DOUBLED.findall(text)) > 0.3 * visible


def _pdfium_lines(textpage: pdfium.PdfTextPage, text: str, n_chars: int, height: float) -> list[Line]:
    utf16 = len(text) != n_chars  # characters beyond the BMP take two pdfium indexes
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    box = [ctypes.byref(v) for v in (left, right, bottom, top)]
    char_box, font_size = pdfium_c.FPDFText_GetCharBox, pdfium_c.FPDFText_GetFontSize
    texts, places = [], []
    for match in _LINE.finditer(text):
        chunk = match.group()
        stripped = chunk.strip()
        if not stripped:
            continue
        first = match.start() + len(chunk) - len(chunk.lstrip())
        last = match.start() + len(chunk.rstrip()) - 1
        if utf16:
            first, last = _utf16_index(text, first), _utf16_index(text, last)
        char_box(textpage.raw, last, *box)
        x1 = right.value
        char_box(textpage.raw, first, *box)
        texts.append(stripped)
        places.append((left.value, x1, height - (top.value + bottom.value) / 2, font_size(textpage.raw, first)))
    return [Line(t, *place) for t, place in zip(tidy_all(texts), places, strict=True)]


def _utf16_index(text: str, offset: int) -> int:
    return len(text[:offset].encode("utf-16-le")) // 2


def _pdfium_tables(textpage: pdfium.PdfTextPage, paths: list[ctypes.c_void_p], height: float) -> list[Table]:
    """pdfplumber's table finder (with find_tables' defaults) on pdfium's ruling lines."""
    edges = [edge for obj in paths for edge in _path_edges(obj, height)]
    if len(edges) < 4:
        return []
    settings = plumber_table.TableSettings.resolve(None)
    edges = plumber_table.merge_edges(
        edges,
        snap_x_tolerance=settings.snap_x_tolerance,
        snap_y_tolerance=settings.snap_y_tolerance,
        join_x_tolerance=settings.join_x_tolerance,
        join_y_tolerance=settings.join_y_tolerance,
    )
    edges = plumber_utils.filter_edges(edges, min_length=settings.edge_min_length)
    intersections = plumber_table.edges_to_intersections(
        edges, settings.intersection_x_tolerance, settings.intersection_y_tolerance
    )
    tables = []
    for cells in plumber_table.cells_to_tables(plumber_table.intersections_to_cells(intersections)):
        found = plumber_table.Table(None, cells)  # rows and bbox need the cells only, not a page
        rows = [[_cell_text(textpage, cell, height) if cell else "" for cell in row.cells] for row in found.rows]
        tables.append(_table(found.bbox, rows))
    return tables


def _path_edges(obj: ctypes.c_void_p, height: float) -> Iterator[dict]:
    """Horizontal and vertical straight segments of a path object, as pdfplumber edges."""
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix))
    x, y = ctypes.c_float(), ctypes.c_float()
    start = current = (0.0, 0.0)
    for index in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
        pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        point = (
            matrix.a * x.value + matrix.c * y.value + matrix.e,
            height - (matrix.b * x.value + matrix.d * y.value + matrix.f),
        )
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO:
            yield from _edge(current, point)
        current = point
        if pdfium_c.FPDFPathSegment_GetClose(segment):
            yield from _edge(current, start)
            current = start


def _edge(a: tuple[float, float], b: tuple[float, float]) -> Iterator[dict]:
    (xa, ya), (xb, yb) = a, b
    x0, x1, top, bottom = min(xa, xb), max(xa, xb), min(ya, yb), max(ya, yb)
    if bottom - top < 0.5 and x1 - x0 >= 1:
        orientation = "h"
        top = bottom = (top + bottom) / 2
    elif x1 - x0 < 0.5 and bottom - top >= 1:
        orientation = "v"
        x0 = x1 = (x0 + x1) / 2
    else:
        return
    yield {
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
        "object_type": "line",
    }


def _cell_text(textpage: pdfium.PdfTextPage, cell: tuple[float, float, float, float], height: float) -> str:
    x0, top, x1, bottom = cell
    return textpage.get_text_bounded(left=x0, bottom=height - bottom, right=x1, top=height - top)


def _place_tables(lines: list[Line], tables: list[Table]) -> list[Block]:
    """Drops the lines printed inside a table and puts the table where its lines were."""
    if not tables:
        return list(lines)
    pending = sorted(tables, key=lambda t: t.top)
    blocks: list[Block] = []
    for line in lines:
        if any(t.covers(line) for t in tables):
            continue
        while pending and pending[0].top < line.mid:
            blocks.append(pending.pop(0))
        blocks.append(line)
    blocks.extend(pending)
    return blocks


def _reread_with_plumber(data: bytes, pages: list[_Page], indexes: list[int]) -> None:
    """Replaces the pdfium reading of these pages; keeps it where pdfplumber fails."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except MemoryError:
        raise  # a bomb: the document is stopped at the memory limit, not read in part
    except Exception:  # noqa: BLE001 - pdfminer raises many types; the pdfium reading stands
        return
    with pdf:
        for index in indexes:
            try:
                page = pdf.pages[index]
                try:
                    pages[index] = _plumber_page(page, index + 1)
                finally:
                    page.close()
            except MemoryError:
                raise
            except Exception:  # noqa: BLE001 - a page pdfminer cannot parse keeps its pdfium text
                continue


def _plumber_page(page: pdfplumber.page.Page, number: int) -> _Page:
    page = page.dedupe_chars()
    found = page.find_tables()
    tables = [_table(t.bbox, t.extract()) for t in found]
    prose = page
    for t in found:
        prose = prose.outside_bbox(t.bbox)
    found_lines = [d for d in prose.extract_text_lines(strip=True, return_chars=True) if d["text"].strip()]
    lines = [
        Line(text, d["x0"], d["x1"], (d["top"] + d["bottom"]) / 2, d["chars"][0]["size"])
        for text, d in zip(tidy_all([d["text"] for d in found_lines]), found_lines, strict=True)
    ]
    blocks = _place_tables(lines, tables)
    return _Page(number, blocks, page.extract_text(), None if blocks else _NO_TEXT)


# --- folding -------------------------------------------------------------------------------

_WIDE = (  # CJK characters and punctuation, kana, full-width forms, CJK-style dashes and quotes
    r"[\u2e80-\u2fdf\u3001-\u303f\u3040-\u30ff\u31c0-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    r"\u2014\u2018\u2019\u201c\u201d\u2026]"
)
_WIDE_CHAR = re.compile(_WIDE)
_SPACE_RUN = re.compile(r"[^\S\n]+")


def tidy(text: str) -> str:
    """Drops the spaces PDF tools put next to CJK characters, then NFKC-folds.

    Spaces go first, while "，" is still a wide comma and not yet ",".
    """

    def space(run: re.Match[str]) -> str:
        start, end = run.span()
        wide = _WIDE_CHAR.match(text, start - 1) if start else None
        return "" if wide or _WIDE_CHAR.match(text, end) else " "

    return textfiles.nfkc(_SPACE_RUN.sub(space, text)).strip()


def tidy_all(texts: list[str]) -> list[str]:
    """tidy() for a page of lines in three passes over one string instead of three per line."""
    return [t.strip() for t in tidy("\n".join(texts)).split("\n")] if texts else []


def _table(bbox: tuple[float, float, float, float], rows: Sequence[Sequence[str | None]]) -> Table:
    cells = tuple(tuple(tidy(join_wrapped(cell or "")) for cell in row) for row in rows)
    return Table(*bbox, rows=cells)


# --- page furniture ------------------------------------------------------------------------

_ZONE = 2  # lines at the top and at the bottom of a page where headers and numbers sit
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–~_·•]*\s*\d{1,4}\s*[-—–~_·•]*"
    r"|[-—–~_·•]+\s*\d{1,4}"
    r"|(?:共\s*\d{1,4}\s*页\s*,?\s*)?第\s*[\d一二三四五六七八九十百零〇]{1,6}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$",
    re.IGNORECASE,
)
_SENTENCE_MARK = re.compile(r"[。,;!?，；！？]")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class _Cut:
    page: int  # index into the page list
    before: int  # index of the kept block it was cut in front of (len(kept) at the end)
    reason: str
    text: str


def _remove_furniture(pages: list[list[Block]]) -> tuple[list[list[Block]], list[_Cut]]:
    """Takes out page numbers and the lines that repeat at the top or bottom of the pages."""
    zones = [_zones(blocks) for blocks in pages]
    needed = max(2, math.ceil(0.4 * len(pages)))
    top_counts = Counter(k for blocks, (top, _) in zip(pages, zones, strict=True) for k in _keys(blocks, top))
    bottom_counts = Counter(k for blocks, (_, bottom) in zip(pages, zones, strict=True) for k in _keys(blocks, bottom))
    kept_pages, cuts = [], []
    for page_index, (blocks, (top, bottom)) in enumerate(zip(pages, zones, strict=True)):
        reasons: dict[int, str] = {}
        for index in top:  # from the edge inwards, up to the first line of the body
            reason = _furniture_reason(blocks[index].text, top_counts, "running_header", needed)
            if reason is None:
                break
            reasons[index] = reason
        for index in reversed(bottom):
            if index in reasons:
                break
            reason = _furniture_reason(blocks[index].text, bottom_counts, "running_footer", needed)
            if reason is None:
                break
            reasons[index] = reason
        kept: list[Block] = []
        for index, block in enumerate(blocks):
            if index in reasons:
                cuts.append(_Cut(page_index, len(kept), reasons[index], block.text))
            else:
                kept.append(block)
        kept_pages.append(kept)
    return kept_pages, cuts


def _zones(blocks: list[Block]) -> tuple[list[int], list[int]]:
    """Indexes of the first and the last lines of a page."""
    lines = [i for i, b in enumerate(blocks) if isinstance(b, Line)]
    return lines[:_ZONE], lines[-_ZONE:]


def _keys(blocks: list[Block], indexes: list[int]) -> set[str]:
    return {_key(blocks[i].text) for i in indexes}


def _furniture_reason(text: str, counts: Counter[str], repeated: str, needed: int) -> str | None:
    if _PAGE_NUMBER.match(text):
        return "page_number"
    if not _carries_figure(text) and counts[_key(text)] >= needed:
        return repeated
    return None


def _key(text: str) -> str:
    """Headers that differ only in a number ("第3期") are the same header."""
    return _DIGITS.sub("#", _WHITESPACE.sub("", text))


def _carries_figure(text: str) -> bool:
    """A repeated line with a figure in a sentence is body text, not a header."""
    return bool(_DIGITS.search(text)) and (bool(_SENTENCE_MARK.search(text)) or len(text) > 25)


# --- re-flow -------------------------------------------------------------------------------

_HEADING = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]{1,4}[章节条部分篇]"
    r"|[一二三四五六七八九十]{1,3}[、.]"
    r"|[(（][一二三四五六七八九十]{1,3}[)）]"
    r"|\d{1,2}(?:\.\d{1,2})*[、.](?!\d)"
    r"|[(（]\d{1,2}[)）]"
    r"|[①-⑳])"
)
_ENDS_SENTENCE = re.compile(r"(?:[。！？；：!?;:…”’」』]|(?<![\d.])\.)$")
_CONTINUES = ("，", ",", "、")
_NUMBER_END = re.compile(r"\d\.?$")
_NUMBER_START = re.compile(r"\.?\d")
_ASCII_LETTER = re.compile(r"[A-Za-z]")


def join_wrapped(text: str) -> str:
    """Joins the lines of a table cell (or any hard-wrapped snippet) by the CJK rule."""
    parts = [p.strip() for p in text.splitlines() if p.strip()]
    out = parts[0] if parts else ""
    for part in parts[1:]:
        out += joiner(out, part) + part
    return out


def joiner(before: str, after: str) -> str:
    """What goes between two wrapped lines: nothing, except a space between two ASCII words.

    Punctuation does not count: after folding, "，" is "," and "，⏎PM2.5" is CJK text.
    """
    return " " if _ASCII_LETTER.match(before[-1:]) and _ASCII_LETTER.match(after[:1]) else ""


def breaks_paragraph(before: Line, after: Line, layout: Layout) -> bool:
    """Whether a paragraph ends between two consecutive lines."""
    if _NUMBER_END.search(before.text) and _NUMBER_START.match(after.text):
        return False  # a number split across lines
    if _HEADING.match(after.text):
        return True
    short = layout.short(before)
    if short and _HEADING.match(before.text):
        return True
    if _ENDS_SENTENCE.search(before.text) and (short or layout.indented(after)):
        return True
    return short and layout.indented(before) and not before.text.endswith(_CONTINUES)


def reflow(lines: Sequence[Line], layout: Layout) -> _Reflowed:
    """Joins hard-wrapped lines into paragraphs, one per line of the result."""
    out = _Reflowed("")
    parts: list[str] = []
    length = 0
    for index, line in enumerate(lines):
        if index:
            sep = "\n" if breaks_paragraph(lines[index - 1], line, layout) else joiner(parts[-1], line.text)
            parts.append(sep)
            length += len(sep)
        out.starts.append(length)
        parts.append(line.text)
        length += len(line.text)
    out.text = "".join(parts)
    return out


def _layout_page(blocks: list[Block], layout: Layout) -> _Reflowed:
    """Re-flows the runs of lines; tables become row lines set off by blank lines."""
    out = _Reflowed("")
    parts: list[str] = []
    length = 0
    run: list[Line] = []

    def add(text: str, starts: list[int], sep: str) -> None:
        nonlocal length
        if parts:
            parts.append(sep)
            length += len(sep)
        out.starts.extend(length + s for s in starts)
        parts.append(text)
        length += len(text)

    for block in [*blocks, None]:
        if isinstance(block, Line):
            run.append(block)
            continue
        if run:
            flowed = reflow(run, layout)
            add(flowed.text, flowed.starts, "\n\n")
            run = []
        if isinstance(block, Table):
            add(_render_table(block), [0], "\n\n")
    out.text = "".join(parts)
    return out


def _render_table(table: Table) -> str:
    return "\n".join(" | ".join(row) for row in table.rows)


# --- assembly ------------------------------------------------------------------------------


def _assemble(pages: list[_Page]) -> ReadResult:
    kept, cuts = _remove_furniture([[b for b in page.blocks if not isinstance(b, Line) or b.text] for page in pages])
    layout = Layout.of([b for blocks in kept for b in blocks if isinstance(b, Line)])
    flowed = [_layout_page(blocks, layout) for blocks in kept]

    parts: list[str] = []
    spans: list[Page] = []
    length = 0
    previous: Block | None = None
    for page, blocks, page_flow in zip(pages, kept, flowed, strict=True):
        if blocks and previous is not None:
            sep = _page_joiner(previous, blocks[0], layout)
            parts.append(sep)
            length += len(sep)
        spans.append(Page(page.number, length, length + len(page_flow.text), page.method, page.confidence))
        parts.append(page_flow.text)
        length += len(page_flow.text)
        if blocks:
            previous = blocks[-1]
    text = "".join(parts)

    removals = []
    for cut in cuts:
        span, starts = spans[cut.page], flowed[cut.page].starts
        at = span.start + starts[cut.before] if cut.before < len(starts) else span.end
        removals.append(Removal(at, at, cut.reason, cut.text, spans[cut.page].number))
    for page, span in zip(pages, spans, strict=True):
        if page.note:
            reason = "no_text_layer" if page.note.startswith(_NO_TEXT) else "unreadable_page"
            removals.append(Removal(span.start, span.start, reason, page.note, page.number))
    removals.sort(key=lambda r: (r.start, r.page or 0))

    original = "\f".join(page.raw for page in pages)
    n_tables = sum(isinstance(b, Table) for blocks in kept for b in blocks)
    if not text.strip():
        return ReadResult(
            status=EMPTY,
            error="no text left after removing headers, footers and page numbers",
            original=original,
            file_type="pdf",
            removals=removals,
        )
    return ReadResult(
        status=OK,
        text=text,
        original=original,
        pages=spans,
        file_type="pdf",
        n_tables=n_tables,
        removals=removals,
    )


def _page_joiner(before: Block, after: Block, layout: Layout) -> str:
    """Pages join with a paragraph break unless the sentence runs on to the next page."""
    if isinstance(before, Table) or isinstance(after, Table):
        return "\n\n"
    if breaks_paragraph(before, after, layout) or _ENDS_SENTENCE.search(before.text):
        return "\n"
    return joiner(before.text, after.text)


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
