"""The date under the signature (成文日期) is the date the document is for: campaign material before the activity,
reports after the period they cover, never simply the day of drafting. Expected dates are counted by hand."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.drafting import drafts as drafting
from assistant.drafting.dates import parse_date
from assistant.errors import LookupFailed

LATE = date(2026, 11, 24)  # drafting long after the 2025 week and after the 2025 reporting season


def signature_date(result: drafting.Draft) -> str:
    return [line for line in result.text.splitlines() if line.startswith("> ")][-1][2:]


def fact(result: drafting.Draft, name: str):
    return next(f for f in result.facts if f.name == name)


@pytest.mark.parametrize("kind, expected", [
    ("campaign-plan", "2025年6月9日"),   # 2025 week starts 6月23日 (FACTS §5.7); 14 days before
    ("event-notice", "2025年6月16日"),   # 7 days before
    ("initiative", "2025年6月20日"),     # 3 days before
])
def test_campaign_material_is_dated_before_the_week(kind, expected):
    result = drafting.draft(kind, {"institution": "市行政中心", "year": "2025"}, today=LATE)
    assert signature_date(result) == expected
    assert "2026年11月24日" not in result.text
    assert "6月23日" in fact(result, "issue_date").source


def test_a_notice_counts_from_its_own_activity_date():
    result = drafting.draft("event-notice", {"year": "2025", "date": "6月25日上午9:00"}, today=LATE)
    assert signature_date(result) == "2025年6月18日"  # 25 − 7


def test_press_release_is_dated_the_day_of_the_activity():
    result = drafting.draft("press-release", {"year": "2024"}, today=LATE)
    assert "（供稿：【待补充：单位名称】　2024年5月13日）" in result.text  # the 2024 week began 5月13日


def test_drafting_inside_the_lead_time_dates_the_plan_today():
    result = drafting.draft("campaign-plan", {"year": "2025"}, today=date(2025, 6, 15))
    assert signature_date(result) == "2025年6月15日"  # after 6月9日, before the week starts


def test_unknown_campaign_dates_leave_the_date_as_a_gap():
    result = drafting.draft("campaign-plan", {"year": "2031"}, today=date(2031, 3, 1))
    assert signature_date(result) == "【待补充：成文日期】"
    assert "成文日期" in result.missing


@pytest.mark.parametrize("kind", ["budget-report", "consumption-report", "self-assessment", "water-saving",
                                  "emc-savings"])
def test_reports_are_dated_early_in_the_next_year(kind):
    result = drafting.draft(kind, {"institution": "市行政中心", "year": "2025"}, today=LATE)
    assert signature_date(result) == "2026年1月15日"


def test_a_report_on_months_so_far_is_dated_after_those_months():
    result = drafting.draft("budget-report", {"year": "2025", "through_month": "6"}, today=LATE)
    assert signature_date(result) == "2025年7月15日"


def test_a_report_dated_in_the_future_takes_today_instead():
    result = drafting.draft("consumption-report", {"year": "2025"}, today=date(2026, 1, 6))
    assert signature_date(result) == "2026年1月6日"  # 1月15日 has not come yet


def test_the_user_sets_the_date_in_any_common_form():
    for given in ("2026-03-05", "2026年3月5日", "2026/3/5", "2026.03.05"):
        result = drafting.draft("budget-report", {"year": "2025", "issue_date": given}, today=LATE)
        assert signature_date(result) == "2026年3月5日"
    with pytest.raises(LookupFailed, match="成文日期"):
        drafting.draft("budget-report", {"year": "2025", "issue_date": "下周一"}, today=LATE)


def test_only_dated_kinds_take_an_issue_date():
    dated = {k.id for k in drafting.list_kinds() if "issue_date" in {p.name for p in k.params}}
    assert dated == {"initiative", "campaign-plan", "event-notice", "press-release", "budget-report",
                     "consumption-report", "self-assessment", "water-saving", "emc-savings"}
    with pytest.raises(LookupFailed):
        drafting.draft("slogans", {"issue_date": "2025-06-01"}, today=LATE)


def test_parse_date_reads_the_first_date():
    assert parse_date("2025年6月23日至29日") == date(2025, 6, 23)
    assert parse_date("6月25日", 2024) == date(2024, 6, 25)
    assert parse_date("6月25日") is None  # no year to put it in
    assert parse_date("2月30日", 2025) is None
