"""The manifest: documents and their chunks in SQLite, the source of truth for both indexes.

Each committed change bumps `generation`; the lexical and dense indexes record the generation they reflect, so
an ingest killed between the SQLite commit and the index writes is detected and repaired on the next open.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator

from assistant.ingest.chunking import Chunk
from assistant.ingest.documents import Document, Section
from assistant.retrieval.status import status_of

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, source TEXT NOT NULL, sha256 TEXT NOT NULL, title TEXT NOT NULL,
    doc_type TEXT NOT NULL, meta TEXT NOT NULL, sections TEXT NOT NULL, warnings TEXT NOT NULL,
    chunks INTEGER NOT NULL, ocr INTEGER NOT NULL DEFAULT 0, ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(doc_id), ord INTEGER NOT NULL,
    text TEXT NOT NULL, page INTEGER, article TEXT, heading_path TEXT NOT NULL, tokens TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class DocumentRecord:
    doc_id: str
    title: str
    source: str
    doc_type: str
    chunks: int
    sha256: str
    ingested_at: str
    ocr: bool = False
    warnings: tuple[str, ...] = ()
    meta: dict | None = None

    def to_dict(self) -> dict:
        data = asdict(self)
        data["warnings"] = list(self.warnings)
        data["meta"] = {**(self.meta or {}), "status": status_of(self.meta)}
        return data


class Manifest:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=30, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        # Searches read through their own connection: WAL lets them see the last committed state while an
        # ingest holds the writer's transaction open in another thread.
        self._reader = sqlite3.connect(str(path), timeout=30, check_same_thread=False, isolation_level=None)

    def close(self) -> None:
        self._reader.close()
        self._db.close()

    # ------------------------------------------------------------ generations

    def get_meta(self, key: str, default: str = "") -> str:
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", (key, value))

    @property
    def generation(self) -> int:
        return int(self.get_meta("generation", "0"))

    # ------------------------------------------------------------ documents

    def find(self, doc_id_or_source: str) -> DocumentRecord | None:
        row = self._db.execute(
            f"SELECT {_DOC_COLUMNS} FROM documents WHERE doc_id=? OR source=?", (doc_id_or_source, doc_id_or_source)
        ).fetchone()
        return _record(row) if row else None

    def find_by_sha(self, sha256: str) -> DocumentRecord | None:
        row = self._db.execute(f"SELECT {_DOC_COLUMNS} FROM documents WHERE sha256=?", (sha256,)).fetchone()
        return _record(row) if row else None

    def documents(self) -> list[DocumentRecord]:
        rows = self._db.execute(f"SELECT {_DOC_COLUMNS} FROM documents ORDER BY doc_type, title").fetchall()
        return [_record(r) for r in rows]

    def chunk_ids(self, doc_id: str) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT chunk_id FROM chunks WHERE doc_id=? ORDER BY ord", (doc_id,))]

    def replace(self, doc_id: str, doc: Document, doc_type: str, chunks: list[Chunk],
                token_lists: list[list[str]]) -> int:
        """Store `doc` and its chunks, replacing any earlier version, in one transaction; return the generation."""
        now = time.strftime("%Y-%m-%dT%H:%M:%S")
        sections = json.dumps([[s.text, s.page] for s in doc.sections], ensure_ascii=False)
        with self._transaction():
            self._db.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
            self._db.execute(
                "INSERT OR REPLACE INTO documents VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                (doc_id, doc.source, doc.sha256, doc.title, doc_type, json.dumps(doc.meta, ensure_ascii=False),
                 sections, json.dumps(list(doc.warnings), ensure_ascii=False), len(chunks), int(doc.ocr), now),
            )
            self._db.executemany(
                "INSERT INTO chunks VALUES(?,?,?,?,?,?,?,?)",
                [(c.chunk_id, doc_id, c.ord, c.text, c.page, c.article, json.dumps(list(c.heading_path),
                  ensure_ascii=False), " ".join(tokens)) for c, tokens in zip(chunks, token_lists)],
            )
            return self._bump()

    def update_meta(self, doc_id: str, meta: dict) -> None:
        """Replace a document's metadata (its status); chunks and indexes are untouched, so no new generation."""
        self._db.execute("UPDATE documents SET meta=? WHERE doc_id=?", (json.dumps(meta, ensure_ascii=False), doc_id))

    def delete(self, doc_id: str) -> int:
        with self._transaction():
            self._db.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
            self._db.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))
            return self._bump()

    def stored_document(self, doc_id: str) -> Document:
        row = self._db.execute(
            "SELECT source, title, sha256, doc_type, meta, sections, warnings, ocr FROM documents WHERE doc_id=?",
            (doc_id,),
        ).fetchone()
        source, title, sha, doc_type, meta, sections, warnings, ocr = row
        return Document(source, title, tuple(Section(t, p) for t, p in json.loads(sections)), sha, doc_type,
                        json.loads(meta), tuple(json.loads(warnings)), bool(ocr))

    # ------------------------------------------------------------ chunks

    def token_rows(self) -> Iterator[tuple[str, str]]:
        """(chunk_id, space-separated tokens) of every chunk, in index order."""
        yield from self._reader.execute("SELECT chunk_id, tokens FROM chunks ORDER BY doc_id, ord")

    def row_info(self, chunk_ids: list[str]) -> tuple[list[str], list[str], list[str], list[str]]:
        """doc_type, article, title and doc_id of each chunk id (empty strings for unknown ids), without the texts."""
        info: dict[str, tuple[str, str, str, str]] = {}
        for start in range(0, len(chunk_ids), 500):
            batch = chunk_ids[start:start + 500]
            rows = self._reader.execute(
                f"SELECT c.chunk_id, d.doc_type, c.article, d.title, d.doc_id FROM chunks c JOIN documents d "
                f"USING(doc_id) WHERE c.chunk_id IN ({','.join('?' * len(batch))})", batch)
            info.update((r[0], (r[1], r[2] or "", r[3], r[4])) for r in rows)
        empty = ("", "", "", "")
        values = [info.get(i, empty) for i in chunk_ids]
        return [v[0] for v in values], [v[1] for v in values], [v[2] for v in values], [v[3] for v in values]

    def all_chunk_ids(self) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT chunk_id FROM chunks")}

    def chunks(self, chunk_ids: list[str]) -> dict[str, Chunk]:
        out: dict[str, Chunk] = {}
        for start in range(0, len(chunk_ids), 500):
            batch = chunk_ids[start:start + 500]
            marks = ",".join("?" * len(batch))
            rows = self._reader.execute(
                f"SELECT c.chunk_id, c.doc_id, c.ord, c.text, d.title, d.doc_type, d.source, c.page, c.article, "
                f"c.heading_path, d.ocr, d.meta FROM chunks c JOIN documents d USING(doc_id) "
                f"WHERE c.chunk_id IN ({marks})", batch,
            )
            for r in rows:
                out[r[0]] = Chunk(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], tuple(json.loads(r[9])),
                                  bool(r[10]), json.loads(r[11]))
        return out

    def mentions(self, text: str) -> bool:
        """Whether any stored passage or title contains `text` as it is written."""
        return self._reader.execute(
            "SELECT 1 FROM chunks WHERE instr(text, ?) > 0 UNION ALL SELECT 1 FROM documents WHERE instr(title, ?) > 0 "
            "LIMIT 1", (text, text)).fetchone() is not None

    def tokens(self, chunk_ids: list[str]) -> dict[str, set[str]]:
        """The stored index tokens (header and text) of each chunk."""
        out: dict[str, set[str]] = {}
        for start in range(0, len(chunk_ids), 500):
            batch = chunk_ids[start:start + 500]
            rows = self._reader.execute(
                f"SELECT chunk_id, tokens FROM chunks WHERE chunk_id IN ({','.join('?' * len(batch))})", batch)
            out.update((cid, set(text.split())) for cid, text in rows)
        return out

    def iter_chunks(self, doc_id: str | None = None) -> Iterator[Chunk]:
        ids = [r[0] for r in self._db.execute(
            "SELECT chunk_id FROM chunks WHERE (? IS NULL OR doc_id=?) ORDER BY doc_id, ord", (doc_id, doc_id))]
        found = self.chunks(ids)
        return (found[i] for i in ids)

    # ------------------------------------------------------------ helpers

    def _bump(self) -> int:
        generation = self.generation + 1
        self.set_meta("generation", str(generation))
        return generation

    def _transaction(self):
        db = self._db

        class _Tx:
            def __enter__(self):
                db.execute("BEGIN IMMEDIATE")

            def __exit__(self, kind, value, tb):
                db.execute("COMMIT" if kind is None else "ROLLBACK")
                return False

        return _Tx()


_DOC_COLUMNS = "doc_id, title, source, doc_type, chunks, sha256, ingested_at, ocr, warnings, meta"


def read_counts(path: Path) -> tuple[int, int]:
    """(documents, chunks) in the manifest at `path`, opened read-only; (0, 0) when there is none yet."""
    if not path.exists():
        return 0, 0
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        documents = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        chunks = db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
    finally:
        db.close()
    return documents, chunks


def _record(row) -> DocumentRecord:
    return DocumentRecord(row[0], row[1], row[2], row[3], row[4], row[5], row[6], bool(row[7]),
                          tuple(json.loads(row[8])), json.loads(row[9]))
