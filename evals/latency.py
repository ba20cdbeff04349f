"""`python -m evals.latency --home DIR [--model PATH] [--rounds 20]`: search latency on an existing knowledge base.

Ten typical staff questions, `rounds` times each, through `KnowledgeBase.search` (read-only); prints p50/p95.
Without --model the search is lexical; with a sentence-transformers folder it is hybrid.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace
from pathlib import Path

from assistant.config import Settings
from assistant.retrieval.embeddings import LazyEmbedder, SentenceTransformerEmbedder
from assistant.retrieval.knowledge import KnowledgeBase

QUESTIONS = ["公共机构每年什么时候报送能耗报告", "条例第十五条讲什么", "什么是能源费用托管", "合同能源管理有哪几种类型",
             "2024年节能宣传周的主题", "电力折标准煤系数", "用能人数怎么统计", "舟山行政中心托管改造节电", "节水型机关评分",
             "十四五单位面积能耗下降目标"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.latency")
    parser.add_argument("--home", required=True, type=Path)
    parser.add_argument("--model", help="sentence-transformers model folder (hybrid); omit for lexical")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args(argv)
    settings = replace(Settings.from_env({}), home=args.home)
    embedder = SentenceTransformerEmbedder(args.model) if args.model else LazyEmbedder(None)
    with KnowledgeBase.open(settings, read_only=True, embedder=embedder) as kb:
        kb.search("预热", k=5)
        times = []
        for _ in range(args.rounds):
            for question in QUESTIONS:
                start = time.perf_counter()
                kb.search(question, k=5)
                times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(f"mode={kb.mode} searches={len(times)} p50={statistics.median(times):.2f} ms "
              f"p95={times[int(0.95 * len(times))]:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
