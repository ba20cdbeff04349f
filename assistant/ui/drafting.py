"""文稿起草 tab: pick a kind, fill its form (fields follow the kind's parameters), preview, download .docx.

The form has a fixed number of fields, relabelled and shown or hidden per kind, so the API signature is stable.
Drafts are written offline from templates and the tools' figures; a fact that cannot be found stays 【待补充】.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import gradio as gr

from assistant.ui.services import Services, friendly
from assistant.ui.cards import markdown_safe

MAX_FIELDS = 10
PLACEHOLDERS = {"institution": "例如：市行政中心", "year": "四位年份，例如 2025", "date": "例如：2025年6月16日",
                "place": "例如：机关大院", "theme": "不填则按当年节能宣传周主题"}


def build(services: Services) -> None:
    from assistant.drafting.drafts import list_kinds

    kinds = list_kinds()
    first = kinds[0]
    gr.Markdown("选择文稿类型，填写（或保留默认的）参数，点“生成草稿”。数字取自能耗数据和内置工具，政策依据取自知识库；"
                "查不到的内容标为【待补充】，请人工补全后再使用。")
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            kind = gr.Dropdown([(f"{k.title}（{k.group}）", k.id) for k in kinds], value=first.id, label="文稿类型",
                               elem_id="gl-draft-kind")
            fields = [gr.Textbox(elem_id=f"gl-draft-field-{i}", **field_props(first.id, i)) for i in range(MAX_FIELDS)]
            go = gr.Button("生成草稿", variant="primary", elem_id="gl-draft-run")
            status = gr.Markdown("")
            download = gr.File(label="下载 Word 文档（.docx，公文格式）", interactive=False, elem_id="gl-draft-download")
        with gr.Column(scale=2):
            preview = gr.Markdown("草稿预览显示在这里。", elem_id="gl-draft-preview", height=640)

    kind.change(lambda k: form_updates(k), kind, fields, api_visibility="private", queue=False)
    go.click(friendly(lambda k, *values: make_draft(services, k, values)), [kind, *fields],
             [preview, status, download], api_name="draft", concurrency_limit=2, concurrency_id="draft")


def form_updates(kind_id: str) -> list:
    """One update per field: label, default and visibility for the kind's parameters, hidden beyond them."""
    return [gr.Textbox(**field_props(kind_id, i)) for i in range(MAX_FIELDS)]


def field_props(kind_id: str, index: int) -> dict:
    from assistant.drafting.drafts import get_kind

    params = get_kind(kind_id).to_dict(date.today())["params"]
    if index >= len(params):
        return {"label": "", "value": "", "visible": False}
    p = params[index]
    return {"label": p["label"], "value": p["default"], "visible": True,
            "placeholder": PLACEHOLDERS.get(p["name"], "可不填")}


def make_draft(services: Services, kind_id: str, values: tuple) -> tuple[str, str, str]:
    """Draft the kind with the form's values; return the preview, a status line and the .docx path."""
    from assistant.drafting.drafts import draft, get_kind

    kind = get_kind(kind_id)
    params = {p.name: str(v or "").strip() for p, v in zip(kind.params, values) if str(v or "").strip()}
    result = draft(kind, params, store=services.store, knowledge=services.kb)
    folder = Path(tempfile.mkdtemp(prefix="greenleaf-draft-"))
    stem = "".join(ch for ch in result.title if ch not in '\\/:*?"<>|\n')[:60] or kind.title
    path = result.save(folder / f"{stem}.docx")
    lines = [f"已生成《{result.title}》，可下载 Word 文档。"]
    if result.missing:
        lines.append(f"待补充 {len(result.missing)} 项：" + "；".join(result.missing))
    lines += [f"请核对：{w}" for w in result.warnings]
    # The draft is our template's Markdown, but titles and passages in it come from documents: no live HTML.
    return markdown_safe(result.text), markdown_safe("\n\n".join(lines)), str(path)
