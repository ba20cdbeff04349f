"""The one number checker: numbers are compared as values (separators, trailing zeros, 万/亿, Chinese numerals,
dates), so a model's text passes when the evidence states its figures and is flagged when it invents one."""

from __future__ import annotations

from assistant import numbercheck
from assistant.numbercheck import unsupported_numbers

TOOL_RESULT = '{"institution": "市行政中心", "year": 2024, "energy_per_area_kgce_m2": 13.2418, "change_pct": -4.98}'


# ---------------------------------------------------------------- reading numbers


def test_find_numbers_normalises_commas_percent_and_chinese_numerals():
    found = numbercheck.find_numbers("用电1,234.5千瓦时，下降5%，约一千人，二〇二六年，百分之六，“十四五”期间，第三季度")
    values = [float(n.value) for n in found]
    assert values == [1234.5, 5.0, 1000.0, 2026.0, 6.0]
    assert [n.percent for n in found] == [False, True, False, False, True]


def test_find_numbers_reads_wan_and_yi():
    assert [float(n.value) for n in numbercheck.find_numbers("1.64亿吨，140万千瓦时，三万五千")] == [164000000.0, 1400000.0, 35000.0]


def test_dates_are_read_as_month_and_day():
    found = numbercheck.find_numbers("6月23日至29日，7月10日—8月2日")
    assert [(int(n.value), n.date) for n in found] == [(623, True), (629, True), (710, True), (802, True)]
    # 6月24日 is not allowed just because 24 and 6 occur somewhere among the facts
    assert [n.raw for n in numbercheck.unverified_numbers("6月24日", ["6月23日，24人"])] == ["6月24日"]


def test_unverified_numbers_allow_roundings_but_not_inventions():
    allowed = ["综合能耗189.54吨标准煤，下降4.26%"]
    assert numbercheck.unverified_numbers("综合能耗约189.5吨，下降4.3%，两项措施", allowed) == []
    bad = numbercheck.unverified_numbers("节约12,345千瓦时，下降6%", allowed)
    assert [n.raw for n in bad] == ["12,345", "6%"]


def test_placeholder_labels_and_plan_names_are_not_figures():
    assert numbercheck.find_numbers("“十四五”期间，【待补充：2026年活动主题】") == []


# ---------------------------------------------------------------- unsupported_numbers (the agent's check)


def test_invented_figure_is_reported_as_written():
    assert unsupported_numbers("市行政中心2024年单位建筑面积能耗为 12.87 kgce/m²。", [TOOL_RESULT]) == ["12.87"]


def test_figure_from_a_tool_result_passes_rounded_or_not():
    assert unsupported_numbers("2024年单位建筑面积能耗为13.24 kgce/m²，约13.2，较上年下降4.98%。", [TOOL_RESULT]) == []


def test_citation_markers_and_small_counts_are_not_figures():
    assert unsupported_numbers("分3个方面说明[1][12]，共两项措施。", []) == []


def test_thousands_separators_are_ignored_either_way():
    assert unsupported_numbers("用电12345千瓦时", ["用电量 12,345 kWh"]) == []
    assert unsupported_numbers("用电12,345千瓦时", ['{"electricity_kwh": 12345}']) == []


def test_trailing_zeros_are_ignored_either_way():
    assert unsupported_numbers("执行率80.10%", ['{"execution_rate": 80.1}']) == []
    assert unsupported_numbers("执行率80.1%", ["执行率 80.10%"]) == []


def test_wan_and_chinese_numerals_match_their_arabic_values():
    evidence = ['{"electricity_kwh": 14000, "water_m3": 30000, "headcount": 1200, "rate": 15, "year": 2026}']
    assert unsupported_numbers("约1.4万千瓦时、3万立方米，一千二百人，百分之十五，二〇二六年", evidence) == []
    assert unsupported_numbers("约2万千瓦时，一千三百人", evidence) == ["2万", "一千三百"]


def test_percent_under_ten_must_match_exactly():
    # 5% is a figure, not a count: it is not a rounding of 4.98 to whole percent the checker can trust
    assert unsupported_numbers("较上年下降5%", [TOOL_RESULT]) == ["5%"]


def test_dates_need_the_same_date_in_the_evidence():
    assert unsupported_numbers("每年3月31日前报送", ["每年3月31日前报送上一年度能源消耗状况"]) == []
    assert unsupported_numbers("3月30日前报送", ["3月31日，30人"]) == ["3月30日"]


def test_each_unsupported_number_is_named_once_in_order():
    assert unsupported_numbers("节约35千瓦时，又节约35千瓦时，共47.5吨", ["2024"]) == ["35", "47.5"]
