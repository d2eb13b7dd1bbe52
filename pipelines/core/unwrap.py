"""Re-flow text files that were hard-wrapped at a fixed width (PDFs saved as text, e-mail bodies).

Such files break sentences, words and even numbers across lines ("达到 9⏎⏎5.3 %"); left alone
the extractor would read 5.3 where the report says 95.3. Files whose lines are paragraphs
(most web pages) are left untouched.
"""

from __future__ import annotations

import re
from statistics import median

from pipelines.core.pdfs import joiner

_SENTENCE_END = re.compile(r"[。！？!?；;：:」』”\"）)】]\s*$")
# A link to another story, its title cut at a fixed width and its date after it ("- 丰台区全力深化大
# 气污染防2017-09-13"): a list of them looks hard-wrapped, but each ends at its date.
_DATED_ITEM_END = re.compile(r"(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\s*$")
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]\D|第[一二三四五六七八九十\d]+[章节条])"
)
MIN_LINES = 8
MIN_WIDTH = 16


def wrap_width(lines: list[str]) -> int | None:
    """The fixed width the text was wrapped at, or None when its lines are paragraphs.

    Hard-wrapped text has most lines within a few characters of one width; paragraphs vary.
    """
    lengths = [len(line.strip()) for line in lines if line.strip()]
    if len(lengths) < MIN_LINES:
        return None
    width = median(lengths)
    if width < MIN_WIDTH:
        return None
    near = sum(1 for n in lengths if 0.8 * width <= n <= 1.15 * width)
    return int(width) if near >= 0.6 * len(lengths) else None


def unwrap(text: str) -> str:
    """Join each full-width line to the next non-empty one unless a sentence or heading ends there."""
    lines = text.split("\n")
    width = wrap_width(lines)
    if width is None:
        return text
    out: list[str] = []
    pending = ""
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if pending and not _HEADING.match(stripped):
            pending += joiner(pending, stripped) + stripped
        else:
            if pending:
                out.append(pending)
            pending = stripped
        full = len(stripped) >= 0.85 * width
        if not full or _SENTENCE_END.search(stripped) or _DATED_ITEM_END.search(stripped):
            out.append(pending)
            pending = ""
    if pending:
        out.append(pending)
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")
