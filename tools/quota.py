"""能耗定额对标: compare a year's indicators with the imported quota table (约束值 / 引导值 by category), for one
institution (QuotaResult) or for every institution with data that year ("全部": QuotaOverview, breaches first).

Verdict rules (value rounded to 4 decimals first so that floating-point noise cannot flip a boundary):
value > 约束值 → 超过约束值; value ≤ 引导值 → 优于引导值 (reaching the guide counts); otherwise 达标
(so a value equal to 约束值 is 达标). Quotas are whatever the user imported; none are built in.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.records import metrics as vocab
from assistant.records.store import AnnualRecord, DataStore, Quota
from assistant.errors import LookupFailed
from tools.common import check_year, is_all, r
from tools.energy import IndicatorResult, _merge_factors, _metric_factors, compute_indicators
from tools.factors import Factor, Factors, factors_for

OVER, PASS, BETTER = "超过约束值", "达标", "优于引导值"
RULE = "判定规则：高于约束值为超过约束值，等于约束值仍算达标，不高于引导值为优于引导值。"


def verdict(value: float, constraint: float, guide: float) -> str:
    """The documented boundary rule: equal to 约束值 is 达标; equal to 引导值 is 优于引导值."""
    v = round(value, 4)
    if v > constraint:
        return OVER
    if v <= guide:
        return BETTER
    return PASS


@dataclass(frozen=True)
class QuotaItem:
    indicator: str  # metric key
    indicator_name: str
    value: float
    constraint: float
    guide: float
    unit: str
    verdict: str
    source: str

    @property
    def gap(self) -> float:
        """value − 约束值: positive = over the constraint by this much, negative = headroom."""
        return self.value - self.constraint

    @property
    def gap_to_guide(self) -> float:
        """value − 引导值: positive = still this far from the guide."""
        return self.value - self.guide

    def to_dict(self) -> dict:
        return {"indicator": self.indicator, "indicator_name": self.indicator_name, "value": r(self.value),
                "constraint": self.constraint, "guide": self.guide, "verdict": self.verdict, "gap": r(self.gap),
                "gap_pct": r(self.gap / self.constraint * 100), "gap_to_guide": r(self.gap_to_guide),
                "unit": self.unit, "source": self.source}

    def sentence(self) -> str:
        v = f"{self.indicator_name} {self.value:.2f} {self.unit}（约束值 {self.constraint:g}，引导值 {self.guide:g}）"
        if self.verdict == OVER:
            return f"{v}：超过约束值 {self.gap:.2f} {self.unit}（{self.gap / self.constraint * 100:.1f}%）"
        if self.verdict == BETTER:
            return f"{v}：达到或优于引导值（低于约束值 {-self.gap:.2f}）"
        return f"{v}：达标，距引导值还差 {self.gap_to_guide:.2f} {self.unit}"


@dataclass(frozen=True)
class QuotaResult:
    institution: str
    year: int
    category: str
    items: tuple[QuotaItem, ...]
    inputs: tuple[dict, ...]
    factors: tuple[Factor, ...]
    notes: tuple[str, ...] = ()

    @property
    def overall(self) -> str:
        verdicts = {i.verdict for i in self.items}
        return OVER if OVER in verdicts else PASS if PASS in verdicts else BETTER

    def to_dict(self) -> dict:
        return {"institution": self.institution, "year": self.year, "category": self.category,
                "overall": self.overall, "items": [i.to_dict() for i in self.items], "notes": list(self.notes),
                "inputs": list(self.inputs), "factors": [f.to_dict() for f in self.factors],
                "explanation": self.explain()}

    def explain(self) -> str:
        lines = "；".join(i.sentence() for i in self.items)
        inp = self.inputs[0]
        return (f"{self.institution}（{self.category}）{self.year}年对照能耗定额：{lines}。"
                f"{RULE}"
                f"数据：综合能耗 {inp['energy_kgce']:,.2f} kgce，建筑面积 {inp['floor_area_m2']:,.0f} m²，"
                f"用能人数 {inp['headcount']:,.0f} 人，用水量 {inp['water_m3']:,.2f} m³；定额来自 "
                f"{'、'.join(dict.fromkeys(i.source for i in self.items))}。"
                + (f"所用系数：{'；'.join(f.text() for f in self.factors)}。" if self.factors else "")
                + "".join(self.notes))


@dataclass(frozen=True)
class QuotaOverview:
    """Every institution with data in `year` and a quota for its category, checked as check_quota checks one."""

    year: int
    results: tuple[QuotaResult, ...]  # by institution name
    inputs: tuple[dict, ...]
    factors: tuple[Factor, ...]
    notes: tuple[str, ...] = ()
    category: str | None = None  # only units of this type were checked

    @property
    def breaches(self) -> tuple[tuple[QuotaResult, QuotaItem], ...]:
        """Every item over its 约束值, the largest relative excess first."""
        over = [(res, item) for res in self.results for item in res.items if item.verdict == OVER]
        return tuple(sorted(over, key=lambda pair: (-pair[1].gap / pair[1].constraint, pair[0].institution)))

    @property
    def over(self) -> tuple[str, ...]:
        """Institutions with at least one item over its 约束值, worst first."""
        return tuple(dict.fromkeys(res.institution for res, _ in self.breaches))

    @property
    def counts(self) -> dict[str, int]:
        """Institutions by overall verdict (the worst of their items)."""
        return {v: sum(res.overall == v for res in self.results) for v in (OVER, PASS, BETTER)}

    def to_dict(self) -> dict:
        breaches = [{"institution": res.institution, "indicator": item.indicator, "name": item.indicator_name,
                     "value": r(item.value), "unit": item.unit, "constraint": item.constraint, "guide": item.guide,
                     "verdict": item.verdict, "gap": r(item.gap), "gap_pct": r(item.gap / item.constraint * 100)}
                    for res, item in self.breaches]
        items = [{"institution": res.institution, "category": res.category, "overall": res.overall,
                  "items": [i.to_dict() for i in res.items]} for res in self.results]
        return {"institution": "全部", "year": self.year, "checked": len(self.results), "breaches": breaches,
                "over": list(self.over), "counts": self.counts, "items": items, "notes": list(self.notes),
                "inputs": list(self.inputs), "factors": [f.to_dict() for f in self.factors],
                "explanation": self.explain()}

    def explain(self) -> str:
        head = f"{self.year}年共核对 {len(self.results)} 家{self.category + '类' if self.category else ''}单位"
        if self.over:
            by_unit: dict[str, list[str]] = {}
            for res, item in self.breaches:
                by_unit.setdefault(res.institution, []).append(
                    f"{item.indicator_name} {_shown(item.value, item.constraint)} {item.unit}，约束值 {item.constraint:g}")
            listed = "；".join(f"{name}（{'；'.join(parts)}）" for name, parts in by_unit.items())
            head += f"，超过约束值的有 {len(self.over)} 家：{listed}。"
        else:
            head += "，没有单位超过约束值。"
        c = self.counts
        tally = f"按各单位最差一项计：超过约束值 {c[OVER]} 家，达标 {c[PASS]} 家，优于引导值 {c[BETTER]} 家。"
        factors = f"所用系数：{'；'.join(f.text() for f in self.factors)}。" if self.factors else ""
        return head + tally + RULE + factors + "".join(self.notes)


def check_quota(store: DataStore, institution: str, year: int,
                category: str | None = None) -> QuotaResult | QuotaOverview:
    """把某单位（或全部单位）某年的单位面积能耗、人均能耗、人均用水量与能耗定额（约束值、引导值）对比，给出是否超定额及差距。
    用户问“是否超定额”“离引导值还差多少”时使用；定额按单位类型取自已导入的定额表。
    单位填“全部”表示所有单位：逐家核对，先列出超过约束值的单位，用于“哪些单位超定额了”。

    Args:
        institution: 单位名称或简称，例如“市第二中学”“二中”；“全部”表示所有有当年数据的单位逐家核对。
        year: 年份，例如 2024。
        category: 只核对这一类单位（单位填“全部”时），例如“医院”“学校”“党政机关”；不填为所有类型。
    """
    year = check_year(year)
    if is_all(institution):
        return _overview(store, year, category)
    record = store.annual(institution, year)
    if not record.category:
        raise LookupFailed(f"“{record.institution}”没有单位类型，无法对应定额；请在能耗数据中填写“单位类型”后重新导入。")
    quotas: list[Quota] = store.quotas(record.category)
    if not quotas:
        have = sorted({q.category for q in store.quotas()})
        raise LookupFailed(f"还没有“{record.category}”类的能耗定额，请先导入定额表"
                           + (f"（已有：{'、'.join(have)}）。" if have else "。"))
    return _check(record, quotas, factors_for(store))


def _check(record: AnnualRecord, quotas: list[Quota], factors: Factors) -> QuotaResult:
    ind: IndicatorResult = compute_indicators(record, factors)
    items = tuple(
        QuotaItem(q.indicator, vocab.metric(q.indicator).name, ind.metric(q.indicator), q.constraint, q.guide,
                  q.unit, verdict(ind.metric(q.indicator), q.constraint, q.guide), q.source)
        for q in quotas
    )
    used: dict[str, Factor] = {}
    for q in quotas:
        for f in _metric_factors(q.indicator, ind):
            used.setdefault(f.name, f)
    summary = {"year": record.year, "energy_kgce": r(ind.energy_kgce), "floor_area_m2": r(ind.floor_area_m2),
               "headcount": r(ind.headcount), "water_m3": r(ind.water_m3), "carbon_t": r(ind.carbon_t),
               "last_period": ind.last_period, "months": len(ind.months) or 12}
    return QuotaResult(record.institution, record.year, record.category, items, (summary,), tuple(used.values()),
                       ind.notes)


def _overview(store: DataStore, year: int, category: str | None = None) -> QuotaOverview:
    infos = [i for i in store.institutions(category or None) if year in i.years]
    if not infos:
        kind = f"“{category}”类" if category else "任何"
        raise LookupFailed(f"{year}年没有{kind}单位的数据，可用年份：{'、'.join(map(str, store.years())) or '无'}。")
    by_category: dict[str, list[Quota]] = {}
    for q in store.quotas():  # ordered by category, indicator: the order check_quota uses for one unit
        by_category.setdefault(q.category, []).append(q)
    if not by_category:
        raise LookupFailed("还没有导入能耗定额，请先导入定额表（单位类型、指标、约束值、引导值）。")
    factors = factors_for(store)
    results: list[QuotaResult] = []
    skipped: dict[str, list[str]] = {}  # reason -> institutions
    for info in infos:
        if not info.category:
            skipped.setdefault("没有单位类型", []).append(info.name)
        elif info.category not in by_category:
            skipped.setdefault(f"没有“{info.category}”类定额", []).append(info.name)
        else:
            results.append(_check(store.annual(info.name, year), by_category[info.category], factors))
    notes = [f"未核对（{reason}）：{'、'.join(names)}。" for reason, names in skipped.items()]
    if not results:
        raise LookupFailed(f"{year}年没有能对照定额的单位。" + "".join(notes))
    partial = [res.institution for res in results if res.inputs[0]["months"] < 12]
    if partial:
        notes.insert(0, f"注意：{'、'.join(partial)} {year}年数据不满12个月，指标偏低。")
    inputs = tuple({"institution": res.institution, "category": res.category, **res.inputs[0]} for res in results)
    return QuotaOverview(year, tuple(results), inputs, _merge_factors(*(res.factors for res in results)),
                         tuple(notes), category or None)


def _shown(value: float, constraint: float) -> str:
    """Two decimals, or four when two would print the constraint itself (12.004 must not read as "12.00")."""
    text = f"{value:.2f}"
    return f"{value:.4f}" if float(text) == constraint else text
