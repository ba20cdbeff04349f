"""Pins everything the LLM reads about its tools: every tool's name, description and JSON schema, and the prompts.

The snapshot is tests/data/tool_schemas.json. An intended change to a docstring, a parameter or a prompt file is
made visible by regenerating it: `GREENLEAF_UPDATE_SNAPSHOT=1 python -m pytest tests/test_tool_schemas.py`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from assistant.answering import toolbox
from assistant.answering.llm_agent import system_prompt, tool_description, tool_schema
from assistant.drafting import drafts as drafting

SNAPSHOT = Path(__file__).parent / "data" / "tool_schemas.json"


def _seen_by_model() -> dict:
    return {
        "tools": [{"name": f.__name__, "description": tool_description(f),
                   "parameters": tool_schema(f).model_json_schema()} for f in toolbox.llm_tools()],
        "prompts": {"system.md": system_prompt(), "retrieved.md": toolbox.prompt("retrieved.md")},
    }


def test_every_llm_visible_tool_and_prompt_matches_the_snapshot():
    actual = _seen_by_model()
    if os.environ.get("GREENLEAF_UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(actual, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert actual == json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def test_the_snapshot_covers_search_drafting_and_every_calculation_tool():
    import tools

    names = [t["name"] for t in _seen_by_model()["tools"]]
    assert names == ["knowledge_search", *[f.__name__ for f in tools.TOOLS], "draft_document"]


def test_context_parameters_are_never_shown_to_the_model():
    for tool in _seen_by_model()["tools"]:
        assert not {"store", "kb"} & set(tool["parameters"]["properties"]), tool["name"]


def test_draft_document_lists_every_kind_the_drafting_package_knows():
    description = json.dumps(_seen_by_model()["tools"][-1], ensure_ascii=False)
    assert all(kind.id in description for kind in drafting.list_kinds())
