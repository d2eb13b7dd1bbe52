"""Strip page noise from scraped reports while keeping every cut auditable and every offset traceable.

The extractor must never see a figure that belongs to spam, navigation or another story's
headline, yet must see every figure of the body, the title, the issuer and the dates. So the
cleaner removes only spans that a rule recognises as noise, records each one as a `Removal`,
and maps the kept text back to its input through `segments`. Rules combine vocabularies
(noise_patterns) with structural signals: lines without sentence punctuation, link-list
shapes, density of SEO terms, repetition.

Two guarantees hold whatever a rule says: pinyin readings are cut first and every other rule
reads the text without them, and a span that holds a figure with its unit is kept unless its
reason is one that may remove figures (MAY_REMOVE_FIGURES: other stories' headlines, spam,
SEO blocks, later copies). Text concepts shared with the extractor live in text_concepts.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

import opencc

from pipelines.core import noise_patterns as P
from pipelines.core import table_facts
from pipelines.core import text_concepts as T
from pipelines.core.areas import Gazetteer
from pipelines.core.models import CleanResult, Removal

SEO_SPAM = "seo_spam"
HEADLINE_RUN = "headline_run"
SPAM_HEADER = "spam_header"
NAVIGATION = "navigation"
PAGE_META = "page_meta"
IMAGE_FILENAME = "image_filename"
DUPLICATE_BLOCK = "duplicate_block"
PINYIN = "pinyin"
NOTICE = "notice"
CAPTION = "caption"
REASONS = (
    SEO_SPAM,
    HEADLINE_RUN,
    SPAM_HEADER,
    NAVIGATION,
    PAGE_META,
    IMAGE_FILENAME,
    DUPLICATE_BLOCK,
    PINYIN,
    NOTICE,
    CAPTION,
)
# Reasons whose rules may remove a figure with its unit: other stories' headlines, spam and
# SEO blocks print figures, and a later copy of a sentence leaves its first copy. Every other
# rule keeps a span that holds one, whatever its vocabulary says (the body must survive).
MAY_REMOVE_FIGURES = frozenset({HEADLINE_RUN, SPAM_HEADER, SEO_SPAM, DUPLICATE_BLOCK})

Span = tuple[int, int, str]

# Structural thresholds, in non-space characters.
META_LINE_MAX = 200  # page-meta and chrome lines are short
LINK_MAX = 80  # an entry of a link list
SHORT_NAV_MAX = 12  # an entry of a vertical menu
VERTICAL_MENU_MIN = 5  # entries of a menu no vocabulary knows, next to other chrome
DUP_MIN_TOTAL = 40  # a repeated run shorter than this may be a legitimately repeated heading
DUP_MIN_UNIT = 25
TITLE_LINES = 3  # a page's title is among its first lines left after the chrome


@dataclass(frozen=True)
class _Line:
    start: int
    end: int  # exclusive, before the '\n'
    text: str
    compact: str  # without white space
    prose: bool  # has sentence punctuation
    blank: bool  # nothing but white space


def clean_text(text: str, *, file_type: str = "txt") -> CleanResult:
    """Remove page noise from NFKC-folded text; returns the clean text, its simplified twin and the audit.

    Pinyin readings are found first and the other rules read the text without them, so a
    reading inside a label ("免責(zé)聲明") does not hide the label.
    """
    readings = _pinyin_spans(text)
    view, to_source = _cut_out(_folded_view(text), readings)
    spans = [(to_source(a), to_source(b - 1) + 1, r) for a, b, r in _find_noise(view, web=file_type != "pdf")]
    return _assemble(text, spans + readings)


def _cut_out(text: str, spans: list[Span]) -> tuple[str, Callable[[int], int]]:
    """`text` without the (disjoint, sorted) spans, and the map from its offsets back to `text`'s."""
    pieces: list[str] = []
    at: list[int] = []  # offset in the cut text where each span was removed
    shift: list[int] = []  # characters removed up to and including each span
    pos = removed = 0
    for start, end, _ in spans:
        pieces.append(text[pos:start])
        removed += end - start
        at.append(start - removed + (end - start))
        shift.append(removed)
        pos = end
    pieces.append(text[pos:])

    def to_source(i: int) -> int:
        k = bisect_right(at, i)
        return i + (shift[k - 1] if k else 0)

    return "".join(pieces), to_source


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
    merged: list[list] = []  # [start, end, reason]; touching spans of one reason become one removal
    for start, end, reason in _disjoint(spans):
        if merged and merged[-1][1] == start and merged[-1][2] == reason:
            merged[-1][1] = end
        else:
            merged.append([start, end, reason])
    removals = [Removal(start=a, end=b, reason=r, text=text[a:b]) for a, b, r in merged]
    segments: list[tuple[int, int, int]] = []
    pieces: list[str] = []
    pos = clean_pos = 0
    for start, end, _ in merged:
        if start > pos:
            segments.append((clean_pos, pos, start - pos))
            pieces.append(text[pos:start])
            clean_pos += start - pos
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
        compact = P.WS_RE.sub("", raw)
        prose = bool(P.HAS_SENTENCE_PUNCT_RE.search(compact))
        lines.append(_Line(pos, pos + len(raw), raw, compact, prose, not compact))
        pos += len(raw) + 1
    return lines


def _find_noise(text: str, *, web: bool) -> list[Span]:
    lines = _split_lines(text)
    reasons: list[str | None] = [_whole_line_reason(ln, web=web) for ln in lines]
    _mark_blocks(lines, reasons, web=web)
    _keep_tables(text, lines, reasons)
    spans: list[Span] = []
    whole: dict[int, list[Span]] = {}  # lines removed whole by several inline rules, kept per rule
    partial: dict[int, list[Span]] = {}  # lines with some inline noise removed
    first = [i for i, ln in enumerate(lines) if reasons[i] is None and not ln.blank][:TITLE_LINES]
    titles = set(first) if web else set()
    for i, ln in enumerate(lines):
        if reasons[i] is not None or ln.blank:
            continue
        inline = _inline_spans(ln) + (_title_spans(ln) if i in titles else [])
        if inline and _covers_all(ln, inline):
            filled = _fill_line(ln, inline, len(text))
            whole[i] = filled
            reasons[i] = filled[-1][2]
        elif inline:
            spans.extend(inline)
            partial[i] = inline
    if web:
        _mark_link_lists(lines, reasons)
    spans.extend(_mark_duplicates(lines, reasons, whole, partial))
    _absorb_blank_lines(lines, reasons)
    for i, ln in enumerate(lines):
        if i in whole:
            spans.extend(whole[i])
        elif reasons[i] is not None:
            spans.append((ln.start, min(ln.end + 1, len(text)), reasons[i]))
    return _guard_figures(text, spans)


def _keep_tables(text: str, lines: list[_Line], reasons: list[str | None]) -> None:
    """A table flattened one cell a line ('空气质量综合指数 |', '一级 |', '||||') looks like a
    vertical menu; where its rows hold figures under a header that lines up, it is body."""
    for table in table_facts.find_tables(text):
        if table.header is None or not table.rows:
            continue
        for i, ln in enumerate(lines):
            if table.start <= ln.start < table.end and reasons[i] == NAVIGATION:
                reasons[i] = None


def _guard_figures(text: str, spans: list[Span]) -> list[Span]:
    """Drop spans that would remove a figure with its unit, unless their rule may (MAY_REMOVE_FIGURES)."""
    return [s for s in spans if s[2] in MAY_REMOVE_FIGURES or not _holds_figure(text, s[0], s[1])]


def _holds_figure(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] holds a figure with its unit that is not part of a widget ("展开剩余72%")."""
    for m in T.figure_unit_re().finditer(text, start, end):
        lo = max(start, m.start() - 12)
        if not any(c.start() <= m.start() and m.end() <= c.end() for c in P.CHROME_TOKEN_RE.finditer(text, lo, end)):
            return True
    return False


def _title_spans(ln: _Line) -> list[Span]:
    """A column label before a page's title ("天天热议：") and the channel after it ("…发布|当前短讯")."""
    if ln.prose or len(ln.compact) > LINK_MAX:
        return []
    spans: list[Span] = []
    if m := P.COLUMN_PREFIX_RE.match(ln.text):
        spans.append((ln.start, ln.start + m.end(), NAVIGATION))
    bars = ln.text.count("|") + ln.text.count("｜")
    if bars <= 1 and (m := P.TITLE_SUFFIX_RE.search(ln.text)) and len(P.WS_RE.sub("", ln.text[: m.start()])) >= 8:
        spans.append((ln.start + m.start(), ln.end, NAVIGATION))
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
    if P.DISCLAIMER_RE.match(s) or P.COOKIE_RE.match(s) or (n <= LINK_MAX and P.ERROR_PAGE_RE.match(s)):
        return NAVIGATION
    if n <= META_LINE_MAX and (_breadcrumb_label(s) or P.PREV_NEXT_RE.match(s)):
        return NAVIGATION
    if n <= META_LINE_MAX and not ln.prose and (_is_trail(s) or P.ACCOUNT_FOLLOW_RE.match(s)):
        return NAVIGATION
    if ln.prose and _is_caption(ln):
        return CAPTION
    if n > META_LINE_MAX or ln.prose:
        return None
    if web and P.SYMBOL_LINE_RE.fullmatch(ln.compact):
        return NAVIGATION
    if web and (P.HTML_TAG_LINE_RE.fullmatch(s) or (_is_glued_menu(s))):
        return NAVIGATION
    if n <= SHORT_NAV_MAX and _is_spaced_out(s) and _is_chrome_only(ln.compact):
        return NAVIGATION  # "分 享 至 手 机": a widget's label spaced out letter by letter
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
    if n <= 40 and P.HOTLINE_RE.match(s):
        return NOTICE
    if _is_caption(ln):
        return CAPTION
    return None


def _is_glued_menu(s: str) -> bool:
    """A menu run together without separators ("首页平安资讯平安要闻热点观察"): it opens with the home
    link and holds at least one more section word of a menu."""
    if not P.GLUED_MENU_RE.fullmatch(s):
        return False
    rest = s.strip()
    return sum(w in rest for w in P.NAV_MENU_WORDS if len(w) >= 2) >= 2 or bool(P.CHANNEL_TOKEN_RE.search(rest, 2))


def _is_spaced_out(s: str) -> bool:
    """Whether a line is single characters separated by spaces ("分 享 至 手 机")."""
    tokens = s.split()
    return len(tokens) >= 3 and all(len(t) == 1 for t in tokens)


def _is_caption(ln: _Line) -> bool:
    """A photo's caption or credit: "三都羊甲风光 陈建 摄", "图为…", a short "发布会现场"."""
    n = len(ln.compact)
    if n > 80 or T.CHAPTER_HEADING_RE.match(ln.text):
        return False
    credit = ln.compact.endswith(("摄", "供图")) and P.PHOTO_CREDIT_RE.search(ln.text)
    credit = credit or (ln.compact.endswith((")", "）")) and P.PHOTO_CREDIT_PAREN_RE.search(ln.text))
    if credit or P.PICTURE_PLACEHOLDER_RE.match(ln.text) or (n <= 60 and P.CAPTION_START_RE.match(ln.text)):
        return True
    return not ln.prose and n <= 30 and not P.SOFT_PUNCT_RE.search(ln.text) and bool(P.CAPTION_END_RE.search(ln.text))


def _breadcrumb_label(s: str) -> re.Match[str] | None:
    m = P.BREADCRUMB_LABEL_RE.match(s)
    return m if m and P.BREADCRUMB_TRAIL_RE.search(s, m.end()) else None


def _is_trail(s: str) -> bool:
    """A breadcrumb without a location label: short named steps joined by '>' or '»'."""
    if ">" not in s and "»" not in s and "›" not in s:
        return False
    parts = P.TRAIL_SEP_RE.split(s.strip())
    steps = [x for x in (P.WS_RE.sub("", x) for x in parts) if x]
    short = len(parts) < 3 and steps[-1:] != ["正文"]  # "大听网 > 正文": two steps when the last is the page
    if len(steps) < 2 or short or any(len(x) > 12 for x in steps) or P.DIGIT_RE.search(s):
        return False
    return any(x in P.NAV_MENU_WORDS or P.TRAIL_END_RE.search(x) for x in steps)


def _is_spam_header(ln: _Line) -> bool:
    if ln.prose:
        return False  # spam glued to a body sentence is cut out of the line (_spam_spans)
    if _only_site_names(ln.text):
        return False  # a betting brand standing for a place's name: the name goes (_site_name_spans)
    strong = _spam_strength(ln.text)
    if strong >= 3:
        return True
    if len(ln.compact) > 150:
        return False
    if strong:
        return True
    domain = P.LATIN_RE.search(ln.text) and P.NUMBERED_DOMAIN_RE.search(ln.text)
    return bool(domain) and (len(ln.compact) <= 40 or bool(P.SPAM_WEAK_RE.search(ln.text)))


def _spam_strength(s: str) -> int:
    strong = len(P.SPAM_STRONG_RE.findall(s)) + len(P.SPAM_BRAND_RE.findall(s))
    if P.LATIN_RE.search(s):
        strong += len(P.SPAM_LATIN_RE.findall(s))
    return strong


def _only_site_names(s: str) -> bool:
    """Whether the spam in `s` is nothing but betting brands put where a place's name stood."""
    if not P.SPAM_SITE_NAME_RE.search(s):
        return False
    rest = P.SPAM_SITE_NAME_RE.sub(" ", s)
    return not _spam_strength(rest) and len(P.SPAM_WEAK_RE.findall(rest)) < 2


def _site_name_spans(ln: _Line) -> list[Span]:
    """Betting brands in place of a place's name ("365bet中文(中国)官方网站 二氧化硫…"): only the names
    go, the sentence or title around them stays; a line left with symbols only goes whole."""
    spans = [(ln.start + m.start(), ln.start + m.end(), SPAM_HEADER) for m in P.SPAM_SITE_NAME_RE.finditer(ln.text)]
    if spans and not P.TEXT_CHAR_RE.search(P.SPAM_SITE_NAME_RE.sub("", ln.text)):
        return [(ln.start, ln.end, SPAM_HEADER)]
    return spans


def _jammer_spans(ln: _Line) -> list[Span]:
    """A forum's anti-copy junk between a post's sentences ("9 S- F( E) V4 {: Y"); it is injected
    text like spam, so it goes whatever digits it holds."""
    spans: list[Span] = []
    for m in P.JAMMER_RUN_RE.finditer(ln.text):
        tokens = m.group().split()
        letters = sum(any("a" <= c <= "z" for c in t) for t in tokens)
        if letters >= P.JAMMER_MIN and len(P.JAMMER_SYMBOLS_RE.findall(m.group())) >= P.JAMMER_MIN:
            spans.append((ln.start + m.start(), ln.start + m.end(), SPAM_HEADER))
    if spans and not P.TEXT_CHAR_RE.search(_blank_out(ln, spans)):
        return [(ln.start, ln.end, SPAM_HEADER)]
    return spans


def _spam_spans(ln: _Line) -> list[Span]:
    """Gambling or porn phrases glued to a body sentence: the stretch between punctuation that holds them."""
    spans: list[Span] = []
    pos = 0
    for m in [*P.SOFT_PUNCT_RE.finditer(ln.text), None]:
        end = m.start() if m else len(ln.text)
        piece = ln.text[pos:end]
        if _only_site_names(piece):
            pos = m.end() if m else end
            continue  # the names alone go (_site_name_spans)
        strong = _spam_strength(piece) if piece.strip() else 0
        spammy = strong >= 2 or (
            strong
            and (
                (P.LATIN_RE.search(piece) and P.NUMBERED_DOMAIN_RE.search(piece))
                or len(P.SPAM_WEAK_RE.findall(piece)) >= 2
            )
        )
        # a spam site's name standing for a place before the place's figure: the name goes, the figure stays
        if spammy and not (P.SPAM_NAME_RE.search(piece) and _holds_figure(ln.text, pos, end)):
            spans.append((ln.start + pos, ln.start + end, SPAM_HEADER))
        pos = m.end() if m else end
    return spans


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
    if len(tokens) < 3 or any(len(t) > 12 or P.DIGIT_RE.search(t) for t in tokens):
        return False
    bar = P.LINK_BAR_SEP_RE.search(ln.text) is not None  # in a bar of links, sites' names are links too
    hits = sum(
        t in P.NAV_MENU_WORDS
        or P.CHANNEL_TOKEN_RE.fullmatch(t) is not None
        or (bar and P.SITE_NAME_RE.fullmatch(t) is not None)
        for t in tokens
    )
    if hits >= 2:  # a channel list names places too ("福建|时评|娱乐|福州|厦门"); a header row of cities does not
        hits += sum(t not in P.NAV_MENU_WORDS and _is_place(t) for t in tokens)
    return hits >= 2 and hits * 3 >= len(tokens) and (bar or all(len(t) <= 10 for t in tokens))


def _is_place(token: str) -> bool:
    return bool(Gazetteer.load().candidates(token))


def _is_link_bar(ln: _Line) -> bool:
    """Short link texts joined by bars: "隐私声明 | 网站地图 | 使用帮助"."""
    if ln.prose or P.SOFT_PUNCT_RE.search(ln.text) or P.DIGIT_RE.search(ln.text):
        return False
    tokens = [P.WS_RE.sub("", t) for t in P.LINK_BAR_SEP_RE.split(ln.text)]
    return len(tokens) >= 3 and all(2 <= len(t) <= 14 for t in tokens)


def _is_link_like(ln: _Line) -> bool:
    return 2 <= len(ln.compact) <= LINK_MAX and not T.SENTENCE_END_RE.search(ln.text.rstrip("?？ "))


def _mark_blocks(lines: list[_Line], reasons: list[str | None], *, web: bool) -> None:
    """Rules that need a line's neighbours: link lists, menus, footers, breadcrumb echoes."""
    _mark_related_lists(lines, reasons, web=web)
    if web:
        _mark_vertical_menus(lines, reasons)
        _mark_breadcrumb_echoes(lines, reasons)
        _mark_banners(lines, reasons)
        _mark_account_names(lines, reasons)
        _mark_galleries(lines, reasons)
        _mark_bilingual_headings(lines, reasons)
    _mark_footer_neighbours(lines, reasons)
    _mark_hotline_numbers(lines, reasons)
    _mark_seo_line_runs(lines, reasons)
    _mark_companion_tail(lines, reasons)
    _mark_orphans(lines, reasons)


def _mark_related_lists(lines: list[_Line], reasons: list[str | None], *, web: bool) -> None:
    """A 相关阅读/热点新闻 heading and the links under it.

    A link-like line followed by prose, a numbered heading or a metadata line is the next
    story's title or the body's heading, and ends the list. A teaser cut short ("…学术组织...")
    is an item whatever follows. When the list runs to within two short lines of the page's
    end, those lines are the site's slogan or widgets, not body (a signature excepted).
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
            rest = nonblank[k:]
            if len(rest) <= 2 and all(_is_page_end(lines[r]) for r in rest):
                for r in rest:
                    reasons[r] = reasons[r] or NAVIGATION
                k = len(nonblank)
                break
            teaser = len(lines[j].compact) <= 160 and P.TEASER_END_RE.search(lines[j].text) is not None
            if not (reasons[j] or teaser or _is_link_like(lines[j])) or T.CHAPTER_HEADING_RE.match(lines[j].text):
                break
            nxt = lines[nonblank[k + 1]] if k + 1 < len(nonblank) else None
            if not (reasons[j] or teaser) and nxt is not None and (nxt.prose or P.META_LABEL_RE.search(nxt.text)):
                break
            reasons[j] = reasons[j] or HEADLINE_RUN
            k += 1


def _mark_galleries(lines: list[_Line], reasons: list[str | None]) -> None:
    """A gallery: after two or more captions in a row, the short unpunctuated lines that follow
    are the other pictures' captions ("傅家庄海滨浴场", "老虎滩湾") until one heads prose."""
    nonblank = [i for i, ln in enumerate(lines) if not ln.blank]

    def short(i: int) -> bool:
        ln = lines[i]
        return (
            reasons[i] is None
            and not ln.prose
            and 0 < len(ln.compact) <= 30
            and not P.SOFT_PUNCT_RE.search(ln.text)
            and not T.CHAPTER_HEADING_RE.match(ln.text)
        )

    for k in range(2, len(nonblank)):
        if reasons[nonblank[k - 1]] != CAPTION or reasons[nonblank[k - 2]] != CAPTION:
            continue
        j = k
        while j < len(nonblank) and (reasons[nonblank[j]] == CAPTION or short(nonblank[j])):
            nxt = nonblank[j + 1] if j + 1 < len(nonblank) else None
            if reasons[nonblank[j]] is None and (nxt is None or lines[nxt].prose):
                break  # the heading of the prose after the gallery
            reasons[nonblank[j]] = CAPTION
            j += 1


def _mark_bilingual_headings(lines: list[_Line], reasons: list[str | None]) -> None:
    """A company site's section titles, Chinese over English: "新闻动态" / "news information"."""
    nonblank = [i for i, ln in enumerate(lines) if not ln.blank]
    for a, b in pairwise(nonblank):
        han, latin = lines[a], lines[b]
        if (
            0 < len(han.compact) <= 10
            and not P.DIGIT_RE.search(han.compact)
            and not P.SOFT_PUNCT_RE.search(han.text)
            and len(P.HAN_RE.findall(han.compact)) == len(han.compact)
            and len(latin.compact) <= 40
            and P.LATIN_HEADING_RE.fullmatch(latin.text.strip())
        ):
            reasons[a] = reasons[a] or NAVIGATION
            reasons[b] = reasons[b] or NAVIGATION


def _mark_hotline_numbers(lines: list[_Line], reasons: list[str | None]) -> None:
    """A phone number on its own line under a hotline label ("广告热线" / "0791-86847125")."""
    prev: int | None = None
    for i, ln in enumerate(lines):
        if ln.blank:
            continue
        under_hotline = prev is not None and reasons[prev] == NOTICE and P.HOTLINE_RE.match(lines[prev].text)
        if reasons[i] is None and under_hotline and P.PHONE_LINE_RE.match(ln.text):
            reasons[i] = NOTICE
        prev = i


def _is_page_end(ln: _Line) -> bool:
    """A short closing line of a page that is not its signature (issuer or date)."""
    return len(ln.compact) <= 100 and not P.SIGNATURE_RE.fullmatch(ln.text) and not T.CHAPTER_HEADING_RE.match(ln.text)


def _mark_vertical_menus(lines: list[_Line], reasons: list[str | None]) -> None:
    """One short link per line: a run naming known sections, or a longer run touching other chrome."""

    def touches_chrome(run: list[int]) -> bool:
        before = next((k for k in range(run[0] - 1, -1, -1) if not lines[k].blank), None)
        after = next((k for k in range(run[-1] + 1, len(lines)) if not lines[k].blank), None)
        return any(k is not None and reasons[k] == NAVIGATION for k in (before, after, *run))

    def menu_item(ln: _Line) -> bool:
        if len(ln.compact) > SHORT_NAV_MAX + 3:
            return False
        c = P.BULLET_RE.sub("", ln.compact)
        return 0 < len(c) <= SHORT_NAV_MAX and not P.DIGIT_RE.search(c) and not P.MENU_ITEM_STOP_RE.search(c)

    run: list[int] = []
    for i in [*range(len(lines)), len(lines)]:
        if i < len(lines) and (lines[i].blank or menu_item(lines[i])):
            if not lines[i].blank:
                run.append(i)
            continue
        hits = sum(P.BULLET_RE.sub("", lines[k].compact) in P.NAV_MENU_WORDS for k in run)
        if (len(run) >= 3 and hits >= 2) or (len(run) >= VERTICAL_MENU_MIN and touches_chrome(run)):
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


def _mark_banners(lines: list[_Line], reasons: list[str | None]) -> None:
    """A site's name, English name or address heading the page above its menus.

    Only within the page's opening run of chrome, and a bare name only before the first menu:
    a name between the menus and the body may be the document's issuer.
    """
    pending: list[int] = []
    seen_nav = False
    first = True
    for i, ln in enumerate(lines):
        if ln.blank:
            continue
        if reasons[i]:
            for k in pending:
                reasons[k] = NAVIGATION
            pending, seen_nav = [], True
            continue
        first, was_first = False, first  # the first line no other rule took (a spam header may stand above)
        text = ln.text.strip()
        marked = P.SITE_MARKER_RE.search(text) and P.SITE_NAME_RE.fullmatch(text)
        if marked or (was_first and _is_logo(ln) and _next_is_menu(lines, reasons, i)):
            reasons[i] = NAVIGATION
        elif P.LATIN_BANNER_RE.fullmatch(text) or (
            not seen_nav and P.SITE_NAME_RE.fullmatch(text) and not P.REPORT_TITLE_RE.search(text)
        ):
            pending.append(i)
        else:
            return


def _is_logo(ln: _Line) -> bool:
    """A name as short and bare as a logo's text: no figures, no punctuation."""
    return (
        0 < len(ln.compact) <= SHORT_NAV_MAX
        and not P.DIGIT_RE.search(ln.compact)
        and not P.SOFT_PUNCT_RE.search(ln.text)
    )


def _next_is_menu(lines: list[_Line], reasons: list[str | None], i: int) -> bool:
    """Whether the next line is a menu, a tool bar or a breadcrumb ("当前位置: 主页 > 环保 >"):
    a bare name right above one is the site's logo."""
    nxt = next((k for k in range(i + 1, len(lines)) if not lines[k].blank), None)
    if nxt is None or reasons[nxt] != NAVIGATION:
        return False
    text = lines[nxt].text
    return _is_nav_menu(lines[nxt]) or _is_chrome_only(text) or bool(_breadcrumb_label(text) or _is_trail(text))


def _mark_account_names(lines: list[_Line], reasons: list[str | None]) -> None:
    """The account name printed right above a follow button, or above its post's time and client."""
    for i in range(1, len(lines)):
        prev, cur = lines[i - 1], lines[i]
        stamp = P.TIMESTAMP_START_RE.match(cur.text) and P.ACCOUNT_META_RE.search(cur.text)
        if (P.FOLLOW_BUTTON_RE.match(cur.text) or stamp) and reasons[i - 1] is None and _is_logo(prev):
            reasons[i - 1] = NAVIGATION


def _mark_link_lists(lines: list[_Line], reasons: list[str | None]) -> None:
    """Links to other stories under a heading no vocabulary knows.

    A run of three or more headline-shaped lines lists other pages when page chrome stands
    before it and either the body is over (no prose after it: the closing issuer and date
    follow prose, never chrome) or chrome closes it too (an e-paper's 本版标题 between its
    edition bar and its 版面导航). The headlines may carry figures; they are other stories'.
    """
    nonblank = [i for i, ln in enumerate(lines) if not ln.blank]
    last_prose = max((i for i in nonblank if lines[i].prose and not reasons[i]), default=-1)

    def link(i: int) -> bool:
        ln = lines[i]
        return (
            reasons[i] is None
            and _is_link_like(ln)
            and len(ln.compact) <= 40
            and "|" not in ln.text
            and not P.SIGNATURE_RE.fullmatch(ln.text)
            and not P.FILE_LINK_RE.search(ln.text)
            and len(P.HAN_RE.findall(ln.compact)) * 2 >= len(ln.compact)
        )

    k = 0
    while k < len(nonblank):
        if not link(nonblank[k]):
            k += 1
            continue
        run = [nonblank[k]]
        while k + len(run) < len(nonblank) and link(nonblank[k + len(run)]):
            run.append(nonblank[k + len(run)])
        before = reasons[nonblank[k - 1]] if k else None
        after = reasons[nonblank[k + len(run)]] if k + len(run) < len(nonblank) else None
        tail = run[0] > last_prose and before == NAVIGATION
        enclosed = before in (NAVIGATION, PAGE_META) and after in (NAVIGATION, PAGE_META)
        if len(run) >= 3 and (tail or enclosed):
            for i in run:
                reasons[i] = HEADLINE_RUN
        k += len(run)


def _mark_footer_neighbours(lines: list[_Line], reasons: list[str | None]) -> None:
    def weak_footer(ln: _Line) -> bool:
        if len(ln.compact) > LINK_MAX or ln.prose:
            return False
        return bool(P.FOOTER_WEAK_RE.search(ln.text)) or _is_link_bar(ln)

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
    """The line with the spans' characters turned to spaces, offsets unchanged.

    Built in one pass over the merged spans: a line may hold a span per repeated "。".
    """
    pieces: list[str] = []
    pos = 0
    for start, end, _ in _disjoint((max(a - ln.start, 0), min(b - ln.start, len(ln.text)), r) for a, b, r in spans):
        pieces += (ln.text[pos:start], " " * (end - start))
        pos = end
    pieces.append(ln.text[pos:])
    return "".join(pieces)


def _covers_all(ln: _Line, spans: list[Span]) -> bool:
    return not _blank_out(ln, spans).strip()


def _inline_spans(ln: _Line) -> list[Span]:
    spans = _seo_and_headline_spans(ln)
    if P.SPAM_SITE_NAME_RE.search(ln.text):
        spans += _site_name_spans(ln)
    if P.JAMMER_RUN_RE.search(ln.text):
        spans += _jammer_spans(ln)
    if ln.prose:
        if P.SPAM_STRONG_RE.search(ln.text) or P.SPAM_BRAND_RE.search(ln.text):
            spans += _spam_spans(ln)
            spans += [(ln.start + m.start(), ln.start + m.end(), SPAM_HEADER) for m in P.SPAM_NAME_RE.finditer(ln.text)]
        spans += _chrome_tail(ln)
    if P.NOTICE_PHRASE_RE.search(ln.text):
        spans += _notice_spans(ln)
    if not ln.prose and len(ln.compact) <= META_LINE_MAX:
        crumb = P.SPACED_CRUMB_RE.match(ln.text)
        if crumb:
            spans.append((ln.start, ln.start + crumb.end(), NAVIGATION))
        if (tail := P.INLINE_CRUMB_RE.search(ln.text)) and tail.start() > 0:
            spans.append((ln.start + tail.start(), ln.end, NAVIGATION))
        if ln.text.count("|") + ln.text.count("｜") >= 2:
            spans += _bar_meta_spans(ln)
    if "#" in ln.text:
        spans += [(ln.start + m.start(), ln.start + m.end(), NAVIGATION) for m in P.HASHTAG_RE.finditer(ln.text)]
    if len(ln.compact) <= META_LINE_MAX and not ln.prose:
        spans += _meta_spans(ln)
    if P.EDITOR_HINT_RE.search(ln.text):
        spans += [(ln.start + m.start(), ln.start + m.end(), PAGE_META) for m in P.EDITOR_PAREN_RE.finditer(ln.text)]
    if "\\" in ln.text:
        spans += [(ln.start + m.start(), ln.start + m.end(), PAGE_META) for m in P.LITERAL_ESCAPE_RE.finditer(ln.text)]
    if "![" in ln.text:
        markdown = P.MARKDOWN_IMAGE_RE.finditer(ln.text)
        spans += [(ln.start + m.start(), ln.start + m.end(), IMAGE_FILENAME) for m in markdown]
    if P.IMAGE_EXT_RE.search(ln.text):
        spans += [
            (ln.start + m.start(), ln.start + m.end(), IMAGE_FILENAME) for m in P.IMAGE_INLINE_RE.finditer(ln.text)
        ]
        spans += [(ln.start + m.start(), ln.start + m.end(), IMAGE_FILENAME) for m in P.IMAGE_URL_RE.finditer(ln.text)]
    return spans


def _notice_spans(ln: _Line) -> list[Span]:
    """The sentences of a site's own terms (copyright, comment rules, hotlines); the whole line
    when they make most of it. A sentence holding a figure stays (the figure guard)."""
    units = [m for m in P.NOTICE_UNIT_RE.finditer(ln.text) if m.group().strip()]
    hits = [m for m in units if P.NOTICE_PHRASE_RE.search(m.group())]
    covered = sum(len(P.WS_RE.sub("", m.group())) for m in hits)
    if covered * 10 >= len(ln.compact) * 6:
        return [(ln.start, ln.end, NOTICE)]
    return [(ln.start + m.start(), ln.start + m.end(), NOTICE) for m in hits]


def _bar_meta_spans(ln: _Line) -> list[Span]:
    """Fields of a metadata table flattened into bars ("索 引 号 | 0084…/2020-0408 | 公文种类 | 其他 |")
    that say how a page is filed; issuer and dates stay."""
    cells = [(m.start(), m.end()) for m in re.finditer(r"[^|｜]+", ln.text)]
    drop = P.META_DISCLOSURE_LABELS | P.META_UPLOAD_LABELS | P.META_FONT_LABELS
    spans: list[Span] = []
    k = 0
    while k < len(cells):
        a, b = cells[k]
        if P.WS_RE.sub("", ln.text[a:b]).rstrip(":：") not in drop:
            k += 1
            continue
        v = k + 1
        while v < len(cells) and P.WS_RE.sub("", ln.text[slice(*cells[v])]) in ("", ":", "："):
            v += 1
        end = cells[v][1] if v < len(cells) else b
        bar = ln.text.find("|", end) if "|" in ln.text[end:] else ln.text.find("｜", end)
        spans.append((ln.start + a, ln.start + (bar + 1 if bar >= 0 else end), PAGE_META))
        k = v + 1
    return spans


def _chrome_tail(ln: _Line) -> list[Span]:
    """Widgets glued after a post's last sentence ("…美景！#话题# 网页链接")."""
    cut = max(ln.text.rfind(c) for c in T.SENTENCE_END) + 1
    tail = ln.text[cut:]
    if tail.strip() and _is_chrome_only(P.HASHTAG_RE.sub(" ", tail)):
        return [(ln.start + cut, ln.end, NAVIGATION)]
    return []


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
    if not labels and s.count("|") + s.count("｜") == 1:
        labels = list(P.META_BAR_LABEL_RE.finditer(s))
    numbered = None
    if len(labels) == 1:
        prev = s[labels[0].start() - 1 : labels[0].start()]
        # an item of a numbered list of filing fields ("9、公开形式：网站") goes with its number
        numbered = P.FIELD_NUMBER_RE.fullmatch(s, 0, labels[0].start())
        if numbered and labels[0].group("label") not in P.META_DISCLOSURE_LABELS:
            numbered = None
        if len(ln.compact) > 30 or not (prev == "" or prev.isspace() or prev in "【[|" or numbered):
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
        a = 0 if numbered else m.start()
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
    if P.ACCOUNT_HINT_RE.search(s):
        spans += [(base + m.start(), base + m.end(), PAGE_META) for m in P.ACCOUNT_META_RE.finditer(s)]
    spans += [(base + m.start(), base + m.end(), NAVIGATION) for m in P.INLINE_CHROME_RE.finditer(s)]
    spans += [(base + m.start(), base + m.end(), PAGE_META) for m in P.EDITION_TOKEN_RE.finditer(s)]
    return spans + _dangling_bars(ln, spans) if spans and ("|" in s or "｜" in s) else spans


def _dangling_bars(ln: _Line, spans: list[Span]) -> list[Span]:
    """Bars left with nothing on one side once the fields around them are removed."""
    kept = _blank_out(ln, spans)
    out: list[Span] = []
    for m in P.LINK_BAR_SEP_RE.finditer(kept):
        if not kept[: m.start()].strip() or not kept[m.end() :].strip() or _touches(kept, m.start(), m.end(), ln.text):
            out.append((ln.start + m.start(), ln.start + m.end(), PAGE_META))
    return out


def _touches(kept: str, a: int, b: int, text: str) -> bool:
    """Whether the nearest non-space character of `text` on either side of [a, b) was removed."""
    left = len(text[:a].rstrip()) - 1
    right = len(text) - len(text[b:].lstrip())
    return (left >= 0 and kept[left] == " ") or (right < len(text) and kept[right] == " ")


def _pinyin_spans(text: str) -> list[Span]:
    """Readings in brackets: after a Han character when they spell pinyin, anywhere when toned too."""
    spans = [(m.start(), m.end(), PINYIN) for m in T.READING_CANDIDATE_RE.finditer(text) if T.is_reading(m)]
    spans += [(m.start(), m.end(), PINYIN) for m in T.ZHUYIN_RE.finditer(text)]
    return sorted(spans)


def _mark_duplicates(
    lines: list[_Line],
    reasons: list[str | None],
    whole: dict[int, list[Span]],
    partial: dict[int, list[Span]],
) -> list[Span]:
    """Later copies of sentences/paragraphs already seen (a page scraped twice); the first copy stays.

    Lines are compared without the inline noise already found, so a copy whose view counter
    differs is still a copy. Sentences are compared once line by line and once across line
    breaks, so a copy wrapped at other points is still a copy. Lines copied whole are marked
    in `reasons`; copies inside a line are returned as spans.
    """
    views = {i: _blank_out(ln, partial.get(i, [])) for i, ln in enumerate(lines) if reasons[i] is None and not ln.blank}
    compacts = {i: P.WS_RE.sub("", view) if i in partial else lines[i].compact for i, view in views.items()}
    found: list[tuple[int, int]] = []
    if _has_repeats(compacts.values()):
        found += _repeated_units(_units((lines[i].start, view) for i, view in views.items()))
    stretches = _stretches(lines, views)
    if _has_repeats("".join(compacts.get(k, "") for k in range(a, b)) for a, b, _ in stretches):
        found += _repeated_units(_units((lines[a].start, text) for a, _, text in stretches))
    starts = [ln.start for ln in lines]
    by_line: dict[int, list[Span]] = {}
    for a, b in found:
        for i in range(bisect_right(starts, a) - 1, bisect_right(starts, b - 1)):
            lo, hi = max(a, lines[i].start), min(b, lines[i].end)
            if lines[i].text[lo - lines[i].start : hi - lines[i].start].strip():
                by_line.setdefault(i, []).append((lo, hi, DUPLICATE_BLOCK))
    spans: list[Span] = []
    for i, line_spans in by_line.items():
        if _covers_all(lines[i], line_spans):
            reasons[i] = DUPLICATE_BLOCK
            whole.pop(i, None)
        else:
            spans.extend(line_spans)
    return spans


_Unit = tuple[str, int, int]  # (text without white space, start, end)


def _stretches(lines: list[_Line], views: dict[int, str]) -> list[tuple[int, int, str]]:
    """(first line, end line, text) of runs of kept lines, so sentences can be read across line
    breaks; a removed line ends the sentence before it."""
    out: list[tuple[int, int, str]] = []
    run: list[int] = []
    for i in [*views, len(lines)]:
        if run and (i == len(lines) or any(not lines[k].blank for k in range(run[-1] + 1, i))):
            a, b = run[0], run[-1] + 1
            out.append((a, b, "\n".join(views.get(k, lines[k].text) for k in range(a, b))))
            run = []
        run.append(i)
    return out


def _has_repeats(compacts: Iterable[str]) -> bool:
    """Cheap test, on texts without white space, that some sentence occurs twice."""
    seen: set[str] = set()
    for text in compacts:
        for unit in P.UNIT_RE.findall(text):
            if unit in seen:
                return True
            seen.add(unit)
    return False


def _units(texts: Iterable[tuple[int, str]]) -> Iterator[_Unit]:
    for base, text in texts:
        for m in P.UNIT_RE.finditer(text):
            norm = P.WS_RE.sub("", m.group())
            if norm:
                yield norm, base + m.start(), base + m.end()


def _repeated_units(units: Iterable[_Unit]) -> list[tuple[int, int]]:
    """Spans of runs of units seen before, long enough not to be a repeated heading."""
    seen: set[str] = set()
    found: list[tuple[int, int]] = []
    run: list[_Unit] = []

    def flush() -> None:
        sizes = [len(norm) for norm, _, _ in run]
        if run and sum(sizes) >= DUP_MIN_TOTAL and (max(sizes) >= DUP_MIN_UNIT or len(run) >= 2):
            found.append((run[0][1], run[-1][2]))  # units tile the text: a run is one span

    for unit in units:
        if unit[0] in seen:
            run.append(unit)
        else:
            flush()
            run = []
            seen.add(unit[0])
    flush()
    return found


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
