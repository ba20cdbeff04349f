"""生成样例数据（虚构城市“海州市”的46家公共机构，2015-01至2025-12月度能耗，外加用能预算和能耗定额）。

Deterministic: random.Random(SEED), stdlib only; running it twice writes the same bytes. The 2021–2025 values are
calibrated so that the whole set's 2025-vs-2020 area-weighted changes equal the seed case (per-area energy −8.2%,
per-capita energy −7.5%, per-capita water −9%, per-area carbon −8.5%) with the default factors of tools/factors.py.
Usage: python corpus/data/generate_sample_data.py [OUTPUT_DIR]   (default: this folder)
"""

from __future__ import annotations

import csv
import io
import random
import sys
from pathlib import Path

SEED = 20251231
YEARS = range(2015, 2026)
CONSUMPTION_FILE = "样例数据_能耗月度_2015-2025.csv"
BUDGET_FILE = "样例数据_用能预算.csv"
QUOTA_FILE = "样例数据_能耗定额.csv"

# Default factors, the same values as tools/factors.py (kept here so the generator needs only the stdlib).
KGCE = {"el": 0.1229, "gas": 1.2143, "gasoline": 0.725 * 1.4714, "diesel": 0.83 * 1.4571}  # per kWh, m³, L, L
CO2 = {"el": 0.5366, "gas": 2.1622, "gasoline": 0.725 * 2.9251, "diesel": 0.83 * 3.0959}  # kg per kWh, m³, L, L

# 2025 vs 2020, whole set, area-weighted (the seed case's published results)
TARGET = {"energy_per_area": -8.2, "energy_per_capita": -7.5, "water_per_capita": -9.0, "carbon_per_area": -8.5}

# Monthly profiles (relative; normalised to mean 1 below)
PROFILES = {
    "office_el": [1.12, 0.85, 0.88, 0.84, 0.92, 1.04, 1.28, 1.30, 1.10, 0.88, 0.86, 1.05],
    "office_gas": [1.25, 0.95, 1.08, 0.98, 0.92, 0.88, 0.85, 0.85, 0.90, 0.98, 1.08, 1.28],
    "office_water": [0.92, 0.80, 0.95, 0.98, 1.02, 1.08, 1.15, 1.15, 1.05, 1.00, 0.95, 0.95],
    "school_el": [1.05, 0.45, 1.10, 1.05, 1.10, 1.20, 0.60, 0.50, 1.20, 1.10, 1.05, 1.15],
    "school_gas": [1.10, 0.40, 1.15, 1.10, 1.10, 1.10, 0.50, 0.40, 1.15, 1.10, 1.15, 1.20],
    "school_water": [1.00, 0.45, 1.10, 1.10, 1.15, 1.20, 0.60, 0.50, 1.15, 1.10, 1.05, 1.00],
    "hospital_el": [1.08, 0.95, 0.95, 0.92, 0.97, 1.05, 1.18, 1.20, 1.05, 0.95, 0.92, 1.02],
    "hospital_gas": [1.20, 1.10, 1.05, 0.95, 0.90, 0.88, 0.85, 0.85, 0.90, 0.98, 1.08, 1.20],
    "venue_el": [1.00, 1.05, 0.90, 0.88, 0.95, 1.05, 1.30, 1.30, 1.05, 0.95, 0.85, 0.95],
    "venue_water": [0.90, 1.00, 0.90, 0.95, 1.00, 1.10, 1.25, 1.25, 1.00, 1.00, 0.85, 0.85],
    "dc_el": [0.97, 0.93, 0.97, 0.97, 1.00, 1.03, 1.08, 1.08, 1.03, 1.00, 0.97, 0.99],
    "flat": [1.0, 0.85, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.05, 1.0, 1.1],
}
KIND_PROFILES = {  # kind -> (electricity, gas, water) profile names
    "office": ("office_el", "office_gas", "office_water"),
    "school": ("school_el", "school_gas", "school_water"),
    "hospital": ("hospital_el", "hospital_gas", "office_water"),
    "venue": ("venue_el", "office_gas", "venue_water"),
    "dc": ("dc_el", "flat", "office_water"),
}

# Whole-set trends relative to 2020 (before calibration)
TREND = {
    "el": dict(zip(YEARS, [1.10, 1.085, 1.065, 1.045, 1.02, 1.0, 1.01, 0.985, 0.962, 0.938, 0.912])),
    "gas": dict(zip(YEARS, [1.07, 1.06, 1.04, 1.03, 1.01, 1.0, 1.0, 0.985, 0.97, 0.96, 0.95])),
    "fleet": dict(zip(YEARS, [1.45, 1.40, 1.10, 1.05, 1.02, 1.0, 0.98, 0.94, 0.90, 0.86, 0.82])),
    "water": dict(zip(YEARS, [1.18, 1.15, 1.11, 1.07, 1.03, 1.0, 0.99, 0.97, 0.95, 0.93, 0.915])),
    "people": dict(zip(YEARS, [0.985, 0.988, 0.991, 0.994, 0.997, 1.0, 1.0, 1.0, 0.999, 0.998, 0.997])),
}

# name, category, kind, area m², headcount, electricity kWh/m²·a, gas m³/m²·a, gasoline L/a, diesel L/a, water m³/人·a
INSTITUTIONS = [
    ("市行政中心", "党政机关", "office", 32000, 750, 85, 0.9, 0, 0, 36),
    ("市财政局", "党政机关", "office", 4200, 130, 72, 0, 0, 0, 26),
    ("市发展改革委", "党政机关", "office", 3800, 115, 74, 0, 0, 0, 25),
    ("市机关事务管理中心", "党政机关", "office", 6500, 170, 70, 0, 20000, 1500, 28),
    ("市教育局", "党政机关", "office", 3600, 110, 70, 0, 0, 0, 25),
    ("市卫生健康委", "党政机关", "office", 3400, 105, 73, 0, 0, 0, 25),
    ("市自然资源和规划局", "党政机关", "office", 4800, 150, 78, 0, 0, 0, 24),
    ("市生态环境局", "党政机关", "office", 3200, 95, 71, 0, 0, 0, 25),
    ("市住房和城乡建设局", "党政机关", "office", 4000, 125, 72, 0, 0, 0, 26),
    ("市交通运输局", "党政机关", "office", 3900, 120, 70, 0, 0, 0, 27),
    ("市人力资源和社会保障局", "党政机关", "office", 4400, 140, 74, 0, 0, 0, 28),
    ("市民政局", "党政机关", "office", 2800, 85, 68, 0, 0, 0, 26),
    ("市司法局", "党政机关", "office", 2600, 80, 67, 0, 0, 0, 25),
    ("市审计局", "党政机关", "office", 2500, 78, 69, 0, 0, 0, 24),
    ("市统计局", "党政机关", "office", 2200, 65, 70, 0, 0, 0, 24),
    ("市商务局", "党政机关", "office", 2700, 82, 71, 0, 0, 0, 25),
    ("市农业农村局", "党政机关", "office", 3300, 100, 69, 0, 0, 0, 26),
    ("市应急管理局", "党政机关", "office", 3000, 92, 76, 0, 0, 0, 26),
    ("市市场监督管理局", "党政机关", "office", 4600, 145, 72, 0, 0, 0, 27),
    ("市文化和广电旅游体育局", "党政机关", "office", 3100, 95, 70, 0, 0, 0, 25),
    ("市科学技术局", "党政机关", "office", 2300, 70, 71, 0, 0, 0, 24),
    ("市海洋与渔业局", "党政机关", "office", 2900, 88, 70, 0, 0, 0, 25),
    ("市公安局", "党政机关", "office", 18000, 600, 75, 0.4, 40000, 3000, 32),
    ("市人民法院", "党政机关", "office", 12000, 320, 70, 0.3, 8000, 0, 30),
    ("市人民检察院", "党政机关", "office", 9000, 240, 68, 0.3, 6000, 0, 29),
    ("东港区人民政府", "党政机关", "office", 15000, 420, 72, 0.5, 10000, 0, 30),
    ("西岙区人民政府", "党政机关", "office", 11000, 300, 70, 0.4, 8000, 0, 29),
    ("北岙街道办事处", "党政机关", "office", 3500, 90, 60, 0.2, 2000, 0, 27),
    ("市第一实验中学", "学校", "school", 42000, 2600, 25, 0.35, 0, 0, 30),
    ("市第二中学", "学校", "school", 30000, 1900, 24, 0.30, 0, 0, 29),
    ("市实验小学", "学校", "school", 16000, 1400, 20, 0.20, 0, 0, 22),
    ("市第三小学", "学校", "school", 12000, 1100, 20, 0.20, 0, 0, 21),
    ("市职业技术学院", "学校", "school", 95000, 6500, 32, 0.60, 3000, 0, 38),
    ("市开放大学", "学校", "school", 18000, 900, 30, 0.20, 0, 0, 25),
    ("市人民医院", "医院", "hospital", 85000, 4800, 105, 2.4, 4000, 3000, 55),
    ("市中医院", "医院", "hospital", 36000, 2100, 95, 2.0, 2000, 1500, 50),
    ("市妇幼保健院", "医院", "hospital", 24000, 1400, 100, 2.2, 1500, 1000, 52),
    ("市体育中心", "文化场馆", "venue", 60000, 8000, 65, 0.8, 0, 0, 11),
    ("市图书馆", "文化场馆", "venue", 22000, 3000, 75, 0.1, 0, 0, 8),
    ("市博物馆", "文化场馆", "venue", 18000, 2200, 80, 0.1, 0, 0, 8),
    ("市文化艺术中心", "文化场馆", "venue", 26000, 2800, 70, 0.5, 0, 0, 9),
    ("市科技馆", "文化场馆", "venue", 15000, 2000, 78, 0.1, 0, 0, 8),
    ("市商品交易中心大楼", "其他", "office", 48000, 1600, 95, 0.5, 0, 0, 28),
    ("市大数据中心", "其他", "dc", 9000, 180, 420, 0, 0, 1500, 40),
    ("市疾病预防控制中心", "其他", "office", 14000, 380, 90, 0.6, 3000, 0, 35),
    ("市公共资源交易中心", "其他", "office", 10000, 260, 80, 0.1, 0, 0, 30),
]

# Planted anomalies, for the diagnosis tool (README lists them)
LEAKS = {("市图书馆", 2024, 7): 3.2, ("市财政局", 2025, 9): 2.8}  # water × factor
SPIKES = {("市第二中学", 2025, 3): 2.6}  # electricity × factor
STUCK = ("市体育中心", 2023, 11)  # electricity reads 0; December carries November's consumption

QUOTAS = [  # category, indicator, 约束值, 引导值, unit (sample values, not official standards)
    ("党政机关", "单位建筑面积能耗", 12.0, 9.5, "kgce/m²"),
    ("党政机关", "人均综合能耗", 450, 320, "kgce/人"),
    ("党政机关", "人均用水量", 35, 26, "m³/人"),
    ("学校", "单位建筑面积能耗", 4.5, 3.0, "kgce/m²"),
    ("学校", "人均综合能耗", 80, 55, "kgce/人"),
    ("学校", "人均用水量", 40, 28, "m³/人"),
    ("医院", "单位建筑面积能耗", 18, 14, "kgce/m²"),
    ("医院", "人均综合能耗", 320, 250, "kgce/人"),
    ("医院", "人均用水量", 65, 48, "m³/人"),
    ("文化场馆", "单位建筑面积能耗", 11, 8.5, "kgce/m²"),
    ("文化场馆", "人均综合能耗", 80, 60, "kgce/人"),
    ("文化场馆", "人均用水量", 14, 10, "m³/人"),
    ("其他", "单位建筑面积能耗", 14, 10, "kgce/m²"),
    ("其他", "人均综合能耗", 500, 350, "kgce/人"),
    ("其他", "人均用水量", 38, 26, "m³/人"),
]
TIGHT_BUDGETS = {"市大数据中心": 0.92, "市人民医院": 0.93, "市第二中学": 0.94}


def main(out_dir: Path) -> None:
    rows = generate()
    files = {
        CONSUMPTION_FILE: consumption_csv(rows),
        BUDGET_FILE: budget_csv(rows),
        QUOTA_FILE: quota_csv(),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out_dir / name).write_bytes(text.encode("utf-8-sig"))
    for key, value in aggregate_changes(rows).items():
        print(f"{key}: {value:+.2f}%", file=sys.stderr)


def generate() -> list[dict]:
    """Monthly rows as dicts (rounded), calibrated to TARGET."""
    rng = random.Random(SEED)
    profiles = {k: [v * 12 / sum(p) for v in p] for k, p in PROFILES.items()}
    raw: list[dict] = []
    for name, category, kind, area0, people0, el_m2, gas_m2, gasoline, diesel, water_pc in INSTITUTIONS:
        slope = {k: rng.uniform(0.6, 1.4) for k in ("el", "gas", "fleet", "water")}
        el_prof, gas_prof, water_prof = (profiles[p] for p in KIND_PROFILES[kind])
        for year in YEARS:
            level = {k: (1 + (TREND[k][year] - 1) * slope[k]) * rng.gauss(1, 0.015) for k in slope}
            for month in range(1, 13):
                area, people = area0, people0 * TREND["people"][year]
                if name == "市职业技术学院" and year >= 2022:  # new teaching building
                    area, people = 110000, people * 1.14
                if name == "市人民医院" and (year, month) >= (2023, 7):  # new ward opened July 2023
                    area, people = 98000, people * 1.12
                step = 1.0
                if name == "市商品交易中心大楼" and (year, month) >= (2021, 7):  # 物业+EMC retrofit
                    step = 0.89
                if name == "市行政中心" and year >= 2022:  # 融资租赁+能源费用托管 retrofit
                    step = 0.86
                noise = lambda: rng.gauss(1, 0.035)  # noqa: E731
                row = {
                    "institution": name, "category": category, "year": year, "month": month,
                    "area": area, "people": people,
                    "el": area * el_m2 / 12 * el_prof[month - 1] * level["el"] * step * noise(),
                    "gas": area * gas_m2 / 12 * gas_prof[month - 1] * level["gas"] * (step ** 0.5) * noise(),
                    "gasoline": gasoline / 12 * profiles["flat"][month - 1] * level["fleet"] * noise(),
                    "diesel": diesel / 12 * profiles["flat"][month - 1] * level["fleet"] * noise(),
                    "water": people * water_pc / 12 * water_prof[month - 1] * level["water"] * noise(),
                }
                raw.append(row)
    by_key = {(r["institution"], r["year"], r["month"]): r for r in raw}
    for key, factor in LEAKS.items():
        by_key[key]["water"] *= factor
    for key, factor in SPIKES.items():
        by_key[key]["el"] *= factor
    stuck = by_key[STUCK]
    by_key[(STUCK[0], STUCK[1], 12)]["el"] += stuck["el"]
    stuck["el"] = 0.0
    calibrate(raw)
    for row in raw:
        for k in ("el", "gas", "gasoline", "diesel", "water", "people"):
            row[k] = round(row[k])
        row["area"] = round(row["area"])
    return raw


def calibrate(rows: list[dict]) -> None:
    """Scale 2021–2025 (ramped, full effect in 2025) so the 2025-vs-2020 aggregates equal TARGET exactly."""
    def sums(year: int) -> dict[str, float]:
        s = {"area": 0.0, "people": 0.0, "e_el": 0.0, "e_f": 0.0, "c_el": 0.0, "c_f": 0.0, "water": 0.0}
        for r in rows:
            if r["year"] != year:
                continue
            if r["month"] == 12:  # area and headcount of the last period
                s["area"] += r["area"]
                s["people"] += r["people"]
            s["e_el"] += r["el"] * KGCE["el"]
            s["c_el"] += r["el"] * CO2["el"]
            s["e_f"] += sum(r[k] * KGCE[k] for k in ("gas", "gasoline", "diesel"))
            s["c_f"] += sum(r[k] * CO2[k] for k in ("gas", "gasoline", "diesel"))
            s["water"] += r["water"]
        return s

    a, b = sums(2020), sums(2025)
    e20, c20 = a["e_el"] + a["e_f"], a["c_el"] + a["c_f"]
    e_target = (1 + TARGET["energy_per_area"] / 100) * e20 / a["area"] * b["area"]
    c_target = (1 + TARGET["carbon_per_area"] / 100) * c20 / a["area"] * b["area"]
    # k_el * e_el + k_f * e_f = e_target ; k_el * c_el + k_f * c_f = c_target
    det = b["e_el"] * b["c_f"] - b["e_f"] * b["c_el"]
    k_el = (e_target * b["c_f"] - b["e_f"] * c_target) / det
    k_f = (b["e_el"] * c_target - e_target * b["c_el"]) / det
    people_target = e_target / ((1 + TARGET["energy_per_capita"] / 100) * e20 / a["people"])
    k_people = people_target / b["people"]
    water_target = (1 + TARGET["water_per_capita"] / 100) * a["water"] / a["people"] * people_target
    k_water = water_target / b["water"]
    for r in rows:
        if r["year"] <= 2020:
            continue
        t = (r["year"] - 2020) / 5
        r["el"] *= k_el ** t
        for k in ("gas", "gasoline", "diesel"):
            r[k] *= k_f ** t
        r["people"] *= k_people ** t
        r["water"] *= k_water ** t
    print(f"calibration: k_el={k_el:.4f} k_fuel={k_f:.4f} k_people={k_people:.4f} k_water={k_water:.4f}",
          file=sys.stderr)


def aggregate_changes(rows: list[dict]) -> dict[str, float]:
    """2025 vs 2020 changes of the rounded data, computed independently of tools/ (the test recomputes them)."""
    def year(y: int) -> dict[str, float]:
        rs = [r for r in rows if r["year"] == y]
        last = [r for r in rs if r["month"] == 12]
        area, people = sum(r["area"] for r in last), sum(r["people"] for r in last)
        e = sum(r["el"] * KGCE["el"] + sum(r[k] * KGCE[k] for k in ("gas", "gasoline", "diesel")) for r in rs)
        c = sum(r["el"] * CO2["el"] + sum(r[k] * CO2[k] for k in ("gas", "gasoline", "diesel")) for r in rs)
        w = sum(r["water"] for r in rs)
        return {"energy_per_area": e / area, "energy_per_capita": e / people, "water_per_capita": w / people,
                "carbon_per_area": c / area}

    a, b = year(2020), year(2025)
    return {k: (b[k] - a[k]) / a[k] * 100 for k in a}


def _csv(header: list[str], body: list[list], comment: str) -> str:
    buf = io.StringIO()
    buf.write(f"# {comment}\n")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(body)
    return buf.getvalue()


def consumption_csv(rows: list[dict]) -> str:
    header = ["单位名称", "单位类型", "统计期", "建筑面积(m²)", "用能人数", "电力(kWh)", "天然气(m³)", "汽油(L)",
              "柴油(L)", "水(m³)"]
    body = [[r["institution"], r["category"], f"{r['year']}-{r['month']:02d}", r["area"], r["people"], r["el"],
             r["gas"], r["gasoline"], r["diesel"], r["water"]] for r in rows]
    return _csv(header, body, "样例数据：虚构城市“海州市”46家公共机构2015-2025年月度能耗，非真实统计，仅供演示和测试")


def budget_csv(rows: list[dict]) -> str:
    """用能预算 2023–2026: last year's actual × 0.98 (a few institutions tighter), rounded."""
    totals: dict[tuple[str, int], dict[str, float]] = {}
    for r in rows:
        t = totals.setdefault((r["institution"], r["year"]), {"kgce": 0.0, "el": 0.0, "water": 0.0})
        t["kgce"] += r["el"] * KGCE["el"] + sum(r[k] * KGCE[k] for k in ("gas", "gasoline", "diesel"))
        t["el"] += r["el"]
        t["water"] += r["water"]
    body = []
    for name, *_ in INSTITUTIONS:
        for year in (2023, 2024, 2025, 2026):
            prev = totals[(name, year - 1)]
            k = TIGHT_BUDGETS.get(name, 0.98)
            body.append([name, year, round(prev["kgce"] * k, -2), round(prev["el"] * k, -3),
                         round(prev["water"] * 0.97, -1)])
    body = [[n, y, int(e), int(el), int(w)] for n, y, e, el, w in body]
    return _csv(["单位名称", "预算年度", "能耗预算(kgce)", "电力预算(kWh)", "用水预算(m³)"], body,
                "样例数据：用能预算（虚构），按上年实际用量的98%编制，个别单位从紧，非真实预算")


def quota_csv() -> str:
    body = [[c, i, con, g, u, "样例值，非官方标准"] for c, i, con, g, u in QUOTAS]
    return _csv(["单位类型", "指标", "约束值", "引导值", "单位", "备注"], body,
                "样例数据：能耗定额（约束值、引导值均为虚构样例，不是任何官方标准）")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
