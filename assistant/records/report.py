"""The import report: how a file was read (header rows, each column → field with its unit conversion, where the
year came from, rows skipped and why, the first rows as they will be stored) and what was or was not written.

One type for the CLI (`to_dict` for --json, `text()` for people) and the 能耗数据 tab. `problems` are invalid values
(the file is rejected); `questions` are layouts it will not guess about (the file waits for an answer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.records import units
from assistant.records.layout import TOTAL_WORDS, Table

PREVIEW_ROWS = 5
ROLE_NAMES = {"long": "明细表（一行一个单位一期）", "wide": "月份表（一行一个单位，1–12月各一列）",
              "info": "基本情况表（建筑面积、用能人数）", "budget": "用能预算表", "quota": "能耗定额表", "skip": "未读取"}
KIND_NAMES = {"consumption": "能耗数据", "budget": "用能预算", "quota": "能耗定额"}


@dataclass(frozen=True)
class ColumnReport:
    """One column: where it is, its header, the field it feeds and its unit conversion."""

    sheet: str
    column: str  # letter
    header: str
    field: str  # field key, "ignore", or "month:3" for a month column of a wide grid
    label: str
    conversion: str = ""
    chosen: bool = False  # set by the user (now or remembered from an earlier file with this header)

    def to_dict(self) -> dict:
        return {"sheet": self.sheet, "column": self.column, "header": self.header, "field": self.field,
                "label": self.label, "conversion": self.conversion, "chosen": self.chosen}


@dataclass(frozen=True)
class SheetReport:
    name: str
    role: str
    header_rows: tuple[int, ...]
    columns: tuple[ColumnReport, ...]
    year: int | None
    month: int | None
    year_source: str
    resource: str  # wide grids: "电力，万千瓦时 × 10000 → kWh（取自工作表名“用电量”）"
    skipped: tuple[str, ...]
    notes: tuple[str, ...]
    header_key: str = ""

    def to_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "role_name": ROLE_NAMES[self.role],
                "header_rows": list(self.header_rows), "year": self.year, "month": self.month,
                "year_source": self.year_source, "resource": self.resource or None,
                "columns": [c.to_dict() for c in self.columns], "skipped": list(self.skipped),
                "notes": list(self.notes)}


@dataclass(frozen=True)
class ImportReport:
    """What an import read, and whether it was written; `records` holds everything to write (not in to_dict)."""

    file: str
    kind: str  # consumption | budget | quota
    rows: int
    institutions: tuple[str, ...] = ()
    sheets: tuple[SheetReport, ...] = ()
    preview: tuple[Any, ...] = ()  # the first store.ConsumptionRow to be written
    problems: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    written: bool = False
    records: tuple[Any, ...] = field(default=(), repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.questions

    def to_dict(self) -> dict:
        return {"file": self.file, "kind": self.kind, "rows": self.rows, "institutions": list(self.institutions),
                "ok": self.ok, "written": self.written, "sheets": [s.to_dict() for s in self.sheets],
                "preview": [r.to_dict() for r in self.preview], "problems": list(self.problems),
                "questions": list(self.questions), "notes": list(self.notes)}

    def summary(self) -> str:
        label = KIND_NAMES[self.kind]
        if self.written:
            return f"{self.file}：已导入{label} {self.rows} 行。"
        if not self.ok:
            return f"{self.file}：未导入（{len(self.problems)} 处错误，{len(self.questions)} 个问题待确认）。"
        return f"{self.file}：预览，将导入{label} {self.rows} 行（尚未写入）。"

    def text(self) -> str:
        """The whole report in Chinese, as the CLI prints it and the UI shows it."""
        out = [self.summary()]
        for s in self.sheets:
            name = f"工作表“{s.name}”" if s.name else "表格"
            rows = "–".join(map(str, (s.header_rows[0], s.header_rows[-1]) if len(s.header_rows) > 1 else s.header_rows))
            out.append(f"\n{name}：{ROLE_NAMES[s.role]}" + (f"，表头在第{rows}行" if s.header_rows else ""))
            if s.role in ("long", "wide"):
                out.append(f"  年份：{_year_text(s)}")
            if s.resource:
                out.append(f"  用量：{s.resource}")
            months = [c for c in s.columns if c.field.startswith("month:")]
            if months:
                out.append(f"  {months[0].column}–{months[-1].column}列“{months[0].header}”…“{months[-1].header}”"
                           f" → 各月{months[0].label.split('月', 1)[1]}（共 {len(months)} 个月）")
            for c in s.columns:
                if c.field.startswith("month:"):
                    continue
                conv = f"（{c.conversion}）" if c.conversion else ""
                mark = "（按您确认的对应关系）" if c.chosen else ""
                out.append(f"  {c.column}列“{c.header}” → {c.label}{conv}{mark}")
            out += [f"  跳过 {x}" for x in s.skipped]
            out += [f"  说明：{x}" for x in s.notes]
        out += [f"\n说明：{n}" for n in self.notes]
        if self.preview:
            out.append(f"\n将写入的前 {len(self.preview)} 行（已换算为存储单位）：" if not self.written
                       else f"\n已写入的前 {len(self.preview)} 行：")
            for r in self.preview:
                vals = "，".join(f"{units.label(f)} {getattr(r, f):,.6g} {units.FIELDS[f][1]}"
                                for f in units.SOURCE_COLUMNS if getattr(r, f, 0))
                out.append(f"  {r.institution} {r.period}：建筑面积 {r.floor_area_m2:,.6g} m²，用能人数 {r.headcount:g}"
                           + (f"，{vals}" if vals else ""))
        if self.questions:
            out.append("\n需要您确认（未导入）：")
            out += [f"  - {q}" for q in self.questions]
        if self.problems:
            out.append(f"\n有 {len(self.problems)} 处错误，整份文件未导入（没有写入任何数据）：")
            out += [f"  - {p}" for p in self.problems]
        return "\n".join(out)


def _year_text(s: SheetReport) -> str:
    if s.year is None:
        return "表中统计期列自带年份" if s.role == "long" else "未找到"
    return f"{s.year}年{f'{s.month}月' if s.month else ''}（取自{s.year_source}）"


def sheet_report(t: Table) -> SheetReport:
    cols = []
    for c in t.columns:
        if not c.header and c.read is None:
            continue
        if c.month is not None:
            res = units.label(t.resource.field) if t.resource else "用量"
            cols.append(ColumnReport(t.sheet.name, c.letter, c.header, f"month:{c.month}", f"{c.month}月{res}"))
            continue
        fld = c.field
        lab = units.label(fld) if fld in units.FIELDS else fld
        if fld == units.IGNORE:
            total = units.norm(c.header) in TOTAL_WORDS
            lab = "不导入" + ("（序号、备注等）" if c.read else "（汇总列）" if total else "（不认识的列名）")
        conv = c.read.unit.note if c.read and c.read.unit else ""
        cols.append(ColumnReport(t.sheet.name, c.letter, c.header, fld, lab, conv, c.chosen))
    resource = ""
    if t.resource:
        conv = t.resource.unit.note if t.resource.unit else "单位无法换算"
        resource = f"{units.label(t.resource.field)}，{conv}（取自{t.resource_where}）"
    return SheetReport(t.sheet.name, t.role, t.header_rows, tuple(cols), t.context.year, t.context.month,
                       t.context.where, resource, t.skipped, t.notes, t.header_key)
