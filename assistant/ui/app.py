"""The web UI: one Gradio Blocks app with four tabs (智能问答, 知识库, 能耗数据, 文稿起草) over one home folder.

This module assembles the app from the tab modules (chat, knowledge, data, drafting) and launches it; what the tabs
share lives in services.py, the page styles in style.css. Not here: any answering, retrieval or energy arithmetic.
"""

from __future__ import annotations

import hmac
import sys
from importlib import resources
from typing import Any, Callable

import gradio as gr

from assistant.config import Settings, load_users
from assistant.ui import chat as ui_chat
from assistant.ui import data as ui_data
from assistant.ui import drafting as ui_drafting
from assistant.ui import knowledge as ui_knowledge
from assistant.ui import status as ui_status
from assistant.ui.services import Services

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
TITLE = "绿叶智答 · 公共机构节能助手"

# System fonts only: a 机关 intranet often has no route to a web-font CDN, and a page must not wait for one.
FONTS = ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Droid Sans Fallback", "sans-serif"]
MONO_FONTS = ["Consolas", "DejaVu Sans Mono", "monospace"]

# ---------------------------------------------------------------- public entry points


def launch(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    """Open the home folder's knowledge base and serve the UI until interrupted (never shared publicly)."""
    users = load_users(settings.auth)
    services = Services.open(settings)
    services.start_background()
    app = build_app(services)
    host = host or DEFAULT_HOST
    print(f"绿叶智答网页界面：http://{host}:{port or DEFAULT_PORT}（Ctrl+C 退出）", file=sys.stderr)
    if host not in ("127.0.0.1", "localhost", "::1") and not users:
        print("提示：界面绑定在非本机地址且未设置登录（GREENLEAF_AUTH），同一网络内的任何人都能访问。", file=sys.stderr)
    try:
        app.launch(**launch_options(settings, users, host, port or DEFAULT_PORT))
    finally:
        services.close()


def launch_options(settings: Settings, users: list[tuple[str, str]], host: str, port: int) -> dict[str, Any]:
    """Keyword arguments for Blocks.launch: local binding, no share link, upload size limit, optional login."""
    return {
        "server_name": host,
        "server_port": port,
        "share": False,  # never: a public *.gradio.live link would expose the knowledge base
        "auth": _auth_check(users) if users else None,
        "auth_message": "请输入绿叶智答的用户名和密码（由管理员在 GREENLEAF_AUTH 中设置）。" if users else None,
        "max_file_size": int(settings.max_file_mb * 1024 * 1024),
        "show_error": False,  # only gr.Error messages (our Chinese ones) reach the page, never a traceback
        "theme": theme(),
        "css": resources.files("assistant.ui").joinpath("style.css").read_text(encoding="utf-8"),
        "footer_links": ["api"],
    }


def build_app(services: Services) -> gr.Blocks:
    """The four-tab Blocks app over `services`; queue limits keep an ingest from starving chat."""
    with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
        gr.Markdown("# 绿叶智答 GreenLeaf\n公共机构节能知识库与智能助手：问政策、查数据、写文稿。",
                    elem_classes="gl-header")
        status = gr.Markdown(services.startup.text(), elem_id="gl-startup-status")
        ui_status.build(services)  # 运行状态: the greenleaf doctor report, checked when opened
        timer = gr.Timer(2.0, active=not services.startup.finished)
        timer.tick(lambda: _status_tick(services), None, [status, timer], show_progress="hidden",
                   api_visibility="private", queue=False)
        with gr.Tabs():
            with gr.Tab("智能问答", id="chat"):
                ui_chat.build(services)
            with gr.Tab("知识库", id="kb") as kb_tab:
                kb_loader, kb_lists = ui_knowledge.build(services)
            with gr.Tab("能耗数据", id="data"):
                data_loader, data_lists = ui_data.build(services)
            with gr.Tab("文稿起草", id="draft"):
                ui_drafting.build(services)
        # Lists that depend on data imported after start-up (sample data arrives in the background) fill on load.
        app.load(data_loader, None, data_lists, api_visibility="private")
        # The document list is read when the page opens and whenever the tab is opened, never kept from build time.
        app.load(kb_loader, None, kb_lists, api_visibility="private")
        kb_tab.select(kb_loader, None, kb_lists, api_visibility="private")
    # Handlers are sync functions run in worker threads; each event kind has its own concurrency group.
    app.queue(default_concurrency_limit=2, max_size=64)
    return app


def theme() -> gr.themes.Base:
    return gr.themes.Soft(primary_hue="green", secondary_hue="emerald", neutral_hue="slate",
                          font=FONTS, font_mono=MONO_FONTS)


# ---------------------------------------------------------------- helpers


def _status_tick(services: Services) -> tuple[str, gr.Timer]:
    return services.startup.text(), gr.Timer(active=not services.startup.finished)


def _auth_check(users: list[tuple[str, str]]) -> Callable[[str, str], bool]:
    table = dict(users)

    def check(name: str, password: str) -> bool:
        expected = table.get(name)
        # compare_digest: the time taken does not tell how much of a password was right
        return expected is not None and hmac.compare_digest(expected.encode(), (password or "").encode())

    return check
