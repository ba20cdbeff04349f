"""The one vocabulary of metrics and energy sources: key, Chinese name, unit, synonyms, digits, raw column.

Every other module (tools, question understanding, drafting, the UI, the importers) looks metrics and sources up
here; none keeps a table of its own. Factors live in tools/factors.py and are named by `Source.factor`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    """An annual indicator the tools compute."""

    key: str  # "energy_per_area"
    name: str  # 单位建筑面积能耗
    unit: str  # "kgce/m²", as the tools report it
    field: str  # the indicators tool's JSON field, e.g. "energy_per_area_kgce_m2"
    digits: int  # decimals shown
    synonyms: tuple[str, ...] = ()  # how questions and files name it
    doc_unit: str = ""  # the unit as 公文 print it ("千克标准煤/平方米")
    doc_scale: float = 1.0  # tool unit → doc unit (kgce → 吨标准煤: 0.001)
    doc_name: str = ""  # the name as 公文 print it when it differs ("用水总量")
    quota: bool = False  # a 定额 indicator (约束值/引导值)
    budget_field: str | None = None  # the Budget attribute when a 用能预算 covers it

    @property
    def label(self) -> str:
        """"单位建筑面积能耗（kgce/m²）"."""
        return f"{self.name}（{self.unit}）"


@dataclass(frozen=True)
class Source:
    """A metered resource as stored: one column of a consumption row."""

    key: str  # "electricity"
    name: str  # 电力
    column: str  # ConsumptionRow field, e.g. "electricity_kwh"
    unit: str  # stored unit: "kWh"
    doc_unit: str  # 千瓦时
    reading: str  # how a reading is named: 用电量
    energy: bool = True  # counts in 综合能耗 (water does not)
    aliases: tuple[str, ...] = ()  # header spellings in files
    digits: int = 0  # decimals shown in documents


METRICS: tuple[Metric, ...] = (
    Metric("energy", "综合能耗", "kgce", "energy_kgce", 2,
           ("综合能耗", "能耗", "能源消费量", "能源消耗", "用能", "能耗总量", "能源消费总量", "能源消耗总量", "用气"),
           doc_unit="吨标准煤", doc_scale=0.001, budget_field="energy_budget_kgce"),
    Metric("energy_per_area", "单位建筑面积能耗", "kgce/m²", "energy_per_area_kgce_m2", 2,
           ("单位建筑面积能耗", "单位面积能耗", "面积能耗", "单位面积综合能耗", "每平方米能耗", "能耗强度", "面积单耗"),
           doc_unit="千克标准煤/平方米", quota=True),
    Metric("energy_per_capita", "人均综合能耗", "kgce/人", "energy_per_capita_kgce", 2,
           ("人均综合能耗", "人均能耗", "人均用能", "人均单耗", "人均能源消耗"), doc_unit="千克标准煤/人", quota=True),
    Metric("water", "用水量", "m³", "water_m3", 0,
           ("用水量", "用水", "水耗", "水", "用水总量", "水耗量", "耗水量", "耗水"), doc_unit="立方米", doc_name="用水总量",
           budget_field="water_budget_m3"),
    Metric("water_per_capita", "人均用水量", "m³/人", "water_per_capita_m3", 2,
           ("人均用水量", "人均水耗", "人均用水", "人均耗水", "人均耗水量"), doc_unit="立方米/人", quota=True),
    Metric("carbon", "碳排放", "tCO2", "carbon_t", 2,
           ("碳排放", "碳排放量", "二氧化碳排放", "排放", "碳排", "碳排放总量", "二氧化碳排放量"), doc_unit="吨", doc_name="二氧化碳排放量"),
    Metric("carbon_per_area", "单位建筑面积碳排放", "kgCO2/m²", "carbon_per_area_kg_m2", 2,
           ("单位建筑面积碳排放", "单位面积碳排放", "面积碳排放"), doc_unit="千克/平方米", quota=True),
    Metric("electricity", "用电量", "kWh", "electricity_kwh", 0,
           ("用电量", "电耗", "用电", "电量", "电力", "耗电量", "耗电", "费电", "用电情况"), doc_unit="千瓦时",
           budget_field="electricity_budget_kwh"),
)
METRIC_BY_KEY: dict[str, Metric] = {m.key: m for m in METRICS}

# An institution's size, which the intensities divide by: reported beside the metrics, not indicators themselves.
ATTRIBUTES: tuple[Metric, ...] = (
    Metric("floor_area", "建筑面积", "m²", "floor_area_m2", 0, doc_unit="平方米"),
    Metric("headcount", "用能人数", "人", "headcount", 0, doc_unit="人"),
)
ATTRIBUTE_BY_KEY: dict[str, Metric] = {m.key: m for m in ATTRIBUTES}

SOURCES: tuple[Source, ...] = (
    Source("electricity", "电力", "electricity_kwh", "kWh", "千瓦时", "用电量",
           aliases=("electricity_kwh", "electricity", "电力", "用电量", "电量")),
    Source("natural_gas", "天然气", "natural_gas_m3", "m³", "立方米", "天然气用量",
           aliases=("natural_gas_m3", "natural_gas", "天然气", "用气量")),
    Source("gasoline", "汽油", "gasoline_l", "L", "升", "汽油用量", aliases=("gasoline_l", "gasoline", "汽油")),
    Source("diesel", "柴油", "diesel_l", "L", "升", "柴油用量", aliases=("diesel_l", "diesel", "柴油")),
    Source("coal", "原煤", "coal_kg", "kg", "千克", "原煤用量", aliases=("coal_kg", "coal", "煤炭", "原煤")),
    Source("water", "水", "water_m3", "m³", "立方米", "用水量", energy=False,
           aliases=("water_m3", "water", "水", "用水量")),
)
SOURCE_BY_KEY: dict[str, Source] = {s.key: s for s in SOURCES}
SOURCE_BY_COLUMN: dict[str, Source] = {s.column: s for s in SOURCES}
ENERGY_SOURCES: tuple[Source, ...] = tuple(s for s in SOURCES if s.energy)


def metric(key: str) -> Metric:
    """The metric with this key (KeyError for a programmer's typo)."""
    return METRIC_BY_KEY[key]


def metric_synonyms() -> dict[str, str]:
    """Every name and synonym → metric key, for question understanding ("单位面积能耗" → "energy_per_area")."""
    table: dict[str, str] = {}
    for m in METRICS:
        for word in (m.name, *m.synonyms):
            table.setdefault(word, m.key)
    return table


def quota_indicator(name: str) -> Metric | None:
    """The quota metric a 定额 file's 指标 cell names ("单位建筑面积能耗", "人均水耗", "energy_per_area")."""
    text = str(name or "").strip()
    for m in METRICS:
        if m.quota and (text == m.key or text == m.name or text in m.synonyms):
            return m
    return None


def source_named(text: str) -> Source | None:
    """The metered source a key, column, name, reading or synonym names ("electricity", "用电", "用水量", "天然气"),
    also inside a longer phrase ("用电异常"); None when the text names none, or more than one ("电和水")."""
    word = str(text or "").strip().replace(" ", "").lower()
    if not word:
        return None
    names: dict[str, set[str]] = {}  # spelling -> source keys
    for s in SOURCES:
        spellings = {s.key, s.column, s.name, s.reading, *s.aliases}
        if s.key in METRIC_BY_KEY:  # 用电量 and 用水量 are metrics too: their synonyms (电耗, 水耗, 用电) name the source
            spellings |= {METRIC_BY_KEY[s.key].name, *METRIC_BY_KEY[s.key].synonyms}
        spellings |= {w[:-1] for w in spellings if w.endswith("量") and len(w) > 2}  # 用电量 → 用电, 用气量 → 用气
        for spelling in spellings:
            names.setdefault(spelling.lower(), set()).add(s.key)
    found = names.get(word) or {key for name, keys in names.items() if len(name) >= 2 and name in word for key in keys}
    return SOURCE_BY_KEY[found.pop()] if len(found) == 1 else None
