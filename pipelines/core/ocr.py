"""OCR of scanned PDF pages: RapidOCR's bundled PP-OCR models on onnxruntime, on the CPU.

A page without a usable text layer is rendered with pypdfium2 and recognised; the text
boxes come back as printed lines in reading order (grouped by their deskewed height on the
page, left to right within a line), in page points like the lines of a text layer, so the
PDF reader's header and footer removal, re-flow and page spans apply to them unchanged.

Nothing is downloaded: the detection and recognition models ship inside the rapidocr wheel
and are named by path, so a missing model is a clear error, never a network call. Cost is
bounded by a page-count limit per document, a time limit per page and a cap on the size of
the rendered image. `ENVREPORTS_OCR=off` turns OCR off (scans then stay `needs_ocr`).
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import signal
import statistics
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

ENV_OCR = "ENVREPORTS_OCR"  # "off" (or 0/false/no) turns OCR off
ENV_OCR_MAX_PAGES = "ENVREPORTS_OCR_MAX_PAGES"  # pages recognised per document at most
ENV_OCR_PAGE_SECONDS = "ENVREPORTS_OCR_PAGE_SECONDS"  # time limit for one page

DEFAULT_MAX_PAGES = 200
DEFAULT_PAGE_SECONDS = 120.0

# Rendering, chosen by measurement on the sample scans (README, "OCR"): a page is rendered at
# the resolution of the scanned image it shows, since more pixels than the scan has bring no
# accuracy, only time; within MIN_DPI..MAX_DPI, so a coarse scan is enlarged to a text height the
# detector reads well and a 600 dpi scan is not recognised at four times the cost.
MIN_DPI = 96
MAX_DPI = 200
DRAWN_DPI = 150  # a page drawn without an image (text turned into outlines) is rendered at this
MAX_RENDER_SIDE = 4000  # pixels: a poster-sized page is rendered smaller, bounding memory
DETECT_SIDE = 2000  # pixels: the longest side of the image text is detected on (lines are read at full size)
MIN_TEXT_CHARS = 20  # a page whose text layer has fewer visible characters is read by OCR
LOW_CONFIDENCE = 0.85  # a page whose mean recognition score is below this is flagged
MIN_BOX_SCORE = 0.6  # a box scored below this is noise read as text (a rule, a stamp, a smudge)
MAX_LINE_HEIGHT = 0.1  # of the page height: a taller "line" is a picture or a rule, not text

_MODELS = {  # the models shipped in the rapidocr wheel (rapidocr/models), by task
    "Det": "PP-OCRv6_det_small.onnx",
    "Rec": "PP-OCRv6_rec_small.onnx",
    "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}


class OcrUnavailable(RuntimeError):
    """The OCR engine or its bundled models are missing; the page stays unread, with this reason."""


class OcrTimeout(RuntimeError):
    """A page took longer than the time limit."""


# --- settings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OcrSettings:
    """Whether OCR runs and the limits that bound its cost; part of the read stage's version."""

    enabled: bool = True
    max_pages: int = DEFAULT_MAX_PAGES
    page_seconds: float = DEFAULT_PAGE_SECONDS

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> OcrSettings:
        env = os.environ if environ is None else environ
        switch = (env.get(ENV_OCR) or "on").strip().lower()
        return cls(
            enabled=switch not in ("off", "0", "false", "no"),
            max_pages=max(0, int(env.get(ENV_OCR_MAX_PAGES) or DEFAULT_MAX_PAGES)),
            page_seconds=max(1.0, float(env.get(ENV_OCR_PAGE_SECONDS) or DEFAULT_PAGE_SECONDS)),
        )

    def key(self) -> str:
        """What a cached reading depends on: a scan read with OCR off is read again when it is on."""
        return f"ocr-{self.max_pages}-{self.page_seconds:g}" if self.enabled else "ocr-off"


# --- records -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """One recognised text box: its text, score and corners (pixels, clockwise from top left)."""

    text: str
    score: float
    points: tuple[tuple[float, float], ...]

    @property
    def x0(self) -> float:
        return min(p[0] for p in self.points)

    @property
    def x1(self) -> float:
        return max(p[0] for p in self.points)

    @property
    def cx(self) -> float:
        return sum(p[0] for p in self.points) / len(self.points)

    @property
    def cy(self) -> float:
        return sum(p[1] for p in self.points) / len(self.points)

    @property
    def height(self) -> float:
        (xa, ya), (xb, yb), (xc, yc), (xd, yd) = self.points[:4]
        return (math.hypot(xd - xa, yd - ya) + math.hypot(xc - xb, yc - yb)) / 2


@dataclass(frozen=True)
class OcrLine:
    """A printed line as OCR saw it: text, left and right edge, middle height, em (pixels)."""

    text: str
    x0: float
    x1: float
    mid: float
    size: float
    score: float  # mean recognition score, weighted by characters


@dataclass(frozen=True)
class PageText:
    """What OCR made of one page, in page points, and how sure it was."""

    lines: list[OcrLine]
    confidence: float | None  # None when nothing was recognised
    seconds: float


# --- the engine ----------------------------------------------------------------------------


def bundled_models() -> dict[str, Path]:
    """The model files inside the installed rapidocr package; raises when any is missing."""
    try:
        import rapidocr
    except ImportError as exc:
        raise OcrUnavailable(f"OCR is not installed (rapidocr: {exc}); reinstall with `make venv`") from None
    folder = Path(rapidocr.__file__).resolve().parent / "models"
    models = {task: folder / name for task, name in _MODELS.items()}
    missing = [str(path) for path in models.values() if not path.is_file()]
    if missing:
        raise OcrUnavailable(f"OCR models missing from the rapidocr package: {', '.join(missing)}")
    return models


@cache
def engine():  # -> rapidocr.RapidOCR, imported lazily: text-layer PDFs never load onnxruntime
    """One engine per process, built from the bundled models only (never a download)."""
    models = bundled_models()
    from rapidocr import RapidOCR

    params = {f"{task}.model_path": str(path) for task, path in models.items()}
    params |= {
        "Global.log_level": "error",
        "Global.use_cls": False,  # scans are upright; the angle classifier costs time for nothing
        "Global.text_score": MIN_BOX_SCORE,
        "Global.max_side_len": MAX_RENDER_SIDE,  # recognise the page as rendered, not shrunk to 2000 px
        "EngineConfig.onnxruntime.intra_op_num_threads": 1,  # documents run in parallel already
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        # measured on the sample scans (README): detection on a page shrunk below the scan's own size,
        # or lines recognised one at a time instead of six, each cost a fact ("I-III" read "I-II",
        # "粪污" read "粪类污") for a fifth to a third less time and memory; so detection sees the page
        # as rendered, shrunk only beyond DETECT_SIDE, which bounds memory
        "Det.limit_type": "max",
        "Det.limit_side_len": DETECT_SIDE,
    }
    ocr = RapidOCR(params=params)
    ocr._load_det_model()  # loaded now (rapidocr defers it), so a bad model fails here, once
    if not ocr._load_rec_model().session.have_key():  # the dictionary rides in the model; else rapidocr would fetch it
        raise OcrUnavailable(f"OCR recognition model {models['Rec']} carries no character dictionary")
    return ocr


def recognise(image: np.ndarray) -> list[Box]:
    """Text boxes of one rendered page (an H×W or H×W×3 uint8 array); boxes too tall to be a
    line of text are dropped (the recogniser reads a black bar or a photo as "100")."""
    result = engine()(image)
    if result.boxes is None or result.txts is None:
        return []
    boxes = [
        Box(str(text), float(score), tuple((float(x), float(y)) for x, y in points))
        for points, text, score in zip(result.boxes, result.txts, result.scores, strict=True)
    ]
    return [b for b in boxes if b.text.strip() and b.height <= MAX_LINE_HEIGHT * image.shape[0]]


# --- pages ---------------------------------------------------------------------------------


def image_dpi(page: pdfium.PdfPage) -> float | None:
    """The resolution (pixels per inch of the page) of the largest image on the page; None when
    the page shows no image."""
    best: tuple[float, float] | None = None  # (area in points², dpi)
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):  # forms too
        left, bottom, right, top = obj.get_bounds()
        width = right - left
        if width <= 0 or top <= bottom:
            continue
        pixels = obj.get_px_size()[0]  # the image's own width in pixels
        area = width * (top - bottom)
        if best is None or area > best[0]:
            best = (area, 72 * pixels / width)
    return best[1] if best else None


_INK = frozenset(
    {pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_SHADING, pdfium_c.FPDF_PAGEOBJ_FORM}
)


def _drawn(page: pdfium.PdfPage) -> bool:
    """Whether anything but text is drawn on the page (a form may hold a scan or outlines)."""
    get_object, get_type = pdfium_c.FPDFPage_GetObject, pdfium_c.FPDFPageObj_GetType
    return any(get_type(get_object(page.raw, i)) in _INK for i in range(pdfium_c.FPDFPage_CountObjects(page.raw)))


def render_scale(page: pdfium.PdfPage) -> float:
    """Pixels per point to render the page at: the scan's own resolution, bounded."""
    dpi = min(max(image_dpi(page) or DRAWN_DPI, MIN_DPI), MAX_DPI)
    width, height = page.get_size()
    return min(dpi / 72, MAX_RENDER_SIDE / max(width, height, 1.0))


def read_page(page: pdfium.PdfPage, time_limit: float) -> PageText:
    """Renders and recognises one page; raises OcrTimeout past the time limit."""
    start = time.monotonic()
    scale = render_scale(page)
    with _time_limit(time_limit):
        bitmap = page.render(scale=scale, grayscale=True)
        try:
            image = bitmap.to_numpy()
            boxes = recognise(image)
        finally:
            bitmap.close()
    lines = [
        OcrLine(fix_text(ln.text), ln.x0 / scale, ln.x1 / scale, ln.mid / scale, ln.size / scale, ln.score)
        for ln in boxes_to_lines(boxes)
    ]
    return PageText(lines, mean_confidence(lines), time.monotonic() - start)


def low_confidence_warning(pages: Sequence[int]) -> str | None:
    """The warning a document (and each fact from these pages) carries when OCR was unsure."""
    if not pages:
        return None
    listed = ", ".join(map(str, pages))
    return f"OCR confidence below {LOW_CONFIDENCE:g} on page {listed}: check figures against the scan"


def mean_confidence(lines: Sequence[OcrLine]) -> float | None:
    """Mean recognition score per character, so a stray one-character box weighs little."""
    weights = [len(ln.text) for ln in lines]
    total = sum(weights)
    return sum(ln.score * w for ln, w in zip(lines, weights, strict=True)) / total if total else None


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raises OcrTimeout in the main thread after `seconds` (the engine returns to Python between
    batches of lines, so the alarm lands within about a second); keeps any outer alarm running.
    Off the main thread signals cannot be used: the page then runs to its end."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    expired = False
    message = f"OCR of the page took longer than {seconds:g} s ({ENV_OCR_PAGE_SECONDS})"

    def expire(signum: int, frame: object) -> None:
        nonlocal expired
        expired = True
        raise OcrTimeout(message)

    previous = signal.signal(signal.SIGALRM, expire)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    except Exception as exc:
        if expired and not isinstance(exc, OcrTimeout):  # the engine wrapped the alarm in its own error
            raise OcrTimeout(message) from exc
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:  # an enclosing limit (e.g. the document's) keeps its remaining time
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 0.001))


# --- layout --------------------------------------------------------------------------------


def skew(boxes: Sequence[Box]) -> float:
    """The page's slope (dy/dx) from the top edges of the wider boxes: a scan is rarely square."""
    slopes = [
        (b.points[1][1] - b.points[0][1]) / (b.points[1][0] - b.points[0][0])
        for b in boxes
        if b.points[1][0] - b.points[0][0] > 3 * b.height
    ]
    return statistics.median(slopes) if slopes else 0.0


def boxes_to_lines(boxes: Sequence[Box]) -> list[OcrLine]:
    """Boxes become printed lines in reading order.

    Box centres are deskewed; a box joins the line whose centre lies within half a box height
    of its own; lines run top to bottom and their boxes left to right. Boxes join without a
    space unless a gap of an em or more parts them (table columns) or two Latin words meet.
    """
    if not boxes:
        return []
    slope = skew(boxes)
    placed = sorted(((b.cy - slope * b.cx, b) for b in boxes), key=lambda pair: pair[0])
    groups: list[list[tuple[float, Box]]] = []
    for y, box in placed:
        if groups:
            last = groups[-1]
            centre = statistics.fmean(yy for yy, _ in last)
            reach = 0.5 * max(statistics.fmean(b.height for _, b in last), box.height)
            if abs(y - centre) <= reach:
                last.append((y, box))
                continue
        groups.append([(y, box)])
    return [_line(group) for group in groups]


_LATIN = re.compile(r"[A-Za-z]")


def _line(group: list[tuple[float, Box]]) -> OcrLine:
    ordered = sorted(group, key=lambda pair: pair[1].x0)
    em = statistics.median(b.height for _, b in ordered)
    text = ""
    previous: Box | None = None
    for _, box in ordered:
        piece = box.text.strip()
        if previous is not None:
            gap = box.x0 - previous.x1
            wide = gap >= em
            latin = _LATIN.match(text[-1:]) and _LATIN.match(piece[:1])
            text += " " if wide or latin else ""
        text += piece
        previous = box
    chars = [len(b.text) for _, b in ordered]
    score = sum(b.score * n for (_, b), n in zip(ordered, chars, strict=True)) / max(sum(chars), 1)
    return OcrLine(
        text=text,
        x0=ordered[0][1].x0,
        x1=max(b.x1 for _, b in ordered),
        mid=statistics.fmean(y for y, _ in ordered),
        size=em / _BOX_PER_EM,
        score=score,
    )


_BOX_PER_EM = 1.3  # a detected box is taller than the font's em: the detector pads each line


# --- post-processing -----------------------------------------------------------------------

_FIXES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (
        "letter O in a number is zero",
        re.compile(r"(?<=\d)[OoＯ〇](?=\d|[.%])|(?<=\d[.,])[OoＯ](?=\d|\b)"),
        "0",
    ),
    (
        "letter l or I after a digit, before a digit, a point, % or a CJK word, is one",
        re.compile(r"(?<=\d)[lI](?=[\d%]|\.\d|[\u4e00-\u9fff])|(?<=\d\.)[lI]"),
        "1",
    ),
    ("a raised or middle dot in a number is the decimal point", re.compile(r"(?<=\d)[·•。・](?=\d)"), "."),
    ("a slash read as 1, l, I or | between unit words", re.compile(r"(?<=[克吨升])[1lI|](?=[立平升米千公])"), "/"),
    ("a space inside a number", re.compile(r"(?<=\d) (?=\.\d)|(?<=\d\.) (?=\d)"), ""),
    (
        "the dashes around a page number, read as 一 or a hyphen",
        re.compile(r"^[一\-－―]{1,2}\s*(\d{1,4})\s*[一\-－―]{1,2}$"),
        r"—\1—",
    ),
    ("一 between two figures is the dash of a range (2021—2025)", re.compile(r"(?<=\d)一(?=\d)"), "—"),
)


def fix_text(text: str) -> str:
    """Undoes the confusions OCR makes in figures and units (rules in _FIXES, each named)."""
    for _name, pattern, replacement in _FIXES:
        text = pattern.sub(replacement, text)
    return text


# --- one document ---------------------------------------------------------------------------


class Scanner:
    """OCR for the pages of one document, within the settings' limits; counts what it read."""

    def __init__(self, settings: OcrSettings):
        self.settings = settings
        self.pages_tried = 0
        self.pages_read = 0  # recognised to the end (possibly finding nothing)

    def wanted(self, page: pdfium.PdfPage, text_layer: str) -> bool:
        """A page without text on which something is drawn (a scan, or text turned into outlines),
        or a page with an image and only a few characters of text (a scan with a stamp or a label).
        A blank page, or a short text page with ruling lines, is not rendered."""
        n_chars = len("".join(text_layer.split()))
        if n_chars >= MIN_TEXT_CHARS:
            return False
        return _drawn(page) if n_chars == 0 else image_dpi(page) is not None

    def read(self, page: pdfium.PdfPage) -> PageText | str:
        """The page's text, or why it was not read."""
        if not self.settings.enabled:
            return f"OCR is off ({ENV_OCR}=off)"
        if self.pages_tried >= self.settings.max_pages:
            limit = self.settings.max_pages
            return f"not read by OCR: over the limit of {limit} pages per document ({ENV_OCR_MAX_PAGES})"
        self.pages_tried += 1
        try:
            text = read_page(page, self.settings.page_seconds)
        except (OcrTimeout, OcrUnavailable) as exc:
            return str(exc)
        except Exception as exc:  # noqa: BLE001 - one page the engine cannot take must not lose the document
            return f"OCR failed: {type(exc).__name__}: {exc}"
        self.pages_read += 1
        return text
