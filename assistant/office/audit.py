"""The audit trail: `home/audit.sqlite3`, append-only records of who changed what and when, and what was refused.

Each event names the actor, their role, where the request came from (an address, or `cli`), the action, its
outcome, the target and details such as the sha256 of every file. SQLite triggers refuse UPDATE and DELETE, and each
event carries a digest chained over the one before it, so an edit made around the triggers shows in `verify()`.
Not here: deciding who may do what (assistant/ui/access.py) — this module only remembers.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.office.sqlitefile import SqliteFile

ACTIONS = {
    "upload": "上传文档",
    "remove": "删除文档",
    "status": "修改文档状态",
    "import": "导入数据",
    "import_preview": "预览数据导入",
    "rebuild": "重建索引",
    "audit_view": "查看操作记录",
    "feedback_view": "查看反馈",
    "feedback_export": "导出反馈",
    "login_locked": "登录锁定",
    "user_add": "添加用户",
    "user_passwd": "修改密码",
    "user_role": "修改角色",
    "user_remove": "删除用户",
}
OUTCOMES = {"ok": "完成", "refused": "被拒绝", "failed": "失败"}

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    source TEXT NOT NULL,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL,      -- JSON object
    digest TEXT NOT NULL       -- sha256(previous digest + this event), hex
);
CREATE INDEX IF NOT EXISTS events_at ON events(at);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
"""


@dataclass(frozen=True)
class Event:
    id: int
    at: str
    actor: str
    role: str
    source: str
    action: str
    outcome: str
    target: str
    detail: dict = field(default_factory=dict)
    digest: str = ""

    def to_dict(self) -> dict:
        return {"id": self.id, "at": self.at, "actor": self.actor, "role": self.role, "source": self.source,
                "action": self.action, "outcome": self.outcome, "target": self.target, "detail": self.detail,
                "digest": self.digest}

    def describe(self) -> str:
        """One Chinese line: '2025-06-01 09:30 张三（管理员，10.0.0.8）上传文档 食堂通知.txt：完成'."""
        where = "，".join(x for x in (self.role_label, self.source) if x)
        outcome = OUTCOMES.get(self.outcome, self.outcome)
        return (f"{self.at[:19].replace('T', ' ')} {self.actor}{f'（{where}）' if where else ''}"
                f"{ACTIONS.get(self.action, self.action)} {self.target}：{outcome}")

    @property
    def role_label(self) -> str:
        return {"admin": "管理员", "staff": "工作人员"}.get(self.role, self.role)


class AuditTrail:
    """Append and read events; each call uses its own SQLite connection, so any thread or process may write."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._file = SqliteFile(self.path, SCHEMA, autocommit=True)
        self._connect = self._file.connect

    @classmethod
    def open(cls, settings: Settings) -> "AuditTrail":
        return cls(settings.home / "audit.sqlite3")

    def record(self, actor: str, action: str, *, role: str = "", source: str = "", outcome: str = "ok",
               target: str = "", detail: dict[str, Any] | None = None) -> Event:
        """Append one event (in one transaction with reading the previous digest, so the chain has no forks)."""
        at = datetime.now().astimezone().isoformat(timespec="seconds")
        body = {"at": at, "actor": actor or "", "role": role or "", "source": source or "", "action": action,
                "outcome": outcome, "target": target or "", "detail": detail or {}}
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute("SELECT digest FROM events ORDER BY id DESC LIMIT 1").fetchone()
                digest = _digest(row[0] if row else "", body)
                cursor = db.execute(
                    "INSERT INTO events (at, actor, role, source, action, outcome, target, detail, digest) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (at, body["actor"], body["role"], body["source"], action, outcome, body["target"],
                     json.dumps(body["detail"], ensure_ascii=False, sort_keys=True), digest))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return Event(cursor.lastrowid, at, body["actor"], body["role"], body["source"], action, outcome,
                     body["target"], body["detail"], digest)

    def events(self, since: date | str | None = None, newest_first: bool = False,
               limit: int | None = None) -> list[Event]:
        """Events from `since` (a date, inclusive) on; oldest first unless `newest_first`."""
        if not self.path.exists():
            return []
        query = "SELECT id, at, actor, role, source, action, outcome, target, detail, digest FROM events"
        params: list[Any] = []
        if since:
            query += " WHERE at >= ?"
            params.append(str(since))
        query += f" ORDER BY id {'DESC' if newest_first else 'ASC'}"
        if limit:
            query += " LIMIT ?"
            params.append(int(limit))
        with closing(self._connect()) as db:
            rows = db.execute(query, params).fetchall()
        return [Event(*row[:8], json.loads(row[8]), row[9]) for row in rows]

    def verify(self) -> list[int]:
        """Ids of events whose digest does not follow from the one before (empty when the chain is whole)."""
        broken, previous = [], ""
        for event in self.events():
            body = {"at": event.at, "actor": event.actor, "role": event.role, "source": event.source,
                    "action": event.action, "outcome": event.outcome, "target": event.target, "detail": event.detail}
            if _digest(previous, body) != event.digest:
                broken.append(event.id)
            previous = event.digest
        return broken



def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parse_since(text: str) -> date:
    """'2025-06-01' → date; anything else is a ValueError the CLI turns into a usage message."""
    return date.fromisoformat(text.strip())


def _digest(previous: str, body: dict) -> str:
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((previous + canonical).encode("utf-8")).hexdigest()
