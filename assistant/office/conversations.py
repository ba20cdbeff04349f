"""Saved conversations: `home/conversations.sqlite3`, each user's question-and-answer turns, kept across restarts.

Every read and write names the owner and matches it in SQL, so one user can neither see, continue nor delete
another's conversation (a foreign id looks exactly like a missing one). The turns give back the (question, answer)
history the assistant takes for follow-ups. Not here: who the owner is (the web login, or the CLI's --user).
"""

from __future__ import annotations

import json
import re
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from assistant.config import Settings
from assistant.errors import LookupFailed
from assistant.office.sqlitefile import SqliteFile

TITLE_CHARS = 30
LOCAL_OWNER = "本机用户"  # the owner when nobody signs in: the web UI without login, and the CLI by default

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner TEXT NOT NULL,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_owner ON conversations(owner, updated_at);
CREATE TABLE IF NOT EXISTS turns (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    mode TEXT NOT NULL,
    citations TEXT NOT NULL,           -- JSON list of citation labels
    at TEXT NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);
"""


@dataclass(frozen=True)
class Turn:
    question: str
    answer: str
    mode: str = ""
    citations: tuple[str, ...] = ()
    at: str = ""


@dataclass(frozen=True)
class Conversation:
    id: int
    owner: str
    title: str
    created_at: str
    updated_at: str
    turns: tuple[Turn, ...] = field(default=())

    def history(self) -> list[tuple[str, str]]:
        """The (question, answer) pairs the assistant takes as follow-up context."""
        return [(t.question, t.answer) for t in self.turns]

    def label(self) -> str:
        """'节能条例第十五条讲什么？ · 06-01 09:30' for the list in the chat tab."""
        return f"{self.title} · {self.updated_at[5:16].replace('T', ' ')}"

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "created_at": self.created_at, "updated_at": self.updated_at,
                "turns": [{"question": t.question, "answer": t.answer, "mode": t.mode,
                           "citations": list(t.citations), "at": t.at} for t in self.turns]}


class Conversations:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._file = SqliteFile(self.path, SCHEMA)
        self._connect = self._file.connect

    @classmethod
    def open(cls, settings: Settings) -> "Conversations":
        return cls(settings.home / "conversations.sqlite3")

    def list(self, owner: str, limit: int = 50) -> list[Conversation]:
        """The owner's conversations, most recently continued first (without their turns)."""
        with closing(self._connect()) as db:
            rows = db.execute("SELECT id, owner, title, created_at, updated_at FROM conversations WHERE owner = ? "
                              "ORDER BY updated_at DESC, id DESC LIMIT ?", (owner, limit)).fetchall()
        return [Conversation(*row) for row in rows]

    def get(self, owner: str, conversation_id: int | str) -> Conversation:
        """The owner's conversation with its turns; LookupFailed when it is not theirs or does not exist."""
        number = _number(conversation_id)
        with closing(self._connect()) as db:
            row = db.execute("SELECT id, owner, title, created_at, updated_at FROM conversations "
                             "WHERE id = ? AND owner = ?", (number, owner)).fetchone()
            if row is None:
                raise _missing(conversation_id)
            turns = db.execute("SELECT question, answer, mode, citations, at FROM turns WHERE conversation_id = ? "
                               "ORDER BY seq", (number,)).fetchall()
        return Conversation(*row, turns=tuple(Turn(q, a, m, tuple(json.loads(c)), at) for q, a, m, c, at in turns))

    def add_turn(self, owner: str, conversation_id: int | None, question: str, answer: str, mode: str = "",
                 citations: list[str] | tuple[str, ...] = ()) -> int:
        """Append a turn to the owner's conversation, or start one (titled by the question) when the id is None.
        Returns the conversation id."""
        now = _now()
        with closing(self._connect()) as db, db:
            if conversation_id is None:
                cursor = db.execute("INSERT INTO conversations (owner, title, created_at, updated_at) "
                                    "VALUES (?, ?, ?, ?)", (owner, title_of(question), now, now))
                number = cursor.lastrowid
            else:
                number = _number(conversation_id)
                updated = db.execute("UPDATE conversations SET updated_at = ? WHERE id = ? AND owner = ?",
                                     (now, number, owner))
                if updated.rowcount == 0:
                    raise _missing(conversation_id)
            seq = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM turns WHERE conversation_id = ?",
                             (number,)).fetchone()[0]
            db.execute("INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (number, seq, question, answer, mode, json.dumps(list(citations), ensure_ascii=False), now))
        return number

    def delete(self, owner: str, conversation_id: int | str) -> None:
        number = _number(conversation_id)
        with closing(self._connect()) as db, db:
            deleted = db.execute("DELETE FROM conversations WHERE id = ? AND owner = ?", (number, owner))
            if deleted.rowcount == 0:
                raise _missing(conversation_id)
            db.execute("DELETE FROM turns WHERE conversation_id = ?", (number,))



def title_of(question: str) -> str:
    """The first question, on one line, at most TITLE_CHARS characters."""
    text = re.sub(r"\s+", " ", question or "").strip() or "（无标题）"
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1] + "…"


def _number(conversation_id: int | str) -> int:
    try:
        number = float(str(conversation_id).strip())
    except ValueError:
        raise _missing(conversation_id) from None
    if not number.is_integer():
        raise _missing(conversation_id)
    return int(number)


def _missing(conversation_id: object) -> LookupFailed:
    return LookupFailed(f"没有编号为 {conversation_id} 的对话（或不是您的对话）。")


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="microseconds")
