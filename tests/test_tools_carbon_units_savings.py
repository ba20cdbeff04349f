"""carbon factor sets, convert round trips and refusals, savings arithmetic."""

from __future__ import annotations

import pytest

from assistant.config import Settings
from assistant.records.store import DataStore
from assistant.errors import LookupFailed
from tools.carbon import carbon
from tools.savings import savings
from tools.units import convert


@pytest.fixture
def store(tmp_path):
    (tmp_path / "c.csv").write_text("单位名称,统计期,建筑面积,用能人数,电力,天然气,柴油\n甲单位,2024,1000,10,10000,100,10\n",
                                    encoding="utf-8")
    with DataStore.open(Settings(home=tmp_path / "home")) as s:
        s.import_file(tmp_path / "c.csv")
        yield s


def test_carbon_default_uses_national_2022(store):
    d = carbon(store, "甲单位", 2024).to_dict()
    expected = 10000 * 0.5366 + 100 * 2.1622 + 10 * 0.83 * 3.0959
    assert d["carbon_t"] == pytest.approx(expected / 1000, abs=1e-4)
    assert d["carbon_per_area_kg_m2"] == pytest.approx(expected / 1000, abs=1e-4)
    by = {line["source"]: line["co2_kg"] for line in d["by_source"]}
    assert by["electricity"] == pytest.approx(5366.0)


@pytest.mark.parametrize("factor_set, grid", [
    ("national_2023", 0.5306), ("east_china_2022", 0.5617), ("east_china_2023", 0.55), ("华东2023", 0.55),
    ("zhejiang_2022", 0.5153), ("浙江2021", 0.5422), ("national_2022", 0.5366),
])
def test_carbon_factor_sets(store, factor_set, grid):
    result = carbon(store, "甲单位", 2024, factor_set=factor_set)
    by = {line.source: line.co2_kg for line in result.lines}
    assert by["electricity"] == pytest.approx(10000 * grid)
    assert by["natural_gas"] == pytest.approx(100 * 2.1622)
    assert any(f.name == "grid_co2_kg_per_kwh" and f.value == grid for f in result.factors)


def test_secondary_factor_sets_are_flagged_and_unknown_sets_refused(store):
    assert "二手来源" in carbon(store, "甲单位", 2024, factor_set="zhejiang_2022").explain()
    with pytest.raises(LookupFailed) as info:
        carbon(store, "甲单位", 2024, factor_set="zhejiang_2023")
    assert "national_2023" in info.value.candidates


def test_convert_known_values():
    assert convert(1, "万kWh", "tce").value == pytest.approx(1.229)
    assert convert(100, "L汽油", "kgce").value == pytest.approx(100 * 0.725 * 1.4714)
    assert convert(1000, "m³天然气", "tCO2").value == pytest.approx(2.1622)
    assert convert(1, "t柴油", "kgce").value == pytest.approx(1457.1)
    assert convert(2000, "kg原煤", "tce").value == pytest.approx(1.4286)
    assert convert(3, "tce", "kgce").value == pytest.approx(3000)


@pytest.mark.parametrize("unit, via", [("kWh", "kgce"), ("万kWh", "tce"), ("L柴油", "kgce"), ("m3", "tce"),
                                       ("kg汽油", "kgCO2"), ("L汽油", "tCO2"), ("万kWh", "kWh")])
def test_convert_round_trips(unit, via):
    there = convert(123.45, unit, via)
    back = convert(there.value, via, unit)
    assert back.value == pytest.approx(123.45, rel=1e-12)


def test_convert_refuses_ambiguous_or_meaningless_units():
    with pytest.raises(LookupFailed, match="没有说明是哪种燃料"):
        convert(10, "L", "kgce")
    with pytest.raises(LookupFailed, match="没有固定换算"):
        convert(1, "tce", "tCO2")
    with pytest.raises(LookupFailed, match="不认识单位"):
        convert(1, "马力", "kWh")


def test_savings_arithmetic():
    r = savings(baseline_kwh=1_000_000, actual_kwh=800_000, baseline_gas_m3=100_000, actual_gas_m3=90_000,
                electricity_price=0.8, gas_price=3.5, investment=500_000, esco_share=0.7)
    d = r.to_dict()
    saved_kgce = 200_000 * 0.1229 + 10_000 * 1.2143          # 36 723
    baseline_kgce = 1_000_000 * 0.1229 + 100_000 * 1.2143    # 244 330
    assert d["saved_kgce"] == pytest.approx(saved_kgce)
    assert d["saving_rate_pct"] == pytest.approx(saved_kgce / baseline_kgce * 100, abs=1e-4)
    assert d["cost_saved"] == pytest.approx(200_000 * 0.8 + 10_000 * 3.5)  # 195 000 元
    assert d["esco_part"] == pytest.approx(136_500) and d["institution_part"] == pytest.approx(58_500)
    assert d["payback_years"] == pytest.approx(500_000 / 195_000, abs=1e-4)
    assert d["esco_payback_years"] == pytest.approx(500_000 / 136_500, abs=1e-4)


def test_savings_adjusted_baseline_and_bad_share():
    r = savings(baseline_kwh=1_000_000, actual_kwh=800_000, baseline_adjustment_kwh=50_000)
    assert r.saved_kwh == 250_000 and r.baseline_kwh == 1_050_000
    with pytest.raises(LookupFailed, match="0–1"):
        savings(baseline_kwh=1, actual_kwh=1, esco_share=70)
