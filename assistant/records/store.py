"""Consumption data, budgets and quotas: file import with whole-file validation, and queries (SQLite).

Three table kinds are recognised by their headers (docs/TOOLS.md has the formats): consumption (DESIGN.md schema,
plus an optional coal column), 用能预算 and 能耗定额. Offices' own layouts are read by layout.py / units.py /
reading.py into an ImportReport (report.py); this module validates against what is stored and writes. A file with
any bad cell or open question is rejected whole and nothing is written. No energy arithmetic here beyond summing a
year (tools/ does the indicators); no guessing of institution names.
"""

from __future__ import annotations

import difflib
import logging
import re
import sqlite3
import threading
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Iterable

from assistant.config import Settings
from assistant.errors import DataError, GreenLeafError, LookupFailed
from assistant.records import cells, layout, mapping
from assistant.records.layout import Choices
from assistant.records.metrics import METRICS, SOURCES, quota_indicator
from assistant.records.reading import build_records
from assistant.records.report import PREVIEW_ROWS, ImportReport, sheet_report
from assistant.records.units import label as field_label

log = logging.getLogger("greenleaf.records")

CATEGORIES = ("党政机关", "学校", "医院", "文化场馆", "其他")
ALL_NAMES = {"全部", "all", "全市", "所有单位", "全部单位", "合计"}

# canonical field -> accepted header spellings (compared after _norm_header)
_CONSUMPTION_COLUMNS: dict[str, tuple[str, ...]] = {
    "institution": ("institution", "单位名称", "单位", "机构名称"),
    "category": ("category", "单位类型", "机构类型", "类型"),
    "period": ("period", "统计期", "统计期间", "期间", "年月"),
    "floor_area_m2": ("floor_area_m2", "floor_area", "建筑面积", "面积"),
    "headcount": ("headcount", "用能人数", "人数"),
    **{source.column: source.aliases for source in SOURCES},
}
_BUDGET_COLUMNS: dict[str, tuple[str, ...]] = {
    "institution": _CONSUMPTION_COLUMNS["institution"],
    "year": ("year", "预算年度", "年度"),
    "energy_budget_kgce": ("energy_budget_kgce", "能耗预算", "用能预算"),
    "electricity_budget_kwh": ("electricity_budget_kwh", "电力预算", "用电预算"),
    "water_budget_m3": ("water_budget_m3", "用水预算", "水预算"),
}
_QUOTA_COLUMNS: dict[str, tuple[str, ...]] = {
    "category": _CONSUMPTION_COLUMNS["category"],
    "indicator": ("indicator", "指标", "指标名称"),
    "constraint": ("constraint", "约束值"),
    "guide": ("guide", "引导值"),
    "unit": ("unit", "单位"),
}
_IGNORED_COLUMNS = {"note", "备注", "说明"}
_CHINESE_LABEL = {
    "institution": "单位名称", "category": "单位类型", "period": "统计期", "floor_area_m2": "建筑面积",
    "headcount": "用能人数", **{source.column: source.name for source in SOURCES}, "year": "预算年度", "energy_budget_kgce": "能耗预算",
    "electricity_budget_kwh": "电力预算", "water_budget_m3": "用水预算", "indicator": "指标",
    "constraint": "约束值", "guide": "引导值", "unit": "单位",
}
SOURCE_FIELDS = tuple(source.column for source in SOURCES)


@dataclass(frozen=True)
class ConsumptionRow:
    """One stored row: an institution's consumption in one period (a month or a whole year)."""

    institution: str
    period: str  # "YYYY" or "YYYY-MM"
    floor_area_m2: float
    headcount: float
    electricity_kwh: float = 0.0
    natural_gas_m3: float = 0.0
    gasoline_l: float = 0.0
    diesel_l: float = 0.0
    water_m3: float = 0.0
    coal_kg: float = 0.0
    source: str = ""  # "file.csv 第5行"

    @property
    def year(self) -> int:
        return int(self.period[:4])

    @property
    def month(self) -> int | None:
        return int(self.period[5:7]) if len(self.period) == 7 else None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class AnnualRecord:
    """A year of one institution (or of a set): source totals summed over periods, area and headcount of the last."""

    institution: str
    year: int
    floor_area_m2: float
    headcount: float
    electricity_kwh: float = 0.0
    natural_gas_m3: float = 0.0
    gasoline_l: float = 0.0
    diesel_l: float = 0.0
    water_m3: float = 0.0
    coal_kg: float = 0.0
    category: str | None = None
    months: tuple[int, ...] = ()  # months present; empty when the year is one annual row
    last_period: str = ""
    rows: tuple[ConsumptionRow, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.months or len(self.months) == 12


@dataclass(frozen=True)
class Budget:
    institution: str
    year: int
    energy_budget_kgce: float | None
    electricity_budget_kwh: float | None
    water_budget_m3: float | None
    source: str = ""


@dataclass(frozen=True)
class Quota:
    category: str
    indicator: str  # metric key, e.g. "energy_per_area"
    constraint: float
    guide: float
    unit: str
    source: str = ""


@dataclass(frozen=True)
class InstitutionInfo:
    name: str
    category: str | None
    first_period: str
    last_period: str
    periods: int
    years: tuple[int, ...]

    def to_dict(self) -> dict:
        return {**asdict(self), "years": list(self.years)}


class DataStore:
    """SQLite-backed store of consumption rows, budgets and quotas; open with DataStore.open(settings)."""

    def __init__(self, path: Path, settings: Settings) -> None:
        self.path = path
        self.settings = settings
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    @classmethod
    def open(cls, settings: Settings) -> "DataStore":
        path = settings.data_db
        path.parent.mkdir(parents=True, exist_ok=True)
        store = cls(path, settings)
        store._conn.executescript(_SCHEMA)
        return store

    @property
    def _conn(self) -> sqlite3.Connection:
        """This thread's connection. One store serves many threads (the UI's handlers, the agent's tool calls):
        each thread gets its own connection, so one thread's open transaction is never another's, and SQLite
        serialises the writers."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(str(self.path), timeout=30)
            self._local.conn = conn
            with self._lock:
                self._opened.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            for conn in self._opened:
                try:
                    conn.close()
                except sqlite3.ProgrammingError:  # a connection made in a thread that has ended
                    pass
            self._opened.clear()
        self._local = threading.local()

    def __enter__(self) -> "DataStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def import_samples_if_empty(self, folder: Path) -> str | None:
        """Import `folder`'s *.csv/*.xlsx (the labelled sample data) when the store holds no consumption rows."""
        files = sorted(folder.glob("*.csv")) + sorted(folder.glob("*.xlsx")) if folder.is_dir() else []
        if not files or self.counts()["rows"]:
            return None
        # Consumption first: budgets name institutions that the consumption table introduces.
        files.sort(key=lambda p: (0 if "能耗月度" in p.name or "consumption" in p.name.lower() else 1, p.name))
        imported = []
        for path in files:
            try:
                imported.append(self.import_file(path).summary().rstrip("。"))
            except GreenLeafError as error:
                log.warning("sample data %s not imported: %s", path.name, error)
        return f"已导入样例数据（虚构，仅供演示）：{'；'.join(imported)}" if imported else None

    # ------------------------------------------------------------ import

    def import_file(self, path: str | Path, choices: Choices | None = None) -> ImportReport:
        """Read the file, then write it in one transaction; DataError listing every bad cell or open question."""
        report = self.read_file(path, choices)
        if not report.ok:
            what = (f"有 {len(report.problems)} 处错误，整份文件未导入（没有写入任何数据）。" if report.problems
                    else "表格布局需要您确认，未导入。")
            raise DataError(f"{report.file}：{what}", list(report.problems) + list(report.questions))
        return self.commit(report)

    def read_file(self, path: str | Path, choices: Choices | None = None) -> ImportReport:
        """How the file reads and what it would write, without writing (`greenleaf data import --dry-run`).
        Invalid values are `problems` and ambiguous layouts `questions` in the report; DataError only when the file
        cannot be opened at all."""
        path = Path(path)
        name = path.name
        if not path.is_file():
            raise DataError(f"{name}：文件不存在或不是文件。")
        if path.stat().st_size > self.settings.max_file_mb * 1024 * 1024:
            raise DataError(f"{name}：文件超过 {self.settings.max_file_mb:g} MB，未导入。")
        choices = choices or Choices()
        densities = dict(self.settings.factors)
        tables = [layout.read_table(sheet, name, choices, mapping.Recall(self._conn), densities)
                  for sheet in layout.read_sheets(path)]
        if not any(t.sheet.rows for t in tables):
            raise DataError(f"{name}：文件是空的，没有表头。")
        sheets = tuple(sheet_report(t) for t in tables)
        questions = tuple(q for t in tables for q in t.questions)
        special = next((t for t in tables if t.role in ("budget", "quota")), None)
        if special is not None:
            return self._read_budget_or_quota(name, special, sheets)
        used = [t for t in tables if t.role in ("long", "wide", "info")]
        if not used:
            skipped = "；".join(n for t in tables for n in t.notes)
            if questions:
                return ImportReport(name, "consumption", 0, sheets=sheets, questions=questions)
            raise DataError(f"{name}：没有找到能耗数据表（{skipped or '没有表头'}）。请参照“下载导入模板”的列名。")
        missing = {id(t): _missing_columns(t, used) for t in used}
        questions += tuple(q for qs in missing.values() for q in qs)
        built = build_records([t for t in used if not missing[id(t)]], name, CATEGORIES)
        problems = list(built.problems)
        rows = [(ConsumptionRow(r.institution, r.period, source=r.source, **r.values), r.category)
                for r in built.records]
        problems += self._mixed_period_problems(rows)
        questions += tuple(q for q in built.questions if q not in questions)
        if not rows and not problems and not questions:
            problems.append("文件中没有数据行")
        ok = not problems and not questions
        return ImportReport(
            name, "consumption", len(rows) if ok else 0, tuple(dict.fromkeys(r.institution for r, _ in rows)),
            sheets, tuple(r for r, _ in rows[:PREVIEW_ROWS]), tuple(problems), questions, built.notes,
            records=tuple(rows) if ok else (),
        )

    def commit(self, report: ImportReport, choices: Choices | None = None) -> ImportReport:
        """Write what `read_file` read, in one transaction, and remember the columns the user chose."""
        if not report.ok:
            raise DataError(f"{report.file}：报告中还有错误或待确认的问题，未导入。", list(report.problems + report.questions))
        if not report.records:
            raise DataError(f"{report.file}：文件中没有数据行。")
        with self._conn:
            if report.kind == "consumption":
                for row, category in report.records:
                    self._conn.execute(
                        "INSERT INTO institutions(name, category) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET "
                        "category = COALESCE(excluded.category, institutions.category)",
                        (row.institution, category),
                    )
                    self._conn.execute(
                        "INSERT OR REPLACE INTO consumption VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (row.institution, row.period, row.year, row.month, row.floor_area_m2, row.headcount,
                         row.electricity_kwh, row.natural_gas_m3, row.gasoline_l, row.diesel_l, row.water_m3,
                         row.coal_kg, row.source),
                    )
            elif report.kind == "budget":
                for b in report.records:
                    self._conn.execute(
                        "INSERT OR REPLACE INTO budgets VALUES (?,?,?,?,?,?)",
                        (b.institution, b.year, b.energy_budget_kgce, b.electricity_budget_kwh, b.water_budget_m3,
                         b.source),
                    )
            else:
                for q in report.records:
                    self._conn.execute("INSERT OR REPLACE INTO quotas VALUES (?,?,?,?,?,?)",
                                       (q.category, q.indicator, q.constraint, q.guide, q.unit, q.source))
            if choices is not None:
                mapping.remember(self._conn, report.sheets, choices)
        return replace(report, written=True)

    def _mixed_period_problems(self, records: list[tuple[ConsumptionRow, str | None]]) -> list[str]:
        """A year must be either one annual row or monthly rows, never both (that would count twice)."""
        problems = []
        file_kinds: dict[tuple[str, int], set[bool]] = {}
        for row, _ in records:
            file_kinds.setdefault((row.institution, row.year), set()).add(row.month is None)
        for row, _ in records:
            kinds = set(file_kinds[(row.institution, row.year)])
            stored = self._conn.execute(
                "SELECT month IS NULL FROM consumption WHERE institution=? AND year=? AND period<>?",
                (row.institution, row.year, row.period),
            ).fetchall()
            kinds |= {bool(k) for (k,) in stored}
            if len(kinds) > 1:
                where = re.sub(r"^.*?\s(?=(工作表|第\d))", "", row.source.split("；")[0])
                problems.append(
                    f"{where} 统计期：{row.institution} {row.year}年同时有全年数据和月度数据，会重复计算；请只保留一种"
                )
        return problems

    def _read_budget_or_quota(self, name: str, table: layout.Table, sheets: tuple) -> ImportReport:
        header = [c.header for c in table.columns]
        kind, columns, problems = _map_header(header, table.header_rows[0])
        if kind == "consumption":  # budget words next to a 统计期: not a budget after all
            kind = table.role
        body = [(rownum, list(cells_)) for rownum, cells_ in table.data]
        if not problems:
            records, problems = (self._budget_records if kind == "budget" else self._quota_records)(name, columns, body)
        else:
            records = []
        if not records and not problems:
            problems = ["文件中没有数据行"]
        ok = not problems
        insts = tuple(dict.fromkeys(getattr(r, "institution", "") for r in records if getattr(r, "institution", "")))
        return ImportReport(name, kind, len(records) if ok else 0, insts, sheets, problems=tuple(problems),
                            records=tuple(records) if ok else ())

    def _budget_records(self, name: str, columns: dict[str, int], body: list[tuple[int, list]]
                        ) -> tuple[list[Budget], list[str]]:
        problems: list[str] = []
        records: list[Budget] = []
        seen: dict[tuple[str, int], int] = {}
        budget_fields = ("energy_budget_kgce", "electricity_budget_kwh", "water_budget_m3")
        for rownum, cells_ in body:
            get = _getter(cells_, columns)
            errs: list[str] = []
            inst = _text(get("institution"))
            if not inst:
                errs.append(f"第{rownum}行 单位名称：不能为空")
            year = None
            try:
                year = _year(get("year"))
            except ValueError as e:
                errs.append(f"第{rownum}行 预算年度：{e}")
            values: dict[str, float | None] = {}
            for fld in budget_fields:
                try:
                    v = _number(get(fld), required=False, blank=None)
                    if v == 0:
                        raise ValueError("预算必须大于0（不设预算请留空）")
                    values[fld] = v
                except ValueError as e:
                    errs.append(f"第{rownum}行 {_CHINESE_LABEL[fld]}：{e}")
            if not errs and all(values[f] is None for f in budget_fields):
                errs.append(f"第{rownum}行 能耗预算：能耗、电力、用水预算至少填一项")
            if inst and year is not None:
                if (inst, year) in seen:
                    errs.append(f"第{rownum}行 预算年度：与第{seen[(inst, year)]}行重复（{inst} {year}）")
                else:
                    seen[(inst, year)] = rownum
            if errs:
                problems.extend(errs)
                continue
            records.append(Budget(inst, year, source=f"{name} 第{rownum}行", **values))
        return records, problems

    def _quota_records(self, name: str, columns: dict[str, int], body: list[tuple[int, list]]
                       ) -> tuple[list[Quota], list[str]]:
        problems: list[str] = []
        records: list[Quota] = []
        seen: dict[tuple[str, str], int] = {}
        for rownum, cells_ in body:
            get = _getter(cells_, columns)
            errs: list[str] = []
            category = _text(get("category"))
            if category not in CATEGORIES:
                errs.append(f"第{rownum}行 单位类型：“{category}”不在 {'/'.join(CATEGORIES)} 之中")
            indicator_text = _text(get("indicator"))
            quota_metric = quota_indicator(indicator_text)
            metric = (quota_metric.key, quota_metric.unit) if quota_metric else None
            if metric is None:
                known = "、".join(m.name for m in METRICS if m.quota)
                errs.append(f"第{rownum}行 指标：不认识“{indicator_text}”，可用：{known}")
            nums: dict[str, float] = {}
            for fld in ("constraint", "guide"):
                try:
                    nums[fld] = _number(get(fld), required=True)
                except ValueError as e:
                    errs.append(f"第{rownum}行 {_CHINESE_LABEL[fld]}：{e}")
            if len(nums) == 2 and nums["guide"] > nums["constraint"]:
                errs.append(f"第{rownum}行 引导值：{nums['guide']:g} 大于约束值 {nums['constraint']:g}（引导值应更严）")
            unit = _text(get("unit"))
            if metric and unit and _norm_unit(unit) != _norm_unit(metric[1]):
                errs.append(f"第{rownum}行 单位：“{unit}”与指标单位 {metric[1]} 不符")
            if metric and category:
                key = (category, metric[0])
                if key in seen:
                    errs.append(f"第{rownum}行 指标：与第{seen[key]}行重复（{category} {indicator_text}）")
                else:
                    seen[key] = rownum
            if errs:
                problems.extend(errs)
                continue
            records.append(Quota(category, metric[0], nums["constraint"], nums["guide"], metric[1],
                                 f"{name} 第{rownum}行"))
        return records, problems

    # ------------------------------------------------------------ queries

    def institutions(self, category: str | None = None) -> list[InstitutionInfo]:
        sql = (
            "SELECT i.name, i.category, MIN(c.period), MAX(c.period), COUNT(*), GROUP_CONCAT(DISTINCT c.year) "
            "FROM institutions i JOIN consumption c ON c.institution = i.name "
            + ("WHERE i.category = ? " if category else "")
            + "GROUP BY i.name ORDER BY i.name"
        )
        out = []
        for name, cat, first, last, n, years in self._conn.execute(sql, (category,) if category else ()):
            out.append(InstitutionInfo(name, cat, first, last, n, tuple(sorted(int(y) for y in years.split(",")))))
        return out

    def institution_names(self) -> list[str]:
        return [r[0] for r in self._conn.execute("SELECT name FROM institutions ORDER BY name")]

    def category(self, institution: str) -> str | None:
        row = self._conn.execute("SELECT category FROM institutions WHERE name=?", (institution,)).fetchone()
        return row[0] if row else None

    def years(self, institution: str | None = None) -> list[int]:
        """Years with data for one institution (resolved fuzzily), or for any institution when None."""
        if institution is None:
            rows = self._conn.execute("SELECT DISTINCT year FROM consumption ORDER BY year")
        else:
            rows = self._conn.execute("SELECT DISTINCT year FROM consumption WHERE institution=? ORDER BY year",
                                      (self.resolve(institution),))
        return [r[0] for r in rows]

    def rows(self, institution: str, year: int | None = None) -> list[ConsumptionRow]:
        name = self.resolve(institution)
        sql = "SELECT * FROM consumption WHERE institution=?" + (" AND year=?" if year is not None else "")
        params = (name, year) if year is not None else (name,)
        return [_row_from_db(r) for r in self._conn.execute(sql + " ORDER BY period", params)]

    def annual(self, institution: str, year: int) -> AnnualRecord:
        """The year's totals; area and headcount are those of the last period present. LookupFailed if no data."""
        name = self.resolve(institution)
        rows = self.rows(name, year)
        if not rows:
            years = self.years(name)
            span = f"可用年份：{_span(years)}" if years else "该单位还没有任何数据"
            raise LookupFailed(f"“{name}”没有{year}年的数据，{span}。", [str(y) for y in years])
        last = rows[-1]  # rows are ordered by period, "YYYY" (annual) or "YYYY-MM"
        totals = {f: sum(getattr(r, f) for r in rows) for f in SOURCE_FIELDS}
        months = tuple(r.month for r in rows if r.month is not None)
        return AnnualRecord(
            institution=name, year=year, floor_area_m2=last.floor_area_m2, headcount=last.headcount,
            category=self.category(name), months=months, last_period=last.period, rows=tuple(rows), **totals,
        )

    def budget(self, institution: str, year: int) -> Budget | None:
        row = self._conn.execute("SELECT * FROM budgets WHERE institution=? AND year=?",
                                 (self.resolve(institution), year)).fetchone()
        return Budget(*row) if row else None

    def quotas(self, category: str | None = None) -> list[Quota]:
        sql = "SELECT * FROM quotas" + (" WHERE category=?" if category else "") + " ORDER BY category, indicator"
        return [Quota(*r) for r in self._conn.execute(sql, (category,) if category else ())]

    def counts(self) -> dict[str, int]:
        one = lambda sql: self._conn.execute(sql).fetchone()[0]  # noqa: E731
        return {"institutions": one("SELECT COUNT(*) FROM institutions"),
                "rows": one("SELECT COUNT(*) FROM consumption"),
                "budgets": one("SELECT COUNT(*) FROM budgets"), "quotas": one("SELECT COUNT(*) FROM quotas")}

    # ------------------------------------------------------------ names

    def resolve(self, name: str) -> str:
        """Exact name, else a unique 简称/partial match; LookupFailed lists candidates otherwise. Never guesses."""
        return resolve_name(name, self.institution_names())


def resolve_name(name: str, names: Iterable[str]) -> str:
    names = list(names)
    query = _norm_name(name or "")
    if not query:
        raise LookupFailed("请给出单位名称。")
    if not names:
        raise LookupFailed(f"未找到该单位“{name}”：还没有导入任何能耗数据。")
    normalized = {n: _norm_name(n) for n in names}
    exact = [n for n, k in normalized.items() if k == query]
    if len(exact) == 1:
        return exact[0]
    bare = query[1:] if query.startswith("市") and len(query) > 2 else query
    partial = [n for n, k in normalized.items() if bare in k]
    if not partial:
        # 简称 such as 发改委 → 市发展改革委: characters in order, covering at least half of the name
        partial = [n for n, k in normalized.items()
                   if is_subsequence(bare, k) and len(bare) >= 2 and len(bare) * 2 >= len(k.lstrip("市"))]
    if len(partial) == 1:
        return partial[0]
    if len(partial) > 1:
        shown = sorted(partial, key=lambda n: (len(n), n))
        raise LookupFailed(f"“{name}”对应多个单位，请说明是哪一个：{'、'.join(shown[:12])}。", shown)
    close = difflib.get_close_matches(query, list(normalized.values()), n=5, cutoff=0.3)
    by_norm = {k: n for n, k in normalized.items()}
    candidates = [by_norm[c] for c in close]
    if not candidates:
        candidates = [n for n, k in normalized.items() if set(bare) & set(k.lstrip("市"))][:5]
    hint = f"，相近的有：{'、'.join(candidates)}" if candidates else "，请核对单位名称（已导入的单位见“能耗数据”列表）"
    raise LookupFailed(f"未找到该单位“{name}”{hint}。", candidates)


# ---------------------------------------------------------------- file reading and cell parsing

_SCHEMA = """
CREATE TABLE IF NOT EXISTS institutions (name TEXT PRIMARY KEY, category TEXT);
CREATE TABLE IF NOT EXISTS consumption (
    institution TEXT NOT NULL, period TEXT NOT NULL, year INTEGER NOT NULL, month INTEGER,
    floor_area_m2 REAL NOT NULL, headcount REAL NOT NULL,
    electricity_kwh REAL NOT NULL, natural_gas_m3 REAL NOT NULL, gasoline_l REAL NOT NULL, diesel_l REAL NOT NULL,
    water_m3 REAL NOT NULL, coal_kg REAL NOT NULL, source TEXT,
    PRIMARY KEY (institution, period));
CREATE INDEX IF NOT EXISTS consumption_year ON consumption(year);
CREATE TABLE IF NOT EXISTS budgets (
    institution TEXT NOT NULL, year INTEGER NOT NULL, energy_budget_kgce REAL, electricity_budget_kwh REAL,
    water_budget_m3 REAL, source TEXT, PRIMARY KEY (institution, year));
CREATE TABLE IF NOT EXISTS quotas (
    category TEXT NOT NULL, indicator TEXT NOT NULL, constraint_value REAL NOT NULL, guide_value REAL NOT NULL,
    unit TEXT NOT NULL, source TEXT, PRIMARY KEY (category, indicator));
"""


def _missing_columns(table: layout.Table, tables: list[layout.Table]) -> list[str]:
    """Required columns a long table lacks and no other sheet of the file gives."""
    if table.role != "long":
        return []
    fields = {c.field for c in table.columns}
    out = []
    if not fields & {"period", "year", "month"} and table.context.year is None:
        out.append(f"{table.where}缺少必需的列“统计期”（英文列名 period）：请加一列统计期（如 2024-03），"
                   "或在标题、工作表名、文件名中写明年份，或在预览中指定年份")
    given = {c.field for t in tables if t.role in ("info", "wide") for c in t.columns}
    for fld in ("floor_area_m2", "headcount"):
        if fld not in fields and fld not in given:
            out.append(f"{table.where}缺少必需的列“{field_label(fld)}”（英文列名 {fld}）：请在表中加这一列，"
                       "或在同一文件中加一个“基本情况”工作表（单位名称、建筑面积、用能人数）")
    return out


def _row_from_db(r: tuple) -> ConsumptionRow:
    inst, period, _year, _month, area, head, el, gas, gasoline, diesel, water, coal, source = r
    return ConsumptionRow(inst, period, area, head, el, gas, gasoline, diesel, water, coal, source or "")


def _blank(row: Iterable) -> bool:
    return all(c is None or str(c).strip() == "" for c in row)


def _norm_header(cell: object) -> str:
    text = str(cell or "").strip().lstrip("\ufeff")
    text = re.sub(r"[（(\[【].*?[)）\]】]", "", text)  # "建筑面积（m²）" → "建筑面积"
    return re.sub(r"\s+", "", text).lower()


def _map_header(header: list, header_row: int) -> tuple[str, dict[str, int], list[str]]:
    normalized = [_norm_header(c) for c in header]
    tables = {"quota": _QUOTA_COLUMNS, "budget": _BUDGET_COLUMNS, "consumption": _CONSUMPTION_COLUMNS}
    lookup = {kind: {alias: fld for fld, aliases in cols.items() for alias in aliases} for kind, cols in tables.items()}
    if {"constraint", "guide"} & {lookup["quota"].get(h) for h in normalized}:
        kind = "quota"
    elif {"year", "energy_budget_kgce", "electricity_budget_kwh", "water_budget_m3"} & {
        lookup["budget"].get(h) for h in normalized
    } - {None} and not any(lookup["consumption"].get(h) == "period" for h in normalized):
        kind = "budget"
    else:
        kind = "consumption"
    columns: dict[str, int] = {}
    problems: list[str] = []
    for idx, (raw, h) in enumerate(zip(header, normalized)):
        col = cells.column_letter(idx)
        if not h or h in _IGNORED_COLUMNS:
            continue
        fld = lookup[kind].get(h)
        if fld is None:
            problems.append(f"第{header_row}行 {col}列：不认识的列名“{str(raw).strip()}”")
        elif fld in columns:
            problems.append(f"第{header_row}行 {col}列：“{str(raw).strip()}”与第{cells.column_letter(columns[fld])}列重复")
        else:
            columns[fld] = idx
    required = {
        "consumption": ("institution", "period", "floor_area_m2", "headcount"),
        "budget": ("institution", "year"),
        "quota": ("category", "indicator", "constraint", "guide"),
    }[kind]
    for fld in required:
        if fld not in columns:
            problems.append(f"缺少必需的列“{_CHINESE_LABEL[fld]}”（英文列名 {fld}）")
    return kind, columns, problems


def _getter(cells: list, columns: dict[str, int]):
    def get(fld: str) -> object:
        idx = columns.get(fld)
        return cells[idx] if idx is not None and idx < len(cells) else None

    return get


_text = cells.text
_number = cells.number
_year = cells.year_of


def _norm_unit(unit: str) -> str:
    return unit.replace("²", "2").replace("³", "3").replace("₂", "2").replace(" ", "").lower()


def _norm_name(name: str) -> str:
    return re.sub(r"[\s\u3000“”\"'（）()]", "", name).lower()


def is_subsequence(needle: str, hay: str) -> bool:
    """Whether every character of `needle` occurs in `hay`, in the same order (二中 in 市第二中学; 十四五规划 in
    十四五公共机构节约能源资源工作规划)."""
    it = iter(hay)
    return all(ch in it for ch in needle)


def _span(years: list[int]) -> str:
    if not years:
        return "无"
    if years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    return "、".join(map(str, years))
