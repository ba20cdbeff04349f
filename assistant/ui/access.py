"""Who may do what in the web UI, enforced by the server: the login, its throttle, sessions, roles and the audit.

- Login: accounts from `greenleaf user add` (home/accounts.sqlite3), or the deprecated GREENLEAF_AUTH list, whose
  users count as admins for this release. No accounts at all: no login, and the one local user is the admin.
- `LoginGuard` (ASGI middleware in front of Gradio) knows each request's address: wrong passwords are throttled per
  name and address, a throttled login is answered 429 before any password is checked; a session ends as soon as its
  account is removed or its password or role changes (Gradio's own session cookies are HttpOnly).
- `admin_only(services, action, fn)` wraps an event handler: a non-admin is refused inside the handler, whatever
  the page shows, and the refusal goes to the audit trail; an admin's change is recorded with its file hashes.
- Panels with elem_classes "gl-admin" start hidden and are shown on page load to admins only (`reveal`): a courtesy,
  not the control.
"""

from __future__ import annotations

import asyncio
import hmac
import inspect
import json
import math
from contextvars import ContextVar
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any, Callable

import gradio as gr
from starlette.requests import Request

from assistant.config import Settings, load_users
from assistant.office.accounts import ROLE_LABELS, Accounts
from assistant.office.audit import AuditTrail, file_sha256
from assistant.office.conversations import LOCAL_OWNER
from assistant.office.throttle import LoginThrottle
from assistant.ui.cards import markdown_safe

LOCAL_USER = LOCAL_OWNER  # the actor's name when the app runs without login (the CLI's default owner too)
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
ADMIN_CLASS = "gl-admin"
REFUSED = {"staff": "您的账号是工作人员角色，不能{what}；请联系管理员。此次操作已记录。",
           "": "当前登录无权{what}，请重新登录或联系管理员。此次操作已记录。"}
WHAT = {"upload": "导入文档", "remove": "删除文档", "status": "修改文档状态", "import": "导入数据",
        "import_preview": "预览数据导入", "rebuild": "重建索引", "audit_view": "查看操作记录", "feedback_view": "查看反馈",
        "feedback_export": "导出反馈"}
# Admin-only, but looking is not a change: only refusals of these are recorded.
READS = {"audit_view", "feedback_view", "import_preview"}
FILE_ACTIONS = {"upload", "import", "import_preview"}  # their inputs are uploads: paths must be in the upload folder

_source: ContextVar[str] = ContextVar("greenleaf_source", default="")  # the client address of this request
_accepted: ContextVar[dict | None] = ContextVar("greenleaf_accepted", default=None)  # the login's checked name


@dataclass(frozen=True)
class Actor:
    """Who is making a request: name, role ('' when the name has no account), client address."""

    name: str
    role: str
    source: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def owner(self) -> str:
        """The key under which this actor's conversations are kept."""
        return self.name


class Gate:
    """The login policy of one running app, shared by the login route, the middleware and the handlers."""

    def __init__(self, accounts: Accounts, audit: AuditTrail, legacy: dict[str, str] | None = None,
                 throttle: LoginThrottle | None = None) -> None:
        self.accounts = accounts
        self.audit = audit
        self.legacy = dict(legacy or {})  # GREENLEAF_AUTH name -> password; deprecated, admins for one release
        self.throttle = throttle or LoginThrottle()
        self._sessions: dict[str, tuple[str, str]] = {}  # token -> (name, account stamp when the session opened)

    @classmethod
    def open(cls, settings: Settings) -> "Gate":
        return cls(Accounts.open(settings), AuditTrail.open(settings), dict(load_users(settings.auth)))

    @property
    def login_required(self) -> bool:
        return bool(self.legacy) or len(self.accounts) > 0

    def role(self, name: str | None) -> str:
        """'admin', 'staff', or '' for a name that has no account (any more)."""
        if not self.login_required:
            return "admin"
        account = self.accounts.get(name)
        if account is not None:
            return account.role
        return "admin" if name in self.legacy else ""

    def actor(self, request: gr.Request | None) -> Actor:
        name = getattr(request, "username", None) if request is not None else None
        client = getattr(request, "client", None) if request is not None else None
        source = getattr(client, "host", "") or ""
        if not self.login_required:
            return Actor(name or LOCAL_USER, "admin", source)
        return Actor(name or "", self.role(name), source)

    def refuse(self, actor: Actor, action: str, target: str = "", detail: dict | None = None) -> gr.Error:
        """Record a refused action and return the page's error (the caller raises it)."""
        self.audit.record(actor.name or "（未登录）", action, role=actor.role, source=actor.source, outcome="refused",
                          target=target, detail=detail)
        message = REFUSED.get(actor.role, REFUSED[""])
        return gr.Error(message.format(what=WHAT.get(action, "进行此操作")), print_exception=False)

    # ------------------------------------------------------------ login

    async def check(self, name: str, password: str) -> bool:
        """Blocks.launch(auth=...): the password check, throttled per name and address (async: scrypt runs in a
        worker thread, not on the event loop)."""
        source = _source.get()
        if self.throttle.wait_s(name, source) > 0:
            return False
        if await asyncio.to_thread(self._password_ok, name, password):
            self.throttle.succeeded(name, source)
            accepted = _accepted.get()
            if accepted is not None:
                accepted["name"] = name
            return True
        if self.throttle.failed(name, source):
            self.audit.record(name, "login_locked", source=source, outcome="refused", target=name,
                              detail={"window_minutes": round(self.throttle.window_s / 60)})
        return False

    def _password_ok(self, name: str, password: str) -> bool:
        if self.accounts.get(name) is not None:
            return self.accounts.verify(name, password) is not None
        expected = self.legacy.get(name)
        # compare_digest: the time taken does not tell how much of a password was right
        return expected is not None and hmac.compare_digest(expected.encode(), (password or "").encode())

    def opened(self, token: str, name: str) -> None:
        """A login succeeded and Gradio issued `token`: tie the session to the account as it is now."""
        self._sessions[token] = (name, self._stamp(name))

    def session_valid(self, token: str, name: str) -> bool:
        """False once the account is gone or its password or role changed since the session opened."""
        opened = self._sessions.get(token)
        return opened is not None and opened[0] == name and opened[1] == self._stamp(name)

    def end(self, token: str) -> None:
        self._sessions.pop(token, None)

    def _stamp(self, name: str) -> str:
        account = self.accounts.get(name)
        if account is not None:
            return account.changed_at
        return "legacy" if name in self.legacy else ""


class LoginGuard:
    """ASGI middleware: remembers each request's client address, throttles POST /login and ends stale sessions."""

    def __init__(self, app: Any, gate: Gate) -> None:
        self.app = app
        self.gate = gate

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        source = (scope.get("client") or ("",))[0] or ""
        reset = _source.set(source)
        try:
            self._end_stale_sessions(scope)
            if scope["type"] == "http" and scope["method"] == "POST" and scope["path"].rstrip("/").endswith("/login"):
                await self._login(scope, receive, send, source)
            else:
                await self.app(scope, receive, send)
        finally:
            _source.reset(reset)

    async def _login(self, scope: dict, receive: Callable, send: Callable, source: str) -> None:
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        name = await _form_username(scope, body)  # the page posts multipart/form-data, scripts often urlencoded
        wait = self.gate.throttle.wait_s(name, source)
        if wait > 0:
            detail = f"密码错误次数过多，请 {math.ceil(wait / 60)} 分钟后再试，或请管理员协助。"
            payload = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
            await send({"type": "http.response.start", "status": 429,
                        "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                    (b"retry-after", str(math.ceil(wait)).encode())]})
            await send({"type": "http.response.body", "body": payload})
            return

        checked: dict[str, str] = {}  # Gate.check writes the name it accepted here
        reset = _accepted.set(checked)

        async def watch(message: dict) -> None:
            if message["type"] == "http.response.start" and message.get("status") == 200 and "name" in checked:
                for token in _set_cookie_tokens(message.get("headers", [])):
                    self.gate.opened(token, checked["name"])
            await send(message)

        try:
            await self.app(scope, _replay(body, receive), watch)
        finally:
            _accepted.reset(reset)

    def _end_stale_sessions(self, scope: dict) -> None:
        tokens = getattr(scope.get("app"), "tokens", None)
        if not tokens:
            return
        for token in _cookie_tokens(scope):
            name = tokens.get(token)
            if name is not None and not self.gate.session_valid(token, name):
                tokens.pop(token, None)
                self.gate.end(token)


def admin_only(services: Any, action: str, fn: Callable) -> Callable:
    """`fn` for admins only: same inputs, plus the gr.Request Gradio passes last. A non-admin is refused (and the
    refusal recorded) before `fn` runs; an admin's call is recorded with its outcome and the files' sha256."""
    if inspect.isgeneratorfunction(fn):
        raise TypeError("admin_only wraps plain handlers, not generators")
    signature = inspect.signature(fn)
    request = inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None,
                                annotation=gr.Request)

    def guarded(*args: Any) -> Any:
        *inputs, req = args
        gate: Gate = services.gate
        actor = gate.actor(req)
        target, detail = describe(services, action, inputs)
        outside = [p for p in _paths(inputs) if not _in_upload_folder(p)] if action in FILE_ACTIONS else []
        if outside:
            gate.audit.record(actor.name, action, role=actor.role, source=actor.source, outcome="refused",
                              target=target, detail={"paths_outside_upload_folder": [str(p) for p in outside]})
            raise gr.Error("文件不在上传目录中，已拒绝。请通过页面上传文件。", print_exception=False)
        if not actor.is_admin:
            raise gate.refuse(actor, action, target, detail)
        try:
            result = fn(*inputs)
        except Exception as error:
            if action not in READS:
                message = getattr(error, "message", None) or str(error)  # gr.Error's str() is a repr
                gate.audit.record(actor.name, action, role=actor.role, source=actor.source, outcome="failed",
                                  target=target, detail={**detail, "error": str(message)[:500]})
            raise
        if action not in READS:
            gate.audit.record(actor.name, action, role=actor.role, source=actor.source, outcome="ok", target=target,
                              detail={**detail, **after(services, action, detail)})
        return result

    guarded.__signature__ = signature.replace(parameters=[*signature.parameters.values(), request])
    guarded.__annotations__ = {"request": gr.Request}  # how Gradio finds where to pass the request
    guarded.__name__ = getattr(fn, "__name__", action)
    guarded.__doc__ = fn.__doc__
    guarded.admin_action = action  # lets a test find every guarded handler, private events included
    return guarded


def describe(services: Any, action: str, inputs: list) -> tuple[str, dict]:
    """What an admin action is about, for the audit: its target in a few words and its details (file hashes)."""
    files = [{"name": p.name, "sha256": file_sha256(p), "bytes": p.stat().st_size}
             for p in _paths(inputs) if p.is_file() and _in_upload_folder(p)]
    if action in ("remove", "status") and inputs and isinstance(inputs[0], str):
        doc = next((d for d in services.kb.documents() if d.doc_id == inputs[0]), None)
        detail: dict = {"doc_id": inputs[0]}
        if doc is not None:
            detail.update(title=doc.title, source=Path(doc.source).name, sha256=doc.sha256)
        extra = [str(x) for x in inputs[1:] if isinstance(x, (str, int, float)) and str(x)]
        if extra:
            detail["values"] = extra
        return (f"《{doc.title}》（{inputs[0]}）" if doc else inputs[0]), detail
    if files:
        return "、".join(f["name"] for f in files), {"files": files}
    values = [str(x) for x in inputs if isinstance(x, (str, int, float)) and str(x)]
    return "；".join(values)[:200], ({"values": values} if values else {})


def after(services: Any, action: str, detail: dict) -> dict:
    """Details known only once an upload is done: the documents the uploaded files became."""
    if action != "upload" or not detail.get("files"):
        return {}
    by_hash = {f["sha256"] for f in detail["files"]}
    docs = [{"doc_id": d.doc_id, "title": d.title, "source": Path(d.source).name}
            for d in services.kb.documents() if d.sha256 in by_hash]
    return {"documents": docs}


def admin_panels(root: gr.Blocks) -> list:
    """Every block marked with elem_classes "gl-admin" under `root` (call inside the Blocks context)."""
    return [block for block in root.blocks.values()
            if ADMIN_CLASS in (getattr(block, "elem_classes", None) or [])]


def reveal(services: Any, panels: list, request: gr.Request | None) -> list:
    """On page load: admin panels visible to admins only."""
    admin = services.gate.actor(request).is_admin
    return [gr.update(visible=admin) for _ in panels]


def who(services: Any, request: gr.Request | None) -> str:
    """The header's line on who is signed in, with the logout link (nothing when login is off)."""
    gate: Gate = services.gate
    if not gate.login_required:
        return ""
    actor = gate.actor(request)
    label = ROLE_LABELS.get(actor.role, "无权限")
    return f"当前用户：**{markdown_safe(actor.name)}**（{label}） · [退出登录](logout)"


def _paths(inputs: list) -> list[Path]:
    """Inputs that are file paths (a gr.File gives a str path or a list of them)."""
    found: list[Path] = []
    for value in inputs:
        items = value if isinstance(value, (list, tuple)) else [value]
        found.extend(Path(item) for item in items if isinstance(item, str) and Path(item).is_absolute())
    return found


def _in_upload_folder(path: Path) -> bool:
    folder = Path(gr.utils.get_upload_folder()).resolve()
    try:
        Path(path).resolve().relative_to(folder)
        return True
    except ValueError:
        return False


def _replay(body: bytes, receive: Callable) -> Callable:
    """A receive callable that hands over `body` once (already read from the client), then defers to `receive`."""
    sent = False

    async def replay() -> dict:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _form_username(scope: dict, body: bytes) -> str:
    try:
        form = await Request(scope, _replay(body, _disconnected)).form()
    except Exception:  # noqa: BLE001 - a malformed form names no one; Gradio's own route answers it
        return ""
    return str(form.get("username") or "").strip()


async def _disconnected() -> dict:
    return {"type": "http.disconnect"}


def _cookie_tokens(scope: dict) -> list[str]:
    raw = b"; ".join(v for k, v in scope.get("headers", []) if k == b"cookie").decode("latin-1")
    if "access-token" not in raw:
        return []
    jar = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # noqa: BLE001 - a malformed Cookie header simply carries no session
        return []
    return [morsel.value for key, morsel in jar.items() if key.startswith("access-token-")]


def _set_cookie_tokens(headers: list[tuple[bytes, bytes]]) -> set[str]:
    tokens = set()
    for key, value in headers:
        if key.lower() == b"set-cookie":
            pair = value.decode("latin-1").split(";", 1)[0]
            name, _, token = pair.partition("=")
            if name.startswith("access-token-") and token:
                tokens.add(token)
    return tokens
