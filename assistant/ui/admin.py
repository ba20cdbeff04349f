"""管理 tab (admins only): the audit trail, the 没用 feedback to review with a CSV/XLSX export, and the accounts.

The tab is hidden from staff on page load, and each handler refuses a non-admin on its own (access.admin_only), so a
crafted request from a staff session gets a refusal that the audit trail records. Accounts are managed with
`greenleaf user ...` on the server; the tab only lists them.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import gradio as gr

from assistant.office.accounts import ROLE_LABELS
from assistant.office.audit import ACTIONS, OUTCOMES, parse_since
from assistant.ui.access import admin_only
from assistant.ui.services import Services, friendly

AUDIT_HEADERS = ["编号", "时间", "用户", "角色", "来源", "操作", "对象", "结果", "详情"]
FEEDBACK_HEADERS = ["时间", "用户", "问题", "回答", "引用", "模式", "说明"]
ACCOUNT_HEADERS = ["用户名", "角色", "建立时间", "最近修改"]
ANSWER_PREVIEW = 200


def build(services: Services) -> None:
    gr.Markdown("### 操作记录\n谁在何时上传、删除、修改状态、导入或重建了什么（含文件的 SHA-256），以及被拒绝的操作。"
                "记录只增不改；命令行 `greenleaf audit --since 日期 --json` 可导出。")
    with gr.Row():
        since = gr.Textbox(label="起始日期（可留空）", placeholder="例如 2025-06-01", max_lines=1, scale=2,
                           elem_id="gl-audit-since")
        show = gr.Button("查看操作记录", variant="primary", scale=1, elem_id="gl-audit-show")
    events = gr.Dataframe(headers=AUDIT_HEADERS, interactive=False, wrap=True, max_height=420,
                          elem_id="gl-audit-table")
    gr.Markdown("### 用户反馈（没用）\n被评为“没用”的回答，最新的在前：据此补充知识库、修订常见问题。")
    with gr.Row():
        review = gr.Button("刷新反馈", scale=1, elem_id="gl-feedback-show")
        export_csv = gr.Button("导出 CSV", scale=1, elem_id="gl-feedback-csv")
        export_xlsx = gr.Button("导出 Excel", scale=1, elem_id="gl-feedback-xlsx")
    feedback = gr.Dataframe(headers=FEEDBACK_HEADERS, interactive=False, wrap=True, max_height=420,
                            elem_id="gl-feedback-table")
    exported = gr.File(label="导出的反馈", interactive=False, elem_id="gl-feedback-file")
    gr.Markdown("### 账号\n添加、改密码、删除账号请在服务器上用 `greenleaf user add|passwd|remove`（见 README）。")
    accounts = gr.Dataframe(headers=ACCOUNT_HEADERS, interactive=False, elem_id="gl-accounts-table")

    show.click(friendly(admin_only(services, "audit_view", lambda s: audit_rows(services, s))), since, events,
               api_name="audit", concurrency_id="admin", concurrency_limit=2)
    review.click(friendly(admin_only(services, "feedback_view", lambda: (feedback_rows(services),
                                                                          account_rows(services)))),
                 None, [feedback, accounts], api_name="feedback_review", concurrency_id="admin", concurrency_limit=2)
    export_csv.click(friendly(admin_only(services, "feedback_export", lambda: export(services, ".csv"))), None,
                     exported, api_name="feedback_export_csv", concurrency_id="admin", concurrency_limit=2)
    export_xlsx.click(friendly(admin_only(services, "feedback_export", lambda: export(services, ".xlsx"))), None,
                      exported, api_name="feedback_export_xlsx", concurrency_id="admin", concurrency_limit=2)


def audit_rows(services: Services, since: str | None) -> list[list]:
    """Events from `since` on, newest first (the latest 500)."""
    start: date | None = None
    if (since or "").strip():
        try:
            start = parse_since(since)
        except ValueError:
            raise gr.Error(f"起始日期“{since}”看不懂，请写成 2025-06-01 这样的格式。") from None
    rows = []
    for e in services.gate.audit.events(since=start, newest_first=True, limit=500):
        detail = "；".join(_detail(e.detail))
        rows.append([e.id, e.at[:19].replace("T", " "), e.actor, ROLE_LABELS.get(e.role, e.role), e.source,
                     ACTIONS.get(e.action, e.action), e.target, OUTCOMES.get(e.outcome, e.outcome), detail])
    return rows


def feedback_rows(services: Services) -> list[list]:
    return [[f.time.replace("T", " "), f.user, f.question, _short(f.answer), "；".join(f.citations),
             {"llm": "大模型", "offline": "离线"}.get(f.mode, f.mode), f.comment]
            for f in services.feedback.entries("没用")]


def account_rows(services: Services) -> list[list]:
    rows = [[a.name, ROLE_LABELS.get(a.role, a.role), a.created_at[:16].replace("T", " "),
             a.changed_at[:16].replace("T", " ")] for a in services.gate.accounts.list()]
    rows += [[name, "管理员（GREENLEAF_AUTH，下一版停用）", "", ""] for name in sorted(services.gate.legacy)
             if services.gate.accounts.get(name) is None]
    return rows


def export(services: Services, suffix: str) -> str:
    """The 没用 entries as a file to download (a fresh temporary folder per export)."""
    entries = services.feedback.entries("没用")
    if not entries:
        raise gr.Error("还没有被评为“没用”的回答，无可导出。")
    folder = Path(tempfile.mkdtemp(prefix="greenleaf-feedback-"))
    return str(services.feedback.export(entries, folder / f"没用反馈_{date.today().isoformat()}{suffix}"))


def _detail(detail: dict) -> list[str]:
    parts = []
    for f in detail.get("files", []):
        parts.append(f"{f['name']} sha256:{f['sha256'][:12]}…")
    for d in detail.get("documents", []):
        parts.append(f"→ {d['doc_id']}")
    if detail.get("sha256") and not detail.get("files"):
        parts.append(f"sha256:{detail['sha256'][:12]}…")
    for key in ("values", "paths_outside_upload_folder"):
        if detail.get(key):
            parts.append("、".join(map(str, detail[key])))
    if detail.get("error"):
        parts.append(f"错误：{detail['error']}")
    return parts


def _short(text: str) -> str:
    return text if len(text) <= ANSWER_PREVIEW else text[:ANSWER_PREVIEW] + "…"
