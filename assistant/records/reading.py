"""Tables → consumption records: values parsed and converted to the stored units, wide month grids and several
sheets combined into one record per institution and period, area and headcount filled from a 基本情况 sheet.

Every bad cell is a problem naming the sheet, row and column; a required figure that no sheet gives is a question.
No writing here (assistant.records.store validates against what is stored and writes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.records import cells, units
from assistant.records.layout import Column, Table

REQUIRED = ("floor_area_m2", "headcount")


@dataclass(frozen=True)
class Record:
    """One institution-period as it will be stored (values in stored units)."""

    institution: str
    period: str
    values: dict[str, float]  # floor_area_m2, headcount and every source column present
    category: str | None = None
    source: str = ""  # "file.xlsx 工作表“用电” 第5行"


@dataclass
class _Draft:
    institution: str
    period: str
    values: dict[str, float] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)  # field -> where it came from
    category: str | None = None
    sources: list[str] = field(default_factory=list)
    first: str = ""  # the row that introduced it, for duplicate messages


@dataclass(frozen=True)
class Built:
    records: tuple[Record, ...]
    problems: tuple[str, ...]
    questions: tuple[str, ...]
    notes: tuple[str, ...]


def build_records(tables: list[Table], file_name: str, categories: tuple[str, ...]) -> Built:
    """Combine every long, wide and info table of one file into records; collect problems and questions."""
    problems: list[str] = []
    questions: list[str] = []
    notes: list[str] = []
    drafts: dict[tuple[str, str], _Draft] = {}
    info: dict[str, dict[str, tuple[float, str]]] = {}  # institution -> field -> (value, where)
    info_category: dict[str, str] = {}

    def place(t: Table, rownum: int, c: Column) -> str:
        header = c.header if c.header and units.norm(c.header) != units.norm(units.label(c.field)) else ""
        col = f"（{c.letter}列“{header}”）" if header else ""
        return f"{t.where}第{rownum}行 {units.label(c.field) if c.field in units.FIELDS else c.header}{col}"

    def value(t: Table, rownum: int, row: tuple, c: Column, required: bool) -> float | None:
        if (rownum, c.index) in t.sheet.formula_cells:
            problems.append(f"{place(t, rownum, c)}：公式没有保存计算结果，不能当作数字；请用 Excel 打开并保存后再导入")
            return None
        raw = row[c.index] if c.index < len(row) else None
        try:
            v = cells.number(raw, required=required)
        except ValueError as e:
            problems.append(f"{place(t, rownum, c)}：{e}")
            return None
        factor = c.read.unit.factor if c.read and c.read.unit else 1.0
        return v * factor if v is not None else None

    for t in tables:
        get = {c.field: c for c in t.columns if c.read and c.field not in (units.IGNORE, "month_value")}
        for rownum, row in t.data:
            where = f"{file_name} {t.where + ' ' if t.where else ''}第{rownum}行"
            inst_col = get["institution"]
            inst = cells.text(row[inst_col.index] if inst_col.index < len(row) else None)
            errs_before = len(problems)
            if not inst:
                if all(cells.is_blank(row[c.index]) for c in t.columns if c.index < len(row) and c.field not in
                       (units.IGNORE,)):
                    continue
                problems.append(f"{t.where}第{rownum}行 单位名称：不能为空")
            category = None
            if "category" in get:
                category = cells.text(row[get["category"].index] if get["category"].index < len(row) else None) or None
                if category is not None and category not in categories:
                    problems.append(f"{t.where}第{rownum}行 单位类型：“{category}”不在 {'/'.join(categories)} 之中")
            fixed: dict[str, float] = {}
            for fld in REQUIRED:
                if fld in get:
                    v = value(t, rownum, row, get[fld], required=t.role != "wide")
                    if v == 0 and t.role != "wide":
                        problems.append(f"{place(t, rownum, get[fld])}：必须大于0")
                    elif v:
                        fixed[fld] = v
            if t.role == "info":
                if inst and len(problems) == errs_before:
                    info.setdefault(inst, {}).update({f: (v, where) for f, v in fixed.items()})
                    if category:
                        info_category[inst] = category
                continue
            if t.role == "long":
                period = _period(t, rownum, row, get, problems)
                vals = dict(fixed)
                for fld in units.SOURCE_COLUMNS:
                    if fld in get:
                        v = value(t, rownum, row, get[fld], required=False)
                        if v is not None:
                            vals[fld] = v
                if len(problems) > errs_before or not inst or not period:
                    continue
                key = (inst, period)
                if key in drafts:
                    problems.append(f"{t.where}第{rownum}行 统计期：与{drafts[key].first}重复（{inst} {period}）")
                    continue
                drafts[key] = _Draft(inst, period, vals, {f: where for f in vals}, category, [where],
                                     f"{t.where}第{rownum}行")
                continue
            # wide: one value per month column
            res = t.resource
            if res is None or res.unit is None or t.context.year is None:
                continue
            for c in t.columns:
                if c.month is None or (c.index >= len(row)) or cells.is_blank(row[c.index]):
                    continue
                v = value(t, rownum, row, Column(c.index, c.header, res, None), required=False)  # converted
                if v is None or not inst:
                    continue
                key = (inst, f"{t.context.year:04d}-{c.month:02d}")
                d = drafts.setdefault(key, _Draft(inst, key[1]))
                if res.field in d.values:
                    problems.append(f"{t.where}第{rownum}行 {c.letter}列（{units.label(res.field)} {c.month}月）："
                                    f"与{d.origin[res.field]}重复（{inst} {key[1]}）")
                    continue
                d.values[res.field] = v
                d.origin[res.field] = f"{t.where}第{rownum}行 {c.letter}列"
                d.sources.append(f"{where} {c.letter}列")
                for fld, fv in fixed.items():
                    d.values.setdefault(fld, fv)
                d.category = d.category or category
        if t.role == "wide" and t.context.year is None and t.data:
            questions.append(f"{t.where or file_name}是按月份排列的表，但标题、工作表名和文件名里都没有年份：请在预览中指定年份")
    records = []
    for (inst, period), d in drafts.items():
        for fld in REQUIRED:
            if fld not in d.values and fld in info.get(inst, {}):
                d.values[fld] = info[inst][fld][0]
                note = f"{units.label(fld)}取自{info[inst][fld][1].split(' ', 1)[-1].rsplit(' ', 1)[0]}（按单位名称对应）"
                if note not in notes:
                    notes.append(note)
        missing = [units.label(f) for f in REQUIRED if f not in d.values]
        if missing:
            q = (f"{inst} 缺少{'和'.join(missing)}：表中没有这一列，也没有“基本情况”工作表给出。请在表中加一列“"
                 f"{missing[0]}”，或加一个工作表（单位名称、建筑面积、用能人数）后再导入")
            if q not in questions:
                questions.append(q)
            continue
        records.append(Record(inst, period, dict(d.values), d.category or info_category.get(inst),
                              "；".join(dict.fromkeys(d.sources))))
    return Built(tuple(records), tuple(problems), tuple(questions), tuple(notes))


def _period(t: Table, rownum: int, row: tuple, get: dict[str, Column], problems: list[str]) -> str | None:
    """The row's period: a period column (month-only cells take the context year), year + month columns, or the
    context (an annual table, or a sheet per month)."""
    ctx = t.context
    cell = lambda f: row[get[f].index] if get[f].index < len(row) else None  # noqa: E731
    try:
        year = ctx.year
        if "year" in get:
            year = cells.year_of(cell("year"))
        if "period" in get:
            return cells.period(cell("period"), year)
        if "month" in get:
            month = cells.month_of(cell("month"))
            if month is None:
                raise ValueError(f"月份不对“{cell('month')}”")
            if year is None:
                raise ValueError("只有月份，找不到年份：请在标题、工作表名或文件名中写明年份，或在预览中指定年份")
            return f"{year:04d}-{month:02d}"
        if year is None:
            raise ValueError("表中没有统计期列，标题、工作表名和文件名里也没有年份：请加一列“统计期”或在预览中指定年份")
        return f"{year:04d}" + (f"-{ctx.month:02d}" if ctx.month and "year" not in get else "")
    except ValueError as e:
        label = "统计期" if "period" in get else "年度" if "year" in get and "年份" not in str(e) else "统计期"
        problems.append(f"{t.where}第{rownum}行 {label}：{e}")
        return None
