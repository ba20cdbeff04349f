"""The web UI: one Gradio Blocks app with four tabs (智能问答, 知识库, 能耗数据, 文稿起草) and an admin-only 管理 tab
over one home folder.

This module assembles the app from the tab modules (chat, knowledge, data, drafting, admin) and launches it; what the
tabs share lives in services.py, who may do what in access.py, the page styles in style.css. Not here: any
answering, retrieval or energy arithmetic.
"""

from __future__ import annotations

import sys
from importlib import resources
from typing import Any

import gradio as gr
from starlette.middleware import Middleware

from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.office.accounts import Accounts
from assistant.office.audit import AuditTrail
from assistant.ui import access
from assistant.ui import admin as ui_admin
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


def launch(settings: Settings, host: str | None = None, port: int | None = None,
           insecure_no_login: bool = False) -> None:
    """Open the home folder's knowledge base and serve the UI until interrupted (never shared publicly).

    Bound to an address other than this machine's with no accounts, it refuses to start (ConfigError) unless
    `insecure_no_login`: anyone on the network could otherwise delete documents and re-import data."""
    host = host or DEFAULT_HOST
    check_login_policy(access.Gate.open(settings), host, insecure_no_login)
    services = Services.open(settings)
    services.start_background()
    app = build_app(services)
    print(f"绿叶智答网页界面：http://{host}:{port or DEFAULT_PORT}（Ctrl+C 退出）", file=sys.stderr)
    try:
        app.launch(**launch_options(settings, [], host, port or DEFAULT_PORT, gate=services.gate))
    finally:
        services.close()


def check_login_policy(gate: access.Gate, host: str, insecure_no_login: bool = False) -> None:
    """Refuse a non-local binding without accounts; say on stderr what is deprecated or insecure."""
    if gate.legacy:
        print("提示：GREENLEAF_AUTH 登录方式将在下一版停用；其中的用户暂按管理员对待。请改用"
              " greenleaf user add 名字 --role admin|staff 建立账号（见 README“账号与角色”）。", file=sys.stderr)
    if host in access.LOCAL_HOSTS or gate.login_required:
        return
    if not insecure_no_login:
        raise ConfigError(f"网页界面要绑定在非本机地址 {host}，但还没有任何账号：同一网络内的任何人都能删除文档、导入数据。"
                          "请先用 greenleaf user add 名字 --role admin 建立管理员账号；确需不登录运行，加 --insecure-no-login。")
    print(f"警告：界面绑定在 {host} 且不要求登录（--insecure-no-login），同一网络内的任何人都能以管理员身份操作。",
          file=sys.stderr)


def launch_options(settings: Settings, users: list[tuple[str, str]], host: str, port: int,
                   gate: access.Gate | None = None) -> dict[str, Any]:
    """Keyword arguments for Blocks.launch: local binding, no share link, upload size limit, the login of `gate`
    (services.gate; without it, a gate over the home's accounts and the given GREENLEAF_AUTH-style `users`)."""
    if gate is None:
        gate = access.Gate(Accounts.open(settings), AuditTrail.open(settings), dict(users))
    return {
        "server_name": host,
        "server_port": port,
        "share": False,  # never: a public *.gradio.live link would expose the knowledge base
        "auth": gate.check if gate.login_required else None,
        "auth_message": "请输入绿叶智答的用户名和密码（账号由管理员用 greenleaf user add 建立）。"
        if gate.login_required else None,
        # the login throttle needs each request's address, and ends sessions of removed or changed accounts
        "app_kwargs": {"middleware": [Middleware(access.LoginGuard, gate=gate)]},
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
        user_line = gr.Markdown("", elem_id="gl-user")
        status = gr.Markdown(services.startup.text(), elem_id="gl-startup-status")
        ui_status.build(services)  # 运行状态: the greenleaf doctor report, checked when opened
        timer = gr.Timer(2.0, active=not services.startup.finished)
        timer.tick(lambda: _status_tick(services), None, [status, timer], show_progress="hidden",
                   api_visibility="private", queue=False)
        with gr.Tabs():
            with gr.Tab("智能问答", id="chat"):
                chat_loader, chat_list = ui_chat.build(services)
            with gr.Tab("知识库", id="kb") as kb_tab:
                kb_loader, kb_lists = ui_knowledge.build(services)
            with gr.Tab("能耗数据", id="data"):
                data_loader, data_lists = ui_data.build(services)
            with gr.Tab("文稿起草", id="draft"):
                ui_drafting.build(services)
            with gr.Tab("管理", id="admin", elem_classes=access.ADMIN_CLASS):
                ui_admin.build(services)
        # Admin panels (upload, removal, data import, this tab) start hidden and are shown to admins on load; the
        # handlers refuse non-admins whatever the page shows.
        panels = access.admin_panels(app)
        for panel in panels:
            panel.visible = False

        def on_load(request: gr.Request) -> list:
            return [access.who(services, request), *access.reveal(services, panels, request)]

        app.load(on_load, None, [user_line, *panels], api_visibility="private", queue=False)
        app.load(chat_loader, None, chat_list, api_visibility="private", queue=False)  # the user's conversations
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

