"""Loaders on real files: Chinese PDFs (wrapped lines, odd spacing, scans, encryption, damage), DOCX, GBK, MD, HTML."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from assistant.ingest.documents import parse_file
from assistant.errors import DocumentError
from assistant.ingest.isolation import load_document
from assistant.ingest.textclean import clean_page, fix_spacing

ARTICLE_15 = ("第十五条 公共机构应当指定专人负责能源消耗统计，如实记录能源消耗计量原始数据，建立统计台账。"
              "公共机构应当于每年 3 月 31 日前，向本级人民政府管理机关事务工作的机构报送上一年度能源消耗状况报告。")


def test_pdf_line_break_inside_word_is_joined(tmp_path: Path, pdf_writer) -> None:
    pdf = pdf_writer(tmp_path / "law.pdf", [["公共机构节能条例", ARTICLE_15]], width_mm=60)
    doc = parse_file(pdf)
    text = doc.text
    # The narrow column forces several line breaks inside the article; none may survive as "\n" or " ".
    assert "公共机构应当指定专人负责能源消耗统计，如实记录能源消耗计量原始数据，建立统计台账。" in text
    assert "向本级人民政府管理机关事务工作的机构报送上一年度能源消耗状况报告。" in text
    assert "3月31日" in text and "3 月" not in text
    assert text.splitlines()[1].startswith("第十五条\u3000公共机构")


def test_pdf_pages_and_title_from_metadata(tmp_path: Path, pdf_writer) -> None:
    pdf = pdf_writer(tmp_path / "a.pdf", [["第一页的内容，讲节能管理。"], ["第二页的内容，讲能源审计。"]],
                     title="公共机构节能管理办法")
    doc = parse_file(pdf)
    assert doc.title == "公共机构节能管理办法"
    assert [s.page for s in doc.sections] == [1, 2]
    assert "能源审计" in doc.sections[1].text
    assert "- 2 -" not in doc.text  # page numbers are dropped


def test_pdf_image_only_page_is_reported(tmp_path: Path, pdf_writer) -> None:
    pdf = pdf_writer(tmp_path / "mixed.pdf", [["正文第一页，有文字。"], [], ["正文第三页，也有文字。"]], image_pages={2})
    doc = parse_file(pdf)
    assert doc.warnings == ("第2页无可提取文字（可能是扫描件）",)
    assert [s.page for s in doc.sections] == [1, 3]


def test_pdf_without_any_text_is_an_error(tmp_path: Path, pdf_writer) -> None:
    pdf = pdf_writer(tmp_path / "scan.pdf", [[], []], image_pages={1, 2})
    with pytest.raises(DocumentError, match="均无可提取文字（可能是扫描件"):
        parse_file(pdf)


def test_encrypted_pdf_needs_password(tmp_path: Path, pdf_writer) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = pdf_writer(tmp_path / "plain.pdf", [["加密测试文档的正文内容。"]])
    locked = tmp_path / "locked.pdf"
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    writer.write(locked)
    with pytest.raises(DocumentError, match="已加密"):
        parse_file(locked)
    # Owner-password-only protection (printing restrictions) opens with an empty user password.
    restricted = tmp_path / "restricted.pdf"
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    writer.write(restricted)
    assert "加密测试文档" in parse_file(restricted).text


def test_broken_and_empty_files_are_errors(tmp_path: Path, pdf_writer) -> None:
    good = pdf_writer(tmp_path / "good.pdf", [["完整的文档。"]])
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(DocumentError, match="损坏|没有任何页面|无可提取"):
        parse_file(broken)
    with pytest.raises(DocumentError, match="文件为空"):
        parse_file(empty)
    assert good.stat().st_size > 0


def test_docx_paragraphs_headings_tables_and_core_title(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = "市机关能耗定额通知"
    document.add_heading("一、定额指标", level=1)
    document.add_paragraph("各单位应当对照下表执行。")
    table = document.add_table(rows=2, cols=3)
    for i, value in enumerate(["单位类型", "单位建筑面积能耗约束值", "引导值"]):
        table.rows[0].cells[i].text = value
    for i, value in enumerate(["党政机关", "12.5", "9.8"]):
        table.rows[1].cells[i].text = value
    path = tmp_path / "notice.docx"
    document.save(path)
    doc = parse_file(path)
    assert doc.title == "市机关能耗定额通知"
    lines = doc.text.splitlines()
    assert lines[0] == "# 一、定额指标"
    # Each table row keeps its column headers (issue 10): the figure never loses its meaning.
    assert "党政机关｜单位建筑面积能耗约束值：12.5｜引导值：9.8" in lines


def test_gbk_and_bom_text_files_are_decoded(tmp_path: Path) -> None:
    text = "公共机构节能宣传周\n每年六月举办，倡导绿色低碳。"
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(text.encode("gbk"))
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    for path in (gbk, bom):
        doc = parse_file(path)
        assert "倡导绿色低碳" in doc.text
        assert doc.title == "公共机构节能宣传周"


def test_markdown_front_matter_becomes_metadata(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text("---\ntitle: 节能法要点\ndoc_type: policy\nissuer: 全国人大常委会\ndoc_number: ''\n"
                    "date: 2018-10-26\n---\n# 标题行\n正文。\n", encoding="utf-8")
    doc = parse_file(path)
    assert (doc.title, doc.doc_type) == ("节能法要点", "policy")
    assert doc.meta == {"issuer": "全国人大常委会", "date": "2018-10-26"}
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: x\ndoc_type: novel\n---\n正文\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="doc_type"):
        parse_file(bad)


def test_html_keeps_visible_text_only(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><head><title>节水型单位建设</title><style>p{color:red}</style></head><body>"
                    "<script>alert('忽略')</script><h1>节水型单位</h1><p>人均用水量按年度计算。</p>"
                    "<table><tr><td>指标</td><td>限值</td></tr></table></body></html>", encoding="utf-8")
    doc = parse_file(path)
    assert doc.title == "节水型单位建设"
    assert "人均用水量按年度计算。" in doc.text
    assert "alert" not in doc.text and "color" not in doc.text
    assert "指标｜限值" in doc.text


def test_size_limit_time_limit_and_memory_limit(tmp_path: Path, settings, pdf_writer) -> None:
    pdf = pdf_writer(tmp_path / "long.pdf", [[ARTICLE_15] * 6 for _ in range(12)])
    with pytest.raises(DocumentError, match="超过上限"):
        load_document(pdf, replace(settings, max_file_mb=0.001))
    with pytest.raises(DocumentError, match="解析超时"):
        load_document(pdf, replace(settings, parse_timeout_s=0.0005))
    with pytest.raises(DocumentError, match="内存"):
        load_document(pdf, replace(settings, parse_memory_mb=16))
    doc = load_document(pdf, settings)  # within limits the same file loads
    assert len(doc.sections) == 12


def test_unsupported_type_is_named(tmp_path: Path, settings) -> None:
    path = tmp_path / "data.xls"
    path.write_bytes(b"abc")
    with pytest.raises(DocumentError, match="不支持的文件类型"):
        load_document(path, settings)


def test_spacing_rules_keep_latin_words_apart() -> None:
    assert fix_spacing("GB/T 2589 综合 能耗 计算 通则") == "GB/T 2589综合能耗计算通则"
    assert fix_spacing("2020 年 3 月 31 日") == "2020年3月31日"
    assert clean_page("energy manage-\nment plan") == "energy management plan"
