"""文稿起草 tab: pick a kind, fill its form (fields follow the kind's parameters), preview, download .docx.

The form has a fixed number of fields, relabelled and shown or hidden per kind, so the API signature is stable; the
red-header controls come after them. Drafts are written offline from templates and the tools' figures; a fact that
cannot be found stays 【待补充】, highlighted in the preview as in the Word file and listed beside the download.
"""

from __future__ import annotations

import tempfile
from datetime import date
from html import escape
from pathlib import Path

import gradio as gr

from assistant.ui.services import Services, friendly
from assistant.ui.cards import markdown_safe

MAX_FIELDS = 10
PLACEHOLDERS = {"institution": "例如：市行政中心", "year": "四位年份，例如 2025", "date": "例如：2025年6月16日",
                "place": "例如：机关大院", "theme": "不填则按当年节能宣传周主题",
                "issue_date": "不填则按文稿推定：宣传材料在活动前，报告在报告期后（见说明）"}
RED_LABEL = "加红头（红色发文机关标志和分隔线，GB/T 9704）"


def build(services: Services) -> None:
    from assistant.drafting.drafts import list_kinds

    kinds = list_kinds()
    first = kinds[0]
    gr.Markdown("选择文稿类型，填写（或保留默认的）参数，点“生成草稿”。数字取自能耗数据和内置工具，政策依据取自知识库；"
                "查不到的内容标为黄色的【待补充】，请人工补全后再使用。落款日期不填时按文稿推定（活动材料在活动开始前，"
                "报告在报告期结束后）。方案、通知、报告等公文可加红头。")
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            kind = gr.Dropdown([(f"{k.title}（{k.group}）", k.id) for k in kinds], value=first.id, label="文稿类型",
                               elem_id="gl-draft-kind")
            fields = [gr.Textbox(elem_id=f"gl-draft-field-{i}", **field_props(first.id, i)) for i in range(MAX_FIELDS)]
            with gr.Group():  # every input has a value, so API callers from before these three still work
                red = gr.Checkbox(elem_id="gl-draft-red", **red_props(first.id))
                organ = gr.Textbox(label="发文机关（红头）", value=services.settings.organ_name or "",
                                   placeholder="不填则用单位名称", max_lines=1, elem_id="gl-draft-organ")
                number = gr.Textbox(label="发文字号（可不填）", value="", placeholder="例如：海机管〔2025〕12号", max_lines=1,
                                    elem_id="gl-draft-number")
            go = gr.Button("生成草稿", variant="primary", elem_id="gl-draft-run")
            status = gr.Markdown("", elem_id="gl-draft-status")
            download = gr.File(label="下载 Word 文档（.docx，公文格式）", interactive=False, elem_id="gl-draft-download")
        with gr.Column(scale=2):
            preview = gr.Markdown("草稿预览显示在这里。", elem_id="gl-draft-preview", height=640)

    kind.change(lambda k: form_updates(k), kind, [*fields, red], api_visibility="private", queue=False)
    go.click(friendly(lambda k, *values: make_draft(services, k, values[:MAX_FIELDS], *values[MAX_FIELDS:])),
             [kind, *fields, red, organ, number], [preview, status, download], api_name="draft",
             concurrency_limit=2, concurrency_id="draft")


def form_updates(kind_id: str) -> list:
    """One update per field (label, default, visibility for the kind's parameters), then the red-header box."""
    return [*(gr.Textbox(**field_props(kind_id, i)) for i in range(MAX_FIELDS)), gr.Checkbox(**red_props(kind_id))]


def field_props(kind_id: str, index: int) -> dict:
    from assistant.drafting.drafts import get_kind

    params = get_kind(kind_id).to_dict(date.today())["params"]
    if index >= len(params):
        return {"label": "", "value": "", "visible": False}
    p = params[index]
    return {"label": p["label"], "value": p["default"], "visible": True,
            "placeholder": PLACEHOLDERS.get(p["name"], "可不填")}


def red_props(kind_id: str) -> dict:
    """The red-header box: usable for 公文 kinds; unticked, greyed and saying why for the others."""
    from assistant.drafting.drafts import get_kind

    kind = get_kind(kind_id)
    if kind.official:
        return {"label": RED_LABEL, "interactive": True, "info": "发文机关取下面的“发文机关”，不填则用单位名称。"}
    return {"label": RED_LABEL, "value": False, "interactive": False, "info": f"“{kind.title}”不是公文，不加红头。"}


def make_draft(services: Services, kind_id: str, values: tuple, red: bool = False, organ: str = "",
               number: str = "") -> tuple[str, str, str]:
    """Draft the kind with the form's values; return the preview, a status line and the .docx path."""
    from assistant.drafting.drafts import draft, get_kind, not_official, red_header

    kind = get_kind(kind_id)
    params = {p.name: str(v or "").strip() for p, v in zip(kind.params, values) if str(v or "").strip()}
    result = draft(kind, params, store=services.store, knowledge=services.kb)
    notes: list[str] = []
    header = None
    if red and not kind.official:
        notes.append(not_official(kind) + "已按普通文稿生成。")
    elif red:
        institution = next((f.text for f in result.facts if f.name == "institution"), None)
        header = red_header(kind, (organ or "").strip() or services.settings.organ_name or institution, number)
    folder = Path(tempfile.mkdtemp(prefix="greenleaf-draft-"))
    stem = "".join(ch for ch in result.title if ch not in '\\/:*?"<>|\n')[:60] or kind.title
    path = result.save(folder / f"{stem}.docx", red_header=header)
    lines = [f"已生成《{result.title}》{'（带红头）' if header else ''}，可下载 Word 文档。"]
    if result.missing:
        lines.append(f"待补充 {len(result.missing)} 项（预览和 Word 中以黄色标出）：" + "；".join(result.missing))
    lines += notes
    lines += [f"请核对：{w}" for w in result.warnings]
    return preview_markdown(result.text, header), markdown_safe("\n\n".join(lines)), str(path)


def preview_markdown(text: str, header=None) -> str:
    """The draft for the Markdown preview: no live HTML from the text, its gaps in <mark>, the red 版头 on top."""
    from assistant.drafting.facts import GAP_RE

    # The draft is our template's Markdown, but titles and passages in it come from documents: no live HTML.
    body = GAP_RE.sub(lambda m: f'<mark class="gl-gap">{m.group(0)}</mark>', markdown_safe(text))
    if header is None:
        return body
    number = f'<div class="gl-red-number">{escape(header.number)}</div>' if header.number else ""
    return f'<div class="gl-red-header"><div class="gl-red-mark">{escape(header.mark)}</div>{number}</div>\n\n{body}'
