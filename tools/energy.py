"""Annual indicators (综合能耗, per area, per capita, water, carbon) and compare / rank / trend over them.

Energy is 综合能耗 on the 当量值 basis (GB/T 2589): Σ quantity × coefficient; water is reported but never counted.
Monthly rows sum to the year; floor area and headcount are the last period's. The whole set ("全部") is
area-weighted: Σ energy ÷ Σ area (and Σ energy ÷ Σ headcount), never a mean of ratios.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.records import metrics as vocab
from assistant.records.store import AnnualRecord, DataStore
from assistant.errors import LookupFailed
from tools.common import check_year, fmt, is_all, pct, r
from tools.factors import FYP14_SOURCE, FYP14_TARGETS, Factor, Factors, factors_for

# Views of the one vocabulary (assistant/records/metrics.py): metric key -> (Chinese name, unit);
# energy source key -> (Chinese name, AnnualRecord field, unit).
METRICS: dict[str, tuple[str, str]] = {m.key: (m.name, m.unit) for m in vocab.METRICS}
SOURCES: dict[str, tuple[str, str, str]] = {s.key: (s.name, s.column, s.unit) for s in vocab.ENERGY_SOURCES}


def resolve_metric(metric: str) -> str:
    """Metric key from a key or a Chinese name/synonym ("单位面积能耗" → "energy_per_area"); LookupFailed otherwise."""
    text = str(metric or "").strip().replace(" ", "")
    if text.lower() in METRICS:
        return text.lower()
    synonyms = vocab.metric_synonyms()
    if text in synonyms:
        return synonyms[text]
    for name, key in sorted(synonyms.items(), key=lambda kv: -len(kv[0])):
        if len(name) >= 3 and name in text:
            return key
    known = "、".join(f"{k}（{v[0]}，{v[1]}）" for k, v in METRICS.items())
    raise LookupFailed(f"不认识指标“{metric}”，可用：{known}。", list(METRICS))


@dataclass(frozen=True)
class SourceLine:
    """One energy source's part of the year: quantity, kgce and CO2, with the formula used."""

    source: str
    name: str
    quantity: float
    unit: str
    kgce: float
    co2_kg: float
    formula: str

    def to_dict(self) -> dict:
        return {"source": self.source, "name": self.name, "quantity": r(self.quantity), "unit": self.unit,
                "kgce": r(self.kgce), "co2_kg": r(self.co2_kg), "formula": self.formula}


def source_lines(record: AnnualRecord, factors: Factors) -> tuple[SourceLine, ...]:
    """kgce and CO2 of each source present; litres of fuel go through density to kg first."""
    f = factors.value
    lines = []
    for key, (name, attr, unit) in SOURCES.items():
        q = float(getattr(record, attr))
        if not q:
            continue
        if key == "electricity":
            kgce, co2 = q * f("electricity_kgce_per_kwh"), q * f("grid_co2_kg_per_kwh")
            formula = f"{fmt(q)} kWh × {f('electricity_kgce_per_kwh'):g} kgce/kWh"
        elif key == "natural_gas":
            kgce, co2 = q * f("natural_gas_kgce_per_m3"), q * f("natural_gas_co2_kg_per_m3")
            formula = f"{fmt(q)} m³ × {f('natural_gas_kgce_per_m3'):g} kgce/m³"
        elif key in ("gasoline", "diesel"):
            density = f(f"{key}_density_kg_per_l")
            kg = q * density
            kgce, co2 = kg * f(f"{key}_kgce_per_kg"), kg * f(f"{key}_co2_kg_per_kg")
            formula = f"{fmt(q)} L × {density:g} kg/L × {f(f'{key}_kgce_per_kg'):g} kgce/kg"
        else:
            kgce, co2 = q * f("coal_kgce_per_kg"), q * f("coal_co2_kg_per_kg")
            formula = f"{fmt(q)} kg × {f('coal_kgce_per_kg'):g} kgce/kg"
        lines.append(SourceLine(key, name, q, unit, kgce, co2, formula))
    return tuple(lines)


def used_factors(lines: tuple[SourceLine, ...], factors: Factors) -> tuple[Factor, ...]:
    names: list[str] = []
    for line in lines:
        if line.source == "electricity":
            names += ["electricity_kgce_per_kwh", "grid_co2_kg_per_kwh"]
        elif line.source in ("gasoline", "diesel"):
            names += [f"{line.source}_density_kg_per_l", f"{line.source}_kgce_per_kg", f"{line.source}_co2_kg_per_kg"]
        elif line.source == "natural_gas":
            names += ["natural_gas_kgce_per_m3", "natural_gas_co2_kg_per_m3"]
        else:
            names += ["coal_kgce_per_kg", "coal_co2_kg_per_kg"]
    return factors.pick(*names)


@dataclass(frozen=True)
class IndicatorResult:
    """A year's indicators for one institution or for the whole set."""

    institution: str
    year: int
    category: str | None
    floor_area_m2: float
    headcount: float
    energy_kgce: float
    water_m3: float
    carbon_kg: float
    electricity_kwh: float
    by_source: tuple[SourceLine, ...]
    months: tuple[int, ...]
    last_period: str
    inputs: tuple[dict, ...]
    factors: tuple[Factor, ...]
    notes: tuple[str, ...] = ()
    members: int = 1  # institutions summed (1 for one institution)

    @property
    def energy_per_area_kgce_m2(self) -> float:
        return self.energy_kgce / self.floor_area_m2

    @property
    def energy_per_capita_kgce(self) -> float:
        return self.energy_kgce / self.headcount

    @property
    def water_per_capita_m3(self) -> float:
        return self.water_m3 / self.headcount

    @property
    def carbon_t(self) -> float:
        return self.carbon_kg / 1000

    @property
    def carbon_per_area_kg_m2(self) -> float:
        return self.carbon_kg / self.floor_area_m2

    def metric(self, key: str) -> float:
        return {
            "energy": self.energy_kgce, "energy_per_area": self.energy_per_area_kgce_m2,
            "energy_per_capita": self.energy_per_capita_kgce, "water": self.water_m3,
            "water_per_capita": self.water_per_capita_m3, "carbon": self.carbon_t,
            "carbon_per_area": self.carbon_per_area_kg_m2, "electricity": self.electricity_kwh,
        }[key]

    @property
    def period_label(self) -> str:
        if not self.months:
            return f"{self.year}年"
        if len(self.months) == 12:
            return f"{self.year}年（1–12月）"
        return f"{self.year}年（仅{len(self.months)}个月：{'、'.join(str(m) for m in self.months)}月）"

    def formula(self) -> str:
        parts = " + ".join(line.formula for line in self.by_source) or "0"
        return (f"综合能耗 = {parts} = {fmt(self.energy_kgce)} kgce；单位建筑面积能耗 = {fmt(self.energy_kgce)} ÷ "
                f"{fmt(self.floor_area_m2)} m²；人均综合能耗 = {fmt(self.energy_kgce)} ÷ {fmt(self.headcount, 0)} 人")

    def to_dict(self) -> dict:
        return {
            "institution": self.institution,
            "year": self.year,
            "category": self.category,
            "energy_kgce": r(self.energy_kgce),
            "energy_tce": r(self.energy_kgce / 1000, 6),
            "energy_per_area_kgce_m2": r(self.energy_per_area_kgce_m2),
            "energy_per_capita_kgce": r(self.energy_per_capita_kgce),
            "water_m3": r(self.water_m3),
            "water_per_capita_m3": r(self.water_per_capita_m3),
            "carbon_t": r(self.carbon_t),
            "carbon_per_area_kg_m2": r(self.carbon_per_area_kg_m2),
            "electricity_kwh": r(self.electricity_kwh),
            "floor_area_m2": r(self.floor_area_m2),
            "headcount": r(self.headcount),
            "by_source": [line.to_dict() for line in self.by_source],
            "months": list(self.months),
            "complete": not self.months or len(self.months) == 12,
            "last_period": self.last_period,
            "members": self.members,
            "formula": self.formula(),
            "notes": list(self.notes),
            "inputs": list(self.inputs),
            "factors": [f.to_dict() for f in self.factors],
            "explanation": self.explain(),
        }

    def explain(self) -> str:
        area_src = f"建筑面积和用能人数取{self.last_period}期" if self.last_period else "建筑面积和用能人数为各单位合计"
        text = (
            f"{self.institution}{self.period_label}综合能耗 {fmt(self.energy_kgce)} kgce（{self.energy_kgce / 1000:,.3f} tce，"
            f"当量值），单位建筑面积能耗 {self.energy_per_area_kgce_m2:.2f} kgce/m²，人均综合能耗 "
            f"{self.energy_per_capita_kgce:.1f} kgce/人；用水量 {fmt(self.water_m3)} m³，人均用水量 "
            f"{self.water_per_capita_m3:.2f} m³/人（水不计入综合能耗）；碳排放 {self.carbon_t:,.2f} tCO2，"
            f"单位建筑面积碳排放 {self.carbon_per_area_kg_m2:.2f} kgCO2/m²。"
            f"计算：{self.formula()}（{area_src}：{fmt(self.floor_area_m2)} m²，{fmt(self.headcount, 0)} 人）。"
            f"所用系数：{'；'.join(f.text() for f in self.factors)}。"
        )
        return text + "".join(self.notes)


def compute_indicators(record: AnnualRecord, factors: Factors, inputs: tuple[dict, ...] | None = None,
                       notes: tuple[str, ...] = (), members: int = 1) -> IndicatorResult:
    """Indicators of one AnnualRecord (also usable on a hand-built record, e.g. with coal)."""
    lines = source_lines(record, factors)
    if inputs is None:
        inputs = tuple(row.to_dict() for row in record.rows)
    if record.months and len(record.months) < 12:
        notes = (f"注意：{record.year}年只有{len(record.months)}个月的数据，不是全年。", *notes)
    return IndicatorResult(
        institution=record.institution, year=record.year, category=record.category,
        floor_area_m2=record.floor_area_m2, headcount=record.headcount,
        energy_kgce=sum(line.kgce for line in lines), water_m3=record.water_m3,
        carbon_kg=sum(line.co2_kg for line in lines), electricity_kwh=record.electricity_kwh,
        by_source=lines, months=record.months, last_period=record.last_period, inputs=inputs,
        factors=used_factors(lines, factors), notes=notes, members=members,
    )


def aggregate_indicators(store: DataStore, year: int, factors: Factors, category: str | None = None) -> IndicatorResult:
    """Whole set (optionally one category): Σ of each institution's year, area-weighted ratios."""
    infos = [i for i in store.institutions(category) if year in i.years]
    if not infos:
        years = store.years()
        raise LookupFailed(f"{year}年没有任何单位的数据，可用年份：{'、'.join(map(str, years)) or '无'}。")
    records = [store.annual(i.name, year) for i in infos]
    fields = ("floor_area_m2", "headcount", "electricity_kwh", "natural_gas_m3", "gasoline_l", "diesel_l",
              "water_m3", "coal_kg")
    sums = {f: sum(getattr(rec, f) for rec in records) for f in fields}
    label = f"全部{category or ''}单位（{len(records)}家）"
    total = AnnualRecord(institution=label, year=year, category=category, **sums)
    inputs = tuple(
        {"institution": rec.institution, "year": year, "months": len(rec.months) or 12,
         **{f: r(getattr(rec, f)) for f in fields}}
        for rec in records
    )
    partial = [rec.institution for rec in records if not rec.complete]
    notes = (f"注意：{'、'.join(partial)} {year}年数据不满12个月。",) if partial else ()
    return compute_indicators(total, factors, inputs=inputs, notes=notes, members=len(records))


def indicators(store: DataStore, institution: str, year: int, category: str | None = None) -> IndicatorResult:
    """查询某单位某年的能耗指标：综合能耗（kgce，当量值）、单位建筑面积能耗、人均综合能耗、用水量、人均用水量、碳排放。
    用户问“某单位某年能耗多少、单位面积能耗、人均能耗、用水、碳排放”时使用；单位名称可用简称，填“全部”得全部单位合计。

    Args:
        institution: 单位名称或简称，例如“市行政中心”“行政中心”；“全部”表示所有单位合计（按面积加权）。
        year: 年份，四位数字，例如 2024。
        category: 单位类型（党政机关、学校、医院、文化场馆、其他），只在 institution 为“全部”时使用：该类全部单位合计。
    """
    return _indicators_for(store, institution, check_year(year), factors_for(store), _category(category))


def _category(category: str | None) -> str | None:
    """A unit type argument checked: None for none or all ("全部"), a clear error for one that does not exist."""
    from assistant.records.store import CATEGORIES

    if category is None or str(category).strip() in ("", "全部", "all"):
        return None
    if category not in CATEGORIES:
        raise LookupFailed(f"单位类型“{category}”不存在，可用：{'、'.join(CATEGORIES)}。", list(CATEGORIES))
    return category


def _indicators_for(store: DataStore, institution: str, year: int, factors: Factors,
                    category: str | None = None) -> IndicatorResult:
    if is_all(institution):
        return aggregate_indicators(store, year, factors, category)
    return compute_indicators(store.annual(institution, year), factors)


@dataclass(frozen=True)
class ComparisonResult:
    """One metric in two years: change and change %."""

    institution: str
    metric: str
    year: int
    base_year: int
    value: float
    base_value: float
    inputs: tuple[dict, ...]
    factors: tuple[Factor, ...]
    notes: tuple[str, ...] = ()

    @property
    def metric_name(self) -> str:
        return METRICS[self.metric][0]

    @property
    def unit(self) -> str:
        return METRICS[self.metric][1]

    @property
    def change(self) -> float:
        return self.value - self.base_value

    @property
    def change_pct(self) -> float | None:
        return None if self.base_value == 0 else self.change / self.base_value * 100

    def to_dict(self) -> dict:
        return {
            "institution": self.institution, "metric": self.metric, "metric_name": self.metric_name,
            "unit": self.unit, "year": self.year, "base_year": self.base_year, "value": r(self.value),
            "base_value": r(self.base_value), "change": r(self.change), "change_pct": r(self.change_pct),
            "formula": self.formula(), "notes": list(self.notes), "inputs": list(self.inputs),
            "factors": [f.to_dict() for f in self.factors], "explanation": self.explain(),
        }

    def formula(self) -> str:
        return (f"变化率 = ({_v(self.value)} − {_v(self.base_value)}) ÷ {_v(self.base_value)} × 100% = "
                f"{pct(self.change_pct)}")

    def explain(self) -> str:
        direction = "上升" if self.change > 0 else "下降" if self.change < 0 else "持平"
        amount = f"{direction} {_v(abs(self.change))} {self.unit}（{pct(self.change_pct)}）" if self.change else "持平"
        factor_text = "；".join(f.text() for f in self.factors)
        return (f"{self.institution}{self.year}年{self.metric_name}为 {_v(self.value)} {self.unit}，"
                f"{self.base_year}年为 {_v(self.base_value)} {self.unit}，{amount}。计算：{self.formula()}。"
                + (f"所用系数：{factor_text}。" if factor_text else "") + "".join(self.notes))


def _v(value: float) -> str:
    return fmt(value, 2) if abs(value) >= 100 else f"{value:.2f}" if abs(value) >= 1 else f"{value:.4f}"


def _summary(ind: IndicatorResult) -> dict:
    return {"year": ind.year, "energy_kgce": r(ind.energy_kgce), "floor_area_m2": r(ind.floor_area_m2),
            "headcount": r(ind.headcount), "water_m3": r(ind.water_m3), "carbon_t": r(ind.carbon_t),
            "electricity_kwh": r(ind.electricity_kwh), "months": len(ind.months) or 12, "members": ind.members}


def _merge_factors(*groups: tuple[Factor, ...]) -> tuple[Factor, ...]:
    seen: dict[str, Factor] = {}
    for group in groups:
        for f in group:
            seen.setdefault(f.name, f)
    return tuple(seen.values())


def _metric_factors(key: str, ind: IndicatorResult) -> tuple[Factor, ...]:
    if key in ("water", "water_per_capita", "electricity"):
        return ()
    if key in ("energy", "energy_per_area", "energy_per_capita"):
        return tuple(f for f in ind.factors if "co2" not in f.name)
    return tuple(f for f in ind.factors if "kgce" not in f.name)


def compare(store: DataStore, institution: str, metric: str, year: int,
            base_year: int | None = None, category: str | None = None) -> ComparisonResult:
    """比较某单位（或全部单位）某项指标在两个年份之间的变化量和变化率。
    用户问“比去年降了多少”“比2020年（十四五基期）下降多少”时使用；全部单位按面积加权（Σ能耗÷Σ面积）。

    Args:
        institution: 单位名称或简称；“全部”表示所有单位合计。
        metric: 指标，例如 energy_per_area（单位建筑面积能耗）、energy_per_capita（人均综合能耗）、water_per_capita（人均用水量）、carbon_per_area（单位建筑面积碳排放）、energy、water、carbon、electricity，也可用中文名。
        year: 要看的年份，例如 2025。
        base_year: 对比的基准年份；不填为上一年；与十四五基期比较填 2020。
        category: 单位类型（党政机关、学校、医院、文化场馆、其他），只在 institution 为“全部”时使用：该类全部单位合计。
    """
    key = resolve_metric(metric)
    year = check_year(year)
    base_year = year - 1 if base_year is None else check_year(base_year)
    factors = factors_for(store)
    category = _category(category) if is_all(institution) else None
    now = _indicators_for(store, institution, year, factors, category)
    base = _indicators_for(store, institution, base_year, factors, category)
    notes = list(dict.fromkeys(now.notes + base.notes))
    if now.members != base.members:
        notes.append(f"注意：两年参与合计的单位数不同（{year}年{now.members}家，{base_year}年{base.members}家）。")
    return ComparisonResult(
        institution=now.institution if not is_all(institution) else f"全部{category or ''}单位",
        metric=key, year=year, base_year=base_year, value=now.metric(key), base_value=base.metric(key),
        inputs=(_summary(now), _summary(base)),
        factors=_merge_factors(_metric_factors(key, now), _metric_factors(key, base)), notes=tuple(notes),
    )


@dataclass(frozen=True)
class RankRow:
    rank: int
    institution: str
    category: str | None
    value: float
    unit: str

    def to_dict(self) -> dict:
        return {"rank": self.rank, "institution": self.institution, "category": self.category,
                "value": r(self.value), "unit": self.unit}


@dataclass(frozen=True)
class RankResult:
    metric: str
    year: int
    category: str | None
    rows: tuple[RankRow, ...]
    total: int  # institutions ranked before cutting to `top`
    inputs: tuple[dict, ...]
    factors: tuple[Factor, ...]
    notes: tuple[str, ...] = ()
    lowest_first: bool = False

    def to_dict(self) -> dict:
        name, unit = METRICS[self.metric]
        return {"metric": self.metric, "metric_name": name, "unit": unit, "year": self.year,
                "category": self.category, "total": self.total, "lowest_first": self.lowest_first,
                "rows": [row.to_dict() for row in self.rows],
                "notes": list(self.notes), "inputs": list(self.inputs),
                "factors": [f.to_dict() for f in self.factors], "explanation": self.explain()}

    def explain(self) -> str:
        name, unit = METRICS[self.metric]
        scope = f"{self.category}类" if self.category else "全部"
        listed = "；".join(f"{row.rank}. {row.institution} {_v(row.value)}" for row in self.rows)
        order = "从低到高" if self.lowest_first else "从高到低"
        n = len(self.rows)
        if n == self.total:
            shown = f"全部{n}家"
        elif self.lowest_first:
            shown = f"最低的{n}家"
        else:
            shown = "第1名" if n == 1 else f"前{n}名"
        return (f"{self.year}年{scope}{self.total}家单位按{name}（{unit}）{order}排名，{shown}：{listed}。"
                f"各单位数值按全年合计计算，面积与人数取当年最后一期。"
                + (f"所用系数：{'；'.join(f.text() for f in self.factors)}。" if self.factors else "")
                + "".join(self.notes))


def rank(store: DataStore, metric: str, year: int, category: str | None = None, top: int = 10,
         lowest_first: bool = False) -> RankResult:
    """按某项指标给各单位排名（默认从高到低），可限定单位类型。
    用户问“哪些单位能耗最高”“学校里人均能耗排名”时使用；问“最低”“最省”“倒数”时 lowest_first 填 true。

    Args:
        metric: 指标，例如 energy_per_area、energy_per_capita、water_per_capita、energy、carbon、electricity，也可用中文名。
        year: 年份，例如 2024。
        category: 单位类型，可选：党政机关、学校、医院、文化场馆、其他；不填为全部单位。
        top: 返回前几名，默认 10；填 0 返回全部。
        lowest_first: 是否从低到高排（找数值最低的几家），默认 false。
    """
    key = resolve_metric(metric)
    year = check_year(year)
    category = _category(category)
    factors = factors_for(store)
    results = [compute_indicators(store.annual(i.name, year), factors)
               for i in store.institutions(category) if year in i.years]
    if not results:
        raise LookupFailed(f"{year}年没有{category or ''}单位的数据。")
    results.sort(key=lambda ind: (ind.metric(key) if lowest_first else -ind.metric(key), ind.institution))
    unit = METRICS[key][1]
    top = int(top)
    chosen = results if top <= 0 else results[:top]
    rows = tuple(RankRow(i, ind.institution, ind.category, ind.metric(key), unit) for i, ind in enumerate(chosen, 1))
    partial = [ind.institution for ind in results if ind.months and len(ind.months) < 12]
    notes = (f"注意：{'、'.join(partial)}数据不满12个月，全年数值偏低。",) if partial else ()
    used = _merge_factors(*(_metric_factors(key, ind) for ind in chosen))
    return RankResult(key, year, category, rows, len(results), tuple(_summary(ind) | {"institution": ind.institution}
                                                                    for ind in chosen), used, notes, bool(lowest_first))


@dataclass(frozen=True)
class TrendPoint:
    year: int
    value: float | None
    change_vs_base_pct: float | None

    def to_dict(self) -> dict:
        return {"year": self.year, "value": r(self.value), "change_vs_base_pct": r(self.change_vs_base_pct)}


@dataclass(frozen=True)
class TrendResult:
    institution: str
    metric: str
    from_year: int
    to_year: int
    points: tuple[TrendPoint, ...]
    base_year: int | None  # 2020 when available, else the first year with data
    base_value: float | None
    target_pct: float | None  # 十四五 target reduction in %, for the per-area / per-capita metrics
    target_value: float | None
    inputs: tuple[dict, ...]
    factors: tuple[Factor, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def period_change_pct(self) -> float | None:
        """Change from the first to the last year with data in the period asked, in %."""
        values = [p for p in self.points if p.value is not None]
        if len(values) < 2 or not values[0].value:
            return None
        return (values[-1].value - values[0].value) / values[0].value * 100

    def to_dict(self) -> dict:
        name, unit = METRICS[self.metric]
        return {"institution": self.institution, "metric": self.metric, "metric_name": name, "unit": unit,
                "from_year": self.from_year, "to_year": self.to_year, "period_change_pct": r(self.period_change_pct),
                "points": [p.to_dict() for p in self.points], "base_year": self.base_year,
                "base_value": r(self.base_value), "target_pct": self.target_pct, "target_value": r(self.target_value),
                "target_source": FYP14_SOURCE if self.target_pct is not None else None,
                "notes": list(self.notes), "inputs": list(self.inputs),
                "factors": [f.to_dict() for f in self.factors], "explanation": self.explain()}

    def explain(self) -> str:
        name, unit = METRICS[self.metric]
        series = "，".join(f"{p.year}年 {_v(p.value)}" for p in self.points if p.value is not None)
        text = f"{self.institution}{self.from_year}–{self.to_year}年{name}（{unit}）：{series}。"
        last = next((p for p in reversed(self.points) if p.value is not None), None)
        first = next((p for p in self.points if p.value is not None), None)
        change = self.period_change_pct
        if change is not None and first.year != self.base_year:
            # "近五年" is 2021–2025: the change over the years asked, before the change against the 2020 base
            text += (f"{first.year}–{last.year}年变化 {pct(change)}"
                     f"（=({_v(last.value)} − {_v(first.value)}) ÷ {_v(first.value)}）。")
        if self.base_value is not None and last is not None and last.change_vs_base_pct is not None:
            text += (f"{last.year}年较{self.base_year}年变化 {pct(last.change_vs_base_pct)}"
                     f"（=({_v(last.value)} − {_v(self.base_value)}) ÷ {_v(self.base_value)}）。")
        if self.target_value is not None:
            met = last is not None and last.value is not None and last.value <= self.target_value
            text += (f"十四五目标：较2020年下降{self.target_pct:g}%，即不高于 {self.base_value:.2f} × (1 − "
                     f"{self.target_pct:g}%) = {self.target_value:.2f} {unit}；{last.year}年"
                     f"{'已达到' if met else '尚未达到'}目标线。")
        if self.factors:
            text += f"所用系数：{'；'.join(f.text() for f in self.factors)}。"
        return text + "".join(self.notes)


def trend(store: DataStore, institution: str, metric: str, from_year: int, to_year: int,
          category: str | None = None) -> TrendResult:
    """给出某单位（或全部单位）某项指标的逐年序列，用于画趋势图和看十四五目标进度。
    单位面积能耗、人均能耗、人均用水量、单位面积碳排放会附上十四五目标线（2020年基数 × (1 − 目标降幅)）。

    Args:
        institution: 单位名称或简称；“全部”表示所有单位合计（按面积加权）。
        metric: 指标，例如 energy_per_area、energy_per_capita、water_per_capita、carbon_per_area，也可用中文名。
        from_year: 起始年份，例如 2020。
        to_year: 截止年份，例如 2025。
        category: 单位类型（党政机关、学校、医院、文化场馆、其他），只在 institution 为“全部”时使用：该类全部单位合计。
    """
    key = resolve_metric(metric)
    from_year, to_year = check_year(from_year), check_year(to_year)
    category = _category(category) if is_all(institution) else None
    if from_year > to_year:
        from_year, to_year = to_year, from_year
    factors = factors_for(store)
    if not is_all(institution):
        institution = store.resolve(institution)
        available = set(store.years(institution))
    else:
        available = set(store.years())
    results: dict[int, IndicatorResult] = {}
    for y in range(from_year, to_year + 1):
        if y in available:
            results[y] = _indicators_for(store, institution, y, factors, category)
    if not results:
        have = "、".join(map(str, sorted(available))) or "无"
        raise LookupFailed(f"{institution}在{from_year}–{to_year}年没有数据，可用年份：{have}。")
    base_year = 2020 if 2020 in available else min(results)
    base = results.get(base_year) or _indicators_for(store, institution, base_year, factors, category)
    base_value = base.metric(key)
    points = tuple(
        TrendPoint(y, results[y].metric(key) if y in results else None,
                   (results[y].metric(key) - base_value) / base_value * 100 if y in results and base_value else None)
        for y in range(from_year, to_year + 1)
    )
    target_pct = FYP14_TARGETS.get(key) if base_year == 2020 else None
    target_value = base_value * (1 - target_pct / 100) if target_pct is not None else None
    notes = [n for ind in results.values() for n in ind.notes]
    missing = [str(p.year) for p in points if p.value is None]
    if missing:
        notes.append(f"注意：{'、'.join(missing)}年没有数据。")
    if base_year != 2020:
        notes.append(f"注意：没有2020年数据，变化率以{base_year}年为基数，未给出十四五目标线。")
    name = next(iter(results.values())).institution if not is_all(institution) else f"全部{category or ''}单位"
    all_factors = _merge_factors(*(_metric_factors(key, ind) for ind in results.values()))
    return TrendResult(name, key, from_year, to_year, points, base_year, base_value, target_pct, target_value,
                       tuple(_summary(ind) for ind in results.values()), all_factors, tuple(dict.fromkeys(notes)))
