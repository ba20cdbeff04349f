"""`greenleaf ask` (one question, JSON per DESIGN.md) and `greenleaf chat` (interactive, with follow-ups; saved as a
conversation that `--resume ID` continues, here or in the web page)."""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import contextmanager
from typing import Iterator

from assistant.config import Settings
from assistant.errors import GreenLeafError
from assistant.office.conversations import LOCAL_OWNER, Conversations


def register_cli(sub) -> None:
    p = sub.add_parser("ask", help="提问（离线引擎或大模型智能体）")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="以 JSON 输出到标准输出")
    p.set_defaults(handler=cmd_ask)
    p = sub.add_parser("chat", help="交互式问答（输入空行或 exit 退出）；对话自动保存")
    p.add_argument("--resume", metavar="ID", help="继续一段保存的对话（保留追问的上下文），编号见 --list")
    p.add_argument("--list", action="store_true", help="列出保存的对话")
    p.add_argument("--user", help=f"以此账号的名义读取和保存对话（默认“{LOCAL_OWNER}”，即不登录时网页界面的对话）")
    p.set_defaults(handler=cmd_chat)


@contextmanager
def open_assistant(settings: Settings) -> Iterator:
    """An Assistant over a read-only knowledge base and the data store of `settings.home`."""
    from assistant.answering.agent import Assistant
    from assistant.records.store import DataStore
    from assistant.retrieval.knowledge import KnowledgeBase

    with KnowledgeBase.open(settings, read_only=True) as kb, DataStore.open(settings) as store:
        yield Assistant.create(settings, kb, store)


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    with open_assistant(settings) as assistant:
        answer = assistant.ask(args.question)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        if answer.notice:
            print(answer.notice, file=sys.stderr)
        print(answer.answer)
        _print_sources(answer)
    return 0


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    conversations = Conversations.open(settings)
    owner = args.user or LOCAL_OWNER
    if args.list:
        for c in conversations.list(owner):
            print(f"{c.id}\t{c.updated_at[:16].replace('T', ' ')}\t{c.title}")
        return 0
    history: list[tuple[str, str]] = []
    conversation_id = None
    if args.resume:
        conversation = conversations.get(owner, args.resume)
        conversation_id, history = conversation.id, conversation.history()
        print(f"继续对话 {conversation.id}《{conversation.title}》，已有 {len(history)} 轮。", file=sys.stderr)
    with open_assistant(settings) as assistant:
        print(f"绿叶智答（{'大模型' if assistant.mode == 'llm' else '离线'}模式）。输入问题，空行或 exit 退出。", file=sys.stderr)
        while True:
            try:
                question = input("问> ").strip()
            except EOFError:
                break
            if question.lower() in {"", "exit", "quit", "退出"}:
                break
            try:
                answer = None
                for piece in assistant.stream(question, history):
                    if isinstance(piece, str):
                        print(piece, end="", flush=True)
                    else:
                        answer = piece
                print()
            except GreenLeafError as error:
                print(f"错误：{error}", file=sys.stderr)
                continue
            if answer is not None:
                if answer.notice:
                    print(answer.notice, file=sys.stderr)
                _print_sources(answer)
                history.append((question, answer.answer))
                conversation_id = conversations.add_turn(owner, conversation_id, question, answer.answer,
                                                         answer.mode, [c.label for c in answer.citations])
    if conversation_id is not None:
        print(f"对话已保存，编号 {conversation_id}；继续：greenleaf chat --resume {conversation_id}", file=sys.stderr)
    return 0


def _print_sources(answer) -> None:
    for call in answer.tool_calls:
        if call.name != "knowledge_search":
            print(f"  [工具] {call.name}({json.dumps(call.args, ensure_ascii=False)})", file=sys.stderr)
