"""用能预算执行: used so far against the imported budget, a year-end forecast, and warnings at 80% and 100%.

Forecast = used through month M ÷ (share of last year's consumption that fell in months 1..M), i.e. this year
follows last year's monthly profile. Without 12 months of last year, it falls back to used × 12 ÷ M and says so.
Warnings: execution rate ≥ 80% → 预警; ≥ 100% → 超支; forecast ≥ 100% → 预计超支.
"全部" gives a BudgetOverview: every institution with a budget and data that year, tightest (highest 综合能耗
execution rate) first.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.records import metrics as vocab
from assistant.records.store import AnnualRecord, Budget, ConsumptionRow, DataStore
from assistant.errors import LookupFailed
from tools.common import check_year, fmt, is_all, r
from tools.energy import _merge_factors, compute_indicators
from tools.factors import Factor, Factors, factors_for

WARN_RATE, OVER_RATE = 80.0, 100.0
# budget metric -> (Chinese name, unit, Budget attribute): the metrics a 用能预算 covers
BUDGET_METRICS = {m.key: (m.name, m.unit, m.budget_field) for m in vocab.METRICS if m.budget_field}
TOP_SHOWN = 10  # units the whole-city explanation names one by one; to_dict carries them all


@dataclass(frozen=True)
class BudgetItem:
    metric: str
    name: str
    unit: str
    budget: float
    used: float
    forecast: float
    profile_share: float | None  # share of last year's total in months 1..M; None when extrapolated linearly
    method: str
    warnings: tuple[str, ...]

    @property
    def execution_rate(self) -> float:
        return self.used / self.budget * 100

    @property
    def forecast_rate(self) -> float:
        return self.forecast / self.budget * 100

    def to_dict(self) -> dict:
        return {"metric": self.metric, "name": self.name, "unit": self.unit, "budget": r(self.budget),
                "used": r(self.used), "execution_rate": r(self.execution_rate), "forecast": r(self.forecast),
                "forecast_rate": r(self.forecast_rate), "profile_share": r(self.profile_share, 6),
                "method": self.method, "warnings": list(self.warnings)}

    def sentence(self, through_month: int) -> str:
        text = (f"{self.name}预算 {fmt(self.budget)} {self.unit}，1–{through_month}月已用 {fmt(self.used)} {self.unit}，"
                f"执行率 {self.execution_rate:.2f}%；")
        if self.profile_share is not None:
            text += (f"按去年同期占全年 {self.profile_share * 100:.1f}% 推算，全年预计 {fmt(self.forecast)} {self.unit}"
                     f"（= {fmt(self.used)} ÷ {self.profile_share:.4f}），为预算的 {self.forecast_rate:.1f}%")
        else:
            text += (f"按月均线性外推，全年预计 {fmt(self.forecast)} {self.unit}（= {fmt(self.used)} × 12 ÷ {through_month}），"
                     f"为预算的 {self.forecast_rate:.1f}%")
        return text


@dataclass(frozen=True)
class BudgetResult:
    institution: str
    year: int
    through_month: int
    items: tuple[BudgetItem, ...]
    inputs: tuple[dict, ...]
    factors: tuple[Factor, ...]
    notes: tuple[str, ...] = ()

    @property
    def main(self) -> BudgetItem:
        return self.items[0]

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(w for item in self.items for w in item.warnings)

    def to_dict(self) -> dict:
        m = self.main
        return {"institution": self.institution, "year": self.year, "through_month": self.through_month,
                "metric": m.metric, "unit": m.unit, "budget": r(m.budget), "used": r(m.used),
                "execution_rate": r(m.execution_rate), "forecast": r(m.forecast), "forecast_rate": r(m.forecast_rate),
                "warnings": list(self.warnings), "items": [i.to_dict() for i in self.items],
                "notes": list(self.notes), "inputs": list(self.inputs), "factors": [f.to_dict() for f in self.factors],
                "explanation": self.explain()}

    def explain(self) -> str:
        body = "；".join(i.sentence(self.through_month) for i in self.items)
        warn = ("预警：" + "；".join(self.warnings) + "。") if self.warnings else "未触发预警（执行率80%预警、100%超支）。"
        factors = f"所用系数：{'；'.join(f.text() for f in self.factors)}。" if self.factors else ""
        head = f"{self.institution}{self.year}年用能预算执行情况（截至{self.through_month}月）"
        return f"{head}：{body}。{warn}{factors}" + "".join(self.notes)


def level(rate: float) -> str:
    """超预算 at ≥ 100%, 预警 at ≥ 80%, else 正常 (the single-unit warnings' thresholds)."""
    return "超预算" if rate >= OVER_RATE else "预警" if rate >= WARN_RATE else "正常"


@dataclass(frozen=True)
class BudgetOverview:
    """Every institution with a budget and data in `year`, tightest first (综合能耗 execution rate, highest first)."""

    year: int
    through_month: int | None  # as asked; None = each unit through its own last month
    results: tuple[BudgetResult, ...]  # tightest first; units without an energy budget last
    inputs: tuple[dict, ...]
    factors: tuple[Factor, ...]
    notes: tuple[str, ...] = ()

    @property
    def over(self) -> tuple[str, ...]:
        """Institutions whose energy execution rate is ≥ 100%."""
        return tuple(res.institution for res in self.results
                     if _energy(res) and level(_energy(res).execution_rate) == "超预算")

    @property
    def warned(self) -> tuple[str, ...]:
        """Institutions at 80% ≤ energy execution rate < 100%."""
        return tuple(res.institution for res in self.results
                     if _energy(res) and level(_energy(res).execution_rate) == "预警")

    def to_dict(self) -> dict:
        rows = []
        for rank, res in enumerate(self.results, 1):
            e = _energy(res)
            rows.append({"rank": rank, "institution": res.institution, "through_month": res.through_month,
                         "rate": r(e.execution_rate) if e else None, "used": r(e.used) if e else None,
                         "budget": r(e.budget) if e else None, "unit": e.unit if e else None,
                         "level": level(e.execution_rate) if e else None,
                         "forecast": r(e.forecast) if e else None, "forecast_rate": r(e.forecast_rate) if e else None,
                         "items": [{"metric": i.metric, "name": i.name, "unit": i.unit, "budget": r(i.budget),
                                    "used": r(i.used), "execution_rate": r(i.execution_rate),
                                    "level": level(i.execution_rate)} for i in res.items]})
        return {"institution": "全部", "year": self.year, "through_month": self.through_month, "metric": "energy",
                "checked": len(self.results), "rows": rows, "over": list(self.over), "warned": list(self.warned),
                "notes": list(self.notes), "inputs": list(self.inputs),
                "factors": [f.to_dict() for f in self.factors], "explanation": self.explain()}

    def explain(self) -> str:
        when = f"1–{self.through_month}月" if self.through_month else "截至各单位最新月份"
        ranked = [res for res in self.results if _energy(res)]
        shown = ranked[:TOP_SHOWN]
        listed = "；".join(f"{i}. {res.institution} {_energy(res).execution_rate:.2f}%"
                          f"（已用 {fmt(_energy(res).used)} / 预算 {fmt(_energy(res).budget)} kgce，"
                          f"{level(_energy(res).execution_rate)}）" for i, res in enumerate(shown, 1))
        text = f"{self.year}年共 {len(self.results)} 家单位有用能预算和能耗数据"
        text += f"，{when}综合能耗预算执行率从高到低（最紧张的在前）：{listed}。" if ranked else "。"
        if len(ranked) > len(shown):
            low, high = _energy(ranked[-1]).execution_rate, _energy(ranked[len(shown)]).execution_rate
            text += f"其余 {len(ranked) - len(shown)} 家执行率在 {low:.2f}%–{high:.2f}% 之间。"
        rates = {res.institution: _energy(res).execution_rate for res in ranked}
        text += (f"已超预算（执行率≥100%）的共 {len(self.over)} 家：{'、'.join(f'{n} {rates[n]:.2f}%' for n in self.over)}。"
                 if self.over else "没有单位超出综合能耗预算。")
        if self.warned:  # at ten months most units pass 80%: name them only when few
            names = f"：{'、'.join(self.warned)}" if len(self.warned) <= TOP_SHOWN else ""
            text += f"达到80%预警线（未超预算）的共 {len(self.warned)} 家{names}。"
        other = [f"{res.institution}{i.name} {i.execution_rate:.2f}%" for res in self.results for i in res.items
                 if i.metric != "energy" and i.execution_rate >= OVER_RATE]
        if other:
            text += f"电力或用水预算已超出：{'；'.join(other)}。"
        unranked = [f"{res.institution}（{'，'.join(f'{i.name} {i.execution_rate:.2f}%' for i in res.items)}）"
                    for res in self.results if not _energy(res)]
        if unranked:
            text += f"没有综合能耗预算、只列电力或用水执行率：{'；'.join(unranked)}。"
        text += "执行率 = 已用量 ÷ 全年预算 × 100%，综合能耗按当量值折算。"
        factors = f"所用系数：{'；'.join(f.text() for f in self.factors)}。" if self.factors else ""
        return text + factors + "".join(self.notes)


def budget_status(store: DataStore, institution: str, year: int,
                  through_month: int | None = None) -> BudgetResult | BudgetOverview:
    """查询某单位（或全部单位）某年用能预算的执行情况：预算、已用量、执行率、按去年月度规律预测的全年用量，以及80%、100%预警。
    用户问“今年用能预算用了多少”“会不会超预算”时使用。
    单位填“全部”表示所有有预算的单位：按综合能耗预算执行率从高到低排列，用于“哪个单位预算最紧张”“哪些单位超预算”。

    Args:
        institution: 单位名称或简称；“全部”表示所有当年有预算和能耗数据的单位，执行率最高（最紧张）的在前。
        year: 预算年份，例如 2025。
        through_month: 统计到几月（1–12）；不填则到该年已有数据的最后一个月（“全部”时各单位各自到最后一个月）。
    """
    year = check_year(year)
    if through_month is not None and not 1 <= int(through_month) <= 12:
        raise LookupFailed(f"through_month 应为1–12之间的月份，实际为 {through_month}。")
    if is_all(institution):
        return _overview(store, year, through_month)
    return _status(store, store.resolve(institution), year, through_month)


def _status(store: DataStore, name: str, year: int, through_month: int | None) -> BudgetResult:
    budget: Budget | None = store.budget(name, year)
    if budget is None:
        raise LookupFailed(f"“{name}”没有{year}年的用能预算，请先导入该年的用能预算表。")
    rows = store.rows(name, year)
    if not rows:
        raise LookupFailed(f"“{name}”还没有{year}年的能耗数据，无法计算预算执行率。")
    notes: list[str] = []
    if any(row.month is None for row in rows):
        through, used_rows = 12, rows
        notes.append(f"注意：{year}年是全年汇总数据，没有分月数据，按全年计算。")
    else:
        last = max(row.month for row in rows)
        if through_month is None:
            through = last
        else:
            through = int(through_month)
            if through > last:
                raise LookupFailed(f"“{name}”{year}年只有到{last}月的数据，不能统计到{through}月。")
        used_rows = [row for row in rows if row.month <= through]
        missing = sorted(set(range(1, through + 1)) - {row.month for row in used_rows})
        if missing:
            notes.append(f"注意：1–{through}月中缺少{'、'.join(map(str, missing))}月数据，已用量偏低。")
    factors = factors_for(store)
    prev = [row for row in store.rows(name, year - 1) if row.month is not None]
    prev_complete = len({row.month for row in prev}) == 12
    if not prev_complete:
        notes.append(f"注意：{year - 1}年没有完整的12个月数据，全年预测改用月均线性外推。")
    items = []
    used_factor_list: list[Factor] = []
    for metric, (label, unit, attr) in BUDGET_METRICS.items():
        amount = getattr(budget, attr)
        if amount is None:
            continue
        used, fs = _amount(metric, used_rows, name, year, factors)
        used_factor_list += [f for f in fs if f.name not in {u.name for u in used_factor_list}]
        share = None
        if prev_complete and through < 12:
            prev_total, _ = _amount(metric, prev, name, year - 1, factors)
            prev_part, _ = _amount(metric, [p for p in prev if p.month <= through], name, year - 1, factors)
            share = prev_part / prev_total if prev_total else None
        if through == 12:
            forecast, method = used, "全年已结束，预测值即实际值"
            share = 1.0
        elif share:
            forecast, method = used / share, f"按{year - 1}年月度规律：已用量 ÷ 去年1–{through}月占全年比例"
        else:
            forecast, method = used * 12 / through, "月均线性外推：已用量 × 12 ÷ 已过月数"
            share = None
        items.append(BudgetItem(metric, label, unit, amount, used, forecast, share, method,
                                _warnings(label, unit, amount, used, forecast, through)))
    inputs = tuple({"period": row.period, "electricity_kwh": row.electricity_kwh, "natural_gas_m3": row.natural_gas_m3,
                    "gasoline_l": row.gasoline_l, "diesel_l": row.diesel_l, "coal_kg": row.coal_kg,
                    "water_m3": row.water_m3, "source": row.source} for row in used_rows)
    budget_input = {"budget_source": budget.source, "energy_budget_kgce": budget.energy_budget_kgce,
                    "electricity_budget_kwh": budget.electricity_budget_kwh, "water_budget_m3": budget.water_budget_m3}
    return BudgetResult(name, year, through, tuple(items), (budget_input, *inputs), tuple(used_factor_list),
                        tuple(notes))


def _overview(store: DataStore, year: int, through_month: int | None) -> BudgetOverview:
    infos = [i for i in store.institutions() if year in i.years]
    if not infos:
        raise LookupFailed(f"{year}年没有任何单位的数据，可用年份：{'、'.join(map(str, store.years())) or '无'}。")
    results: list[BudgetResult] = []
    no_budget: list[str] = []
    failed: list[str] = []
    for info in infos:
        if store.budget(info.name, year) is None:
            no_budget.append(info.name)
            continue
        try:
            results.append(_status(store, info.name, year, through_month))
        except LookupFailed as error:  # e.g. data only through an earlier month than asked
            failed.append(str(error))
    notes = []
    if not results:
        raise LookupFailed(f"{year}年没有单位同时有用能预算和能耗数据，请先导入预算表。" + "".join(failed))
    months = sorted({res.through_month for res in results})
    if through_month is None and len(months) > 1:
        notes.append(f"注意：各单位数据截至月份不同（{'、'.join(f'{m}月' for m in months)}），执行率按各自最新月份计算。")
    notes += [f"未统计：{message}" for message in failed]
    if no_budget:
        notes.append(f"没有{year}年用能预算的单位：{'、'.join(no_budget)}。")
    results.sort(key=lambda res: (_energy(res) is None, -(_energy(res).execution_rate if _energy(res) else 0),
                                  res.institution))
    inputs = tuple({"institution": res.institution, "through_month": res.through_month, **res.inputs[0],
                    **{f"used_{i.metric}": r(i.used) for i in res.items}} for res in results)
    return BudgetOverview(year, int(through_month) if through_month is not None else
                          (months[0] if len(months) == 1 else None), tuple(results), inputs,
                          _merge_factors(*(res.factors for res in results)), tuple(notes))


def _energy(result: BudgetResult) -> BudgetItem | None:
    return next((i for i in result.items if i.metric == "energy"), None)


def _amount(metric: str, rows: list[ConsumptionRow], name: str, year: int, factors: Factors) -> tuple[float, tuple]:
    if metric == "electricity":
        return sum(row.electricity_kwh for row in rows), ()
    if metric == "water":
        return sum(row.water_m3 for row in rows), ()
    if not rows:
        return 0.0, ()
    fields = ("electricity_kwh", "natural_gas_m3", "gasoline_l", "diesel_l", "coal_kg", "water_m3")
    record = AnnualRecord(institution=name, year=year, floor_area_m2=rows[-1].floor_area_m2,
                          headcount=rows[-1].headcount, **{f: sum(getattr(row, f) for row in rows) for f in fields})
    ind = compute_indicators(record, factors, inputs=())
    return ind.energy_kgce, tuple(f for f in ind.factors if "co2" not in f.name)


def _warnings(label: str, unit: str, budget: float, used: float, forecast: float, through: int) -> tuple[str, ...]:
    rate, frate = used / budget * 100, forecast / budget * 100
    out = []
    if rate >= OVER_RATE:
        out.append(f"{label}已超出预算：已用 {rate:.1f}%，超出 {fmt(used - budget)} {unit}")
    elif rate >= WARN_RATE:
        out.append(f"{label}已用预算的 {rate:.1f}%，达到80%预警线")
    if through < 12 and frate >= OVER_RATE:
        out.append(f"{label}预计全年用量为预算的 {frate:.1f}%，将超支约 {fmt(forecast - budget)} {unit}")
    return tuple(out)
