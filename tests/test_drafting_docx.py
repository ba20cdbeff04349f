"""Word export: the .docx opens with python-docx and has GB/T 9704-2012 page, fonts, headings and page numbers; every
【待补充】 gap is highlighted; 公文 kinds (only they) can carry the red 版头."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from assistant.drafting import drafts as drafting
from assistant.drafting.docx_export import blocks_from_markdown
from assistant.errors import GreenLeafError, LookupFailed

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
    date_line = paragraph(plan_docx, "2025年6月9日")  # two weeks before the 2025 week, not the drafting day
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


# ---------------------------------------------------------------- gaps highlighted, red 版头 for 公文 kinds

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
GAP = re.compile(r"【待补充：[^】]*】|【待核实】")


def body_runs(doc: Document) -> list:
    return [r for p in doc.paragraphs for r in p.runs]


def highlight(run) -> str | None:
    rpr = run._element.rPr
    mark = None if rpr is None else rpr.find(qn("w:highlight"))
    return None if mark is None else mark.get(qn("w:val"))


def test_every_gap_is_a_highlighted_run_of_its_own_and_nothing_else_is(tmp_path):
    # No data and a year without a known campaign: every kind has gaps, in titles, body and signature lines.
    for kind in drafting.list_kinds():
        result = drafting.draft(kind, {"year": "2031"}, today=date(2031, 3, 1))
        doc = Document(str(result.save(tmp_path / f"{kind.id}.docx")))
        gaps = [m.group(0) for p in doc.paragraphs for m in GAP.finditer(p.text)]
        assert gaps, kind.id
        marked = [r for r in body_runs(doc) if highlight(r) is not None]
        assert [r.text for r in marked] == gaps, kind.id  # each gap exactly one run, in order
        assert all(highlight(r) == "yellow" for r in marked)
        for run in body_runs(doc):
            assert (highlight(run) is not None) == bool(GAP.fullmatch(run.text)), (kind.id, run.text)
        xml = doc.element.xml
        assert xml.count('<w:highlight w:val="yellow"/>') == len(gaps)


def test_gap_inside_a_sentence_splits_it_and_keeps_the_body_format(tmp_path):
    result = drafting.draft("campaign-plan", {"institution": "市行政中心", "year": "2025"}, today=TODAY)
    doc = Document(str(result.save(tmp_path / "plan.docx")))
    para = next(p for p in doc.paragraphs if "【待补充：活动地点】" in p.text)
    texts = [r.text for r in para.runs]
    i = texts.index("【待补充：活动地点】")
    assert texts[i - 1].endswith("在") and highlight(para.runs[i - 1]) is None
    assert highlight(para.runs[i]) == "yellow"
    for run in para.runs:  # each piece keeps the body font, size and the 28-character condensing
        assert east_asian(run) == "仿宋_GB2312" and run.font.size == Pt(16)
        assert run._element.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-5"


def test_model_flags_are_highlighted_too():
    from assistant.drafting.docx_export import build_document

    doc = build_document("# 标题\n\n全年节约用电12万【待核实】千瓦时。\n")
    para = next(p for p in doc.paragraphs if "待核实" in p.text)
    assert [(r.text, highlight(r)) for r in para.runs] == [
        ("全年节约用电12万", None), ("【待核实】", "yellow"), ("千瓦时。", None)]


def test_run_properties_follow_the_schema_order(plan_docx):
    order = ["rFonts", "color", "spacing", "sz", "szCs", "highlight"]
    for run in body_runs(plan_docx):
        tags = [child.tag.replace(W, "") for child in run._element.rPr]
        known = [t for t in tags if t in order]
        assert known == sorted(known, key=order.index), tags


def red_runs(doc: Document) -> list:
    return [r for r in body_runs(doc) if r.font.color is not None and r.font.color.type is not None
            and str(r.font.color.rgb) == "FF0000"]


def red_lines(doc: Document) -> list:
    lines = []
    for p in doc.paragraphs:
        border = p._p.pPr.find(qn("w:pBdr")) if p._p.pPr is not None else None
        bottom = None if border is None else border.find(qn("w:bottom"))
        if bottom is not None and bottom.get(qn("w:color")) == "FF0000":
            lines.append((p, bottom))
    return lines


def test_red_header_has_the_red_organ_mark_the_number_and_the_red_line(tmp_path):
    from assistant.drafting.docx_export import RedHeader

    result = drafting.draft("campaign-plan", {"institution": "市行政中心", "year": "2025"}, today=TODAY)
    header = drafting.red_header(result.kind, "海州市机关事务管理局", "海机管[2025]012")
    doc = Document(str(result.save(tmp_path / "plan.docx", red_header=header)))
    paragraphs = doc.paragraphs
    mark = paragraphs[0]
    assert mark.text == "海州市机关事务管理局文件"
    assert mark.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert [r.text for r in red_runs(doc)] == ["海州市机关事务管理局文件"]
    assert east_asian(mark.runs[0]) == "方正小标宋简体"
    assert abs(mark.paragraph_format.space_before - Mm(35)) < Mm(0.1)  # §7.2.4: 35 mm below the type area's top
    assert len(mark.text) * mark.runs[0].font.size.pt <= Mm(156).pt  # the whole name fits on one line
    # §7.2.5: the number two lines below the mark, centred, 〔〕 round the year, no leading zero
    assert [p.text for p in paragraphs[1:4]] == ["", "", "海机管〔2025〕12号"]
    assert paragraphs[3].alignment == WD_ALIGN_PARAGRAPH.CENTER
    # §7.2.7: a red line right under the number, as wide as the type area (a paragraph border, no indents)
    [(line, bottom)] = red_lines(doc)
    assert line._p is paragraphs[4]._p and line.text == ""
    assert bottom.get(qn("w:val")) == "single"
    assert line.paragraph_format.left_indent is None and line.paragraph_format.right_indent is None
    assert abs(line.paragraph_format.line_spacing - Mm(4)) < Mm(0.1)
    # §7.3.1: the title two lines below the red line
    assert [p.text for p in paragraphs[5:8]] == ["", "", "市行政中心2025年节能宣传周活动方案"]
    assert RedHeader("海州市机关事务管理局文件").mark == "海州市机关事务管理局文件"  # 文件 is not doubled


def test_red_header_without_a_number_puts_the_line_under_the_mark(tmp_path):
    result = drafting.draft("budget-report", {"institution": "市行政中心", "year": "2025"}, today=TODAY)
    doc = Document(str(result.save(tmp_path / "r.docx", red_header=drafting.red_header(result.kind, "市行政中心"))))
    assert doc.paragraphs[0].text == "市行政中心文件"
    [(line, _)] = red_lines(doc)
    assert line._p is doc.paragraphs[1]._p


def test_only_official_kinds_take_a_red_header_and_no_draft_is_red_by_default(tmp_path):
    from assistant.drafting.docx_export import RedHeader

    official = {k.id for k in drafting.list_kinds() if k.official}
    assert official == {"campaign-plan", "event-notice", "budget-report", "consumption-report", "self-assessment",
                        "water-saving"}
    for kind in drafting.list_kinds():
        result = drafting.draft(kind, {"institution": "市行政中心", "year": "2025"}, today=TODAY)
        doc = Document(str(result.save(tmp_path / f"{kind.id}.docx")))
        assert red_runs(doc) == [] and red_lines(doc) == [], kind.id
        assert "FF0000" not in doc.element.xml
        if kind.id not in official:  # 倡议书, 新闻通稿, 标语 and the rest: refused, with the reason in Chinese
            with pytest.raises(LookupFailed, match="不是公文，不加红头"):
                drafting.red_header(kind, "市行政中心")
            with pytest.raises(LookupFailed, match="不是公文"):
                result.save(tmp_path / f"{kind.id}-red.docx", red_header=RedHeader("市行政中心"))
            assert not (tmp_path / f"{kind.id}-red.docx").exists()


def test_red_header_needs_an_organ_and_a_docx(tmp_path):
    result = drafting.draft("event-notice", {"year": "2025"}, today=TODAY)
    with pytest.raises(LookupFailed, match="GREENLEAF_ORGAN_NAME"):
        drafting.red_header(result.kind, "  ")
    with pytest.raises(GreenLeafError, match=".docx"):
        result.save(tmp_path / "n.md", red_header=drafting.red_header(result.kind, "市行政中心"))
