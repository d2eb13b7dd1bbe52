"""Plain data records passed between the pure stages (read → clean → extract).

They live in one module so that every stage can depend on them without depending on
each other, and so that the Dagster layer can turn them into tables in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Document statuses. Anything but OK carries a human-readable error.
OK = "ok"
EMPTY = "empty"  # nothing readable in the file (0 bytes, only whitespace)
UNREADABLE = "unreadable"  # binary junk or an undecodable text file
CORRUPT = "corrupt"  # a PDF that cannot be parsed
ENCRYPTED = "encrypted"  # a PDF that needs a password
NEEDS_OCR = "needs_ocr"  # a PDF without a text layer (scanned)
TOO_LARGE = "too_large"  # beyond the configured size limit; never read into memory
UNSUPPORTED = "unsupported"  # a file type the pipeline does not read
DUPLICATE = "duplicate"  # same content as another file; facts are not counted twice
SKIPPED = "skipped"  # not read on purpose: a link out of the raw folder, a device, an unreadable entry
NO_CONTENT = "no_content"  # read, but nothing is left after cleaning: the page is all navigation or boilerplate
FAILED = "failed"  # a stage crashed on this document (a bug); the error names the stage and the exception
CHANGED = "changed"  # changed, vanished or became unreadable after discovery: reported, read again next build
TIMED_OUT = "timed_out"  # a stage ran past the per-document time limit (pipelines/worker.py)
TOO_COMPLEX = "too_complex"  # a stage needed more memory than the per-document limit (a PDF bomb)
STATUSES = (
    OK,
    EMPTY,
    UNREADABLE,
    CORRUPT,
    ENCRYPTED,
    NEEDS_OCR,
    TOO_LARGE,
    UNSUPPORTED,
    DUPLICATE,
    SKIPPED,
    NO_CONTENT,
    FAILED,
    CHANGED,
    TIMED_OUT,
    TOO_COMPLEX,
)
# Statuses that say nothing about the content itself: a cached result with one is never reused.
TRANSIENT_STATUSES = frozenset({CHANGED})

# What a figure states: a level (actual, target) or a change (in the indicator unit, or in percent).
VALUE_KINDS = ("actual", "target", "change_abs", "change_pct")
ACTUAL, TARGET, CHANGE_ABS, CHANGE_PCT = VALUE_KINDS


@dataclass(frozen=True)
class Page:
    """A PDF page as a span of the document text, so a fact's offset gives its page."""

    number: int  # 1-based
    start: int
    end: int
    method: str = "text"  # how the page was read: "text" (its text layer) or "ocr"
    confidence: float | None = None  # mean OCR recognition score (0-1) of an OCR page


@dataclass(frozen=True)
class Removal:
    """One span of noise taken out of a document, kept for the audit table."""

    start: int  # offsets into the text the removing stage received
    end: int
    reason: str
    text: str
    page: int | None = None


@dataclass
class ReadResult:
    """What the read stage knows about one file; never raised, always returned."""

    status: str
    error: str | None = None
    text: str = ""  # NFKC-folded text; PDF pages joined, tables appended as 'a | b | c' rows
    original: str = ""  # the decoded text before folding, for traceability
    pages: list[Page] = field(default_factory=list)
    encoding: str | None = None
    file_type: str = "txt"  # 'txt' | 'pdf' | 'unknown' (by content, not by extension)
    n_tables: int = 0
    removals: list[Removal] = field(default_factory=list)  # running headers, page numbers

    @property
    def ocr_pages(self) -> list[Page]:
        return [p for p in self.pages if p.method == "ocr"]

    @property
    def read_method(self) -> str | None:
        """'text', 'ocr' or 'text+ocr' for a PDF read page by page; None for other files."""
        methods = {p.method for p in self.pages}
        return "+".join(m for m in ("text", "ocr") if m in methods) or None

    @property
    def ocr_confidence(self) -> float | None:
        """Mean OCR score of the OCR pages, weighted by the characters each gave."""
        scored = [(p.confidence, p.end - p.start) for p in self.ocr_pages if p.confidence is not None]
        total = sum(n for _, n in scored)
        return sum(c * n for c, n in scored) / total if total else None


@dataclass
class CleanResult:
    """Text with the noise removed, in its original script, plus a simplified twin.

    `simplified` has exactly the length of `text`, so offsets found by the extractor on the
    simplified text point at the same characters of the original-script clean text.
    `segments` maps clean offsets back to offsets of the text the cleaner received:
    (clean_start, source_start, length) runs, sorted by clean_start.
    """

    text: str
    simplified: str
    removals: list[Removal] = field(default_factory=list)
    segments: list[tuple[int, int, int]] = field(default_factory=list)

    def to_source(self, pos: int) -> int:
        """Offset in the cleaner's input of the clean-text character at `pos`."""
        lo, hi = 0, len(self.segments) - 1
        best = None
        while lo <= hi:
            mid = (lo + hi) // 2
            if self.segments[mid][0] <= pos:
                best = self.segments[mid]
                lo = mid + 1
            else:
                hi = mid - 1
        if best is None:
            return pos
        clean_start, source_start, length = best
        return source_start + min(pos - clean_start, max(length - 1, 0))


@dataclass(frozen=True)
class Area:
    """An administrative area from the shipped gazetteer."""

    name: str  # full simplified name with suffix: 安阳市, 彰武县
    level: str  # 'province' | 'prefecture' | 'county'
    adcode: str  # 6-digit code
    province: str | None  # 河南省; the area itself for provinces
    parent: str | None  # the prefecture of a county, the province of a prefecture
    name_en: str | None = None  # pinyin/English, e.g. 'Anyang'


@dataclass(frozen=True)
class DocContext:
    """Document-level facts that sentence-level extraction resolves against."""

    title: str | None
    doc_date: date | None  # publication, meeting or signature date found in the text
    subject_year: int | None  # "2024年度环境状况" → 2024
    area: Area | None  # the document's own area ("我市")
    source_type: str  # 'bulletin' | 'congress' | 'government' | 'plan' | 'bureau' | 'news' | 'unknown'
    plan: str | None = None  # '十四五' when the document is a five-year plan


@dataclass(frozen=True)
class RawFact:
    """One stated figure as the extractor found it, before unit normalisation."""

    indicator_code: str
    region_name: str | None
    year: int | None
    value_kind: str  # one of VALUE_KINDS
    figure_text: str  # the figure as written: '7.8', '二〇', '百分百'
    number: float  # the figure as a signed number, in the written unit (7.8 for 7.8万亩)
    unit_text: str  # the unit as written: '万亩', '%', '微克/立方米', '个百分点', ''
    qualifier: str | None  # '≥' | '≤' | '>' | '≈' | None
    sentence: str  # the evidence sentence from the clean text
    start: int  # offsets of the figure in the clean text
    end: int
    year_start: int | None = None  # first year of a span ("十三五期间" → 2016)
    base_year: int | None = None  # the base of a change (同比 → year − 1)
    area_key: str | None = None  # adcode of the area, as resolved where the figure was found
    rule: str | None = None  # the extraction rule that paired indicator and figure (extraction.RULES)
    period_start: date | None = None  # first day of the part of the year the figure covers ('1—5月')
    period_end: date | None = None  # last day (inclusive); both null for a whole-year figure
    is_full_year: bool = True  # False for a month, quarter, half or the year to a date
