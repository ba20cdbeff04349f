"""indicators / compare / rank / trend: the FACTS.md §1.3 worked example, aggregation rules, factor overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.records.store import AnnualRecord, DataStore
from assistant.errors import ConfigError, LookupFailed
from tools.energy import METRICS, compare, compute_indicators, indicators, rank, resolve_metric, trend
from tools.factors import load_factors

HEADER = "单位名称,单位类型,统计期,建筑面积,用能人数,电力,天然气,汽油,柴油,水,煤炭\n"


def open_store(tmp_path: Path, csv_body: str, factors: dict | None = None) -> DataStore:
    path = tmp_path / "data.csv"
    path.write_text(HEADER + csv_body, encoding="utf-8")
    store = DataStore.open(Settings(home=tmp_path / "home", factors=factors or {}))
    store.import_file(path)
    return store


# FACTS.md §1.3: 50 users, 1400 m², 12500 kWh, 2000 kg coal, 12340 L gasoline, 4200 L diesel, 6000 m³ gas
EXAMPLE_KGCE = 12500 * 0.1229 + 2000 * 0.7143 + 12340 * 0.725 * 1.4714 + 4200 * 0.83 * 1.4571 + 6000 * 1.2143


def test_worked_example_reproduces_exactly():
    record = AnnualRecord(institution="示例单位", year=2020, floor_area_m2=1400, headcount=50, electricity_kwh=12500,
                          coal_kg=2000, gasoline_l=12340, diesel_l=4200, natural_gas_m3=6000)
    result = compute_indicators(record, load_factors())
    assert result.energy_kgce == pytest.approx(EXAMPLE_KGCE, abs=1e-9)
    assert round(result.energy_kgce / 1000, 3) == 28.494
    assert round(result.energy_per_area_kgce_m2, 2) == 20.35
    assert round(result.energy_per_capita_kgce, 1) == 569.9
    by = {line.source: line.kgce for line in result.by_source}
    assert round(by["electricity"] / 1000, 5) == 1.53625
    assert round(by["coal"] / 1000, 4) == 1.4286
    assert round(by["gasoline"] / 1000, 3) == 13.164
    assert round(by["diesel"] / 1000, 3) == 5.079
    assert round(by["natural_gas"] / 1000, 3) == 7.286


def test_worked_example_through_import_and_indicators_tool(tmp_path):
    store = open_store(tmp_path, "示例单位,党政机关,2020,1400,50,12500,6000,12340,4200,900,2000\n")
    d = indicators(store, "示例单位", 2020).to_dict()
    for key in ("institution", "year", "energy_kgce", "energy_per_area_kgce_m2", "energy_per_capita_kgce", "water_m3",
                "water_per_capita_m3", "carbon_t", "carbon_per_area_kg_m2", "inputs", "factors", "by_source"):
        assert key in d
    assert d["energy_kgce"] == pytest.approx(EXAMPLE_KGCE, abs=1e-4)
    assert d["water_m3"] == 900 and d["water_per_capita_m3"] == 18.0  # water is not in 综合能耗
    co2 = 12500 * 0.5366 + 6000 * 2.1622 + 12340 * 0.725 * 2.9251 + 4200 * 0.83 * 3.0959 + 2000 * 1.9003
    assert d["carbon_t"] == pytest.approx(co2 / 1000, abs=1e-4)
    assert d["carbon_per_area_kg_m2"] == pytest.approx(co2 / 1400, abs=1e-4)
    names = {f["name"]: f for f in d["factors"]}
    assert names["electricity_kgce_per_kwh"]["value"] == 0.1229 and names["electricity_kgce_per_kwh"]["source"]
    assert d["inputs"][0]["period"] == "2020"
    assert "28.494 tce" in d["explanation"] and "20.35 kgce/m²" in d["explanation"]


def test_months_sum_to_the_year_and_area_headcount_come_from_the_last_period(tmp_path):
    store = open_store(tmp_path, "甲单位,党政机关,2024-01,1000,10,1000,,,,5\n"
                                 "甲单位,党政机关,2024-03,1200,12,2000,,,,7\n"
                                 "甲单位,党政机关,2024-02,1100,11,500,,,,6\n")
    result = indicators(store, "甲单位", 2024)
    assert result.energy_kgce == pytest.approx(3500 * 0.1229)
    assert result.floor_area_m2 == 1200 and result.headcount == 12  # March is the last period, not the last row
    assert result.energy_per_area_kgce_m2 == pytest.approx(3500 * 0.1229 / 1200)
    assert result.water_per_capita_m3 == pytest.approx(18 / 12)
    assert "只有3个月" in result.explain()


def test_compare_defaults_to_previous_year(tmp_path):
    store = open_store(tmp_path, "甲单位,党政机关,2023,100,10,10000,,,,1\n甲单位,党政机关,2024,100,10,9000,,,,1\n")
    d = compare(store, "甲单位", "单位面积能耗", 2024).to_dict()
    assert (d["base_year"], d["metric"], d["unit"]) == (2023, "energy_per_area", "kgce/m²")
    assert d["value"] == pytest.approx(9000 * 0.1229 / 100, abs=1e-4)
    assert d["base_value"] == pytest.approx(10000 * 0.1229 / 100, abs=1e-4)
    assert d["change_pct"] == pytest.approx(-10.0, abs=1e-6)


def test_compare_whole_set_is_area_weighted_not_a_mean_of_ratios(tmp_path):
    store = open_store(tmp_path, "小楼,党政机关,2020,100,10,1000,,,,1\n大楼,党政机关,2020,900,90,1000,,,,1\n"
                                 "小楼,党政机关,2025,100,10,500,,,,1\n大楼,党政机关,2025,900,90,1000,,,,1\n")
    d = compare(store, "全部", "energy_per_area", 2025, 2020).to_dict()
    assert d["base_value"] == pytest.approx(2000 * 0.1229 / 1000, abs=1e-4)  # Σenergy ÷ Σarea
    assert d["value"] == pytest.approx(1500 * 0.1229 / 1000, abs=1e-4)
    assert d["change_pct"] == pytest.approx(-25.0, abs=1e-6)  # a mean of ratios would give −45%


def test_one_category_across_the_city_is_summed_over_its_units_only(tmp_path):
    store = open_store(tmp_path, "甲,党政机关,2024,100,10,1000,,,,1\n丙,学校,2024,300,30,2000,,,,1\n"
                                 "丁,学校,2024,100,10,1000,,,,1\n丁,学校,2023,100,10,500,,,,1\n"
                                 "丙,学校,2023,300,30,1500,,,,1\n")
    schools = indicators(store, "全部", 2024, category="学校").to_dict()
    assert schools["electricity_kwh"] == 3000 and schools["members"] == 2  # 甲 is not a school
    assert schools["energy_per_area_kgce_m2"] == pytest.approx(3000 * 0.1229 / 400, abs=1e-4)
    assert indicators(store, "全部", 2024).to_dict()["electricity_kwh"] == 4000
    change = compare(store, "全部", "electricity", 2024, 2023, category="学校").to_dict()
    assert (change["value"], change["base_value"]) == (3000, 2000) and change["institution"] == "全部学校单位"
    series = trend(store, "全部", "electricity", 2023, 2024, category="学校").to_dict()
    assert [p["value"] for p in series["points"]] == [2000, 3000]
    with pytest.raises(LookupFailed, match="单位类型“幼儿园”不存在"):
        indicators(store, "全部", 2024, category="幼儿园")


def test_rank_orders_filters_and_cuts(tmp_path):
    store = open_store(tmp_path, "甲,党政机关,2024,100,10,1000,,,,1\n乙,党政机关,2024,100,10,3000,,,,1\n"
                                 "丙,学校,2024,100,10,2000,,,,1\n")
    result = rank(store, "用电量", 2024, top=2)
    assert [(row.rank, row.institution, row.value) for row in result.rows] == [(1, "乙", 3000), (2, "丙", 2000)]
    assert result.total == 3
    only = rank(store, "electricity", 2024, category="党政机关", top=0)
    assert [row.institution for row in only.rows] == ["乙", "甲"]
    with pytest.raises(LookupFailed):
        rank(store, "electricity", 2024, category="幼儿园")


def test_rank_from_the_bottom_lists_the_lowest_first(tmp_path):
    store = open_store(tmp_path, "甲,党政机关,2024,100,10,1000,,,,1\n乙,党政机关,2024,100,10,3000,,,,1\n"
                                 "丙,学校,2024,100,10,2000,,,,1\n")
    result = rank(store, "electricity", 2024, top=2, lowest_first=True)
    assert [(row.rank, row.institution, row.value) for row in result.rows] == [(1, "甲", 1000), (2, "丙", 2000)]
    assert result.to_dict()["lowest_first"] is True
    assert "从低到高" in result.explain() and "最低的2家" in result.explain()
    assert "从高到低" in rank(store, "electricity", 2024, top=2).explain()


def test_trend_carries_the_fyp14_target_line(tmp_path):
    body = "".join(f"甲单位,党政机关,{y},1000,100,{e},,,,{w}\n"
                   for y, e, w in [(2020, 100000, 3000), (2021, 98000, 2900), (2023, 90000, 2800)])
    store = open_store(tmp_path, body)
    d = trend(store, "甲单位", "energy_per_area", 2020, 2023).to_dict()
    base = 100000 * 0.1229 / 1000
    assert d["base_year"] == 2020 and d["target_pct"] == 5.0
    assert d["target_value"] == pytest.approx(base * 0.95, abs=1e-4)
    assert [p["year"] for p in d["points"]] == [2020, 2021, 2022, 2023]
    assert d["points"][2]["value"] is None  # 2022 has no data and is said so
    assert d["points"][3]["change_vs_base_pct"] == pytest.approx(-10.0, abs=1e-6)
    assert "2022年没有数据" in d["explanation"]
    water = trend(store, "甲单位", "人均用水量", 2020, 2023).to_dict()
    assert water["target_value"] == pytest.approx(30 * 0.94, abs=1e-4)


def test_metric_resolver_accepts_keys_and_chinese_synonyms():
    assert set(METRICS) == {"energy", "energy_per_area", "energy_per_capita", "water", "water_per_capita", "carbon",
                            "carbon_per_area", "electricity"}
    assert resolve_metric("单位面积能耗") == "energy_per_area"
    assert resolve_metric("人均能耗") == "energy_per_capita"
    assert resolve_metric("人均水耗") == "water_per_capita"
    assert resolve_metric("电耗") == "electricity"
    assert resolve_metric("用电量") == "electricity"
    assert resolve_metric("碳排放") == "carbon"
    assert resolve_metric("单位建筑面积碳排放") == "carbon_per_area"
    with pytest.raises(LookupFailed):
        resolve_metric("幸福指数")


def test_configured_factor_override_is_used_and_echoed(tmp_path):
    store = open_store(tmp_path, "甲单位,党政机关,2024,100,10,10000,,,,1\n", {"grid_co2_kg_per_kwh": 0.5306})
    d = indicators(store, "甲单位", 2024).to_dict()
    assert d["carbon_t"] == pytest.approx(10000 * 0.5306 / 1000)
    grid = next(f for f in d["factors"] if f["name"] == "grid_co2_kg_per_kwh")
    assert grid["value"] == 0.5306 and "GREENLEAF_FACTORS" in grid["source"]
    with pytest.raises(ConfigError):
        load_factors({"grid_co2": 0.5})


def test_unknown_year_is_an_error_the_caller_can_fix(tmp_path):
    store = open_store(tmp_path, "甲单位,党政机关,2024,100,10,1,,,,1\n")
    with pytest.raises(LookupFailed, match="可用年份：2024"):
        indicators(store, "甲单位", 2031)
