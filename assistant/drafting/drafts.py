"""Drafting: campaign material and compliance documents from the facts GreenLeaf already holds.

`draft()` is the one entry: it resolves the kind's parameters, gathers the facts (facts.py), fills the kind's
template (render.py) and, given a chat model, lets it rewrite the prose (rewrite.py). A missing fact is written as
【待补充：…】, never guessed. Kinds are data (kinds.yaml, kinds.py). Not handled here: page layout (docx_export.py)
and argument parsing (assistant/cli/draft.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Mapping

from assistant.drafting.facts import PLACEHOLDER, PLACEHOLDER_RE, Fact, Knowledge, gather_facts
from assistant.drafting.kinds import Kind, Param, get_kind, list_kinds, resolved_defaults
from assistant.drafting.render import render
from assistant.drafting.rewrite import rewrite_with_model
from assistant.errors import GreenLeafError, LookupFailed

__all__ = ["Draft", "draft", "resolve_params", "Kind", "Param", "Fact", "list_kinds", "get_kind", "PLACEHOLDER"]


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
    missing = list(dict.fromkeys(m.group(1) for m in PLACEHOLDER_RE.finditer(text)))
    return Draft(kind, title, text, sheet.present(), missing, warnings, mode)


def resolve_params(kind: Kind, given: Mapping[str, str], today: date) -> dict[str, str]:
    """Kind defaults overlaid with the user's values; unknown names are refused with the list of valid ones."""
    known = {p.name for p in kind.params}
    unknown = [k for k in given if k not in known]
    if unknown:
        names = "、".join(f"{p.name}（{p.label}）" for p in kind.params)
        raise LookupFailed(f"“{kind.title}”没有参数 {'、'.join(unknown)}。可用参数：{names}。", sorted(known))
    values = resolved_defaults(kind, today)
    values.update({k: str(v).strip() for k, v in given.items()})
    for name in ("year", "base_year", "through_month", "count"):
        if values.get(name) and not values[name].isdigit():
            label = next(p.label for p in kind.params if p.name == name)
            raise LookupFailed(f"参数 {name}（{label}）应为整数，实际为“{values[name]}”。")
    if values.get("through_month") and not 1 <= int(values["through_month"]) <= 12:
        raise LookupFailed(f"参数 through_month 应在 1–12 之间，实际为“{values['through_month']}”。")
    return values
