"""Rendering: a kind's Jinja2 template (templates/<id>.md.j2) filled with its facts gives the offline draft.

Templates read a fact as `f.name` (its text, or 【待补充：label】 when missing), test it with `f.name.ok`, and get
the policy basis as `citations` (a list) and `cites` (joined: 《条例》第十六条、第十七条). Output is Markdown: #, ##,
###, paragraphs and "- " lists, which docx_export.py lays out. Not handled here: where the facts come from (facts.py).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import jinja2

from assistant.drafting.facts import PLACEHOLDER, Fact, FactSheet, SourceRef
from assistant.drafting.kinds import Kind


def render(kind: Kind, sheet: FactSheet) -> str:
    """Fill the kind's template with the facts; the result is Markdown (#, ##, ###, paragraphs, "- " lists)."""
    template = _environment().get_template(f"{kind.id}.md.j2")
    text = template.render(f=_SheetView(sheet), citations=sheet.basis, cites=_join_basis(sheet.basis),
                           kind=kind, slogans=_slogans(sheet))
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def template_text(name: str) -> str:
    """A file from templates/ as text (the kinds' templates and the rewrite prompt)."""
    return resources.files("assistant.drafting").joinpath("templates", name).read_text(encoding="utf-8")


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(template_text),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


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


def _join_basis(basis: list[SourceRef]) -> str:
    """《条例》第十六条、第十七条：articles of one law share its title."""
    parts: list[str] = []
    last_law = None
    for ref in basis:
        law, _, article = ref.label.partition("》")
        if law == last_law and article:
            parts.append(article)
        else:
            parts.append(ref.label)
        last_law = law
    return "、".join(parts)


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
