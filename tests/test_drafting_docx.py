"""Word export: the .docx opens with python-docx and has GB/T 9704-2012 page, fonts, headings and page numbers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from assistant.drafting import drafts as drafting
from assistant.drafting.docx_export import blocks_from_markdown
from assistant.errors import GreenLeafError

TODAY = date(2026, 11, 24)


@pytest.fixture
def plan_docx(tmp_path: Path) -> Document:
    result = drafting.draft("campaign-plan", {"institution": "市行政中心", "year": "2025", "place": "机关大院"}, today=TODAY)
    path = result.save(tmp_path / "plan.docx")
    return Document(str(path))


def east_asian(run) -> str | None:
    fonts = run._element.rPr.find(qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def paragraph(doc: Document, text: str):
    return next(p for p in doc.paragraphs if p.text == text)


def test_page_is_a4_with_the_standard_margins(plan_docx):
    section = plan_docx.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)
    assert abs(section.top_margin - Mm(37)) < Mm(0.1)
    assert abs(section.bottom_margin - Mm(35)) < Mm(0.1)
    assert abs(section.left_margin - Mm(28)) < Mm(0.1)
    assert abs(section.right_margin - Mm(26)) < Mm(0.1)


def test_title_is_22pt_xiaobiaosong_centred(plan_docx):
    title = paragraph(plan_docx, "市行政中心2025年节能宣传周活动方案")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size == Pt(22)
    assert east_asian(title.runs[0]) == "方正小标宋简体"
    assert plan_docx.core_properties.title == "市行政中心2025年节能宣传周活动方案"


def test_headings_use_heiti_and_kaiti_by_level(plan_docx):
    for text in ("一、活动主题", "二、活动时间", "三、组织领导", "四、活动内容", "五、工作要求"):
        run = paragraph(plan_docx, text).runs[0]
        assert east_asian(run) == "黑体" and run.font.size == Pt(16)
    run = paragraph(plan_docx, "（一）开展宣传动员").runs[0]
    assert east_asian(run) == "楷体_GB2312" and run.font.size == Pt(16)


def test_body_is_16pt_fangsong_at_a_fixed_28_95pt_pitch(plan_docx):
    body = next(p for p in plan_docx.paragraphs if p.text.startswith("成立节能宣传周活动领导小组"))
    assert east_asian(body.runs[0]) == "仿宋_GB2312" and body.runs[0].font.size == Pt(16)
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert abs(body.paragraph_format.line_spacing.pt - 28.95) < 0.01
    assert body.paragraph_format.first_line_indent == Pt(32)  # two characters


def test_every_run_names_its_east_asian_font(plan_docx):
    runs = [r for p in plan_docx.paragraphs for r in p.runs if r.text]
    assert len(runs) > 20
    assert all(east_asian(r) in {"方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312"} for r in runs)
    normal = plan_docx.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_grid_gives_28_characters_and_22_lines(plan_docx):
    grid = plan_docx.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 28.95 pt in twentieths
    # type area: 297 − 37 − 35 = 225 mm = 637.8 pt → 22 lines of 28.95 pt
    assert int(Mm(225).pt // 28.95) == 22
    # 210 − 28 − 26 = 156 mm = 442.2 pt; a 16 pt character condensed by 0.25 pt → 28 characters a line
    body = next(p for p in plan_docx.paragraphs if p.text.startswith("成立节能宣传周活动领导小组"))
    spacing = int(body.runs[0]._element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    assert int(Mm(156).pt // (16 + spacing)) == 28


def test_footer_holds_a_page_field_between_dashes(plan_docx):
    section = plan_docx.sections[0]
    for footer in (section.footer, section.even_page_footer):
        xml = footer.paragraphs[0]._p.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(" —")
    assert section.footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert section.even_page_footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT


def test_signature_lines_are_right_aligned(plan_docx):
    date_line = paragraph(plan_docx, "2026年11月24日")
    assert date_line.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert paragraph(plan_docx, "市行政中心").alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_every_kind_exports_with_its_required_headings(tmp_path):
    for kind in drafting.list_kinds():
        result = drafting.draft(kind, {"institution": "市行政中心", "year": "2025"}, today=TODAY)
        doc = Document(str(result.save(tmp_path / f"{kind.id}.docx")))
        level_one = [p.text for p in doc.paragraphs if p.runs and east_asian(p.runs[0]) == "黑体"]
        for section in kind.sections:
            assert any(section in h for h in level_one), (kind.id, section, level_one)


def test_markdown_output_is_the_draft_text(tmp_path):
    result = drafting.draft("slogans", {"year": "2024"}, today=TODAY)
    path = result.save(tmp_path / "slogans.md")
    assert path.read_text(encoding="utf-8") == result.text
    with pytest.raises(GreenLeafError, match=".docx 或 .md"):
        result.save(tmp_path / "slogans.pdf")


def test_blocks_recognise_addressee_items_and_signature():
    blocks = blocks_from_markdown(
        "# 标题\n\n各处室：\n\n正文第一行\n续行。\n\n现提出如下倡议：\n\n## 一、要求\n\n- 条目\n1. 标语\n\n> 某单位\n")
    assert [(b.kind, b.text) for b in blocks] == [
        ("title", "标题"), ("salutation", "各处室："), ("para", "正文第一行续行。"), ("para", "现提出如下倡议："),
        ("h1", "一、要求"),
        ("item", "条目"), ("item", "1. 标语"), ("sign", "某单位"),
    ]
