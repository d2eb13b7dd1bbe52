"""Strip page noise from scraped reports while keeping every cut auditable and every offset traceable.

The extractor must never see a figure that belongs to spam, navigation or another story's
headline, yet must see every figure of the body, the title, the issuer and the dates. So the
cleaner removes only spans that a rule recognises as noise, records each one as a `Removal`,
and maps the kept text back to its input through `segments`. Rules combine vocabularies
(noise_patterns) with structural signals: lines without sentence punctuation, link-list
shapes, density of SEO terms, repetition.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import opencc

from pipelines.core import noise_patterns as P
from pipelines.core.models import CleanResult, Removal

SEO_SPAM = "seo_spam"
HEADLINE_RUN = "headline_run"
SPAM_HEADER = "spam_header"
NAVIGATION = "navigation"
PAGE_META = "page_meta"
IMAGE_FILENAME = "image_filename"
DUPLICATE_BLOCK = "duplicate_block"
PINYIN = "pinyin"
REASONS = (
    SEO_SPAM,
    HEADLINE_RUN,
    SPAM_HEADER,
    NAVIGATION,
    PAGE_META,
    IMAGE_FILENAME,
    DUPLICATE_BLOCK,
    PINYIN,
)

Span = tuple[int, int, str]

# Structural thresholds, in non-space characters.
META_LINE_MAX = 200  # page-meta and chrome lines are short
LINK_MAX = 80  # an entry of a link list
SHORT_NAV_MAX = 12  # an entry of a vertical menu
DUP_MIN_TOTAL = 40  # a repeated run shorter than this may be a legitimately repeated heading
DUP_MIN_UNIT = 25


@dataclass(frozen=True)
class _Line:
    start: int
    end: int  # exclusive, before the '\n'
    text: str
    compact: str  # without white space

    @property
    def blank(self) -> bool:
        return not self.compact

    @property
    def prose(self) -> bool:
        return bool(P.HAS_SENTENCE_PUNCT_RE.search(self.text))


def clean_text(text: str, *, file_type: str = "txt") -> CleanResult:
    """Remove page noise from NFKC-folded text; returns the clean text, its simplified twin and the audit."""
    spans = _find_noise(_folded_view(text), web=file_type != "pdf") + _pinyin_spans(text)
    return _assemble(text, spans)


def _folded_view(text: str) -> str:
    """Simplified, lower-case text with the input's offsets: the view the rules are written for."""
    view = to_simplified(text)
    lowered = view.lower()  # only U+0130 grows when lowered; no character shrinks
    return lowered if len(lowered) == len(view) else view.translate(P.ASCII_LOWER)


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """OpenCC t2s of `text` with the same length, so offsets found on it hold for `text`.

    The text is converted by phrase in one call; a line whose conversion changes its length
    is converted again Han run by Han run, and a run whose length changes character by character.
    """
    convert = _t2s().convert
    lines = text.split("\n")
    try:
        converted = convert(text).split("\n")
    except UnicodeError:  # lone surrogates cannot reach OpenCC; Han runs never contain one
        return _simplify_runs(text)
    if len(converted) != len(lines):
        converted = [convert(line) for line in lines]
    return "\n".join(
        conv if len(conv) == len(line) else _simplify_runs(line) for line, conv in zip(lines, converted, strict=True)
    )


def _simplify_runs(line: str) -> str:
    convert = _t2s().convert

    def run(m: re.Match[str]) -> str:
        conv = convert(m.group())
        if len(conv) == len(m.group()):
            return conv
        return "".join(c if len(c := convert(ch)) == 1 else ch for ch in m.group())

    return P.HAN_RUN_RE.sub(run, line)


# ------------------------------------------------------------------------------------ assembly


def _assemble(text: str, spans: list[Span]) -> CleanResult:
    removals: list[Removal] = []
    segments: list[tuple[int, int, int]] = []
    pieces: list[str] = []
    pos = clean_pos = 0
    for start, end, reason in _disjoint(spans):
        if start > pos:
            segments.append((clean_pos, pos, start - pos))
            pieces.append(text[pos:start])
            clean_pos += start - pos
        if removals and removals[-1].end == start and removals[-1].reason == reason:
            prev = removals.pop()
            start = prev.start
        removals.append(Removal(start=start, end=end, reason=reason, text=text[start:end]))
        pos = end
    if pos < len(text):
        segments.append((clean_pos, pos, len(text) - pos))
        pieces.append(text[pos:])
    clean = "".join(pieces)
    return CleanResult(text=clean, simplified=to_simplified(clean), removals=removals, segments=segments)


def _disjoint(spans: Iterable[Span]) -> Iterator[Span]:
    """Sorted, non-overlapping spans; where two overlap the earlier-starting (then longer) one wins."""
    cur_end = 0
    for start, end, reason in sorted(spans, key=lambda s: (s[0], -s[1])):
        start = max(start, cur_end)
        if start < end:
            yield start, end, reason
            cur_end = end


# ------------------------------------------------------------------------------------ detection


def _split_lines(text: str) -> list[_Line]:
    lines = []
    pos = 0
    for raw in text.split("\n"):
        lines.append(_Line(pos, pos + len(raw), raw, P.WS_RE.sub("", raw)))
        pos += len(raw) + 1
    return lines


def _find_noise(text: str, *, web: bool) -> list[Span]:
    lines = _split_lines(text)
    reasons: list[str | None] = [_whole_line_reason(ln, web=web) for ln in lines]
    _mark_blocks(lines, reasons, web=web)
    spans: list[Span] = []
    whole: dict[int, list[Span]] = {}  # lines removed whole by several inline rules, kept per rule
    partial: dict[int, list[Span]] = {}  # lines with some inline noise removed
    for i, ln in enumerate(lines):
        if reasons[i] is not None or ln.blank:
            continue
        inline = _inline_spans(ln)
        if inline and _covers_all(ln, inline):
            filled = _fill_line(ln, inline, len(text))
            whole[i] = filled
            reasons[i] = filled[-1][2]
        elif inline:
            spans.extend(inline)
            partial[i] = inline
    spans.extend(_mark_duplicates(lines, reasons, whole, partial))
    _absorb_blank_lines(lines, reasons)
    for i, ln in enumerate(lines):
        if i in whole:
            spans.extend(whole[i])
        elif reasons[i] is not None:
            spans.append((ln.start, min(ln.end + 1, len(text)), reasons[i]))
    return spans


def _fill_line(ln: _Line, spans: list[Span], text_len: int) -> list[Span]:
    """Disjoint spans covering the whole line and its break; white space goes to the span before it."""
    parts = list(_disjoint(spans))
    bounds = [ln.start] + [a for a, _, _ in parts[1:]] + [min(ln.end + 1, text_len)]
    return [(bounds[k], bounds[k + 1], r) for k, (_, _, r) in enumerate(parts)]


def _whole_line_reason(ln: _Line, *, web: bool) -> str | None:
    if ln.blank:
        return None
    s, n = ln.text, len(ln.compact)
    if _is_spam_header(ln):
        return SPAM_HEADER
    if P.DISCLAIMER_RE.match(s):
        return NAVIGATION
    if n <= META_LINE_MAX and (_breadcrumb_label(s) or P.PREV_NEXT_RE.match(s)):
        return NAVIGATION
    if n > META_LINE_MAX or ln.prose:
        return None
    # Short lines without sentence punctuation: where page furniture lives.
    if P.RELATED_INLINE_RE.match(s) or P.BREADCRUMB_HOME_RE.match(s) or P.TAG_LINE_RE.match(s):
        return NAVIGATION
    if web and _is_headline_list(ln):
        return HEADLINE_RUN
    if P.IMAGE_EXT_RE.search(s) and P.IMAGE_LINE_RE.match(s):
        return IMAGE_FILENAME
    if P.BYLINE_RE.match(s):
        return PAGE_META
    if _is_chrome_only(s) or P.FOOTER_STRONG_RE.search(s) or _is_nav_menu(ln):
        return NAVIGATION
    return None


def _breadcrumb_label(s: str) -> re.Match[str] | None:
    m = P.BREADCRUMB_LABEL_RE.match(s)
    return m if m and P.BREADCRUMB_TRAIL_RE.search(s, m.end()) else None


def _is_spam_header(ln: _Line) -> bool:
    strong = len(P.SPAM_STRONG_RE.findall(ln.text))
    latin = bool(P.LATIN_RE.search(ln.text))
    if latin:
        strong += len(P.SPAM_LATIN_RE.findall(ln.text))
    if strong >= 3:
        return True
    if len(ln.compact) > 150 or ln.prose:
        return False
    if strong:
        return True
    domain = latin and P.NUMBERED_DOMAIN_RE.search(ln.text)
    return bool(domain) and (len(ln.compact) <= 40 or bool(P.SPAM_WEAK_RE.search(ln.text)))


def _is_headline_list(ln: _Line) -> bool:
    """Headlines of other stories separated by spaces: several long, unpunctuated, Han tokens."""
    if ln.prose or P.SOFT_PUNCT_RE.search(ln.text) or "|" in ln.text:
        return False
    tokens = [t for t in ln.text.split() if not t.isdigit()]  # rank numbers of a trending list
    return len(tokens) >= 4 and all(6 <= len(t) <= 30 and len(P.HAN_RE.findall(t)) * 3 >= len(t) * 2 for t in tokens)


def _is_chrome_only(s: str) -> bool:
    if not P.CHROME_TOKEN_RE.search(s):
        return False
    return not P.CHROME_SEPARATORS_RE.sub("", P.CHROME_TOKEN_RE.sub("", s))


def _is_nav_menu(ln: _Line) -> bool:
    if ln.prose or len(ln.compact) > META_LINE_MAX or P.SOFT_PUNCT_RE.search(ln.text):
        return False
    tokens = [t for t in P.NAV_TOKEN_SPLIT_RE.split(ln.text) if t]
    if len(tokens) < 3 or any(len(t) > 10 or P.DIGIT_RE.search(t) for t in tokens):
        return False
    hits = sum(t in P.NAV_MENU_WORDS for t in tokens)
    return hits >= 2 and hits * 3 >= len(tokens)


def _is_link_like(ln: _Line) -> bool:
    return 2 <= len(ln.compact) <= LINK_MAX and not P.SENTENCE_END_RE.search(ln.text.rstrip("?？ "))


def _mark_blocks(lines: list[_Line], reasons: list[str | None], *, web: bool) -> None:
    """Rules that need a line's neighbours: link lists, menus, footers, breadcrumb echoes."""
    _mark_related_lists(lines, reasons, web=web)
    if web:
        _mark_vertical_menus(lines, reasons)
        _mark_breadcrumb_echoes(lines, reasons)
    _mark_footer_neighbours(lines, reasons)
    _mark_seo_line_runs(lines, reasons)
    _mark_companion_tail(lines, reasons)
    _mark_orphans(lines, reasons)


def _mark_related_lists(lines: list[_Line], reasons: list[str | None], *, web: bool) -> None:
    """A 相关阅读/热点新闻 heading and the links under it.

    A link-like line followed by prose, a numbered heading or a metadata line is the next
    story's title or the body's heading, and ends the list.
    """
    nonblank = [i for i, ln in enumerate(lines) if not ln.blank]
    k = 0
    while k < len(nonblank):
        i = nonblank[k]
        k += 1
        if not P.RELATED_HEADING_RE.match(lines[i].text):
            continue
        reasons[i] = NAVIGATION
        while web and k < len(nonblank):
            j = nonblank[k]
            if not (reasons[j] or _is_link_like(lines[j])) or P.BODY_HEADING_RE.match(lines[j].text):
                break
            nxt = lines[nonblank[k + 1]] if k + 1 < len(nonblank) else None
            if not reasons[j] and nxt is not None and (nxt.prose or P.META_LABEL_RE.search(nxt.text)):
                break
            reasons[j] = reasons[j] or NAVIGATION
            k += 1


def _mark_vertical_menus(lines: list[_Line], reasons: list[str | None]) -> None:
    def menu_item(ln: _Line) -> bool:
        if len(ln.compact) > SHORT_NAV_MAX + 3:
            return False
        c = P.BULLET_RE.sub("", ln.compact)
        return 0 < len(c) <= SHORT_NAV_MAX and not P.DIGIT_RE.search(c) and not P.SOFT_PUNCT_RE.search(c)

    run: list[int] = []
    for i in [*range(len(lines)), len(lines)]:
        if i < len(lines) and (lines[i].blank or menu_item(lines[i])):
            if not lines[i].blank:
                run.append(i)
            continue
        hits = sum(P.BULLET_RE.sub("", lines[k].compact) in P.NAV_MENU_WORDS for k in run)
        if len(run) >= 3 and hits >= 2:
            for k in run:
                reasons[k] = reasons[k] or NAVIGATION
        run = []


def _mark_breadcrumb_echoes(lines: list[_Line], reasons: list[str | None]) -> None:
    """Section names repeated under a breadcrumb ("部门动态" as a sidebar heading) are chrome."""
    crumbs: set[str] = set()
    for ln in lines:
        m = _breadcrumb_label(ln.text)
        if m or P.BREADCRUMB_HOME_RE.match(ln.text):
            tail = ln.text[m.end() :] if m else ln.text
            crumbs.update(c for c in (P.WS_RE.sub("", x) for x in P.BREADCRUMB_SEP_RE.split(tail)) if c)
    crumbs = {c for c in crumbs if len(c) <= 10}
    if not crumbs:
        return
    for i, ln in enumerate(lines):
        if reasons[i] is None and P.BULLET_RE.sub("", ln.compact) in crumbs:
            reasons[i] = NAVIGATION


def _mark_footer_neighbours(lines: list[_Line], reasons: list[str | None]) -> None:
    def weak_footer(ln: _Line) -> bool:
        return len(ln.compact) <= LINK_MAX and not ln.prose and bool(P.FOOTER_WEAK_RE.search(ln.text))

    footers = [i for i, ln in enumerate(lines) if reasons[i] and P.FOOTER_STRONG_RE.search(ln.text)]
    for i in footers:
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lines) and (lines[j].blank or reasons[j] or weak_footer(lines[j])):
                if not lines[j].blank:
                    reasons[j] = reasons[j] or NAVIGATION
                j += step


def _seo_coverage(s: str) -> tuple[int, int]:
    """(characters covered by SEO terms, number of core SEO terms)."""
    covered = core = 0
    for m in P.SEO_TERM_RE.finditer(s):
        covered += m.end() - m.start()
        core += bool(P.SEO_CORE_RE.search(m.group()))
    return covered, core


def _mark_seo_line_runs(lines: list[_Line], reasons: list[str | None]) -> None:
    """Keyword stuffing printed one phrase per line ("湘潭网站建设", "长沙seo优化报价")."""

    def seo_line(ln: _Line) -> bool:
        if len(ln.compact) > 30 or "|" in ln.text or P.SOFT_PUNCT_RE.search(ln.text):
            return False
        covered, core = _seo_coverage(ln.compact)
        return core >= 1 and covered * 5 >= len(ln.compact) * 2

    run: list[int] = []
    for i in [*range(len(lines)), len(lines)]:
        if i < len(lines) and (lines[i].blank or seo_line(lines[i])):
            if not lines[i].blank:
                run.append(i)
            continue
        if len(run) >= 3:
            for k in run:
                reasons[k] = reasons[k] or SEO_SPAM
        run = []


def _mark_companion_tail(lines: list[_Line], reasons: list[str | None]) -> None:
    """Links to a page's 政策解读/图解 companions, left between the body's end and the page tools."""
    for i in range(len(lines) - 1, -1, -1):
        ln = lines[i]
        if ln.blank or reasons[i]:
            continue
        if _is_link_like(ln) and not ln.prose and P.COMPANION_LINK_RE.search(ln.text):
            reasons[i] = NAVIGATION
        else:
            return


def _mark_orphans(lines: list[_Line], reasons: list[str | None]) -> None:
    """One or two short unknown lines wedged between navigation lines after the body (an account
    name, a widget label) are navigation too; before the last prose line they may be a title."""
    nonblank = [i for i, ln in enumerate(lines) if not ln.blank]
    last_prose = max((i for i in nonblank if lines[i].prose and not reasons[i]), default=-1)

    def orphan(i: int) -> bool:
        ln = lines[i]
        return i > last_prose and reasons[i] is None and len(ln.compact) <= 10 and not P.DIGIT_RE.search(ln.compact)

    for k in range(1, len(nonblank) - 1):
        if reasons[nonblank[k - 1]] != NAVIGATION or not orphan(nonblank[k]):
            continue
        run = [nonblank[k]]
        if k + 2 < len(nonblank) and orphan(nonblank[k + 1]):
            run.append(nonblank[k + 1])
        after = k + len(run)
        if after < len(nonblank) and reasons[nonblank[after]] == NAVIGATION:
            for i in run:
                reasons[i] = NAVIGATION


def _blank_out(ln: _Line, spans: list[Span]) -> str:
    """The line with the spans' characters turned to spaces, offsets unchanged."""
    kept = ln.text
    for start, end, _ in spans:
        a, b = max(start - ln.start, 0), min(end - ln.start, len(kept))
        if a < b:
            kept = kept[:a] + " " * (b - a) + kept[b:]
    return kept


def _covers_all(ln: _Line, spans: list[Span]) -> bool:
    return not _blank_out(ln, spans).strip()


def _inline_spans(ln: _Line) -> list[Span]:
    spans = _seo_and_headline_spans(ln)
    if len(ln.compact) <= META_LINE_MAX and not ln.prose:
        spans += _meta_spans(ln)
    if P.EDITOR_HINT_RE.search(ln.text):
        spans += [(ln.start + m.start(), ln.start + m.end(), PAGE_META) for m in P.EDITOR_PAREN_RE.finditer(ln.text)]
    if P.IMAGE_EXT_RE.search(ln.text):
        spans += [
            (ln.start + m.start(), ln.start + m.end(), IMAGE_FILENAME) for m in P.IMAGE_INLINE_RE.finditer(ln.text)
        ]
    return spans


def _seo_and_headline_spans(ln: _Line) -> list[Span]:
    """SEO clusters and glued headline runs inside one line (they often share the same line)."""
    s = ln.text
    spans: list[Span] = []
    if P.SEO_CORE_RE.search(s):
        spans = _seo_clusters(s)
    if not spans and len(ln.compact) < P.HEADLINE_MIN:
        return []
    # Headline runs: long stretches between soft punctuation, outside SEO clusters.
    cand: list[tuple[int, int]] = []
    for piece in P.LONG_PIECE_RE.finditer(s):
        a = piece.start()
        for ca, cb, _ in spans:
            if a < ca < piece.end() and _headline_like(s[a:ca]):
                cand.append((a, ca))
            if ca < piece.end() and cb > a:
                a = cb
        if a < piece.end() and _headline_like(s[a : piece.end()]):
            cand.append((a, piece.end()))
    merged: list[tuple[int, int]] = []
    for a, b in cand:
        if merged and len(P.WS_RE.sub("", s[merged[-1][1] : a])) <= 1:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    spans += [(a, b, HEADLINE_RUN) for a, b in merged]
    spans.sort()
    # A line that is mostly noise is noise whole: the short leftovers go to the neighbouring span.
    if spans:
        covered = sum(len(P.WS_RE.sub("", s[a:b])) for a, b, _ in spans)
        if covered * 10 >= len(ln.compact) * 9 and not P.HAS_SENTENCE_PUNCT_RE.search(_uncovered(s, spans)):
            return _fill_line(ln, [(ln.start + a, ln.start + b, r) for a, b, r in spans], ln.end)
    return [(ln.start + a, ln.start + b, r) for a, b, r in spans]


def _uncovered(s: str, spans: list[Span]) -> str:
    out, pos = [], 0
    for a, b, _ in sorted(spans):
        out.append(s[pos:a])
        pos = max(pos, b)
    out.append(s[pos:])
    return "".join(out)


def _seo_clusters(s: str) -> list[Span]:
    """Runs of SEO terms glued by short city names, never across punctuation."""
    cuts = [m.start() for m in P.SOFT_PUNCT_RE.finditer(s)]

    def piece(pos: int) -> tuple[int, int]:
        k = bisect_right(cuts, pos)
        return (cuts[k - 1] + 1 if k else 0), (cuts[k] if k < len(cuts) else len(s))

    out: list[Span] = []
    cluster: list[tuple[int, int, bool]] = []
    bounds = (0, 0)

    def flush() -> None:
        if not cluster:
            return
        a, b = cluster[0][0], cluster[-1][1]
        covered = sum(e - st for st, e, _ in cluster)
        core = sum(c for _, _, c in cluster)
        if core >= 3 and covered * 5 >= (b - a) * 2:
            # City names before the first term and a company name after the last go with the block.
            lo, hi = bounds
            out.append((lo if a - lo <= 10 else a, hi if hi - b <= 10 else b, SEO_SPAM))

    for m in P.SEO_TERM_RE.finditer(s):
        here = piece(m.start())
        if cluster and (here != bounds or m.start() - cluster[-1][1] > 10):
            flush()
            cluster = []
        bounds = here
        cluster.append((m.start(), m.end(), bool(P.SEO_CORE_RE.search(m.group()))))
    flush()
    return out


def _headline_like(stretch: str) -> bool:
    compact = P.WS_RE.sub("", stretch)
    n = len(compact)
    if n < P.HEADLINE_MIN or compact.count("《") >= 2 or "|" in compact:
        return False
    han = len(P.HAN_RE.findall(compact))
    digits = len(P.DIGIT_RE.findall(compact))
    tokens = stretch.split()
    return han >= 0.6 * n and digits <= 0.15 * n and n / max(len(tokens), 1) >= 5


def _meta_spans(ln: _Line) -> list[Span]:
    """Chrome inside a short metadata line; dates, issuers and sources stay."""
    s, base = ln.text, ln.start
    spans: list[Span] = []
    labels = list(P.META_LABEL_RE.finditer(s))
    if len(labels) == 1:
        prev = s[labels[0].start() - 1 : labels[0].start()]
        if len(ln.compact) > 30 or not (prev == "" or prev.isspace() or prev in "【[|"):
            labels = []  # a lone label glued to text is a heading ("二、审核：…"), not a metadata field
    for k, m in enumerate(labels):
        label = m.group("label")
        nxt = labels[k + 1].start() if k + 1 < len(labels) else len(s)
        stop = P.META_VALUE_STOP_RE.search(s, m.end(), nxt)
        vend = stop.start() if stop else nxt
        value = s[m.end() : vend].strip()
        while vend > m.end() and s[vend - 1].isspace():
            vend -= 1
        if (
            label in P.META_KEEP_LABELS
            or (label in P.META_SOURCE_LABELS and not P.GENERIC_SOURCE_RE.match(value))
            or (label in P.META_COUNTER_LABELS and not P.META_COUNTER_VALUE_RE.fullmatch(value))
            or (label in P.META_EDITOR_LABELS and len(value) > 16)
        ):
            continue
        reason = NAVIGATION if label in P.META_FONT_LABELS else PAGE_META
        a = m.start()
        while a > 0 and s[a - 1].isspace():
            a -= 1
        b = vend
        close = b
        while close < len(s) and s[close].isspace():
            close += 1
        if a > 0 and s[a - 1] in "【[" and close < len(s) and s[close] in "】]":
            a, b = a - 1, close + 1
            while a > 0 and s[a - 1].isspace():
                a -= 1
        spans.append((base + a, base + b, reason))
    spans += [(base + m.start(), base + m.end(), PAGE_META) for m in P.META_BARE_COUNTER_RE.finditer(s)]
    spans += [(base + m.start(), base + m.end(), NAVIGATION) for m in P.INLINE_CHROME_RE.finditer(s)]
    spans += [(base + m.start(), base + m.end(), PAGE_META) for m in P.EDITION_TOKEN_RE.finditer(s)]
    return spans


def _pinyin_spans(text: str) -> list[Span]:
    spans = []
    for m in P.PINYIN_PAREN_RE.finditer(text):
        reading = m.group(1).translate(P.UNTONE)
        if P.PINYIN_WORD_RE.fullmatch(reading):
            spans.append((m.start(), m.end(), PINYIN))
    return spans


def _mark_duplicates(
    lines: list[_Line],
    reasons: list[str | None],
    whole: dict[int, list[Span]],
    partial: dict[int, list[Span]],
) -> list[Span]:
    """Later copies of sentences/paragraphs already seen (a page scraped twice); the first copy stays.

    Lines are compared without the inline noise already found, so a copy whose view counter
    differs is still a copy. Lines copied whole are marked in `reasons`; copies inside a line
    are returned as spans.
    """
    seen: set[str] = set()
    found: list[tuple[int, int, int]] = []  # (line index, start, end)
    run: list[tuple[int, int, int, int]] = []  # (line index, start, end, length)

    def flush() -> None:
        sizes = [n for *_, n in run]
        if run and sum(sizes) >= DUP_MIN_TOTAL and (max(sizes) >= DUP_MIN_UNIT or len(run) >= 2):
            found.extend((i, a, b) for i, a, b, _ in run)

    for i, ln in enumerate(lines):
        if reasons[i] is not None or ln.blank:
            continue
        view = _blank_out(ln, partial.get(i, []))
        for m in P.UNIT_RE.finditer(view):
            norm = P.WS_RE.sub("", m.group())
            if not norm:
                continue
            if norm in seen:
                run.append((i, ln.start + m.start(), ln.start + m.end(), len(norm)))
            else:
                flush()
                run = []
                seen.add(norm)
    flush()
    by_line: dict[int, list[Span]] = {}
    for i, a, b in found:
        by_line.setdefault(i, []).append((a, b, DUPLICATE_BLOCK))
    spans: list[Span] = []
    for i, line_spans in by_line.items():
        if _covers_all(lines[i], line_spans):
            reasons[i] = DUPLICATE_BLOCK
            whole.pop(i, None)
        else:
            spans.extend(line_spans)
    return spans


def _absorb_blank_lines(lines: list[_Line], reasons: list[str | None]) -> None:
    """Blank lines inside a removed block go with it, so removals do not leave holes of empty lines."""
    prev: int | None = None
    for i, ln in enumerate(lines):
        if ln.blank:
            continue
        if prev is not None and reasons[prev] and reasons[i]:
            for k in range(prev + 1, i):
                reasons[k] = reasons[prev]
        prev = i
