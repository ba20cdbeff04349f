"""Where the table is in an office spreadsheet, and what each column and row of it is.

Reads CSV (UTF-8/GBK), XLSX (cached values only: a formula without one is not a number) and XLS (xlrd) into sheets;
per sheet finds the header row by how many known column names it holds (title, note and blank rows above it are
context), joins two-row headers (name above, unit or sub-name below; merged cells filled), tells long tables from
wide month grids and 基本情况 sheets, finds the year (and month) in the title, the sheet name or the file name, and
sorts body rows into data, 合计 rows and signature lines. It decides nothing silently: every choice is a note and an
ambiguous layout is a question. Values are parsed later (assistant.records.reading).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from assistant.errors import DataError
from assistant.records import cells, units
from assistant.records.units import IGNORE, HeaderRead

HEADER_SEARCH_ROWS = 40
TOTAL_WORDS = ("合计", "小计", "总计", "总合计", "全年合计", "年度合计", "累计", "全年", "总量")
SIGNATURE_WORDS = ("填表人", "审核人", "单位负责人", "负责人", "制表人", "填报人", "统计人", "联系电话", "填报日期",
                   "制表日期", "审核日期", "填表日期", "报出日期", "注:", "注：", "说明:", "说明：", "备注:", "备注：")
BUDGET_WORDS = ("预算年度", "能耗预算", "用能预算", "电力预算", "用电预算", "用水预算", "水预算",
                "energy_budget_kgce", "electricity_budget_kwh", "water_budget_m3")
QUOTA_WORDS = ("约束值", "引导值", "constraint", "guide")


@dataclass(frozen=True)
class Sheet:
    """One sheet's non-blank rows as (row number, cells); CSV files are one sheet named ""."""

    name: str
    rows: tuple[tuple[int, tuple], ...]
    formula_cells: frozenset[tuple[int, int]] = frozenset()  # (row, column index): formula with no cached value


@dataclass(frozen=True)
class Column:
    """One column of a table as read: its header, the field it feeds and how its values convert."""

    index: int
    header: str
    read: HeaderRead | None  # None: a column nobody knows (ignored with a note)
    month: int | None = None  # wide grids: the month this column holds
    chosen: bool = False  # the field was chosen by the user (now or remembered)

    @property
    def letter(self) -> str:
        return cells.column_letter(self.index)

    @property
    def field(self) -> str:
        if self.month is not None:
            return "month_value"
        return self.read.field if self.read else IGNORE


@dataclass(frozen=True)
class Context:
    """A year (and month) found outside the table, and where."""

    year: int | None = None
    month: int | None = None
    where: str = ""  # "标题“…”" | "工作表名“…”" | "文件名“…”" | "用户指定"
    notes: tuple[str, ...] = ()
    question: str | None = None

    def describe(self) -> str:
        if self.year is None:
            return "未找到"
        return f"{self.year}年{f'{self.month}月' if self.month else ''}（取自{self.where}）"


@dataclass(frozen=True)
class Table:
    """A sheet read as a table. role: long | wide | info | budget | quota | skip."""

    sheet: Sheet
    role: str
    header_rows: tuple[int, ...] = ()
    columns: tuple[Column, ...] = ()
    context: Context = Context()
    resource: HeaderRead | None = None  # wide grids: what the month columns hold
    resource_where: str = ""
    data: tuple[tuple[int, tuple], ...] = ()
    skipped: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    header_key: str = ""  # hash of the normalised header, for remembered mappings

    def column(self, fld: str) -> Column | None:
        return next((c for c in self.columns if c.field == fld), None)

    @property
    def where(self) -> str:
        return f"工作表“{self.sheet.name}”" if self.sheet.name else ""


@dataclass(frozen=True)
class Choices:
    """What the user corrected in the preview: fields by (sheet, column letter), and the year."""

    columns: Mapping[tuple[str, str], str] = field(default_factory=dict)
    year: int | None = None


# ---------------------------------------------------------------- files → sheets


def read_sheets(path: Path) -> tuple[Sheet, ...]:
    """Every sheet of the file (hidden sheets left out); DataError for formats and files it cannot open."""
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _xlsx_sheets(path)
    if suffix == ".xls":
        return _xls_sheets(path)
    if suffix in {".csv", ".txt"}:
        rows = list(csv.reader(io.StringIO(_decode(path), newline="")))
        return (Sheet("", _numbered(rows)),)
    raise DataError(f"{path.name}：不支持的格式“{path.suffix}”，请用 CSV（UTF-8 或 GBK）、XLSX 或 XLS。")


def _numbered(rows: list) -> tuple[tuple[int, tuple], ...]:
    return tuple((i, tuple(r)) for i, r in enumerate(rows, 1) if not all(cells.is_blank(c) for c in r))


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DataError(f"{path.name}：无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV。")


def _xlsx_sheets(path: Path) -> tuple[Sheet, ...]:
    from openpyxl import load_workbook

    try:
        values = load_workbook(path, data_only=True)
        formulas = load_workbook(path, data_only=False)
    except Exception as error:  # openpyxl raises many types for damaged files
        raise DataError(f"{path.name}：无法打开 XLSX 文件（{type(error).__name__}），请确认文件未损坏。") from None
    sheets = []
    for ws in values.worksheets:
        if ws.sheet_state != "visible":
            continue
        grid = [list(r) for r in ws.iter_rows(values_only=True)]
        for rng in ws.merged_cells.ranges:  # a merged cell's value belongs to every cell it covers
            top = grid[rng.min_row - 1][rng.min_col - 1] if rng.min_row <= len(grid) else None
            for r in range(rng.min_row, min(rng.max_row, len(grid)) + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    while len(grid[r - 1]) < c:
                        grid[r - 1].append(None)
                    grid[r - 1][c - 1] = top
        pending = set()
        for row in formulas[ws.title].iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    r, k = c.row - 1, c.column - 1
                    if r < len(grid) and k < len(grid[r]) and grid[r][k] is None:
                        pending.add((c.row, k))
        sheets.append(Sheet(ws.title, _numbered(grid), frozenset(pending)))
    values.close()
    formulas.close()
    return tuple(sheets)


def _xls_sheets(path: Path) -> tuple[Sheet, ...]:
    try:
        import xlrd
    except ImportError:
        raise DataError(f"{path.name}：读取 .xls 需要 xlrd，请安装或把文件另存为 .xlsx。") from None
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True)
    except Exception as error:  # xlrd raises its own and struct errors for damaged files
        raise DataError(f"{path.name}：无法打开 XLS 文件（{type(error).__name__}），请另存为 .xlsx 后再导入。") from None
    sheets = []
    for sh in book.sheets():
        if sh.visibility:
            continue
        grid = []
        for r in range(sh.nrows):
            row = []
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    row.append(None)
                else:
                    row.append(cell.value)
            grid.append(row)
        for r0, r1, c0, c1 in sh.merged_cells:
            for r in range(r0, r1):
                for c in range(c0, c1):
                    grid[r][c] = grid[r0][c0]
        sheets.append(Sheet(sh.name, _numbered(grid)))
    return tuple(sheets)


# ---------------------------------------------------------------- sheets → tables


def read_table(sheet: Sheet, file_name: str, choices: Choices, recall: Callable[[str], Mapping[str, str]],
               densities: Mapping[str, float]) -> Table:
    """Find the table in one sheet. `recall(header_key)` gives the column letters → fields a user confirmed
    for this header before (assistant.records.mapping)."""
    if not sheet.rows:
        return Table(sheet, "skip", notes=("空工作表，跳过",))
    kind = _budget_or_quota(sheet)
    if kind:
        row, cells_ = kind[1]
        return Table(sheet, kind[0], (row,), tuple(Column(i, str(c or "").strip(), None) for i, c in enumerate(cells_)),
                     data=tuple(r for r in sheet.rows if r[0] > row))
    blocks = _header_blocks(sheet, densities)
    if not blocks:
        return Table(sheet, "skip", notes=("没有找到含“单位名称”等列名的表头，整张工作表未读取",))
    best = max(b.score for b in blocks)
    top = [b for b in blocks if b.score == best]
    top = [b for b in top if not any(o is not b and len(o.rows) > len(b.rows) and set(b.rows) <= set(o.rows) for o in top)]
    keys = {b.key for b in top}
    if len(keys) > 1:
        rows = "、".join(f"第{b.rows[0]}行" for b in top)
        q = (f"{_where(sheet)}{rows}都像表头（各含 {best} 个认得的列名），无法确定哪一行是表头：请删去多余的表头行，"
             "或把两张表分到两个工作表后再导入")
        return Table(sheet, "skip", questions=(q,))
    block = top[0]
    header_key = hashlib.sha256(("\x1f".join(block.texts)).encode("utf-8")).hexdigest()[:16]
    columns = _apply_choices(sheet, block.columns, choices, recall(header_key), densities)
    title_rows = [r for r in sheet.rows if r[0] < block.rows[0]]
    title = " ".join(dict.fromkeys(cells.text(c) for _, row in title_rows for c in row if not cells.is_blank(c)))
    context = find_context(title, sheet.name, file_name, choices.year)
    notes, questions = list(context.notes), [c.read.question for c in columns if c.read and c.read.question]
    fields = {c.field for c in columns}
    months = [c for c in columns if c.month is not None]
    if "institution" not in fields:
        return Table(sheet, "skip", block.rows, columns, context,
                     notes=(f"第{block.rows[0]}行像表头，但没有“单位名称”列，整张工作表未读取",))
    resource, resource_where = None, ""
    if len(months) >= 3 and not fields & {"period", "month"}:
        role = "wide"
        resource, resource_where, question = _wide_resource(title, sheet.name, densities)
        if question:
            questions.append(question)
    elif fields & set(units.SOURCE_COLUMNS) or fields & {"period", "month"}:
        role = "long"
    elif fields & {"floor_area_m2", "headcount", "category"}:
        role = "info"
    else:
        return Table(sheet, "skip", block.rows, columns, context,
                     notes=("表中没有用量列（电力、天然气、水……），也没有建筑面积、用能人数，整张工作表未读取",))
    if context.question and (role == "wide" or not fields & {"period", "year"}):
        questions.append(context.question)  # only a question when the table needs a year from outside
    data, skipped = _sort_rows(sheet, block, columns)
    for c in columns:
        if c.read is None and c.month is None and c.header and units.norm(c.header) not in TOTAL_WORDS:
            notes.append(f"{c.letter}列“{c.header}”：不认识的列名，未导入")
    return Table(sheet, role, block.rows, columns, context, resource, resource_where, data, tuple(skipped),
                 tuple(notes), tuple(q for q in questions if q), header_key)


@dataclass(frozen=True)
class _Block:
    rows: tuple[int, ...]
    columns: tuple[Column, ...]
    texts: tuple[str, ...]
    score: int

    @property
    def key(self) -> str:
        return "\x1f".join(self.texts)


def _header_blocks(sheet: Sheet, densities: Mapping[str, float]) -> list[_Block]:
    rows = sheet.rows[:HEADER_SEARCH_ROWS]
    singles = [_block((rows[i],), densities) for i in range(len(rows))]
    blocks = [b for b in singles if b.score >= 2]
    for i in range(len(rows) - 1):
        (r0, _), (r1, lower) = rows[i], rows[i + 1]
        if r1 != r0 + 1 or any(cells.looks_numeric(c) for c in lower):
            continue
        pair = _block((rows[i], rows[i + 1]), densities)
        unit_row = sum(units.is_unit_text(c) for c in lower) >= max(1, sum(not cells.is_blank(c) for c in lower) // 2)
        if pair.score > max(singles[i].score, singles[i + 1].score) or (
                unit_row and pair.score == singles[i].score >= singles[i + 1].score and pair.score >= 2):
            blocks.append(pair)
    return blocks


def _block(rows: tuple[tuple[int, tuple], ...], densities: Mapping[str, float]) -> _Block:
    width = max(len(r[1]) for r in rows)
    columns, texts, fields = [], [], set()
    for i in range(width):
        parts = [str(r[1][i]).strip() if i < len(r[1]) and not cells.is_blank(r[1][i]) else "" for r in rows]
        upper, lower = (parts[0], parts[1]) if len(parts) == 2 else (parts[0], "")
        if lower and lower != upper and units.is_unit_text(lower):
            read, header = units.read_header(upper, lower, densities), f"{upper}（{lower}）" if upper else lower
        elif lower and lower != upper:
            read = units.read_header(lower, "", densities) or units.read_header(upper, "", densities)
            header = f"{upper} / {lower}" if upper else lower
        else:
            read, header = units.read_header(upper, "", densities), upper
        month = _month_header(lower or upper) if read is None else None
        columns.append(Column(i, header, read, month))
        texts.append(units.norm(header))
        if read and read.field != IGNORE:
            fields.add(read.field)
    months = sum(c.month is not None for c in columns)
    score = len(fields) + (2 if months >= 3 else 0)
    return _Block(tuple(r[0] for r in rows), tuple(columns), tuple(texts), score)


def _month_header(text: str) -> int | None:
    raw = units.norm(text)
    m = re.fullmatch(r"(?:\d{4}年)?(.+)", raw)
    return cells.month_of(m.group(1)) if m and ("月" in raw) else None


def _apply_choices(sheet: Sheet, columns: tuple[Column, ...], choices: Choices, remembered: Mapping[str, str],
                   densities: Mapping[str, float]) -> tuple[Column, ...]:
    out = []
    for c in columns:
        chosen = choices.columns.get((sheet.name, c.letter)) or remembered.get(c.letter)
        if chosen and chosen != c.field:
            if chosen == IGNORE:
                c = Column(c.index, c.header, HeaderRead(IGNORE, c.header), None, True)
            else:
                name, unit = units.split_header(c.header)
                u, q = units.unit_for(chosen, unit, c.header, densities)
                c = Column(c.index, c.header, HeaderRead(chosen, name, u, q), None, True)
        out.append(c)
    return tuple(out)


def _budget_or_quota(sheet: Sheet) -> tuple[str, tuple[int, tuple]] | None:
    for row in sheet.rows[:HEADER_SEARCH_ROWS]:
        words = {units.norm(units.split_header(c)[0]) for c in row[1] if not cells.is_blank(c)}
        words |= {units.norm(c) for c in row[1] if not cells.is_blank(c)}
        if words & {units.norm(w) for w in QUOTA_WORDS}:
            return "quota", row
        if words & {units.norm(w) for w in BUDGET_WORDS} and not words & {"统计期", "period"}:
            return "budget", row
    return None


def _sort_rows(sheet: Sheet, block: _Block, columns: tuple[Column, ...]) -> tuple[list, list[str]]:
    """Body rows → data rows, and skipped rows with the reason."""
    data, skipped = [], []
    inst = next(c for c in columns if c.field == "institution")
    header_texts = block.texts
    for rownum, row in sheet.rows:
        if rownum <= block.rows[-1]:
            continue
        texts = [cells.text(c) for c in row if not cells.is_blank(c)]
        where = f"{_where(sheet)}第{rownum}行"
        if tuple(units.norm(c) if not cells.is_blank(c) else "" for c in row[:len(header_texts)]) == header_texts[:len(row)]:
            skipped.append(f"{where}：重复的表头，跳过")
            continue
        lead = [cells.text(c) for c in row[: inst.index + 1] if not cells.is_blank(c)]
        total = next((t for t in lead if re.sub(r"[()（）:：]", "", t) in TOTAL_WORDS
                      or re.fullmatch(r"(全市|全县|全区|各单位|本系统|总)?(合计|小计|总计)", t)), None)
        if total:
            skipped.append(f"{where}：“{total}”行（汇总数，不是单位数据），跳过")
            continue
        if any(t.startswith(("示例：", "示例:", "(示例)", "（示例）")) for t in lead):  # the template's own row
            skipped.append(f"{where}：示例行（模板自带），跳过")
            continue
        sign = next((t for t in texts[:2] if t.startswith(SIGNATURE_WORDS)), None)
        if sign:
            skipped.append(f"{where}：“{sign[:20]}”（表尾签字、说明），跳过")
            continue
        data.append((rownum, row))
    return data, skipped


def _where(sheet: Sheet) -> str:
    return f"工作表“{sheet.name}”" if sheet.name else ""


# ---------------------------------------------------------------- context: year, month, resource


def find_context(title: str, sheet_name: str, file_name: str, chosen_year: int | None = None) -> Context:
    """The year (and month) for periods the table leaves out: the user's choice, else title, sheet name, file name."""
    if chosen_year:
        return Context(chosen_year, None, "用户指定")
    found = []
    for where, text in (("标题", title), ("工作表名", sheet_name), ("文件名", Path(file_name).stem)):
        years = sorted({int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text or "")})
        month = _month_in(text or "")
        if len(years) > 1:
            return Context(question=f"{where}“{text}”里有多个年份（{'、'.join(map(str, years))}），无法确定统计年份："
                                    "请在预览中指定年份，或在统计期列写明年份")
        found.append((where, text, years[0] if years else None, month))
    with_year = [f for f in found if f[2] is not None]
    if not with_year:
        month = next((f[3] for f in found if f[3]), None)
        return Context(None, month, next((f"{w}“{t}”" for w, t, _, m in found if m), ""))
    where, text, year, month = with_year[0]
    month = month or next((m for w, t, y, m in found if m and (y is None or y == year)), None)
    notes = [f"{w}“{t}”写的是{y}年，与{where}的{year}年不同，按{where}" for w, t, y, _ in with_year[1:] if y != year]
    return Context(year, month, f"{where}“{text}”", tuple(notes))


def _month_in(text: str) -> int | None:
    raw = units.norm(text)
    m = re.search(r"(?:19|20)\d{2}年(\d{1,2})月", raw) or re.fullmatch(r"(\d{1,2}|[一二三四五六七八九十]{1,3})月份?", raw)
    return cells.month_of(m.group(1)) if m else None


def _wide_resource(title: str, sheet_name: str, densities: Mapping[str, float]) -> tuple[HeaderRead | None, str, str | None]:
    """What a month grid holds, from the sheet name, else the title: "用电量（万千瓦时）", "…（单位：吨）"."""
    found = []
    for where, text in (("工作表名", sheet_name), ("标题", title)):
        fld = _source_in(text)
        if fld:
            found.append((where, text, fld))
    if not found:
        return None, "", (f"看不出月份表“{sheet_name or title}”记的是哪种用量：请在工作表名或标题中写明，"
                          "例如“用电量（千瓦时）”“用水量（吨）”")
    fields = {f for _, _, f in found}
    if len(fields) > 1:
        return None, "", (f"工作表名“{sheet_name}”和标题“{title}”说的用量不同（"
                          f"{'、'.join(units.label(f) for f in fields)}），请改成一致后再导入")
    where, text, fld = found[0]
    unit = _unit_in(text) or next((u for _, t, _ in found for u in [_unit_in(t)] if u), "")
    u, q = units.unit_for(fld, unit, text, densities)
    return HeaderRead(fld, units.label(fld), u, q), f"{where}“{text}”", None


def _source_in(text: str) -> str | None:
    raw = units.norm(re.sub(r"[(（].*?[)）]", "", text or ""))
    hits = {f for k, f in units.source_words() if k in raw}
    if not hits and re.search(r"(用|耗)?(电|水)(量|费)?", raw):
        hits = {"electricity_kwh" if "电" in raw else "water_m3"} if ("电" in raw) != ("水" in raw) else set()
    return hits.pop() if len(hits) == 1 else None


def _unit_in(text: str) -> str:
    raw = units.norm(text or "")
    m = re.search(r"单位[:：]([^)）,，;；]+)", raw)
    if m:
        return units.clean_unit(m.group(1))
    for inner in re.findall(r"[(（\[【](.*?)[)）\]】]", raw):
        if units.is_unit_text(inner):
            return units.clean_unit(inner)
    return ""
