"""Checks of evals/expected.py's dialogue functions (expected_calc) against sums done by hand from the raw CSV rows,
and a well-formedness check of evals/gold/dialogues.jsonl."""

from __future__ import annotations

import csv
import json

import pytest

from assistant.config import REPO_ROOT
from evals.expected import MONTHLY, SampleData, expected_calc, latest_year

GOLD = MONTHLY.parent.parent.parent / "evals" / "gold" / "dialogues.jsonl"


@pytest.fixture(scope="module")
def sample() -> SampleData:
    return SampleData()


def raw_year(name: str, year: int, through: int = 12) -> dict:
    """One unit's year straight from the CSV: columns summed, area/headcount of the last month, factors by hand."""
    with open(MONTHLY, encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.reader(f) if r and r[0] == name and r[2][:4] == str(year) and int(r[2][5:]) <= through]
    col = lambda i: sum(float(r[i]) for r in rows)  # noqa: E731
    elec, gas, petrol, diesel, water = col(5), col(6), col(7), col(8), col(9)
    energy = elec * 0.1229 + gas * 1.2143 + petrol * 0.725 * 1.4714 + diesel * 0.83 * 1.4571
    carbon = elec * 0.5366 + gas * 2.1622 + petrol * 0.725 * 2.9251 + diesel * 0.83 * 3.0959
    return {"months": len(rows), "area": float(rows[-1][3]), "people": float(rows[-1][4]), "electricity": elec,
            "water": water, "energy": energy, "carbon": carbon}


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def test_metric_library_2024_by_hand(sample):
    raw = raw_year("市图书馆", 2024)
    assert raw["months"] == 12 and raw["area"] == 22000 and raw["people"] == 2997  # 2024-12 row
    for key, want in [("energy", raw["energy"]), ("energy_per_area", raw["energy"] / 22000),
                      ("water_per_capita", raw["water"] / 2997), ("carbon", raw["carbon"] / 1000),
                      ("electricity", raw["electricity"])]:
        got = expected_calc(sample, {"calc": "metric", "institution": "市图书馆", "year": 2024, "metric": key})
        assert got["names"] == ["市图书馆"] and got["year"] == 2024 and not got["ordered"]
        assert close(got["numbers"][0], want), key
    assert round(raw["water"] / 2997, 2) == 8.94


def test_metric_all_is_weighted_sum(sample):
    units = sorted(sample.category)
    parts = [raw_year(n, 2024) for n in units]
    spec = {"calc": "metric", "institution": "全部", "year": 2024, "metric": "energy_per_capita"}
    got = expected_calc(sample, spec)
    assert got["names"] == []
    assert close(got["numbers"][0], sum(p["energy"] for p in parts) / sum(p["people"] for p in parts))


def test_compare_and_trend_whole_city_match_readme(sample):
    got = expected_calc(sample, {"calc": "compare", "institution": "全部", "metric": "energy_per_area",
                                 "year": 2025, "base_year": 2020})
    assert [round(x, 2) for x in got["numbers"]] == [9.07, 9.88, -8.20]  # corpus/data/README.md table
    trend = expected_calc(sample, {"calc": "trend", "institution": "全部", "metric": "energy_per_area",
                                   "from_year": 2020, "to_year": 2025})
    first, last, pct = trend["numbers"]  # trend: first year, last year, change; compare: this year, base year, change
    assert trend["year"] == 2025 and close(first, got["numbers"][1]) and close(last, got["numbers"][0])
    assert close(pct, got["numbers"][2])
    with pytest.raises(ValueError):
        expected_calc(sample, {"calc": "compare", "institution": "市图书馆", "metric": "energy",
                               "year": 2016, "base_year": 2014})


def test_budget_second_middle_school_2025_by_hand(sample):
    raw = raw_year("市第二中学", 2025)
    rate = raw["energy"] / 86700 * 100  # 样例数据_用能预算.csv: 市第二中学,2025,86700,…
    top = expected_calc(sample, {"calc": "budget_tightest", "year": 2025, "top": 3})
    assert top["ordered"] and top["names"][0] == "市第二中学" and close(top["numbers"][0], rate)
    assert top["numbers"] == sorted(top["numbers"], reverse=True) and len(top["names"]) == 3
    assert round(rate, 2) == 118.66
    nov = raw_year("市第二中学", 2025, through=11)["energy"] / 86700 * 100
    over = expected_calc(sample, {"calc": "budget_over", "year": 2025, "through_month": 11})
    assert over["names"] == ["市第二中学"] and close(over["numbers"][0], nov)
    assert expected_calc(sample, {"calc": "budget_over", "year": 2025, "through_month": 6})["names"] == []


def test_quota_breaches_big_data_centre_2025(sample):
    raw = raw_year("市大数据中心", 2025)
    assert raw["area"] == 9000 and raw["people"] == 180
    # quota (其他): 单位面积 14 / 人均能耗 500 / 人均用水 38 约束值 — first two exceeded, water not
    assert raw["energy"] / 9000 > 14 and raw["energy"] / 180 > 500 and raw["water"] / 180 <= 38
    got = expected_calc(sample, {"calc": "quota_breaches", "year": 2025})
    assert got["names"] == ["市大数据中心"] and not got["ordered"]
    assert sorted(got["numbers"]) == sorted([raw["energy"] / 9000, raw["energy"] / 180])
    names_2024 = expected_calc(sample, {"calc": "quota_breaches", "year": 2024})["names"]
    assert "市大数据中心" in names_2024 and 0 < len(names_2024) < 46


def test_rank_category_and_top(sample):
    spec = {"calc": "rank", "metric": "energy_per_area", "year": 2025, "category": "医院", "top": 0}
    got = expected_calc(sample, spec)
    assert set(got["names"]) == {"市人民医院", "市中医院", "市妇幼保健院"} and got["ordered"]
    assert got["numbers"] == sorted(got["numbers"], reverse=True)
    hand = {n: raw_year(n, 2025) for n in got["names"]}
    assert all(close(v, hand[n]["energy"] / hand[n]["area"]) for n, v in zip(got["names"], got["numbers"]))
    top3 = expected_calc(sample, {"calc": "rank", "metric": "electricity", "year": 2023, "top": 3})
    assert top3["names"][0] == "市人民医院" and len(top3["numbers"]) == 3


def test_latest_and_anomaly_scope(sample):
    assert latest_year(sample) == 2025
    assert expected_calc(sample, {"calc": "latest_year"})["year"] == 2025
    got = expected_calc(sample, {"calc": "anomaly_scope", "metric": None, "year": "latest"})
    assert got == {"names": [], "numbers": [], "ordered": False, "year": 2025, "all": True}
    with pytest.raises(ValueError):
        expected_calc(sample, {"calc": "nonsense"})


def test_gold_dialogues_well_formed(sample):
    with open(GOLD, encoding="utf-8") as f:
        dialogues = [json.loads(line) for line in f if line.strip()]
    assert len(dialogues) >= 30 and len({d["id"] for d in dialogues}) == len(dialogues)
    splits = [d["split"] for d in dialogues]
    assert splits.count("dev") >= 20 and splits.count("heldout") >= 10
    for d in dialogues:
        assert len(d["turns"]) >= 2, d["id"]
        for turn in d["turns"]:
            spec = turn["expect"]
            name = spec.get("institution")
            assert name in (None, "全部") or name in sample.category, (d["id"], name)
            assert spec.get("category") in (None, *set(sample.category.values()))
            got = expected_calc(sample, spec)  # raises on unknown metric or a compare base year without data
            if spec["calc"] == "knowledge":  # a question about the rules: the document that answers it exists
                assert (REPO_ROOT / "corpus" / spec["doc"]).is_file(), (d["id"], spec["doc"])
            elif spec["calc"] == "anomaly_scope" and "year" not in spec:
                assert got["year"] is None and got["all"], d["id"]  # "哪些单位数据有异常": no year asked, none checked
            else:
                assert isinstance(got["year"], int) and 2015 <= got["year"] <= 2025, d["id"]  # the sample data: 2015-2025


def test_a_knowledge_turn_in_a_data_dialogue_is_scored_by_the_document_it_cites():
    from evals.everyday import turn_ok

    want = expected_calc(SampleData(), {"calc": "knowledge", "doc": "policies/public-institution-energy-regulation-part2.md"})
    assert turn_ok("超过定额的……（《条例》）", want, ["policies/public-institution-energy-regulation-part2.md"]) == []
    assert turn_ok("市行政中心2024年综合能耗为……", want, []) == [
        "document policies/public-institution-energy-regulation-part2.md not cited"]


def test_a_ranked_list_is_read_in_order_from_its_first_entry():
    from evals.everyday import turn_ok

    want = {"names": ["市人民医院", "市中医院", "市妇幼保健院"], "ordered": True}
    lead = "市中医院人均综合能耗为 230.46 kgce/人，排第 2 名。\n"
    assert turn_ok(lead + "1. 市人民医院；2. 市中医院；3. 市妇幼保健院", want) == []
    assert turn_ok(lead + "1. 市人民医院；2. 市妇幼保健院；3. 市中医院", want) == ["names out of order"]
    assert turn_ok("1. 市中医院；2. 市人民医院；3. 市妇幼保健院", want) == ["names out of order"]
