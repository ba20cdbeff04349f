"""anomalies: finds planted leaks, spikes and zero readings; quiet on clean seasonal data, with or without history."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.records.store import DataStore
from assistant.errors import LookupFailed
from tools.anomalies import anomalies

EL = [1.12, 0.85, 0.88, 0.84, 0.92, 1.04, 1.28, 1.30, 1.10, 0.88, 0.86, 1.05]   # summer cooling, winter heating
WATER = [0.92, 0.80, 0.95, 0.98, 1.02, 1.08, 1.15, 1.15, 1.05, 1.00, 0.95, 0.95]
SCHOOL = [1.05, 0.45, 1.10, 1.05, 1.10, 1.20, 0.60, 0.50, 1.20, 1.10, 1.05, 1.15]  # vacations in Feb, Jul, Aug


def series(name: str, years: range, profile: list[float], seed: int, plant: dict | None = None) -> str:
    """Monthly CSV rows: seasonal profile, −2%/year trend, ±3% noise; `plant` maps (year, month, field) → factor."""
    rng = random.Random(seed)
    plant = plant or {}
    lines = []
    for year in years:
        level = 0.98 ** (year - years[0])
        for month in range(1, 13):
            el = 50000 * profile[month - 1] * level * rng.gauss(1, 0.03) * plant.get((year, month, "el"), 1)
            water = 800 * WATER[month - 1] * level * rng.gauss(1, 0.03) * plant.get((year, month, "water"), 1)
            lines.append(f"{name},党政机关,{year}-{month:02d},5000,150,{el:.0f},{water:.0f}\n")
    return "".join(lines)


def open_store(tmp_path: Path, body: str) -> DataStore:
    (tmp_path / "c.csv").write_text("单位名称,单位类型,统计期,建筑面积,用能人数,电力,水\n" + body, encoding="utf-8")
    store = DataStore.open(Settings(home=tmp_path / "home"))
    store.import_file(tmp_path / "c.csv")
    return store


def test_finds_planted_leak_spike_and_zero(tmp_path):
    plant = {(2024, 7, "water"): 3.0, (2024, 10, "el"): 2.5, (2024, 3, "el"): 0.0}
    store = open_store(tmp_path, series("甲单位", range(2019, 2025), EL, seed=1, plant=plant))
    result = anomalies(store, "甲单位", 2024)
    found = {(a.period, a.field) for a in result.items}
    assert found == {("2024-07", "water_m3"), ("2024-10", "electricity_kwh"), ("2024-03", "electricity_kwh")}
    zero = next(a for a in result.items if a.period == "2024-03")
    assert zero.value == 0 and "表计停走" in zero.explanation
    leak = next(a for a in result.items if a.field == "water_m3")
    assert leak.deviation_pct > 150 and "漏水" in leak.explanation and leak.method == "同月历史"


def test_quiet_on_clean_seasonal_data(tmp_path):
    body = series("甲单位", range(2018, 2025), EL, seed=2) + series("乙学校", range(2018, 2025), SCHOOL, seed=3)
    store = open_store(tmp_path, body)
    for name in ("甲单位", "乙学校"):
        for year in (2021, 2022, 2023, 2024):
            result = anomalies(store, name, year)
            assert result.items == (), (name, year, [a.explanation for a in result.items])
    assert "未发现异常" in anomalies(store, "甲单位", 2024).explain()


def test_year_wide_level_shift_is_a_note_not_twelve_anomalies(tmp_path):
    plant = {(2024, m, "el"): 0.6 for m in range(1, 13)}  # e.g. a retrofit: every month 40% lower
    store = open_store(tmp_path, series("甲单位", range(2019, 2025), EL, seed=4, plant=plant))
    result = anomalies(store, "甲单位", 2024)
    assert result.items == ()
    assert any("整体为往年同月水平" in n for n in result.notes)


def test_without_history_uses_own_months_and_ignores_vacation_lows(tmp_path):
    store = open_store(tmp_path, series("乙学校", range(2024, 2025), SCHOOL, seed=5,
                                        plant={(2024, 5, "el"): 3.0}))
    result = anomalies(store, "乙学校", 2024)
    assert [(a.period, a.field, a.method) for a in result.items] == [("2024-05", "electricity_kwh", "本年各月")]


def test_annual_only_data_cannot_be_diagnosed(tmp_path):
    store = open_store(tmp_path, "丙单位,党政机关,2024,100,10,1000,10\n")
    with pytest.raises(LookupFailed, match="没有月度数据"):
        anomalies(store, "丙单位", 2024)


# ---------------------------------------------------------------- one source, and every unit ("全部")


def test_metric_limits_the_check_to_one_source(tmp_path):
    plant = {(2024, 7, "water"): 3.0, (2024, 10, "el"): 2.5, (2024, 3, "el"): 0.0}
    store = open_store(tmp_path, series("甲单位", range(2019, 2025), EL, seed=1, plant=plant))
    for spelling in ("electricity", "用电", "用电量", "电耗"):
        result = anomalies(store, "甲单位", 2024, metric=spelling)
        assert {(a.period, a.field) for a in result.items} == {("2024-10", "electricity_kwh"),
                                                               ("2024-03", "electricity_kwh")}
        assert result.checked == 12 and result.metric == "electricity"
    assert [a.period for a in anomalies(store, "甲单位", 2024, metric="用水").items] == ["2024-07"]
    with pytest.raises(LookupFailed, match="不认识要诊断的用能品种“能耗”"):
        anomalies(store, "甲单位", 2024, metric="能耗")


def test_all_units_put_units_with_anomalies_first_and_sort_them_by_severity(tmp_path):
    body = (series("甲单位", range(2019, 2025), EL, seed=1,
                   plant={(2024, 7, "water"): 3.0, (2024, 10, "el"): 2.5, (2024, 3, "el"): 0.0})
            + series("乙单位", range(2019, 2025), EL, seed=2)
            + series("丙单位", range(2019, 2025), EL, seed=3, plant={(2024, 5, "water"): 4.0}))
    store = open_store(tmp_path, body)
    overview = anomalies(store, "全部", 2024)
    assert [res.institution for res in overview.results] == ["丙单位", "甲单位", "乙单位"]  # +300% before +200%
    deviations = [abs(a.deviation_pct) for a in overview.results[1].items]
    assert deviations == sorted(deviations, reverse=True) and len(deviations) == 3
    d = overview.to_dict()
    assert d["institution"] == "全部" and d["checked"] == 3 and d["readings"] == 3 * 24 and d["count"] == 4
    assert d["with_anomalies"] == ["丙单位", "甲单位"]
    text = overview.explain()
    assert text.startswith("2024年共检查 3 家单位的") and "2 家发现异常" in text and "其余 1 家未发现异常" in text
    assert text.index("丙单位") < text.index("甲单位") < text.index("其余")
    water = anomalies(store, "全部", 2024, metric="water")
    assert [(res.institution, [a.period for a in res.items]) for res in water.with_anomalies] == [
        ("丙单位", ["2024-05"]), ("甲单位", ["2024-07"])]


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    data = Path(__file__).resolve().parent.parent / "corpus" / "data"
    with DataStore.open(Settings(home=tmp_path_factory.mktemp("sample"))) as store:
        store.import_file(data / "样例数据_能耗月度_2015-2025.csv")
        yield store


@pytest.mark.parametrize("year", [2024, 2025])
def test_all_units_on_the_sample_cover_every_unit_and_agree_with_each_units_own_call(sample_store, year):
    from evals.expected import SampleData

    with_monthly = {name for (name, y) in SampleData().months if y == year}  # plain csv: every row is monthly
    overview = anomalies(sample_store, "全部", year)
    assert {res.institution for res in overview.results} == with_monthly and len(with_monthly) == 46
    for res in overview.results:
        single = anomalies(sample_store, res.institution, year)
        assert sorted(a.to_dict().items() for a in res.items) == sorted(a.to_dict().items() for a in single.items)
        assert res.checked == single.checked
    assert overview.readings == sum(res.checked for res in overview.results)
    assert {res.institution for res in overview.with_anomalies} == {
        res.institution for res in overview.results if anomalies(sample_store, res.institution, year).items}


def test_all_units_on_the_sample_find_the_planted_leak_for_water_only(sample_store):
    water = anomalies(sample_store, "全部", 2024, metric="用水量").to_dict()
    assert water["metric"] == "water" and water["with_anomalies"][0] == "市图书馆"
    assert {i["field"] for unit in water["institutions"] for i in unit["items"]} == {"water_m3"}
    electricity = anomalies(sample_store, "全部", 2024, metric="用电")
    assert "市图书馆" not in {res.institution for res in electricity.with_anomalies}


@pytest.mark.parametrize("text, key", [
    ("electricity", "electricity"), ("用电", "electricity"), ("用电量", "electricity"), ("用水", "water"),
    ("天然气", "natural_gas"), ("用气", "natural_gas"), ("柴油", "diesel"), ("water_m3", "water"),
    ("用电有异常吗", "electricity"), ("用油", None), ("用电和用水", None), ("能耗", None), ("", None),
])
def test_source_named_reads_keys_names_and_readings(text, key):
    from assistant.records.metrics import source_named

    found = source_named(text)
    assert (found.key if found else None) == key
