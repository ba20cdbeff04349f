"""Drafting: campaign material and compliance documents from the facts GreenLeaf already holds.

`draft()` is the one entry: it resolves the kind's parameters, gathers the facts (facts.py), fills the kind's
template (render.py) and, given a chat model, lets it rewrite the prose (rewrite.py). A missing fact is written as
【待补充：…】, never guessed. Kinds are data (kinds.yaml, kinds.py). `red_header()` gives a 公文 kind its red 版头
and refuses it to every other kind. Not handled here: page layout (docx_export.py) and argument parsing
(assistant/cli/draft.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Mapping

from assistant.drafting.dates import given_issue_date
from assistant.drafting.docx_export import RedHeader
from assistant.drafting.facts import PLACEHOLDER, PLACEHOLDER_RE, Fact, Knowledge, gather_facts
from assistant.drafting.kinds import Kind, Param, get_kind, list_kinds, resolved_defaults
from assistant.drafting.render import render
from assistant.drafting.rewrite import rewrite_with_model
from assistant.errors import GreenLeafError, LookupFailed

__all__ = ["Draft", "draft", "resolve_params", "red_header", "RedHeader", "Kind", "Param", "Fact", "list_kinds",
           "get_kind", "PLACEHOLDER"]


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

    def save(self, path: str | Path, red_header: RedHeader | None = None) -> Path:
        """Write the draft as .docx (GB/T 9704 basics, with the red 版头 if given) or .md, chosen by the suffix."""
        path = Path(path)
        suffix = path.suffix.lower()
        if red_header is not None and not self.kind.official:
            raise LookupFailed(not_official(self.kind))
        if suffix == ".docx":
            from assistant.drafting.docx_export import write_docx

            write_docx(self.text, path, red_header)
        elif red_header is not None:
            raise GreenLeafError(f"红头（发文机关标志和红色分隔线）只能加在 Word 文件中，请把输出文件改为 .docx，而不是“{path.suffix}”。")
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


def red_header(kind: Kind, organ: str | None, doc_number: str | None = None) -> RedHeader:
    """The red 版头 for a 公文 kind: the organ's name (发文机关标志 adds 文件) and the 发文字号 if any.

    LookupFailed, in Chinese, for a kind that never carries one (倡议书, 新闻通稿, 标语 …) or without an organ name."""
    if not kind.official:
        raise LookupFailed(not_official(kind))
    if not (organ or "").strip():
        raise LookupFailed("红头需要发文机关名称：请给出发文机关（命令行用 --organ，网页填“发文机关”），或设置环境变量 GREENLEAF_ORGAN_NAME（例如 海州市机关事务管理局）。")
    return RedHeader(organ.strip(), (doc_number or "").strip())


def not_official(kind: Kind) -> str:
    """Why `kind` gets no red 版头, naming the kinds that do."""
    official = "、".join(k.title for k in list_kinds() if k.official)
    return f"“{kind.title}”不是公文，不加红头（发文机关标志只用于公文：{official}）。"


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
    if values.get("issue_date"):
        values["issue_date"] = given_issue_date(values["issue_date"])
    return values
