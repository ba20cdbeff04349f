"""One SQLite file in the home folder whose schema the first connection creates.

Every call opens its own short connection, so any thread (or process) may use the store that holds it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class SqliteFile:
    def __init__(self, path: Path, schema: str, autocommit: bool = False) -> None:
        self.path = Path(path)
        self._schema = schema
        self._autocommit = autocommit  # isolation_level=None: the caller writes BEGIN … COMMIT itself
        self._ready = False

    def connect(self) -> sqlite3.Connection:
        """A new connection; the folder and the schema are made on first use."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30, **({"isolation_level": None} if self._autocommit else {}))
        if not self._ready:
            db.executescript(self._schema)
            self._ready = True
        return db
