"""The committed sample data: imports cleanly, matches the seed's 2025-vs-2020 results, regenerates byte for byte."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.records.store import DataStore
from tools.anomalies import anomalies
from tools.energy import compare

DATA = Path(__file__).resolve().parent.parent / "corpus" / "data"
FILES = ["样例数据_能耗月度_2015-2025.csv", "样例数据_用能预算.csv", "样例数据_能耗定额.csv"]
SEED_RESULTS = {"energy_per_area": -8.2, "energy_per_capita": -7.5, "water_per_capita": -9.0, "carbon_per_area": -8.5}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    home = tmp_path_factory.mktemp("sample")
    with DataStore.open(Settings(home=home)) as s:
        for name in FILES:
            s.import_file(DATA / name)
        yield s


def test_sample_data_imports_whole(store):
    counts = store.counts()
    assert counts == {"institutions": 46, "rows": 46 * 132, "budgets": 46 * 4, "quotas": 15}
    assert {i.category for i in store.institutions()} == {"党政机关", "学校", "医院", "文化场馆", "其他"}


@pytest.mark.parametrize("metric", list(SEED_RESULTS))
def test_whole_set_2025_vs_2020_matches_the_seed(store, metric):
    change = compare(store, "全部", metric, 2025, 2020).change_pct
    assert abs(change - SEED_RESULTS[metric]) <= 0.3


def test_seed_results_recomputed_by_hand_from_the_csv():
    """Independent of tools/: Σ quantity × factor over the file, area and headcount from December."""
    kgce = {"电力(kWh)": 0.1229, "天然气(m³)": 1.2143, "汽油(L)": 0.725 * 1.4714, "柴油(L)": 0.83 * 1.4571}
    co2 = {"电力(kWh)": 0.5366, "天然气(m³)": 2.1622, "汽油(L)": 0.725 * 2.9251, "柴油(L)": 0.83 * 3.0959}
    totals = {y: {"e": 0.0, "c": 0.0, "w": 0.0, "a": 0.0, "h": 0.0} for y in (2020, 2025)}
    with open(DATA / FILES[0], encoding="utf-8-sig", newline="") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    for row in csv.DictReader(lines):
        year, month = int(row["统计期"][:4]), int(row["统计期"][5:])
        if year not in totals:
            continue
        t = totals[year]
        t["e"] += sum(float(row[k]) * f for k, f in kgce.items())
        t["c"] += sum(float(row[k]) * f for k, f in co2.items())
        t["w"] += float(row["水(m³)"])
        if month == 12:
            t["a"] += float(row["建筑面积(m²)"])
            t["h"] += float(row["用能人数"])
    a, b = totals[2020], totals[2025]
    change = lambda num, den: ((b[num] / b[den]) / (a[num] / a[den]) - 1) * 100  # noqa: E731
    assert abs(change("e", "a") - -8.2) <= 0.3
    assert abs(change("e", "h") - -7.5) <= 0.3
    assert abs(change("w", "h") - -9.0) <= 0.3
    assert abs(change("c", "a") - -8.5) <= 0.3


@pytest.mark.parametrize("institution, year, period, field", [
    ("市图书馆", 2024, "2024-07", "water_m3"),
    ("市财政局", 2025, "2025-09", "water_m3"),
    ("市第二中学", 2025, "2025-03", "electricity_kwh"),
    ("市体育中心", 2023, "2023-11", "electricity_kwh"),
])
def test_planted_anomalies_are_found(store, institution, year, period, field):
    found = {(a.period, a.field) for a in anomalies(store, institution, year).items}
    assert (period, field) in found


def test_generator_is_byte_identical_on_rerun(tmp_path):
    subprocess.run([sys.executable, str(DATA / "generate_sample_data.py"), str(tmp_path)], check=True,
                   capture_output=True, timeout=120)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name
