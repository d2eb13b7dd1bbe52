"""Mark figures in place in a document's clean text.

Fact offsets may overlap (one figure read as two indicators: 受污染耕地、重点建设用地安全利用率均为100%)
or even cross. HTML elements must nest, so the text is cut at every span boundary and each piece is
wrapped in the marks that cover it, outermost first. A mark interrupted by a crossing span is reopened
as a continuation: same class and data, no id, so each span keeps exactly one anchor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from pipelines.report.markup import attrs, esc


@dataclass(frozen=True)
class Span:
    """One highlighted figure: [start, end) in the text, its anchor id, class and data-* attributes."""

    start: int
    end: int
    anchor: str
    css_class: str
    data: tuple[tuple[str, object], ...]
    title: str


@dataclass(frozen=True)
class Highlighted:
    html: str
    anchors: tuple[str, ...]


def _order(span: Span) -> tuple[int, int, str]:
    return (span.start, -span.end, span.anchor)


def _open(span: Span, first: bool) -> str:
    css = span.css_class if first else f"{span.css_class} cont"
    ident = [("id", span.anchor)] if first else []
    return f"<mark{attrs([*ident, ('class', css), ('tabindex', '0'), *span.data, ('title', span.title)])}>"


def highlight(text: str, spans: Sequence[Span]) -> Highlighted:
    """Escaped text with a <mark> per span; spans outside the text or empty are left out."""
    valid = sorted((s for s in spans if 0 <= s.start < s.end <= len(text)), key=_order)
    bounds = sorted({0, len(text), *(s.start for s in valid), *(s.end for s in valid)})
    out: list[str] = []
    stack: list[Span] = []
    opened: set[str] = set()
    for lo, hi in pairwise(bounds):
        wanted = [s for s in valid if s.start <= lo and s.end >= hi]
        keep = 0
        while keep < min(len(stack), len(wanted)) and stack[keep] is wanted[keep]:
            keep += 1
        out.append("</mark>" * (len(stack) - keep))
        for span in wanted[keep:]:
            out.append(_open(span, span.anchor not in opened))
            opened.add(span.anchor)
        stack = wanted
        out.append(esc(text[lo:hi]))
    out.append("</mark>" * len(stack))
    return Highlighted(html="".join(out), anchors=tuple(s.anchor for s in valid))
