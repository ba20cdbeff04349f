"""LLM mode with a scripted chat model: the model's prose is used, the structure and facts are not its to change,
and a number it invents is caught and marked."""

from __future__ import annotations

from datetime import date

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.drafting import drafts as drafting

TODAY = date(2026, 11, 24)
PARAMS = {"institution": "市行政中心", "year": "2025", "place": "机关大院"}


def scripted(text: str) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter([AIMessage(content=text)]))


def offline() -> str:
    return drafting.draft("campaign-plan", PARAMS, today=TODAY).text


def test_invented_number_is_flagged_and_marked():
    reply = offline().replace(
        "成立节能宣传周活动领导小组，",
        "成立节能宣传周活动领导小组，力争宣传周期间节电3,500千瓦时，",
    )
    result = drafting.draft("campaign-plan", PARAMS, model=scripted(reply), today=TODAY)
    assert result.mode == "llm"
    assert "节电3,500【待核实】千瓦时" in result.text
    assert len(result.warnings) == 1 and "3,500" in result.warnings[0] and "三、组织领导" in result.warnings[0]


def test_invented_percentage_and_chinese_numeral_are_caught():
    reply = offline().replace("组织学习公共机构节能法规和节能常识，", "组织学习公共机构节能法规，力争节能百分之十五，覆盖一千二百人，")
    result = drafting.draft("campaign-plan", PARAMS, model=scripted(reply), today=TODAY)
    flagged = " ".join(result.warnings)
    assert "百分之十五" in flagged and "一千二百" in flagged


def test_numbers_taken_from_the_facts_pass():
    reply = offline().replace("成立节能宣传周活动领导小组，", "围绕第35个全国节能宣传周，在2025年6月25日前成立活动领导小组，")
    result = drafting.draft("campaign-plan", PARAMS, model=scripted(reply), today=TODAY)
    assert result.warnings == []
    assert "在2025年6月25日前成立活动领导小组" in result.text


def test_model_cannot_change_title_headings_or_signature():
    reply = (offline()
             .replace("# 市行政中心2025年节能宣传周活动方案", "# 改过的标题")
             .replace("## 三、组织领导", "## 三、领导机构")
             .replace("> 市行政中心\n> 2025年6月9日", ""))
    result = drafting.draft("campaign-plan", PARAMS, model=scripted(reply), today=TODAY)
    assert result.title == "市行政中心2025年节能宣传周活动方案"
    assert "## 三、组织领导" in result.text and "领导机构" not in result.text
    assert "> 市行政中心\n> 2025年6月9日" in result.text  # dated 14 days before the 2025 week (6月23日)


def test_facts_block_is_appended_unchanged():
    reply = offline().replace("2025年6月23日至29日", "2025年6月24日至30日")  # the model alters a date
    result = drafting.draft("campaign-plan", PARAMS, model=scripted(reply), today=TODAY)
    assert "## 附：本文数据与依据" in result.text
    assert "- 本年度节能宣传周时间：2025年6月23日至29日" in result.text
    flagged = " ".join(result.warnings)
    assert "“6月24日”" in flagged and "“30日”" in flagged  # dates are compared as dates, not as loose numbers
    assert "2025年6月24日【待核实】至30日【待核实】" in result.text


def test_placeholders_survive_and_are_reported_as_missing():
    params = {**PARAMS, "year": "2026"}
    base = drafting.draft("initiative", params, today=TODAY).text
    result = drafting.draft("initiative", params, model=scripted(base), today=TODAY)
    assert "本年度活动主题" in result.missing
    assert result.warnings == []


def test_model_failure_falls_back_to_the_offline_draft():
    result = drafting.draft("campaign-plan", PARAMS, model=GenericFakeChatModel(messages=iter([])), today=TODAY)
    assert "大模型调用失败" in result.warnings[0]
    assert result.text == offline()
