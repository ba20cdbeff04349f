"""`greenleaf draft`: list the document kinds, or draft one and write it as .docx or .md.

Thin shell over assistant.drafting.drafts: parses `--set key=value`, opens the data store and (lazily) the knowledge base,
picks the chat model when one is configured, prints. `--json` prints one object on stdout.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from assistant.cli.output import err, print_json
from assistant.config import Settings
from assistant.errors import GreenLeafError, LookupFailed


def register_cli(sub: Any) -> None:
    p = sub.add_parser("draft", help="起草文稿：倡议书、活动方案、通知、用能预算执行情况报告等（--list 查看全部类型）")
    p.add_argument("kind", nargs="?", help="文稿类型：编号（如 campaign-plan）或名称（如 节能宣传周活动方案）")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="参数，可多次使用，例如 --set institution=市行政中心 --set year=2025")
    p.add_argument("--out", help="输出文件：.docx（公文格式）或 .md；不填则把正文打印到标准输出")
    p.add_argument("--red-header", action="store_true",
                   help="加红头（红色发文机关标志和红色分隔线，GB/T 9704），只用于公文类文稿（方案、通知、报告等）和 .docx 输出")
    p.add_argument("--organ", help="红头中的发文机关名称（默认 GREENLEAF_ORGAN_NAME，再次为文稿的单位名称）")
    p.add_argument("--doc-number", help="发文字号，例如 海机管〔2025〕12号（可不填）")
    p.add_argument("--list", action="store_true", help="列出全部文稿类型及其参数")
    p.add_argument("--offline", action="store_true", help="即使配置了大模型，也只用离线模板成稿")
    p.add_argument("--json", action="store_true", help="以 JSON 输出到标准输出")
    p.set_defaults(handler=cmd_draft)


def cmd_draft(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.drafting import drafts as drafting

    if args.list:
        kinds = [k.to_dict() for k in drafting.list_kinds()]
        if args.json:
            print_json({"kinds": kinds})
        else:
            for kind in drafting.list_kinds():
                params = "，".join(f"{p['name']}（{p['label']}{'，默认 ' + p['default'] if p['default'] else ''}）"
                                  for p in kind.to_dict()["params"])
                print(f"{kind.id:<20} {kind.title}\n{'':<20} 参数：{params}")
        return 0
    if not args.kind:
        err("请给出文稿类型，例如：greenleaf draft campaign-plan --set institution=市行政中心；greenleaf draft --list 查看全部类型。")
        return 2
    params: dict[str, str] = {}
    for item in args.sets:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            err(f"参数“{item}”格式不对，应为 key=value，例如 --set year=2025。")
            return 2
        params[key.strip()] = value.strip()
    try:  # an unknown kind or parameter, or a red header where none belongs, is a usage error (exit 2)
        kind = drafting.get_kind(args.kind)
        drafting.resolve_params(kind, params, date.today())
        if args.red_header:  # checked before any work: the kind, the output and an organ name
            drafting.red_header(kind, args.organ or settings.organ_name or params.get("institution"))
            if not (args.out or "").lower().endswith(".docx"):
                raise LookupFailed("--red-header 只用于 Word 输出，请同时给出 --out 文件名.docx。")
        elif args.organ or args.doc_number:
            raise LookupFailed("--organ 和 --doc-number 只在加红头时使用，请同时给出 --red-header。")
    except LookupFailed as error:
        err(f"错误：{error}")
        return 2
    model = None if args.offline else _chat_model(settings)
    knowledge = _LazyKnowledge(settings)
    try:
        store = _open_store(settings)
        try:
            result = drafting.draft(kind, params, store=store, knowledge=knowledge, model=model)
        finally:
            if store is not None:
                store.close()
    finally:
        knowledge.close()
    if args.out:
        header = None
        if args.red_header:
            # the institution as the data know it (行政中心 → 市行政中心) when no organ name is set
            institution = next((f.text for f in result.facts if f.name == "institution"), None)
            header = drafting.red_header(kind, args.organ or settings.organ_name or institution, args.doc_number)
        path = result.save(args.out, red_header=header)
        err(f"已生成：{path}" + (f"（红头：{header.mark}{'，' + header.number if header.number else ''}）" if header else ""))
    if args.json:
        print_json(result.to_dict())
    elif not args.out:
        print(result.text)
    if result.missing:
        err(f"待补充 {len(result.missing)} 项：{'；'.join(result.missing)}")
    for warning in result.warnings:
        err(f"请核对：{warning}")
    return 0


def _open_store(settings: Settings) -> Any:
    """The consumption store when its file exists; without it every figure stays 【待补充】."""
    if not settings.data_db.exists():
        return None
    from assistant.records.store import DataStore

    return DataStore.open(settings)


class _LazyKnowledge:
    """Opens the knowledge base on the first search only, so kinds that need no lookup never load it."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._kb: Any = None
        self._failed = False

    def search(self, query: str, k: int = 5, doc_type: str | None = None) -> Any:
        if self._kb is None and not self._failed:
            try:
                if not self._settings.kb_db.exists():
                    raise GreenLeafError("知识库尚未建立")
                from assistant.retrieval.knowledge import KnowledgeBase

                self._kb = KnowledgeBase.open(self._settings, read_only=True)
            except GreenLeafError as error:
                self._failed = True
                err(f"提示：知识库不可用（{error}），相关内容将标为待补充。")
        if self._kb is None:
            raise GreenLeafError("知识库不可用")
        return self._kb.search(query, k=k, doc_type=doc_type)

    def close(self) -> None:
        if self._kb is not None:
            self._kb.close()


def _chat_model(settings: Settings) -> Any:
    if not settings.llm_configured:
        return None
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(base_url=settings.llm_base_url, model=settings.llm_model, api_key=settings.llm_api_key or "none",
                      timeout=settings.llm_timeout_s, temperature=0.3)
