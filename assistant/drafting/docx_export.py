"""Word export following the basics of GB/T 9704-2012 《党政机关公文格式》.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 2号 方正小标宋简体 centred; body 3号 仿宋_GB2312
at a fixed 28.95 pt line pitch with a 28-character grid (22 lines a page, as the standard sets); level-1 headings
黑体, level-2 楷体_GB2312; page numbers "— 1 —" in 4号 宋体, odd pages right, even pages left. East Asian font names
are written on every run (w:eastAsia) so Word and WPS pick them. Every 【待补充：…】 and 【待核实】 gets a run of its
own with a yellow highlight, so no gap goes out unnoticed. On request (RedHeader, for 公文 kinds only) the 版头: the
发文机关标志 in red, the 发文字号 and the red separator line (§7.2.4, §7.2.5, §7.2.7). Not handled: 份号, 密级,
紧急程度, 签发人 of 上行文, 版记.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from assistant.drafting.facts import GAP_RE
from assistant.errors import GreenLeafError

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
LINE_PITCH = Pt(28.95)  # 22 lines in the 225 mm type area
INDENT = Pt(32)  # two characters of 三号
# Type area 156 mm = 442.2 pt; 28 characters of 16 pt need 15.79 pt each: condense by 0.25 pt (w:spacing -5).
CHAR_SPACING = -5  # twentieths of a point
RED = RGBColor(0xFF, 0x00, 0x00)
MARK_MAX_SIZE = Pt(48)  # 发文机关标志: the standard sets no size; smaller when a long name would overflow the line
TYPE_WIDTH = Mm(156)
MARK_TOP = Mm(35)  # §7.2.4: top edge of the 发文机关标志 35 mm below the top of the type area
LINE_GAP = Mm(4)  # §7.2.7: the red separator line 4 mm below the 发文字号
LINE_WEIGHT = 12  # the separator line's thickness in eighths of a point (1.5 pt)
# What may follow w:spacing in a run's properties and w:pBdr in a paragraph's (ECMA-376 element order).
AFTER_RUN_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
                     "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
                     "w:specVanish", "w:oMath")
AFTER_PARAGRAPH_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                          "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                          "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                          "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                          "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


@dataclass(frozen=True)
class RedHeader:
    """The 版头 of a 公文: the issuing organ's name and, if there is one, the 发文字号 (e.g. 海机管〔2025〕12号)."""

    organ: str
    doc_number: str = ""

    @property
    def mark(self) -> str:
        """发文机关标志: the organ's name followed by 文件 (§7.2.4)."""
        organ = self.organ.strip()
        return organ if organ.endswith("文件") else organ + "文件"

    @property
    def number(self) -> str:
        """The 发文字号 as §7.2.5 writes it: the year in 〔〕, the sequence number without leading zeros, then 号."""
        text = re.sub(r"\s+", "", self.doc_number)
        if not text:
            return ""
        text = re.sub(r"[\[［【(（{｛]((?:19|20)\d\d)[\]］】)）}｝]", r"〔\1〕", text)
        text = re.sub(r"〕第?0*(\d)", r"〕\1", text)
        return text if text.endswith("号") else text + "号"


@dataclass(frozen=True)
class Block:
    """One paragraph of the draft: kind is title, h1, h2, para, salutation, item or sign."""

    kind: str
    text: str


def blocks_from_markdown(text: str) -> list[Block]:
    """Read the drafting Markdown: "# " title, "## " / "### " headings, "- " and "1. " items, "> " signature lines."""
    blocks: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            joined = "".join(para)
            # A short line ending in a colon right under the title is the addressee (主送机关): no indent.
            is_salutation = joined.endswith("：") and len(joined) <= 40 and all(b.kind == "title" for b in blocks)
            blocks.append(Block("salutation" if is_salutation else "para", joined))
            para.clear()

    for raw in text.splitlines():
        line = raw.strip()
        marker = re.match(r"^(#{1,3}) (.*)$", line)
        if not line:
            flush()
        elif marker:
            flush()
            blocks.append(Block({1: "title", 2: "h1", 3: "h2"}[len(marker.group(1))], marker.group(2).strip()))
        elif line.startswith("> "):
            flush()
            blocks.append(Block("sign", line[2:].strip()))
        elif re.match(r"^(- |\d+\. )", line):
            flush()
            blocks.append(Block("item", line[2:].strip() if line.startswith("- ") else line))
        else:
            para.append(line)
    flush()
    return blocks


def build_document(text: str, red_header: RedHeader | None = None) -> Document:
    """A python-docx Document laid out per GB/T 9704-2012 basics from the drafting Markdown, with the red 版头 if
    one is given."""
    doc = Document()
    _page_setup(doc)
    _base_style(doc)
    blocks = blocks_from_markdown(text)
    title = next((b.text for b in blocks if b.kind == "title"), "")
    doc.core_properties.title = title
    if red_header is not None:
        _red_header(doc, red_header)
    previous = None
    for block in blocks:
        if block.kind == "sign" and previous != "sign":
            _paragraph(doc, "", BODY_FONT, BODY_SIZE)  # a blank line before the signature block
        if block.kind == "title":
            p = _paragraph(doc, block.text, TITLE_FONT, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
            p.paragraph_format.line_spacing = Pt(36)  # a 22 pt title needs more than the body pitch
            _paragraph(doc, "", BODY_FONT, BODY_SIZE)  # GB/T 9704: one blank line under the title
        elif block.kind == "h1":
            _paragraph(doc, block.text, H1_FONT, BODY_SIZE, indent=INDENT)
        elif block.kind == "h2":
            _paragraph(doc, block.text, H2_FONT, BODY_SIZE, indent=INDENT)
        elif block.kind == "salutation":
            _paragraph(doc, block.text, BODY_FONT, BODY_SIZE)
        elif block.kind == "sign":
            p = _paragraph(doc, block.text, BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT)
            p.paragraph_format.right_indent = Pt(64)  # 成文日期右空四字
        else:
            _paragraph(doc, block.text, BODY_FONT, BODY_SIZE, indent=INDENT)
        previous = block.kind
    _page_numbers(doc)
    return doc


def write_docx(text: str, path: str | Path, red_header: RedHeader | None = None) -> Path:
    """Write the drafting Markdown as a .docx file (with the red 版头 if one is given)."""
    path = Path(path)
    try:
        build_document(text, red_header).save(str(path))
    except OSError as error:
        raise GreenLeafError(f"无法写入 {path}：{error.strerror or error}。请检查路径和权限。") from None
    return path


# ---------------------------------------------------------------- helpers


def _page_setup(doc: Document) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(25)  # 页码位于版心下边缘之下约7 mm
    # A line grid of 28.95 pt. The 28 characters come from condensing body runs (CHAR_SPACING), not from a
    # character grid: LibreOffice spreads text of a "linesAndChars" grid far wider than Word does.
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), "579")
    for name in ("w:charSpace",):
        if grid.get(qn(name)) is not None:
            del grid.attrib[qn(name)]


def _base_style(doc: Document) -> None:
    style = doc.styles["Normal"]
    style.font.size = BODY_SIZE
    _set_fonts(style.element.get_or_add_rPr(), BODY_FONT)


def _red_header(doc: Document, header: RedHeader) -> None:
    """发文机关标志 (red, centred, 35 mm down), 发文字号 two lines below it, the red line 4 mm below that, and
    two blank lines before the title (§7.3.1)."""
    mark = header.mark
    size = Pt(min(MARK_MAX_SIZE.pt, int(TYPE_WIDTH.pt / len(mark) * 2) / 2))  # the whole name on one line
    p = _paragraph(doc, mark, TITLE_FONT, size, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    p.paragraph_format.space_before = MARK_TOP
    p.paragraph_format.line_spacing = Pt(round(size.pt * 1.25, 1))  # room for the glyphs at an exact pitch
    if header.number:
        _paragraph(doc, "", BODY_FONT, BODY_SIZE)
        _paragraph(doc, "", BODY_FONT, BODY_SIZE)
        _paragraph(doc, header.number, BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    line = _paragraph(doc, "", BODY_FONT, BODY_SIZE)
    line.paragraph_format.line_spacing = LINE_GAP  # an empty line 4 mm high whose bottom border is the red line
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", str(LINE_WEIGHT)), ("w:space", "0"), ("w:color", "FF0000")):
        bottom.set(qn(name), value)
    border.append(bottom)
    line._p.get_or_add_pPr().insert_element_before(border, *AFTER_PARAGRAPH_BORDER)
    _paragraph(doc, "", BODY_FONT, BODY_SIZE)
    _paragraph(doc, "", BODY_FONT, BODY_SIZE)


def _paragraph(doc, text: str, font: str, size: Pt, *, align=None, indent=None, color=None):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = fmt.space_after = Pt(0)
    if indent is not None:
        fmt.first_line_indent = indent
    if align is not None:
        p.alignment = align
    else:
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for piece, gap in _pieces(text):
        run = _run(p, piece, font, size)
        if size == BODY_SIZE:
            spacing = OxmlElement("w:spacing")
            spacing.set(qn("w:val"), str(CHAR_SPACING))
            # in schema order: Word refuses some files whose run properties are out of order
            run._element.get_or_add_rPr().insert_element_before(spacing, *AFTER_RUN_SPACING)
        if color is not None:
            run.font.color.rgb = color
        if gap:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return p


def _pieces(text: str) -> list[tuple[str, bool]]:
    """The text cut at its gaps: [(piece, is_gap)], so a highlight covers the gap and nothing else."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for match in GAP_RE.finditer(text):
        if match.start() > at:
            pieces.append((text[at:match.start()], False))
        pieces.append((match.group(0), True))
        at = match.end()
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces



def _run(p, text: str, font: str, size: Pt):
    run = p.add_run(text)
    run.font.size = size
    run.font.name = LATIN_FONT
    _set_fonts(run._element.get_or_add_rPr(), font)
    return run


def _set_fonts(rpr, east_asian: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)


def _page_numbers(doc: Document) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = align
        if side == "right":
            p.paragraph_format.right_indent = Pt(14)  # 单页码居右空一字
        else:
            p.paragraph_format.left_indent = Pt(14)  # 双页码居左空一字
        _run(p, "— ", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        _field(p, "PAGE")
        _run(p, " —", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def _field(p, instruction: str) -> None:
    """A complex field (begin, instruction, separate, "1", end) so readers that do not update fields show a number."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", "1"), ("end", None)):
        run = _run(p, "", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._element.append(instr)
        elif kind == "text":
            t = OxmlElement("w:t")
            t.text = text
            run._element.append(t)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
