"""Drafting: every kind renders, its figures equal the tools' results, missing facts become 【待补充】 markers.

The data are a tiny hand-made CSV (one 党政机关, years 2020, 2024, 2025) imported into a real SQLite store; expected
figures are worked out by hand below with the DESIGN.md factors (0.1229 kgce/kWh, 1.2143 kgce/m³, gasoline
0.725 kg/L × 1.4714 kgce/kg).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from assistant.drafting import drafts as drafting
from assistant.records.store import DataStore
from assistant.errors import LookupFailed

TODAY = date(2026, 11, 24)
NAME = "市行政中心"

CONSUMPTION = """单位名称,单位类型,统计期,建筑面积,用能人数,电力,天然气,汽油,柴油,水
市行政中心,党政机关,2020,20000,560,1500000,12000,8000,0,13000
市行政中心,党政机关,2024,20000,560,1450000,11000,6000,0,12500
市行政中心,党政机关,2025,20000,580,1400000,10000,5000,0,12000
"""
BUDGET = """单位名称,预算年度,能耗预算,电力预算,用水预算
市行政中心,2025,190000,1450000,12500
"""
QUOTA = """单位类型,指标,约束值,引导值,单位
党政机关,单位建筑面积能耗,11,8,kgce/m²
党政机关,人均综合能耗,400,300,kgce/人
党政机关,人均用水量,25,18,m³/人
"""

# 2025: 1,400,000×0.1229 = 172,060; 10,000×1.2143 = 12,143; 5,000×0.725×1.4714 = 5,333.825 → 189,536.825 kgce
E2025 = 1_400_000 * 0.1229 + 10_000 * 1.2143 + 5_000 * 0.725 * 1.4714
# 2024: 178,205 + 13,357.3 + 6,400.59 = 197,962.89 kgce
E2024 = 1_450_000 * 0.1229 + 11_000 * 1.2143 + 6_000 * 0.725 * 1.4714
# 2020: 184,350 + 14,571.6 + 8,534.12 = 207,455.72 kgce
E2020 = 1_500_000 * 0.1229 + 12_000 * 1.2143 + 8_000 * 0.725 * 1.4714
FIGURE = re.compile(r"\d[\d,.]*\s*(吨标准煤|千克标准煤|千瓦时|立方米|平方米|%)")


@pytest.fixture
def store(settings, tmp_path: Path):
    for name, text in (("consumption.csv", CONSUMPTION), ("budget.csv", BUDGET), ("quota.csv", QUOTA)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    with DataStore.open(settings) as s:
        for name in ("consumption.csv", "budget.csv", "quota.csv"):
            s.import_file(tmp_path / name)
        yield s


def make(kind: str, store=None, knowledge=None, **params: str) -> drafting.Draft:
    return drafting.draft(kind, params, store=store, knowledge=knowledge, today=TODAY)


def headings(text: str) -> list[str]:
    return [line[3:] for line in text.splitlines() if line.startswith("## ")]


# ---------------------------------------------------------------- every kind


def test_at_least_ten_kinds_including_the_required_ones():
    titles = {k.title for k in drafting.list_kinds()}
    assert len(titles) >= 10
    for required in ("节能宣传周倡议书", "节能宣传周活动方案", "活动通知", "新闻通稿", "宣传标语", "海报或展板文案",
                     "年度用能预算执行情况报告", "年度能源资源消费统计分析报告", "节约型机关创建自评报告",
                     "节水型单位申报材料", "合同能源管理/能源费用托管项目节能量确认报告", "能源审计报告提纲"):
        assert required in titles


def test_shared_parameters_keep_one_name():
    for kind in drafting.list_kinds():
        names = [p.name for p in kind.params]
        assert "institution" in names and "year" in names
        assert not {"unit", "单位", "org", "time", "location"} & set(names)
    plan = drafting.get_kind("campaign-plan")
    assert {"theme", "date", "place"} <= {p.name for p in plan.params}


@pytest.mark.parametrize("kind", [k.id for k in drafting.list_kinds()])
def test_every_kind_renders_its_required_sections_for_sample_data(kind, store):
    result = make(kind, store, institution=NAME, year="2025")
    found = headings(result.text)
    for section in result.kind.sections:
        assert any(section in h for h in found), f"{kind} lacks section {section}: {found}"
    assert result.text.startswith("# ")
    assert "{{" not in result.text and "{%" not in result.text
    # every missing item is listed once and appears in the text
    for label in result.missing:
        assert f"【待补充：{label}】" in result.text


@pytest.mark.parametrize("kind", ["budget-report", "consumption-report", "self-assessment", "audit-outline"])
def test_compliance_kinds_with_full_data_leave_no_figure_missing(kind, store):
    result = make(kind, store, institution=NAME, year="2025")
    for label in result.missing:
        assert not label.startswith("2025年"), f"{kind}: data fact missing: {label}"


# ---------------------------------------------------------------- figures equal the tools' results


def test_consumption_report_figures_equal_hand_computed_values(store):
    text = make("consumption-report", store, institution=NAME, year="2025").text
    assert f"全年综合能耗{E2025 / 1000:,.2f}吨标准煤" in text and "189.54吨标准煤" in text
    assert "单位建筑面积能耗为9.48千克标准煤/平方米" in text  # 189,536.825 ÷ 20,000 = 9.4768
    assert "人均综合能耗为326.79千克标准煤/人" in text  # ÷ 580 = 326.788
    assert "人均用水量为20.69立方米/人" in text  # 12,000 ÷ 580 = 20.690
    change = (E2025 - E2024) / E2024 * 100  # −4.256 %
    assert f"综合能耗下降{abs(change):.2f}%" in text and "下降4.26%" in text
    per_area_vs_2020 = (E2025 / 20000 - E2020 / 20000) / (E2020 / 20000) * 100  # −8.638 %
    assert f"较2020年下降{abs(per_area_vs_2020):.2f}%" in text
    assert "已达到目标要求" in text  # −8.64 % beats the 十四五 −5 % target


def test_figures_match_what_the_tools_return(store):
    from tools.energy import compare, indicators

    ind = indicators(store, NAME, 2025)
    cmp = compare(store, NAME, "energy_per_capita", 2025)
    result = make("budget-report", store, institution=NAME, year="2025")
    facts = {f.name: f for f in result.facts}
    assert facts["energy_tce"].value == pytest.approx(ind.energy_kgce / 1000)
    assert facts["energy_per_capita"].text == f"{ind.energy_per_capita_kgce:.2f}千克标准煤/人"
    assert facts["energy_per_capita_vs_prev"].value == pytest.approx(cmp.change_pct, abs=1e-3)
    assert f"人均综合能耗{ind.energy_per_capita_kgce:.2f}千克标准煤/人，较上年下降{abs(cmp.change_pct):.2f}%" in result.text


def test_budget_report_states_budget_and_execution_rate(store):
    text = make("budget-report", store, institution=NAME, year="2025").text
    # 190,000 kgce budget; 189,536.825 used → 99.76 %; electricity 1,400,000 ÷ 1,450,000 = 96.55 %
    assert "综合能耗预算190.00吨标准煤" in text
    assert f"预算执行率{E2025 / 190000 * 100:.1f}%" in text and "99.8%" in text
    assert "用电量全年实际1,400,000千瓦时，预算执行率96.6%" in text
    assert "达到80%预警线" in text  # the tool's warning is carried over
    assert "单位建筑面积能耗9.48千克标准煤/平方米（约束值11、引导值8），达标" in text


def test_emc_report_savings_follow_the_savings_tool(store):
    text = make("emc-savings", store, institution=NAME, year="2025", base_year="2024", project="照明节能改造项目").text
    # saved: 50,000 kWh × 0.1229 + 1,000 m³ × 1.2143 = 6,145 + 1,214.3 = 7,359.3 kgce; rate ÷ (178,205 + 13,357.3)
    assert "节电量为50,000千瓦时" in text and "节约天然气1,000立方米" in text
    assert "合计节能量7.36吨标准煤" in text
    assert f"综合节能率{7359.3 / 191562.3 * 100:.2f}%" in text
    assert text.startswith("# 照明节能改造项目节能量确认报告")


def test_campaign_material_quotes_last_years_figures(store):
    text = make("initiative", store, institution=NAME, year="2026").text
    assert "2025年，市行政中心综合能耗189.54吨标准煤" in text
    assert "较上年下降7.56%" in text  # per capita: 326.788 vs 353.505 (197,962.89 ÷ 560)


def test_short_name_resolves_to_the_stored_name(store):
    result = make("budget-report", store, institution="行政中心", year="2025")
    assert result.title == "市行政中心2025年度用能预算执行情况报告"


# ---------------------------------------------------------------- missing facts


@pytest.mark.parametrize("kind", [k.id for k in drafting.list_kinds() if k.uses_data])
def test_institution_without_data_gets_markers_and_no_figures(kind, store):
    result = make(kind, store, institution="市不存在局", year="2025")
    if kind != "initiative":  # the 倡议书 leaves its optional figures paragraph out instead
        assert "【待补充" in result.text
    assert not FIGURE.search(result.text.replace("26℃", "").replace("20℃", "")), FIGURE.search(result.text)
    assert not [f for f in result.facts if f.source.startswith("tools.")]


def test_year_without_data_marks_the_figures_missing(store):
    result = make("consumption-report", store, institution=NAME, year="2023")
    assert "【待补充：2023年综合能耗】" in result.text
    assert "2023年综合能耗" in result.missing


def test_no_store_at_all_marks_every_figure_missing():
    result = make("budget-report", None, institution=NAME, year="2025")
    assert "【待补充：2025年用能预算】" in result.text
    assert not FIGURE.search(result.text)


# ---------------------------------------------------------------- campaign theme


def test_known_year_takes_theme_and_dates_from_the_table():
    text = make("campaign-plan", institution=NAME, year="2025").text
    assert "“节能增效，焕‘新’引领”" in text  # nested quotes become single quotes
    assert "2025年6月23日至29日" in text and "2025年6月25日为全国低碳日" in text
    assert "第35个全国节能宣传周" in text  # held yearly since 1991
    assert "第13个全国低碳日" in text  # since 2013


def test_year_outside_the_table_marks_the_theme_missing():
    result = make("campaign-plan", institution=NAME, year="2026")
    assert "【待补充：本年度活动主题】" in result.text
    assert "本年度节能宣传周时间" in result.missing or "活动时间" in result.missing
    assert make("initiative", year="2020").missing[:2] == ["本年度节能宣传周时间", "本年度活动主题"]


def test_theme_given_by_the_user_wins():
    text = make("initiative", year="2026", theme="节能降碳，绿色先行").text
    assert "今年的活动主题是“节能降碳，绿色先行”" in text
    assert "【待补充：本年度活动主题】" not in text


@dataclass(frozen=True)
class _Chunk:
    text: str
    title: str
    article: str | None = None
    page: int | None = None


@dataclass(frozen=True)
class _Hit:
    chunk: _Chunk
    score: float = 1.0

    def citation_label(self) -> str:
        return f"《{self.chunk.title}》" + (self.chunk.article or "")


@dataclass(frozen=True)
class _Result:
    hits: list


class TinyKnowledge:
    """A knowledge base of a few chunks; search returns those sharing a two-character word with the query."""

    def __init__(self, *chunks: _Chunk) -> None:
        self.chunks = chunks
        self.queries: list[str] = []

    def search(self, query: str, k: int = 5, doc_type: str | None = None) -> _Result:
        self.queries.append(query)
        words = {query[i:i + 2] for i in range(len(query) - 1)}
        return _Result([_Hit(c) for c in self.chunks if any(w in c.text for w in words)][:k])


def test_theme_of_a_new_year_comes_from_the_knowledge_base():
    kb = TinyKnowledge(_Chunk("| 年份 | 日期 | 主题 |\n|---|---|---|\n| 2026年 | 6月15日至21日 | 节能提效，低碳同行 | 6月17日 | 待核实 |",
                              "全国节能宣传周（日期与主题）"))
    result = make("initiative", knowledge=kb, year="2026")
    assert "今年的活动主题是“节能提效，低碳同行”" in result.text
    theme = next(f for f in result.facts if f.name == "theme")
    assert theme.source == "《全国节能宣传周（日期与主题）》"


def test_theme_lookup_works_against_the_real_knowledge_base(settings, tmp_path):
    from assistant.retrieval.knowledge import KnowledgeBase

    doc = tmp_path / "week.md"
    doc.write_text(
        "---\ntitle: 全国节能宣传周（日期与主题）\ndoc_type: campaign\n---\n# 全国节能宣传周（日期与主题）\n\n"
        "## 日期与主题表\n\n| 年份 | 节能宣传周日期 | 节能宣传周主题 | 全国低碳日 | 低碳日主题 |\n|---|---|---|---|---|\n"
        "| 2025年 | 6月23日至29日 | 节能增效，焕“新”引领 | 6月25日 | 碳路先锋、绿动未来 |\n"
        "| 2026年 | 6月15日至21日 | 示例主题甲，示例主题乙 | 6月17日 | 示例低碳日主题 |\n",
        encoding="utf-8",
    )
    with KnowledgeBase.open(settings) as kb:
        assert not kb.ingest([doc]).failed
    with KnowledgeBase.open(settings, read_only=True) as kb:
        result = make("initiative", knowledge=kb, year="2026")
    assert "今年的活动主题是“示例主题甲，示例主题乙”" in result.text
    assert next(f for f in result.facts if f.name == "theme").source.startswith("《全国节能宣传周（日期与主题）》")


def test_unverified_theme_in_the_knowledge_base_stays_missing():
    kb = TinyKnowledge(_Chunk("| 2026年 | 待核实 | 待核实 | 待核实 | 待核实 |", "全国节能宣传周"),
                       _Chunk("2026年全国低碳日的主题为“低碳日主题不可当作宣传周主题”。", "全国低碳日"))
    assert "【待补充：本年度活动主题】" in make("initiative", knowledge=kb, year="2026").text


def test_policy_basis_from_the_knowledge_base_is_cited_by_article():
    kb = TinyKnowledge(_Chunk("节能宣传周期间，公共机构应当组织开展活动。", "某市公共机构节能办法", "第十二条"),
                       _Chunk("公共机构应当建立节能主题的统计台账。", "某市统计办法", "第三条"))
    text = make("campaign-plan", knowledge=kb, institution=NAME, year="2025").text
    assert "《公共机构节能条例》第六条、《中华人民共和国节约能源法》第四十七条、《某市公共机构节能办法》第十二条的" in text
    assert "某市统计办法" not in text  # an article that says nothing about 宣传 is not cited


# ---------------------------------------------------------------- kinds with options


def test_slogans_are_tied_to_the_theme_and_counted():
    text = make("slogans", year="2024", count="12").text
    items = [line for line in text.splitlines() if re.match(r"^\d+\. ", line)]
    assert len(items) == 12
    assert items[0] == "1. 绿色转型，节能攻坚"
    assert len([line for line in make("slogans", year="2024", count="99").text.splitlines() if re.match(r"^\d+\. ", line)]) == 20


@pytest.mark.parametrize("activity, phrase", [("低碳健步走", "健步行进"), ("能源紧缺体验日", "停开空调"),
                                              ("旧物换绿植", "以物换绿")])
def test_event_notice_follows_the_activity(activity, phrase):
    result = make("event-notice", institution=NAME, year="2025", activity=activity, place="机关大院")
    assert result.title == f"关于开展“{activity}”活动的通知"
    assert phrase in result.text
    assert "地点：机关大院。" in result.text


def test_kind_can_be_named_in_chinese():
    assert drafting.get_kind("节能宣传周活动方案").id == "campaign-plan"
    assert drafting.get_kind("倡议书").id == "initiative"


def test_unknown_kind_and_parameter_are_refused_with_choices():
    with pytest.raises(LookupFailed, match="可选"):
        drafting.get_kind("请假条")
    with pytest.raises(LookupFailed, match="可用参数"):
        make("slogans", colour="red")
    with pytest.raises(LookupFailed, match="整数"):
        make("budget-report", year="去年")


def test_defaults_are_this_year_for_campaigns_and_last_year_for_reports():
    assert make("initiative").title == "2026年节能宣传周倡议书"
    assert "2025年度用能预算执行情况报告" in make("budget-report").title
    listed = {k["id"]: k for k in (kind.to_dict(TODAY) for kind in drafting.list_kinds())}
    assert {p["name"]: p["default"] for p in listed["budget-report"]["params"]}["year"] == "2025"


# ---------------------------------------------------------------- the committed sample data

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "corpus" / "data"


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    from dataclasses import replace

    from assistant.config import Settings

    settings = replace(Settings.from_env({}), home=tmp_path_factory.mktemp("sample") / "home", embed_model=None)
    files = sorted(SAMPLE_DIR.glob("*.csv"))
    assert len(files) >= 3, "corpus/data should hold consumption, budget and quota samples"
    with DataStore.open(settings) as s:
        for path in files:
            s.import_file(path)
        yield s


@pytest.mark.parametrize("kind", [k.id for k in drafting.list_kinds()])
def test_every_kind_renders_for_the_sample_data_with_the_tools_figures(kind, sample_store):
    from tools.energy import compare, indicators

    campaign = drafting.get_kind(kind).group == "宣传"
    # campaign material for 2026 quotes 2025 figures; reports cover 2025 itself
    extra = {"theme": "节能增效", "year": "2026"} if campaign else {"year": "2025"}  # 2026 has no theme in the table
    result = make(kind, sample_store, institution="市行政中心", **extra)
    assert not [m for m in result.missing if m[:2] == "20"], result.missing  # no figure left missing
    if not result.kind.uses_data:
        return
    data_year = 2025
    ind = indicators(sample_store, "市行政中心", data_year)
    facts = {f.name: f for f in result.facts}
    assert facts["energy_tce"].text == f"{ind.energy_kgce / 1000:,.2f}吨标准煤"
    assert facts["energy_per_area"].text == f"{ind.energy_per_area_kgce_m2:.2f}千克标准煤/平方米"
    pct = compare(sample_store, "市行政中心", "energy_per_capita", data_year).change_pct
    assert facts["energy_per_capita_vs_prev"].text.endswith(f"{abs(pct):.2f}%")
    shown = [f for f in result.facts if f.source.startswith("tools.") and f.text and f.text in result.text]
    assert shown, "the draft prints figures from the tools"
