"""`python -m evals.chunk_size [--sizes 200,300,400,600,800] [--dense]`: how chunk length trades retrieval
quality on the gold set against embedding cost. Prints one row per size; docs/PERFORMANCE.md quotes it.

Quality is lexical (the dense test model is English-only); cost is the number of chunks and characters the
embedder must encode, and with --dense the measured time of the small test model over the starter corpus.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from assistant.config import Settings
from assistant.retrieval.embeddings import LazyEmbedder
from assistant.retrieval.knowledge import KnowledgeBase
from evals.quality import build_corpus, kb_searcher, load_gold, load_test_embedder, score_retrieval


def measure(size: int, dense: bool, workdir: Path) -> dict:
    corpus = workdir / "corpus"
    if not corpus.exists():
        build_corpus(corpus)
    settings = replace(Settings.from_env({}), home=workdir / f"home-{size}", embed_model=None,
                       chunk_chars=size, chunk_overlap=min(60, size // 5))
    with KnowledgeBase.open(settings, embedder=LazyEmbedder(None)) as kb:
        report = kb.ingest([corpus])
        texts = [c.index_text for c in kb.manifest.iter_chunks()]
        quality = score_retrieval(load_gold("retrieval"), kb_searcher(kb, corpus))
    row = {"size": size, "chunks": report.chunks, "chars": sum(len(t) for t in texts),
           "mean_chars": round(sum(len(t) for t in texts) / max(1, len(texts))),
           "recall@1": quality["recall@1"], "recall@5": quality["recall@5"], "mrr": quality["mrr"],
           "article_accuracy": quality["article_accuracy"]}
    if dense:
        embedder, _ = load_test_embedder()
        if embedder is not None:
            start = time.perf_counter()
            embedder.embed_documents(texts)
            row["embed_s"] = round(time.perf_counter() - start, 1)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.chunk_size")
    parser.add_argument("--sizes", default="200,300,400,600,800")
    parser.add_argument("--dense", action="store_true", help="also time the small test model over every chunk")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="greenleaf-chunks-"))
    try:
        rows = [measure(int(s), args.dense, workdir) for s in args.sizes.split(",")]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    head = ["size", "chunks", "mean chars", "chars embedded", "R@1", "R@5", "MRR", "article"] + (
        ["embed s (test model)"] if args.dense else [])
    print(" | ".join(head))
    print(" | ".join("---" for _ in head))
    for r in rows:
        cells = [r["size"], r["chunks"], r["mean_chars"], r["chars"], f"{r['recall@1']:.3f}", f"{r['recall@5']:.3f}",
                 f"{r['mrr']:.3f}", f"{r['article_accuracy']:.3f}"] + ([r.get("embed_s", "—")] if args.dense else [])
        print(" | ".join(str(c) for c in cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
