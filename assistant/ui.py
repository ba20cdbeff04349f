"""The web UI: one Gradio Blocks app with four tabs (智能问答, 知识库, 能耗数据, 文稿起草) over one home folder.

This module assembles the app and launches it: it owns the shared services (one KnowledgeBase writer for the whole
process, a data store per worker thread, the assistant), the start-up work done in a background thread (model
loading, the starter knowledge base, the sample data), the login list, and the one place where GreenLeafError
becomes gr.Error. Each tab lives in its own module (ui_chat, ui_knowledge, ui_data, ui_drafting).
Not here: any answering, retrieval or energy arithmetic.
"""

from __future__ import annotations

import functools
import hmac
import inspect
import logging
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import gradio as gr

from assistant.config import Settings
from assistant.errors import ConfigError, GreenLeafError

log = logging.getLogger("greenleaf.ui")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
TITLE = "绿叶智答 · 公共机构节能助手"

# System fonts only: a 机关 intranet often has no route to a web-font CDN, and a page must not wait for one.
FONTS = ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Droid Sans Fallback", "sans-serif"]
MONO_FONTS = ["Consolas", "DejaVu Sans Mono", "monospace"]

CSS = """
.gl-header h1 {margin-bottom: 0}
.gl-badge {display: inline-block; padding: 2px 10px; border-radius: 12px; font-weight: 600; color: #fff}
.gl-badge-offline {background: #4b7f52}
.gl-badge-llm {background: #2f6fb0}
.gl-card {border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px 12px; margin: 8px 0;
          background: var(--background-fill-secondary)}
.gl-card-title {font-weight: 600; margin-bottom: 4px}
.gl-card-meta {font-size: 0.85em; color: var(--body-text-color-subdued); margin-bottom: 6px}
.gl-card-text {white-space: pre-wrap; font-size: 0.92em; line-height: 1.6}
.gl-empty {color: var(--body-text-color-subdued); font-size: 0.9em}
.gl-metrics {display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px}
.gl-metric {border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px 12px}
.gl-metric-label {font-size: 0.85em; color: var(--body-text-color-subdued)}
.gl-metric-value {font-size: 1.45em; font-weight: 700}
.gl-metric-unit {font-size: 0.8em; color: var(--body-text-color-subdued)}
.gl-status {border-radius: 8px; padding: 8px 12px; margin: 6px 0; white-space: pre-wrap}
.gl-red {background: #fdecea; border-left: 6px solid #c62828; color: #7f1d1d}
.gl-amber {background: #fff6e0; border-left: 6px solid #e69b00; color: #6b4700}
.gl-green {background: #e8f5e9; border-left: 6px solid #2e7d32; color: #1b4d20}
.gl-grey {background: #f2f2f2; border-left: 6px solid #9e9e9e; color: #424242}
.gl-table {border-collapse: collapse; font-size: 0.88em; margin-top: 6px}
.gl-table td, .gl-table th {border: 1px solid var(--border-color-primary); padding: 3px 8px; text-align: left}
"""


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
        "css": CSS,
        "footer_links": ["api"],
    }


def build_app(services: "Services") -> gr.Blocks:
    """The four-tab Blocks app over `services`; queue limits keep an ingest from starving chat."""
    from assistant import ui_chat, ui_data, ui_drafting, ui_knowledge

    with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
        gr.Markdown("# 绿叶智答 GreenLeaf\n公共机构节能知识库与智能助手：问政策、查数据、写文稿。",
                    elem_classes="gl-header")
        status = gr.Markdown(services.startup.text(), elem_id="gl-startup-status")
        timer = gr.Timer(2.0, active=not services.startup.finished)
        timer.tick(lambda: _status_tick(services), None, [status, timer], show_progress="hidden",
                   api_visibility="private", queue=False)
        with gr.Tabs():
            with gr.Tab("智能问答", id="chat"):
                ui_chat.build(services)
            with gr.Tab("知识库", id="kb"):
                ui_knowledge.build(services)
            with gr.Tab("能耗数据", id="data"):
                data_loader, data_lists = ui_data.build(services)
            with gr.Tab("文稿起草", id="draft"):
                ui_drafting.build(services)
        # Lists that depend on data imported after start-up (sample data arrives in the background) fill on load.
        app.load(data_loader, None, data_lists, api_visibility="private")
    # Handlers are sync functions run in worker threads; each event kind has its own concurrency group.
    app.queue(default_concurrency_limit=2, max_size=64)
    return app


def theme() -> gr.themes.Base:
    return gr.themes.Soft(primary_hue="green", secondary_hue="emerald", neutral_hue="slate",
                          font=FONTS, font_mono=MONO_FONTS)


def load_users(auth: str | None) -> list[tuple[str, str]]:
    """Users from GREENLEAF_AUTH: "user:pass,user2:pass2", or a path to a file with one user:pass per line."""
    if not auth:
        return []
    path = Path(auth).expanduser()
    if path.is_file():
        try:
            raw = path.read_text(encoding="utf-8-sig")
        except OSError as error:
            raise ConfigError(f"无法读取登录用户文件 {path}：{error.strerror or error}。") from None
        items = [line.strip() for line in raw.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        origin = f"登录用户文件 {path}"
    else:
        if "/" in auth and ":" not in auth:
            raise ConfigError(f"GREENLEAF_AUTH 指向的文件 {auth} 不存在。")
        items = [item.strip() for item in auth.split(",") if item.strip()]
        origin = "环境变量 GREENLEAF_AUTH"
    users = []
    for number, item in enumerate(items, start=1):
        name, sep, password = item.partition(":")
        if not sep or not name.strip() or not password:
            raise ConfigError(f"{origin} 第{number}项“{name.strip() or item}”格式不对，应为 用户名:密码。")
        users.append((name.strip(), password))
    return users


def friendly(fn: Callable) -> Callable:
    """Wrap a handler so a GreenLeafError reaches the page as gr.Error(message), and nothing else leaks a traceback."""

    def translate(error: Exception) -> Exception:
        if isinstance(error, gr.Error):
            return error
        if isinstance(error, GreenLeafError):
            return gr.Error(str(error), duration=None, print_exception=False)
        log.exception("unexpected error in %s", fn.__name__)
        return gr.Error("处理时出现内部错误，已记录到服务器日志。请稍后重试；如反复出现，请联系管理员。",
                        print_exception=False)

    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def gen_wrapper(*args, **kwargs):
            try:
                yield from fn(*args, **kwargs)
            except Exception as error:  # noqa: BLE001 - translated, never swallowed
                raise translate(error) from None
        return gen_wrapper

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - translated, never swallowed
            raise translate(error) from None
    return wrapper


# ---------------------------------------------------------------- shared services


@dataclass
class Startup:
    """What the background start-up thread is doing, for the status line at the top of the page."""

    phase: str = "starting"  # starting | model | starter | data | ready | failed
    done: int = 0
    total: int = 0
    item: str = ""
    mode: str | None = None  # retrieval mode once the model question is settled
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    started: float = field(default_factory=time.monotonic)

    @property
    def finished(self) -> bool:
        return self.phase in ("ready", "failed")

    @property
    def building(self) -> bool:
        """True while the starter knowledge base is being written (chat would only wait for it)."""
        return self.phase == "starter"

    def progress(self, done: int, total: int, item: str) -> None:
        self.done, self.total, self.item = done, total, item

    def text(self) -> str:
        if self.phase == "ready":
            mode = {"hybrid": "关键词 + 语义混合检索", "lexical": "关键词检索（BM25）"}.get(self.mode or "", "")
            notes = "".join(f"\n- {n}" for n in self.notes)
            return f"**系统已就绪**{'，检索方式：' + mode if mode else ''}。{notes}"
        if self.phase == "failed":
            return f"**启动时出现问题**：{self.error}"
        if self.phase == "starter":
            share = f"{self.done}/{self.total} 篇" if self.total else "准备中"
            return f"**首次启动**，正在建立初始知识库（{share}{'：' + self.item if self.item else ''}）……完成后即可提问。"
        if self.phase == "model":
            return "**正在加载检索模型**……（页面其余功能可先使用）"
        if self.phase == "data":
            return "**正在导入样例能耗数据**……"
        return "**正在启动**……"


class ThreadStores:
    """A DataStore per worker thread, used as if it were one store.

    sqlite3 connections refuse use from a thread other than their creator's, and Gradio runs handlers in a
    thread pool; SQLite itself serialises the writers.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._local = threading.local()
        self._all: list[Any] = []
        self._lock = threading.Lock()

    def get(self):
        store = getattr(self._local, "store", None)
        if store is None:
            from assistant.data import DataStore

            store = DataStore.open(self._settings)
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

    def __getattr__(self, name: str) -> Any:
        return getattr(self.get(), name)

    def close(self) -> None:
        with self._lock:
            for store in self._all:
                try:
                    store.close()
                except Exception:  # noqa: BLE001 - closing at exit; a connection of a dead thread may refuse
                    pass
            self._all.clear()


class Services:
    """Everything the tabs share: settings, the one knowledge-base writer, the data stores, the assistant."""

    def __init__(self, settings: Settings, kb: Any, store: ThreadStores) -> None:
        self.settings = settings
        self.kb = kb
        self.store = store
        self.startup = Startup()
        self._assistant = None
        self._assistant_lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @classmethod
    def open(cls, settings: Settings, embedder: Any = None) -> "Services":
        """Take the home folder's knowledge base as its one writer (KnowledgeBaseError if another process has it)."""
        from assistant.knowledge import KnowledgeBase

        kb = KnowledgeBase.open(settings, embedder=embedder)
        return cls(settings, kb, ThreadStores(settings))

    def assistant(self):
        """The assistant, built on first use (its engines are cheap once the knowledge base is open)."""
        with self._assistant_lock:
            if self._assistant is None:
                from assistant.agent import Assistant

                self._assistant = Assistant.create(self.settings, self.kb, self.store)
            return self._assistant

    @property
    def llm_mode(self) -> bool:
        return self.settings.llm_configured

    def start_background(self) -> threading.Thread:
        """Load the model, build the starter knowledge base and import sample data without delaying the page."""
        self._thread = threading.Thread(target=self._warm_up, name="greenleaf-startup", daemon=True)
        self._thread.start()
        return self._thread

    def wait_ready(self, timeout: float = 300.0) -> bool:
        if self._thread is not None:
            self._thread.join(timeout)
        return self.startup.finished

    def close(self) -> None:
        self.store.close()
        self.kb.close()

    def _warm_up(self) -> None:
        startup = self.startup
        try:
            startup.phase = "data"
            note = import_sample_data_if_empty(self.settings)
            if note:
                startup.notes.append(note)
            startup.phase = "model"
            self.kb.embedder()  # loads the model (or settles on lexical-only) once, here rather than in a request
            startup.mode = self.kb.mode
            if self.kb.embedder_problem and self.settings.embed_model:
                startup.notes.append("未找到语义检索模型，当前只用关键词检索；安装方法见 README。")
            startup.phase = "starter"
            report = self.kb.ingest_starter_if_empty(progress=startup.progress)
            if report is not None:
                startup.notes.append(f"已建立初始知识库：{len(report.added)} 篇文档，{report.chunks} 个片段。")
                if report.failed:
                    startup.notes.append("以下文件未能导入：" + "；".join(f"{s}（{e}）" for s, e in report.failed))
            startup.phase = "ready"
        except GreenLeafError as error:
            startup.error = str(error)
            startup.phase = "failed"
        except Exception as error:  # noqa: BLE001 - the page must still serve; the log has the traceback
            log.exception("start-up failed")
            startup.error = f"{type(error).__name__}，详情见服务器日志。"
            startup.phase = "failed"


def import_sample_data_if_empty(settings: Settings) -> str | None:
    """Import corpus/data/*.csv (the labelled sample data) when the data store holds no consumption rows."""
    from assistant.data import DataStore

    folder = settings.corpus_dir / "data"
    files = sorted(folder.glob("*.csv")) + sorted(folder.glob("*.xlsx")) if folder.is_dir() else []
    if not files:
        return None
    with DataStore.open(settings) as store:
        if store.counts()["rows"]:
            return None
        # Consumption first: budgets name institutions that the consumption table introduces.
        files.sort(key=lambda p: (0 if "能耗月度" in p.name or "consumption" in p.name.lower() else 1, p.name))
        imported = []
        for path in files:
            try:
                imported.append(store.import_file(path).summary().rstrip("。"))
            except GreenLeafError as error:
                log.warning("sample data %s not imported: %s", path.name, error)
    return f"已导入样例数据（虚构，仅供演示）：{'；'.join(imported)}" if imported else None


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
