"""Drafting: campaign material and compliance documents from the facts GreenLeaf already holds.

A kind declares its parameters, required sections and the facts it pulls (figures from `tools/`, the year's
campaign theme, the policy basis). Offline, a Jinja2 template in assistant/templates/ writes the prose; with a
chat model, the model rewrites the prose section by section, the facts block stays fixed, and every number the
model wrote that is not among the facts is flagged. A missing fact is written as 【待补充：…】, never guessed.
Not handled here: page layout (docx_export.py) and argument parsing (drafting_cli.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping, Protocol

import jinja2

from assistant.errors import GreenLeafError, LookupFailed
from assistant.numerals import CN_DIGITS, chinese_to_int

PLACEHOLDER = "【待补充：{}】"
_PLACEHOLDER_RE = re.compile(r"【待补充：([^】]*)】")
_UNVERIFIED = "【待核实】"


# ---------------------------------------------------------------- kinds and parameters


@dataclass(frozen=True)
class Param:
    """One parameter of a kind; `default` "" means "work it out from the facts, else 【待补充】"."""

    name: str
    label: str
    default: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "label": self.label, "default": self.default}


@dataclass(frozen=True)
class Kind:
    """A document kind: what it is called, what it asks for, which sections it must have."""

    id: str
    title: str
    group: str  # 宣传 or 合规
    params: tuple[Param, ...]
    sections: tuple[str, ...]  # level-1 headings every draft of this kind carries
    uses_data: bool = False  # pulls indicators, comparisons, quota, budget from the tools
    basis: tuple[tuple[str, str, str], ...] = ()  # (law, article, what it requires) cited as policy basis
    basis_query: str = ""  # knowledge-base query for further policy basis
    basis_must: str = ""  # a hit is cited only if its text contains this word (keeps look-alike articles out)

    def to_dict(self, today: date | None = None) -> dict[str, Any]:
        defaults = _resolved_defaults(self, today or date.today())
        return {
            "id": self.id,
            "title": self.title,
            "params": [{**p.to_dict(), "default": defaults[p.name]} for p in self.params],
        }


def _p_institution() -> Param:
    return Param("institution", "单位名称")


def _p_year(label: str = "年度") -> Param:
    return Param("year", label)  # default resolved per kind: this year for campaigns, last year for reports


_CAMPAIGN_PARAMS = (
    _p_institution(),
    _p_year("活动年度"),
    Param("theme", "活动主题"),
    Param("date", "活动时间"),
    Param("place", "活动地点"),
    Param("audience", "参加对象", "全体干部职工"),
)

# Articles verified in shared/FACTS.md §5.1–5.2; cited by number with our own one-line gist.
_TIAOLI = "《公共机构节能条例》"
_JIENENGFA = "《中华人民共和国节约能源法》"

KINDS: tuple[Kind, ...] = (
    Kind(
        "initiative", "节能宣传周倡议书", "宣传", _CAMPAIGN_PARAMS,
        ("从身边小事做起，养成绿色办公习惯", "从点滴细节入手，厉行节约反对浪费", "从自身行动出发，倡导绿色低碳生活"),
        uses_data=True,
        basis=((_TIAOLI, "第六条", "公共机构负责人对本单位节能工作全面负责"),),
    ),
    Kind(
        "campaign-plan", "节能宣传周活动方案", "宣传", (*_CAMPAIGN_PARAMS, Param("department", "牵头部门", "机关事务管理部门")),
        ("活动主题", "活动时间", "组织领导", "活动内容", "工作要求"),
        uses_data=True,
        basis=((_TIAOLI, "第六条", "公共机构负责人对本单位节能工作全面负责"),
               (_JIENENGFA, "第四十七条", "公共机构应当厉行节约，在节约能源工作中起表率作用")),
        basis_query="节能宣传周 活动 主题", basis_must="宣传",
    ),
    Kind(
        "event-notice", "活动通知", "宣传",
        (*_CAMPAIGN_PARAMS, Param("activity", "活动名称（低碳健步走/能源紧缺体验日/旧物换绿植）", "低碳健步走"),
         Param("contact", "联系人及电话")),
        ("活动时间和地点", "参加对象", "活动安排", "有关要求"),
    ),
    Kind(
        "press-release", "新闻通稿", "宣传",
        (*_CAMPAIGN_PARAMS, Param("activity", "活动名称", "启动仪式"), Param("participants", "参加人数")),
        ("活动概况", "主要做法", "下一步工作"),
        uses_data=True,
    ),
    Kind(
        "slogans", "宣传标语", "宣传", (_p_institution(), _p_year("活动年度"), Param("theme", "活动主题"),
                                    Param("count", "条数（10–20）", "15")),
        ("宣传标语",),
    ),
    Kind(
        "poster", "海报或展板文案", "宣传", (*_CAMPAIGN_PARAMS, Param("activity", "展板主题", "节能宣传周")),
        ("主标题", "导语", "板块一：为什么要节能", "板块二：我们这样做", "板块三：我单位的数据", "结束语"),
        uses_data=True,
    ),
    Kind(
        "budget-report", "年度用能预算执行情况报告", "合规",
        (_p_institution(), _p_year(), Param("through_month", "统计截至月份", "12")),
        ("预算编制情况", "预算执行情况", "能源资源消费情况", "存在的问题", "下一步工作措施"),
        uses_data=True,
        basis=((_TIAOLI, "第十六条", "财政部门根据能源消耗定额制定能源消耗支出标准"),
               (_TIAOLI, "第十七条", "公共机构应当在能源消耗定额范围内使用能源，超出定额的应当作出说明")),
    ),
    Kind(
        "consumption-report", "年度能源资源消费统计分析报告", "合规",
        (_p_institution(), _p_year(), Param("base_year", "对比基准年", "2020")),
        ("基本情况", "能源资源消费总体情况", "主要指标分析", "定额执行情况", "存在的问题和下一步工作"),
        uses_data=True,
        basis=((_TIAOLI, "第十五条", "公共机构应当建立能源消耗统计台账，每年3月31日前报送上一年度能源消耗状况"),
               (_JIENENGFA, "第四十九条", "公共机构应当计量、监测能源消费，报送上年度能源消费状况")),
    ),
    Kind(
        "self-assessment", "节约型机关创建自评报告", "合规", (_p_institution(), _p_year()),
        ("基本情况", "创建工作开展情况", "能源资源节约成效", "自评结果", "存在的不足和改进措施"),
        uses_data=True,
        basis=((_TIAOLI, "第六条", "公共机构负责人对本单位节能工作全面负责"),
               (_TIAOLI, "第十三条", "公共机构制定年度节能目标和实施方案，并报备案")),
    ),
    Kind(
        "water-saving", "节水型单位申报材料", "合规", (_p_institution(), _p_year()),
        ("单位基本情况", "用水管理情况", "节水技术措施", "用水指标情况", "申报意见"),
        uses_data=True,
    ),
    Kind(
        "emc-savings", "合同能源管理/能源费用托管项目节能量确认报告", "合规",
        (_p_institution(), _p_year("核定年度"), Param("project", "项目名称"),
         Param("mode", "项目模式", "合同能源管理（节能效益分享型）"), Param("company", "节能服务公司"),
         Param("base_year", "能耗基准年")),
        ("项目概况", "能耗基准", "核定期能耗", "节能量计算", "确认意见"),
        uses_data=True,
        basis=((_TIAOLI, "第二十六条", "公共机构可以采用合同能源管理方式实施节能改造"),),
    ),
    Kind(
        "audit-outline", "能源审计报告提纲", "合规", (_p_institution(), _p_year("审计年度")),
        ("审计概况", "用能单位概况", "能源管理状况", "能源计量和统计状况", "能源消费指标计算分析",
         "用能设备运行效率", "节能潜力分析与改进建议", "审计结论"),
        uses_data=True,
        basis=((_TIAOLI, "第二十二条", "公共机构应当组织开展能源审计"),
               (_TIAOLI, "第二十三条", "能源审计的内容")),
    ),
)


def list_kinds() -> list[Kind]:
    return list(KINDS)


def get_kind(name: str) -> Kind:
    """Find a kind by id, by title, or by a part of its title that matches exactly one kind."""
    name = name.strip()
    for kind in KINDS:
        if name in (kind.id, kind.title):
            return kind
    matches = [k for k in KINDS if name and (name in k.title or k.title in name)]
    if len(matches) == 1:
        return matches[0]
    candidates = [f"{k.id}（{k.title}）" for k in (matches or KINDS)]
    raise LookupFailed(f"没有名为“{name}”的文稿类型。可选：{'、'.join(candidates)}。", candidates)


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


# ---------------------------------------------------------------- facts


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
class Citation:
    """A policy basis: "《公共机构节能条例》第十五条" and what it requires, in our own words."""

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
        self.citations: list[Citation] = []  # policy basis
        self.notes: list[str] = []  # case facts and explanations from tools, shown as extra sentences

    def set(self, name: str, label: str, text: str | None, value: float | str | None = None, source: str = "") -> None:
        self._facts[name] = Fact(name, label, text if text not in ("", None) else None, value, source)

    def get(self, name: str) -> Fact:
        return self._facts[name]

    def has(self, name: str) -> bool:
        return name in self._facts and self._facts[name].text is not None

    def __iter__(self):
        return iter(self._facts.values())

    def present(self) -> list[Fact]:
        return [f for f in self._facts.values() if f.text is not None]


class _Slot:
    """A fact as a template sees it: prints its text, or the 【待补充】 marker when missing."""

    def __init__(self, fact: Fact) -> None:
        self._fact = fact

    def __str__(self) -> str:
        return self._fact.text if self._fact.text is not None else PLACEHOLDER.format(self._fact.label)

    @property
    def ok(self) -> bool:
        return self._fact.text is not None

    @property
    def value(self) -> Any:
        return self._fact.value


class _SheetView:
    def __init__(self, sheet: FactSheet) -> None:
        self._sheet = sheet

    def __getattr__(self, name: str) -> _Slot:
        try:
            return _Slot(self._sheet.get(name))
        except KeyError:
            raise AttributeError(name) from None  # StrictUndefined then fails the render loudly


# ---------------------------------------------------------------- the draft


@dataclass
class Draft:
    """A finished draft: Markdown text plus the facts it used and what is still missing."""

    kind: Kind
    title: str
    text: str
    facts: list[Fact]
    missing: list[str]
    warnings: list[str] = field(default_factory=list)  # numbers the model wrote that are not among the facts
    mode: str = "offline"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.id,
            "title": self.title,
            "text": self.text,
            "facts": [f.to_dict() for f in self.facts],
            "missing": self.missing,
            "warnings": self.warnings,
            "mode": self.mode,
        }

    def save(self, path: str | Path) -> Path:
        """Write the draft as .docx (GB/T 9704 basics) or .md, chosen by the file suffix."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".docx":
            from assistant.drafting.docx_export import write_docx

            write_docx(self.text, path)
        elif suffix in (".md", ".markdown", ".txt"):
            try:
                path.write_text(self.text, encoding="utf-8")
            except OSError as error:
                raise GreenLeafError(f"无法写入 {path}：{error.strerror or error}。请检查路径和权限。") from None
        else:
            raise GreenLeafError(f"不支持的输出格式“{path.suffix or path.name}”：请用 .docx 或 .md。")
        return path


def draft(
    kind: str | Kind,
    params: Mapping[str, str] | None = None,
    *,
    store: Any = None,
    knowledge: Knowledge | None = None,
    model: Any = None,
    today: date | None = None,
) -> Draft:
    """起草一份文稿：按类型取参数默认值、汇集事实（数据工具、宣传周主题、政策依据），套模板成文；
    给定聊天模型时由模型改写行文，事实不变，并标出模型写出的事实以外的数字。"""
    kind = kind if isinstance(kind, Kind) else get_kind(kind)
    values = resolve_params(kind, params or {}, today or date.today())
    sheet = gather_facts(kind, values, store=store, knowledge=knowledge, today=today)
    text = render(kind, sheet)
    warnings: list[str] = []
    mode = "offline"
    if model is not None:
        text, warnings = rewrite_with_model(kind, text, sheet, model)
        mode = "llm"
    title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), kind.title)
    missing = list(dict.fromkeys(m.group(1) for m in _PLACEHOLDER_RE.finditer(text)))
    return Draft(kind, title, text, sheet.present(), missing, warnings, mode)


def resolve_params(kind: Kind, given: Mapping[str, str], today: date) -> dict[str, str]:
    """Kind defaults overlaid with the user's values; unknown names are refused with the list of valid ones."""
    known = {p.name for p in kind.params}
    unknown = [k for k in given if k not in known]
    if unknown:
        names = "、".join(f"{p.name}（{p.label}）" for p in kind.params)
        raise LookupFailed(f"“{kind.title}”没有参数 {'、'.join(unknown)}。可用参数：{names}。", sorted(known))
    values = _resolved_defaults(kind, today)
    values.update({k: str(v).strip() for k, v in given.items()})
    for name in ("year", "base_year", "through_month", "count"):
        if values.get(name) and not values[name].isdigit():
            label = next(p.label for p in kind.params if p.name == name)
            raise LookupFailed(f"参数 {name}（{label}）应为整数，实际为“{values[name]}”。")
    if values.get("through_month") and not 1 <= int(values["through_month"]) <= 12:
        raise LookupFailed(f"参数 through_month 应在 1–12 之间，实际为“{values['through_month']}”。")
    return values


def _resolved_defaults(kind: Kind, today: date) -> dict[str, str]:
    values = {p.name: p.default for p in kind.params}
    # Campaign material is for this year's week; reports cover the last complete year.
    values["year"] = str(today.year if kind.group == "宣传" else today.year - 1)
    if kind.id == "emc-savings":
        values["base_year"] = str(today.year - 2)
    return values


# ---------------------------------------------------------------- fact gathering


def gather_facts(
    kind: Kind, values: Mapping[str, str], *, store: Any = None, knowledge: Knowledge | None = None,
    today: date | None = None,
) -> FactSheet:
    """Collect every fact the kind's template may print; what cannot be found stays missing."""
    sheet = FactSheet()
    today = today or date.today()
    sheet.set("today", "成文日期", f"{today.year}年{today.month}月{today.day}日", today.isoformat(), "当天日期")
    labels = {p.name: p.label for p in kind.params}
    for name, value in values.items():
        sheet.set(name, labels.get(name, name), value or None, value or None, "参数")
    year = int(values["year"])
    sheet.set("year", "年度", f"{year}", year, "参数")
    _campaign_facts(sheet, year, values, knowledge)
    if kind.uses_data:
        _data_facts(sheet, kind, values, store)
    _basis_facts(sheet, kind, knowledge)
    return sheet


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


def _join_citations(citations: list[Citation]) -> str:
    """《条例》第十六条、第十七条：articles of one law share its title."""
    parts: list[str] = []
    last_law = None
    for c in citations:
        law, _, article = c.label.partition("》")
        if law == last_law and article:
            parts.append(article)
        else:
            parts.append(c.label)
        last_law = law
    return "、".join(parts)


def _basis_facts(sheet: FactSheet, kind: Kind, knowledge: Knowledge | None) -> None:
    for law, article, gist in kind.basis:
        sheet.citations.append(Citation(f"{law}{article}", gist, "内置（FACTS.md §5.1–5.2）"))
    if knowledge is None or not kind.basis_query:
        return
    seen = {c.label for c in sheet.citations}
    for hit in _hits(knowledge, kind.basis_query, None)[:3]:
        if hit.chunk.article and kind.basis_must in hit.chunk.text:
            label = f"《{hit.chunk.title}》{hit.chunk.article}"
            if label not in seen:
                sheet.citations.append(Citation(label, "", _label(hit)))
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


# Data facts: (name, label, IndicatorResult.to_dict key, scale, digits, unit)
_INDICATORS = (
    ("energy_tce", "综合能耗", "energy_kgce", 0.001, 2, "吨标准煤"),
    ("energy_per_area", "单位建筑面积能耗", "energy_per_area_kgce_m2", 1, 2, "千克标准煤/平方米"),
    ("energy_per_capita", "人均综合能耗", "energy_per_capita_kgce", 1, 2, "千克标准煤/人"),
    ("water_m3", "用水总量", "water_m3", 1, 0, "立方米"),
    ("water_per_capita", "人均用水量", "water_per_capita_m3", 1, 2, "立方米/人"),
    ("carbon_t", "二氧化碳排放量", "carbon_t", 1, 2, "吨"),
    ("carbon_per_area", "单位建筑面积碳排放", "carbon_per_area_kg_m2", 1, 2, "千克/平方米"),
    ("floor_area", "建筑面积", "floor_area_m2", 1, 0, "平方米"),
    ("headcount", "用能人数", "headcount", 1, 0, "人"),
    ("electricity", "用电量", "electricity_kwh", 1, 0, "千瓦时"),
)
# by_source entries: (name, label, source key, digits, unit)
_SOURCES = (
    ("natural_gas", "天然气用量", "natural_gas", 0, "立方米"),
    ("gasoline", "汽油用量", "gasoline", 0, "升"),
    ("diesel", "柴油用量", "diesel", 0, "升"),
)
_COMPARED = ("energy", "energy_per_area", "energy_per_capita", "water", "water_per_capita", "carbon_per_area", "electricity")
_COMPARED_LABELS = {
    "energy": "综合能耗", "energy_per_area": "单位建筑面积能耗", "energy_per_capita": "人均综合能耗", "water": "用水总量",
    "water_per_capita": "人均用水量", "carbon_per_area": "单位建筑面积碳排放", "electricity": "用电量",
}
# tool units -> (Chinese unit, scale, digits) as documents print them
_UNITS = {
    "kgce": ("吨标准煤", 0.001, 2), "kWh": ("千瓦时", 1, 0), "m³": ("立方米", 1, 0),
    "kgce/m²": ("千克标准煤/平方米", 1, 2), "kgce/人": ("千克标准煤/人", 1, 2), "m³/人": ("立方米/人", 1, 2),
    "kgCO2/m²": ("千克/平方米", 1, 2),
}


def _data_facts(sheet: FactSheet, kind: Kind, values: Mapping[str, str], store: Any) -> None:
    institution = values.get("institution") or ""
    # Campaign material quotes the last complete year's figures; reports quote their own year.
    year = int(values["year"]) - (1 if kind.group == "宣传" else 0)
    sheet.set("data_year", "数据年度", f"{year}", year, "参数")
    base_year = int(values.get("base_year") or 2020)
    sheet.set("base_year", "对比基准年", str(base_year), base_year, "参数")
    prefix = f"{year}年"
    ind = _call(store, institution, "energy", "indicators", year)
    data = ind.to_dict() if ind is not None else {}
    if data.get("institution"):
        sheet.set("institution", "单位名称", data["institution"], data["institution"], "数据库单位名称")
        institution = data["institution"]
    for name, label, key, scale, digits, unit in _INDICATORS:
        raw = data.get(key)
        number = raw * scale if _is_number(raw) else None
        sheet.set(name, prefix + label, _fmt(number, digits, unit), number, "tools.energy.indicators")
    by_source = {line["source"]: line["quantity"] for line in data.get("by_source") or []}
    for name, label, key, digits, unit in _SOURCES:
        quantity = by_source.get(key, 0.0) if ind is not None else None  # a source absent from the year is zero
        sheet.set(name, prefix + label, _fmt(quantity, digits, unit), quantity, "tools.energy.indicators")
    if data.get("explanation"):
        sheet.notes.append(data["explanation"])
    compare_base = int(values.get("base_year") or 2020) if kind.id != "emc-savings" else 2020
    for metric in _COMPARED:
        for suffix, base, what in (("prev", year - 1, "上年"), ("base", compare_base, f"{compare_base}年")):
            result = _call(store, institution, "energy", "compare", metric, year, base_year=base) if ind else None
            pct = result.to_dict().get("change_pct") if result is not None else None
            label = f"{prefix}{_COMPARED_LABELS[metric]}较{what}变化"
            sheet.set(f"{metric}_vs_{suffix}", label, _change_text(pct), pct, "tools.energy.compare")
    _quota_facts(sheet, store, institution if ind else "", year, prefix)
    _budget_facts(sheet, store, institution, year, values, prefix)
    if kind.id == "emc-savings":
        _savings_facts(sheet, store, institution, year, values)


def _quota_facts(sheet: FactSheet, store: Any, institution: str, year: int, prefix: str) -> None:
    result = _call(store, institution, "quota", "check_quota", year)
    d = result.to_dict() if result is not None else {}
    lines = []
    for item in d.get("items") or []:
        unit, scale, digits = _UNITS.get(item.get("unit") or "", (item.get("unit") or "", 1, 2))
        lines.append(
            f"{item['indicator_name']}{_fmt(item['value'] * scale, digits, unit)}（约束值{item['constraint']:g}、"
            f"引导值{item['guide']:g}），{item['verdict']}"
        )
    sheet.set("quota_lines", prefix + "定额对标情况", "；".join(lines) or None, len(lines), "tools.quota.check_quota")
    overall = {"超过约束值": "有指标超过定额约束值，需作出说明并加以整改", "达标": "各项指标均控制在定额约束值以内",
               "优于引导值": "各项指标均达到或优于定额引导值"}.get(d.get("overall") or "")
    sheet.set("quota_verdict", prefix + "定额执行结论", overall, d.get("overall"), "tools.quota.check_quota")


def _budget_facts(sheet: FactSheet, store: Any, institution: str, year: int, values: Mapping[str, str], prefix: str) -> None:
    month = values.get("through_month")
    result = _call(store, institution, "budget", "budget_status", year, through_month=int(month) if month else None)
    d = result.to_dict() if result is not None else {}
    items = d.get("items") or []
    through = d.get("through_month")
    sheet.set("budget_through", "统计截至月份", f"{through}月" if through else None, through, "tools.budget.budget_status")
    span = f"1–{through}月" if through and through < 12 else "全年"
    lines, used_lines = [], []
    for item in items:
        unit, scale, digits = _UNITS.get(item["unit"], (item["unit"], 1, 2))
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
    base = _call(store, institution, "energy", "indicators", base_year)
    b = base.to_dict() if base is not None else {}
    now = sheet.get("electricity").value if sheet.has("electricity") else None
    source = "tools.energy.indicators"
    kgce = b.get("energy_kgce")
    sheet.set("baseline_tce", f"{base_year}年（基准期）综合能耗", _fmt(kgce / 1000 if _is_number(kgce) else None, 2, "吨标准煤"),
              kgce, source)
    elec = b.get("electricity_kwh")
    sheet.set("baseline_electricity", f"{base_year}年（基准期）用电量", _fmt(elec, 0, "千瓦时"), elec, source)
    base_gas = {x["source"]: x["quantity"] for x in b.get("by_source") or []}.get("natural_gas", 0.0)
    sheet.set("baseline_gas", f"{base_year}年（基准期）天然气用量", _fmt(base_gas if base else None, 0, "立方米"), base_gas, source)
    result = None
    if base is not None and now is not None:
        from tools.savings import savings

        result = savings(baseline_kwh=elec, actual_kwh=now, baseline_gas_m3=base_gas,
                         actual_gas_m3=sheet.get("natural_gas").value or 0.0)
    d = result.to_dict() if result is not None else {}
    source = "tools.savings.savings（未作基准调整）"
    sheet.set("saved_tce", "节能量", _fmt(d.get("saved_tce"), 2, "吨标准煤"), d.get("saved_tce"), source)
    sheet.set("saved_rate", "综合节能率", _fmt(d.get("saving_rate_pct"), 2, "%"), d.get("saving_rate_pct"), source)
    sheet.set("saved_electricity", "节电量", _fmt(d.get("saved_kwh"), 0, "千瓦时"), d.get("saved_kwh"), source)
    sheet.set("saved_gas", "节约天然气", _fmt(d.get("saved_gas_m3"), 0, "立方米"), d.get("saved_gas_m3"), source)
    sheet.set("saved_co2", "减少二氧化碳排放", _fmt(d.get("co2_saved_t"), 2, "吨"), d.get("co2_saved_t"), source)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _call(store: Any, institution: str, module: str, function: str, *args: Any, **kwargs: Any) -> Any:
    """Call tools.<module>.<function>(store, institution, ...); no store, no tool, or no data → None."""
    if store is None or not institution:
        return None
    import importlib

    try:
        tool = getattr(importlib.import_module(f"tools.{module}"), function)
    except (ModuleNotFoundError, AttributeError):
        return None
    try:
        return tool(store, institution, *args, **kwargs)
    except LookupFailed:
        return None  # the institution or year has no data: the fact stays 【待补充】


def _safe_explain(result: Any) -> str:
    try:
        return str(result.explain())
    except AttributeError:
        return ""


def _fmt(value: Any, digits: int, unit: str = "") -> str | None:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    return f"{value:,.{digits}f}{unit}"


def _change_text(pct: Any) -> str | None:
    if not isinstance(pct, (int, float)):
        return None
    if round(pct, 2) == 0:
        return "基本持平"
    return f"{'下降' if pct < 0 else '上升'}{abs(pct):.2f}%"


# ---------------------------------------------------------------- rendering


def render(kind: Kind, sheet: FactSheet) -> str:
    """Fill the kind's template with the facts; the result is Markdown (#, ##, ###, paragraphs, "- " lists)."""
    template = _environment().get_template(f"{kind.id}.md.j2")
    text = template.render(f=_SheetView(sheet), citations=sheet.citations, cites=_join_citations(sheet.citations),
                           kind=kind, slogans=_slogans(sheet))
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(_load_template),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


def _load_template(name: str) -> str:
    return resources.files("assistant.drafting").joinpath("templates", name).read_text(encoding="utf-8")


# General slogans in our own words; the year's theme leads the set when it is known.
_SLOGANS = (
    "节约能源资源，从我做起，从现在做起",
    "随手关灯一小步，节能降碳一大步",
    "少乘一次电梯，多走一段楼梯",
    "夏季空调不低于26℃，冬季不高于20℃",
    "双面打印一张纸，绿色办公一份心",
    "光盘行动天天做，粮食节约人人为",
    "拧紧每一个水龙头，珍惜每一滴水",
    "绿色出行，低碳生活，共护碧水蓝天",
    "下班关机断电源，待机耗能莫小看",
    "节能不是小事，人人都是主角",
    "机关带头节约，全民共享绿色",
    "一度电、一滴水、一张纸，节约就在手边",
    "公务出行多拼车，公共交通是首选",
    "旧物巧利用，闲置变资源",
    "垃圾分一分，环境美十分",
    "节约型机关，你我共建设",
    "厉行勤俭节约，反对铺张浪费",
    "让节能成为习惯，让低碳成为风尚",
    "践行绿色低碳，建设美丽中国",
)


def _slogans(sheet: FactSheet) -> list[str]:
    count = sheet.get("count").value if sheet.has("count") else "15"
    n = min(20, max(10, int(count)))
    theme = sheet.get("theme_plain").value if sheet.has("theme_plain") else None
    head = [str(theme)] if theme else [PLACEHOLDER.format("本年度活动主题")]
    return head + list(_SLOGANS[: n - 1])


# ---------------------------------------------------------------- number check


_NUMBER_RE = re.compile(
    r"(?<![\d.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*([万亿])?\s*(%)?"
    r"|百分之([零〇一二两三四五六七八九十百点]+)"
    r"|([零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]+)"
)
_DATE_RE = re.compile(r"(\d{1,2})月(\d{1,2})日(?:\s*[至到~～—–-]\s*(?:(\d{1,2})月)?(\d{1,2})日)?")
_PLAN_NAMES = re.compile(r"十[一二三四五六七八九]五")  # 十四五, 十五五: plan names, not numbers


@dataclass(frozen=True)
class Number:
    """A number found in text: `raw` as written, `value` normalised (commas, 万/亿, Chinese numerals)."""

    raw: str
    value: Decimal
    decimals: int
    percent: bool
    date: bool = False  # "6月23日" is one number, month × 100 + day, compared with dates only


def find_numbers(text: str) -> list[Number]:
    """Every number in `text`: Arabic (1,234.5 / 5% / 3万), 百分之五, and Chinese numerals such as 一千、二〇二六."""
    text = _PLAN_NAMES.sub("", unicodedata.normalize("NFKC", text))
    text = _PLACEHOLDER_RE.sub("", text)
    found: list[Number] = []
    for m in _DATE_RE.finditer(text):
        month = int(m.group(1))
        found.append(Number(m.group(1) + "月" + m.group(2) + "日", Decimal(month * 100 + int(m.group(2))), 0, False, True))
        if m.group(4):
            end_month = int(m.group(3) or month)
            raw = (f"{m.group(3)}月" if m.group(3) else "") + m.group(4) + "日"
            found.append(Number(raw, Decimal(end_month * 100 + int(m.group(4))), 0, False, True))
    text = _DATE_RE.sub(lambda m: " " * len(m.group(0)), text)  # dates are read once, as dates
    for m in _NUMBER_RE.finditer(text):
        if m.group(1):
            digits = m.group(1).replace(",", "")
            value = Decimal(digits)
            if m.group(2):
                value *= 10000 if m.group(2) == "万" else 100000000
            decimals = len(digits.split(".")[1]) if "." in digits else 0
            found.append(Number(m.group(0).strip(), value, decimals if not m.group(2) else 0, bool(m.group(3))))
        elif m.group(4):
            value = _cn_number(m.group(4))
            if value is not None:
                found.append(Number(m.group(0), value, 0, True))
        else:
            raw = m.group(5)
            if not any(c in raw for c in "十百千万亿") and len(raw) < 4:
                continue  # 一二、三四: ordinals and idioms, not quantities
            value = _cn_number(raw)
            if value is not None:
                found.append(Number(raw, value, 0, False))
    return found


def _cn_number(raw: str) -> Decimal | None:
    if "点" in raw:
        whole, _, frac = raw.partition("点")
        w = _cn_number(whole) if whole else Decimal(0)
        digits = "".join(str(CN_DIGITS[c]) for c in frac if c in CN_DIGITS)
        return None if w is None or not digits else w + Decimal("0." + digits)
    value = chinese_to_int(raw)
    return None if value is None else Decimal(value)


def unverified_numbers(text: str, allowed_texts: Iterable[str]) -> list[Number]:
    """Numbers in `text` not among those in `allowed_texts` (a number may be a rounding of an allowed one).

    Small whole numbers up to 10 pass: prose counts things ("三项措施", "2个方面") without stating facts.
    """
    allowed = [(n.value, n.date) for t in allowed_texts for n in find_numbers(t)]
    bad = []
    for n in find_numbers(text):
        if not n.percent and not n.date and n.decimals == 0 and n.value <= 10:
            continue
        if not any(_matches(n, a) for a, is_date in allowed if is_date == n.date):
            bad.append(n)
    return bad


def _matches(n: Number, allowed: Decimal) -> bool:
    if n.value == allowed:
        return True
    if abs(n.value) < 10 and n.decimals == 0:
        return False  # "3" is too coarse to count as a rounding of 3.27
    try:
        return allowed.quantize(Decimal(1).scaleb(-n.decimals)) == n.value
    except InvalidOperation:
        return False


# ---------------------------------------------------------------- LLM mode


def rewrite_with_model(kind: Kind, text: str, sheet: FactSheet, model: Any) -> tuple[str, list[str]]:
    """Let a chat model rewrite the prose of each section; headings, signature lines and facts stay fixed.

    Returns the new text and warnings: every number the model wrote that is in neither the offline draft nor the
    facts is marked 【待核实】 in the text and named in a warning. A fixed facts block is appended.
    """
    from langchain_core.messages import HumanMessage, SystemMessage

    system, _, user = _load_template("llm_rewrite.md").partition("\n---\n")
    facts_block = _facts_block(sheet)
    user = user.replace("{kind}", kind.title).replace("{facts}", facts_block).replace("{draft}", text)
    try:
        reply = model.invoke([SystemMessage(system.strip()), HumanMessage(user.strip())])
    except Exception as error:  # noqa: BLE001 - any model or network failure falls back to the offline draft
        return text, [f"大模型调用失败（{error}），已使用离线模板成稿。"]
    content = reply.content if isinstance(reply.content, str) else "".join(
        part.get("text", "") if isinstance(part, dict) else str(part) for part in reply.content
    )
    written = dict(_split_sections(re.sub(r"^```\w*\n|\n```\s*$", "", content.strip())))
    allowed = [text, *(f.text or "" for f in sheet), *(str(f.value) for f in sheet if f.value is not None)]
    allowed += [str(c) for c in sheet.citations]
    warnings: list[str] = []
    out: list[str] = []
    for heading, body in _split_sections(text):
        fixed = [line for line in body.splitlines() if line.startswith("> ")]
        prose = "\n".join(line for line in body.splitlines() if not line.startswith("> ")).strip()
        new = written.get(heading)
        if new is not None:
            new = "\n".join(line for line in new.splitlines() if not line.startswith("> ")).strip()
        if new:
            new, flagged = _flag_numbers(new, allowed)
            warnings += [f"“{heading or '开头'}”中的数字“{n.raw}”不在事实之中，已标注{_UNVERIFIED}，请核对。" for n in flagged]
            prose = new
        out.append("\n\n".join(part for part in (heading, prose, "\n".join(fixed)) if part))
    out.append("## 附：本文数据与依据\n\n（由系统根据统计数据和知识库生成，未经模型改写。）\n\n" + facts_block)
    return "\n\n".join(out).strip() + "\n", warnings


def _split_sections(text: str) -> list[tuple[str, str]]:
    """Split Markdown at "#" and "##" lines: [(heading line, body)], the preamble under the title line."""
    sections: list[tuple[str, str]] = []
    heading, body = "", []
    for line in text.splitlines():
        if line.startswith("# ") or line.startswith("## "):
            if heading or any(b.strip() for b in body):
                sections.append((heading, "\n".join(body).strip()))
            heading, body = line.strip(), []
        else:
            body.append(line)
    sections.append((heading, "\n".join(body).strip()))
    return sections


def _flag_numbers(text: str, allowed: list[str]) -> tuple[str, list[Number]]:
    flagged = unverified_numbers(text, allowed)
    for raw in dict.fromkeys(n.raw for n in flagged):
        text = re.sub(rf"(?<![\d.,]){re.escape(raw)}(?![\d.,])", raw + _UNVERIFIED, text)
    return text, flagged


def _facts_block(sheet: FactSheet) -> str:
    lines = [f"- {f.label}：{f.text}" for f in sheet.present() if f.source != "参数" and f.name != "theme_plain"]
    lines += [f"- 政策依据：{c}" for c in sheet.citations]
    return "\n".join(lines) if lines else "- （无可用数据）"
