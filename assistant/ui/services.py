"""What the tabs share: settings, the one KnowledgeBase writer, the data store, the assistant, start-up progress,
and the office stores (the login gate with accounts and the audit trail, saved conversations, feedback).

Also the one place where GreenLeafError becomes gr.Error (`friendly`). Start-up work (model loading, the starter
knowledge base, the sample data) runs in a background thread so the page opens at once.
"""

from __future__ import annotations

import functools
import inspect
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import gradio as gr

from assistant.config import Settings
from assistant.errors import GreenLeafError
from assistant.office.conversations import Conversations
from assistant.office.feedback import FeedbackLog
from assistant.ui.access import Gate

log = logging.getLogger("greenleaf.ui")


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


class Services:
    """Everything the tabs share: settings, the one knowledge-base writer, the data stores, the assistant."""

    def __init__(self, settings: Settings, kb: Any, store: Any) -> None:
        self.settings = settings
        self.kb = kb
        self.store = store
        self.startup = Startup()
        self.gate = Gate.open(settings)  # accounts, roles, login throttle, audit trail
        self.conversations = Conversations.open(settings)
        self.feedback = FeedbackLog.open(settings)
        self._assistant = None
        self._assistant_lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @classmethod
    def open(cls, settings: Settings, embedder: Any = None) -> "Services":
        """Take the home folder's knowledge base as its one writer (KnowledgeBaseError if another process has it)."""
        from assistant.retrieval.knowledge import KnowledgeBase

        kb = KnowledgeBase.open(settings, embedder=embedder)
        from assistant.records.store import DataStore

        return cls(settings, kb, DataStore.open(settings))

    def assistant(self):
        """The assistant, built on first use (its engines are cheap once the knowledge base is open)."""
        with self._assistant_lock:
            if self._assistant is None:
                from assistant.answering.agent import Assistant

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
            note = self.store.import_samples_if_empty(self.settings.corpus_dir / "data")
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
