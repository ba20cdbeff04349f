"""KnowledgeBase: ingest, remove, rebuild and hybrid search over one home folder.

SQLite (manifest.py) holds documents and chunks and is the source of truth; the BM25 index (lexical.py) and
the Chroma collection (vectorstore.py) are derived from it and repaired on open when an earlier run stopped
halfway. One process writes at a time (a file lock); any number may read.
"""

from __future__ import annotations

import hashlib
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
from filelock import FileLock, Timeout

from assistant.ingest.chunking import Chunk, chunk_document, citation_label, find_article
from assistant.config import Settings
from assistant.ingest.documents import SUPPORTED_SUFFIXES, Document
from assistant.retrieval.embeddings import NOTICE_MARKER, Embedder, LazyEmbedder
from assistant.errors import DocumentError, KnowledgeBaseError, QuestionError
from assistant.retrieval.colloquial import Lexicon
from assistant.retrieval.glossary import Glossary
from assistant.ingest.isolation import load_document
from assistant.retrieval.lexical import TOKENIZER_VERSION, LexicalIndex, Tokenizer
from assistant.retrieval.manifest import DocumentRecord, Manifest
from assistant.retrieval.vectorstore import VectorStore, collection_name, open_vector_store

Progress = Callable[[int, int, str], None]
RRF_K = 60
GENERAL_WORD_WEIGHT = 0.25  # a word that is not a topic word (verb, adverb, phrase) weighs this share of its IDF weight
EXPANSION_WEIGHT = 0.3  # weight of glossary-synonym matches relative to the question's own words
_FOLDER_TYPES = {"policies": "policy", "policy": "policy", "standards": "standard", "standard": "standard",
                 "cases": "case", "case": "case", "campaigns": "campaign", "campaign": "campaign",
                 "guides": "guide", "guide": "guide", "programmes": "guide", "programs": "guide", "data": "data"}


@dataclass(frozen=True)
class SearchHit:
    chunk: Chunk
    score: float
    lexical_score: float | None = None
    dense_score: float | None = None
    coverage: float = 0.0  # IDF-weighted share of the question's own terms found in the chunk (or its header)

    def citation_label(self) -> str:
        """《标题》第十五条（第3页）"""
        c = self.chunk
        return citation_label(c.title, c.article, c.page, c.heading_path[-1] if c.heading_path else None)

    def to_dict(self) -> dict:
        c = self.chunk
        return {"doc_id": c.doc_id, "title": c.title, "source": c.source, "page": c.page, "article": c.article,
                "text": c.text, "score": round(self.score, 6), "chunk_id": c.chunk_id, "doc_type": c.doc_type,
                "heading_path": list(c.heading_path), "ocr": c.ocr, "coverage": round(self.coverage, 3),
                "lexical_score": None if self.lexical_score is None else round(self.lexical_score, 4),
                "dense_score": None if self.dense_score is None else round(self.dense_score, 4)}


@dataclass(frozen=True)
class SearchResult:
    query: str
    mode: str  # hybrid | lexical | dense
    hits: list[SearchHit]

    def to_dict(self) -> dict:
        return {"query": self.query, "mode": self.mode, "results": [h.to_dict() for h in self.hits]}


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # unchanged, or the same content under another name
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, Chinese reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    chunks: int = 0
    mode: str = "lexical"

    def to_dict(self) -> dict:
        return {"added": self.added, "updated": self.updated, "skipped": self.skipped,
                "failed": [{"source": s, "error": e} for s, e in self.failed],
                "warnings": [{"source": s, "warning": w} for s, w in self.warnings],
                "chunks": self.chunks, "mode": self.mode}

    def summary(self) -> str:
        lines = [f"新增 {len(self.added)} 篇，更新 {len(self.updated)} 篇，跳过（未变化）{len(self.skipped)} 篇，"
                 f"失败 {len(self.failed)} 篇；共写入 {self.chunks} 个片段（检索模式：{self.mode}）。"]
        lines += [f"  警告 {s}：{w}" for s, w in self.warnings]
        lines += [f"  失败 {s}：{e}" for s, e in self.failed]
        return "\n".join(lines)


class KnowledgeBase:
    """One knowledge base in one home folder. Use `KnowledgeBase.open(settings)` as a context manager."""

    def __init__(self, settings: Settings, read_only: bool, embedder: Embedder | None | LazyEmbedder,
                 lock: FileLock | None) -> None:
        self.settings = settings
        self.read_only = read_only
        self._lock = lock
        self._mutex = threading.RLock()
        self.manifest = Manifest(settings.kb_db)
        self.glossary = Glossary.load(settings.corpus_dir / "glossary.tsv")
        self.colloquial = Lexicon.load(settings.corpus_dir / "colloquial.tsv")
        self.tokenizer = Tokenizer(self.glossary)
        self._embedder = embedder if isinstance(embedder, LazyEmbedder) else LazyEmbedder.of(embedder)
        self._vectors: VectorStore | None = None
        # (BM25 index, per-row doc_type/article/title arrays), swapped as one object so a search running
        # during an ingest always sees a matching pair without taking the write lock.
        self._snapshot: tuple[LexicalIndex | None, dict[str, np.ndarray]] = (None, {})
        self._title_cache: dict[str, set[str]] = {}
        self._executor: ThreadPoolExecutor | None = None
        self._check_glossary()
        self._load_lexical()

    @classmethod
    def open(cls, settings: Settings, read_only: bool = False,
             embedder: Embedder | None | LazyEmbedder = None) -> "KnowledgeBase":
        """Open (creating if needed) the knowledge base in `settings.home`.

        `embedder`: an Embedder to use, or None to load `settings.embed_model` lazily on first use.
        A writer takes the home folder's lock; a second writer gets a KnowledgeBaseError at once.
        """
        settings.home.mkdir(parents=True, exist_ok=True)
        lock = None
        if not read_only:
            lock = FileLock(str(settings.home / "write.lock"))
            try:
                lock.acquire(timeout=0)
            except Timeout:
                raise KnowledgeBaseError(
                    f"知识库（{settings.home}）正被另一个进程写入（例如正在运行的网页界面或另一个导入任务）。"
                    "请等它结束或关闭它后重试；只读的检索不受影响。"
                ) from None
        if embedder is None:
            embedder = LazyEmbedder(settings.embed_model, settings.embed_device,
                                    notice_marker=settings.home / NOTICE_MARKER)
        try:
            return cls(settings, read_only, embedder, lock)
        except BaseException:
            if lock is not None:
                lock.release()
            raise

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)
        self.manifest.close()
        if self._lock is not None and self._lock.is_locked:
            self._lock.release()

    def __enter__(self) -> "KnowledgeBase":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------ reading

    @property
    def mode(self) -> str:
        return "hybrid" if self.embedder() is not None else "lexical"

    def embedder(self) -> Embedder | None:
        """The dense model, loaded on first call; None when there is none (lexical-only)."""
        return self._embedder.get()

    @property
    def embedder_problem(self) -> str | None:
        return self._embedder.problem

    def documents(self) -> list[DocumentRecord]:
        return self.manifest.documents()

    def search(self, query: str, k: int = 5, doc_type: str | None = None) -> SearchResult:
        """Hybrid search: BM25 and dense rankings fused by reciprocal rank (k=60); lexical-only without a model."""
        query = (query or "").strip()
        if not query:
            raise QuestionError("请输入要检索的内容。")
        if len(query) > self.settings.max_question_chars:
            raise QuestionError(f"检索内容过长（{len(query)} 字），请精简到 {self.settings.max_question_chars} 字以内。")
        k = max(1, min(int(k), 100))
        pool = max(4 * k, 30)
        asked = query
        query = self.colloquial.normalise(query).text or query  # spoken forms and fillers → the documents' words
        embedder = self.embedder()
        # The query embedding (torch, which releases the GIL) runs beside the BM25 scoring.
        pending = self._dense_pool().submit(self._dense_ranking, query, doc_type, pool) if embedder else None
        lexical, article_first = self._lexical_ranking(query, doc_type, pool)
        dense = pending.result() if pending is not None else None
        mode = "hybrid" if dense is not None else "lexical"
        fused: dict[str, float] = {}
        for ranking in (lexical, dense or []):
            for rank, (chunk_id, _) in enumerate(ranking, start=1):
                fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank)
        order = sorted(fused, key=lambda cid: (article_first.get(cid, 0), -fused[cid]))
        lex_scores, dense_scores = dict(lexical), dict(dense or [])
        chunks = self.manifest.chunks(order[: 3 * k])
        tokens = self.manifest.tokens(list(chunks))
        weights = self.query_weights(query, normalised=True)
        hits: list[SearchHit] = []
        seen_text: set[str] = set()
        for cid in order:
            chunk = chunks.get(cid)
            if chunk is None or chunk.text in seen_text:
                continue  # a stale dense id, or the same passage stored twice
            seen_text.add(chunk.text)
            score = fused[cid] if mode == "hybrid" else lex_scores.get(cid, 0.0)
            coverage = _coverage(weights, tokens.get(cid, set()))
            hits.append(SearchHit(chunk, float(score), lex_scores.get(cid), dense_scores.get(cid), coverage))
            if len(hits) == k:
                break
        return SearchResult(asked, mode, hits)

    def query_weights(self, query: str, normalised: bool = False) -> dict[str, float]:
        """The terms of what the question is about, weighted so that a rare word (火星) counts more than a common
        one (能耗). Fillers and question words (请问, 什么时候, 能不能) are not topic and carry no weight.

        Each whole word weighs the mean IDF of its search tokens, shared among them, so "计算机" counts once
        (not again as "计算" and "算机") and an unseen compound of common words ("能耗报告") stays light.
        """
        index = self._snapshot[0]
        idf = (lambda t: index.idf(t)) if index is not None else (lambda t: 1.0)  # noqa: E731
        if not normalised:
            query = self.colloquial.normalise(query).text or query
        weights: dict[str, float] = {}
        df = index.df if index is not None else {}
        for word in dict.fromkeys(self.tokenizer.words(self.colloquial.topic(query))):
            parts = list(dict.fromkeys(self.tokenizer.tokens(word))) or [word]
            share = sum(idf(p) for p in parts) / len(parts) / len(parts)
            if not self.tokenizer.is_topical(word):
                share *= GENERAL_WORD_WEIGHT  # "搞", "来着", "说白了": how it is asked, not what about
            for part in parts:
                weights[part] = weights.get(part, 0.0) + share
        return weights

    def unseen_words(self, query: str) -> list[str]:
        """Content words of the question (nouns, verbs, names, numbers) that no passage contains at all: "奥运会",
        "IPMVP", "驾照". One such word means the knowledge base cannot answer: the question is about something
        it never mentions. Spoken words (说白了, 一共) are normalised or dropped by the colloquial lexicon first."""
        index = self._snapshot[0]
        if index is None or not index.df:
            return []
        query = self.colloquial.normalise(query).text or query
        out = []
        for word in dict.fromkeys(self.tokenizer.words(self.colloquial.topic(query))):
            parts = list(dict.fromkeys(self.tokenizer.tokens(word))) or [word]
            if self.tokenizer.is_content(word) and not any(index.df.get(p) for p in parts):
                out.append(word)
        return out

    def _lexical_ranking(self, query: str, doc_type: str | None,
                         pool: int) -> tuple[list[tuple[str, float]], dict[str, int]]:
        """BM25 ranking (raw scores), and the chunks of an article the question names, with their sort key."""
        index, rows_info = self._snapshot
        if index is None or not index.ids:
            return [], {}
        own = self.tokenizer.query_tokens(query, expand=False)
        extra = [t for t in self.tokenizer.query_tokens(query) if t not in own]
        # Glossary synonyms help recall but should not outweigh the words the user actually typed.
        scores = index.scores(own).astype(np.float64)
        if extra:
            scores += EXPANSION_WEIGHT * index.scores(extra)
        if doc_type:
            scores = np.where(rows_info["doc_type"] == doc_type, scores, 0.0)
        ranked = self._top(scores, pool)
        label = find_article(query)
        article_first: dict[str, int] = {}
        if label:
            # "条例第十五条讲什么": the named article comes first, the document the question names first of all.
            rows = np.flatnonzero(rows_info["article"] == label)
            if doc_type:
                rows = rows[rows_info["doc_type"][rows] == doc_type]
            q = set(self.tokenizer.query_tokens(query))
            for row in rows:
                overlap = len(q & self.title_terms(str(rows_info["title"][row])))
                article_first[index.ids[row]] = -1 - overlap
            listed = {i for i in ranked}
            ranked += [int(r) for r in rows if int(r) not in listed]
        return [(index.ids[i], float(scores[i])) for i in ranked], article_first

    @staticmethod
    def _top(scores: np.ndarray, pool: int) -> list[int]:
        top = np.flatnonzero(scores > 0)
        if len(top) > pool:
            top = top[np.argpartition(-scores[top], pool - 1)[:pool]]
        return [int(i) for i in top[np.argsort(-scores[top], kind="stable")]]

    def title_terms(self, title: str) -> set[str]:
        """Tokens of a document title plus those of its glossary synonyms (节能法 for 节约能源法), cached."""
        cache = self._title_cache
        if title not in cache:
            words = set(self.tokenizer.tokens(title))
            words.update(t for syn in self.glossary.expansions(title) for t in self.tokenizer.tokens(syn))
            cache[title] = words
        return cache[title]

    def _dense_pool(self) -> ThreadPoolExecutor:
        with self._mutex:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="greenleaf-dense")
            return self._executor

    def _dense_ranking(self, query: str, doc_type: str | None, pool: int) -> list[tuple[str, float]] | None:
        embedder = self.embedder()
        if embedder is None:
            return None
        store = self._vector_store(embedder)
        return store.query(embedder.embed_query(query), pool, doc_type)

    # ------------------------------------------------------------ writing

    def ingest(self, paths: list[Path], progress: Progress | None = None, doc_type: str | None = None,
               sources: list[str] | None = None) -> IngestReport:
        """Add files and folders. Unchanged files are skipped; a changed file replaces its old chunks.

        `sources` optionally names each path as it should be recorded (e.g. an upload's original name).
        """
        self._require_writer()
        report = IngestReport()
        files, problems = _collect(paths, sources)
        report.failed.extend(problems)
        embedder = self.embedder()
        report.mode = "hybrid" if embedder is not None else "lexical"
        with self._mutex:
            if embedder is not None:
                self._sync_dense(embedder)
            changed = False
            for i, (path, source) in enumerate(files, start=1):
                if progress:
                    progress(i - 1, len(files), path.name)
                try:
                    outcome = self._ingest_one(path, source, doc_type, embedder, report)
                except DocumentError as error:
                    report.failed.append((source, error.reason))
                    continue
                changed = changed or outcome
            if progress:
                progress(len(files), len(files), "")
            current = self._snapshot[0]
            if changed or current is None or current.generation != self.manifest.generation:
                self._rebuild_lexical(save=True)
        return report

    def remove(self, doc_id_or_source: str) -> list[DocumentRecord]:
        """Remove a document (by doc_id or source path) from the manifest and both indexes."""
        self._require_writer()
        with self._mutex:
            record = self.manifest.find(doc_id_or_source)
            if record is None:
                matches = [d for d in self.manifest.documents() if doc_id_or_source in (d.title, Path(d.source).name)]
                if len(matches) != 1:
                    raise KnowledgeBaseError(f"知识库中没有文档“{doc_id_or_source}”。可用 greenleaf kb list 查看 doc_id。")
                record = matches[0]
            old_ids = self.manifest.chunk_ids(record.doc_id)
            generation = self.manifest.delete(record.doc_id)
            self._dense_apply(old_ids, [], generation)
            self._rebuild_lexical(save=True)
        return [record]

    def rebuild(self, progress: Progress | None = None) -> dict:
        """Re-chunk every stored document with the current settings and re-create both indexes."""
        self._require_writer()
        with self._mutex:
            records = self.manifest.documents()
            embedder = self.embedder()
            if embedder is not None:
                self._vector_store(embedder).reset()
                self.manifest.set_meta(self._dense_key(embedder), "-1")
            total = 0
            for i, record in enumerate(records, start=1):
                if progress:
                    progress(i - 1, len(records), record.title)
                doc = self.manifest.stored_document(record.doc_id)
                chunks, tokens = self._prepare(doc, record.doc_id, record.doc_type)
                vectors = embedder.embed_documents([c.index_text for c in chunks]) if embedder and chunks else None
                self.manifest.replace(record.doc_id, doc, record.doc_type, chunks, tokens)
                if vectors is not None:
                    self._vector_store(embedder).add(*_vector_rows(chunks, vectors))
                total += len(chunks)
            if embedder is not None:
                self.manifest.set_meta(self._dense_key(embedder), str(self.manifest.generation))
            self.manifest.set_meta("glossary", self.glossary_digest())
            self._rebuild_lexical(save=True)
            if progress:
                progress(len(records), len(records), "")
        return {"documents": len(records), "chunks": total, "mode": self.mode}

    def ingest_starter_if_empty(self, progress: Progress | None = None) -> IngestReport | None:
        """Build the starter knowledge base from `settings.corpus_dir` on first start."""
        if self.manifest.documents() or not self.settings.corpus_dir.is_dir():
            return None
        return self.ingest([self.settings.corpus_dir], progress=progress)

    # ------------------------------------------------------------ internals

    def _ingest_one(self, path: Path, source: str, doc_type: str | None, embedder: Embedder | None,
                    report: IngestReport) -> bool:
        existing = self.manifest.find(source)
        sha = _sha256(path)
        if existing and existing.sha256 == sha:
            report.skipped.append(source)
            return False
        same = self.manifest.find_by_sha(sha)
        if same and same.source != source:
            report.skipped.append(source)
            report.warnings.append((source, f"内容与已导入的《{same.title}》相同，已跳过。"))
            return False
        doc = load_document(path, self.settings)
        doc = Document(source, doc.title, doc.sections, doc.sha256, doc.doc_type, doc.meta, doc.warnings, doc.ocr)
        kind = doc_type or doc.doc_type or _infer_doc_type(path, doc.title)
        doc_id = _doc_id(source)
        chunks, tokens = self._prepare(doc, doc_id, kind)
        if not chunks:
            raise DocumentError(source, "文件中没有可提取的正文。")
        vectors = embedder.embed_documents([c.index_text for c in chunks]) if embedder is not None else None
        old_ids = self.manifest.chunk_ids(doc_id)
        generation = self.manifest.replace(doc_id, doc, kind, chunks, tokens)
        if vectors is not None:
            self._dense_apply(old_ids, list(zip(chunks, vectors)), generation)
        (report.updated if existing else report.added).append(source)
        report.warnings.extend((source, w) for w in doc.warnings)
        report.chunks += len(chunks)
        return True

    def _prepare(self, doc: Document, doc_id: str, doc_type: str) -> tuple[list[Chunk], list[list[str]]]:
        chunks = chunk_document(doc, doc_id, doc_type, self.settings.chunk_chars, self.settings.chunk_overlap)
        return chunks, [self.tokenizer.tokens(c.index_text) for c in chunks]

    def _dense_apply(self, old_ids: list[str], new: list[tuple[Chunk, list[float]]], generation: int) -> None:
        embedder = self.embedder()
        if embedder is None:
            return
        store = self._vector_store(embedder)
        key = self._dense_key(embedder)
        in_sync = self.manifest.get_meta(key, "0") == str(generation - 1)
        new_ids = {c.chunk_id for c, _ in new}
        stale = [i for i in old_ids if i not in new_ids]
        if stale:
            store.delete(stale)
        if new:
            store.add(*_vector_rows([c for c, _ in new], [v for _, v in new]))
        if in_sync:
            self.manifest.set_meta(key, str(generation))

    def _sync_dense(self, embedder: Embedder) -> None:
        """Bring the Chroma collection in line with the manifest after an interrupted run or a model change."""
        key = self._dense_key(embedder)
        if self.manifest.get_meta(key, "0") == str(self.manifest.generation):
            return
        store = self._vector_store(embedder)
        wanted = self.manifest.all_chunk_ids()
        present = store.ids()
        extra = sorted(present - wanted)
        if extra:
            store.delete(extra)
        missing = sorted(wanted - present)
        for start in range(0, len(missing), 256):
            chunks = self.manifest.chunks(missing[start:start + 256])
            batch = [chunks[i] for i in missing[start:start + 256] if i in chunks]
            store.add(*_vector_rows(batch, embedder.embed_documents([c.index_text for c in batch])))
        self.manifest.set_meta(key, str(self.manifest.generation))

    def _vector_store(self, embedder: Embedder) -> VectorStore:
        if self._vectors is None:
            with self._mutex:  # first use may repair the collection: one thread at a time
                if self._vectors is None:
                    store = open_vector_store(self.settings.home, self.settings.chroma_url, embedder.name)
                    self._vectors = store
                    if not self.read_only:
                        self._sync_dense(embedder)
        return self._vectors

    def _dense_key(self, embedder: Embedder) -> str:
        return f"dense_generation:{collection_name(embedder.name)}:{self.settings.chroma_url or 'embedded'}"

    def _load_lexical(self) -> None:
        index = LexicalIndex.load(self.settings.home / "lexical")
        if index is None or index.generation != self.manifest.generation:
            self._rebuild_lexical(save=not self.read_only)
        else:
            self._snapshot = (index, self._row_info(index))

    def _rebuild_lexical(self, save: bool) -> None:
        index = LexicalIndex.build(self.manifest.token_rows(), self.manifest.generation)
        if save:
            index.save(self.settings.home / "lexical")
        self._snapshot = (index, self._row_info(index))

    def _row_info(self, index: LexicalIndex) -> dict[str, np.ndarray]:
        """Per-row doc_type, article and title arrays aligned with the lexical index, for filters and boosts."""
        doc_types, articles, titles = self.manifest.row_info(index.ids)
        return {"doc_type": np.array(doc_types, dtype=object), "article": np.array(articles, dtype=object),
                "title": np.array(titles, dtype=object)}

    def glossary_digest(self) -> str:
        """Identifies how stored tokens were made: the glossary words and the tokenizer's version."""
        words = "\n".join([TOKENIZER_VERSION, *sorted(self.glossary.words())])
        return hashlib.sha256(words.encode()).hexdigest()[:16]

    def _check_glossary(self) -> None:
        """Stored tokens depend on the glossary (jieba user words); re-tokenise when it changed."""
        digest = self.glossary_digest()
        stored = self.manifest.get_meta("glossary", "")
        if stored == digest:
            return
        if self.read_only or not self.manifest.documents():
            if not self.read_only:
                self.manifest.set_meta("glossary", digest)
            return
        for record in self.manifest.documents():
            chunks = list(self.manifest.iter_chunks(record.doc_id))
            doc = self.manifest.stored_document(record.doc_id)
            tokens = [self.tokenizer.tokens(c.index_text) for c in chunks]
            self.manifest.replace(record.doc_id, doc, record.doc_type, chunks, tokens)
        self.manifest.set_meta("glossary", digest)

    def _require_writer(self) -> None:
        if self.read_only:
            raise KnowledgeBaseError("知识库以只读方式打开，不能修改。")


# ---------------------------------------------------------------- helpers


def _coverage(weights: dict[str, float], chunk_tokens: set[str]) -> float:
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in chunk_tokens) / total if total else 0.0


def _collect(paths: list[Path], sources: list[str] | None) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """Expand folders (recursively, supported types only); name every file by its resolved path or given source."""
    files: list[tuple[Path, str]] = []
    problems: list[tuple[str, str]] = []
    for i, path in enumerate(paths):
        path = Path(path)
        if path.is_dir():
            files.extend((child, str(child.resolve())) for child in sorted(path.rglob("*")) if _wanted(child, path))
        elif path.is_file():
            files.append((path, sources[i] if sources else str(path.resolve())))
        else:
            problems.append((str(path), "文件或文件夹不存在。"))
    return files, problems


def _wanted(child: Path, root: Path) -> bool:
    if not child.is_file() or child.suffix.lower() not in SUPPORTED_SUFFIXES:
        return False
    if any(part.startswith((".", "~$")) for part in child.relative_to(root).parts):
        return False  # hidden folders and Word's lock files
    if child.name.lower() == "readme.md":
        return _has_front_matter(child)  # a folder's README is knowledge only when written as such
    return True


def _has_front_matter(path: Path) -> bool:
    try:
        return path.read_bytes()[:4].lstrip(b"\xef\xbb\xbf").startswith(b"---")
    except OSError:
        return False


def _sha256(path: Path) -> str:
    from assistant.ingest.documents import sha256_file

    try:
        return sha256_file(path)
    except OSError as error:
        raise DocumentError(str(path), f"无法读取文件（{error.strerror or error}）。") from None


def _doc_id(source: str) -> str:
    return hashlib.sha1(source.encode("utf-8")).hexdigest()[:12]


def _infer_doc_type(path: Path, title: str) -> str:
    for part in reversed(path.parent.parts):
        if part.lower() in _FOLDER_TYPES:
            return _FOLDER_TYPES[part.lower()]
    if re.search(r"GB/?T|DB\d{2}|标准|规范|导则|指南", title):
        return "standard"
    if re.search(r"法|条例|办法|规定|意见|通知|规划|方案|决定|制度", title):
        return "policy"
    if re.search(r"案例|经验|做法", title):
        return "case"
    if re.search(r"宣传周|低碳日|活动|倡议", title):
        return "campaign"
    return "guide"


def _vector_rows(chunks: list[Chunk], vectors: list[list[float]]) -> tuple[list, list, list]:
    metadatas = [{"doc_id": c.doc_id, "doc_type": c.doc_type, "article": c.article or "", "page": c.page or 0}
                 for c in chunks]
    return [c.chunk_id for c in chunks], vectors, metadatas


