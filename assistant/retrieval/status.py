"""A document's 效力状态 (现行有效, 已修订, 已废止) and the version rule, as plain functions over document metadata.

Status lives in the document's `meta` in the manifest: `status`, who set it (`status_by`: "admin", "version" for
the version rule, "text" when the document itself says so), `status_note`, `status_at`, and `superseded_by` (the
doc_id of the newer version). Absent status means 现行有效. The version rule: documents with the same title (《》,
spaces, a leading 中华人民共和国 and a trailing （2018年修正） ignored) and a stated date are versions of one document;
all but the latest become 已修订 and point to it, unless an administrator set their status, whose word stands.
"""

from __future__ import annotations

import re
import time
from typing import Iterable

from assistant.ingest.regmeta import AMENDED, CURRENT, DATE_FIELDS, FIELDS, REPEALED, STATUSES

PUBLIC_KEYS = (*FIELDS, "status", "superseded_by", "status_note")
# A passage of a 已修订 or 已废止 document counts for less (KnowledgeBase.search): BM25 is a ratio scale, so its score
# is halved; cosine similarity is not, so it is lowered by a fixed margin.
STATUS_WEIGHT = 0.5
STATUS_MARGIN = 0.05
NOTICE = {AMENDED: "（该文件已修订）", REPEALED: "（该文件已废止）"}


def status_of(meta: dict | None) -> str:
    """The document's status; 现行有效 unless its metadata says otherwise."""
    status = (meta or {}).get("status")
    return status if status in STATUSES else CURRENT


def public_meta(meta: dict | None) -> dict:
    """The metadata shown with documents, hits and citations: the regulation fields that are known, and status."""
    meta = meta or {}
    out = {k: meta[k] for k in PUBLIC_KEYS if meta.get(k)}
    out["status"] = status_of(meta)
    return out


def notice(meta: dict | None) -> str:
    """"（该文件已废止）" / "（该文件已修订）" for a document that is not current, else ""."""
    return NOTICE.get(status_of(meta), "")


def with_status(meta: dict, status: str, by: str, note: str | None = None,
                superseded_by: str | None = None) -> dict:
    """`meta` with a new status set by `by` ("admin" or "version"); a current document points to no newer one."""
    if status not in STATUSES:
        raise ValueError(status)
    out = {k: v for k, v in meta.items() if k not in ("status", "status_by", "status_note", "status_at",
                                                      "superseded_by")}
    out.update(status=status, status_by=by, status_at=time.strftime("%Y-%m-%dT%H:%M:%S"))
    if note:
        out["status_note"] = note
    if superseded_by and status != CURRENT:
        out["superseded_by"] = superseded_by
    return out


def version_key(title: str) -> str:
    """"《中华人民共和国统计法（2024年修正）》" and "统计法" name the same document."""
    key = re.sub(r"\s+", "", str(title)).strip("《》")
    key = re.sub(r"[（(][^（）()]*(\d{4}年?|修正|修订|修改|现行|版)[^（）()]*[)）]$", "", key)
    return key.removeprefix("中华人民共和国")


def version_date(meta: dict | None) -> str | None:
    """The latest date the document states of itself (ISO strings compare as dates), or None."""
    dates = [(meta or {}).get(k) for k in DATE_FIELDS]
    dates = [d for d in dates if d]
    return max(dates) if dates else None


def version_changes(documents: Iterable[tuple[str, str, dict]]) -> dict[str, dict]:
    """The version rule over (doc_id, title, meta) triples: {doc_id: new meta} for the documents whose status the
    rule changes. Status an administrator (or the document's own text) set is never touched."""
    groups: dict[str, list[tuple[str, str, dict]]] = {}
    for doc_id, title, meta in documents:
        date = version_date(meta)
        if date:
            groups.setdefault(version_key(title), []).append((date, doc_id, meta))
    changes: dict[str, dict] = {}
    for members in groups.values():
        latest = max(date for date, _, _ in members)
        newest = sorted(doc_id for date, doc_id, _ in members if date == latest)[0]
        for date, doc_id, meta in members:
            if meta.get("status_by") not in (None, "version"):
                continue  # an administrator's (or the text's) word stands
            if date < latest:
                wanted = (AMENDED, newest)
            else:
                wanted = (CURRENT, None)
            if (status_of(meta), meta.get("superseded_by")) == wanted:
                continue
            if wanted[0] == CURRENT and "status_by" not in meta:
                continue  # never marked: nothing to undo
            changes[doc_id] = with_status(meta, wanted[0], "version", superseded_by=wanted[1])
    return changes
