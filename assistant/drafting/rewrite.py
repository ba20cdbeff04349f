"""LLM mode: a chat model rewrites the prose of an offline draft, section by section, and may not change the facts.

Headings, signature lines ("> ") and the appended facts block are the system's; every number the model wrote that is
in neither the offline draft nor the facts is marked 【待核实】 and named in a warning (assistant/numbercheck.py).
The prompt is templates/llm_rewrite.md. A failed model call falls back to the offline draft with a warning.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.drafting.facts import UNVERIFIED, FactSheet
from assistant.drafting.kinds import Kind
from assistant.drafting.render import template_text
from assistant.numbercheck import Number, unverified_numbers


def rewrite_with_model(kind: Kind, text: str, sheet: FactSheet, model: Any) -> tuple[str, list[str]]:
    """Let a chat model rewrite the prose of each section; headings, signature lines and facts stay fixed.

    Returns the new text and warnings: every number the model wrote that is in neither the offline draft nor the
    facts is marked 【待核实】 in the text and named in a warning. A fixed facts block is appended.
    """
    from langchain_core.messages import HumanMessage, SystemMessage

    system, _, user = template_text("llm_rewrite.md").partition("\n---\n")
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
    allowed += [str(ref) for ref in sheet.basis]
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
            warnings += [f"“{heading or '开头'}”中的数字“{n.raw}”不在事实之中，已标注{UNVERIFIED}，请核对。" for n in flagged]
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
        text = re.sub(rf"(?<![\d.,]){re.escape(raw)}(?![\d.,])", raw + UNVERIFIED, text)
    return text, flagged


def _facts_block(sheet: FactSheet) -> str:
    lines = [f"- {f.label}：{f.text}" for f in sheet.present() if f.source != "参数" and f.name != "theme_plain"]
    lines += [f"- 政策依据：{ref}" for ref in sheet.basis]
    return "\n".join(lines) if lines else "- （无可用数据）"
