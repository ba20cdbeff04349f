"""A whole document as staff read it: its metadata and status, its structure (章/节/条), its text in order, and the
article a citation points to. Built from the stored document (the manifest), never from the chunks, so an article
split into overlapping chunks reads once. `greenleaf kb show` and the 知识库 tab's document view both use it.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.ingest.chunking import article_label, find_article
from assistant.ingest.regmeta import LABELS
from assistant.retrieval.manifest import DocumentRecord
from assistant.retrieval.status import notice, public_meta


@dataclass(frozen=True)
class Block:
    """One article, or one headed section of a document without articles."""

    path: tuple[str, ...]  # the 章/节 (or Markdown headings) above it
    article: str | None
    text: str
    page: int | None = None

    def to_dict(self) -> dict:
        return {"heading_path": list(self.path), "article": self.article, "text": self.text, "page": self.page}


@dataclass(frozen=True)
class DocumentView:
    record: DocumentRecord
    blocks: tuple[Block, ...]
    focus: str | None = None  # the article asked for ("第十五条"), when the document has it

    @property
    def meta(self) -> dict:
        return public_meta(self.record.meta)

    def article(self, label: str) -> Block | None:
        label = normal_article(label)
        return next((b for b in self.blocks if b.article == label), None)

    def outline(self) -> list[dict]:
        """The headings in order, each with the articles under it: [{"heading": "第一章 总则", "articles": [...]}]."""
        out: list[dict] = []
        for block in self.blocks:
            heading = " › ".join(block.path)
            if not out or out[-1]["heading"] != heading:
                out.append({"heading": heading, "articles": []})
            if block.article:
                out[-1]["articles"].append(block.article)
        return out

    def to_dict(self) -> dict:
        r = self.record
        return {"doc_id": r.doc_id, "title": r.title, "source": r.source, "doc_type": r.doc_type, "meta": self.meta,
                "warnings": list(r.warnings), "outline": self.outline(), "focus": self.focus,
                "blocks": [b.to_dict() for b in self.blocks]}

    def heading_lines(self) -> list[str]:
        """Title, status notice and the known metadata, one fact a line, in Chinese."""
        lines = [f"《{self.record.title}》{notice(self.record.meta)}"]
        meta = self.meta
        lines += [f"{LABELS[k]}：{meta[k]}" for k in LABELS if k in meta and k != "status"]
        lines.append(f"效力状态：{meta['status']}" + (f"（{meta['status_note']}）" if meta.get("status_note") else ""))
        return lines


def normal_article(label: str) -> str | None:
    """"15" / "十五" / "第15条" / "第十五条" → "第十五条"."""
    label = str(label or "").strip()
    if not label:
        return None
    return find_article(label) or article_label(label.removeprefix("第").removesuffix("条"))


def view(record: DocumentRecord, structure: list[tuple[tuple[str, ...], str | None, str, int | None]],
         article: str | None = None) -> DocumentView:
    blocks = tuple(Block(path, label, _without_label(text, label), page) for path, label, text, page in structure)
    focus = normal_article(article) if article else None
    if focus and not any(b.article == focus for b in blocks):
        focus = None
    return DocumentView(record, blocks, focus)


def _without_label(text: str, label: str | None) -> str:
    """"第十五条　公共机构应当……" → "公共机构应当……" (the view shows the label itself)."""
    if label and text.startswith(label):
        return text[len(label):].lstrip(" \u3000")
    return text
