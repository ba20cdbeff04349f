"""碳排放 by source with a selectable grid factor set (national / 华东 / Zhejiang, by year).

Electricity uses the chosen grid factor; fuels use the accounting-guide defaults (tools/factors.py). Scope is the
organisation's metered energy (direct fuel + purchased electricity); heat, refrigerants and travel are not covered.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.records.store import DataStore
from tools.common import check_year, fmt, is_all, r
from tools.energy import aggregate_indicators, compute_indicators, used_factors
from tools.factors import Factor, factors_for, grid_factor


@dataclass(frozen=True)
class CarbonLine:
    source: str
    name: str
    quantity: float
    unit: str
    co2_kg: float
    formula: str

    def to_dict(self) -> dict:
        return {"source": self.source, "name": self.name, "quantity": r(self.quantity), "unit": self.unit,
                "co2_kg": r(self.co2_kg), "co2_t": r(self.co2_kg / 1000, 6), "formula": self.formula}


@dataclass(frozen=True)
class CarbonResult:
    institution: str
    year: int
    factor_set: str
    floor_area_m2: float
    lines: tuple[CarbonLine, ...]
    inputs: tuple[dict, ...]
    factors: tuple[Factor, ...]
    notes: tuple[str, ...] = ()

    @property
    def total_t(self) -> float:
        return sum(line.co2_kg for line in self.lines) / 1000

    @property
    def per_area_kg_m2(self) -> float:
        return self.total_t * 1000 / self.floor_area_m2

    def to_dict(self) -> dict:
        return {"institution": self.institution, "year": self.year, "factor_set": self.factor_set,
                "carbon_t": r(self.total_t), "carbon_per_area_kg_m2": r(self.per_area_kg_m2),
                "floor_area_m2": r(self.floor_area_m2), "by_source": [line.to_dict() for line in self.lines],
                "notes": list(self.notes), "inputs": list(self.inputs),
                "factors": [f.to_dict() for f in self.factors], "explanation": self.explain()}

    def explain(self) -> str:
        parts = "；".join(f"{line.name} {line.formula} = {fmt(line.co2_kg)} kgCO2" for line in self.lines)
        return (f"{self.institution}{self.year}年碳排放 {self.total_t:,.2f} tCO2，单位建筑面积碳排放 "
                f"{self.per_area_kg_m2:.2f} kgCO2/m²（÷ {fmt(self.floor_area_m2)} m²）。按能源品种：{parts}。"
                f"所用系数：{'；'.join(f'{f.text()}（{f.source}）' for f in self.factors)}。"
                "范围：外购电力和直接燃烧的燃料，不含外购热力、制冷剂等。" + "".join(self.notes))


def carbon(store: DataStore, institution: str, year: int, factor_set: str | None = None) -> CarbonResult:
    """计算某单位某年的二氧化碳排放量（分电力、天然气、汽油、柴油），可选电网排放因子版本。
    用户问“碳排放多少”“用华东/浙江/2023年因子算是多少”时使用。

    Args:
        institution: 单位名称或简称；“全部”表示所有单位合计。
        year: 年份，例如 2024。
        factor_set: 电网排放因子集：national_2021、national_2022、national_2023、east_china_2022、east_china_2023、zhejiang_2021、zhejiang_2022；不填用配置的默认值（全国2022年 0.5366 kgCO2/kWh）。
    """
    year = check_year(year)
    factors = factors_for(store)
    label = "configured"
    notes: tuple[str, ...] = ()
    if factor_set:
        grid = grid_factor(factor_set)
        label = str(factor_set)
        factors = factors.with_grid(grid)
        if "二手来源" in grid.source:
            notes = ("注意：所选电网因子来自二手来源，未见官方原文，正式报告请改用官方因子。",)
    if is_all(institution):
        ind = aggregate_indicators(store, year, factors)
    else:
        ind = compute_indicators(store.annual(institution, year), factors)
    lines = []
    for s in ind.by_source:
        names = [f for f in used_factors((s,), factors) if "co2" in f.name or "density" in f.name]
        formula = f"{fmt(s.quantity)} {s.unit} × " + " × ".join(f"{f.value:g} {f.unit}" for f in names)
        lines.append(CarbonLine(s.source, s.name, s.quantity, s.unit, s.co2_kg, formula))
    used = tuple(f for f in ind.factors if "kgce" not in f.name)
    summary = {"year": year, "floor_area_m2": r(ind.floor_area_m2), **{s.source: r(s.quantity) for s in ind.by_source}}
    return CarbonResult(ind.institution, year, label, ind.floor_area_m2, tuple(lines), (summary,), used,
                        notes + ind.notes)
