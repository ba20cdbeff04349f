"""Document kinds: what each is called, which parameters it takes, which sections it must have, what it cites.

The kinds themselves are data, in kinds.yaml beside this module (read once, on first use); this module gives them
types and finds one by id or name. The prose lives in templates/<id>.md.j2 (render.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from assistant.errors import LookupFailed


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
    dated: tuple[tuple[str, int], ...] = ()  # rule for the signature date (dates.py); () = the kind has none
    official: bool = False  # goes out as a 公文: may carry the red 发文机关标志 (docx_export.RedHeader)

    def to_dict(self, today: date | None = None) -> dict[str, Any]:
        defaults = resolved_defaults(self, today or date.today())
        return {
            "id": self.id,
            "title": self.title,
            "params": [{**p.to_dict(), "default": defaults[p.name]} for p in self.params],
        }


def list_kinds() -> list[Kind]:
    return list(_kinds())


def get_kind(name: str) -> Kind:
    """Find a kind by id, by title, or by a part of its title that matches exactly one kind."""
    name = name.strip()
    kinds = _kinds()
    for kind in kinds:
        if name in (kind.id, kind.title):
            return kind
    matches = [k for k in kinds if name and (name in k.title or k.title in name)]
    if len(matches) == 1:
        return matches[0]
    candidates = [f"{k.id}（{k.title}）" for k in (matches or kinds)]
    raise LookupFailed(f"没有名为“{name}”的文稿类型。可选：{'、'.join(candidates)}。", candidates)


def resolved_defaults(kind: Kind, today: date) -> dict[str, str]:
    """Every parameter's default on `today`; the year (and the savings base year) depend on the date."""
    values = {p.name: p.default for p in kind.params}
    # Campaign material is for this year's week; reports cover the last complete year.
    values["year"] = str(today.year if kind.group == "宣传" else today.year - 1)
    if kind.id == "emc-savings":
        values["base_year"] = str(today.year - 2)
    return values


@cache
def _kinds() -> tuple[Kind, ...]:
    text = resources.files("assistant.drafting").joinpath("kinds.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    sets = {name: tuple(Param(**p) for p in params) for name, params in data["param_sets"].items()}
    return tuple(
        Kind(
            id=k["id"],
            title=k["title"],
            group=k["group"],
            params=tuple(p for entry in _with_issue_date(k["params"], k)
                         for p in (sets[entry] if isinstance(entry, str) else (Param(**entry),))),
            sections=tuple(k["sections"]),
            uses_data=k.get("uses_data", False),
            basis=tuple(tuple(b) for b in k.get("basis", ())),
            basis_query=k.get("basis_query", ""),
            basis_must=k.get("basis_must", ""),
            dated=tuple((k.get("dated") or {}).items()),
            official=bool(k.get("official", False)),
        )
        for k in data["kinds"]
    )


def _with_issue_date(entries: list, kind: dict) -> list:
    """A dated kind's parameters end with issue_date (成文日期); empty means "work it out" (dates.py)."""
    return [*entries, {"name": "issue_date", "label": "成文日期"}] if kind.get("dated") else entries
