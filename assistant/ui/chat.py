"""智能问答 tab: streaming chat, source cards and tool results beside it, example questions, the mode badge,
有用/没用 feedback with an optional comment (office/feedback.py, `home/feedback.jsonl`) and, on the left, the user's
saved conversations (history.py): every answered turn is saved under the signed-in user.

Answer text is escaped before the chat renders it as Markdown, so markup quoted from a document shows as text.
"""

from __future__ import annotations

from html import escape
from typing import Any, Iterator

import gradio as gr

from assistant.ui import cards as ui_cards
from assistant.ui import documents as ui_documents
from assistant.ui import history as ui_history
from assistant.ui.services import Services, friendly
from assistant.ui.cards import markdown_safe

EXAMPLES = (
    "公共机构节能条例第十五条讲什么？",
    "十四五期间公共机构单位建筑面积能耗要下降多少？",
    "市行政中心2024年单位建筑面积能耗是多少？",
    "市第二中学2024年是否超过能耗定额？",
    "什么是合同能源管理？",
)

LLM_HELP = """**如何接入大模型**（可选）：在启动前设置以下环境变量，然后重启本程序：

```
GREENLEAF_LLM_BASE_URL=http://内网模型服务地址/v1   # 兼容 OpenAI 接口的服务，如 vLLM、Ollama、DeepSeek、通义千问
GREENLEAF_LLM_MODEL=模型名称
GREENLEAF_LLM_API_KEY=密钥（服务需要时）
```

大模型只改写和组织回答，数字仍由内置工具计算、条文仍来自知识库；大模型服务超时或出错时自动改用离线模式。"""



def build(services: Services) -> tuple[Any, list]:
    """Lay out the chat tab and wire its events (concurrency group "chat", separate from ingest); returns the
    page-load refresher of the conversation list and the list."""
    pairs = gr.State([])  # (question, answer) pairs for follow-ups
    last = gr.State(None)  # the last answer, for the feedback buttons
    conversation = gr.State(None)  # id of the saved conversation this page continues (None: a new one)
    with gr.Row():
        with gr.Column(scale=1, min_width=200, elem_id="gl-history"):
            history = ui_history.build(services)
        with gr.Column(scale=3):
            gr.HTML(mode_badge(services), elem_id="gl-mode-badge")
            chatbot = gr.Chatbot(label="对话", height=460, elem_id="gl-chatbot", feedback_options=None,
                                 placeholder="在下方输入问题，或点一个示例问题。回答会注明出处（右侧“答案来源”）。",
                                 buttons=["copy"])
            with gr.Row():
                question = gr.Textbox(placeholder="输入问题，例如：公共机构节能条例第十五条讲什么？", show_label=False,
                                      scale=5, lines=1, max_lines=4, elem_id="gl-question",
                                      max_length=services.settings.max_question_chars)
                send = gr.Button("发送", variant="primary", scale=1, elem_id="gl-send")
            gr.Markdown("**示例问题**（点击即问）：")
            with gr.Row():
                example_buttons = [gr.Button(text, size="sm") for text in EXAMPLES]
            with gr.Row():
                gr.Markdown("这条回答对您有帮助吗？")
                useful = gr.Button("有用", size="sm", elem_id="gl-useful")
                useless = gr.Button("没用", size="sm", elem_id="gl-useless")
            comment = gr.Textbox("", placeholder="补充说明（可选）：哪里不对、缺了什么，再点“有用”或“没用”", show_label=False,
                                 lines=1, max_lines=3, max_length=500, elem_id="gl-feedback-comment")
            feedback_note = gr.Markdown("")
            with gr.Accordion("大模型与离线模式说明", open=False):
                gr.Markdown(LLM_HELP)
        with gr.Column(scale=2):
            sources = gr.HTML(ui_cards.empty("提问后，这里列出回答所依据的条文和段落。"), elem_id="gl-sources")
            with gr.Accordion("查看出处全文", open=False, elem_id="gl-source-doc-panel"):
                viewing = ui_documents.viewer("gl-source-doc", [], "选择出处")
            tools = gr.HTML("", elem_id="gl-tools")

    outputs = [question, chatbot, pairs, sources, tools, last, conversation]
    inputs = [question, chatbot, pairs, conversation]

    @friendly
    def ask(question: str, messages: list, pairs: list, conversation: int | None,
            request: gr.Request) -> Iterator[tuple]:
        yield from _respond(services, question, messages, pairs, conversation, services.gate.actor(request).owner)

    respond = ask
    common = dict(concurrency_limit=4, concurrency_id="chat")
    answered = [send.click(respond, inputs, outputs, api_name="ask", **common),
                question.submit(respond, inputs, outputs, api_visibility="private", **common)]
    for button, text in zip(example_buttons, EXAMPLES):
        answered.append(button.click(lambda t=text: t, None, question, api_visibility="private", queue=False).then(
            respond, inputs, outputs, api_visibility="private", **common))
    for event in answered:  # the answer's sources become the document viewer's choices
        event.then(ui_documents.citation_choices, last, viewing[0], api_visibility="private", queue=False)
        event.then(lambda: "", None, feedback_note, api_visibility="private", queue=False)  # a new answer, unrated
    ui_documents.wire(services, "gl-source-doc", *viewing)

    def rate(rating: str):
        def handler(record: dict | None, comment: str, request: gr.Request) -> str:
            return record_feedback(services, record, rating, services.gate.actor(request).name, comment)
        return friendly(handler)

    for button, rating, name in ((useful, "有用", "feedback_useful"), (useless, "没用", "feedback_useless")):
        button.click(rate(rating), [last, comment], feedback_note, api_name=name).then(
            lambda: "", None, comment, api_visibility="private", queue=False)
    chat = {"question": question, "chatbot": chatbot, "pairs": pairs, "sources": sources, "tools": tools,
            "last": last, "conversation": conversation, "answered": answered, "note": feedback_note}
    return ui_history.wire(services, history, chat)


def mode_badge(services: Services) -> str:
    settings = services.settings
    if settings.llm_configured:
        return (f'<span class="gl-badge gl-badge-llm">大模型</span> 已接入 {escape(settings.llm_model or "")}'
                "；数字由内置工具计算，出处来自知识库。")
    return ('<span class="gl-badge gl-badge-offline">离线</span> 不联网：从知识库检索原文、用内置工具计算后作答。'
            "接入大模型见下方说明。")


def _respond(services: Services, question: str, messages: list, pairs: list, conversation: int | None,
             owner: str) -> Iterator[tuple]:
    """Stream the answer into the chat; once complete, save the turn to the owner's conversation (started here when
    `conversation` is None) and hand its id back."""
    question = (question or "").strip()
    messages = list(messages or [])
    pairs = [tuple(p) for p in (pairs or [])]
    if not question:
        raise gr.Error("请输入问题，例如：“公共机构节能条例第十五条讲什么？”")
    messages.append({"role": "user", "content": markdown_safe(question)})
    startup = services.startup
    if startup.building:
        done = f"（已完成 {startup.done}/{startup.total} 篇）" if startup.total else ""
        messages.append({"role": "assistant",
                         "content": f"初始知识库正在建立{done}，通常一两分钟即可完成，请稍后再问。"})
        yield "", messages, pairs, ui_cards.empty("知识库建立中。"), "", None, conversation
        return
    messages.append({"role": "assistant", "content": "正在检索知识库……"})
    yield "", messages, pairs, ui_cards.empty("正在查找出处……"), "", None, conversation
    text, answer = "", None
    for piece in services.assistant().stream(question, pairs):
        if isinstance(piece, str):
            text += piece
            messages[-1] = {"role": "assistant", "content": markdown_safe(text)}
            yield "", messages, pairs, ui_cards.empty("正在查找出处……"), "", None, conversation
        else:
            answer = piece
    if answer is None:  # the engine's contract is to end with an Answer; say so rather than show half a reply
        raise gr.Error("回答未能完成，请重试。")
    content = markdown_safe(answer.answer)
    if answer.notice:
        content = f"> {markdown_safe(answer.notice)}\n\n{content}"
    messages[-1] = {"role": "assistant", "content": content}
    pairs.append((question, answer.answer))
    citations = [c.label for c in answer.citations]
    conversation = services.conversations.add_turn(owner, conversation, question, answer.answer, answer.mode,
                                                   citations)
    record = {"question": question, "answer": answer.answer, "mode": answer.mode, "intent": answer.intent,
              "citations": citations, "tool_calls": [t.name for t in answer.tool_calls],
              "sources": [{"doc_id": c.doc_id, "article": c.article} for c in answer.citations]}
    yield ("", messages, pairs, ui_cards.source_cards(answer.citations), ui_cards.tool_cards(answer.tool_calls),
           record, conversation)


def record_feedback(services: Services, record: dict | None, rating: str, user: str = "", comment: str = "") -> str:
    """Append the rating of the last answer, with the user and their comment, to home/feedback.jsonl."""
    if not record:
        raise gr.Error("请先提问，再评价回答。")
    services.feedback.record(rating, record, user=user, comment=comment)
    return f"已记录反馈“{rating}”，谢谢！反馈保存在本机，管理员会据此改进知识库和回答。"
