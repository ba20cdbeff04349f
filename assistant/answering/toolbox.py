"""The tools both engines may call, and the one path that calls a tool and records its ToolCall.

Every tool is a plain typed function whose docstring is the description the LLM sees: the calculation tools in
tools/, plus `knowledge_search` and `draft_document` defined here. Context parameters (`store`, `kb`) are bound by
`ToolRunner`; every other parameter is JSON-simple. A tool that fails with a GreenLeafError becomes a ToolCall with
{"error": ...} whose message the caller can hand back to the model; programmer errors still raise.
"""

from __future__ import annotations

import inspect
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Callable

import tools as calc
from assistant.answering.answers import NOT_FOUND, Citation, ToolCall
from assistant.errors import GreenLeafError
from assistant.records.store import DataStore
from assistant.retrieval.knowledge import KnowledgeBase, SearchHit

CONTEXT_PARAMS = ("store", "kb")  # bound by the runner, never shown to the model
MIN_SEARCH_COVERAGE = 0.3  # passages covering less of the query are not handed to the model


def prompt(name: str) -> str:
    """A prompt file from assistant/answering/prompts/ (what the model reads is data, not Python strings)."""
    return resources.files("assistant.answering").joinpath("prompts", name).read_text(encoding="utf-8").strip()


# ---------------------------------------------------------------- the two tools defined here


@dataclass(frozen=True)
class Passages:
    """What knowledge_search found: the passages, best first, each citable."""

    query: str
    hits: tuple[SearchHit, ...]

    @property
    def citations(self) -> list[Citation]:
        return [Citation.from_hit(h) for h in self.hits]

    def to_dict(self) -> dict:
        return {"results": [h.to_dict() for h in self.hits]}

    def explain(self) -> str:
        if not self.hits:
            return NOT_FOUND
        return "\n\n".join(f"{c.label}\n{c.text}" for c in self.citations)


@dataclass(frozen=True)
class DraftedDocument:
    kind: str
    title: str
    text: str
    missing: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"title": self.title, "missing": list(self.missing)}

    def explain(self) -> str:
        return f"已起草《{self.title}》（完整 Word 文件请在“文稿起草”页面下载）：\n\n{self.text}"


def knowledge_search(kb: KnowledgeBase, query: str, doc_type: str | None = None) -> Passages:
    """检索公共机构节能知识库（政策法规、标准、案例、宣传活动、工作指南），返回带编号的原文片段和出处（文件名、第X条、页码）。
    回答政策、标准、案例类问题前先调用本工具，回答时用 [编号] 标注出处。

    Args:
        query: 检索内容，用中文关键词或完整问题。
        doc_type: 可选，只检索某类文档：policy（政策法规）、standard（标准）、case（案例）、campaign（宣传活动）、guide（指南）。
    """
    result = kb.search(query, k=5, doc_type=doc_type or None)
    return Passages(query, tuple(h for h in result.hits if h.coverage >= MIN_SEARCH_COVERAGE))


def draft_document(store: DataStore, kb: KnowledgeBase, kind: str, institution: str | None = None,
                   year: int | None = None) -> DraftedDocument:
    """起草宣传或合规文稿，数字取自数据工具，缺少的事实标为【待补充】。
    可选类型见 kind 参数说明；完整 Word 文件在“文稿起草”页面下载。

    Args:
        kind: 文稿类型的 id 或名称：initiative（节能宣传周倡议书）、campaign-plan（宣传周活动方案）、event-notice（活动通知）、press-release（新闻通稿）、slogans（宣传标语）、poster（海报或展板文案）、budget-report（年度用能预算执行情况报告）、consumption-report（年度能源资源消费统计分析报告）、self-assessment（节约型机关创建自评报告）、water-saving（节水型单位申报材料）、emc-savings（合同能源管理/能源费用托管项目节能量确认报告）、audit-outline（能源审计报告提纲）。
        institution: 可选，单位名称。
        year: 可选，年度。
    """
    from assistant.drafting import drafts as drafting

    kind_obj = drafting.get_kind(kind)
    known = {p.name for p in kind_obj.params}
    params = {k: str(v) for k, v in (("institution", institution), ("year", year)) if v and k in known}
    result = drafting.draft(kind_obj, params, store=store, knowledge=kb)
    return DraftedDocument(kind_obj.id, result.title, result.text, tuple(result.missing))


# ---------------------------------------------------------------- registry and the one call path


def llm_tools() -> list[Callable]:
    """Every tool the LLM agent is given, in the order it sees them."""
    return [knowledge_search, *calc.TOOLS, draft_document]


TOOLS_BY_NAME: dict[str, Callable] = {f.__name__: f for f in llm_tools()}


def model_params(func: Callable) -> list[inspect.Parameter]:
    """The parameters the model fills in (the context parameters removed)."""
    return [p for p in inspect.signature(func).parameters.values() if p.name not in CONTEXT_PARAMS]


@dataclass
class ToolRunner:
    """Calls tools by name over one store and knowledge base, and keeps what each call produced."""

    store: Any
    kb: Any
    calls: list[ToolCall] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)  # every text a tool returned (for the number check)

    def run(self, name: str, args: dict[str, Any]) -> tuple[ToolCall, Any]:
        """Call tool `name` with `args` (None values dropped); return its ToolCall and result (None on error)."""
        func = TOOLS_BY_NAME[name]
        args = {k: v for k, v in args.items() if v is not None}
        context = {p: getattr(self, p) for p in CONTEXT_PARAMS if p in inspect.signature(func).parameters}
        try:
            result = func(**context, **args)
        except GreenLeafError as error:
            message = f"调用 {name} 失败：{error}"
            call = ToolCall(name, args, {"error": str(error)}, message)
            self.calls.append(call)
            self.evidence.append(message)
            return call, None
        explanation = result.explain()
        data = result.to_dict()
        call = ToolCall(name, args, data, explanation)
        self.calls.append(call)
        self.evidence.append(explanation + json.dumps(data, ensure_ascii=False, default=str))
        return call, result
