"""Column headers as offices write them: which field a header names, the unit it is in, and the factor to the
stored unit ("用电量（万千瓦时）" → electricity_kwh × 10000).

Energy sources, their stored columns and units come from assistant.records.metrics; this module adds only the
spellings offices use and the unit tables. A unit it cannot convert is a question for the user, never a guess.
Fuel given by mass (吨, kg) is stored as litres = kg ÷ density, so that the indicators' L × density gives the
same kg back and every kgce stays exact (docs/TOOLS.md §1.5).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Mapping

from assistant.records.metrics import SOURCES

IGNORE = "ignore"

# Fields that are not energy sources: key -> (Chinese label, stored unit)
_OTHER_FIELDS: dict[str, tuple[str, str]] = {
    "institution": ("单位名称", ""),
    "category": ("单位类型", ""),
    "period": ("统计期", ""),
    "year": ("年度", ""),
    "month": ("月份", ""),
    "floor_area_m2": ("建筑面积", "m²"),
    "headcount": ("用能人数", "人"),
}
SOURCE_COLUMNS: tuple[str, ...] = tuple(s.column for s in SOURCES)
# key -> (Chinese label, stored unit), in the order the report lists them
FIELDS: dict[str, tuple[str, str]] = {
    **_OTHER_FIELDS,
    **{s.column: (s.name, s.unit) for s in SOURCES},
    IGNORE: ("不导入", ""),
}

# Header names (normalised: NFKC, no spaces, lower case) beyond those metrics.py lists.
_NAMES: dict[str, tuple[str, ...]] = {
    "institution": ("institution", "单位名称", "单位", "机构名称", "公共机构名称", "用能单位", "用能单位名称", "单位全称",
                    "机构", "名称", "单位(部门)", "填报单位"),
    "category": ("category", "单位类型", "机构类型", "类型", "单位类别", "类别", "机构类别"),
    "period": ("period", "统计期", "统计期间", "期间", "年月", "统计月份", "统计年月", "月份", "日期", "时间", "统计时间",
               "报告期", "所属期", "所属月份", "统计周期"),
    "year": ("year", "年度", "年份", "统计年度", "所属年度"),
    "floor_area_m2": ("floor_area_m2", "floor_area", "建筑面积", "面积", "总建筑面积", "房屋建筑面积", "建筑总面积"),
    "headcount": ("headcount", "用能人数", "人数", "用能人口", "总人数", "用能总人数"),
    "electricity_kwh": ("电", "用电", "电力消耗", "电力消耗量", "电力消费量", "耗电量", "耗电", "电耗", "用电总量", "电能"),
    "natural_gas_m3": ("用气", "燃气", "气", "天然气消耗量", "天然气消费量", "天然气用量", "管道天然气", "燃气用量"),
    "gasoline_l": ("车用汽油", "汽油消耗量", "汽油用量"),
    "diesel_l": ("车用柴油", "柴油消耗量", "柴油用量"),
    "water_m3": ("用水", "水量", "自来水", "耗水量", "耗水", "水耗", "用水总量", "水消耗量", "自来水用量"),
    "coal_kg": ("燃煤", "煤", "煤炭消耗量", "原煤用量"),
    IGNORE: ("序号", "编号", "行次", "备注", "说明", "note", "备考", "填报说明", "联系人", "联系电话"),
}
_SUFFIXES = ("消耗量", "消费量", "使用量", "耗用量", "用量", "总量", "量")

# Unit tables: normalised unit -> factor to the stored unit. Fuel by mass is marked by a negative factor
# (the mass in kg per written unit), resolved with the density at read time.
_ELECTRICITY = {"kwh": 1.0, "千瓦时": 1.0, "度": 1.0, "千瓦小时": 1.0, "万kwh": 1e4, "万千瓦时": 1e4, "万度": 1e4,
                "mwh": 1e3, "兆瓦时": 1e3}
_GAS = {"m3": 1.0, "立方米": 1.0, "方": 1.0, "立方": 1.0, "nm3": 1.0, "标方": 1.0, "万m3": 1e4, "万立方米": 1e4,
        "万方": 1e4, "万nm3": 1e4}
_WATER = {"m3": 1.0, "立方米": 1.0, "方": 1.0, "立方": 1.0, "吨": 1.0, "t": 1.0, "万吨": 1e4, "万m3": 1e4,
          "万立方米": 1e4, "万方": 1e4}
_FUEL = {"l": 1.0, "升": 1.0, "公升": 1.0, "千升": 1e3, "kl": 1e3, "kg": -1.0, "千克": -1.0, "公斤": -1.0,
         "t": -1e3, "吨": -1e3}
_COAL = {"kg": 1.0, "千克": 1.0, "公斤": 1.0, "t": 1e3, "吨": 1e3, "万吨": 1e7}
_AREA = {"m2": 1.0, "平方米": 1.0, "平米": 1.0, "平方": 1.0, "万m2": 1e4, "万平方米": 1e4}
_PEOPLE = {"人": 1.0, "人数": 1.0, "名": 1.0}
UNITS: dict[str, dict[str, float]] = {
    "electricity_kwh": _ELECTRICITY, "natural_gas_m3": _GAS, "water_m3": _WATER, "gasoline_l": _FUEL,
    "diesel_l": _FUEL, "coal_kg": _COAL, "floor_area_m2": _AREA, "headcount": _PEOPLE,
}
_ALL_UNITS = sorted({u for table in UNITS.values() for u in table}, key=len, reverse=True)
DEFAULT_DENSITIES = {"gasoline_l": 0.725, "diesel_l": 0.83}  # kg/L, as tools/factors.py (DESIGN.md)
_DENSITY_FACTORS = {"gasoline_l": "gasoline_density_kg_per_l", "diesel_l": "diesel_density_kg_per_l"}


@dataclass(frozen=True)
class Unit:
    """A column's unit and the factor that turns its values into the stored unit."""

    written: str  # as the header wrote it ("万千瓦时"); "" when the header gave none
    factor: float  # stored value = cell × factor
    stored: str  # "kWh"
    note: str  # the conversion in words, for the report

    @property
    def converts(self) -> bool:
        return self.factor != 1.0


@dataclass(frozen=True)
class HeaderRead:
    """What one header cell says: the field, its unit, or a question when the unit cannot be read."""

    field: str
    name: str  # the header name without its unit
    unit: Unit | None = None
    question: str | None = None


def label(field: str) -> str:
    """The Chinese label of a field ("electricity_kwh" → "电力")."""
    return FIELDS[field][0]


def field_for_label(text: str) -> str | None:
    """A field key from its key or Chinese label (the UI's column editor writes labels)."""
    text = str(text or "").strip()
    for key, (name, _) in FIELDS.items():
        if text in (key, name, f"{name}（{key}）"):
            return key
    return recognise_name(text)


def norm(text: object) -> str:
    """NFKC (full-width → ASCII, ㎡ → m2, m³ → m3), no spaces, lower case."""
    text = unicodedata.normalize("NFKC", str(text if text is not None else "")).replace("\ufeff", "")
    return re.sub(r"\s+", "", text).lower()


def recognise_name(name: str) -> str | None:
    """The field a header name (without unit) stands for, or None."""
    key = norm(name)
    if not key:
        return None
    found = _NAME_INDEX.get(key)
    if found is None:
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                found = _NAME_INDEX.get(key[: -len(suffix)])
                if found:
                    break
    return found


def split_header(text: object) -> tuple[str, str]:
    """("用电量（万千瓦时）") → ("用电量", "万千瓦时"); also "电(kWh)", "用水量/吨", "面积㎡", "用电量 单位:度"."""
    raw = norm(text)
    units = re.findall(r"[(\[【](.*?)[)\]】]", raw)
    name = re.sub(r"[(\[【].*?[)\]】]", "", raw)
    unit = units[-1] if units else ""
    if not unit and ("/" in name):
        head, _, tail = name.partition("/")
        if recognise_name(head) and tail:
            name, unit = head, tail
    if not unit:
        m = re.match(r"^(.*?)单位[:：]?(.+)$", name)
        if m and recognise_name(m.group(1)):
            name, unit = m.group(1), m.group(2)
    if not unit:
        for u in _ALL_UNITS:
            if name.endswith(u) and len(name) > len(u) and recognise_name(name[: -len(u)]):
                name, unit = name[: -len(u)], u
                break
    return name, clean_unit(unit)


def clean_unit(text: object) -> str:
    unit = norm(text).strip("()[]【】")
    unit = re.sub(r"^单位[:：]?", "", unit)
    return unit.replace("·", "").replace("^", "").replace("千瓦.时", "千瓦时")


def is_unit_text(text: object) -> bool:
    """True for a cell holding only a unit ("kWh", "（立方米）", "单位：吨") as in the lower row of a two-row header."""
    unit = clean_unit(text)
    return bool(unit) and unit in _ALL_UNITS_SET


def read_header(text: object, unit_text: object = "", densities: Mapping[str, float] | None = None,
                field: str | None = None) -> HeaderRead | None:
    """Read one header (and the unit row's cell under it, if any); `field` forces the field (a user's choice)."""
    name, unit = split_header(text)
    if not unit and unit_text:
        unit = clean_unit(unit_text)
    fld = field or recognise_name(name)
    if fld is None:
        return None
    return HeaderRead(fld, name, *unit_for(fld, unit, str(text or "").strip(), densities or {}))


def unit_for(field: str, unit: str, header: str, densities: Mapping[str, float]) -> tuple[Unit | None, str | None]:
    """(Unit, None) for a unit the field can take, (None, question) otherwise; fields without units give (None, None)."""
    table = UNITS.get(field)
    if table is None:
        return None, None
    stored = FIELDS[field][1]
    if not unit:
        return Unit("", 1.0, stored, f"未注明单位，按 {stored} 读取"), None
    factor = table.get(unit)
    if factor is None:
        accepted = "、".join(sorted(table, key=len)[:8])
        return None, (f"“{header}”的单位“{unit}”无法换算成{label(field)}的 {stored}：请把表头单位改为 {accepted} 等之一，"
                      "或在预览中为该列另选字段")
    if factor < 0:  # fuel by mass → litres through the density
        density = densities.get(_DENSITY_FACTORS[field], DEFAULT_DENSITIES[field])
        kg = -factor
        per_kg = f"× {kg:g} " if kg != 1 else ""
        note = (f"{unit} {per_kg}→ kg ÷ {density:g} kg/L（{label(field)}密度）→ L；按升存储，计算综合能耗时再乘回同一密度，"
                "折标准煤结果与按千克直接计算相同")
        return Unit(unit, kg / density, stored, note), None
    if factor == 1.0:
        same = unit in (stored.lower(), norm(stored))
        note = f"{stored}，不换算" if same else f"{unit} = {stored}，数值不变"
        return Unit(unit, 1.0, stored, note), None
    return Unit(unit, factor, stored, f"{unit} × {factor:g} → {stored}"), None


def source_words() -> list[tuple[str, str]]:
    """(Chinese name, source column) pairs of two or more characters, longest first: for finding the resource a
    month grid holds inside a sheet name or title ("各单位用电量统计表" → electricity_kwh)."""
    pairs = [(k, f) for k, f in _NAME_INDEX.items() if f in SOURCE_COLUMNS and len(k) >= 2 and not k.isascii()]
    return sorted(pairs, key=lambda kv: -len(kv[0]))


def _build_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for source in SOURCES:
        for alias in (source.column, source.key, source.name, source.reading, *source.aliases):
            index.setdefault(norm(alias), source.column)
    for fld, names in _NAMES.items():
        for alias in names:
            index.setdefault(norm(alias), fld)
    return index


_NAME_INDEX = _build_index()
_ALL_UNITS_SET = set(_ALL_UNITS)
