"""EMC / 能源费用托管 savings: saved energy against an (optionally adjusted) baseline, 综合节能率, cost saved,
simple payback and the split of the saved cost between the ESCO and the institution. Pure: no stored data.

Inputs are one year's figures; payback is therefore in years. Energy is counted in kgce (当量值) so that
electricity and gas add up; the saving rate is saved kgce ÷ adjusted baseline kgce.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.errors import LookupFailed
from tools.common import fmt, r
from tools.factors import Factor, load_factors


@dataclass(frozen=True)
class SavingsResult:
    baseline_kwh: float  # adjusted baseline
    actual_kwh: float
    baseline_gas_m3: float
    actual_gas_m3: float
    baseline_kgce: float
    actual_kgce: float
    cost_saved: float
    investment: float
    esco_share: float
    co2_saved_kg: float
    inputs: tuple[dict, ...]
    factors: tuple[Factor, ...]
    notes: tuple[str, ...] = ()

    @property
    def saved_kwh(self) -> float:
        return self.baseline_kwh - self.actual_kwh

    @property
    def saved_gas_m3(self) -> float:
        return self.baseline_gas_m3 - self.actual_gas_m3

    @property
    def saved_kgce(self) -> float:
        return self.baseline_kgce - self.actual_kgce

    @property
    def saving_rate(self) -> float | None:
        return self.saved_kgce / self.baseline_kgce * 100 if self.baseline_kgce else None

    @property
    def esco_part(self) -> float:
        return self.cost_saved * self.esco_share

    @property
    def institution_part(self) -> float:
        return self.cost_saved - self.esco_part

    @property
    def payback_years(self) -> float | None:
        return self.investment / self.cost_saved if self.investment > 0 and self.cost_saved > 0 else None

    @property
    def esco_payback_years(self) -> float | None:
        return self.investment / self.esco_part if self.investment > 0 and self.esco_part > 0 else None

    def to_dict(self) -> dict:
        return {
            "baseline_kwh": r(self.baseline_kwh), "actual_kwh": r(self.actual_kwh), "saved_kwh": r(self.saved_kwh),
            "baseline_gas_m3": r(self.baseline_gas_m3), "actual_gas_m3": r(self.actual_gas_m3),
            "saved_gas_m3": r(self.saved_gas_m3), "baseline_kgce": r(self.baseline_kgce),
            "actual_kgce": r(self.actual_kgce), "saved_kgce": r(self.saved_kgce),
            "saved_tce": r(self.saved_kgce / 1000, 6),
            "saving_rate_pct": r(self.saving_rate), "cost_saved": r(self.cost_saved, 2),
            "esco_share": self.esco_share, "esco_part": r(self.esco_part, 2),
            "institution_part": r(self.institution_part, 2),
            "investment": self.investment, "payback_years": r(self.payback_years),
            "esco_payback_years": r(self.esco_payback_years), "co2_saved_t": r(self.co2_saved_kg / 1000),
            "notes": list(self.notes), "inputs": list(self.inputs), "factors": [f.to_dict() for f in self.factors],
            "explanation": self.explain(),
        }

    def explain(self) -> str:
        f = {x.name: x.value for x in self.factors}
        text = (f"按调整后基准，节电 {fmt(self.saved_kwh)} kWh、节约天然气 {fmt(self.saved_gas_m3)} m³，合计节能 "
                f"{fmt(self.saved_kgce)} kgce（{self.saved_kgce / 1000:,.3f} tce）"
                f"= {fmt(self.saved_kwh)} × {f['electricity_kgce_per_kwh']:g} + {fmt(self.saved_gas_m3)} × "
                f"{f['natural_gas_kgce_per_m3']:g}；")
        if self.saving_rate is not None:
            text += (f"综合节能率 {self.saving_rate:.2f}%（= {fmt(self.saved_kgce)} ÷ 基准 {fmt(self.baseline_kgce)} kgce）；")
        text += f"节约费用 {fmt(self.cost_saved)} 元"
        if self.esco_share:
            text += (f"，其中节能服务公司分得 {fmt(self.esco_part)} 元（{self.esco_share * 100:g}%），"
                     f"用能单位得 {fmt(self.institution_part)} 元")
        text += "；"
        if self.payback_years is not None:
            text += f"静态投资回收期 {self.payback_years:.2f} 年（= 投资 {fmt(self.investment)} 元 ÷ 年节约费用）"
            if self.esco_payback_years is not None:
                text += f"，按服务公司分成计 {self.esco_payback_years:.2f} 年"
            text += "；"
        text += (f"减少二氧化碳约 {self.co2_saved_kg / 1000:,.2f} t。所用系数："
                 + "；".join(x.text() for x in self.factors) + "。")
        return text + "".join(self.notes)


def savings(
    baseline_kwh: float,
    actual_kwh: float,
    baseline_gas_m3: float = 0.0,
    actual_gas_m3: float = 0.0,
    electricity_price: float = 0.0,
    gas_price: float = 0.0,
    baseline_adjustment_kwh: float = 0.0,
    baseline_adjustment_gas_m3: float = 0.0,
    investment: float = 0.0,
    esco_share: float = 0.0,
) -> SavingsResult:
    """测算合同能源管理（EMC）或能源费用托管项目一年的节能量、综合节能率、节约费用、静态回收期和双方分成。
    用户问“托管/节能改造一年能省多少、节能率多少、几年回本、节能服务公司分多少”时使用；按一年数据计算。

    Args:
        baseline_kwh: 基准年用电量（kWh），即改造或托管前的能耗基准。
        actual_kwh: 当年实际用电量（kWh）。
        baseline_gas_m3: 基准年天然气用量（m³），没有填 0。
        actual_gas_m3: 当年实际天然气用量（m³），没有填 0。
        electricity_price: 电价（元/kWh），用于计算节约费用。
        gas_price: 气价（元/m³）。
        baseline_adjustment_kwh: 基准调整量（kWh），面积、人数或使用时间变化时对基准的增减，可为负数。
        baseline_adjustment_gas_m3: 天然气基准调整量（m³），可为负数。
        investment: 项目投资（元），用于计算静态投资回收期。
        esco_share: 节能服务公司分得节约费用的比例，0–1 之间的小数，例如 0.7 表示 70%。
    """
    values = {"baseline_kwh": baseline_kwh, "actual_kwh": actual_kwh, "baseline_gas_m3": baseline_gas_m3,
              "actual_gas_m3": actual_gas_m3, "electricity_price": electricity_price, "gas_price": gas_price,
              "investment": investment}
    nums: dict[str, float] = {}
    for name, value in {**values, "baseline_adjustment_kwh": baseline_adjustment_kwh,
                        "baseline_adjustment_gas_m3": baseline_adjustment_gas_m3, "esco_share": esco_share}.items():
        try:
            nums[name] = float(value)
        except (TypeError, ValueError):
            raise LookupFailed(f"参数 {name} 应为数字，实际为“{value}”。") from None
    for name in values:
        if nums[name] < 0:
            raise LookupFailed(f"参数 {name} 不能为负数（{nums[name]:g}）。")
    if not 0 <= nums["esco_share"] <= 1:
        raise LookupFailed(f"esco_share 应为0–1之间的小数（例如 0.7 表示 70%），实际为 {esco_share}。")
    base_kwh = nums["baseline_kwh"] + nums["baseline_adjustment_kwh"]
    base_gas = nums["baseline_gas_m3"] + nums["baseline_adjustment_gas_m3"]
    if base_kwh < 0 or base_gas < 0:
        raise LookupFailed("调整后的基准用量为负数，请检查基准调整量。")
    factors = load_factors()
    fe, fg = factors["electricity_kgce_per_kwh"], factors["natural_gas_kgce_per_m3"]
    ce, cg = factors["grid_co2_kg_per_kwh"], factors["natural_gas_co2_kg_per_m3"]
    saved_kwh, saved_gas = base_kwh - nums["actual_kwh"], base_gas - nums["actual_gas_m3"]
    notes = []
    if saved_kwh < 0 or saved_gas < 0:
        notes.append("注意：实际用量高于调整后基准，出现负节能量。")
    if nums["investment"] > 0 and not (nums["electricity_price"] or nums["gas_price"]):
        notes.append("注意：未给电价或气价，无法计算节约费用和回收期。")
    return SavingsResult(
        baseline_kwh=base_kwh, actual_kwh=nums["actual_kwh"], baseline_gas_m3=base_gas,
        actual_gas_m3=nums["actual_gas_m3"], baseline_kgce=base_kwh * fe.value + base_gas * fg.value,
        actual_kgce=nums["actual_kwh"] * fe.value + nums["actual_gas_m3"] * fg.value,
        cost_saved=saved_kwh * nums["electricity_price"] + saved_gas * nums["gas_price"],
        investment=nums["investment"], esco_share=nums["esco_share"],
        co2_saved_kg=saved_kwh * ce.value + saved_gas * cg.value, inputs=(nums,), factors=(fe, fg, ce, cg),
        notes=tuple(notes),
    )
