"""OCR of scanned PDFs and images with the real recogniser (rapidocr-onnxruntime), end to end and in parts."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.ingest.documents import parse_file
from assistant.errors import DocumentError
from assistant.ingest.isolation import load_document
from assistant.retrieval.knowledge import KnowledgeBase
from assistant.ingest.ocr import LOW_CONFIDENCE, OcrLine, assemble
from conftest import render_scan, write_scan_pdf

ARTICLE_14 = "第十四条 公共机构应当实行能源消耗计量制度，区分用能种类、用能系统实行能源消耗分户、分类、分项计量。"
ARTICLE_15 = ("第十五条 公共机构应当指定专人负责能源消耗统计，如实记录能源消耗计量原始数据，建立统计台账。"
              "公共机构应当于每年3月31日前，向本级人民政府管理机关事务工作的机构报送上一年度能源消耗状况报告。")
ARTICLE_22 = "第二十二条 公共机构应当按照规定进行能源审计，对本单位用能系统、设备的运行及使用能源情况进行评价。"
SCANNED_REGULATION = [
    ["公共机构节能条例", "第一条 为了推动公共机构节能，提高公共机构能源利用效率，制定本条例。"],
    [ARTICLE_14, ARTICLE_15],
    [ARTICLE_22],
]


@pytest.fixture(scope="module")
def scanned_regulation(tmp_path_factory) -> Path:
    return write_scan_pdf(tmp_path_factory.mktemp("scan") / "条例扫描件.pdf", SCANNED_REGULATION,
                          title="公共机构节能条例")


def test_scanned_regulation_is_found_by_article_and_page(settings, scanned_regulation: Path, capfd) -> None:
    with KnowledgeBase.open(settings) as kb:
        report = kb.ingest([scanned_regulation])
        assert report.failed == []
        hit = kb.search("第十五条 能源消耗状况报告什么时候报送", k=3).hits[0]
        assert (hit.chunk.article, hit.chunk.page) == ("第十五条", 2)
        # The whole article came back from pixels, digits included, with no stray spaces or line breaks.
        assert "建立统计台账。公共机构应当于每年3月31日前" in hit.chunk.text
        assert hit.chunk.ocr is True and hit.to_dict()["ocr"] is True
        assert hit.citation_label() == "《公共机构节能条例》第十五条（第2页）"
        assert kb.search("能源审计", k=1).hits[0].chunk.article == "第二十二条"
        [record] = kb.documents()
        assert record.ocr is True and record.meta["ocr_pages"] == "1-3"
        assert any("已用 OCR 识别" in w for w in record.warnings)
    err = capfd.readouterr().err
    # One progress line per page, on stderr.
    assert "共 3 页待识别" in err and "第 3/3 页完成" in err


def test_text_pages_are_not_ocred(tmp_path: Path, pdf_writer) -> None:
    text_pdf = pdf_writer(tmp_path / "text.pdf", [["第一页是文字，讲节能管理。"], ["第二页也是文字。"]])
    scan_pdf = write_scan_pdf(tmp_path / "scan.pdf", [["第二页原是扫描件，讲能源审计的做法。"]])
    # Page 2 of a mixed file: a text page followed by a scanned page.
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(text_pdf).pages[0])
    writer.add_page(PdfReader(scan_pdf).pages[0])
    mixed = tmp_path / "mixed.pdf"
    writer.write(mixed)
    doc = parse_file(mixed, ocr=True)
    assert doc.ocr is True and doc.meta["ocr_pages"] == "2"
    assert [s.page for s in doc.sections] == [1, 2]
    assert doc.sections[0].text == "第一页是文字，讲节能管理。"
    assert "能源审计" in doc.sections[1].text
    # A PDF with text on every page is never rendered or OCR'd.
    plain = parse_file(text_pdf, ocr=True)
    assert plain.ocr is False and "ocr_pages" not in plain.meta


def test_ocr_off_keeps_the_scan_error(settings, scanned_regulation: Path) -> None:
    with pytest.raises(DocumentError, match="均无可提取文字（可能是扫描件.*GREENLEAF_OCR=off"):
        load_document(scanned_regulation, replace(settings, ocr="off"))


def test_missing_ocr_package_keeps_the_scan_error(scanned_regulation: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # makes the import fail, as when not installed
    with pytest.raises(DocumentError, match="均无可提取文字（可能是扫描件.*未安装 OCR 组件"):
        parse_file(scanned_regulation, ocr=True)


def test_image_files_are_ingested_by_ocr(settings, tmp_path: Path) -> None:
    image = render_scan(["节水型单位建设要点", "人均用水量等于年度用水总量除以用能人数，按年度计算。"], height_px=500)
    png = tmp_path / "节水要点.png"
    image.save(png)
    jpg = tmp_path / "照片.jpg"
    image.convert("RGB").save(jpg, quality=90)
    with KnowledgeBase.open(settings) as kb:
        report = kb.ingest([png, jpg])
        assert len(report.added) == 2 and report.failed == []
        hit = kb.search("人均用水量怎么算", k=1).hits[0]
        assert "人均用水量等于年度用水总量除以用能人数" in hit.chunk.text
        assert hit.chunk.ocr is True and hit.chunk.page is None  # a single picture has no page to cite
        assert {d.title for d in kb.documents()} == {"节水型单位建设要点"}


def test_blank_image_is_a_clear_error(settings, tmp_path: Path) -> None:
    blank = tmp_path / "blank.png"
    render_scan([], height_px=300).save(blank)
    with pytest.raises(DocumentError, match="OCR 未在图片中识别出文字"):
        load_document(blank, settings)
    with pytest.raises(DocumentError, match="OCR 识别已关闭"):
        load_document(blank, replace(settings, ocr="off"))


# ---------------------------------------------------------------- layout and confidence, on given boxes


def _line(text: str, x0: float, y0: float, score: float = 0.99, char: float = 26) -> OcrLine:
    return OcrLine(text, score, x0, y0, x0 + char * len(text), y0 + char)


def test_boxes_in_one_row_join_and_indents_start_paragraphs() -> None:
    lines = [
        _line("公共机构节能条例", 400, 100),
        # The recogniser returned the label and the text as two boxes on one row, the text box first.
        _line("公共机构应当指定专人负责能源消耗统计，如实", 310, 200),
        _line("第十五条", 172, 202),
        _line("记录能源消耗计量原始数据，建立统计台账。", 120, 245),
        _line("公共机构应当于每年报送能耗报告。", 172, 290),  # indented: a new paragraph
        _line("- 2 -", 580, 1600),  # the page number at the foot
    ]
    paragraphs, uncertain = assemble(lines, 1240)
    assert paragraphs == [
        "公共机构节能条例",
        "第十五条\u3000公共机构应当指定专人负责能源消耗统计，如实记录能源消耗计量原始数据，建立统计台账。",
        "公共机构应当于每年报送能耗报告。",
    ]
    assert uncertain == []


def test_merged_article_label_gets_its_separator_but_references_do_not() -> None:
    paragraphs, _ = assemble([_line("第十六条公共机构应当做好维护。", 172, 100),
                              _line("第十五条规定的报告按年报送。", 172, 180)], 1240)
    assert paragraphs == ["第十六条\u3000公共机构应当做好维护。", "第十五条规定的报告按年报送。"]


def test_low_confidence_lines_are_marked_and_very_low_dropped() -> None:
    doubtful = LOW_CONFIDENCE - 0.1
    lines = [
        _line("第二十条 公共机构应当开展节能宣传。", 172, 100),
        _line("单位建筑面积能耗为l2.5千克。", 172, 180, score=doubtful),
        _line("第二十一条 下一条的内容。", 172, 260, score=doubtful),
        _line("噪点", 600, 400, score=0.3),  # a stamp's smudge: below rapidocr's own cut-off too
    ]
    paragraphs, uncertain = assemble(lines, 1240)
    assert paragraphs == [
        "第二十条\u3000公共机构应当开展节能宣传。",
        "〖存疑：单位建筑面积能耗为l2.5千克。〗",
        "第二十一条\u3000〖存疑：下一条的内容。〗",  # the article label stays outside, so chunking still sees it
    ]
    assert len(uncertain) == 2


def test_multipage_tiff_cites_pages(tmp_path: Path) -> None:
    frames = [render_scan([text], height_px=400) for text in ("第一页讲节能宣传周。", "第二页讲低碳日活动。")]
    tiff = tmp_path / "两页.tif"
    frames[0].save(tiff, save_all=True, append_images=frames[1:])
    doc = parse_file(tiff, ocr=True)
    assert [(s.page, s.text) for s in doc.sections] == [(1, "第一页讲节能宣传周。"), (2, "第二页讲低碳日活动。")]
    assert doc.ocr is True and doc.meta["ocr_pages"] == "1-2"
