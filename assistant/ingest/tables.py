"""Tables as text rows in which every value keeps its column header.

A grid of cells (from a ruled PDF table, a DOCX table, a CSV or XLSX sheet; None marks a cell covered by a
merged one) becomes a caption line "表格：表1 各类公共机构能耗定额指标" followed by one line per row:
"医院｜人均综合能耗约束值（kgce/人）：1260｜……". Header rows are found and stacked ("单位建筑面积能耗（kgce/m²）"
over "引导值" → "单位建筑面积能耗引导值（kgce/m²）"); merged body cells are carried down. In PDFs, ruled
tables are found with pdfplumber and the page's text is cut around them, so no cell is read twice.
chunking.py splits long tables between rows and repeats the caption. Does not read tables in scanned pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.ingest.textclean import STRUCTURE_START, fix_spacing, join_lines, join_wrapped

CAPTION_PREFIX = "表格："
CONTINUED = "（续）"
SEP = "｜"
KV = "："
MAX_HEADER_ROWS = 3
_NUMERIC = re.compile(r"^[-+−–—~～≤≥<>＜＞约]*\s*[0-9０-９][0-9０-９,，.．%‰\s/:：~～\-–—]*$")
_INDEX_HEADERS = {"序号", "编号", "No", "No.", "NO.", "#"}
_UNIT_TAIL = re.compile(r"^(.*?)([（(][^（()）]*[)）])$")
# A table row line: "label｜header：value…" or "header：value｜header：value"; a caption line starts with 表格：.
_ROW_LINE = re.compile(f"^[^{SEP}\n]*{SEP}[^\n]*{KV}")


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]  # one stacked header per column ("" where a column has none)
    rows: tuple[tuple[str, ...], ...]  # body rows, merged cells filled in
    notes: tuple[str, ...] = ()  # rows that span the whole table ("注：……")

    def lines(self) -> list[str]:
        """The caption line, then one self-describing line per row."""
        caption = self.caption or "、".join(h for h in self.headers if h)[:60] or "（无标题）"
        out = [CAPTION_PREFIX + caption]
        label_col = _label_column(self.headers, self.rows)
        for row in self.rows:
            line = row_text(self.headers, row, label_col)
            if line:
                out.append(line)
        out.extend(self.notes)
        return out

    def text(self) -> str:
        return "\n".join(self.lines())


def from_grid(grid: list[list[str | None]], caption: str = "",
              headers: tuple[str, ...] | None = None) -> Table | None:
    """Build a Table from raw cells; None = covered by a merged cell. `headers` continues a table from a
    previous page whose header row is not repeated. Returns None for grids that are not tables."""
    grid = _normalise(grid)
    if not grid or len(grid[0]) < 2:
        return None
    width = len(grid[0])
    if headers is not None and len(headers) == width:
        header_count = 0
    else:
        headers = None
        header_count = _header_rows(grid)
    if header_count:
        headers = _stack_headers(grid[:header_count])
    body, notes = _fill_body(grid[header_count:], width)
    if not body and not notes:
        return None
    if headers is None:  # no header row (a key-value table, or every row numeric): columns stay unnamed
        headers = ("",) * width
    return Table(caption.strip(), tuple(headers), tuple(body), tuple(notes))


# A value column headed only "内容" or "数值" says nothing: "实施日期｜2022年3月1日", not "实施日期｜内容：2022年3月1日"
EMPTY_HEADERS = {"内容", "主要内容", "具体内容", "数值", "取值", "说明", "值"}


def row_text(headers: tuple[str, ...], row: tuple[str, ...], label_col: int | None = 0) -> str:
    """"学校｜单位建筑面积能耗引导值（kgce/m²）：6.1｜……"."""
    parts: list[str] = []
    if label_col is not None and row[label_col]:
        parts.append(row[label_col])
    for i, (header, value) in enumerate(zip(headers, row)):
        if i == label_col or not value:
            continue
        if label_col is not None and i < label_col and _is_index(header, value):
            continue  # a 序号 column before the label adds nothing
        parts.append(f"{header}{KV}{value}" if header and header not in EMPTY_HEADERS else value)
    return SEP.join(parts)


def is_caption_line(line: str) -> bool:
    return line.startswith(CAPTION_PREFIX)


def is_row_line(line: str) -> bool:
    return bool(_ROW_LINE.match(line))


def split_row(line: str, max_chars: int) -> list[str]:
    """Split an over-long row between cells, repeating its label, so no piece exceeds `max_chars` if possible."""
    cells = line.split(SEP)
    label = cells[0] if KV not in cells[0] else ""
    rest = cells[1:] if label else cells
    pieces: list[str] = []
    current = label
    for cell in rest:
        candidate = f"{current}{SEP}{cell}" if current else cell
        if current and current != label and len(candidate) > max_chars:
            pieces.append(current)
            candidate = f"{label}{SEP}{cell}" if label else cell
        current = candidate
    if current and current != label:
        pieces.append(current)
    return pieces or [line]


def cell_text(value: object) -> str:
    """A spreadsheet value as text: 1260.0 → "1260", dates as YYYY-MM-DD."""
    import datetime

    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------- ruled tables in PDFs


def pdf_table_pages(data: bytes, numbers: list[int], running: set[str]) -> dict[int, list[str]]:
    """Pages (1-based) holding ruled tables, each read as text blocks in reading order: the text above,
    between and below the tables, and each table's lines. `running`: header/footer lines to leave out."""
    candidates = _pages_with_rules(data, numbers)
    if not candidates:
        return {}
    import io

    try:
        import pdfplumber
    except ImportError:
        return {}
    out: dict[int, list[str]] = {}
    heading = ""
    previous: Table | None = None  # the last table of the previous page, for tables that run on
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number in candidates:
                try:
                    sections, heading, previous = _pdf_page_with_tables(
                        pdf.pages[number - 1], running, heading, previous if number - 1 in out else None)
                except Exception:  # noqa: BLE001 - pdfminer fails on odd pages; pypdf's text still serves
                    continue
                if sections:
                    out[number] = sections
    except Exception:  # noqa: BLE001 - a file pdfminer cannot open at all keeps pypdf's plain text
        return out
    return out


def _pages_with_rules(data: bytes, numbers: list[int]) -> list[int]:
    """Pages with enough drawn paths to hold a ruled table (a cheap check before pdfplumber's slower one)."""
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as pdfium_c
    except ImportError:
        return numbers
    found = []
    try:
        document = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 - pdfium refuses some files pypdf opens; then check every page
        return numbers
    try:
        for number in numbers:
            page = document[number - 1]
            try:
                paths = 0
                for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=3):
                    paths += 1
                    if paths >= 4:
                        found.append(number)
                        break
            finally:
                page.close()
    finally:
        document.close()
    return found


def _pdf_page_with_tables(page: Any, running: set[str], heading: str,
                          previous: Table | None) -> tuple[list[str], str, Table | None]:
    """Split one page into text bands and tables, in reading order; return its blocks, the last heading
    seen (a caption for later tables) and the page's last table."""
    found = [t for t in page.find_tables() if len(t.rows) >= 2]
    if not found:
        return [], heading, None
    found.sort(key=lambda t: t.bbox[1])
    sections: list[str] = []
    top = 0.0
    last_table: Table | None = None
    for i, table in enumerate(found):
        x0, t0, x1, t1 = table.bbox
        lines = _band_lines(page, top, t0, running)
        caption = ""
        if lines and looks_like_caption(lines[-1]):
            caption = fix_spacing(lines[-1])
            if not STRUCTURE_START.match(caption):
                lines.pop()  # "表1 ……" goes with the table; a heading stays in the text as well
        prose = join_lines(lines)
        heading = last_heading(prose) or heading
        if prose:
            sections.append("\n".join(prose))
        grid = table.extract()
        if i == 0 and not prose and not caption and previous is not None and len(previous.headers) == len(grid[0]):
            # A table running on from the previous page: same caption; its header row may or may not be repeated.
            caption = previous.caption.removesuffix(CONTINUED) + CONTINUED
            repeated = not any(looks_numeric(c) for c in grid[0][1:])
            parsed = from_grid(grid, caption, headers=None if repeated else previous.headers)
        else:
            parsed = from_grid(grid, caption or heading)
        if parsed is not None:
            sections.append(parsed.text())
            last_table = parsed
        top = t1
    lines = _band_lines(page, top, float(page.height) + 1, running)
    prose = join_lines(lines)
    heading = last_heading(prose) or heading
    if prose:
        sections.append("\n".join(prose))
        last_table = None  # text after the table: a table on the next page starts afresh
    return sections, heading, last_table


def _band_lines(page: Any, top: float, bottom: float, running: set[str]) -> list[str]:
    """Text lines whose characters' vertical centres fall between `top` and `bottom`."""
    if bottom - top < 1:
        return []
    band = page.filter(lambda obj: obj.get("object_type") != "char"
                       or top <= (obj["top"] + obj["bottom"]) / 2 < bottom)
    text = band.extract_text() or ""
    return [x for x in text.splitlines() if x.strip() and fix_spacing(x) not in running]


def looks_like_caption(line: str) -> bool:
    """A short line above a table that names it ("表1 ……", or a short line with no sentence end)."""
    line = fix_spacing(line)
    if re.match(r"^(续?表|附表)\s*[0-9０-９A-Za-z一二三四五六七八九十.\-－—]*", line):
        return True
    return len(line) <= 40 and not re.search(r"[。；，：:,;]$", line) and not line.startswith("注")


def last_heading(paragraphs: list[str]) -> str:
    """The last heading-like paragraph ("三、定额指标", "第二章 ……"), or ""."""
    for line in reversed(paragraphs):
        if len(line) <= 30 and not re.search(r"[。；，]$", line) and (STRUCTURE_START.match(line) or
                                                                     re.match(r"^第.{1,4}[章节]", line)):
            return line
    return ""


# ---------------------------------------------------------------- internals


def _normalise(grid: list[list[str | None]]) -> list[list[str | None]]:
    width = max((len(r) for r in grid), default=0)
    rows = [[None if c is None else join_wrapped(str(c)) for c in r] + [None] * (width - len(r)) for r in grid]
    rows = [r for r in rows if any(c for c in r)]
    if not rows:
        return []
    keep = [j for j in range(width) if any(r[j] for r in rows)]
    return [[r[j] for j in keep] for r in rows]


def looks_numeric(value: str | None) -> bool:
    """"1260", "12.5", "≤35", "3/4", "20%": a figure, not a label."""
    return bool(value) and bool(_NUMERIC.match(join_wrapped(value)))


_is_number = looks_numeric


def _header_rows(grid: list[list[str | None]]) -> int:
    """How many leading rows are headers: the first (unless it holds figures), plus rows under merged cells."""
    if len(grid) < 2 or any(_is_number(c) for c in grid[0][1:]):
        return 0
    count = 1
    while count < min(MAX_HEADER_ROWS, len(grid) - 1):
        row, above = grid[count], grid[count - 1]
        if any(_is_number(c) for c in row):
            break
        spanned = any(c is None for c in above[1:]) or any(a == b and a for a, b in zip(above, above[1:]))
        first_merged = row[0] is None or (row[0] == above[0] and row[0])
        if not (first_merged or spanned):
            break  # a label in the first column, under no merged header, starts the body
        count += 1
    return count


def _stack_headers(rows: list[list[str | None]]) -> tuple[str, ...]:
    filled: list[list[str]] = []
    for i, row in enumerate(rows):
        out: list[str] = []
        for j, cell in enumerate(row):
            if cell is None:
                # Covered by a merged cell: the one above when that cell is real (a row span), else the left one.
                if i > 0 and rows[i - 1][j] is not None:
                    cell = filled[i - 1][j]
                elif j > 0:
                    cell = out[j - 1]
                elif i > 0:
                    cell = filled[i - 1][j]
                else:
                    cell = ""
            out.append(cell)
        filled.append(out)
    headers = []
    for j in range(len(rows[0])):
        parts: list[str] = []
        for row in filled:
            if row[j] and (not parts or parts[-1] != row[j]):
                parts.append(row[j])
        headers.append(_combine(parts))
    return tuple(headers)


def _combine(parts: list[str]) -> str:
    """"单位建筑面积能耗（kgce/m²）" + "引导值" → "单位建筑面积能耗引导值（kgce/m²）"."""
    if not parts:
        return ""
    out = parts[0]
    for child in parts[1:]:
        unit = _UNIT_TAIL.match(out)
        out = unit.group(1) + child + unit.group(2) if unit and unit.group(1) else out + child
    return out


def _fill_body(rows: list[list[str | None]], width: int) -> tuple[list[tuple[str, ...]], list[str]]:
    body: list[tuple[str, ...]] = []
    notes: list[str] = []
    previous: list[str] | None = None
    for row in rows:
        real = [c for c in row if c is not None]
        if len(real) == 1 and width > 2 and row[0] is not None and all(c is None for c in row[1:]):
            notes.append(real[0])  # one cell spanning the whole row: a note or a sub-heading
            continue
        out: list[str] = []
        for j, cell in enumerate(row):
            if cell is None:
                cell = previous[j] if previous is not None else (out[j - 1] if j else "")
            out.append(cell)
        body.append(tuple(out))
        previous = out
    return body, notes


def _is_index(header: str, value: str) -> bool:
    return header.strip() in _INDEX_HEADERS and value.strip().isdigit()


def _label_column(headers: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> int | None:
    """The column that names each row: the first one that is not a 序号 column and holds text, not figures."""
    for j, header in enumerate(headers):
        values = [r[j] for r in rows if r[j]]
        if header.strip() in _INDEX_HEADERS and all(v.isdigit() for v in values):
            continue
        if values and sum(_is_number(v) for v in values) <= len(values) // 2:
            return j
        return None
    return None
