"""Every coefficient the tools use, with its source (shared/FACTS.md), versioned by year and scope.

Defaults follow DESIGN.md; GREENLEAF_FACTORS (Settings.factors) overrides any default by name. Grid CO2 factors are
kept as named sets (national / 华东 regional / Zhejiang provincial, by year) for tools.carbon. Nothing is fetched.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping

from assistant.errors import ConfigError, LookupFailed

_GB2589 = "GB/T 2589《综合能耗计算通则》附录A参考系数（2008版表，2020版沿用）"
_DENSITY = "《公共机构综合能耗计算举例》（777doc）所用密度；实际可在0.73–0.74（汽油）、0.84–0.86（柴油）之间"
_FUEL_CO2 = "发改委核算指南缺省值：CO₂=低位热值×单位热值含碳量×碳氧化率×44/12（FACTS.md §2.2 复算一致）"


@dataclass(frozen=True)
class Factor:
    """One coefficient: `value` in `unit`, with where it comes from."""

    name: str
    value: float
    unit: str
    source: str
    label: str = ""  # Chinese name, e.g. "电力折标系数（当量值）"

    def to_dict(self) -> dict:
        return {"name": self.name, "label": self.label, "value": self.value, "unit": self.unit, "source": self.source}

    def text(self) -> str:
        return f"{self.label} {self.value:g} {self.unit}"


DEFAULTS: dict[str, Factor] = {
    f.name: f
    for f in (
        Factor("electricity_kgce_per_kwh", 0.1229, "kgce/kWh", _GB2589 + "，电力当量值", "电力折标系数（当量值）"),
        Factor("natural_gas_kgce_per_m3", 1.2143, "kgce/m³", _GB2589 + "，气田天然气；另有油田天然气1.3300",
               "天然气折标系数"),
        Factor("gasoline_kgce_per_kg", 1.4714, "kgce/kg", _GB2589, "汽油折标系数"),
        Factor("diesel_kgce_per_kg", 1.4571, "kgce/kg", _GB2589, "柴油折标系数"),
        Factor("coal_kgce_per_kg", 0.7143, "kgce/kg", _GB2589 + "，原煤", "原煤折标系数"),
        Factor("gasoline_density_kg_per_l", 0.725, "kg/L", _DENSITY, "汽油密度"),
        Factor("diesel_density_kg_per_l", 0.83, "kg/L", _DENSITY, "柴油密度"),
        Factor("grid_co2_kg_per_kwh", 0.5366, "kgCO2/kWh",
               "生态环境部、国家统计局发布的2022年全国电力平均二氧化碳排放因子（2024-12公布）", "电网排放因子"),
        Factor("natural_gas_co2_kg_per_m3", 2.1622, "kgCO2/m³", _FUEL_CO2, "天然气排放因子"),
        Factor("gasoline_co2_kg_per_kg", 2.9251, "kgCO2/kg", _FUEL_CO2, "汽油排放因子"),
        Factor("diesel_co2_kg_per_kg", 3.0959, "kgCO2/kg", _FUEL_CO2, "柴油排放因子"),
        Factor("coal_co2_kg_per_kg", 1.9003, "kgCO2/kg", _FUEL_CO2 + "，原煤", "原煤排放因子"),
        Factor("electricity_kgce_per_kwh_equivalent", 0.30, "kgce/kWh",
               "等价值示例：江苏DB32/T 4001-2021曾用0.30（修订稿删除）；按当年火电煤耗计，默认不使用",
               "电力折标系数（等价值，参考）"),
    )
}

# Grid CO2 factor sets, selectable in tools.carbon: key -> (value kgCO2/kWh, scope label, source, secondary?)
GRID_FACTOR_SETS: dict[str, tuple[float, str, str, bool]] = {
    "national_2021": (0.5568, "全国平均 2021年", "生态环境部、国家统计局公告2024年第12号", False),
    "national_2022": (0.5366, "全国平均 2022年", "生态环境部、国家统计局2022年电力排放因子（2024-12公布）", False),
    "national_2023": (0.5306, "全国平均 2023年", "2023年电力排放因子（2026-01公布，据新浪财经、中国电力报报道）", False),
    "east_china_2021": (0.5992, "华东区域 2021年", "GitHub数据文件（二手来源，未见官方原文）", True),
    "east_china_2022": (0.5617, "华东区域 2022年", "生态环境部、国家统计局2022年区域电力排放因子", False),
    "east_china_2023": (0.5500, "华东区域 2023年", "2023年区域电力排放因子（据中国电力报报道）", False),
    "zhejiang_2021": (0.5422, "浙江省 2021年", "GitHub数据文件（二手来源，未见官方原文，仅供参考）", True),
    "zhejiang_2022": (0.5153, "浙江省 2022年", "GitHub数据文件（二手来源，未见官方原文，仅供参考）", True),
}
_SET_ALIASES = {
    "全国": "national", "national": "national", "华东": "east_china", "east_china": "east_china",
    "eastchina": "east_china", "浙江": "zhejiang", "zhejiang": "zhejiang",
}

# 十四五 (2021–2025) targets against the 2020 baseline, 《"十四五"公共机构节约能源资源工作规划》
FYP14_TARGETS: dict[str, float] = {
    "energy_per_area": 5.0,
    "energy_per_capita": 6.0,
    "water_per_capita": 6.0,
    "carbon_per_area": 7.0,
}
FYP14_SOURCE = "国管局、国家发展改革委《“十四五”公共机构节约能源资源工作规划》（2021-06），以2020年为基数"


@dataclass(frozen=True)
class Factors:
    """The coefficients in force: defaults with configured overrides applied."""

    table: Mapping[str, Factor]

    def __getitem__(self, name: str) -> Factor:
        return self.table[name]

    def value(self, name: str) -> float:
        return self.table[name].value

    def pick(self, *names: str) -> tuple[Factor, ...]:
        return tuple(self.table[n] for n in names)

    def with_grid(self, factor: Factor) -> "Factors":
        return Factors({**self.table, "grid_co2_kg_per_kwh": factor})


def load_factors(overrides: Mapping[str, float] | None = None) -> Factors:
    """Defaults, with GREENLEAF_FACTORS overrides; an unknown or non-positive override is a ConfigError."""
    table = dict(DEFAULTS)
    for name, value in (overrides or {}).items():
        if name not in table:
            known = "、".join(sorted(table))
            raise ConfigError(f"GREENLEAF_FACTORS 中的系数名“{name}”不认识，可用：{known}。")
        if not value > 0:
            raise ConfigError(f"GREENLEAF_FACTORS 中 {name} 应为正数，实际为 {value}。")
        old = table[name]
        table[name] = replace(old, value=float(value),
                              source=f"配置 GREENLEAF_FACTORS 覆盖（默认 {old.value:g}，{old.source}）")
    return Factors(table)


def factors_for(store: object) -> Factors:
    """The factors configured for a DataStore (its settings.factors overrides)."""
    settings = getattr(store, "settings", None)
    return load_factors(getattr(settings, "factors", None))


def grid_factor(factor_set: str) -> Factor:
    """Resolve a grid factor set name ("national_2023", "华东2022", "浙江 2022") to a Factor; LookupFailed if unknown."""
    key = resolve_factor_set(factor_set)
    value, scope, source, secondary = GRID_FACTOR_SETS[key]
    return Factor("grid_co2_kg_per_kwh", value, "kgCO2/kWh", source, f"电网排放因子（{scope}）")


def resolve_factor_set(factor_set: str) -> str:
    text = str(factor_set or "").strip().lower().replace(" ", "").replace("-", "_").replace("年", "")
    if text in GRID_FACTOR_SETS:
        return text
    for alias, scope in _SET_ALIASES.items():
        if text.startswith(alias):
            year = text[len(alias):].lstrip("_")
            key = f"{scope}_{year}"
            if key in GRID_FACTOR_SETS:
                return key
    known = "、".join(f"{k}（{v[1]}）" for k, v in GRID_FACTOR_SETS.items())
    raise LookupFailed(f"没有排放因子集“{factor_set}”，可用：{known}。", list(GRID_FACTOR_SETS))
