"""The agent's tools: plain typed functions over the consumption data (see docs/TOOLS.md).

Data tools take `store: DataStore` first (the agent binds it); every other parameter is JSON-simple. Each returns a
frozen result with `.to_dict()` and `.explain()`.
"""

from __future__ import annotations

from typing import Callable

from tools.anomalies import anomalies
from tools.budget import budget_status
from tools.carbon import carbon
from tools.coverage import data_coverage
from tools.energy import METRICS, compare, indicators, rank, resolve_metric, trend
from tools.quota import check_quota
from tools.savings import savings
from tools.units import convert

TOOLS: list[Callable] = [indicators, compare, rank, check_quota, budget_status, carbon, convert, savings, anomalies,
                         trend, data_coverage]
# Tools whose first parameter is the DataStore (the caller binds it).
STORE_TOOLS = {f.__name__ for f in TOOLS} - {"convert", "savings"}

__all__ = ["TOOLS", "STORE_TOOLS", "METRICS", "resolve_metric", "indicators", "compare", "rank", "check_quota",
           "budget_status", "carbon", "convert", "savings", "anomalies", "trend", "data_coverage"]
