"""Tables from real PDFs (ruled, fpdf2), DOCX, CSV and XLSX: every value keeps its column header."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.ingest.chunking import chunk_document
from assistant.ingest.documents import parse_file
from assistant.retrieval.knowledge import KnowledgeBase
from assistant.ingest.tables import from_grid
from conftest import LATIN_FONT, cjk_font

# Figures of a made-up quota table, written out by hand: 约束值 then 引导值, per area and per person.
QUOTAS = {
    "党政机关": ("12.0", "9.5", "380", "300"),
    "学校": ("8.6", "6.1", "210", "160"),
    "医院": ("35.0", "28.0", "1260", "990"),
    "文化场馆": ("15.2", "11.4", "520", "410"),
}
AREA = "单位建筑面积能耗"
PERSON = "人均综合能耗"
INTRO = "各类公共机构应当对照下表控制年度能源消耗，超过约束值的单位应当分析原因并整改。"
NOTE = "注：表中数值为测试用的虚构数值。"


def _pdf(path: Path, rows_repeat: int = 1, extra_rows: list[tuple[str, ...]] = ()) -> Path:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    pdf.add_font("cjk", fname=cjk_font())
    pdf.add_font("latin", fname=LATIN_FONT)
    pdf.set_fallback_fonts(["latin"])
    pdf.set_title("能耗定额通知")
    pdf.add_page()
    pdf.set_font("cjk", size=11)
    for line in ("三、定额指标", INTRO, "表1 各类公共机构能耗定额指标"):
        pdf.multi_cell(170, 7, line, new_x="LMARGIN", new_y="NEXT")
    # Narrow columns: the spanning header cells wrap onto two lines inside their cells.
    with pdf.table(col_widths=(26, 20, 20, 20, 20, 30), num_heading_rows=2, text_align="CENTER",
                   headings_style=FontFace(emphasis=None), width=136) as table:
        row = table.row()
        row.cell("单位类型", rowspan=2)
        row.cell(f"{AREA}（kgce/m²）", colspan=2)
        row.cell(f"{PERSON}（kgce/人）", colspan=2)
        row.cell("备注", rowspan=2)
        row = table.row()
        for name in ("约束值", "引导值", "约束值", "引导值"):
            row.cell(name)
        for _ in range(rows_repeat):
            for i, (kind, values) in enumerate(QUOTAS.items()):
                row = table.row()
                row.cell(kind)
                for value in values:
                    row.cell(value)
                if i == 1:
                    row.cell("含附属用房", rowspan=2)  # one note merged over the 学校 and 医院 rows
                elif i != 2:
                    row.cell("")
        for extra in extra_rows:
            row = table.row()
            for value in extra:
                row.cell(value)
    pdf.ln(3)
    pdf.multi_cell(170, 7, NOTE, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def _row(kind: str, note: str = "") -> str:
    a, b, c, d = QUOTAS[kind]
    line = (f"{kind}｜{AREA}约束值（kgce/m²）：{a}｜{AREA}引导值（kgce/m²）：{b}"
            f"｜{PERSON}约束值（kgce/人）：{c}｜{PERSON}引导值（kgce/人）：{d}")
    return line + (f"｜备注：{note}" if note else "")


def test_pdf_table_rows_keep_headers_caption_and_merged_cells(tmp_path: Path) -> None:
    doc = parse_file(_pdf(tmp_path / "定额.pdf"))
    lines = doc.text.splitlines()
    # (textclean drops the space between a digit and Chinese, so the caption reads "表1各类……".)
    assert lines[:3] == ["三、定额指标", INTRO, "表格：表1各类公共机构能耗定额指标"]
    # Two-line header cells rejoined and stacked over 约束值/引导值; the merged 备注 carried down to 医院.
    assert lines[3:7] == [_row("党政机关"), _row("学校", "含附属用房"), _row("医院", "含附属用房"), _row("文化场馆")]
    assert lines[7] == NOTE
    # The table's own figures are not repeated by the page's running text.
    assert doc.text.count("1260") == 1 and doc.text.count(INTRO) == 1
    assert "表1各类公共机构能耗定额指标" not in lines  # the caption moved into the table line


def test_search_finds_the_figure_with_its_header(settings, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    _pdf(folder / "定额.pdf")
    (folder / "说明.md").write_text("# 学校节能说明\n学校应当开展节能教育，引导师生节约用电。\n", encoding="utf-8")
    with KnowledgeBase.open(settings) as kb:
        kb.ingest([folder])
        hit = kb.search("学校 单位建筑面积能耗引导值", k=3).hits[0]
        school = next(x for x in hit.chunk.text.splitlines() if x.startswith("学校｜"))
        value = re.search(rf"{AREA}引导值（kgce/m²）：([0-9.]+)", school).group(1)
        assert value == QUOTAS["学校"][1]  # 6.1, not 学校's 约束值 8.6 nor 党政机关's 9.5
        assert hit.chunk.page == 1 and hit.chunk.title == "能耗定额通知"
        hospital = kb.search("医院 人均综合能耗约束值", k=1).hits[0].chunk.text
        assert f"医院｜{AREA}约束值（kgce/m²）：35.0" in hospital and f"{PERSON}约束值（kgce/人）：1260" in hospital


def test_long_pdf_table_runs_over_pages_and_chunks_by_rows_with_caption(tmp_path: Path) -> None:
    extra = [(f"第{i}分局", f"{10 + i}.5", f"{8 + i}.0", f"{300 + i}", f"{200 + i}", "") for i in range(1, 41)]
    doc = parse_file(_pdf(tmp_path / "长表.pdf", extra_rows=extra))
    assert max(s.page for s in doc.sections) >= 2
    rows = [x for x in doc.text.splitlines() if x.startswith("第") and "分局｜" in x]
    assert len(rows) == 40
    # Rows on the second page still carry their headers (fpdf2 repeats the header row there).
    assert rows[-1] == (f"第40分局｜{AREA}约束值（kgce/m²）：50.5｜{AREA}引导值（kgce/m²）：48.0"
                        f"｜{PERSON}约束值（kgce/人）：340｜{PERSON}引导值（kgce/人）：240")
    chunks = chunk_document(doc, "t", "standard", max_chars=400, overlap=60)
    table_chunks = [c for c in chunks if "分局｜" in c.text]
    assert len(table_chunks) >= 6
    for chunk in table_chunks:
        first = chunk.text.splitlines()[0]
        assert first.startswith("表格：表1各类公共机构能耗定额指标")  # the caption heads every piece
        assert all(line.count("：") == 4 for line in chunk.text.splitlines() if "分局｜" in line)  # no row cut
    assert sum(c.text.count("分局｜") for c in table_chunks) == 40  # every row once


def test_docx_table_with_merged_cells_and_caption(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("二、用能定额", level=1)
    document.add_paragraph("表2 学校分类定额")
    table = document.add_table(rows=5, cols=4)
    cells = [["单位类型", "细分", AREA + "（kgce/m²）", ""],
             ["", "", "约束值", "引导值"],
             ["学校", "高等院校", "9.8", "7.2"],
             ["", "中小学", "6.4", "4.9"],
             ["医院", "综合医院", "35.0", "28.0"]]
    for r, values in enumerate(cells):
        for c, value in enumerate(values):
            if value:
                table.rows[r].cells[c].text = value
    table.cell(0, 2).merge(table.cell(0, 3))  # a header spanning two columns
    table.cell(0, 0).merge(table.cell(1, 0))  # header cells spanning two rows
    table.cell(0, 1).merge(table.cell(1, 1))
    table.cell(2, 0).merge(table.cell(3, 0))  # 学校 over both of its rows
    document.add_paragraph("以上定额自2025年1月1日起执行。")
    path = tmp_path / "定额.docx"
    document.save(path)
    lines = parse_file(path).text.splitlines()
    assert lines == [
        "# 二、用能定额",
        "表格：表2学校分类定额",
        f"学校｜细分：高等院校｜{AREA}约束值（kgce/m²）：9.8｜{AREA}引导值（kgce/m²）：7.2",
        f"学校｜细分：中小学｜{AREA}约束值（kgce/m²）：6.4｜{AREA}引导值（kgce/m²）：4.9",
        f"医院｜细分：综合医院｜{AREA}约束值（kgce/m²）：35.0｜{AREA}引导值（kgce/m²）：28.0",
        "以上定额自2025年1月1日起执行。",
    ]


def test_docx_table_without_caption_takes_the_nearest_heading(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("附件1 水耗定额", level=2)
    document.add_paragraph("各单位按下表执行。")
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "单位类型", "人均用水量（m³/人）"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "党政机关", "18"
    path = tmp_path / "水.docx"
    document.save(path)
    assert parse_file(path).text.splitlines()[-2:] == ["表格：附件1 水耗定额", "党政机关｜人均用水量（m³/人）：18"]


def test_csv_and_xlsx_become_knowledge_tables_only_when_named(settings, tmp_path: Path) -> None:
    import openpyxl

    folder = tmp_path / "tables"
    folder.mkdir()
    csv_path = folder / "定额.csv"
    csv_path.write_bytes("# 2025年度能耗定额（测试）\n单位类型,约束值,引导值,单位\n学校,8.6,6.1,千克标准煤/平方米\n"
                         "医院,35,28,千克标准煤/平方米\n".encode("gbk"))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "用水定额"
    sheet.append(["单位类型", "人均用水量（m³/人）", None])
    sheet.append([None, "先进值", "通用值"])
    sheet.merge_cells("B1:C1")
    sheet.merge_cells("A1:A2")
    sheet.append(["党政机关", 15.0, 24.5])
    sheet.append(["学校", 9, 14])
    xlsx_path = folder / "用水.xlsx"
    book.save(xlsx_path)

    assert parse_file(csv_path).text.splitlines() == [
        "表格：2025年度能耗定额（测试）", "学校｜约束值：8.6｜引导值：6.1｜单位：千克标准煤/平方米",
        "医院｜约束值：35｜引导值：28｜单位：千克标准煤/平方米"]
    assert parse_file(xlsx_path).text.splitlines() == [
        "表格：用水定额", "党政机关｜人均用水量先进值（m³/人）：15｜人均用水量通用值（m³/人）：24.5",
        "学校｜人均用水量先进值（m³/人）：9｜人均用水量通用值（m³/人）：14"]
    with KnowledgeBase.open(settings) as kb:
        # A folder's spreadsheets are left alone (they are usually consumption data for `data import`) ...
        assert kb.ingest([folder]).added == []
        # ... and taken as knowledge when named one by one.
        report = kb.ingest([csv_path, xlsx_path])
        assert len(report.added) == 2 and report.failed == []
        hit = kb.search("学校 人均用水量通用值", k=1).hits[0]
        assert "学校｜人均用水量先进值（m³/人）：9｜人均用水量通用值（m³/人）：14" in hit.chunk.text


def test_consumption_data_csv_named_as_knowledge_is_flagged(tmp_path: Path) -> None:
    path = tmp_path / "能耗.csv"
    path.write_text("单位名称,统计期,建筑面积,用能人数,电力\n市一中,2024,12000,800,350000\n", encoding="utf-8")
    doc = parse_file(path)
    assert doc.text.splitlines()[1] == "市一中｜统计期：2024｜建筑面积：12000｜用能人数：800｜电力：350000"
    assert any("greenleaf data import" in w for w in doc.warnings)


def test_grid_without_header_row_and_index_column() -> None:
    numeric = from_grid([["1", "2.5", "3"], ["4", "5", "6"]], "数表")
    assert numeric.lines() == ["表格：数表", "1｜2.5｜3", "4｜5｜6"]  # no header to attach: plain rows
    indexed = from_grid([["序号", "单位", "电耗（kWh）"], ["1", "市委", "1200"], ["2", "市政府", "980"]], "")
    assert indexed.lines() == ["表格：序号、单位、电耗（kWh）", "市委｜电耗（kWh）：1200", "市政府｜电耗（kWh）：980"]
