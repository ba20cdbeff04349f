"""成文日期: the date under a draft's signature is the date the document is for, not the day it happens to be drafted.

Each dated kind says in kinds.yaml how its date follows from what it is about:
  before_campaign: N   N days before the activity the draft announces: the first date in the `date` parameter, else
                       the first day of that year's 节能宣传周 (calendar in facts.py); today instead when today already
                       lies in those N days. No activity date known → no date (the draft shows 【待补充：成文日期】).
  after_period: D      day D of the month after the period the report covers (through_month for budget reports,
                       else December of `year`), or today when that is earlier.
A date the user gives (`issue_date`) wins; it is written as GB/T 9704 §7.3.5.4 asks: 2025年6月9日, no leading zeros.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Mapping

from assistant.errors import LookupFailed

_CHINESE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_NUMERIC = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")


@dataclass(frozen=True)
class IssueDate:
    """The signature date and how it was arrived at (shown as the fact's source)."""

    day: date | None
    reason: str

    @property
    def text(self) -> str | None:
        return chinese_date(self.day) if self.day else None


def chinese_date(day: date) -> str:
    """2025年6月9日 (GB/T 9704: Arabic numerals, the full year, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def parse_date(text: str, default_year: int | None = None) -> date | None:
    """The first date in `text`: 2025年6月23日, 6月23日 (in `default_year`), 2025-06-23, 2025/6/23 or 2025.6.23."""
    found = []
    for pattern in (_CHINESE, _NUMERIC):
        match = pattern.search(text or "")
        if match:
            found.append(match)
    for match in sorted(found, key=lambda m: m.start()):
        year = int(match.group(1)) if match.group(1) else default_year
        if year is None:
            continue
        try:
            return date(year, int(match.group(2)), int(match.group(3)))
        except ValueError:
            continue
    return None


def given_issue_date(text: str) -> str:
    """The user's 成文日期 normalised to 2025年6月9日; LookupFailed when it is not a whole date."""
    day = parse_date(text)
    if day is None:
        raise LookupFailed(f"参数 issue_date（成文日期）应为完整日期，例如 2025年6月9日 或 2025-06-09，实际为“{text}”。")
    return chinese_date(day)


def issue_date(rule: Mapping[str, int], values: Mapping[str, str], activity: str | None, today: date) -> IssueDate:
    """The default signature date for a kind's `dated` rule, the draft's parameters and its activity date text."""
    year = int(values["year"])
    if "before_campaign" in rule:
        lead = int(rule["before_campaign"])
        start = parse_date(activity or "", year)
        if start is None:
            return IssueDate(None, "活动日期未知，无法推定")
        day = start - timedelta(days=lead)
        if day <= today < start:
            return IssueDate(today, f"活动开始（{chinese_date(start)}）之前，取当天")
        what = f"活动开始（{chinese_date(start)}）" + (f"前{lead}天" if lead else "当天")
        return IssueDate(day, f"推定：{what}")
    if "after_period" in rule:
        last_month = int(values.get("through_month") or 12)
        nominal = date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)
        nominal = nominal.replace(day=int(rule["after_period"]))
        if today < nominal:
            return IssueDate(today, f"推定日期{chinese_date(nominal)}晚于今天，取当天")
        if last_month == 12:
            return IssueDate(nominal, f"推定：{year}年度结束后，取次年{nominal.month}月{nominal.day}日")
        return IssueDate(nominal, f"推定：{year}年1–{last_month}月结束后，取{nominal.month}月{nominal.day}日")
    raise ValueError(f"unknown dated rule {dict(rule)!r}")
