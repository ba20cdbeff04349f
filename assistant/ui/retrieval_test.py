"""命中测试 (the retrieval test) in the 知识库 tab: a question, filters by document type and status, and the ranked
passages with their keyword (BM25), semantic and fused scores, the retrieval mode, the topic coverage, and the
sentences that match marked. It is `greenleaf search --explain --json`, shown: the JSON is one click away.
"""

from __future__ import annotations

from html import escape
from typing import Any

import gradio as gr

from assistant.ingest.regmeta import STATUSES
from assistant.ui import cards as ui_cards

MODES = {"hybrid": "混合检索（关键词 + 语义，倒数排名融合）", "lexical": "关键词检索（BM25；未加载语义模型）",
         "dense": "语义检索"}
STATUS_CHOICES = [("全部状态", ""), *((s, s) for s in STATUSES)]


def build(services: Any, type_choices: list) -> None:
    """Lay out and wire the panel (inside the caller's layout)."""
    from assistant.ui.services import friendly

    with gr.Row():
        question = gr.Textbox(placeholder="输入一个问题，看知识库会找出哪些段落、为什么", show_label=False, scale=4,
                              elem_id="gl-hit-query")
        doc_type = gr.Dropdown(type_choices, value="", show_label=False, scale=2, elem_id="gl-hit-type")
        status = gr.Dropdown(STATUS_CHOICES, value="", show_label=False, scale=2, elem_id="gl-hit-status")
        k = gr.Slider(1, 20, value=8, step=1, label="条数", scale=2, elem_id="gl-hit-k")
        run = gr.Button("测试", variant="primary", scale=1, elem_id="gl-hit-run")
    result = gr.HTML(ui_cards.empty("结果按排名列出：每条的关键词、语义和融合得分，覆盖率，以及与问题最匹配的句子。"),
                     elem_id="gl-hit-result")
    with gr.Accordion("JSON（与 greenleaf search --explain --json 相同）", open=False):
        raw = gr.JSON(elem_id="gl-hit-json")
    handler = friendly(lambda q, t, s, n: explain(services, q, t, s, n))
    common = dict(concurrency_limit=4, concurrency_id="chat")
    run.click(handler, [question, doc_type, status, k], [result, raw], api_name="kb_explain", **common)
    question.submit(handler, [question, doc_type, status, k], [result, raw], api_visibility="private", **common)


def explain(services: Any, question: str, doc_type: str | None, status: str | None, k: float | None) -> tuple:
    """The panel's HTML and the JSON of the same search."""
    result = services.kb.search(question, k=int(k or 8), doc_type=doc_type or None, status=status or None,
                                explain=True)
    return render(result), result.to_dict()


def render(result) -> str:
    filters = "，".join(f"{'类型' if key == 'doc_type' else '状态'}：{ui_cards.DOC_TYPES.get(value, value)}"
                       for key, value in result.filters.items())
    head = (f'<div class="gl-status gl-grey">检索方式：{escape(MODES.get(result.mode, result.mode))}；'
            f'找到 {len(result.hits)} 条{("；筛选 " + escape(filters)) if filters else ""}。'
            "已修订、已废止文件的段落排在现行文件之后。</div>")
    if not result.hits:
        return head + ui_cards.empty("知识库中未找到相关内容。可换个说法，或放宽筛选。")
    rows = []
    for rank, hit in enumerate(result.hits, start=1):
        lexical = "—" if hit.lexical_rank is None else f"第{hit.lexical_rank}位（{hit.lexical_score:.3f}）"
        dense = "—" if hit.dense_rank is None else f"第{hit.dense_rank}位（{hit.dense_score:.3f}）"
        width = max(2, round(hit.coverage * 80))
        rows.append(
            f'<div class="gl-scores" data-rank="{rank}">关键词 {escape(lexical)}　语义 {escape(dense)}　'
            f'融合 {hit.fused_score or 0:.5f}　覆盖 <span class="gl-bar" style="width:{width}px"></span> '
            f"{hit.coverage:.0%}</div>")
    return head + ui_cards.source_cards(result.hits, heading="命中结果", details=rows)
