"""Dense embeddings with sentence-transformers, loaded lazily and once, never downloaded at run time.

Default model BAAI/bge-small-zh-v1.5 (GREENLEAF_EMBED_MODEL: a hub id already in the local cache, or a local
folder; "none" disables). When it cannot be loaded GreenLeaf says so, in Chinese and English, once per home folder
(a marker file remembers it; `greenleaf doctor` always shows it), and runs lexical-only. bge models get their
retrieval instruction on queries only.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from pathlib import Path
from typing import Protocol

BGE_ZH_QUERY_INSTRUCTION = "为这个句子生成表示以用于检索相关文章："
NOTICE_MARKER = "embedding-notice-shown"  # in the home folder; holds the model name whose absence was announced


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
        if locate_model(model)[0] is None:
            raise FileNotFoundError(model)  # say so without importing torch
        return SentenceTransformerEmbedder(model, device), None
    except Exception as error:  # noqa: BLE001 - any load failure means: run lexical-only, and say why
        return None, missing_model_notice(model, type(error).__name__)


def missing_model_notice(model: str, reason: str) -> str:
    """The bilingual notice for a model that cannot be loaded, with what to do about it."""
    return (
        f"未能加载嵌入模型“{model}”，本次仅使用关键词（BM25）检索。安装方法：在可联网的机器上下载该模型"
        f"（如 huggingface-cli download {model}），把模型文件夹复制到本机，再设置 GREENLEAF_EMBED_MODEL=模型文件夹路径。\n"
        f"Could not load embedding model '{model}' ({reason}); running lexical-only. "
        f"Download it on a connected machine, copy the folder here and set GREENLEAF_EMBED_MODEL to its path."
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
    """Loads the model on first use, once; reports a load failure on stderr, once per `notice_marker` file (the
    home folder's) and model, or every time when there is no marker."""

    def __init__(self, model: str | None, device: str = "cpu", notice_marker: Path | None = None) -> None:
        self.model = model
        self.device = device
        self.notice_marker = notice_marker
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
                if self.problem and self.model and self._first_notice():
                    print(self.problem, file=sys.stderr)
                elif self._embedder is not None and self.notice_marker is not None:
                    with contextlib.suppress(OSError):  # should the model go missing again, say so again
                        self.notice_marker.unlink(missing_ok=True)
        return self._embedder

    def _first_notice(self) -> bool:
        """True unless this home folder was already told that this model is missing (and remembers it now)."""
        if self.notice_marker is None:
            return True
        try:
            if self.notice_marker.read_text(encoding="utf-8") == self.model:
                return False
        except OSError:
            pass
        try:
            self.notice_marker.write_text(self.model or "", encoding="utf-8")
        except OSError:
            pass  # a home we cannot write to: better the notice every time than never
        return True

    @property
    def loaded(self) -> bool:
        return self._loaded
