"""The starter knowledge base: front matter, size, article documents chunking one article per chunk, glossary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from assistant.ingest.chunking import chunk_document
from assistant.config import REPO_ROOT
from assistant.ingest.documents import DOC_TYPES, parse_file
from assistant.retrieval.glossary import Glossary
from assistant.retrieval.lexical import Tokenizer

CORPUS = REPO_ROOT / "corpus"
DOCS = sorted(p for p in CORPUS.rglob("*.md") if p.parent != CORPUS / "data" or p.name == "README.md")
FOLDER_TYPES = {"policies": "policy", "standards": "standard", "cases": "case", "campaigns": "campaign",
                "guides": "guide", "programmes": "guide", "data": "data"}
_ARTICLE_LINE = re.compile(r"^第[一二三四五六七八九十百]+条[\u3000 ]", re.M)


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    assert match, f"{path.name}: no front matter"
    return yaml.safe_load(match.group(1))


def test_corpus_is_large_enough() -> None:
    assert len(DOCS) >= 30
    chinese = sum(len(re.findall(r"[\u4e00-\u9fff]", p.read_text(encoding="utf-8"))) for p in DOCS)
    assert chinese >= 60000


@pytest.mark.parametrize("path", DOCS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_front_matter_is_complete_and_typed_by_folder(path: Path) -> None:
    meta = _front_matter(path)
    assert set(meta) >= {"title", "doc_type", "issuer", "doc_number", "date"}
    assert meta["doc_type"] in DOC_TYPES
    assert meta["doc_type"] == FOLDER_TYPES[path.parent.name]
    assert str(meta["title"]).strip()
    if meta["date"]:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(meta["date"]))
    doc = parse_file(path)
    assert doc.title == str(meta["title"]).strip() and doc.doc_type == meta["doc_type"]


ARTICLE_DOCS = [p for p in DOCS if len(_ARTICLE_LINE.findall(p.read_text(encoding="utf-8"))) >= 5]


@pytest.mark.parametrize("path", ARTICLE_DOCS, ids=lambda p: p.name)
def test_article_documents_chunk_one_article_per_chunk(path: Path) -> None:
    doc = parse_file(path)
    chunks = chunk_document(doc, "d", doc.doc_type or "policy", max_chars=400, overlap=60)
    labels = [m.group(0).strip().rstrip("\u3000") for m in _ARTICLE_LINE.finditer(doc.text)]
    article_chunks = [c for c in chunks if c.article]
    # Every article found in the text has its own chunk(s), and no chunk holds two articles' labels.
    assert [c.article for c in article_chunks if c.text.startswith(c.article)] == labels
    for chunk in article_chunks:
        assert len(_ARTICLE_LINE.findall(chunk.text)) <= 1, chunk.text[:60]


def test_regulation_has_all_43_articles() -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in DOCS if "公共机构节能条例" in str(_front_matter(p)["title"]))
    labels = set(re.findall(r"^(第[一二三四五六七八九十]+条)[\u3000 ]", text, re.M))
    assert len(labels) == 43


def test_glossary_loads_and_expands_queries() -> None:
    glossary = Glossary.load(CORPUS / "glossary.tsv")
    assert len(glossary.entries) >= 150
    terms = [e.term for e in glossary.entries]
    assert len(terms) == len(set(terms))
    assert "合同能源管理" in glossary.expansions("EMC项目怎么验收")
    assert "吨标准煤" in glossary.expansions("折合多少tce")
    tokenizer = Tokenizer(glossary)
    assert "能源费用托管" in tokenizer.tokens("公共机构推行能源费用托管服务")  # a glossary word stays whole
