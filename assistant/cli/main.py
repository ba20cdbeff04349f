"""`greenleaf` command: parses arguments, calls one library function per command, prints.

`--json` prints exactly one JSON object on stdout; human messages and progress go to stderr.
Exit codes: 0 success, 1 some input failed (the rest was still processed), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from assistant.cli import kb as kb_cli
from assistant.cli.audit import files_detail, record
from assistant.cli.output import err, json_flag, print_json
from assistant.config import Settings
from assistant.errors import GreenLeafError
from assistant.ingest.regmeta import STATUSES

Handler = Callable[[argparse.Namespace, Settings], int]


def main(argv: list[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        settings = Settings.from_env()
        if args.home:
            settings = settings.with_home(args.home)
        return args.handler(args, settings)
    except GreenLeafError as error:
        err(f"错误：{error}")
        return 1
    except KeyboardInterrupt:
        err("已中断。")
        return 130


# ---------------------------------------------------------------- commands


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.retrieval.knowledge import KnowledgeBase
    from assistant.cli.progress import StderrProgress

    with KnowledgeBase.open(settings) as kb:
        report = kb.ingest([Path(p) for p in args.paths], progress=StderrProgress("导入"))
    if report.added or report.updated:
        record(settings, "upload", "、".join(args.paths)[:200],
               {"files": files_detail(report.added + report.updated), "skipped": report.skipped,
                "failed": [s for s, _ in report.failed]})
    if args.json:
        print_json(report.to_dict())
    else:
        err(report.summary())
    return 1 if report.failed else 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.retrieval.knowledge import KnowledgeBase

    with KnowledgeBase.open(settings, read_only=True) as kb:
        result = kb.search(args.query, k=args.k, doc_type=args.type, status=args.status, explain=args.explain)
    if args.json:
        print_json(result.to_dict())
        return 0
    kb_cli.print_search(result, args.explain)
    return 0


def cmd_kb_list(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.retrieval.knowledge import KnowledgeBase

    with KnowledgeBase.open(settings, read_only=True) as kb:
        docs = kb.documents()
    if args.json:
        print_json({"documents": [d.to_dict() for d in docs]})
        return 0
    kb_cli.print_documents(docs)
    return 0


def cmd_kb_remove(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.retrieval.knowledge import KnowledgeBase

    with KnowledgeBase.open(settings) as kb:
        removed = kb.remove(args.doc_id)
    record(settings, "remove", "、".join(f"《{d.title}》（{d.doc_id}）" for d in removed),
           {"documents": [{"doc_id": d.doc_id, "title": d.title, "source": d.source, "sha256": d.sha256}
                          for d in removed]})
    if args.json:
        print_json({"removed": [d.to_dict() for d in removed]})
    else:
        err(f"已删除：{'、'.join(d.title for d in removed)}")
    return 0


def cmd_kb_rebuild(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.retrieval.knowledge import KnowledgeBase
    from assistant.cli.progress import StderrProgress

    with KnowledgeBase.open(settings) as kb:
        stats = kb.rebuild(progress=StderrProgress("重建索引"))
    record(settings, "rebuild", "知识库索引", {k: v for k, v in stats.items() if isinstance(v, (int, str))})
    if args.json:
        print_json(stats)
    else:
        err(f"已重建索引：{stats['documents']} 篇文档，{stats['chunks']} 个片段，检索模式 {stats['mode']}。")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.ui.app import launch

    launch(settings, host=args.host, port=args.port, insecure_no_login=args.insecure_no_login)
    return 0


# ---------------------------------------------------------------- parser


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="greenleaf", description="绿叶智答：公共机构节能知识库与智能助手")
    parser.add_argument("--home", help="知识库主目录（默认 GREENLEAF_HOME 或 ~/.greenleaf）")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("ingest", help="导入文件或文件夹：PDF（扫描页自动文字识别）、DOCX、MD、TXT、HTML、图片"
                                      "（PNG/JPG/TIF，文字识别）；CSV/XLSX 逐个指明时作为资料导入")
    p.add_argument("paths", nargs="+", help="文件或文件夹（文件夹递归导入，其中的 CSV/XLSX 不导入）")
    json_flag(p).set_defaults(handler=cmd_ingest)

    p = sub.add_parser("search", help="混合检索知识库")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=5, help="返回条数（默认 5）")
    p.add_argument("--type", help="只检索某类文档：policy/standard/case/campaign/data/guide")
    p.add_argument("--status", choices=STATUSES, help="只检索某种效力状态的文档")
    p.add_argument("--explain", action="store_true", help="命中测试：每条结果的关键词、语义、融合得分，覆盖率和匹配的句子")
    json_flag(p).set_defaults(handler=cmd_search)

    kb = sub.add_parser("kb", help="管理知识库").add_subparsers(dest="kb_command", metavar="ACTION")
    json_flag(kb.add_parser("list", help="列出文档")).set_defaults(handler=cmd_kb_list)
    p = kb.add_parser("remove", help="删除文档（按 doc_id 或来源路径）")
    p.add_argument("doc_id")
    json_flag(p).set_defaults(handler=cmd_kb_remove)
    json_flag(kb.add_parser("rebuild", help="由已存文档重建两个索引")).set_defaults(handler=cmd_kb_rebuild)
    kb_cli.register(kb)  # set, show

    p = sub.add_parser("serve", help="启动网页界面")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--insecure-no-login", action="store_true",
                   help="绑定非本机地址且没有账号时仍然启动（不要求登录，任何人都是管理员；不建议）")
    p.set_defaults(handler=cmd_serve)

    # Feature modules own their subcommands (data/indicators/tool, ask/chat, draft, doctor, user, audit).
    from assistant.cli import ask as agent_cli
    from assistant.cli import audit as audit_cli
    from assistant.cli import data as data_cli
    from assistant.cli import doctor as doctor_cli
    from assistant.cli import draft as drafting_cli
    from assistant.cli import users as users_cli

    for module in (data_cli, agent_cli, drafting_cli, doctor_cli, users_cli, audit_cli):
        module.register_cli(sub)
    return parser
