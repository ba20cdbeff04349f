"""The LLM agent: a langchain `create_agent` over the same tools and retrieval as the offline engine.

Works with any OpenAI-compatible endpoint (Qwen/DashScope, DeepSeek, GLM, vLLM, Ollama). Citations come from
the passages the model's final answer actually cites ([n]); numbers the answer states that appear in no tool
result or cited passage are flagged. Any endpoint failure falls back to the offline engine with a notice.
"""

from __future__ import annotations

import inspect
import re
import typing
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from assistant.answering import toolbox
from assistant.answering.answers import NOT_FOUND, Answer, Citation
from assistant.config import Settings
from assistant.numbercheck import unsupported_numbers

MAX_STEPS = 16
_CITE = re.compile(r"\[(\d{1,3})\]")


def system_prompt() -> str:
    return toolbox.prompt("system.md")


def make_chat_model(settings: Settings):
    """The configured OpenAI-compatible chat model, with a time-out and one retry."""
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(model=settings.llm_model, base_url=settings.llm_base_url, api_key=settings.llm_api_key or "EMPTY",
                      timeout=settings.llm_timeout_s, max_retries=1, temperature=0.1)


@dataclass
class _Run:
    """What one question's tool calls produced: numbered passages and tool results."""

    tools: toolbox.ToolRunner
    passages: dict[int, Citation] = field(default_factory=dict)


class LLMAgent:
    def __init__(self, settings: Settings, kb, store, offline, chat_model=None) -> None:
        self.settings = settings
        self.kb = kb
        self.store = store
        self.offline = offline
        self.model = chat_model if chat_model is not None else make_chat_model(settings)

    def ask(self, question: str, history: list[tuple[str, str]]) -> Answer:
        run = _Run(toolbox.ToolRunner(self.store, self.kb))
        try:
            state = self._agent(run).invoke({"messages": _messages(history, question)},
                                            config={"recursion_limit": MAX_STEPS})
        except Exception as error:  # noqa: BLE001 - any endpoint or agent failure: answer offline, say so
            return self._fallback(question, history, error)
        return self._answer(run, _final_text(state["messages"]))

    def stream(self, question: str, history: list[tuple[str, str]]) -> Iterator[str | Answer]:
        """Yield the model's text as it arrives, then the final Answer."""
        run = _Run(toolbox.ToolRunner(self.store, self.kb))
        final_state = None
        try:
            for mode, payload in self._agent(run).stream({"messages": _messages(history, question)},
                                                        config={"recursion_limit": MAX_STEPS},
                                                        stream_mode=["messages", "values"]):
                if mode == "values":
                    final_state = payload
                    continue
                chunk, _meta = payload
                if getattr(chunk, "type", "") in ("AIMessageChunk", "ai") and not getattr(chunk, "tool_call_chunks", None):
                    text = _content_text(chunk.content)
                    if text:
                        yield text
        except Exception as error:  # noqa: BLE001 - same fallback as ask()
            answer = self._fallback(question, history, error)
            yield "\n\n" + (answer.notice or "") + "\n\n" + answer.answer
            yield answer
            return
        text = _final_text(final_state["messages"]) if final_state else ""
        yield self._answer(run, text)

    # ------------------------------------------------------------ internals

    def _agent(self, run: _Run):
        from langchain.agents import create_agent

        return create_agent(self.model, self._tools(run), system_prompt=system_prompt())

    def _answer(self, run: _Run, text: str) -> Answer:
        text = text.strip() or NOT_FOUND
        cited = [int(n) for n in dict.fromkeys(_CITE.findall(text)) if int(n) in run.passages]
        renumber = {old: new for new, old in enumerate(cited, start=1)}
        text = _CITE.sub(lambda m: f"[{renumber[int(m.group(1))]}]" if int(m.group(1)) in renumber else m.group(0), text)
        citations = [run.passages[n] for n in cited]
        unsupported = unsupported_numbers(text, run.tools.evidence)
        notice = (f"注意：回答中的数字 {'、'.join(unsupported)} 未出现在工具结果或引用资料中，请核对。"
                  if unsupported else None)
        return Answer(text, "llm", citations, run.tools.calls, intent=None, notice=notice)

    def _fallback(self, question: str, history: list[tuple[str, str]], error: Exception) -> Answer:
        reason = _reason(error)
        answer = self.offline.ask(question, history)
        notice = f"大模型服务暂时不可用（{reason}），已改用离线模式回答。"
        return Answer(answer.answer, "offline", answer.citations, answer.tool_calls, answer.intent, notice)

    def _tools(self, run: _Run) -> list:
        from langchain_core.tools import StructuredTool

        return [StructuredTool.from_function(func=self._bound(func.__name__, run), name=func.__name__,
                                             description=tool_description(func), args_schema=tool_schema(func))
                for func in toolbox.llm_tools()]

    def _bound(self, name: str, run: _Run) -> Callable[..., str]:
        def call(**kwargs: Any) -> str:
            tool_call, result = run.tools.run(name, kwargs)
            if result is None:
                return tool_call.explanation
            if isinstance(result, toolbox.Passages):
                return _numbered(result, run)
            return tool_call.explanation

        return call


def _numbered(passages: "toolbox.Passages", run: _Run) -> str:
    """The passages as the model reads them: numbered across the whole run, after the data-not-instructions note."""
    if not passages.hits:
        return NOT_FOUND
    lines = [toolbox.prompt("retrieved.md")]
    for citation in passages.citations:
        number = len(run.passages) + 1
        run.passages[number] = citation
        lines.append(f"[{number}] {citation.label}\n{citation.text}")
    return "\n\n".join(lines)


def tool_description(func: Callable) -> str:
    """What the model reads about a tool: its docstring up to the Args section."""
    return (inspect.getdoc(func) or func.__name__).split("\n\nArgs:")[0].strip()


def tool_schema(func: Callable):
    """A pydantic model of the parameters the model fills in, each described from the docstring's Args."""
    from pydantic import Field, create_model

    params = toolbox.model_params(func)
    hints = typing.get_type_hints(func)  # resolves the string annotations of `from __future__ import annotations`
    docs = _arg_docs(inspect.getdoc(func) or "")
    fields = {}
    for p in params:
        annotation = hints.get(p.name, str)
        default = ... if p.default is inspect.Parameter.empty else p.default
        fields[p.name] = (annotation, Field(default, description=docs.get(p.name, "")))
    return create_model(f"{func.__name__}_args", **fields)


def _arg_docs(doc: str) -> dict[str, str]:
    out: dict[str, str] = {}
    in_args = False
    for line in doc.splitlines():
        if line.strip() in ("Args:", "参数："):
            in_args = True
            continue
        match = re.match(r"^\s+(\w+)\s*(\([^)]*\))?:\s*(.*)$", line) if in_args else None
        if match:
            out[match.group(1)] = match.group(3).strip()
    return out


def _messages(history: list[tuple[str, str]], question: str) -> list:
    from langchain_core.messages import AIMessage, HumanMessage

    messages: list = []
    for asked, answered in history[-6:]:
        messages += [HumanMessage(asked), AIMessage(answered)]
    return messages + [HumanMessage(question)]


def _final_text(messages: list) -> str:
    for message in reversed(messages):
        if getattr(message, "type", "") == "ai" and not getattr(message, "tool_calls", None):
            return _content_text(message.content)
    return ""


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    return ""


def _reason(error: Exception) -> str:
    name = type(error).__name__
    text = str(error)
    if "Timeout" in name or "timed out" in text.lower():
        return "请求超时"
    if "RateLimit" in name or "429" in text:
        return "请求过于频繁，被限流"
    if "Connection" in name:
        return "无法连接到大模型服务"
    if "Authentication" in name or "401" in text:
        return "密钥无效"
    if "Recursion" in name:
        return "推理步骤过多"
    return f"{name}"
