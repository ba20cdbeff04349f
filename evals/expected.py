"""Expected answers for the tools gold set, computed here from the raw sample CSVs and the DESIGN.md factors.

Deliberately independent of assistant/records/store.py and tools/: plain csv rows, plain sums, factors typed in again
from shared/DESIGN.md and corpus/standards/co2-emission-factors.md. If the tools and this file disagree, one of
them is wrong, and the eval says which question.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "corpus" / "data"
MONTHLY = DATA / "样例数据_能耗月度_2015-2025.csv"
BUDGETS = DATA / "样例数据_用能预算.csv"
QUOTAS = DATA / "样例数据_能耗定额.csv"

# DESIGN.md "Indicators": 当量值 standard-coal factors and CO2 factors.
KGCE = {"electricity": 0.1229, "gas": 1.2143, "gasoline": 0.725 * 1.4714, "diesel": 0.83 * 1.4571}
CO2 = {"electricity": 0.5366, "gas": 2.1622, "gasoline": 0.725 * 2.9251, "diesel": 0.83 * 3.0959}
# Grid factors (kgCO2/kWh) from corpus/standards/co2-emission-factors.md.
GRID = {"national_2022": 0.5366, "national_2023": 0.5306, "national_2021": 0.5568, "east_china_2022": 0.5617,
        "zhejiang_2022": 0.5153, "zhejiang_2021": 0.5422}
QUOTA_KEYS = {"单位建筑面积能耗": "energy_per_area", "人均综合能耗": "energy_per_capita", "人均用水量": "water_per_capita"}
ALL = "全部"


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [row for row in csv.reader(f) if row and not row[0].startswith("#")][1:]


class SampleData:
    """The monthly CSV summed per institution and year, the budget table and the quota table."""

    def __init__(self) -> None:
        self.category: dict[str, str] = {}
        self.months: dict[tuple[str, int], list[dict]] = defaultdict(list)
        for name, cat, period, area, people, elec, gas, petrol, diesel, water in _rows(MONTHLY):
            year, month = int(period[:4]), int(period[5:7])
            self.category[name] = cat
            self.months[(name, year)].append({
                "month": month, "area": float(area), "people": float(people), "electricity": float(elec or 0),
                "gas": float(gas or 0), "gasoline": float(petrol or 0), "diesel": float(diesel or 0),
                "water": float(water or 0)})
        self.budget = {(n, int(y)): {"energy": float(e), "electricity": float(k), "water": float(w)}
                       for n, y, e, k, w in _rows(BUDGETS)}
        self.quota = {(cat, QUOTA_KEYS[ind]): (float(c), float(g)) for cat, ind, c, g, *_ in _rows(QUOTAS)}

    # ---------------------------------------------------------------- one year

    def year(self, name: str, year: int, through: int = 12, grid: float = CO2["electricity"]) -> dict:
        """Sums over months 1..through; area and headcount of the last month present (DESIGN.md)."""
        if name == ALL:
            parts = [self.year(n, year, through, grid) for n in sorted(self.category) if (n, year) in self.months]
            total = {key: sum(p[key] for p in parts) for key in parts[0]}
            return total
        months = sorted((m for m in self.months[(name, year)] if m["month"] <= through), key=lambda m: m["month"])
        s = {key: sum(m[key] for m in months) for key in ("electricity", "gas", "gasoline", "diesel", "water")}
        s["area"], s["people"] = months[-1]["area"], months[-1]["people"]
        s["energy"] = sum(s[key] * KGCE[key] for key in KGCE)
        s["carbon_kg"] = s["electricity"] * grid + sum(s[key] * CO2[key] for key in ("gas", "gasoline", "diesel"))
        return s

    def metric(self, name: str, year: int, key: str, grid: float = CO2["electricity"]) -> float:
        s = self.year(name, year, grid=grid)
        return {
            "energy": s["energy"], "energy_kgce": s["energy"],
            "energy_per_area": s["energy"] / s["area"], "energy_per_area_kgce_m2": s["energy"] / s["area"],
            "energy_per_capita": s["energy"] / s["people"], "energy_per_capita_kgce": s["energy"] / s["people"],
            "water": s["water"], "water_m3": s["water"],
            "water_per_capita": s["water"] / s["people"], "water_per_capita_m3": s["water"] / s["people"],
            "carbon": s["carbon_kg"] / 1000, "carbon_t": s["carbon_kg"] / 1000,
            "carbon_per_area": s["carbon_kg"] / s["area"], "carbon_per_area_kg_m2": s["carbon_kg"] / s["area"],
            "electricity": s["electricity"], "electricity_kwh": s["electricity"],
        }[key]

    # ---------------------------------------------------------------- per tool

    def expected(self, tool: str, args: dict, field: str) -> float | str:
        """The value `field` of tool `tool` called with `args` should have."""
        if tool == "indicators":
            return self.metric(args["institution"], args["year"], field)
        if tool == "compare":
            year, base = args["year"], args.get("base_year") or args["year"] - 1
            now = self.metric(args["institution"], year, args["metric"])
            before = self.metric(args["institution"], base, args["metric"])
            return {"change": now - before, "change_pct": (now - before) / before * 100}[field]
        if tool == "rank":
            names = [n for n, c in self.category.items()
                     if (n, args["year"]) in self.months and c == args.get("category", c)]
            ranked = sorted(names, key=lambda n: (-self.metric(n, args["year"], args["metric"]), n))
            _, index, what = field.split(".")
            name = ranked[int(index)]
            return name if what == "institution" else self.metric(name, args["year"], args["metric"])
        if tool == "check_quota":
            _, key, what = field.split(".")
            value = self.metric(args["institution"], args["year"], key)
            if what == "value":
                return value
            constraint, guide = self.quota[(self.category[args["institution"]], key)]
            v = round(value, 4)  # docs/TOOLS.md: equal to 约束值 still passes; reaching 引导值 counts
            return "超过约束值" if v > constraint else "优于引导值" if v <= guide else "达标"
        if tool == "budget_status":
            _, key, what = field.split(".")
            s = self.year(args["institution"], args["year"], through=args.get("through_month") or 12)
            used = {"energy": s["energy"], "electricity": s["electricity"], "water": s["water"]}[key]
            budget = self.budget[(args["institution"], args["year"])][key]
            return {"used": used, "execution_rate": used / budget * 100, "budget": budget}[what]
        if tool == "carbon":
            grid = GRID[args["factor_set"]] if args.get("factor_set") else CO2["electricity"]
            return self.metric(args["institution"], args["year"], field, grid=grid)
        if tool == "convert":
            return _convert(args["quantity"], args["unit"], args["to_unit"])
        raise ValueError(f"no expected value for tool {tool}")


def _convert(quantity: float, unit: str, to_unit: str) -> float:
    """The four conversions the gold set asks, by hand."""
    pair = (unit, to_unit)
    if pair == ("万kWh", "tce"):
        return quantity * 1e4 * 0.1229 / 1000
    if pair == ("L汽油", "kgce"):
        return quantity * 0.725 * 1.4714
    if pair == ("m³天然气", "tCO2"):
        return quantity * 2.1622 / 1000
    if pair == ("tce", "kWh"):
        return quantity * 1000 / 0.1229
    raise ValueError(f"no hand formula for {unit} → {to_unit}")


# ==================================================================== dialogue gold set (evals/gold/dialogues.jsonl)
#
# `expected_calc(sample, spec)` turns one dialogue turn's `expect` spec into the content a correct answer must carry:
# {"names": [...], "numbers": [...], "ordered": bool, "year": int | None} (anomaly_scope adds "all": True).
# Same independence rule as above: only SampleData (plain csv sums) and the quota/budget tables, no product code.
# A spec's year fields (year, base_year, from_year, to_year) may be "latest" = the latest year with monthly data.

METRICS = ("energy", "energy_per_area", "energy_per_capita", "water", "water_per_capita", "carbon",
           "carbon_per_area", "electricity")
QUOTA_ORDER = ("energy_per_area", "energy_per_capita", "water_per_capita")  # order of rows in the quota CSV


def latest_year(sample: SampleData) -> int:
    """The latest year that has any monthly row (what "今年" means for the sample data)."""
    return max(year for _, year in sample.months)


def _year(sample: SampleData, value) -> int | None:
    if value is None:
        return None
    if value == "latest":
        return latest_year(sample)
    if isinstance(value, str) and value.startswith("latest-"):  # "那去年呢" after a question about the latest year
        return latest_year(sample) - int(value.split("-", 1)[1])
    return int(value)


def _names_with_data(sample: SampleData, year: int, category: str | None = None) -> list[str]:
    return [n for n in sorted(sample.category)
            if (n, year) in sample.months and (category is None or sample.category[n] == category)]


def _metric_key(spec: dict) -> str:
    key = spec["metric"]
    if key not in METRICS:
        raise ValueError(f"unknown metric {key!r}; use one of {', '.join(METRICS)}")
    return key


def _who(name: str) -> list[str]:
    """Names an answer about `name` must mention: the unit itself, nothing for the whole-city total."""
    return [] if name == ALL else [name]


def quota_verdict(sample: SampleData, name: str, year: int, key: str) -> tuple[str, float]:
    """(verdict, value) for one quota indicator, rule of docs/TOOLS.md check_quota (value rounded to 4 places)."""
    value = sample.metric(name, year, key)
    constraint, guide = sample.quota[(sample.category[name], key)]
    v = round(value, 4)
    return ("超过约束值" if v > constraint else "优于引导值" if v <= guide else "达标"), value


def energy_budget_rate(sample: SampleData, name: str, year: int, through: int | None = None) -> float:
    """Energy (kgce) used in months 1..`through` (default: all present) ÷ that year's energy budget × 100."""
    used = sample.year(name, year, through=through or 12)["energy"]
    return used / sample.budget[(name, year)]["energy"] * 100


def _budget_rates(sample: SampleData, year: int, through: int | None) -> list[tuple[str, float]]:
    """(name, rate) for every unit with an energy budget and data that year, highest rate first (ties by name)."""
    rows = [(n, energy_budget_rate(sample, n, year, through)) for n in _names_with_data(sample, year)
            if (n, year) in sample.budget and sample.budget[(n, year)]["energy"] > 0
            and any(m["month"] <= (through or 12) for m in sample.months[(n, year)])]
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def expected_calc(sample: SampleData, spec: dict) -> dict:
    """Expected content of one dialogue turn: names to mention, numbers to state, whether order matters, year."""
    calc = spec["calc"]
    year = _year(sample, spec.get("year"))
    out = {"names": [], "numbers": [], "ordered": False, "year": year}
    if calc == "metric":
        name, key = spec["institution"], _metric_key(spec)
        out.update(names=_who(name), numbers=[sample.metric(name, year, key)])
    elif calc == "compare":
        name, key = spec["institution"], _metric_key(spec)
        base = _year(sample, spec.get("base_year")) or year - 1
        if (name != ALL and (name, base) not in sample.months) or not _names_with_data(sample, base):
            raise ValueError(f"compare: no data for {name} in base year {base}")
        now, before = sample.metric(name, year, key), sample.metric(name, base, key)
        out.update(names=_who(name), numbers=[now, before, (now - before) / before * 100])
    elif calc == "rank":
        key, top = _metric_key(spec), spec.get("top", 5)
        names = _names_with_data(sample, year, spec.get("category"))
        ranked = sorted(((n, sample.metric(n, year, key)) for n in names), key=lambda r: (-r[1], r[0]))
        ranked = ranked[:top] if top else ranked
        out.update(names=[n for n, _ in ranked], numbers=[v for _, v in ranked], ordered=True)
    elif calc == "quota_breaches":
        for name in _names_with_data(sample, year, spec.get("category")):
            for key in QUOTA_ORDER:
                if (sample.category[name], key) not in sample.quota:
                    continue
                verdict, value = quota_verdict(sample, name, year, key)
                if verdict == "超过约束值":
                    if name not in out["names"]:
                        out["names"].append(name)
                    out["numbers"].append(value)
    elif calc == "budget_tightest":
        rows = _budget_rates(sample, year, spec.get("through_month"))[:spec.get("top", 5)]
        out.update(names=[n for n, _ in rows], numbers=[r for _, r in rows], ordered=True)
    elif calc == "budget_over":
        rows = [(n, r) for n, r in _budget_rates(sample, year, spec.get("through_month")) if r > 100]
        out.update(names=[n for n, _ in rows], numbers=[r for _, r in rows])
    elif calc == "trend":
        name, key = spec["institution"], _metric_key(spec)
        first, last = _year(sample, spec["from_year"]), _year(sample, spec["to_year"])
        a, b = sample.metric(name, first, key), sample.metric(name, last, key)
        out.update(names=_who(name), numbers=[a, b, (b - a) / a * 100], year=last)
    elif calc == "anomaly_scope":
        if spec.get("metric") is not None:
            _metric_key(spec)
        out["all"] = True
    elif calc == "latest_year":
        out["year"] = latest_year(sample)
    elif calc == "knowledge":
        # a question about the documents inside a data conversation ("那超定额了会怎么样"): answered from this
        # document (path under corpus/), not swallowed by the data context
        out.update(year=None, doc=spec["doc"])
    else:
        raise ValueError(f"unknown calc kind {calc!r}")
    return out
