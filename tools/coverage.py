"""数据覆盖: which years and institutions the imported consumption data cover, and the latest period.

Answers "系统里最新的能耗数据是哪一年的？" from the store itself, so that "今年" and "最新" in later questions
mean a year that has data.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.errors import LookupFailed
from assistant.records.store import DataStore


@dataclass(frozen=True)
class DataCoverage:
    years: tuple[int, ...]
    institutions: int
    by_category: tuple[tuple[str, int], ...]
    latest_year: int
    latest_period: str  # the last period any institution has, e.g. "2025-12"
    latest_year_institutions: int  # institutions with data in latest_year
    inputs: tuple[dict, ...]  # per institution: category, first and last period, number of periods
    factors: tuple = ()  # no conversion factor is involved

    def to_dict(self) -> dict:
        return {"years": list(self.years), "institutions": self.institutions,
                "by_category": dict(self.by_category), "latest_year": self.latest_year,
                "latest_period": self.latest_period, "latest_year_institutions": self.latest_year_institutions,
                "inputs": list(self.inputs)}

    def explain(self) -> str:
        span = f"{self.years[0]}–{self.years[-1]} 年" if len(self.years) > 1 else f"{self.years[0]} 年"
        categories = "、".join(f"{c} {n} 家" for c, n in self.by_category)
        return (f"系统中最新的能耗数据是 {self.latest_year} 年（最后一期 {self.latest_period}，"
                f"{self.latest_year_institutions} 家单位有该年数据）。能耗数据覆盖 {span}，共 {self.institutions} 家单位"
                f"（{categories}）。")


def data_coverage(store: DataStore) -> DataCoverage:
    """查询系统中已导入的能耗数据覆盖哪些年份、多少家单位（按类型），以及最新数据是哪一年、最后一期是几月。
    用户问“最新的数据是哪一年”“数据有哪几年”“系统里有多少家单位”时调用。

    Args:
        store: 能耗数据库（由调用方绑定）。
    """
    infos = store.institutions()
    if not infos:
        raise LookupFailed("还没有导入能耗数据，请先在“能耗数据”页面导入。")
    years = sorted({y for i in infos for y in i.years})
    latest = years[-1]
    counts: dict[str, int] = {}
    for info in infos:
        counts[info.category or "其他"] = counts.get(info.category or "其他", 0) + 1
    return DataCoverage(tuple(years), len(infos), tuple(sorted(counts.items(), key=lambda t: -t[1])), latest,
                        max(i.last_period for i in infos), sum(1 for i in infos if latest in i.years),
                        tuple({"institution": i.name, "category": i.category, "first_period": i.first_period,
                               "last_period": i.last_period, "periods": i.periods} for i in infos))
