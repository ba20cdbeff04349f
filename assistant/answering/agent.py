"""Assistant: one interface over the offline engine and the LLM agent.

`Assistant.ask(question, history) -> Answer` validates the question, routes to the LLM agent when an endpoint
is configured (falling back to the offline engine, with a visible notice, on time-outs and errors), and is what
the CLI and the web UI call. Chat never changes the knowledge base or the data: the engines get read-only tools.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Iterator

from assistant.answering.answers import Answer
from assistant.config import Settings
from assistant.errors import QuestionError
from assistant.retrieval import highlight
from assistant.retrieval.status import notice

if TYPE_CHECKING:
    from assistant.answering.llm_agent import LLMAgent
    from assistant.answering.offline import OfflineEngine

History = list[tuple[str, str]]  # (user question, assistant answer) pairs, oldest first


@dataclass
class Assistant:
    settings: Settings
    offline: "OfflineEngine"
    llm: "LLMAgent | None" = None

    @classmethod
    def create(cls, settings: Settings, kb, store, chat_model=None) -> "Assistant":
        """Build the assistant over an open KnowledgeBase and DataStore.

        `chat_model`: a langchain chat model to use instead of the configured endpoint (tests use a scripted one).
        """
        from assistant.answering.offline import OfflineEngine

        offline = OfflineEngine(settings, kb, store)
        llm = None
        if chat_model is not None or settings.llm_configured:
            from assistant.answering.llm_agent import LLMAgent

            llm = LLMAgent(settings, kb, store, offline, chat_model=chat_model)
        return cls(settings, offline, llm)

    @property
    def mode(self) -> str:
        return "llm" if self.llm is not None else "offline"

    def ask(self, question: str, history: History | None = None) -> Answer:
        """Answer one question; `history` gives the conversation so far for follow-ups."""
        question = self._validate(question)
        history = list(history or [])
        if self.llm is not None:
            return self._annotated(question, self.llm.ask(question, history))
        return self._annotated(question, self.offline.ask(question, history))

    def stream(self, question: str, history: History | None = None) -> Iterator[str | Answer]:
        """Yield text pieces as they are produced, then the final Answer."""
        question = self._validate(question)
        history = list(history or [])
        if self.llm is not None:
            for piece in self.llm.stream(question, history):
                yield piece if isinstance(piece, str) else self._annotated(question, piece)
            return
        answer = self._annotated(question, self.offline.ask(question, history))
        yield answer.answer
        yield answer

    def _annotated(self, question: str, answer: Answer) -> Answer:
        """Each citation with the sentences the answer used (or that best match the question), and a closing
        remark when the answer rests on a document that is no longer current and does not say so itself."""
        if not answer.citations:
            return answer
        kb = self.offline.kb
        citations = [replace(c, sentences=tuple(highlight.marked(kb, question, c.text, answer.answer)))
                     for c in answer.citations]
        text = answer.answer
        unsaid = [(n, c) for n, c in enumerate(citations, start=1) if notice(c.meta) and notice(c.meta) not in text]
        if unsaid:
            text += "\n\n注意：" + "；".join(f"[{n}]《{c.title}》{notice(c.meta)}" for n, c in unsaid) + \
                "，请以现行文件为准。"
        return replace(answer, answer=text, citations=citations)

    def _validate(self, question: str) -> str:
        question = (question or "").strip()
        if not question:
            raise QuestionError("请输入问题，例如：“公共机构节能条例第十五条讲什么？”")
        if len(question) > self.settings.max_question_chars:
            raise QuestionError(
                f"问题过长（{len(question)} 字），请精简到 {self.settings.max_question_chars} 字以内，或分几次提问。")
        return question
