"""The facts a draft may state: figures from the tools, the year's campaign theme and dates, the policy basis.

Every figure comes from a tool in tools/ (indicators, compare, check_quota, budget_status, savings) and is printed
with the name, unit and digits of the metric vocabulary (assistant/records/metrics.py). A fact that cannot be found
stays missing and prints as 【待补充：label】; nothing is estimated. Not handled here: the prose (render.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterator, Mapping, Protocol

from assistant.drafting.dates import issue_date
from assistant.drafting.kinds import Kind
from assistant.errors import GreenLeafError, LookupFailed
from assistant.records.metrics import ATTRIBUTE_BY_KEY, SOURCE_BY_KEY, Metric, metric
from tools.budget import budget_status
from tools.energy import compare, indicators
from tools.quota import check_quota
from tools.savings import savings

PLACEHOLDER = "【待补充：{}】"
PLACEHOLDER_RE = re.compile(r"【待补充：([^】]*)】")
UNVERIFIED = "【待核实】"  # put after a number the model wrote that no fact holds (rewrite.py)
GAP_RE = re.compile(r"【待补充：[^】]*】|【待核实】")  # what a person must fill in or check: highlighted in .docx and preview


@dataclass(frozen=True)
class Fact:
    """One fact a draft may state; `text` is what the document prints (with unit), None when missing."""

    name: str
    label: str
    text: str | None
    value: float | str | None = None
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label, "text": self.text, "value": self.value, "source": self.source}


@dataclass(frozen=True)
class SourceRef:
    """A policy basis a draft cites: "《公共机构节能条例》第十五条" and what it requires, in our own words."""

    label: str
    gist: str = ""
    source: str = ""

    def __str__(self) -> str:
        return f"{self.label}（{self.gist}）" if self.gist else self.label


class Knowledge(Protocol):
    """What drafting needs from the knowledge base (assistant.retrieval.knowledge.KnowledgeBase satisfies it)."""

    def search(self, query: str, k: int = 5, doc_type: str | None = None) -> Any: ...


class FactSheet:
    """The facts of one draft, by name; templates read them as `f.name` and get text or 【待补充：label】."""

    def __init__(self) -> None:
        self._facts: dict[str, Fact] = {}
        self.basis: list[SourceRef] = []  # policy basis

    def set(self, name: str, label: str, text: str | None, value: float | str | None = None, source: str = "") -> None:
        self._facts[name] = Fact(name, label, text if text not in ("", None) else None, value, source)

    def get(self, name: str) -> Fact:
        return self._facts[name]

    def has(self, name: str) -> bool:
        return name in self._facts and self._facts[name].text is not None

    def __iter__(self) -> Iterator[Fact]:
        return iter(self._facts.values())

    def present(self) -> list[Fact]:
        return [f for f in self._facts.values() if f.text is not None]


def gather_facts(
    kind: Kind, values: Mapping[str, str], *, store: Any = None, knowledge: Knowledge | None = None,
    today: date | None = None,
) -> FactSheet:
    """Collect every fact the kind's template may print; what cannot be found stays missing."""
    sheet = FactSheet()
    today = today or date.today()
    labels = {p.name: p.label for p in kind.params}
    for name, value in values.items():
        sheet.set(name, labels.get(name, name), value or None, value or None, "参数")
    year = int(values["year"])
    sheet.set("year", "年度", f"{year}", year, "参数")
    _campaign_facts(sheet, year, values, knowledge)
    if kind.dated and not values.get("issue_date"):
        signed = issue_date(dict(kind.dated), values, sheet.get("date").text, today)
        sheet.set("issue_date", "成文日期", signed.text, signed.day and signed.day.isoformat(), signed.reason)
    if kind.uses_data:
        _data_facts(sheet, kind, values, store)
    _basis_facts(sheet, kind, knowledge)
    return sheet


# ---------------------------------------------------------------- campaign calendar (FACTS.md §5.7)


@dataclass(frozen=True)
class CampaignYear:
    week: str  # 节能宣传周 dates
    theme: str
    low_carbon_day: str
    low_carbon_theme: str


CAMPAIGNS: dict[int, CampaignYear] = {
    2019: CampaignYear("6月17日至23日", "绿色发展 节能先行", "6月19日", "低碳行动 保卫蓝天"),
    2021: CampaignYear("8月23日至29日", "节能降碳，绿色发展", "8月25日", "低碳生活，绿建未来"),
    2022: CampaignYear("6月13日至19日", "绿色低碳，节能先行", "6月15日", "落实“双碳”行动，共建美丽家园"),
    2023: CampaignYear("7月10日至16日", "节能降碳，你我同行", "7月12日", "积极应对气候变化，推动绿色低碳发展"),
    2024: CampaignYear("5月13日至19日", "绿色转型，节能攻坚", "5月15日", "绿色低碳，美丽中国"),
    2025: CampaignYear("6月23日至29日", "节能增效，焕“新”引领", "6月25日", "碳路先锋、绿动未来"),
}
FIRST_CAMPAIGN_YEAR = 1991  # held every year since; 2023 was the 33rd
FIRST_LOW_CARBON_DAY_YEAR = 2013  # third day of the week; 2022 was the 10th


def _campaign_facts(sheet: FactSheet, year: int, values: Mapping[str, str], knowledge: Knowledge | None) -> None:
    known = CAMPAIGNS.get(year)
    theme = values.get("theme") or (known.theme if known else None)
    source = "参数" if values.get("theme") else "内置宣传周主题表（FACTS.md §5.7）"
    if not theme and knowledge is not None:
        theme, source = _theme_from_knowledge(knowledge, year)
    sheet.set("theme", "本年度活动主题", theme and _quoted(theme), theme, source)
    sheet.set("theme_plain", "本年度活动主题", theme, theme, source)
    sheet.set("week_dates", "本年度节能宣传周时间", known and f"{year}年{known.week}", known and known.week, source)
    sheet.set("low_carbon_day", "本年度全国低碳日时间", known and f"{year}年{known.low_carbon_day}",
              known and known.low_carbon_day, source)
    sheet.set("low_carbon_theme", "本年度全国低碳日主题", known and _quoted(known.low_carbon_theme),
              known and known.low_carbon_theme, source)
    if year >= FIRST_CAMPAIGN_YEAR:
        n = year - FIRST_CAMPAIGN_YEAR + 1
        sheet.set("week_ordinal", "届次", f"第{n}个", n, "自1991年起每年举办")
    if year >= FIRST_LOW_CARBON_DAY_YEAR:
        n = year - FIRST_LOW_CARBON_DAY_YEAR + 1
        sheet.set("low_carbon_ordinal", "低碳日届次", f"第{n}个", n, "自2013年起设立")
    when = values.get("date") or (known and f"{year}年{known.week}")
    sheet.set("date", "活动时间", when, when, "参数" if values.get("date") else source)


def _quoted(text: str) -> str:
    """“…” around a phrase; quotes inside it become single quotes, as Chinese typesetting nests them."""
    return "“" + text.replace("“", "‘").replace("”", "’") + "”"


_THEME_RE = r"{year}\s*年[^。\n]{{0,40}}?主题[为是：:\s]*[“\"「]([^”\"」\n]{{4,30}})[”\"」]"
_UNVERIFIED_WORDS = ("待核实", "待补充", "未核实", "—")


def _theme_from_knowledge(knowledge: Knowledge, year: int) -> tuple[str | None, str]:
    """The year's week theme from campaign documents: a table row "| 2026年 | 日期 | 主题 | …" or a sentence
    naming that year's 主题. Rows marked 待核实 and sentences about 全国低碳日 do not count."""
    sentence = re.compile(_THEME_RE.format(year=year))
    row = re.compile(rf"^\|\s*{year}\s*年?\s*\|[^|\n]*\|([^|\n]+)\|", re.M)
    for doc_type in ("campaign", None):
        for hit in _hits(knowledge, f"{year}年 全国节能宣传周 日期与主题", doc_type):
            text = hit.chunk.text
            for match in (row.search(text), sentence.search(text)):
                if match and "低碳日" not in match.group(0):
                    theme = match.group(1).strip().strip("“”\"")
                    if theme and not any(w in theme for w in _UNVERIFIED_WORDS):
                        return theme, _label(hit)
    return None, ""


# ---------------------------------------------------------------- policy basis


def _basis_facts(sheet: FactSheet, kind: Kind, knowledge: Knowledge | None) -> None:
    for law, article, gist in kind.basis:
        sheet.basis.append(SourceRef(f"{law}{article}", gist, "内置（FACTS.md §5.1–5.2）"))
    if knowledge is None or not kind.basis_query:
        return
    seen = {c.label for c in sheet.basis}
    for hit in _hits(knowledge, kind.basis_query, None)[:3]:
        if hit.chunk.article and kind.basis_must in hit.chunk.text:
            label = f"《{hit.chunk.title}》{hit.chunk.article}"
            if label not in seen:
                sheet.basis.append(SourceRef(label, "", _label(hit)))
                seen.add(label)


def _hits(knowledge: Knowledge, query: str, doc_type: str | None) -> list[Any]:
    try:
        return list(knowledge.search(query, k=5, doc_type=doc_type).hits)
    except GreenLeafError:
        return []  # an empty or unreadable knowledge base leaves the facts missing, it does not stop the draft


def _label(hit: Any) -> str:
    try:
        return hit.citation_label()
    except AttributeError:
        return hit.chunk.title


# ---------------------------------------------------------------- figures from the tools

# Facts read off the indicators tool, in the order the facts list shows them: fact name → metric or attribute key.
_INDICATOR_FACTS = (
    ("energy_tce", "energy"), ("energy_per_area", "energy_per_area"), ("energy_per_capita", "energy_per_capita"),
    ("water_m3", "water"), ("water_per_capita", "water_per_capita"), ("carbon_t", "carbon"),
    ("carbon_per_area", "carbon_per_area"), ("floor_area", "floor_area"), ("headcount", "headcount"),
    ("electricity", "electricity"),
)
_FUELS = ("natural_gas", "gasoline", "diesel")  # sources printed beside electricity, by source key
# Metrics whose change against the previous year and the base year the reports state.
_COMPARED = ("energy", "energy_per_area", "energy_per_capita", "water", "water_per_capita", "carbon_per_area",
             "electricity")


def _data_facts(sheet: FactSheet, kind: Kind, values: Mapping[str, str], store: Any) -> None:
    institution = values.get("institution") or ""
    # Campaign material quotes the last complete year's figures; reports quote their own year.
    year = int(values["year"]) - (1 if kind.group == "宣传" else 0)
    sheet.set("data_year", "数据年度", f"{year}", year, "参数")
    base_year = int(values.get("base_year") or 2020)
    sheet.set("base_year", "对比基准年", str(base_year), base_year, "参数")
    prefix = f"{year}年"
    ind = _call(indicators, store, institution, year)
    data = ind.to_dict() if ind is not None else {}
    if data.get("institution"):
        sheet.set("institution", "单位名称", data["institution"], data["institution"], "数据库单位名称")
        institution = data["institution"]
    for name, key in _INDICATOR_FACTS:
        m = ATTRIBUTE_BY_KEY.get(key) or metric(key)
        raw = data.get(m.field)
        number = raw * m.doc_scale if _is_number(raw) else None
        sheet.set(name, prefix + _doc_name(m), _fmt(number, m.digits, m.doc_unit), number, "tools.energy.indicators")
    by_source = {line["source"]: line["quantity"] for line in data.get("by_source") or []}
    for key in _FUELS:
        source = SOURCE_BY_KEY[key]
        quantity = by_source.get(key, 0.0) if ind is not None else None  # a source absent from the year is zero
        sheet.set(key, prefix + source.reading, _fmt(quantity, source.digits, source.doc_unit), quantity,
                  "tools.energy.indicators")
    compare_base = int(values.get("base_year") or 2020) if kind.id != "emc-savings" else 2020
    for key in _COMPARED:
        for suffix, base, what in (("prev", year - 1, "上年"), ("base", compare_base, f"{compare_base}年")):
            result = _call(compare, store, institution, key, year, base_year=base) if ind else None
            pct = result.to_dict().get("change_pct") if result is not None else None
            label = f"{prefix}{_doc_name(metric(key))}较{what}变化"
            sheet.set(f"{key}_vs_{suffix}", label, _change_text(pct), pct, "tools.energy.compare")
    _quota_facts(sheet, store, institution if ind else "", year, prefix)
    _budget_facts(sheet, store, institution, year, values, prefix)
    if kind.id == "emc-savings":
        _savings_facts(sheet, store, institution, year, values)


def _quota_facts(sheet: FactSheet, store: Any, institution: str, year: int, prefix: str) -> None:
    result = _call(check_quota, store, institution, year)
    d = result.to_dict() if result is not None else {}
    lines = []
    for item in d.get("items") or []:
        m = metric(item["indicator"])
        lines.append(
            f"{item['indicator_name']}{_fmt(item['value'] * m.doc_scale, m.digits, m.doc_unit)}"
            f"（约束值{item['constraint']:g}、引导值{item['guide']:g}），{item['verdict']}"
        )
    sheet.set("quota_lines", prefix + "定额对标情况", "；".join(lines) or None, len(lines), "tools.quota.check_quota")
    overall = {"超过约束值": "有指标超过定额约束值，需作出说明并加以整改", "达标": "各项指标均控制在定额约束值以内",
               "优于引导值": "各项指标均达到或优于定额引导值"}.get(d.get("overall") or "")
    sheet.set("quota_verdict", prefix + "定额执行结论", overall, d.get("overall"), "tools.quota.check_quota")


def _budget_facts(sheet: FactSheet, store: Any, institution: str, year: int, values: Mapping[str, str],
                  prefix: str) -> None:
    month = values.get("through_month")
    result = _call(budget_status, store, institution, year, through_month=int(month) if month else None)
    d = result.to_dict() if result is not None else {}
    items = d.get("items") or []
    through = d.get("through_month")
    sheet.set("budget_through", "统计截至月份", f"{through}月" if through else None, through, "tools.budget.budget_status")
    span = f"1–{through}月" if through and through < 12 else "全年"
    lines, used_lines = [], []
    for item in items:
        m = metric(item["metric"])
        scale, digits, unit = m.doc_scale, m.digits, m.doc_unit
        lines.append(f"{item['name']}预算{_fmt(item['budget'] * scale, digits, unit)}")
        text = (f"{item['name']}{span}实际{_fmt(item['used'] * scale, digits, unit)}，"
                f"预算执行率{_fmt(item['execution_rate'], 1, '%')}")
        if through and through < 12:
            text += f"，预计全年{_fmt(item['forecast'] * scale, digits, unit)}，为预算的{_fmt(item['forecast_rate'], 1, '%')}"
        used_lines.append(text)
    source = "tools.budget.budget_status"
    sheet.set("budget_lines", prefix + "用能预算", "，".join(lines) or None, len(lines), source)
    sheet.set("budget_used_lines", prefix + "用能预算执行情况", "；".join(used_lines) or None, len(used_lines), source)
    main = items[0] if items else {}
    sheet.set("budget_rate", prefix + f"{main.get('name', '用能')}预算执行率", _fmt(main.get("execution_rate"), 1, "%"),
              main.get("execution_rate"), source)
    sheet.set("budget_forecast_rate", prefix + "全年预计用量占预算比例", _fmt(main.get("forecast_rate"), 1, "%"),
              main.get("forecast_rate"), source)
    # The tool puts spaces around numbers for the console; Chinese documents do not.
    warnings = [re.sub(r"\s+", "", str(w)) for w in d.get("warnings") or []]
    sheet.set("budget_warnings", prefix + "预算预警", "；".join(warnings) or None, len(warnings), source)
    over = [f"{i['name']}已超出年度预算" if i["execution_rate"] >= 100 else f"{i['name']}预计全年超出预算"
            for i in items if i["execution_rate"] >= 100 or i["forecast_rate"] >= 100]
    sheet.set("budget_over", "超预算情况", "，".join(over) or None, len(over), source)


def _savings_facts(sheet: FactSheet, store: Any, institution: str, year: int, values: Mapping[str, str]) -> None:
    base_year = int(values.get("base_year") or year - 1)
    base = _call(indicators, store, institution, base_year)
    b = base.to_dict() if base is not None else {}
    now = sheet.get("electricity").value if sheet.has("electricity") else None
    energy, electricity, gas = metric("energy"), metric("electricity"), SOURCE_BY_KEY["natural_gas"]
    source = "tools.energy.indicators"
    kgce = b.get(energy.field)
    sheet.set("baseline_tce", f"{base_year}年（基准期）{energy.name}",
              _fmt(kgce * energy.doc_scale if _is_number(kgce) else None, energy.digits, energy.doc_unit), kgce, source)
    elec = b.get(electricity.field)
    sheet.set("baseline_electricity", f"{base_year}年（基准期）{electricity.name}",
              _fmt(elec, electricity.digits, electricity.doc_unit), elec, source)
    base_gas = {x["source"]: x["quantity"] for x in b.get("by_source") or []}.get(gas.key, 0.0)
    sheet.set("baseline_gas", f"{base_year}年（基准期）{gas.reading}",
              _fmt(base_gas if base else None, gas.digits, gas.doc_unit), base_gas, source)
    result = None
    if base is not None and now is not None:
        result = savings(baseline_kwh=elec, actual_kwh=now, baseline_gas_m3=base_gas,
                         actual_gas_m3=sheet.get("natural_gas").value or 0.0)
    d = result.to_dict() if result is not None else {}
    source = "tools.savings.savings（未作基准调整）"
    # saved_tce is already in 吨标准煤, the unit documents print energy in (no doc_scale here)
    sheet.set("saved_tce", "节能量", _fmt(d.get("saved_tce"), energy.digits, energy.doc_unit), d.get("saved_tce"), source)
    sheet.set("saved_rate", "综合节能率", _fmt(d.get("saving_rate_pct"), 2, "%"), d.get("saving_rate_pct"), source)
    sheet.set("saved_electricity", "节电量", _fmt(d.get("saved_kwh"), electricity.digits, electricity.doc_unit),
              d.get("saved_kwh"), source)
    sheet.set("saved_gas", f"节约{gas.name}", _fmt(d.get("saved_gas_m3"), gas.digits, gas.doc_unit), d.get("saved_gas_m3"),
              source)
    carbon = metric("carbon")
    sheet.set("saved_co2", "减少二氧化碳排放", _fmt(d.get("co2_saved_t"), carbon.digits, carbon.doc_unit),
              d.get("co2_saved_t"), source)


def _call(tool: Any, store: Any, institution: str, *args: Any, **kwargs: Any) -> Any:
    """tool(store, institution, ...), or None when there is no store, no institution, or no data for them.

    Only LookupFailed (no such institution, year, budget or quota) leaves the fact 【待补充】; any other error,
    a misconfigured factor set or a programmer's mistake, stops the draft."""
    if store is None or not institution:
        return None
    try:
        return tool(store, institution, *args, **kwargs)
    except LookupFailed:
        return None


def _doc_name(m: Metric) -> str:
    return m.doc_name or m.name


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _fmt(value: Any, digits: int, unit: str = "") -> str | None:
    if not _is_number(value):
        return None
    return f"{value:,.{digits}f}{unit}"


def _change_text(pct: Any) -> str | None:
    if not isinstance(pct, (int, float)):
        return None
    if round(pct, 2) == 0:
        return "基本持平"
    return f"{'下降' if pct < 0 else '上升'}{abs(pct):.2f}%"
