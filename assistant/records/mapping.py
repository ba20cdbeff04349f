"""Remembered column mappings: when a user corrects how a column reads (or confirms it) in the preview, the choice
is kept in the home folder's data database, keyed by a hash of the sheet's normalised header, and applied to the
next file whose header is the same. Only user choices are kept; what the reader works out alone is not stored.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Iterable, Mapping

from assistant.records.layout import Choices

_SCHEMA = """CREATE TABLE IF NOT EXISTS import_mappings (
    header_key TEXT PRIMARY KEY, sheet TEXT, columns TEXT NOT NULL, saved_at TEXT NOT NULL)"""


class Recall:
    """header key → {column letter: field}, read from the store's connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        conn.execute(_SCHEMA)

    def __call__(self, header_key: str) -> Mapping[str, str]:
        row = self._conn.execute("SELECT columns FROM import_mappings WHERE header_key=?", (header_key,)).fetchone()
        return json.loads(row[0]) if row else {}


def remember(conn: sqlite3.Connection, sheets: Iterable, choices: Choices) -> int:
    """Keep the user's column choices for each sheet's header (inside the caller's transaction); returns how many
    sheets' mappings were saved."""
    conn.execute(_SCHEMA)
    saved = 0
    for sheet in sheets:
        if not sheet.header_key:
            continue
        chosen = {letter: fld for (name, letter), fld in choices.columns.items() if name == sheet.name}
        if not chosen:
            continue
        merged = {**Recall(conn)(sheet.header_key), **chosen}
        conn.execute("INSERT OR REPLACE INTO import_mappings VALUES (?,?,?,?)",
                     (sheet.header_key, sheet.name, json.dumps(merged, ensure_ascii=False),
                      dt.datetime.now().isoformat(timespec="seconds")))
        saved += 1
    return saved
