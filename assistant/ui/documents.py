"""Opening a document in the web UI: the whole text with its metadata, status and 章/节/条 outline, the cited article
highlighted and scrolled into view; and the administrators' status action (现行有效, 已修订, 已废止, with a note).

Used by the 知识库 tab (pick a document from the list) and the chat tab (pick one of the answer's sources). The view
is knowledge.KnowledgeBase.document(), the same as `greenleaf kb show`; every text from a document is escaped.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.ingest.regmeta import STATUSES
from assistant.retrieval.docview import DocumentView
from assistant.ui.cards import STATUS_BADGES, empty

EMPTY = "选择一篇文档（可填写要定位的条，如“第十五条”），点“打开”查看全文。"


def scroll_js(elem_id: str) -> str:
    """Browser-side: bring the focused article of the view in `elem_id` into sight, once the new view is drawn
    (the page draws the HTML a moment after the event ends, so look a few times)."""
    return ("() => { let tries = 0; const go = () => { "
            f"const el = document.querySelector('#{elem_id} .gl-doc-focus'); "
            "if (el) { el.scrollIntoView({block: 'center'}); } "
            "if (tries++ < 10) { setTimeout(go, 150); } }; setTimeout(go, 100); }")


def viewer(elem_id: str, choices: list, label: str) -> tuple[gr.Dropdown, gr.Textbox, gr.Button, gr.HTML]:
    """Lay out a document picker, an article box, an 打开 button and the view; the caller wires them (`wire`)."""
    with gr.Row():
        choice = gr.Dropdown(choices, value=None, label=label, scale=4, allow_custom_value=True,
                             elem_id=f"{elem_id}-choice")
        article = gr.Textbox(label="定位到条（可选）", placeholder="第十五条", scale=1, elem_id=f"{elem_id}-article")
        button = gr.Button("打开", scale=1, elem_id=f"{elem_id}-open")
    view = gr.HTML(empty(EMPTY), elem_id=elem_id)
    return choice, article, button, view


def wire(services: Any, elem_id: str, choice: gr.Dropdown, article: gr.Textbox, button: gr.Button,
         view: gr.HTML, api_name: str | None = None) -> None:
    from assistant.ui.services import friendly

    opened = button.click(friendly(lambda d, a: open_document(services, d, a)), [choice, article], view,
                          api_name=api_name, api_visibility="public" if api_name else "private")
    opened.then(None, None, None, js=scroll_js(elem_id))


def open_document(services: Any, choice: str | None, article: str | None = None) -> str:
    """The view's HTML for a document chosen by doc_id (or "doc_id|第十五条" from a citation)."""
    if not choice:
        raise gr.Error("请先选择要查看的文档。")
    doc_id, _, cited = str(choice).partition("|")
    view = services.kb.document(doc_id.strip(), article=(article or "").strip() or cited or None)
    if (article or "").strip() and view.focus is None:
        raise gr.Error(f"《{view.record.title}》中没有“{article.strip()}”。")
    return render(view)


def render(view: DocumentView) -> str:
    """Metadata, status, outline and the whole text; the focused article marked (class gl-doc-focus)."""
    meta = view.meta
    rows = "".join(f"<tr><th>{escape(line.split('：', 1)[0])}</th><td>{escape(line.split('：', 1)[1])}</td></tr>"
                   for line in view.heading_lines()[1:])
    status = meta["status"]
    note = (f'<div class="gl-status gl-amber">{escape(STATUS_BADGES[status])}</div>' if status in STATUS_BADGES
            else "")
    warnings = "".join(f'<div class="gl-status gl-grey">{escape(w)}</div>' for w in view.record.warnings)
    outline = "；".join(f"{escape(p['heading'] or '正文')}（{escape(_span(p['articles']))}）" if p["articles"]
                       else escape(p["heading"] or "正文") for p in view.outline())
    body, heading = [], None
    for block in view.blocks:
        path = " › ".join(block.path)
        if path and path != heading:
            body.append(f"<h4>{escape(path)}</h4>")
        heading = path
        focus = view.focus is not None and block.article == view.focus
        label = f"<b>{escape(block.article)}</b>　" if block.article else ""
        page = f'<span class="gl-doc-outline">（第{block.page}页）</span>' if block.page else ""
        body.append(f'<div class="gl-doc-article{" gl-doc-focus" if focus else ""}">{label}{escape(block.text)}'
                    f"{page}</div>")
    return (f'<div class="gl-card gl-doc-card"><div class="gl-card-title">《{escape(view.record.title)}》'
            f'{f" <span class=gl-doc-status>{escape(status)}</span>" if status in STATUS_BADGES else ""}</div>'
            f'<div class="gl-card-meta">来源文件：{escape(Path(view.record.source).name)}　编号：{escape(view.record.doc_id)}'
            f'</div><table class="gl-table">{rows}</table>{note}{warnings}'
            f'<div class="gl-doc-outline">结构：{outline}</div></div>'
            f'<div class="gl-doc-view">{"".join(body)}</div>')


def citation_choices(record: dict | None) -> gr.Dropdown:
    """The chat answer's sources as choices ("doc_id|第十五条"), the first one chosen."""
    sources = (record or {}).get("sources") or []
    labels = (record or {}).get("citations") or []
    choices = [(f"[{n}] {label}", f"{s['doc_id']}|{s.get('article') or ''}")
               for n, (s, label) in enumerate(zip(sources, labels), start=1)]
    return gr.Dropdown(choices=choices, value=choices[0][1] if choices else None)


def status_panel(elem_id: str) -> tuple[gr.Radio, gr.Textbox, gr.Button, gr.Markdown]:
    """The administrators' action on the opened document: a status, an optional note, 设置状态."""
    with gr.Row():
        status = gr.Radio(list(STATUSES), value=STATUSES[0], label="效力状态", scale=3, elem_id=f"{elem_id}-status")
        note = gr.Textbox(label="说明（可选）", placeholder="例如：已被2024年修正版取代", scale=3,
                          elem_id=f"{elem_id}-note")
        button = gr.Button("设置状态", variant="secondary", scale=1, elem_id=f"{elem_id}-set")
    said = gr.Markdown("", elem_id=f"{elem_id}-said")
    return status, note, button, said


def set_status(services: Any, choice: str | None, status: str, note: str | None) -> tuple[str, str]:
    """Set the chosen document's status; returns the message and the refreshed view."""
    if not choice:
        raise gr.Error("请先选择文档并打开，再设置状态。")
    doc_id = str(choice).partition("|")[0].strip()
    record = services.kb.set_status(doc_id, status, note)
    said = f"已将《{record.title}》标为**{status}**" + (f"（{note.strip()}）" if (note or "").strip() else "") + "。"
    return said, render(services.kb.document(doc_id))


def _span(articles: list[str]) -> str:
    return f"{articles[0]}—{articles[-1]}" if len(articles) > 1 else articles[0]
