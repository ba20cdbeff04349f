"""Accounts and roles: `home/accounts.sqlite3`, one row per user with a salted scrypt hash, never the password.

Two roles: `admin` manages the knowledge base, imports data and reads the audit trail; `staff` chat, search, draft
and view. Not here: sessions, login throttling and what each role may do in the UI (assistant/ui/access.py).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import secrets
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from assistant.config import Settings
from assistant.errors import AccountError
from assistant.office.sqlitefile import SqliteFile

ROLES = ("admin", "staff")
ROLE_LABELS = {"admin": "管理员", "staff": "工作人员"}
MIN_PASSWORD = 8
# scrypt cost: 2**14 × 8 × 128 B = 16 MB and about 50 ms per check on one core; stored with each hash, so a later
# increase applies to new passwords without invalidating old ones.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_NAME = re.compile(r"^[\w.@-]{1,32}$")  # \w includes Chinese characters: 张科长 is a valid name

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('admin', 'staff')),
    password TEXT NOT NULL,            -- scrypt$N$r$p$salt_hex$hash_hex
    created_at TEXT NOT NULL,
    changed_at TEXT NOT NULL           -- last password or role change: a session opened before it ends
);
"""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    created_at: str
    changed_at: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def to_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "created_at": self.created_at, "changed_at": self.changed_at}


class Accounts:
    """The home folder's user table. Every call opens its own short SQLite connection, so any thread may call."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._file = SqliteFile(self.path, SCHEMA)
        self._connect = self._file.connect

    @classmethod
    def open(cls, settings: Settings) -> "Accounts":
        return cls(settings.home / "accounts.sqlite3")

    # ------------------------------------------------------------ queries

    def list(self) -> list[Account]:
        if not self.path.exists():
            return []
        with closing(self._connect()) as db:
            rows = db.execute("SELECT name, role, created_at, changed_at FROM users ORDER BY name").fetchall()
        return [Account(*row) for row in rows]

    def get(self, name: str | None) -> Account | None:
        if not name or not self.path.exists():
            return None
        with closing(self._connect()) as db:
            row = db.execute("SELECT name, role, created_at, changed_at FROM users WHERE name = ?",
                             (name,)).fetchone()
        return Account(*row) if row else None

    def __len__(self) -> int:
        if not self.path.exists():
            return 0
        with closing(self._connect()) as db:
            return db.execute("SELECT COUNT(*) FROM users").fetchone()[0]

    def verify(self, name: str, password: str) -> Account | None:
        """The account when `password` is right, else None; an unknown name costs the same time as a wrong password."""
        stored = None
        if self.path.exists() and name:
            with closing(self._connect()) as db:
                row = db.execute("SELECT password FROM users WHERE name = ?", (name,)).fetchone()
            stored = row[0] if row else None
        if stored is None:
            _check_password(password or "", _dummy_hash())
            return None
        return self.get(name) if _check_password(password or "", stored) else None

    # ------------------------------------------------------------ changes

    def add(self, name: str, password: str, role: str) -> Account:
        name = _valid_name(name)
        _valid_role(role)
        hashed = hash_password(_valid_password(password))
        now = _now()
        with closing(self._connect()) as db, db:
            try:
                db.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?)", (name, role, hashed, now, now))
            except sqlite3.IntegrityError:
                raise AccountError(f"用户“{name}”已存在；改密码用 greenleaf user passwd {name}。") from None
        return Account(name, role, now, now)

    def set_password(self, name: str, password: str) -> Account:
        hashed = hash_password(_valid_password(password))
        self._update(name, "password = ?", hashed)
        return self._require(name)

    def set_role(self, name: str, role: str) -> Account:
        _valid_role(role)
        self._update(name, "role = ?", role)
        return self._require(name)

    def remove(self, name: str) -> Account:
        account = self._require(name)
        with closing(self._connect()) as db, db:
            db.execute("DELETE FROM users WHERE name = ?", (name,))
        return account

    # ------------------------------------------------------------ helpers

    def _update(self, name: str, assignment: str, value: str) -> None:
        self._require(name)
        with closing(self._connect()) as db, db:
            db.execute(f"UPDATE users SET {assignment}, changed_at = ? WHERE name = ?", (value, _now(), name))

    def _require(self, name: str) -> Account:
        account = self.get(name)
        if account is None:
            raise AccountError(f"没有用户“{name}”；现有用户见 greenleaf user list。")
        return account



def hash_password(password: str) -> str:
    """A new random salt and the scrypt hash, with its cost parameters: scrypt$N$r$p$salt$hash."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def _check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                                dklen=len(digest) // 2)
    except ValueError:
        return False
    return hmac.compare_digest(actual.hex(), digest)


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """What an unknown name's password is checked against: the same cost as a real check, never a match."""
    return hash_password(secrets.token_hex(8))


def _valid_name(name: str) -> str:
    name = (name or "").strip()
    if not _NAME.match(name):
        raise AccountError(f"用户名“{name}”不可用：1–32 个字符，只能是汉字、字母、数字和 . _ - @。")
    return name


def _valid_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"角色只能是 admin（管理员）或 staff（工作人员），不是“{role}”。")


def _valid_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"密码至少 {MIN_PASSWORD} 个字符。")
    return password


def _now() -> str:
    # microseconds: a session is tied to the exact changed_at it saw, and a change within the same second must differ
    return datetime.now().astimezone().isoformat(timespec="microseconds")
