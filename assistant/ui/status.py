"""The 运行状态 panel under the page's status line: the `greenleaf doctor` report, checked when the panel is opened.

Closed by default, so a page load costs nothing; 重新检查 runs it again. Once start-up has settled the model
question, the panel reports what the server really loaded rather than what it finds on disk.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.doctor import STATUS_MARKS, STATUS_WORDS, diagnose
from assistant.ui.cards import markdown_safe
from assistant.ui.services import Services, friendly


def build(services: Services) -> None:
    with gr.Accordion("运行状态", open=False, elem_id="gl-doctor") as panel:
        report = gr.Markdown("正在检查……", elem_id="gl-doctor-report")
        again = gr.Button("重新检查", size="sm")

    @friendly
    def check() -> str:
        return report_markdown(services)

    panel.expand(check, None, report, api_visibility="private", concurrency_id="doctor", concurrency_limit=1)
    again.click(check, None, report, api_visibility="private", concurrency_id="doctor", concurrency_limit=1)


def report_markdown(services: Services) -> str:
    """The report as Markdown: one line per item, then the longer notices (what to do about a missing model)."""
    mode = services.startup.mode  # None until the background start-up has tried the model
    result = diagnose(services.settings, retrieval_mode=mode,
                      model_problem=services.kb.embedder_problem if mode else None)
    lines = [_line(c) for c in result.checks]
    notices = ["> " + markdown_safe(n).replace("\n", "\n> ") for n in result.notices]
    return "\n".join(lines) + ("\n\n" + "\n\n".join(notices) if notices else "")


def _line(check: Any) -> str:
    return (f"- {STATUS_MARKS[check.status]} **{check.label}**（{STATUS_WORDS[check.status]}）："
            f"{markdown_safe(check.summary)}")
