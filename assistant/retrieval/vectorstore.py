"""The dense index: one Chroma collection (cosine space), embedded or on a Chroma server.

`open_vector_store` is the one place that picks PersistentClient (default, in the home folder) or HttpClient
(GREENLEAF_CHROMA_URL). Collections are named per embedding model so vectors of two models never mix.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import urlparse

from assistant.errors import KnowledgeBaseError


class VectorStore:
    """A thin wrapper over a Chroma collection: add, delete, query, ids."""

    def __init__(self, client, collection_name: str) -> None:
        self._client = client
        self._name = collection_name
        self._collection = client.get_or_create_collection(
            collection_name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
        )
        try:
            self._max_batch = int(client.get_max_batch_size())
        except Exception:  # noqa: BLE001 - older servers do not report it
            self._max_batch = 1000

    def add(self, ids: list[str], embeddings: list[list[float]], metadatas: list[dict]) -> None:
        """Upsert vectors with their filter metadata. Texts stay in SQLite (manifest.py), not here twice."""
        step = max(1, min(self._max_batch, 2000))
        for start in range(0, len(ids), step):
            end = start + step
            self._collection.upsert(ids=ids[start:end], embeddings=embeddings[start:end],
                                    metadatas=metadatas[start:end])

    def delete(self, ids: list[str]) -> None:
        step = max(1, min(self._max_batch, 2000))
        for start in range(0, len(ids), step):
            self._collection.delete(ids=ids[start:start + step])

    def query(self, embedding: list[float], k: int, doc_type: str | None = None) -> list[tuple[str, float]]:
        """Nearest chunks as (chunk_id, cosine similarity), best first. Chroma 1.x returns fewer than `k` (or none)
        by itself, so the collection is not counted first: at 100k vectors count() took 11 of a query's 13 ms."""
        where = {"doc_type": doc_type} if doc_type else None
        try:
            result = self._collection.query(query_embeddings=[embedding], n_results=k, where=where,
                                            include=["distances"])
        except Exception:  # noqa: BLE001 - a server that refuses k above its count: ask again within it
            count = self._collection.count()
            if count == 0:
                return []
            result = self._collection.query(query_embeddings=[embedding], n_results=min(k, count), where=where,
                                            include=["distances"])
        return [(cid, 1.0 - float(d)) for cid, d in zip(result["ids"][0], result["distances"][0])]

    def ids(self) -> set[str]:
        out: set[str] = set()
        offset, page = 0, 5000
        while True:
            batch = self._collection.get(include=[], limit=page, offset=offset)["ids"]
            out.update(batch)
            if len(batch) < page:
                return out
            offset += page

    def count(self) -> int:
        return self._collection.count()

    def reset(self) -> None:
        self._client.delete_collection(self._name)
        self._collection = self._client.get_or_create_collection(
            self._name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
        )


def collection_name(model: str) -> str:
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", Path(model).name).strip("-").lower()[:40] or "model"
    return f"greenleaf-{slug}-{hashlib.sha1(model.encode()).hexdigest()[:6]}"


def open_vector_store(home: Path, chroma_url: str | None, model: str) -> VectorStore:
    """Embedded Chroma in `home/chroma`, or a Chroma server when `chroma_url` is set."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if chroma_url:
            url = urlparse(chroma_url)
            if not url.hostname:
                raise KnowledgeBaseError(f"GREENLEAF_CHROMA_URL“{chroma_url}”不是有效地址，应形如 http://127.0.0.1:8000。")
            client = chromadb.HttpClient(host=url.hostname, port=url.port or (443 if url.scheme == "https" else 8000),
                                         ssl=url.scheme == "https", settings=chroma_settings)
        else:
            client = chromadb.PersistentClient(path=str(home / "chroma"), settings=chroma_settings)
        return VectorStore(client, collection_name(model))
    except KnowledgeBaseError:
        raise
    except Exception as error:  # noqa: BLE001 - connection and storage errors from chromadb vary by version
        where = chroma_url or str(home / "chroma")
        raise KnowledgeBaseError(f"无法打开向量库（{where}）：{type(error).__name__}: {error}") from None
