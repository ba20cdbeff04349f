"""Dense embeddings from a sentence-transformers model, loaded lazily and once, never downloaded at run time.

Default model BAAI/bge-small-zh-v1.5 (GREENLEAF_EMBED_MODEL: a hub id already in the local cache, or a local
folder; "none" disables). When it cannot be loaded GreenLeaf says so, in Chinese and English, once per home folder
(a marker file remembers it; `greenleaf doctor` always shows it), and runs lexical-only. bge models get their
retrieval instruction on queries only.

Backends (GREENLEAF_EMBED_BACKEND): `torch` is sentence-transformers itself; `onnx` and `openvino` run the model's
own float graph, exported once by onnx_export.py, on onnxruntime or OpenVINO, without importing torch: the same
vectors as torch, queries on one thread beside the BM25 scoring. `onnx-int8` embeds queries through the export's
int8 form: about 3 ms faster per query on 2 cores, cosine ≥ 0.99 with torch, but it lost 2 of 141 gold questions
with the test model (docs/PERFORMANCE.md), so it is asked for, not chosen. `auto` (default) takes the first of
onnx, openvino, torch that loads; a fallback is announced like a missing model. Query vectors are remembered (LRU),
so a repeated question costs no model call.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Callable, Protocol

import numpy as np

from assistant.retrieval.onnx_export import TOKEN_INPUTS

BGE_ZH_QUERY_INSTRUCTION = "为这个句子生成表示以用于检索相关文章："
NOTICE_MARKER = "embedding-notice-shown"  # in the home folder; holds the model name whose absence was announced
BACKEND_NOTICE_MARKER = "embedding-backend-notice-shown"  # holds "model|wanted|used" of the announced fallback
BACKENDS = ("auto", "torch", "onnx", "onnx-int8", "openvino")
FAST_BACKENDS = ("onnx", "openvino")  # in the order `auto` tries them: fastest first (docs/PERFORMANCE.md)
QUERY_CACHE_SIZE = 1024


class Embedder(Protocol):
    name: str
    backend: str

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class QueryVectors:
    """The last `size` query vectors by text, least recently used dropped first; safe across threads."""

    def __init__(self, size: int = QUERY_CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, text: str, make: Callable[[str], np.ndarray]) -> list[float]:
        with self._lock:
            vector = self._items.get(text)
            if vector is not None:
                self._items.move_to_end(text)
                self.hits += 1
                return vector.tolist()  # a fresh list each time: a caller may change it
        vector = make(text)  # outside the lock: a slow model call must not hold up cache hits
        with self._lock:
            self.misses += 1
            self._items[text] = vector
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return vector.tolist()

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0


class SentenceTransformerEmbedder:
    """The torch backend: a sentence-transformers model from a local folder or the local Hugging Face cache."""

    backend = "torch"

    def __init__(self, model: str, device: str = "cpu", batch_size: int = 32) -> None:
        from sentence_transformers import SentenceTransformer

        local = Path(model).expanduser()
        source = str(local) if local.exists() else model
        self._model = SentenceTransformer(source, device=device, local_files_only=True)
        self.name = model
        self.batch_size = batch_size
        self.query_instruction = query_instruction(model)
        self.queries = QueryVectors()
        self._lock = threading.Lock()  # torch inference from several UI threads at once gains nothing on 2 cores

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            vectors = self._model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                         show_progress_bar=False, convert_to_numpy=True)
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.queries.get(self.query_instruction + text, self._embed_query)

    def _embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            return self._model.encode([text], normalize_embeddings=True, show_progress_bar=False,
                                      convert_to_numpy=True)[0]


class OnnxEmbedder:
    """The `onnx`, `onnx-int8` and `openvino` backends: the model's exported graph (onnx_export.py), without torch.

    Queries run one at a time on one thread (the other core scores BM25 meanwhile), through the float graph, or for
    `onnx-int8` the int8 one when the export kept it (OpenVINO ran the int8 graph slower than the float one).
    Documents run in length-sorted batches through the float graph on every core, so stored vectors match torch's.
    Batches are small (8): onnxruntime keeps the largest batch's activations in its memory arena, and 32 chunks of
    256 tokens held 850 MB where 8 hold 450 MB, at the same throughput on 2 cores.
    """

    def __init__(self, model: str, export_dir: Path, record: dict, backend: str = "onnx",
                 batch_size: int = 8) -> None:
        from tokenizers import Tokenizer

        self.name = model
        self.backend = backend
        self.batch_size = batch_size
        self.query_instruction = query_instruction(model)
        self.queries = QueryVectors()
        self.export_dir = export_dir
        self.record = record
        self._inputs = record["inputs"]
        self._tokenizer = Tokenizer.from_file(str(export_dir / "tokenizer.json"))
        query_file = record["int8"] if backend == "onnx-int8" and record.get("int8") else record["fp32"]
        self.query_graph = "int8" if query_file == record.get("int8") else "float"
        self._query_run = _runner(backend, export_dir / query_file, threads=1)
        self._document_run: Callable | None = None  # made on first use: a search-only process never loads it
        self._lock = threading.Lock()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            if self._document_run is None:
                self._document_run = _runner(self.backend, self.export_dir / self.record["fp32"],
                                             threads=os.cpu_count() or 1)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))  # similar lengths pad little
        out = np.empty((len(texts), self.record["dimension"]), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            rows = order[start:start + self.batch_size]
            out[rows] = self._run(self._document_run, [texts[i] for i in rows])
        return out.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.queries.get(self.query_instruction + text, lambda t: self._run(self._query_run, [t])[0])

    def _run(self, run: Callable, texts: list[str]) -> np.ndarray:
        encoded = self._tokenizer.encode_batch(texts)
        feed = {name: np.array([getattr(e, TOKEN_INPUTS[name]) for e in encoded], dtype=np.int64)
                for name in self._inputs}
        vectors = np.asarray(run(feed), dtype=np.float32)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def _runner(backend: str, path: Path, threads: int) -> Callable[[dict], np.ndarray]:
    """A function feed -> sentence embeddings over the graph at `path`, on `threads` threads."""
    lock = threading.Lock()
    if backend == "openvino":
        import openvino

        compiled = openvino.Core().compile_model(str(path), "CPU", {"INFERENCE_NUM_THREADS": threads,
                                                                    "PERFORMANCE_HINT": "LATENCY"})
        output = compiled.output(0)

        def run(feed: dict) -> np.ndarray:
            with lock:  # a compiled model's implicit infer request serves one call at a time
                return compiled(feed)[output]
        return run
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    return lambda feed: session.run(None, feed)[0]


def query_instruction(model: str) -> str:
    lowered = model.lower()
    return BGE_ZH_QUERY_INSTRUCTION if "bge" in lowered and "zh" in lowered else ""


def load_embedder(model: str | None, device: str = "cpu", backend: str = "auto",
                  home_models: Path | None = None) -> tuple[Embedder | None, str | None, str | None]:
    """Try to load `model` with `backend`: (embedder, None, fallback notice or None), or (None, a bilingual reason,
    None). `home_models` is where exports go when the model's own folder is not writable."""
    if not model:
        return None, "已按配置关闭向量检索（GREENLEAF_EMBED_MODEL=none），仅使用关键词检索。", None
    try:
        path = locate_model(model)[0]
        if path is None:
            raise FileNotFoundError(model)  # say so without importing torch
    except Exception as error:  # noqa: BLE001 - any lookup failure means: run lexical-only, and say why
        return None, missing_model_notice(model, type(error).__name__), None
    if backend == "auto":
        tries = FAST_BACKENDS if device == "cpu" else ()  # on a GPU, torch is the fast one
    else:
        tries = (backend, *(b for b in FAST_BACKENDS if b != backend)) if backend != "torch" else ()
    reasons = []
    for name in tries:
        try:
            embedder = _load_exported(model, path, name, home_models)
        except Exception as error:  # noqa: BLE001 - any failure means: try the next backend, and say why
            reasons.append(f"{name}: {type(error).__name__}: {error}")
            continue
        wanted = backend if backend != "auto" else name
        return embedder, None, backend_fallback_notice(model, wanted, name, reasons) if name != wanted else None
    try:
        embedder = SentenceTransformerEmbedder(model, device)
    except Exception as error:  # noqa: BLE001 - any load failure means: run lexical-only, and say why
        return None, missing_model_notice(model, type(error).__name__), None
    wanted = "onnx" if backend == "auto" else backend
    notice = backend_fallback_notice(model, wanted, "torch", reasons) if reasons else None
    return embedder, None, notice


def _load_exported(model: str, path: Path, backend: str, home_models: Path | None) -> OnnxEmbedder:
    from assistant.retrieval.onnx_export import ExportFailed, ensure_export, export_dir_for

    if backend not in FAST_BACKENDS + ("onnx-int8",):
        raise ValueError(f"unknown embedding backend {backend!r}")
    if backend == "openvino":
        import openvino  # noqa: F401 - fail before exporting when the runtime is not installed
    else:
        import onnxruntime  # noqa: F401
    export_dir = export_dir_for(path, home_models)
    if export_dir is None:
        raise ExportFailed(f"{path} is not writable and there is no home folder for the export")
    return OnnxEmbedder(model, export_dir, ensure_export(path, export_dir), backend)


def missing_model_notice(model: str, reason: str) -> str:
    """The bilingual notice for a model that cannot be loaded, with what to do about it."""
    return (
        f"未能加载嵌入模型“{model}”，本次仅使用关键词（BM25）检索。安装方法：在可联网的机器上下载该模型"
        f"（如 huggingface-cli download {model}），把模型文件夹复制到本机，再设置 GREENLEAF_EMBED_MODEL=模型文件夹路径。\n"
        f"Could not load embedding model '{model}' ({reason}); running lexical-only. "
        f"Download it on a connected machine, copy the folder here and set GREENLEAF_EMBED_MODEL to its path."
    )


def backend_fallback_notice(model: str, wanted: str, used: str, reasons: list[str]) -> str:
    """The bilingual notice for a model that loaded, but not with the backend asked for (or the fastest one)."""
    why = "; ".join(reasons) or "unknown"
    return (
        f"嵌入模型“{model}”未能使用 {wanted} 后端，已改用 {used}（检索结果相同，查询向量计算较慢、内存占用较多）。"
        f"可运行 greenleaf doctor 查看原因，或设置 GREENLEAF_EMBED_BACKEND=torch 不再尝试。\n"
        f"Embedding model '{model}': the {wanted} backend did not load ({why}); using {used} instead "
        f"(same results, slower query embedding, more memory). Set GREENLEAF_EMBED_BACKEND=torch to stop trying."
    )


def locate_model(model: str) -> tuple[Path | None, Path | None]:
    """(the model's folder or None, where it was looked for): a local folder, else the Hugging Face hub cache."""
    local = Path(model).expanduser()
    if local.exists():
        return local.resolve(), local.resolve()
    if local.is_absolute() or model.startswith((".", "~")):
        return None, local.absolute()  # a folder that is not there, not a hub id
    try:
        from huggingface_hub import constants, try_to_load_from_cache
    except ImportError:
        return None, None
    try:
        found = try_to_load_from_cache(model, "config.json")
    except ValueError:  # not a valid hub id either
        found = None
    return (Path(found).parent if isinstance(found, str) else None), Path(constants.HF_HUB_CACHE)


class LazyEmbedder:
    """Loads the model on first use, once; reports a load failure or a backend fallback on stderr, once per
    `notice_marker` file (the home folder's) and model, or every time when there is no marker."""

    def __init__(self, model: str | None, device: str = "cpu", notice_marker: Path | None = None,
                 backend: str = "auto", home_models: Path | None = None) -> None:
        self.model = model
        self.device = device
        self.notice_marker = notice_marker
        self.backend = backend
        self.home_models = home_models
        self._loaded = False
        self._embedder: Embedder | None = None
        self.problem: str | None = None  # why there is no embedder
        self.notice: str | None = None  # why the embedder is not on the backend asked for
        self._lock = threading.Lock()

    @classmethod
    def of(cls, embedder: Embedder | None) -> "LazyEmbedder":
        """A holder of an embedder that is already loaded (or of none)."""
        holder = cls(getattr(embedder, "name", None))
        holder._embedder, holder._loaded = embedder, True
        return holder

    def get(self) -> Embedder | None:
        with self._lock:
            if not self._loaded:
                self._embedder, self.problem, self.notice = load_embedder(self.model, self.device, self.backend,
                                                                          self.home_models)
                self._loaded = True
                if self.problem and self.model and self._first_notice(NOTICE_MARKER, self.model):
                    print(self.problem, file=sys.stderr)
                elif self._embedder is not None:
                    self._forget(NOTICE_MARKER)  # should the model go missing again, say so again
                    if self.notice is None:
                        self._forget(BACKEND_NOTICE_MARKER)
                    elif self._first_notice(BACKEND_NOTICE_MARKER, f"{self.model}|{self.backend}|"
                                                                   f"{self._embedder.backend}"):
                        print(self.notice, file=sys.stderr)
        return self._embedder

    def _marker(self, name: str) -> Path | None:
        """The marker file for a notice: `notice_marker` itself for a missing model, a sibling for a fallback."""
        if self.notice_marker is None or name == NOTICE_MARKER:
            return self.notice_marker
        return self.notice_marker.with_name(name)

    def _forget(self, name: str) -> None:
        marker = self._marker(name)
        if marker is not None:
            with contextlib.suppress(OSError):
                marker.unlink(missing_ok=True)

    def _first_notice(self, name: str, key: str) -> bool:
        """True unless this home folder was already told `key` (and remembers it now)."""
        marker = self._marker(name)
        if marker is None:
            return True
        try:
            if marker.read_text(encoding="utf-8") == key:
                return False
        except OSError:
            pass
        try:
            marker.write_text(key, encoding="utf-8")
        except OSError:
            pass  # a home we cannot write to: better the notice every time than never
        return True

    @property
    def loaded(self) -> bool:
        return self._loaded
