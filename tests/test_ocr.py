"""OCR of scanned pages: box layout, post-processing, settings and limits, and a scan end to end.

The scan is page 1 of a real 人大 report, printed and scanned at 150 dpi in grey (a JPEG image,
no text layer); tests/fixtures/scanned holds it. OCR runs on the CPU with the models shipped in
the rapidocr wheel, so these tests need nothing beyond `make venv`.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pypdfium2 as pdfium
import pytest

from pipelines.core import ocr, pdfs
from pipelines.core.models import EMPTY, NEEDS_OCR, OK
from pipelines.worker import ENV_DOC_TIMEOUT_S
from tests import pdf_factory as factory
from tests.conftest import build

SCAN = Path(__file__).parent / "fixtures" / "scanned" / "anshan_2024_p1.scan.pdf"
COMPLAINTS = "从去年我市12345热线受理数据看,全年共受理生态环境方面诉求20079件,同比增长12.41%。"


def box(text: str, x0: float, y0: float, x1: float, y1: float, score: float = 0.99) -> ocr.Box:
    return ocr.Box(text, score, ((x0, y0), (x1, y0), (x1, y1), (x0, y1)))


def tilted(text: str, x0: float, y0: float, x1: float, height: float, slope: float) -> ocr.Box:
    """A box on a page rotated by a small angle: its top edge rises or falls with x."""
    return ocr.Box(
        text,
        0.99,
        ((x0, y0 + slope * x0), (x1, y0 + slope * x1), (x1, y0 + height + slope * x1), (x0, y0 + height + slope * x0)),
    )


# --- layout --------------------------------------------------------------------------------


def test_boxes_become_lines_top_to_bottom_and_left_to_right():
    boxes = [
        box("水质达标率100%。", 420, 100, 700, 130),
        box("第二行", 100, 150, 300, 180),
        box("县级饮用水源地", 100, 102, 400, 128),
    ]
    lines = ocr.boxes_to_lines(boxes)
    assert [ln.text for ln in lines] == ["县级饮用水源地水质达标率100%。", "第二行"]
    assert (lines[0].x0, lines[0].x1) == (100, 700)
    assert lines[0].mid < lines[1].mid


def test_a_wide_gap_or_two_latin_words_keep_a_space():
    lines = ocr.boxes_to_lines(
        [box("PM2.5", 100, 100, 180, 130), box("浓度", 184, 100, 240, 130), box("51", 400, 100, 430, 130)]
    )
    assert [ln.text for ln in lines] == ["PM2.5浓度 51"]
    (latin,) = ocr.boxes_to_lines([box("Air", 100, 100, 150, 130), box("Quality", 155, 100, 250, 130)])
    assert latin.text == "Air Quality"


def test_a_skewed_scan_keeps_its_lines_apart():
    """On a page turned by 1.5°, a box at the right end of a line sits lower than the next line's
    left end; grouping by raw height would tangle the lines."""
    slope = 0.026
    boxes = []
    for row, y in enumerate((100, 140, 180)):
        boxes.append(tilted(f"左{row}", 100, y, 700, 28, slope))
        boxes.append(tilted(f"右{row}", 1700, y, 2000, 28, slope))
    lines = ocr.boxes_to_lines(boxes)
    assert [ln.text for ln in lines] == ["左0 右0", "左1 右1", "左2 右2"]  # a column gap keeps a space


def test_confidence_is_weighted_by_characters():
    lines = ocr.boxes_to_lines([box("一", 0, 0, 30, 30, score=0.5), box("优良天数326天", 0, 100, 300, 130, score=1.0)])
    assert ocr.mean_confidence(lines) == pytest.approx((0.5 + 8) / 9)


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("优良天数3O6天", "优良天数306天"),
        ("改善1.O2%", "改善1.02%"),
        ("浓度为5l微克/立方米", "浓度为51微克/立方米"),
        ("浓度为51微克1立方米", "浓度为51微克/立方米"),
        ("综合指数4·803", "综合指数4.803"),
        ("比例为 33. 3%", "比例为 33.3%"),
        ("O3浓度、NO2和CO", "O3浓度、NO2和CO"),  # letters in chemical names stay
        ("二〇二四年", "二〇二四年"),
        ("一3一", "—3—"),
        ("-12-", "—12—"),
        ("2021一2025年", "2021—2025年"),
        ("第一批", "第一批"),
    ],
)
def test_ocr_confusions_in_figures_are_undone(read, meant):
    assert ocr.fix_text(read) == meant


# --- settings and limits -------------------------------------------------------------------


def test_settings_come_from_the_environment():
    assert ocr.OcrSettings.from_env({}) == ocr.OcrSettings()
    off = ocr.OcrSettings.from_env({ocr.ENV_OCR: "off"})
    assert not off.enabled
    limited = ocr.OcrSettings.from_env({ocr.ENV_OCR_MAX_PAGES: "3", ocr.ENV_OCR_PAGE_SECONDS: "20"})
    assert (limited.max_pages, limited.page_seconds) == (3, 20.0)
    assert len({off.key(), limited.key(), ocr.OcrSettings().key()}) == 3  # each its own read cache


def test_ocr_off_keeps_a_scan_needs_ocr():
    result = pdfs.read_pdf(SCAN, ocr.OcrSettings(enabled=False))
    assert result.status == NEEDS_OCR
    assert "ENVREPORTS_OCR=off" in result.error


def test_page_limit_leaves_the_pages_over_it_unread(tmp_path):
    result = pdfs.read_pdf(SCAN, ocr.OcrSettings(max_pages=0))
    assert result.status == NEEDS_OCR
    assert "limit of 0 pages" in result.error


def test_a_page_over_the_time_limit_is_not_read(monkeypatch):
    def slow(image):
        time.sleep(5)
        return []

    monkeypatch.setattr(ocr, "recognise", slow)
    started = time.monotonic()
    result = pdfs.read_pdf(SCAN, ocr.OcrSettings(page_seconds=1))
    assert time.monotonic() - started < 4
    assert result.status == NEEDS_OCR
    assert "longer than 1 s" in result.error


def test_missing_models_are_a_clear_error_and_never_a_download(monkeypatch):
    import rapidocr.utils.download_file as download

    def no_download(*args, **kwargs):
        raise AssertionError("OCR tried to download a model")

    monkeypatch.setattr(download.DownloadFile, "run", no_download)
    monkeypatch.setitem(ocr._MODELS, "Det", "no-such-model.onnx")
    ocr.engine.cache_clear()
    try:
        result = pdfs.read_pdf(SCAN, ocr.OcrSettings())
    finally:
        ocr.engine.cache_clear()
    assert result.status == NEEDS_OCR
    assert "OCR models missing" in result.error and "no-such-model.onnx" in result.error


def test_an_image_without_text_is_empty_after_ocr(tmp_path):
    """Black bars, which the recogniser alone reads as "100", give no text."""
    result = pdfs.read_pdf(factory.write_scanned(tmp_path / "bars.pdf", pages=2), ocr.OcrSettings())
    assert result.status == EMPTY
    assert result.error == "no text layer, and OCR found no text on any of 2 pages"


# --- end to end ----------------------------------------------------------------------------


def mixed_document(path: Path, tmp_path: Path) -> Path:
    """Page 1 the scan, page 2 a text-layer page: each page is read its own way."""
    text_page = factory.write_report(tmp_path / "page2.pdf", [COMPLAINTS])
    return factory.concatenate([SCAN, text_page], path)


@pytest.mark.e2e
def test_scanned_page_facts_keep_their_page_and_how_it_was_read(tmp_path, monkeypatch):
    """One build: the scan's page is flagged by setting the trust threshold above its score, so the
    warning reaches the document and the facts of that page, and not those of the text page."""
    monkeypatch.setattr(ocr, "LOW_CONFIDENCE", 0.9999)
    monkeypatch.setenv(ENV_DOC_TIMEOUT_S, "0")  # the stages in this process, where the patch applies
    raw = tmp_path / "raw"
    raw.mkdir()
    mixed_document(raw / "鞍山审议意见.pdf", tmp_path)
    warehouse = tmp_path / "warehouse" / "envreports.duckdb"
    assert build(raw, warehouse) == 0
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        doc = con.execute(
            "SELECT status, read_method, page_methods, ocr_confidence, ocr_warning, n_pages FROM v_documents"
        ).fetchone()
        facts = con.execute(
            "SELECT indicator_code, value_kind, value, region_name, page, page_read_by, ocr_warning, evidence "
            "FROM v_indicator_facts ORDER BY page, indicator_code, value_kind"
        ).fetchall()
    finally:
        con.close()
    status, method, page_methods, confidence, warning, n_pages = doc
    assert (status, method, page_methods, n_pages) == (OK, "text+ocr", ["ocr", "text"], 2)
    assert 0.95 < confidence < 0.9999
    assert warning == "OCR confidence below 0.9999 on page 1: check figures against the scan"
    found = {(code, kind, value, page, read_by) for code, kind, value, _, page, read_by, _, _ in facts}
    assert {
        ("air.good_days", "actual", 326.0, 1, "ocr"),
        ("water.quality_index", "change_pct", -1.02, 1, "ocr"),
        ("water.good_quality_ratio", "actual", 80.0, 1, "ocr"),
        ("water.drinking_source_compliance", "actual", 100.0, 1, "ocr"),
        ("complaints.received", "actual", 20079.0, 2, "text"),
        ("complaints.received", "change_pct", 12.41, 2, "text"),
    } <= found
    assert {region for _, _, _, region, *_ in facts} == {"鞍山市"}
    good_days = next(f for f in facts if f[0] == "air.good_days")
    assert "优良天数326天" in good_days[7]  # the sentence as recognised
    assert {f[4]: f[6] is not None for f in facts} == {1: True, 2: False}  # the warning is the scan page's


def test_a_text_layer_page_is_never_rendered(monkeypatch, tmp_path):
    def fail(*args, **kwargs):
        raise AssertionError("a page with a text layer went to OCR")

    monkeypatch.setattr(ocr, "read_page", fail)
    result = pdfs.read_pdf(factory.write_report(tmp_path / "text.pdf", [COMPLAINTS]), ocr.OcrSettings())
    assert result.status == OK
    assert result.read_method == "text"


def test_the_scan_fixture_is_a_scan():
    doc = pdfium.PdfDocument(SCAN)
    try:
        assert doc[0].get_textpage().count_chars() == 0
        assert ocr.image_dpi(doc[0]) is not None
    finally:
        doc.close()


def test_a_blank_page_is_not_rendered(monkeypatch, tmp_path):
    from reportlab.pdfgen import canvas

    def fail(*args, **kwargs):
        raise AssertionError("a blank page went to OCR")

    monkeypatch.setattr(ocr, "read_page", fail)
    blank = canvas.Canvas(str(tmp_path / "blank.pdf"))
    blank.showPage()
    blank.save()
    result = pdfs.read_pdf(tmp_path / "blank.pdf", ocr.OcrSettings())
    assert (result.status, result.error) == (NEEDS_OCR, "no text layer on any of 1 pages: needs OCR")


def test_a_scan_with_a_few_characters_of_text_layer_is_read_by_ocr(tmp_path):
    """A stamp or a page label in the text layer does not make a scanned page a text page."""
    import pikepdf
    from reportlab.pdfgen import canvas

    label = tmp_path / "label.pdf"
    pdf = canvas.Canvas(str(label), pagesize=pdfium.PdfDocument(SCAN)[0].get_size())
    pdf.setFont("Helvetica", 9)
    pdf.drawString(20, 20, "Scan 0001")
    pdf.save()
    stamped = tmp_path / "stamped.pdf"
    with pikepdf.open(SCAN) as scan, pikepdf.open(label) as overlay:
        scan.pages[0].add_overlay(overlay.pages[0])
        scan.save(stamped)
    result = pdfs.read_pdf(stamped, ocr.OcrSettings())
    assert result.status == OK
    assert [(p.number, p.method) for p in result.pages] == [(1, "ocr")]
    assert "优良天数326天" in result.text
