"""Tables flattened into text: find them, rebuild their grid, and say what each value cell states.

Offices publish tables that reach us in four flattened shapes, each read by a named rule:

- table.pipe_rows: one row a line ("指标 | 2024年 | 同比变化"), as the PDF reader and many
  scraped pages give them;
- table.cell_lines: one cell a line, each closed by a pipe ("名称 |", "优良天数 |", …, "173 |"),
  where a line of pipes alone closes a header row;
- table.bare_cell_lines: one cell a line without pipes, under a header that lines up;
- table.space_rows: space-separated rows ("优良天数 天 268 262 +6") under a header line.

Cells a line whose rows open with their rank ("1 | 阿坝 | 1.65 | 臭氧") are read n cells a row
under a header of n (table.fixed_width), two rankings side by side as two tables, a tied row
without its rank included.

Every shape becomes one `Table`: its header (one text per column, table.spanning_header merging
header rows) and its data rows of cells with their source spans. The reading rules (RULES, each
recorded on the facts it gives) then decide, for each value cell, which text names its indicator
(a row label or a column header), its year, part of the year, kind (level, target or change),
unit and area, and hand that over as a `TableCell`; the extractor reads the figure itself and
builds the fact. What the rules cannot decide (a header that does not line up with the data)
yields no cell rather than a guess.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from pipelines.core import units, years
from pipelines.core.models import ACTUAL, TARGET, Area

CHANGE = "change"
UNIT = "unit"

# The rules that read a table's cells, recorded on every fact they give (the functions named
# after them hold their docstrings)
INDICATORS_DOWN = "table_indicators_down"  # _indicators_down: rows name indicators, columns years or kinds
INDICATORS_ACROSS = "table_indicators_across"  # _indicators_across: columns name indicators, rows areas or years
AREAS_ACROSS = "table_areas_across"  # _areas_across: columns name areas, rows indicators
RULES = (INDICATORS_DOWN, INDICATORS_ACROSS, AREAS_ACROSS)

# -- vocabulary ---------------------------------------------------------------------------------

H_CHANGE = re.compile(r"同比|变化|增减|较上年|比上年|增幅|降幅|变幅|升降|相比|比较|对比")
H_TARGET = re.compile(r"目标|规划值|考核值|要求")
H_UNIT = re.compile(r"^(?:单位|计量单位)$")
LABEL_HEADERS = ("指标", "项目", "名称", "内容", "类别")  # in order of preference
H_RANK = re.compile(r"排名|名次|位次|序号")
H_SKIP = re.compile(r"序号|属性|类型|备注|说明|来源|性质|排名|名次|位次")
EMPTY_CELL = re.compile(r"^[—\-–/\\／无]*$")
# a sub-header that names the level itself, in the unit that may follow ('浓度(μg/m3)', '实测值(%)')
H_LEVEL = re.compile(r"^(?:平均)?(?:浓度|实测值|监测值|数值|均值|年均值)")
# a row label that names the statistic of the indicators across, for the document's year and area
# ('年平均浓度 | 0.006 | 0.025', '年均值(μg/m3)')
H_STAT_ROW = re.compile(r"^(?:年平均|年均|平均)?(?:浓度|实测值|监测值|数值|均值|值)(?:[(（][^()（）]{1,12}[)）])?$")
# a change against a mean of several years is against no one year: no fact ('同比三年均值')
H_MEAN_BASE = re.compile(r"[二三四五两多]年(?:平均|均值)|均值|平均值")
# a leading header cell that groups rows under a region ('区域 | 市(州) | PM2.5'): the data fill
# it only on each group's first row
H_ROW_GROUP = re.compile(r"^(?:区域|地区|片区|区片|流域|分区)$")
_PAREN_UNIT = re.compile(r"[(（]([^()（）]{1,12})[)）]\s*$")
_SHARE_TAIL = re.compile(r"(?:百分比|比例|比率|占比)$")
# a year at the head of a row label or sub-header: '2020上半年监测数据', '2023'
_LABEL_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=年|上半年|下半年|[一二三四1-4]季度|全年|监测|数据|[(（]|$)")
_CHANGE_WORD = (
    r"(?:同比|较上年|比上年)?(?:下降|降低|减少|削减|回落|增加|增长|上升|提高|提升|升高|改善|恶化|好转|减|增|降|升)了?"
)
_SENTENCE_MARK = re.compile(r"[。；;！？!?，,]")
_MAX_CELL = 40  # a longer 'cell' is prose
# the catalogue unit a bare figure in an indicator's column is read in, where that unit has no
# common multiple (a bare 173 under 优良天数 is days; a bare 12.3 under 排放量 could be 万吨)
BARE_UNITS = {"day": "天", "%": "%", "ug/m3": "ug/m3", "mg/m3": "mg/m3", "dB(A)": "dB(A)", "index": ""}


@cache
def _value_cell() -> re.Pattern[str]:
    """A cell that holds a figure: '173', '95.1%', '≥98', '-8.9%', '减少 3天', '持平', '—', and the
    cumulative figure of a plan table in its brackets ('〔16.2〕': the total over the five years).
    Built on first use: the unit table is read from data."""
    keys = [k for k in units.spellings_longest_first() if k]
    unit = "|".join(re.escape(k) for k in keys)
    number = r"[+\-−]?\d+(?:[.,]\d+)*"
    return re.compile(
        rf"(?:[≥≤><≈约]|不低于|不超过)?\s*(?:{_CHANGE_WORD}|[↑↓])?\s*{number}\s*(?:{unit}|[A-Za-zμµ/³\d.()·]+)?"
        rf"\s*(?:以上|以下|以内|左右)?|[〔［\[]\s*{number}\s*%?\s*[〕］\]]|(?:同比)?持平|[—\-–/\\／无]+"
    )


def is_value(text: str) -> bool:
    """Whether a cell holds a figure (or stands empty for one) rather than naming something."""
    return bool(_value_cell().fullmatch(text.strip()))


# -- the grid ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str  # stripped
    start: int  # source span of the stripped text
    end: int


@dataclass
class Row:
    cells: list[Cell]
    start: int  # source span of the row (its evidence)
    end: int
    over: str = ""  # the spanning header over this row's half of two tables side by side ('2023年1—5月')

    def text(self, i: int | None) -> str:
        if i is None or i >= len(self.cells):
            return ""
        return self.cells[i].text


@dataclass
class Table:
    start: int
    end: int
    shape: str  # 'pipe rows' | 'cell lines' | 'bare cell lines' | 'space rows'
    header: list[str] | None  # one text per column; None when the header does not line up
    rows: list[Row] = field(default_factory=list)
    caption: tuple[int, int] | None = None  # the short line right before the table
    intro: tuple[int, int] | None = None  # the paragraph line that announces it ('…如下表:')


def _lines(src: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for line in src.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def _split(src: str, a: int, b: int, sep: str) -> list[Cell]:
    """The cells of src[a:b] between separators, each stripped, with its source span."""
    out, start = [], a
    for i in range(a, b + 1):
        if i == b or src[i] == sep:
            raw = src[start:i]
            lead = len(raw) - len(raw.lstrip())
            text = raw.strip()
            out.append(Cell(text, start + lead, start + lead + len(text)))
            start = i + 1
    return out


def is_pipe_row(line: str) -> bool:
    """'指标 | 2024年 | 同比变化': two or more filled cells between pipes. A stray pipe in a paragraph
    ('…出水?dāng)嗝嫠|功能区达标率为100%。', garbled text) is no row: a cell that is a long sentence is prose."""
    if "|" not in line:
        return False
    cells = [c.strip() for c in line.split("|") if c.strip()]
    prose = any(len(c) > _MAX_CELL and _SENTENCE_MARK.search(c) for c in cells)
    return len(cells) >= 2 and not prose


def _is_cell_line(line: str) -> bool:
    """'优良天数 |' or '||||': one cell closed by a pipe, or pipes alone."""
    s = line.strip()
    return s.endswith("|") and sum(1 for c in s.split("|") if c.strip()) <= 1 and len(s) <= _MAX_CELL + 2


def _space_tokens(line: str) -> list[str]:
    """Tokens of a space-separated row, a change verb kept with its figure ('下降 5.9%')."""
    out: list[str] = []
    for tok in line.split():
        if out and re.fullmatch(_CHANGE_WORD, out[-1]) and is_value(out[-1] + tok):
            out[-1] += tok
        else:
            out.append(tok)
    return out


def _space_row(line: str) -> int:
    """The number of trailing value cells of a space-separated data row (0: not one)."""
    s = line.strip()
    if not s or len(s) > 80 or "|" in s or _SENTENCE_MARK.search(s):
        return 0
    toks = _space_tokens(s)
    n = 0
    while n < len(toks) and is_value(toks[-1 - n]):
        n += 1
    lead = toks[: len(toks) - n]
    if n < 2 or not lead or any(is_value(t) for t in lead):
        return 0
    return n


def find_tables(src: str) -> list[Table]:
    """Every flattened table in the text, in order, by the rules for each shape."""
    lines = _lines(src)
    tables: list[Table] = []
    i, fresh = 0, True  # fresh: a run of cells may start here (the page's start, or a table's end)
    while i < len(lines):
        found = (
            _pipe_rows(src, lines, i)
            or _cell_lines(src, lines, i, fresh)
            or _space_rows(src, lines, i)
            or _bare_cell_lines(src, lines, i, fresh)
        )
        if found is None:
            i, fresh = i + 1, False
            continue
        table, i = found
        fresh = True
        tables.append(table)
    return tables


def _line_before(lines: list[tuple[int, int, str]], i: int) -> tuple[int, int, str] | None:
    j = i - 1
    while j >= 0 and not lines[j][2].strip():
        j -= 1
    return lines[j] if j >= 0 else None


def _caption(lines: list[tuple[int, int, str]], i: int) -> tuple[int, int] | None:
    """The line right before a table, when it is short enough to be its title."""
    before = _line_before(lines, i)
    if before is None:
        return None
    a, b, text = before
    return (a, b) if 0 < len(text.strip()) <= 60 and "|" not in text else None


_INTRO = re.compile(r"(?:如下表|见下表|下表|如下)\s*[:：]?\s*$")


def _intro(lines: list[tuple[int, int, str]], i: int) -> tuple[int, int] | None:
    """Rule table.intro: the prose line right before a table that announces it ('具体监测情况如下表:')."""
    before = _line_before(lines, i)
    if before is None or not _INTRO.search(before[2]):
        return None
    return before[0], before[1]


def _table(
    lines: list[tuple[int, int, str]], i: int, j: int, shape: str, header: list[str] | None, rows: list[Row]
) -> Table:
    """The table over lines i..j-1, with the caption and the announcing line before it."""
    return Table(lines[i][0], lines[j - 1][1], shape, header, rows, _caption(lines, i), _intro(lines, i))


def _pipe_rows(src: str, lines: list[tuple[int, int, str]], i: int) -> tuple[Table, int] | None:
    """Rule table.pipe_rows: consecutive lines of 'cell | cell | cell', the first the header."""
    if not is_pipe_row(lines[i][2]):
        return None
    j = i
    rows: list[Row] = []
    while j < len(lines) and is_pipe_row(lines[j][2]):
        a, b, text = lines[j]
        cells = _split(src, a, b, "|")
        if text.strip().startswith("|"):
            cells = cells[1:]
        if text.strip().endswith("|"):
            cells = cells[:-1]
        rows.append(Row(cells, a, b))
        j += 1
    # header rows: the leading rows with no figure past their first cell
    h = 0
    while h < len(rows) - 1 and not any(is_value(c.text) and c.text for c in rows[h].cells[1:]):
        h += 1
    h = max(h, 1)
    data = rows[h:]
    width = max((len(r.cells) for r in data), default=0)
    header = merge_header([[c.text for c in r.cells] for r in rows[:h]], width)
    table = _table(lines, i, j, "pipe rows", header, data)
    return table, j


def _cell_lines(src: str, lines: list[tuple[int, int, str]], i: int, fresh: bool) -> tuple[Table, int] | None:
    """Rule table.cell_lines: one cell a line, each closed by a pipe ('优良天数 |'); a line of
    pipes alone closes a header row, or stands for an empty cell among the data."""
    if i > 0 and _is_cell_line(lines[i - 1][2]) and not fresh:
        return None  # inside a run already read
    j = i
    while j < len(lines) and _is_cell_line(lines[j][2]):
        j += 1
    if j - i < 4:
        return None
    tokens: list[tuple[int, Cell | None]] = []
    for k in range(i, j):
        a, b, _ = lines[k]
        filled = [c for c in _split(src, a, b, "|") if c.text]
        tokens.extend((k, c) for c in filled or [None])
    return _rebuild(lines, i, j, tokens, "cell lines")


def _bare_cell_lines(src: str, lines: list[tuple[int, int, str]], i: int, fresh: bool) -> tuple[Table, int] | None:
    """Rule table.bare_cell_lines: one cell a line with no pipes at all ('指标' / '2024年' /
    '优良天数' / '268'): short lines without sentence marks, two or more rows of equal width."""
    before = _line_before(lines, i)
    if not _is_bare_cell(lines[i][2]) or (before is not None and _is_bare_cell(before[2]) and not fresh):
        return None  # inside a run already read (blank lines between cells included)
    j = i
    while j < len(lines) and (_is_bare_cell(lines[j][2]) or not lines[j][2].strip()):
        j += 1
    while j > i and not lines[j - 1][2].strip():
        j -= 1
    tokens: list[tuple[int, Cell | None]] = []
    for k in range(i, j):
        a, b, text = lines[k]
        if text.strip():
            tokens.append((k, _split(src, a, b, "\n")[0]))
    if len(tokens) < 6:
        return None
    return _rebuild(lines, i, j, tokens, "bare cell lines", min_rows=2, min_width=3)


def _is_bare_cell(line: str) -> bool:
    s = line.strip()
    return 0 < len(s) <= 30 and "|" not in s and not _SENTENCE_MARK.search(s)


def _rebuild(
    lines: list[tuple[int, int, str]],
    i: int,
    j: int,
    tokens: list[tuple[int, Cell | None]],
    shape: str,
    *,
    min_rows: int = 1,
    min_width: int = 2,
) -> tuple[Table, int] | None:
    """Rows from a run of cells: a data row is a label cell followed by figure cells; the cells
    before the first data row are the header (None tokens close its rows). A label followed by
    another label after the data starts the next table."""
    cells = [t for _, t in tokens]

    def opens_row(k: int) -> bool:
        t = cells[k]
        return t is not None and not is_value(t.text) and k + 1 < len(cells) and _filled_value(cells[k + 1])

    first = next((k for k in range(len(cells)) if opens_row(k)), None)
    if first is None:
        return None
    fixed = _fixed_width(tokens, labelled=False)  # a figure opens the rows ('1 | 阿坝 | 1.65')
    if fixed is not None:
        return _table(lines, fixed[2], j, shape, fixed[0], fixed[1]), j
    header_rows: list[list[str]] = [[]]
    for t in cells[:first]:
        if t is None:
            if header_rows[-1]:
                header_rows.append([])
        else:
            header_rows[-1].append(t.text)
    if len(header_rows) > 2 and len(header_rows[-1]) == 1 and len(header_rows[-2]) > 1:
        header_rows.pop()  # '成都平原地区' under the sub-headers: the first row group's label
    rows: list[Row] = []
    k = first
    while k < len(cells) and opens_row(k):
        label = cells[k]
        assert label is not None
        row = [label]
        k += 1
        while k < len(cells) and (cells[k] is None or is_value(cells[k].text)):  # type: ignore[union-attr]
            t = cells[k]
            row.append(t if t is not None else Cell("", lines[tokens[k][0]][0], lines[tokens[k][0]][0]))
            k += 1
        while len(row) > 1 and not row[-1].text:
            row.pop()  # pipes closing the row, not cells
        rows.append(Row(row, row[0].start, row[-1].end))
    end = tokens[k][0] if k < len(tokens) else j
    width = Counter(len(r.cells) for r in rows).most_common(1)[0][0]
    rows = [r for r in rows if len(r.cells) == width]
    if len(rows) < min_rows or width < min_width or end <= i:
        return None
    start = i
    if shape == "bare cell lines":
        # without pipes, only a header that lines up shows it is a table: the width cells just
        # before the first row (earlier short lines are the page's, or the caption)
        above = _units_folded([(line, t) for line, t in tokens[:first] if t is not None])
        if len(above) < width:
            return None
        header_rows = [[t.text for _, t in above[-width:]]]
        start = above[-width][0]
    header = merge_header([r for r in header_rows if r], width)
    if header is None and shape == "cell lines":
        fixed = _fixed_width(tokens)
        if fixed is not None:
            return _table(lines, fixed[2], j, shape, fixed[0], fixed[1]), j
    if header is None and shape == "bare cell lines":
        return None
    return _table(lines, start, end, shape, header, rows), end


def _units_folded(header: list[tuple[int, Cell]]) -> list[tuple[int, Cell]]:
    """Header cells with a unit alone on its line ('SO2' / '(μg/m3)') joined to the cell before:
    the unit is part of that column's header, not a column of its own."""
    out: list[tuple[int, Cell]] = []
    for line, t in header:
        if out and _PAREN_UNIT.fullmatch(t.text) and not _PAREN_UNIT.fullmatch(out[-1][1].text):
            prev_line, prev = out[-1]
            out[-1] = (prev_line, Cell(prev.text + t.text, prev.start, t.end))
        else:
            out.append((line, t))
    return out


def _fixed_width(
    tokens: list[tuple[int, Cell | None]], *, labelled: bool = True
) -> tuple[list[str], list[Row], int] | None:
    """Rule table.fixed_width: a header of n word cells, then the data n cells a row in the
    header's order, where a row need not open with its label ('排名 | 城市 | 综合指数 | 主要污染物'
    over '1 | 阿坝 | 1.65 | 臭氧'). It holds only when every column is all figures or all words
    down the rows, with words in at least one column and figures in another. The header is the
    last header row (after the line of pipes that closes any row above it); a header that
    repeats itself ('区县 | 综合指数 | 区县 | 综合指数') is two tables side by side, read as one
    table of twice the rows, so the right half's figures stay with the right half's areas. Without
    a closing line (cells without pipes) the widest header that lines up is the header: the
    caption above it is no column.
    Returns the header, the rows and the line the header starts on; `labelled`: rows may also
    open with their label (else only rows that open with a figure are tried)."""
    cells = [t for _, t in tokens]
    first = next((k for k, t in enumerate(cells) if _filled_value(t)), None)
    if first is None:
        return None
    for start, width, grid in _fixed_grids(cells, (first, first - 1) if labelled else (first,)):
        top = start - width
        header = [t.text for t in cells[top:start]]  # type: ignore[union-attr]
        half = width // 2
        if width % 2 == 0 and header[:half] == header[half:]:  # two tables side by side
            above = [t.text for t in cells[:top] if t is not None]  # type: ignore[union-attr]
            left, right = above[-2:] if len(above) >= 2 else ("", "")
            return (
                header[:half],
                [
                    Row(list(r[i : i + half]), r[i].start, r[i + half - 1].end, over)  # type: ignore[arg-type,union-attr]
                    for i, over in ((0, left), (half, right))
                    for r in grid
                ],
                tokens[top][0],
            )
        rows = [Row(list(row), row[0].start, row[-1].end) for row in grid]  # type: ignore[arg-type]
        return header, rows, tokens[top][0]
    return None


def _fixed_grids(cells: list[Cell | None], starts: tuple[int, ...]) -> Iterator[tuple[int, int, list[list[Cell]]]]:
    """(start, width, rows) of each way the cells from a row's start line up n a row, where every
    column is all figures or all words and both kinds occur; widest header first."""
    for start in starts:  # the first figure opens a row, or follows its label
        if start < 3:
            continue
        base = max((k + 1 for k in range(start) if cells[k] is None), default=0)  # the last header row
        body = cells[start:]
        while body and body[-1] is None:
            body.pop()
        if not body or any(t is None for t in body):
            continue
        for width in range(start - base, 2, -1):
            ranked = H_RANK.search(cells[start - width].text)  # type: ignore[union-attr]
            if start == starts[0] and not ranked:
                continue  # a figure opens a row only as its rank or serial number
            cut = _with_ties(body, width) if ranked and start == starts[0] else body  # type: ignore[arg-type]
            if len(cut) % width or len(cut) < 2 * width:
                continue
            grid = [cut[r : r + width] for r in range(0, len(cut), width)]
            kinds = [{is_value(row[c].text) for row in grid if row[c].text} for c in range(width)]  # type: ignore[union-attr]
            if all(len(k) == 1 for k in kinds) and {True} in kinds and {False} in kinds:
                yield start, width, grid  # type: ignore[misc]


def _with_ties(body: list[Cell], width: int) -> list[Cell]:
    """A ranking's rows with the rank a tied row leaves out ('2 | 兴化市 | 77.4 | 靖江市 | 77.4 | 4')
    given back as an empty cell: a row must open with its rank, so a word there opens a tied row."""
    out: list[Cell] = []
    for cell in body:
        if len(out) % width == 0 and not is_value(cell.text):
            out.append(Cell("", cell.start, cell.start))
        out.append(cell)
    return out


def _filled_value(token: Cell | None) -> bool:
    return token is not None and bool(token.text) and is_value(token.text)


def _space_rows(src: str, lines: list[tuple[int, int, str]], i: int) -> tuple[Table, int] | None:
    """Rule table.space_rows: a header line of words, then two or more rows of a label and the
    same number of figures, all separated by spaces ('优良天数 天 268 262 +6')."""
    head = lines[i][2].strip()
    if not head or "|" in head or _SENTENCE_MARK.search(head) or len(head) > 80 or i + 1 >= len(lines):
        return None
    unit_line = _unit_line(lines[i + 1][2])  # the header's units on a line of their own
    first = i + 2 if unit_line else i + 1
    width = _space_row(lines[first][2]) if first < len(lines) else 0
    if not width or (unit_line and len(unit_line) != width):
        return None
    htoks = _space_tokens(head)
    if len(htoks) < width or any(is_value(t) for t in htoks[-width:]):
        return None
    if unit_line:
        htoks = [*htoks[:-width], *(h + u for h, u in zip(htoks[-width:], unit_line, strict=True))]
    j = first
    while j < len(lines) and _space_row(lines[j][2]) == width:
        j += 1
    if j - first < 2:
        return None
    lead_names = htoks[: len(htoks) - width]
    rows: list[Row] = []
    for a, b, text in lines[first:j]:
        rows.append(_space_cells(src, a, b, text, width, len(lead_names)))
    header = [" ".join(lead_names) if len(lead_names) != 1 else lead_names[0], *htoks[-width:]]
    if rows and len(rows[0].cells) == len(lead_names) + width and len(lead_names) > 1:
        header = [*lead_names, *htoks[-width:]]
    table = _table(lines, i, j, "space rows", header, rows)
    return table, j


def _unit_line(line: str) -> list[str] | None:
    """'(%) (μg/m3) (天)', '单位 % μg/m3 天': a header's second line holding only the units of its
    columns, bracketed or bare after a leading 单位."""
    toks = line.split()
    if toks and H_UNIT.match(toks[0]):
        bare = toks[1:]
        known = units.unit_table()
        if bare and all(units.unit_key(t) in known for t in bare):
            return [f"({t})" for t in bare]
        return None
    return toks if toks and all(_PAREN_UNIT.fullmatch(t) for t in toks) else None


def _space_cells(src: str, a: int, b: int, text: str, width: int, leads: int) -> Row:
    """The cells of one space-separated row: its label words (one cell each when the header
    names as many label columns, else one label cell) and its figures."""
    spans = [(m.start() + a, m.end() + a) for m in re.finditer(r"\S+", text)]
    toks = _space_tokens(text)
    # map merged tokens back to spans (a merged token covers two raw tokens)
    merged: list[tuple[int, int]] = []
    k = 0
    for tok in toks:
        start = spans[k][0]
        end = spans[k][1]
        k += 1
        while src[start:end].replace(" ", "") != tok.replace(" ", "") and k < len(spans):
            end = spans[k][1]
            k += 1
        merged.append((start, end))
    lead = merged[: len(merged) - width]
    values = [Cell(src[x:y], x, y) for x, y in merged[-width:]]
    if len(lead) == leads and leads > 1:
        labels = [Cell(src[x:y], x, y) for x, y in lead]
    else:
        labels = [Cell(src[lead[0][0] : lead[-1][1]], lead[0][0], lead[-1][1])]
    cells = labels + values
    return Row(cells, cells[0].start, cells[-1].end)


def merge_header(rows: Sequence[Sequence[str]], width: int) -> list[str] | None:
    """One header text per column from one or two header rows.

    Rule table.spanning_header: where the first row has fewer cells than the data and a second
    row holds sub-headers, the cell that repeats its left neighbour (or every cell, evenly) spans
    the sub-headers. A sub-header that is a year or a kind ('2024年', '同比') keeps the spanning
    indicator; any other ('一级') names a part of it, which is no catalogue indicator.
    """
    if not rows or width < 2:
        return None
    top = list(rows[0])
    # a sub-header row under a full top row leaves the label column's cell out
    rows = [top, *(["", *r] if len(r) == width - 1 and len(top) == width else list(r) for r in rows[1:])]
    if len(rows) > 1 and len(top) == width and all(len(r) == width for r in rows[1:]):
        return _by_position(rows, width)
    if len(rows) == 1 or len(top) == width:
        if len(top) == width:
            return top
        if len(top) == width - 1:
            return ["", *top]  # the label column's header left blank
        return None
    subs = [s for r in rows[1:] for s in r if s]
    if len(top) > 2 and H_ROW_GROUP.match(top[0]):
        top = top[1:]  # '区域 | 市(州) | …': the grouping column the data rows leave out
    label, groups = top[0], top[1:]
    extra = (width - 1) - len(groups)
    spanning = len(subs) - extra
    if extra < 0 or spanning <= 0:
        return None
    if spanning == 1:
        repeats = [k for k in range(1, len(groups)) if groups[k] == groups[k - 1]]
        if len(repeats) != 1:
            return None
        spans = {repeats[0]: len(subs)}
    elif spanning == len(groups) and len(subs) % spanning == 0:
        spans = dict.fromkeys(range(len(groups)), len(subs) // spanning)
    elif spanning == len(groups) and extra == len(subs) - len(groups):
        # uneven spans: each group opens with its level ('浓度 | 同比 | 实测值(%) | 同比 | 天数 | 同比')
        opens = [k for k, sub in enumerate(subs) if column_kind(sub) != CHANGE]
        if len(opens) != len(groups) or opens[0] != 0:
            return None
        spans = {g: end - k for g, (k, end) in enumerate(zip(opens, [*opens[1:], len(subs)], strict=True))}
    else:
        return None
    out, s = [label], 0
    for k, group in enumerate(groups):
        if k not in spans:
            out.append(group)
            continue
        for sub in subs[s : s + spans[k]]:
            out.append(_sub_header(group, sub))
        s += spans[k]
    return out if len(out) == width else None


def _by_position(rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """Header rows that keep every column's place ('指标 | PM2.5浓度 | | PM10浓度 |' over
    '| 2023年 | 2024年 | 2023年 | 2024年'): a blank top cell continues the one to its left."""
    out: list[str] = []
    group = ""
    for k in range(width):
        top = rows[0][k].strip()
        group = top or (group if k > 0 else "")
        subs = [r[k].strip() for r in rows[1:] if r[k].strip()]
        text = group
        for sub in subs:
            text = _sub_header(text, sub)
        out.append(text)
    return out


def _sub_header(group: str, sub: str) -> str:
    """The text of a column under a spanning header: the group with a year, kind or unit sub-header
    ('PM2.5浓度2024年', 'PM2.5浓度(μg/m3)'); the sub-header alone where it names a part ('一级')."""
    if units.unit_key(sub) in units.unit_table():
        return f"{group}({sub})"
    return group + sub if _qualifies(sub) or not group else sub


def _qualifies(sub: str) -> bool:
    """A sub-header that says when or what kind, not which part."""
    return bool(
        H_CHANGE.search(sub) or H_TARGET.search(sub) or _LABEL_YEAR.search(sub) or "年" in sub or H_LEVEL.search(sub)
    )


# -- reading the cells ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TableCell:
    """One value cell and what the table says about it."""

    row: tuple[int, int]  # source span of the row: the evidence
    cell: tuple[int, int]  # source span of the cell
    mention: Any  # the indicator mention (of the extractor) that names the cell
    kind: str  # ACTUAL | TARGET | CHANGE
    year: int | None
    base: int | None  # the base year of a change
    unit: str  # the unit a bare figure is in
    area: Area | None
    rule: str  # the rule that read the cell
    when: str = ""  # the header or label words that say which part of the year ('2021上半年监测数据')
    relative: bool = False  # a change the row label gives in per cent ('同比变化(%)'), not in points


@dataclass(frozen=True)
class Lexicon:
    """What the tables' words are resolved against, lent by the extractor."""

    norm: Callable[[str], str]  # the extractor's normalised view of a text
    mentions: Callable[[str], list[Any]]  # indicator mentions (with .start, .end, .codes)
    area: Callable[[str], Area | None]  # an area a label names, or 全市 → the document's
    unit_of: Callable[[str], str]  # the catalogue unit of an indicator code
    ref_year: int | None


@dataclass(frozen=True)
class _Column:
    index: int
    kind: str  # ACTUAL | TARGET | CHANGE | UNIT
    year: int | None


@dataclass(frozen=True)
class _Grid:
    """One table as every orientation rule reads it: normalised header and row labels, the value
    columns (the label column and skipped ones left out) and the document's year and area."""

    table: Table
    lex: Lexicon
    header: list[str]
    columns: list[_Column]
    labels: list[str]
    default_year: int | None
    default_area: Area | None


def label_column(header: list[str], rows: Sequence[Row] = ()) -> int:
    """The column that names what a row measures: '指标名称' before '类别', never '指标属性'; else
    the first column of words that is no 序号 ('序号 | 区县 | 优良天数' → 区县)."""
    for word in LABEL_HEADERS:
        for i, h in enumerate(header):
            if word in h and not H_SKIP.search(h):
                return i
    for i, h in enumerate(header):
        if H_SKIP.search(h):
            continue
        cells = [r.text(i) for r in rows]
        if not rows or sum(1 for c in cells if c and not is_value(c)) * 2 > len(cells):
            return i
    return 0


def column_kind(text: str) -> str:
    """What the figures under a header (or beside a row label) are: a unit, changes, targets, levels."""
    if H_UNIT.search(text):
        return UNIT
    if H_CHANGE.search(text):
        return CHANGE
    return TARGET if H_TARGET.search(text) else ACTUAL


def label_year(text: str, ref_year: int | None) -> int | None:
    """The year a header or row label names: '2024年', '2020上半年监测数据', '2025年（目标）'."""
    found = [y.year for y in years.find_years(text, ref_year=ref_year) if y.year]
    if found:
        return found[0]
    m = _LABEL_YEAR.search(text)
    return int(m.group(1)) if m else None


def header_unit(text: str) -> str:
    """The unit a header or row label gives its bare figures: '（微克/立方米）', a unit closing the
    text ('PM10均值ug/m3'), or % for a share ('优良天数占总天数百分比')."""
    for key in units.spellings_longest_first():
        if (len(key) > 1 or key == "%") and text.endswith(key) and len(text) > len(key):
            return key  # before brackets: 'dB(A)' is one unit
    m = _PAREN_UNIT.search(text)
    if m:
        return m.group(1)
    return "%" if _SHARE_TAIL.search(text) else ""


def _bare_unit(lex: Lexicon, mention: Any) -> str:
    return BARE_UNITS.get(lex.unit_of(mention.codes[0]), "")


def _longest(found: list[Any]) -> Any:
    return max(found, key=lambda m: m.end - m.start)


def read_table(table: Table, lex: Lexicon, default_year: int | None, default_area: Area | None) -> Iterator[TableCell]:
    """The value cells of one table, by the first orientation rule that fits it."""
    if table.header is None or not table.rows:
        return
    header = [lex.norm(h) for h in table.header]
    label_col = label_column(header, table.rows)
    columns = [
        _Column(i, column_kind(h), label_year(h, lex.ref_year))
        for i, h in enumerate(header)
        if i != label_col and not H_SKIP.search(h) and not (column_kind(h) == CHANGE and H_MEAN_BASE.search(h))
    ]
    labels = [lex.norm(r.text(label_col)) for r in table.rows]
    grid = _Grid(table, lex, header, columns, labels, default_year, default_area)
    for rule in (_areas_across, _indicators_down, _indicators_across):
        cells = rule(grid)
        if cells is not None:
            yield from cells
            return


def _areas_across(g: _Grid) -> list[TableCell] | None:
    """Rule table_areas_across: the header names areas (盟 市 | 呼伦贝尔市 | 阿拉善盟 …) and each row
    an indicator (综合指数 | 2.12 | 2.74 …): a cell is its row's indicator for its column's area.
    Columns that name no area (spam, 全区 averages are kept by 全区 → the document's area) give nothing."""
    areas = {c.index: g.lex.area(g.header[c.index]) for c in g.columns}
    named = [a for a in areas.values() if a is not None]
    if len(named) < 2 or 2 * len(named) < len(g.columns):
        return None
    out = []
    for row, label in zip(g.table.rows, g.labels, strict=True):
        found = g.lex.mentions(label)
        if not found or H_SKIP.search(label):
            continue
        mention = _longest(found)
        unit = header_unit(label) or _bare_unit(g.lex, mention)
        kind = column_kind(label)
        for c in g.columns:
            area = areas[c.index]
            if area is None or c.index >= len(row.cells):
                continue
            out.append(_cell(row, c.index, mention, kind, g.default_year, None, unit, area, AREAS_ACROSS, label))
    return out


def _indicators_down(g: _Grid) -> list[TableCell] | None:
    """Rule table_indicators_down: each row names an indicator (its unit in brackets or in a 单位
    column) and each column a year or kind: '2024年', '2025年（目标）', '同比变化'. Changes belong to
    the latest year among the level columns and are against the one before."""
    found = [g.lex.mentions(label) for label in g.labels]
    across = sum(1 for c in g.columns if c.kind != UNIT and g.lex.mentions(g.header[c.index]))
    down = sum(1 for f in found if f)
    if down == 0 or down < across:
        return None
    unit_col = next((c.index for c in g.columns if c.kind == UNIT), None)
    level_years = sorted({c.year for c in g.columns if c.kind in (ACTUAL, TARGET) and c.year})
    change_year = level_years[-1] if level_years else g.default_year
    base = level_years[-2] if len(level_years) > 1 else (change_year - 1 if change_year else None)
    latest = next((g.header[c.index] for c in g.columns if c.year == change_year and c.kind == ACTUAL), "")
    out = []
    for row, label, ments in zip(g.table.rows, g.labels, found, strict=True):
        if not ments:
            continue
        mention = _longest(ments)
        unit = header_unit(label) or g.lex.norm(row.text(unit_col)) or _bare_unit(g.lex, mention)
        for c in g.columns:
            if c.kind == UNIT:
                continue
            year = change_year if c.kind == CHANGE else c.year or g.default_year
            when = latest if c.kind == CHANGE else g.header[c.index]  # a change covers the latest column's part
            rule = INDICATORS_DOWN
            out.append(_cell(row, c.index, mention, c.kind, year, base, unit, g.default_area, rule, when))
    return out


def _indicators_across(g: _Grid) -> list[TableCell] | None:
    """Rule table_indicators_across: each column names an indicator and each row says whose or
    when: an area ('新民市', '全市'), a year or part-year ('2021上半年监测数据'), or a comparison
    ('同期相比', '同比变化'), whose changes belong to the latest year of the rows above it, or the
    statistic ('年平均浓度 | 0.006 | 0.025'), for the document's year and area; a comparison row
    that gives its unit as per cent ('同比变化(%)') gives relative changes. A row whose label says
    none of these gives nothing."""
    named = {c.index: g.lex.mentions(g.header[c.index]) for c in g.columns if c.kind != UNIT}
    if not any(named.values()):
        return None
    row_years = [label_year(label, g.lex.ref_year) for label in g.labels]
    level_years = sorted({y for y, label in zip(row_years, g.labels, strict=True) if y and not H_CHANGE.search(label)})
    change_year = level_years[-1] if level_years else g.default_year
    base = level_years[-2] if len(level_years) > 1 else (change_year - 1 if change_year else None)
    latest = next((lb for y, lb in zip(row_years, g.labels, strict=True) if y == change_year and y), "")
    out = []
    level_units: dict[int, str] = {}  # a column's unit on the level rows read so far
    for row, label, year in zip(g.table.rows, g.labels, row_years, strict=True):
        kind = column_kind(label)
        area = g.lex.area(label) if kind != CHANGE else None
        if area is not None:
            row_year, row_base, row_area = g.default_year, None, area
        elif kind == CHANGE:
            row_year, row_base, row_area, year = change_year, base, g.default_area, None
        elif year is not None:
            row_year, row_base, row_area = year, None, g.default_area
        elif H_STAT_ROW.match(label):
            row_year, row_base, row_area = g.default_year, None, g.default_area
        else:
            continue
        row_unit = header_unit(label)
        for c in g.columns:
            if not named.get(c.index):
                continue
            mention = _longest(named[c.index])
            unit = header_unit(g.header[c.index]) or (row_unit if kind == ACTUAL else "") or _bare_unit(g.lex, mention)
            col_kind = kind if kind != ACTUAL else c.kind
            relative = kind == CHANGE and row_unit == "%" and unit != "%"
            if col_kind == ACTUAL:
                level_units[c.index] = unit
            elif relative:
                unit = level_units.get(c.index, unit)  # the levels' unit tells SO2 the air's from the emissions
            col_year = c.year if c.year and col_kind != CHANGE else row_year
            col_base = (row_base or base) if col_kind == CHANGE else None
            rule, when = INDICATORS_ACROSS, f"{row.over} {latest if kind == CHANGE else label} {g.header[c.index]}"
            cell = _cell(row, c.index, mention, col_kind, col_year, col_base, unit, row_area, rule, when)
            out.append(replace(cell, relative=True) if relative else cell)
    return out


def _cell(
    row: Row,
    index: int,
    mention: Any,
    kind: str,
    year: int | None,
    base: int | None,
    unit: str,
    area: Area | None,
    rule: str,
    when: str = "",
) -> TableCell:
    cell = row.cells[index] if index < len(row.cells) else Cell("", row.end, row.end)
    return TableCell((row.start, row.end), (cell.start, cell.end), mention, kind, year, base, unit, area, rule, when)
