"""Dense embeddings with sentence-transformers, loaded lazily and once, never downloaded at run time.

Default model BAAI/bge-small-zh-v1.5 (GREENLEAF_EMBED_MODEL: a hub id already in the local cache, or a local
folder; "none" disables). When it cannot be loaded GreenLeaf says so once, in Chinese and English, and runs
lexical-only. bge models get their retrieval instruction on queries only.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Protocol

BGE_ZH_QUERY_INSTRUCTION = "为这个句子生成表示以用于检索相关文章："


class Embedder(Protocol):
    name: str

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local folder or the local Hugging Face cache."""

    def __init__(self, model: str, device: str = "cpu", batch_size: int = 32) -> None:
        from sentence_transformers import SentenceTransformer

        local = Path(model).expanduser()
        source = str(local) if local.exists() else model
        self._model = SentenceTransformer(source, device=device, local_files_only=True)
        self.name = model
        self.batch_size = batch_size
        lowered = model.lower()
        self.query_instruction = BGE_ZH_QUERY_INSTRUCTION if "bge" in lowered and "zh" in lowered else ""
        self._lock = threading.Lock()  # torch inference from several UI threads at once gains nothing on 2 cores

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            vectors = self._model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                         show_progress_bar=False, convert_to_numpy=True)
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            vector = self._model.encode([self.query_instruction + text], normalize_embeddings=True,
                                        show_progress_bar=False, convert_to_numpy=True)
        return vector[0].tolist()


def load_embedder(model: str | None, device: str = "cpu") -> tuple[Embedder | None, str | None]:
    """Try to load `model`; return (embedder, None) or (None, a bilingual reason)."""
    if not model:
        return None, "已按配置关闭向量检索（GREENLEAF_EMBED_MODEL=none），仅使用关键词检索。"
    try:
        if not Path(model).expanduser().exists() and not _in_hub_cache(model):
            raise FileNotFoundError(model)  # say so without importing torch
        return SentenceTransformerEmbedder(model, device), None
    except Exception as error:  # noqa: BLE001 - any load failure means: run lexical-only, and say why
        return None, (
            f"未能加载嵌入模型“{model}”，本次仅使用关键词（BM25）检索。安装方法：在可联网的机器上下载该模型"
            f"（如 huggingface-cli download {model}），把模型文件夹复制到本机，再设置 GREENLEAF_EMBED_MODEL=模型文件夹路径。\n"
            f"Could not load embedding model '{model}' ({type(error).__name__}); running lexical-only. "
            f"Download it on a connected machine, copy the folder here and set GREENLEAF_EMBED_MODEL to its path."
        )


def _in_hub_cache(model: str) -> bool:
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return False
    found = try_to_load_from_cache(model, "config.json")
    return isinstance(found, str)


class LazyEmbedder:
    """Loads the model on first use, once; reports a load failure once on stderr."""

    def __init__(self, model: str | None, device: str = "cpu") -> None:
        self.model = model
        self.device = device
        self._loaded = False
        self._embedder: Embedder | None = None
        self.problem: str | None = None
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
                self._embedder, self.problem = load_embedder(self.model, self.device)
                self._loaded = True
                if self.problem and self.model:
                    print(self.problem, file=sys.stderr)
        return self._embedder

    @property
    def loaded(self) -> bool:
        return self._loaded
