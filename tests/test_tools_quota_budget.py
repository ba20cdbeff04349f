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


# ---------------------------------------------------------------- whole city ("全部"), on the committed sample data

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "data"
SAMPLE_FILES = ["样例数据_能耗月度_2015-2025.csv", "样例数据_用能预算.csv", "样例数据_能耗定额.csv"]


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    with DataStore.open(Settings(home=tmp_path_factory.mktemp("sample"))) as store:
        for name in SAMPLE_FILES:
            store.import_file(SAMPLE / name)
        yield store


@pytest.fixture(scope="module")
def csv_sums():
    """Plain csv sums with the DESIGN.md factors (evals/expected.py: no store, no tools)."""
    from evals.expected import SampleData

    return SampleData()


def hand_verdict(value: float, constraint: float, guide: float) -> str:
    v = round(value, 4)
    return "超过约束值" if v > constraint else "优于引导值" if v <= guide else "达标"


def test_quota_for_all_units_2024_lists_exactly_the_units_over_a_constraint(sample_store, csv_sums):
    expected_breaches = {}  # (institution, indicator) -> (value, constraint)
    checked = []
    for (name, year) in csv_sums.months:
        if year != 2024:
            continue
        checked.append(name)
        for key in ("energy_per_area", "energy_per_capita", "water_per_capita"):
            constraint, guide = csv_sums.quota[(csv_sums.category[name], key)]
            value = csv_sums.metric(name, 2024, key)
            if hand_verdict(value, constraint, guide) == "超过约束值":
                expected_breaches[(name, key)] = (value, constraint)

    overview = check_quota(sample_store, "全部", 2024)
    d = overview.to_dict()
    assert d["institution"] == "全部" and d["year"] == 2024 and d["checked"] == len(checked) == 46
    got = {(b["institution"], b["indicator"]): b for b in d["breaches"]}
    assert set(got) == set(expected_breaches)
    assert {name for name, _ in expected_breaches} == {"市博物馆", "市大数据中心", "市文化艺术中心"}
    for pair, (value, constraint) in expected_breaches.items():
        assert got[pair]["value"] == pytest.approx(value, abs=1e-4)
        assert got[pair]["constraint"] == constraint and got[pair]["verdict"] == "超过约束值"
    assert set(d["over"]) == {name for name, _ in expected_breaches}
    assert sum(d["counts"].values()) == 46 and d["counts"]["超过约束值"] == 3


def test_quota_for_all_units_of_one_type_checks_only_that_type(sample_store, csv_sums):
    hospitals = sorted(name for (name, year) in csv_sums.months if year == 2024 and csv_sums.category[name] == "医院")
    overview = check_quota(sample_store, "全部", 2024, category="医院")
    d = overview.to_dict()
    assert sorted(unit["institution"] for unit in d["items"]) == hospitals and len(hospitals) == 3
    assert overview.explain().startswith(f"2024年共核对 {len(hospitals)} 家医院类单位")
    with pytest.raises(LookupFailed, match="“体育”类"):
        check_quota(sample_store, "全部", 2024, category="体育")


def test_quota_for_all_units_gives_every_unit_the_verdicts_its_own_call_gives(sample_store, csv_sums):
    overview = check_quota(sample_store, "全部", 2024).to_dict()
    for unit in overview["items"]:
        name = unit["institution"]
        for item in unit["items"]:
            constraint, guide = csv_sums.quota[(csv_sums.category[name], item["indicator"])]
            assert item["verdict"] == hand_verdict(csv_sums.metric(name, 2024, item["indicator"]), constraint, guide)
        single = check_quota(sample_store, name, 2024)
        assert unit["items"] == [i.to_dict() for i in single.items] and unit["overall"] == single.overall


def test_quota_for_all_units_explanation_names_breaches_first_then_the_rule(sample_store):
    text = check_quota(sample_store, "全部", 2024).explain()
    assert text.startswith("2024年共核对 46 家单位，超过约束值的有 3 家：")
    rule = text.index("等于约束值仍算达标")
    for name in ("市博物馆", "市大数据中心", "市文化艺术中心"):
        assert text.index(name) < rule
    assert "人均综合能耗 80.01 kgce/人，约束值 80" in text  # 市博物馆: a figure and its constraint


def test_quota_for_one_unit_keeps_its_result_type(sample_store):
    from tools.quota import QuotaResult

    d = check_quota(sample_store, "博物馆", 2024).to_dict()
    assert isinstance(check_quota(sample_store, "博物馆", 2024), QuotaResult)
    assert list(d) == ["institution", "year", "category", "overall", "items", "notes", "inputs", "factors",
                       "explanation"]


def test_quota_for_all_units_names_the_units_it_could_not_check(tmp_path):
    data = (HEADER + "甲单位,党政机关,2024,1000,40,10000,100\n某小学,学校,2024,1000,20,1000,100\n"
            "无类型单位,,2024,1000,20,1000,100\n")
    store = open_store(tmp_path, ("c.csv", data), ("q.csv", QUOTAS))
    d = check_quota(store, "全部", 2024).to_dict()
    assert d["checked"] == 1 and d["items"][0]["institution"] == "甲单位" and d["breaches"] == []
    notes = "".join(d["notes"])
    assert "没有“学校”类定额）：某小学" in notes and "没有单位类型）：无类型单位" in notes
    assert "没有单位超过约束值" in d["explanation"]


def test_budget_for_all_units_2025_through_october_is_ranked_tightest_first(sample_store, csv_sums):
    expected = []
    for (name, year), budget in csv_sums.budget.items():
        if year == 2025 and (name, 2025) in csv_sums.months:
            expected.append((name, csv_sums.year(name, 2025, through=10)["energy"] / budget["energy"] * 100))
    expected.sort(key=lambda row: (-row[1], row[0]))

    d = budget_status(sample_store, "全部", 2025, through_month=10).to_dict()
    assert d["institution"] == "全部" and d["through_month"] == 10 and d["checked"] == len(expected) == 46
    assert [row["institution"] for row in d["rows"]] == [name for name, _ in expected]
    for row, (_, rate) in zip(d["rows"], expected):
        assert row["rate"] == pytest.approx(rate, abs=1e-4)
        assert row["level"] == ("超预算" if rate >= 100 else "预警" if rate >= 80 else "正常")
    assert d["over"] == [name for name, rate in expected if rate >= 100]
    top = d["rows"][0]
    el = next(i for i in top["items"] if i["metric"] == "electricity")
    used_kwh = csv_sums.year(top["institution"], 2025, through=10)["electricity"]
    assert el["execution_rate"] == pytest.approx(used_kwh / csv_sums.budget[(top["institution"], 2025)]["electricity"]
                                                 * 100, abs=1e-4)


def test_budget_for_all_units_full_year_names_the_units_over_budget_first(sample_store, csv_sums):
    rates = {name: csv_sums.year(name, 2025)["energy"] / b["energy"] * 100
             for (name, year), b in csv_sums.budget.items() if year == 2025}
    over = sorted((n for n, r in rates.items() if r >= 100), key=lambda n: (-rates[n], n))
    result = budget_status(sample_store, "全部", 2025)
    assert list(result.over) == over and over  # the sample has units over budget at year end
    text = result.explain()
    assert text.startswith("2025年共 46 家单位有用能预算和能耗数据，1–12月综合能耗预算执行率从高到低")
    assert text.index(f"1. {over[0]} {rates[over[0]]:.2f}%") < text.index(f"2. {over[1]}")


def test_budget_for_all_units_skips_a_unit_without_data_that_far(tmp_path):
    data = HEADER + monthly("甲单位", 2025, [90] * 6) + monthly("乙单位", 2025, [50] * 3)
    budgets = "单位名称,预算年度,电力预算(kWh)\n甲单位,2025,1000\n乙单位,2025,100\n"
    store = open_store(tmp_path, ("c.csv", data), ("b.csv", budgets))
    result = budget_status(store, "全部", 2025, through_month=5)
    assert [res.institution for res in result.results] == ["甲单位"]
    assert "乙单位" in "".join(result.notes) and "只有到3月的数据" in "".join(result.notes)
    everyone = budget_status(store, "全部", 2025)  # each unit through its own last month
    assert "各单位数据截至月份不同" in "".join(everyone.notes)
