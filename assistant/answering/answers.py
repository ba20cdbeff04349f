"""What an answer is: text, the mode that produced it, the passages it cites and the tool calls behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.ingest.chunking import citation_label
from assistant.retrieval.knowledge import SearchHit
from assistant.retrieval.status import notice, status_of

NOT_FOUND = "知识库中未找到相关内容。"


@dataclass(frozen=True)
class Citation:
    doc_id: str
    title: str
    source: str
    page: int | None
    article: str | None
    text: str
    meta: dict = field(default_factory=dict, compare=False)  # the document's 文号, issuer, dates and status
    sentences: tuple[str, ...] = field(default=(), compare=False)  # what the answer used of the passage

    @classmethod
    def from_hit(cls, hit: SearchHit) -> "Citation":
        c = hit.chunk
        return cls(c.doc_id, c.title, c.source, c.page, c.article, c.text, hit.meta)

    @property
    def status(self) -> str:
        return status_of(self.meta)

    @property
    def label(self) -> str:
        """《标题》（国务院令第530号）第十五条（第3页）, and （该文件已废止） when the document is no longer current."""
        return citation_label(self.title, self.article, self.page, doc_number=self.meta.get("doc_number")) + \
            notice(self.meta)

    def to_dict(self) -> dict:
        data = {"doc_id": self.doc_id, "title": self.title, "source": self.source, "page": self.page,
                "article": self.article, "text": self.text, "meta": dict(self.meta)}
        if self.sentences:
            data["sentences"] = list(self.sentences)
        return data


@dataclass(frozen=True)
class ToolCall:
    name: str
    args: dict[str, Any]
    result: dict[str, Any]  # the tool result's to_dict(), or {"error": "..."} when the call failed
    explanation: str = ""  # the result's explain(): figure, formula, factors, in Chinese

    def to_dict(self) -> dict:
        return {"name": self.name, "args": self.args, "result": self.result}


@dataclass(frozen=True)
class Answer:
    answer: str
    mode: str  # "offline" | "llm"
    citations: list[Citation] = field(default_factory=list)
    tool_calls: list[ToolCall] = field(default_factory=list)
    intent: str | None = None
    notice: str | None = None  # e.g. "大模型服务超时，已改用离线模式回答"

    def to_dict(self) -> dict:
        data = {"answer": self.answer, "mode": self.mode, "citations": [c.to_dict() for c in self.citations],
                "tool_calls": [t.to_dict() for t in self.tool_calls]}
        if self.intent:
            data["intent"] = self.intent
        if self.notice:
            data["notice"] = self.notice
        return data
