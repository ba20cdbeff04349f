"""Pins what the LLM sees of each tool: name, first docstring line, parameters and their types.

A docstring or signature edit shows up here as a visible diff, as pydantic-ai's tests do.
"""

from __future__ import annotations

import inspect
import re
import typing

import tools
from assistant.records.store import DataStore

EXPECTED = [
    ("indicators", "查询某单位某年的能耗指标：综合能耗（kgce，当量值）、单位建筑面积能耗、人均综合能耗、用水量、人均用水量、碳排放。",
     ["store", "institution", "year", "category"]),
    ("compare", "比较某单位（或全部单位）某项指标在两个年份之间的变化量和变化率。",
     ["store", "institution", "metric", "year", "base_year", "category"]),
    ("rank", "按某项指标给各单位排名（默认从高到低），可限定单位类型。", ["store", "metric", "year", "category", "top",
                                                        "lowest_first"]),
    ("check_quota", "把某单位（或全部单位）某年的单位面积能耗、人均能耗、人均用水量与能耗定额（约束值、引导值）对比，给出是否超定额及差距。",
     ["store", "institution", "year", "category"]),
    ("budget_status", "查询某单位（或全部单位）某年用能预算的执行情况：预算、已用量、执行率、按去年月度规律预测的全年用量，以及80%、100%预警。",
     ["store", "institution", "year", "through_month"]),
    ("carbon", "计算某单位某年的二氧化碳排放量（分电力、天然气、汽油、柴油），可选电网排放因子版本。",
     ["store", "institution", "year", "factor_set"]),
    ("convert", "在能源实物量、标准煤和二氧化碳之间换算，例如 万kWh→tce、L汽油→kgce、m³天然气→tCO2、tce→kWh。",
     ["quantity", "unit", "to_unit"]),
    ("savings", "测算合同能源管理（EMC）或能源费用托管项目一年的节能量、综合节能率、节约费用、静态回收期和双方分成。",
     ["baseline_kwh", "actual_kwh", "baseline_gas_m3", "actual_gas_m3", "electricity_price", "gas_price",
      "baseline_adjustment_kwh", "baseline_adjustment_gas_m3", "investment", "esco_share"]),
    ("anomalies", "AI 诊断：找出某单位（或全部单位）某年哪些月份的用电、用气、用水、用油明显偏离往年同月或本单位自身规律，并说明可能原因。",
     ["store", "institution", "year", "metric"]),
    ("trend", "给出某单位（或全部单位）某项指标的逐年序列，用于画趋势图和看十四五目标进度。",
     ["store", "institution", "metric", "from_year", "to_year", "category"]),
    ("data_coverage", "查询系统中已导入的能耗数据覆盖哪些年份、多少家单位（按类型），以及最新数据是哪一年、最后一期是几月。", ["store"]),
]
JSON_SIMPLE = {str, int, float, bool, type(None)}


def test_tool_names_descriptions_and_parameters_are_pinned():
    actual = [(f.__name__, inspect.getdoc(f).splitlines()[0], list(inspect.signature(f).parameters)) for f in tools.TOOLS]
    assert actual == EXPECTED


def test_store_comes_first_and_other_parameters_are_json_simple_and_documented():
    for func in tools.TOOLS:
        hints = typing.get_type_hints(func)
        params = list(inspect.signature(func).parameters)
        doc = inspect.getdoc(func)
        assert 2 <= len(doc.split("\n\n")[0].splitlines()) <= 4, func.__name__  # 2–4 lines say when to use it
        assert "Args:" in doc
        if func.__name__ in tools.STORE_TOOLS:
            assert params[0] == "store" and hints["store"] is DataStore
            params = params[1:]
        for name in params:
            kinds = set(typing.get_args(hints[name])) or {hints[name]}
            assert kinds <= JSON_SIMPLE, (func.__name__, name, hints[name])
            assert re.search(rf"^\s+{name}: \S", doc, re.M), (func.__name__, name)  # each argument described
        assert re.search(r"[\u4e00-\u9fff]", doc), func.__name__


def test_results_have_to_dict_explain_inputs_and_factors():
    import dataclasses

    for func in tools.TOOLS:
        returned = typing.get_type_hints(func)["return"]
        for result_type in typing.get_args(returned) or (returned,):  # one unit's result | the whole-city overview
            assert dataclasses.is_dataclass(result_type) and result_type.__dataclass_params__.frozen, func.__name__
            assert callable(getattr(result_type, "to_dict")) and callable(getattr(result_type, "explain"))
            members = {f.name for f in dataclasses.fields(result_type)} | set(dir(result_type))
            assert {"inputs", "factors"} <= members, func.__name__
