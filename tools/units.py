"""Unit conversion between physical quantities, standard coal and CO2, through the factors in tools/factors.py.

Carriers: electricity (base kWh), natural gas (m³), gasoline / diesel / coal (kg; litres via density), standard
coal (kgce) and CO2 (kgCO2). Fuel → kgce uses 当量值 coefficients; fuel → CO2 uses the emission factors.
kgce ↔ CO2 has no fixed ratio (it depends on the fuel) and is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.errors import LookupFailed
from tools.common import r
from tools.factors import Factor, Factors, load_factors

_CARRIER_NAMES = {"electricity": "电力", "natural_gas": "天然气", "gasoline": "汽油", "diesel": "柴油",
                  "coal": "原煤", "ce": "标准煤", "co2": "二氧化碳"}
_TO_KGCE = {"electricity": "electricity_kgce_per_kwh", "natural_gas": "natural_gas_kgce_per_m3",
            "gasoline": "gasoline_kgce_per_kg", "diesel": "diesel_kgce_per_kg", "coal": "coal_kgce_per_kg"}
_TO_CO2 = {"electricity": "grid_co2_kg_per_kwh", "natural_gas": "natural_gas_co2_kg_per_m3",
           "gasoline": "gasoline_co2_kg_per_kg", "diesel": "diesel_co2_kg_per_kg", "coal": "coal_co2_kg_per_kg"}
_BASE_UNIT = {"electricity": "kWh", "natural_gas": "m³", "gasoline": "kg", "diesel": "kg", "coal": "kg",
              "ce": "kgce", "co2": "kgCO2"}
_FUEL_WORDS = {"汽油": "gasoline", "gasoline": "gasoline", "柴油": "diesel", "diesel": "diesel",
               "原煤": "coal", "煤炭": "coal", "煤": "coal", "coal": "coal", "天然气": "natural_gas", "燃气": "natural_gas",
               "gas": "natural_gas"}
_PLAIN = {  # normalised unit -> (carrier, multiplier to the base unit)
    "kwh": ("electricity", 1.0), "度": ("electricity", 1.0), "千瓦时": ("electricity", 1.0),
    "万kwh": ("electricity", 1e4), "万千瓦时": ("electricity", 1e4), "万度": ("electricity", 1e4),
    "mwh": ("electricity", 1e3), "kgce": ("ce", 1.0), "千克标准煤": ("ce", 1.0), "公斤标准煤": ("ce", 1.0),
    "tce": ("ce", 1e3), "吨标准煤": ("ce", 1e3), "吨标煤": ("ce", 1e3), "万tce": ("ce", 1e7),
    "kgco2": ("co2", 1.0), "tco2": ("co2", 1e3), "吨二氧化碳": ("co2", 1e3), "千克二氧化碳": ("co2", 1.0),
}
_MASS_VOLUME = {"kg": 1.0, "千克": 1.0, "公斤": 1.0, "t": 1e3, "吨": 1e3, "l": None, "升": None,
                "m3": 1.0, "立方米": 1.0, "方": 1.0, "万m3": 1e4, "万立方米": 1e4}


@dataclass(frozen=True)
class ConversionResult:
    quantity: float
    unit: str
    to_unit: str
    value: float
    formula: str
    via: str  # "同一能源换算单位" | "折标准煤" | "排放因子" | …
    factors: tuple[Factor, ...]

    @property
    def inputs(self) -> tuple[dict, ...]:
        return ({"quantity": self.quantity, "unit": self.unit},)

    def to_dict(self) -> dict:
        return {"quantity": self.quantity, "unit": self.unit, "to_unit": self.to_unit, "value": r(self.value, 6),
                "formula": self.formula, "via": self.via, "inputs": list(self.inputs),
                "factors": [f.to_dict() for f in self.factors], "explanation": self.explain()}

    def explain(self) -> str:
        fs = "；".join(f"{f.text()}（{f.source}）" for f in self.factors) or "无（纯单位换算）"
        return (f"{self.quantity:g} {self.unit} = {self.value:,.6g} {self.to_unit}（{self.via}）。"
                f"计算：{self.formula}。所用系数：{fs}。")


def convert(quantity: float, unit: str, to_unit: str) -> ConversionResult:
    """在能源实物量、标准煤和二氧化碳之间换算，例如 万kWh→tce、L汽油→kgce、m³天然气→tCO2、tce→kWh。
    用户问“多少度电折多少吨标煤”“100升柴油排放多少二氧化碳”时使用；燃料单位要写明品种（如“L汽油”“kg柴油”）。

    Args:
        quantity: 数量，例如 84.08。
        unit: 原单位：kWh、万kWh、m³天然气、L汽油、kg汽油、L柴油、kg柴油、kg原煤、kgce、tce、kgCO2、tCO2。
        to_unit: 目标单位，写法同上。
    """
    return convert_with(quantity, unit, to_unit, load_factors())


def convert_with(quantity: float, unit: str, to_unit: str, factors: Factors) -> ConversionResult:
    """convert() with explicit factors (e.g. a DataStore's configured overrides)."""
    try:
        q = float(quantity)
    except (TypeError, ValueError):
        raise LookupFailed(f"数量应为数字，实际为“{quantity}”。") from None
    src, src_scale, src_f = _parse(unit, factors)
    dst, dst_scale, dst_f = _parse(to_unit, factors)
    base = q * src_scale
    used = list(src_f)
    steps = [f"{q:g} {unit}" + (f" = {base:,.6g} {_BASE_UNIT[src]}" if src_scale != 1 else "")]
    if src == dst:
        kg = base
        via = "同一能源的单位换算"
    elif {src, dst} == {"ce", "co2"}:
        raise LookupFailed("标准煤与二氧化碳之间没有固定换算系数（取决于能源品种），请从实物量（kWh、m³、L）换算。")
    elif dst in ("ce", "co2"):
        name = (_TO_KGCE if dst == "ce" else _TO_CO2)[src]
        used.append(factors[name])
        kg = base * factors.value(name)
        steps.append(f"× {factors.value(name):g} {factors[name].unit} = {kg:,.6g} {_BASE_UNIT[dst]}")
        via = "折标准煤（当量值）" if dst == "ce" else "乘以排放因子"
    elif src in ("ce", "co2"):
        name = (_TO_KGCE if src == "ce" else _TO_CO2)[dst]
        used.append(factors[name])
        kg = base / factors.value(name)
        steps.append(f"÷ {factors.value(name):g} {factors[name].unit} = {kg:,.6g} {_BASE_UNIT[dst]}")
        via = "按折标系数反算实物量" if src == "ce" else "按排放因子反算实物量"
    else:
        a, b = factors[_TO_KGCE[src]], factors[_TO_KGCE[dst]]
        used += [a, b]
        ce = base * a.value
        kg = ce / b.value
        steps.append(f"× {a.value:g} {a.unit} = {ce:,.6g} kgce ÷ {b.value:g} {b.unit} = {kg:,.6g} {_BASE_UNIT[dst]}")
        via = "按标准煤当量（热值）折算，不代表设备实际可替代量"
    value = kg / dst_scale
    used += [f for f in dst_f if f.name not in {u.name for u in used}]
    if dst_scale != 1:
        steps.append(f"÷ {dst_scale:g} = {value:,.6g} {to_unit}")
    return ConversionResult(q, str(unit), str(to_unit), value, " ".join(steps), via, tuple(used))


def _parse(unit: str, factors: Factors) -> tuple[str, float, tuple[Factor, ...]]:
    """unit text → (carrier, multiplier to the carrier's base unit, factors used for the multiplier)."""
    text = str(unit or "").strip().lower().replace(" ", "").replace("²", "2").replace("³", "3").replace("₂", "2")
    text = text.replace("co2", "co2").replace("（", "(").replace("）", ")").replace("(", "").replace(")", "")
    if text in _PLAIN:
        carrier, scale = _PLAIN[text]
        return carrier, scale, ()
    fuel = None
    for word, carrier in sorted(_FUEL_WORDS.items(), key=lambda kv: -len(kv[0])):
        if word in text:
            fuel, text = carrier, text.replace(word, "")
            break
    if text in ("m3", "立方米", "方", "万m3", "万立方米") and fuel in (None, "natural_gas"):
        return "natural_gas", _MASS_VOLUME[text], ()
    if fuel in ("gasoline", "diesel", "coal") and text in _MASS_VOLUME:
        scale = _MASS_VOLUME[text]
        if scale is None:  # litres
            if fuel == "coal":
                raise LookupFailed("原煤不能按升计量，请用 kg 或 t。")
            density = factors[f"{fuel}_density_kg_per_l"]
            return fuel, density.value, (density,)
        if text in ("m3", "立方米", "方", "万m3", "万立方米"):
            raise LookupFailed(f"{_CARRIER_NAMES[fuel]}请用 L、kg 或 t 计量。")
        return fuel, scale, ()
    if fuel is None and text in _MASS_VOLUME:
        raise LookupFailed(f"单位“{unit}”没有说明是哪种燃料，请写成“{unit}汽油”或“{unit}柴油”。")
    known = "kWh、万kWh、MWh、m³天然气、L汽油、kg汽油、t汽油、L柴油、kg柴油、kg原煤、kgce、tce、kgCO2、tCO2"
    raise LookupFailed(f"不认识单位“{unit}”，可用：{known}。")
