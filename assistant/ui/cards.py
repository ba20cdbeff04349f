"""HTML cards for the UI: source passages, tool results, indicator figures and coloured status boxes.

Every piece of text that comes from a document, a data file or a tool is passed through html.escape, so a passage
that contains markup shows as the characters it holds; CSS `white-space: pre-wrap` keeps its line breaks.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any, Iterable

from assistant.retrieval.highlight import segments

TOOL_NAMES = {
    "search": "知识库检索", "search_knowledge": "知识库检索", "indicators": "能耗指标计算", "compare": "同比对比",
    "rank": "单位排名", "trend": "逐年趋势", "check_quota": "能耗定额对标", "budget_status": "用能预算执行",
    "anomalies": "异常诊断", "carbon": "碳排放核算", "savings": "节能量测算", "convert": "单位换算",
    "draft": "文稿起草",
}
# What a card says about a document that is no longer current.
STATUS_BADGES = {"已修订": "该文件已修订，请以现行版本为准。", "已废止": "该文件已废止，仅供查阅，不作为现行依据。"}
DOC_TYPES = {"policy": "政策法规", "standard": "标准规范", "case": "典型案例", "campaign": "宣传活动",
             "guide": "工作指南", "data": "数据资料"}


def markdown_safe(text: str) -> str:
    """Text for a Markdown component with every HTML tag neutralised; Markdown itself (**, >, lists) still works."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;")


def empty(text: str) -> str:
    return f'<div class="gl-empty">{escape(text)}</div>'


def source_cards(citations: Iterable[Any], heading: str = "答案来源", details: list[str] | None = None) -> str:
    """One card per citation (an answers.Citation or a knowledge.SearchHit): label with 文号, a badge when the
    document is 已修订 or 已废止, file, issuer and 施行日期, the passage itself with the sentences the answer used
    (or that match the question: the item's `sentences`) marked. `details`: HTML shown under each card's title."""
    cards = []
    items = list(citations)
    extra = list(details or []) + [""] * len(items)
    for number, item in enumerate(items, start=1):
        chunk = getattr(item, "chunk", item)  # SearchHit wraps a Chunk; Citation has the fields itself
        info = getattr(item, "meta", None) or {}
        title = str(getattr(chunk, "title", "") or "").strip("《》")
        parts = [f"《{title}》" + (f"（{info['doc_number']}）" if info.get("doc_number") else "")]
        if getattr(chunk, "article", None):
            parts.append(chunk.article)
        if getattr(chunk, "page", None):
            parts.append(f"第{chunk.page}页")
        meta = [f"来源文件：{Path(str(getattr(chunk, 'source', ''))).name}"]
        doc_type = getattr(chunk, "doc_type", None)
        if doc_type:
            meta.append(f"类型：{DOC_TYPES.get(doc_type, doc_type)}")
        meta += [f"{label}：{info[key]}" for key, label in (("issuer", "发文机关"), ("effective", "施行日期"))
                 if info.get(key)]
        score = getattr(item, "score", None)
        if score is not None and item is not chunk:
            meta.append(f"相关度：{score:.3f}")
        status = info.get("status", "")
        badge = f' <span class="gl-doc-status">{escape(status)}</span>' if status in STATUS_BADGES else ""
        note = f'<div class="gl-status gl-amber">{escape(STATUS_BADGES[status])}</div>' if badge else ""
        cards.append(
            f'<div class="gl-card gl-source-card{" gl-withdrawn" if badge else ""}">'
            f'<div class="gl-card-title">[{number}] {escape(" ".join(parts))}{badge}</div>'
            f'<div class="gl-card-meta">{escape("　".join(meta))}</div>{extra[number - 1]}{note}'
            f'<div class="gl-card-text">{marked_text(str(getattr(chunk, "text", "")), getattr(item, "sentences", ()))}'
            '</div></div>'
        )
    if not cards:
        return empty("本次回答没有引用知识库条文。")
    return f"<h4>{escape(heading)}（{len(cards)}）</h4>" + "".join(cards)


def marked_text(text: str, sentences: Iterable[str]) -> str:
    """The passage escaped, with each of `sentences` in a <mark class="gl-hl">."""
    return "".join(f'<mark class="gl-hl">{escape(run)}</mark>' if marked else escape(run)
                   for run, marked in segments(text, list(sentences or ())))


def tool_cards(tool_calls: Iterable[Any]) -> str:
    """One card per tool call: what was asked, the explanation (figure, formula), the factors with their sources."""
    cards = []
    for call in tool_calls:
        name = TOOL_NAMES.get(call.name, call.name)
        args = "，".join(f"{k}={v}" for k, v in (call.args or {}).items())
        result = call.result or {}
        body = []
        if "error" in result:
            body.append(f'<div class="gl-status gl-amber">{escape(str(result["error"]))}</div>')
        explanation = call.explanation or result.get("explanation") or ""
        if explanation:
            body.append(f'<div class="gl-card-text">{escape(explanation)}</div>')
        if result.get("formula"):
            body.append(f'<div class="gl-card-meta">计算公式：{escape(str(result["formula"]))}</div>')
        body.append(factor_table(result.get("factors") or []))
        cards.append(
            '<div class="gl-card gl-tool-card">'
            f'<div class="gl-card-title">计算：{escape(name)}</div>'
            f'<div class="gl-card-meta">参数：{escape(args or "无")}</div>{"".join(body)}</div>'
        )
    if not cards:
        return ""
    return f"<h4>计算过程（{len(cards)}）</h4>" + "".join(cards)


def factor_table(factors: list[dict]) -> str:
    if not factors:
        return ""
    rows = "".join(
        f"<tr><td>{escape(str(f.get('label') or f.get('name', '')))}</td><td>{escape(_num(f.get('value')))}</td>"
        f"<td>{escape(str(f.get('unit', '')))}</td><td>{escape(str(f.get('source', '')))}</td></tr>"
        for f in factors
    )
    return ('<table class="gl-table"><tr><th>系数</th><th>取值</th><th>单位</th><th>来源</th></tr>'
            f"{rows}</table>")


def metric_cards(items: list[tuple[str, str, str]]) -> str:
    """(label, value, unit) triples as a grid of figure cards."""
    cells = "".join(
        f'<div class="gl-metric"><div class="gl-metric-label">{escape(label)}</div>'
        f'<div class="gl-metric-value">{escape(value)}</div><div class="gl-metric-unit">{escape(unit)}</div></div>'
        for label, value, unit in items
    )
    return f'<div class="gl-metrics">{cells}</div>'


def status_box(text: str, colour: str, title: str | None = None) -> str:
    """A coloured box: colour is red (超标/超支), amber (预警), green (达标) or grey (无数据)."""
    head = f"<b>{escape(title)}</b>\n" if title else ""
    return f'<div class="gl-status gl-{colour}">{head}{escape(text)}</div>'


def _num(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value if value is not None else "")
