"""`greenleaf kb set|show` and the human-readable output of `search` (with `--explain`) and `kb list`.

`kb set DOC_ID --status 已废止 [--note 文字]` records an administrator's word on a document's status (and the audit
trail records who said it); `kb show DOC_ID [--article 第十五条]` prints the whole document with its metadata and
structure, the article asked for marked. The JSON forms are the library objects' to_dict().
"""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant.cli.audit import record
from assistant.cli.output import err, json_flag, print_json
from assistant.config import Settings
from assistant.errors import KnowledgeBaseError
from assistant.ingest.regmeta import LABELS, STATUSES

MARK = "▶ "  # before the article asked for, and around highlighted sentences: 【…】


def register(kb: argparse._SubParsersAction) -> None:
    """Add `kb set` and `kb show` to the `kb` command's actions."""
    p = kb.add_parser("set", help="设置文档的效力状态（现行有效、已修订、已废止），可附说明")
    p.add_argument("doc_id", help="doc_id、来源路径、标题或文件名")
    p.add_argument("--status", required=True, choices=STATUSES, help="效力状态")
    p.add_argument("--note", help="说明，例如“已被2024年修正版取代”")
    json_flag(p).set_defaults(handler=cmd_kb_set)
    p = kb.add_parser("show", help="显示整篇文档：元数据、章节条结构和全文")
    p.add_argument("doc_id", help="doc_id、来源路径、标题或文件名")
    p.add_argument("--article", help="要定位的条，例如 第十五条 或 15")
    json_flag(p).set_defaults(handler=cmd_kb_show)


def cmd_kb_set(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.retrieval.knowledge import KnowledgeBase

    with KnowledgeBase.open(settings) as kb:
        doc = kb.set_status(args.doc_id, args.status, args.note)
    record(settings, "status", f"《{doc.title}》（{doc.doc_id}）",
           {"doc_id": doc.doc_id, "status": args.status, "note": args.note or ""})
    if args.json:
        print_json({"document": doc.to_dict()})
    else:
        err(f"已将《{doc.title}》标为{args.status}" + (f"（{args.note}）" if args.note else "") + "。")
    return 0


def cmd_kb_show(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.retrieval.knowledge import KnowledgeBase

    with KnowledgeBase.open(settings, read_only=True) as kb:
        view = kb.document(args.doc_id, article=args.article)
    if args.article and view.focus is None:
        raise KnowledgeBaseError(f"《{view.record.title}》中没有“{args.article}”。")
    if args.json:
        print_json(view.to_dict())
        return 0
    print("\n".join(view.heading_lines()))
    for warning in view.record.warnings:
        err(f"注意：{warning}")
    print("\n结构：")
    for part in view.outline():
        articles = part["articles"]
        span = f"{articles[0]}—{articles[-1]}" if len(articles) > 1 else "".join(articles)
        print(f"  {part['heading'] or '（正文）'}  {span}".rstrip())
    print()
    heading = None
    for block in view.blocks:
        path = " › ".join(block.path)
        if path != heading and path:
            print(f"\n{path}")
        heading = path
        label = f"{block.article}　" if block.article else ""
        mark = MARK if view.focus and block.article == view.focus else ""
        print(f"{mark}{label}{block.text}")
    return 0


def print_search(result, explain: bool) -> None:
    """Hits as the command line shows them: label with 文号 and status, scores, the passage (sentences marked)."""
    if not result.hits:
        print("知识库中未找到相关内容。")
    for i, hit in enumerate(result.hits, 1):
        print(f"[{i}] {hit.citation_label()}  (得分 {hit.score:.4f})")  # the label says 该文件已废止/已修订
        text = hit.chunk.text
        if explain:
            lexical = "—" if hit.lexical_rank is None else f"第{hit.lexical_rank}位 {hit.lexical_score:.3f}"
            dense = "—" if hit.dense_rank is None else f"第{hit.dense_rank}位 {hit.dense_score:.3f}"
            print(f"    关键词 {lexical}；语义 {dense}；融合 {hit.fused_score:.5f}；覆盖 {hit.coverage:.0%}")
            for sentence in hit.sentences:
                text = text.replace(sentence, f"【{sentence}】", 1)
            print("    " + text.replace("\n", "\n    "))
        else:
            print(f"    {text[:200]}")
    filters = "，".join(f"{k}={v}" for k, v in result.filters.items())
    err(f"检索模式：{result.mode}" + (f"；筛选：{filters}" if filters else ""))


def print_documents(docs) -> None:
    """`kb list` for people: one line a document with its status and 文号, then what could not be read."""
    for d in docs:
        meta = d.to_dict()["meta"]
        number = f"  {meta['doc_number']}" if meta.get("doc_number") else ""
        print(f"{d.doc_id}  {d.doc_type:<8} {d.chunks:>4}块  {meta['status']}  {d.title}{number}  "
              f"({Path(d.source).name})")
        dates = "，".join(f"{LABELS[k]} {meta[k]}" for k in ("promulgated", "effective", "last_amended") if meta.get(k))
        if dates:
            print(f"    {dates}")
        for warning in d.warnings:
            print(f"    警告：{warning}")
    err(f"共 {len(docs)} 篇文档，{sum(d.chunks for d in docs)} 个片段。")
