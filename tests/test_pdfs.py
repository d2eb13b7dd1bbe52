"""PDF reading: the sample report, and generated PDFs for each layout quirk."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.core import pdfs
from pipelines.core.models import CORRUPT, EMPTY, ENCRYPTED, NEEDS_OCR, OK
from pipelines.core.pdfs import Layout, Line, join_wrapped, reflow, tidy
from pipelines.core.reading import read_document
from tests import pdf_factory as factory
from tests.pdf_factory import PAGE_BREAK, Grid

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "raw" / "001_9aa5532d1dae63e5.pdf"

# Sentences of the seed reports, used as the body of generated PDFs.
AIR = (
    "2024年，市政府及相关职能部门深入贯彻习近平生态文明思想，系统推进污染防治攻坚和绿色低碳转型，生态环境质量持续改善。"
)
FIGURES = (
    "大气环境质量方面：空气质量综合指数4.803，同比下降4.4%，改善率全省排名第2；"
    "PM2.5年均浓度51微克/立方米，全年优良天数226天，同比增加14天，占比61.7%。"
)
SOIL = "土壤污染防治方面：受污染耕地安全利用率100%，重点建设用地安全利用有效保障。"
HEADING = "一、总体情况"


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def lines_of(text: str) -> list[str]:
    return text.split("\n")


# --- the sample report ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    result = read_document(SAMPLE)
    assert result.status == OK, result.error
    return result


def test_sample_pages_cover_the_text(sample):
    assert [p.number for p in sample.pages] == list(range(1, 10))
    for before, after in zip(sample.pages, sample.pages[1:], strict=False):
        assert before.start < before.end <= after.start
    assert sample.pages[-1].end == len(sample.text)
    page_of = {p.number: sample.text[p.start : p.end] for p in sample.pages}
    assert "受理并办结群众各类环境信访投诉举报事项1441件" in page_of[5]
    assert "受污染耕地安全利用率(%) | 100 | 持平" in page_of[9]


def test_sample_running_headers_and_page_numbers_are_gone(sample):
    header = "安阳市人大常委会办公室"
    assert sample.text.count(header) == 1  # the signature block on page 9 stays
    last = sample.pages[-1]
    assert last.start < sample.text.index(header) < last.end
    assert not any(re.fullmatch(r"[-—\s]*\d+[-—\s]*", line) for line in lines_of(sample.text))
    reasons = Counter(r.reason for r in sample.removals)
    assert reasons == {"running_header": 9, "page_number": 9}
    starts = {p.number: p.start for p in sample.pages}
    ends = {p.number: p.end for p in sample.pages}
    for removal in sample.removals:
        assert removal.start == removal.end
        expected = starts if removal.reason == "running_header" else ends
        assert removal.start == expected[removal.page]


def test_sample_split_figures_are_rejoined(sample):
    # The sample wraps "51 ⏎微克/立方米", "1441 ⏎件", a table cell "(微⏎克/立方米)"
    # and "3.5 ⏎— 3 —⏎万吨" across a page break.
    assert re.search(r"51\s*\n微克/立方米", sample.original)
    assert re.search(r"3\.5\s*\n— 3 —\f安阳市人大常委会办公室\n万吨", sample.original)
    assert "PM_{2.5}年均浓度51微克/立方米" in sample.text
    assert "举报事项1441件" in sample.text
    assert "处置历史遗留铝灰3.5万吨" in sample.text
    assert "PM2.5年均浓度(微克/立方米)" in sample.text


def test_sample_paragraphs_survive(sample):
    lines = lines_of(sample.text)
    for heading in ("一、总体情况", "二、主要做法及成效", "(一)污染防治攻坚战全面推进", "四、意见建议"):
        assert heading in lines
    assert lines[lines.index("一、总体情况") - 1].endswith("现将有关情况报告如下:")
    # Sentences the source breaks mid-way are joined; paragraphs are not.
    assert "三是土壤污染防治任务艰巨。受历史遗留污染" in sample.text
    assert "四是加强化工园区" in sample.text
    assert 30 <= len([line for line in lines if line]) <= 80


def test_sample_table_rows_replace_the_table_text(sample):
    block = sample.text.split("\n\n")[-1].split("\n")
    assert block == [
        "指标 | 2024年 | 同比变化",
        "PM2.5年均浓度(微克/立方米) | 51 | —",
        "优良天数(天) | 226 | 增加14天",
        "优良天数比例(%) | 61.7 | —",
        "空气质量综合指数 | 4.803 | 下降4.4%",
        "受污染耕地安全利用率(%) | 100 | 持平",
    ]
    assert sample.n_tables == 1
    assert "51—" not in sample.text and "51 —\n" not in sample.text  # no garbled row in the prose
    assert sample.text.count("下降4.4%") == 2  # once in the body, once in the table


def test_sample_table_matches_pdfplumber(sample):
    with pdfplumber.open(SAMPLE) as pdf:
        (table,) = pdf.pages[8].extract_tables()
    expected = [" | ".join(tidy(join_wrapped(cell or "")) for cell in row) for row in table]
    assert sample.text.endswith("\n".join(expected))


def test_sample_is_folded(sample):
    assert not re.search(r"[\uff01-\uff5e\u3000]", sample.text)
    assert "，" in sample.original and "," in sample.text


# --- generated reports ---------------------------------------------------------------------


@pytest.mark.parametrize("label", ["— {n} —", "- {n} -", "第{n}页", "{n}/3", "{n}", "第 {n} 页 共 3 页"])
def test_running_header_and_page_numbers_removed(tmp_path, label):
    path = factory.write_report(
        tmp_path / "report.pdf",
        [AIR, PAGE_BREAK, FIGURES, PAGE_BREAK, SOIL],
        header="鞍山市人大常委会",
        page_label=label,
    )
    result = read_document(path)
    assert result.status == OK
    assert result.text.split("\n") == [fold(AIR), fold(FIGURES), fold(SOIL)]
    assert Counter(r.reason for r in result.removals) == {"running_header": 3, "page_number": 3}
    for removal, page in zip([r for r in result.removals if r.reason == "page_number"], result.pages, strict=True):
        assert (removal.page, removal.start) == (page.number, page.end)


def test_running_footer_removed(tmp_path):
    path = factory.write_report(
        tmp_path / "report.pdf",
        [AIR, PAGE_BREAK, FIGURES, PAGE_BREAK, SOIL],
        page_label="安阳市生态环境局印发",
    )
    result = read_document(path)
    assert "安阳市生态环境局印发" not in result.text
    assert Counter(r.reason for r in result.removals) == {"running_footer": 3}


def test_repeated_figure_sentence_at_page_top_is_kept(tmp_path):
    repeated = "全年优良天数226天，同比增加14天。"
    path = factory.write_report(
        tmp_path / "report.pdf",
        [repeated, AIR, PAGE_BREAK, repeated, FIGURES, PAGE_BREAK, repeated, SOIL],
        header="鞍山市人大常委会",
    )
    result = read_document(path)
    assert result.text.count(fold(repeated)) == 3
    assert {r.text for r in result.removals} == {"鞍山市人大常委会"}


def test_paragraphs_and_headings_survive(tmp_path):
    paragraphs = [HEADING, AIR, FIGURES, "（一）污染防治攻坚战全面推进", SOIL]
    result = read_document(factory.write_report(tmp_path / "report.pdf", paragraphs))
    assert result.text.split("\n") == [fold(p) for p in paragraphs]


def _wrapping_at(sentence: str, cut: int) -> str:
    """A paragraph in which the hard wrap falls right after sentence[:cut]."""
    filler = AIR.replace("2024年，", "")
    for lead in ("", "2024年1月，"):  # five digits shift the line by half a character
        for k in range(len(filler)):
            paragraph = lead + filler[:k] + sentence
            ends = [len(text) for text, _ in factory.wrap(paragraph)]
            if any(sum(ends[: i + 1]) == len(lead) + k + cut for i in range(len(ends))):
                return paragraph
    raise AssertionError("no padding puts the wrap there")


@pytest.mark.parametrize(
    ("sentence", "cut", "split"),
    [
        ("PM2.5年均浓度51微克/立方米。", 2, r"PM\s*\n\s*2\.5"),
        ("PM2.5年均浓度27微克/立方米。", 12, r"27微\s*\n\s*克/立方米"),
        ("新增纯电动重卡1663辆。", 9, r"16\s*\n\s*63辆"),
        ("秸秆综合利用率95.66%。", 10, r"95\.\s*\n\s*66%"),
        ("形成调研报告。", 5, r"报\s*\n\s*告"),
    ],
)
def test_hard_wraps_of_numbers_and_units_rejoin(tmp_path, sentence, cut, split):
    paragraph = _wrapping_at(sentence, cut)
    result = read_document(factory.write_report(tmp_path / "wrap.pdf", [paragraph, SOIL]))
    assert re.search(split, result.original)
    assert result.text.split("\n") == [fold(paragraph), fold(SOIL)]


def test_sentence_running_over_a_page_break_is_joined(tmp_path):
    path = factory.write_report(
        tmp_path / "report.pdf", [AIR, FIGURES, SOIL], header="安阳市人大常委会办公室", lines_per_page=4
    )
    result = read_document(path)
    assert len(result.pages) > 1
    assert result.text.split("\n") == [fold(AIR), fold(FIGURES), fold(SOIL)]


def test_fake_bold_is_deduplicated(tmp_path):
    result = read_document(factory.write_report(tmp_path / "bold.pdf", [HEADING, FIGURES], fake_bold=True))
    assert result.status == OK
    assert result.text.split("\n") == [fold(HEADING), fold(FIGURES)]


def test_ruled_table_in_place(tmp_path):
    grid = Grid(
        [
            ["指标", "2024年", "同比变化"],
            ["PM2.5年均浓度（微克/立方米）", "51", "—"],
            ["优良天数（天）", "226", "增加14天"],
            ["受污染耕地安全利用率（%）", "100", ""],
        ],
        widths=[220, 90, 100],
    )
    path = factory.write_report(tmp_path / "table.pdf", [AIR, grid, SOIL])
    result = read_document(path)
    assert result.n_tables == 1
    assert result.text.split("\n\n") == [
        fold(AIR),
        "指标 | 2024年 | 同比变化\n"
        "PM2.5年均浓度(微克/立方米) | 51 | —\n"
        "优良天数(天) | 226 | 增加14天\n"
        "受污染耕地安全利用率(%) | 100 | ",
        fold(SOIL),
    ]


def test_ruled_table_on_a_fake_bold_page(tmp_path):
    """pdfplumber reads the page; its own table finder takes the table out of the prose."""
    grid = Grid([["指标", "2024年"], ["优良天数（天）", "226"]], widths=[200, 100])
    path = factory.write_report(tmp_path / "table.pdf", [FIGURES, grid, SOIL], fake_bold=True)
    result = read_document(path)
    assert result.n_tables == 1
    assert result.text.split("\n\n") == [fold(FIGURES), "指标 | 2024年\n优良天数(天) | 226", fold(SOIL)]


def test_scanned_pdf_needs_ocr_when_ocr_is_off(tmp_path, monkeypatch):
    monkeypatch.setenv("ENVREPORTS_OCR", "off")
    result = read_document(factory.write_scanned(tmp_path / "scan.pdf", pages=3))
    assert result.status == NEEDS_OCR
    assert result.error == "no text layer on any of 3 pages: needs OCR (OCR is off (ENVREPORTS_OCR=off))"


def test_partly_scanned_pdf_reads_the_text_pages(tmp_path):
    first = factory.write_report(tmp_path / "first.pdf", [AIR])
    scan = factory.write_scanned(tmp_path / "scan.pdf")
    last = factory.write_report(tmp_path / "last.pdf", [SOIL])
    result = read_document(factory.concatenate([first, scan, last], tmp_path / "mixed.pdf"))
    assert result.status == OK
    assert result.text == f"{fold(AIR)}\n{fold(SOIL)}"
    (note,) = result.removals
    assert (note.reason, note.page, note.start) == ("no_text_layer", 2, result.pages[1].start)


def test_encrypted_pdf(tmp_path):
    source = factory.write_report(tmp_path / "plain.pdf", [AIR])
    result = read_document(factory.encrypt(source, tmp_path / "locked.pdf", user="secret"))
    assert result.status == ENCRYPTED
    assert result.error == "PDF is encrypted and needs a password"


def test_encrypted_pdf_with_empty_user_password_is_read(tmp_path):
    source = factory.write_report(tmp_path / "plain.pdf", [AIR, FIGURES], fake_bold=True)
    result = read_document(factory.encrypt(source, tmp_path / "owner-only.pdf", user=""))
    assert result.status == OK
    assert result.text == f"{fold(AIR)}\n{fold(FIGURES)}"


@pytest.mark.parametrize("keep", [0.3, 0.7, 0.97])
def test_truncated_pdf_is_corrupt(tmp_path, keep):
    source = factory.write_report(tmp_path / "plain.pdf", [AIR, FIGURES])
    result = read_document(factory.truncate(source, tmp_path / "cut.pdf", keep=keep))
    assert result.status == CORRUPT
    assert "damaged or truncated" in result.error


def test_pdf_without_pages_is_empty_whatever_failed_before(tmp_path):
    """pdfium keeps the error code of the last failure; a page-less PDF must not inherit it."""
    locked = factory.encrypt(factory.write_report(tmp_path / "plain.pdf", [AIR]), tmp_path / "locked.pdf", user="x")
    path = tmp_path / "no-pages.pdf"
    with pikepdf.new() as pdf:
        pdf.save(path)
    assert read_document(locked).status == ENCRYPTED
    result = read_document(path)
    assert (result.status, result.error) == (EMPTY, "PDF has no pages")


def test_garbage_after_pdf_header_is_corrupt(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    result = read_document(path)
    assert result.status == CORRUPT
    assert "PDFium" in result.error


# --- properties of the re-flow -------------------------------------------------------------

_ALPHABET = "优良天数微克立方米报告年同比增加污染防治一二三、。,;:%/.()“”PMABCabc0123456789 "
_texts = st.text(alphabet=_ALPHABET, min_size=1, max_size=30).map(str.strip).filter(bool)
_lines = st.builds(
    Line,
    text=_texts,
    x0=st.sampled_from([90.0, 90.5, 118.0, 200.0]),
    x1=st.floats(min_value=120.0, max_value=520.0),
    mid=st.just(0.0),
    size=st.sampled_from([12.0, 14.0]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_lines, min_size=1, max_size=12))
def test_reflow_keeps_every_character_and_every_digit_run(lines):
    flowed = reflow(lines, Layout.of(lines))
    assert re.sub(r"\s", "", flowed.text) == "".join(re.sub(r"\s", "", ln.text) for ln in lines)
    for i, line in enumerate(lines):
        start = flowed.starts[i]
        assert flowed.text[start : start + len(line.text)] == line.text
        if i + 1 < len(lines):
            separator = flowed.text[start + len(line.text) : flowed.starts[i + 1]]
            assert separator in ("", " ", "\n")
            if line.text[-1].isdigit() and lines[i + 1].text[0].isdigit():
                assert separator == ""


@given(st.lists(_texts, min_size=1, max_size=6))
def test_joined_cell_keeps_every_character(parts):
    joined = join_wrapped("\n".join(parts))
    assert re.sub(r"\s", "", joined) == "".join(re.sub(r"\s", "", p) for p in parts)
    assert "\n" not in joined


@given(st.text(alphabet="优良天数２０２４ＰＭ，。（） 　ab12.%", max_size=40))
def test_tidy_only_folds_and_drops_spaces(text):
    tidied = tidy(text)
    assert re.sub(r"\s", "", tidied) == re.sub(r"\s", "", unicodedata.normalize("NFKC", text))
    assert not re.search(r"[\u4e00-\u9fff] | [\u4e00-\u9fff]", tidied)


def test_breaks_between_paragraphs():
    layout = Layout(left=90.0, right=510.0, em=14.0)
    full = Line("根据市人大常委会年度工作要点安排，为做好听取和审议市人民政府关于", 90.0, 509.0, 0, 14)
    ends = Line("进行满意度测评。现将有关情况报告如下：", 90.0, 350.0, 0, 14)
    heading = Line("一、总体情况", 118.0, 200.0, 0, 14)
    cut_short = Line("是土壤污染防治任务艰巨。受", 90.0, 271.0, 0, 14)
    indented = Line("历史遗留污染、工业聚集区污染传导、农业面源污染积累等因素", 118.0, 509.0, 0, 14)
    signed = Line("签发：薛树军", 118.0, 201.0, 0, 14)
    assert not pdfs.breaks_paragraph(full, full, layout)
    assert pdfs.breaks_paragraph(ends, full, layout)
    assert pdfs.breaks_paragraph(full, heading, layout)
    assert pdfs.breaks_paragraph(heading, full, layout)
    assert not pdfs.breaks_paragraph(cut_short, indented, layout)
    assert pdfs.breaks_paragraph(signed, signed, layout)
