"""check_quota verdict boundaries and budget_status execution rate, forecast from last year's profile, warnings."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.records.store import DataStore
from assistant.errors import LookupFailed
from tools.budget import budget_status
from tools.quota import check_quota, verdict

HEADER = "单位名称,单位类型,统计期,建筑面积,用能人数,电力,水\n"
QUOTAS = "单位类型,指标,约束值,引导值,单位\n党政机关,单位建筑面积能耗,12,9.5,kgce/m²\n党政机关,人均综合能耗,450,320,kgce/人\n"


def open_store(tmp_path: Path, *files: tuple[str, str]) -> DataStore:
    store = DataStore.open(Settings(home=tmp_path / "home"))
    for name, text in files:
        (tmp_path / name).write_text(text, encoding="utf-8")
        store.import_file(tmp_path / name)
    return store


@pytest.mark.parametrize("value, expected", [
    (12.0, "达标"),          # equal to 约束值 counts as 达标
    (12.00001, "达标"),      # below the 4-decimal comparison precision
    (12.001, "超过约束值"),
    (9.5, "优于引导值"),     # equal to 引导值 counts as 优于引导值
    (9.5001, "达标"),
    (3.0, "优于引导值"),
])
def test_verdict_boundaries(value, expected):
    assert verdict(value, 12, 9.5) == expected


def test_check_quota_on_data_exactly_at_the_constraint(tmp_path):
    # 1000 m² and 12 kgce/m² → 12000 kgce → 12000 / 0.1229 kWh (floating point lands within 1e-12 of 12)
    kwh = 12000 / 0.1229
    store = open_store(tmp_path, ("c.csv", HEADER + f"甲单位,党政机关,2024,1000,40,{kwh!r},100\n"), ("q.csv", QUOTAS))
    result = check_quota(store, "甲单位", 2024)
    items = {i.indicator: i for i in result.items}
    assert items["energy_per_area"].verdict == "达标"
    assert items["energy_per_area"].gap == pytest.approx(0, abs=1e-9)
    assert items["energy_per_capita"].value == pytest.approx(300)  # 12000 / 40
    assert items["energy_per_capita"].verdict == "优于引导值"
    assert items["energy_per_capita"].to_dict()["gap"] == pytest.approx(300 - 450)
    assert result.overall == "达标"


def test_check_quota_over_constraint_reports_gap(tmp_path):
    kwh = 13000 / 0.1229  # 13 kgce/m² on 1000 m²
    store = open_store(tmp_path, ("c.csv", HEADER + f"甲单位,党政机关,2024,1000,20,{kwh!r},100\n"), ("q.csv", QUOTAS))
    d = check_quota(store, "甲单位", 2024).to_dict()
    area = next(i for i in d["items"] if i["indicator"] == "energy_per_area")
    assert area["verdict"] == "超过约束值" and area["gap"] == pytest.approx(1.0, abs=1e-4)
    assert area["gap_pct"] == pytest.approx(100 / 12, abs=1e-3)
    assert d["overall"] == "超过约束值"
    assert "超过约束值 1.00 kgce/m²" in d["explanation"]


def test_check_quota_without_quota_for_the_category_says_so(tmp_path):
    store = open_store(tmp_path, ("c.csv", HEADER + "某小学,学校,2024,1000,20,1000,100\n"), ("q.csv", QUOTAS))
    with pytest.raises(LookupFailed, match="还没有“学校”类的能耗定额"):
        check_quota(store, "某小学", 2024)


def monthly(name: str, year: int, kwh: list[float]) -> str:
    return "".join(f"{name},党政机关,{year}-{m:02d},1000,10,{v},10\n" for m, v in enumerate(kwh, 1))


PROFILE_2024 = [100, 100, 100, 100, 100, 100, 200, 200, 100, 100, 100, 100]  # 1400 kWh, summer peak


def budget_store(tmp_path: Path, budget_kwh: float, with_last_year: bool = True) -> DataStore:
    data = HEADER + (monthly("甲单位", 2024, PROFILE_2024) if with_last_year else "") + monthly("甲单位", 2025, [90] * 6)
    budgets = f"单位名称,预算年度,能耗预算(kgce),电力预算(kWh)\n甲单位,2025,{budget_kwh * 0.1229!r},{budget_kwh}\n"
    return open_store(tmp_path, ("c.csv", data), ("b.csv", budgets))


def test_budget_forecast_follows_last_years_monthly_profile(tmp_path):
    result = budget_status(budget_store(tmp_path, 1500), "甲单位", 2025)
    el = next(i for i in result.items if i.metric == "electricity")
    assert result.through_month == 6
    assert el.used == 540
    assert el.profile_share == pytest.approx(600 / 1400)
    assert el.forecast == pytest.approx(540 / (600 / 1400))  # = 1260, not the linear 1080
    assert el.execution_rate == pytest.approx(36.0)
    assert result.warnings == ()
    energy = result.main
    assert energy.metric == "energy" and energy.used == pytest.approx(540 * 0.1229)
    assert energy.forecast == pytest.approx(1260 * 0.1229)


def test_budget_through_month_cuts_the_used_amount(tmp_path):
    result = budget_status(budget_store(tmp_path, 1500), "甲单位", 2025, through_month=3)
    el = next(i for i in result.items if i.metric == "electricity")
    assert el.used == 270 and el.forecast == pytest.approx(270 / (300 / 1400))


def test_budget_warnings_at_80_and_100_percent(tmp_path):
    result = budget_status(budget_store(tmp_path, 600), "甲单位", 2025)  # 540 / 600 = 90%
    text = "；".join(result.warnings)
    assert "达到80%预警线" in text and "预计全年用量为预算的 210.0%" in text
    over = budget_status(budget_store(tmp_path / "o", 500), "甲单位", 2025)  # 108%
    assert any("已超出预算" in w for w in over.warnings)
    exact = budget_status(budget_store(tmp_path / "e", 675), "甲单位", 2025)  # exactly 80%
    assert any("达到80%预警线" in w for w in exact.warnings if w.startswith("用电量"))


def test_budget_without_last_year_falls_back_to_linear_and_says_so(tmp_path):
    result = budget_status(budget_store(tmp_path, 1500, with_last_year=False), "甲单位", 2025)
    el = next(i for i in result.items if i.metric == "electricity")
    assert el.forecast == pytest.approx(540 * 12 / 6) and el.profile_share is None
    assert "线性外推" in result.explain()


def test_budget_missing_is_an_actionable_error(tmp_path):
    store = open_store(tmp_path, ("c.csv", HEADER + monthly("甲单位", 2025, [1, 2])))
    with pytest.raises(LookupFailed, match="没有2025年的用能预算"):
        budget_status(store, "甲单位", 2025)
