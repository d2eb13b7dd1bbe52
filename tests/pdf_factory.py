"""Builds realistic Chinese report PDFs at test time, the way office suites lay them out.

Paragraphs are hard-wrapped to the text column by glyph width, first lines are indented
two characters, headings stand on their own line, and each page may carry a running
header and a page label. The CJK font is reportlab's built-in STSong-Light (not embedded,
so no font files are needed).

pdfium cannot measure glyphs of a non-embedded CJK font and drops a text object that
holds a single such glyph, so lines are drawn with a trailing space, as many producers do.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
SIZE = 14.0
LEFT, RIGHT = 90.0, A4[0] - 90.0
TOP, BOTTOM = A4[1] - 80.0, 90.0
LEADING = 28.0
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


@dataclass(frozen=True)
class Grid:
    """A table drawn with ruling lines; the first row is the header."""

    rows: Sequence[Sequence[str]]
    widths: Sequence[float]


PAGE_BREAK = "\f"  # a paragraph that starts a new page


def _font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def width(text: str, size: float = SIZE) -> float:
    _font()
    return pdfmetrics.stringWidth(text, FONT, size)


def wrap(paragraph: str, *, indent: bool = True, column: float = RIGHT - LEFT) -> list[tuple[str, float]]:
    """Hard-wraps by glyph width, as a word processor does, anywhere in a word or number."""
    lines, current = [], ""
    offset = 2 * SIZE if indent else 0.0
    for char in paragraph:
        if current and width(current + char) > column - offset:
            lines.append((current, offset))
            current, offset = "", 0.0
        current += char
    if current:
        lines.append((current, offset))
    return lines


def layout(paragraphs: Sequence[str | Grid]) -> list[tuple[str, float] | Grid | str]:
    """Paragraphs (headings unindented) to lines, keeping grids and page breaks as they are."""
    out: list[tuple[str, float] | Grid | str] = []
    for paragraph in paragraphs:
        if isinstance(paragraph, Grid) or paragraph == PAGE_BREAK:
            out.append(paragraph)
        else:
            out.extend(wrap(paragraph, indent=not _HEADING.match(paragraph)))
    return out


def write_report(
    path: Path,
    paragraphs: Sequence[str | Grid],
    *,
    header: str | None = None,
    page_label: str | None = None,
    fake_bold: bool = False,
    lines_per_page: int | None = None,
) -> Path:
    """A multi-page report. `page_label` is a format with {n}, e.g. "— {n} —"."""
    _font()
    pdf = canvas.Canvas(str(path), pagesize=A4)
    y, page = TOP, 1
    used = 0

    def start_page() -> None:
        if header:
            pdf.setFont(FONT, 10.5)
            pdf.drawCentredString(A4[0] / 2, A4[1] - 50, header)

    def finish_page() -> None:
        nonlocal y, page, used
        if page_label:
            pdf.setFont(FONT, 10.5)
            pdf.drawCentredString(A4[0] / 2, 50, page_label.format(n=page) + " ")
        pdf.showPage()
        y, page, used = TOP, page + 1, 0
        start_page()

    start_page()
    for item in layout(paragraphs):
        if item == PAGE_BREAK:
            finish_page()
            continue
        if isinstance(item, Grid):
            needed = LEADING * 1.2 * len(item.rows)
            if y - needed < BOTTOM:
                finish_page()
            y = draw_grid(pdf, item, y - 10) - LEADING
            continue
        if y < BOTTOM or (lines_per_page is not None and used >= lines_per_page):
            finish_page()
        text, offset = item
        _draw_line(pdf, LEFT + offset, y, text, fake_bold)
        y -= LEADING
        used += 1
    if page_label:
        pdf.setFont(FONT, 10.5)
        pdf.drawCentredString(A4[0] / 2, 50, page_label.format(n=page) + " ")
    pdf.save()
    return path


def _draw_line(pdf: canvas.Canvas, x: float, y: float, text: str, fake_bold: bool) -> None:
    pdf.setFont(FONT, SIZE)
    if not fake_bold:
        pdf.drawString(x, y, text + " ")
        return
    for char in text:  # each glyph twice, a fraction of a point apart, as its own text object
        pdf.drawString(x, y, char)
        pdf.drawString(x + 0.4, y, char)
        x += width(char)


def draw_grid(pdf: canvas.Canvas, grid: Grid, top: float) -> float:
    """Draws the grid with its upper edge at `top`; returns its lower edge."""
    row_height = LEADING * 1.2
    xs = [LEFT]
    for w in grid.widths:
        xs.append(xs[-1] + w)
    bottom = top - row_height * len(grid.rows)
    pdf.setLineWidth(0.8)
    for i in range(len(grid.rows) + 1):
        pdf.line(xs[0], top - i * row_height, xs[-1], top - i * row_height)
    for x in xs:
        pdf.line(x, top, x, bottom)
    pdf.setFont(FONT, 12)
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row):
            pdf.drawString(xs[c] + 4, top - (r + 1) * row_height + 10, cell + " ")
    return bottom


def write_scanned(path: Path, pages: int = 1) -> Path:
    """Pages that are only an image of text, as a scanner makes them: no text layer."""
    picture = Image.new("L", (400, 560), 255)
    for row in range(40, 520, 24):
        picture.paste(0, (40, row, 360, row + 10))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        buffer.seek(0)
        pdf.drawImage(ImageReader(buffer), 60, 80, width=A4[0] - 120, height=A4[1] - 160)
        pdf.showPage()
    pdf.save()
    return path


def encrypt(source: Path, target: Path, *, user: str, owner: str = "owner-secret") -> Path:
    """AES-256 encryption; an empty user password opens the file without asking."""
    with pikepdf.open(source) as pdf:
        pdf.save(target, encryption=pikepdf.Encryption(user=user, owner=owner, R=6))
    return target


def concatenate(sources: Sequence[Path], target: Path) -> Path:
    parts = [pikepdf.open(source) for source in sources]
    try:
        with pikepdf.new() as pdf:
            for part in parts:
                pdf.pages.extend(part.pages)
            pdf.save(target)
    finally:
        for part in parts:
            part.close()
    return target


def truncate(source: Path, target: Path, *, keep: float) -> Path:
    """The first `keep` share of the bytes, as an interrupted download leaves a file."""
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * keep)])
    return target
