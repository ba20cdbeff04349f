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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import numpy as np
from filelock import FileLock, Timeout

from assistant.ingest.chunking import Chunk, chunk_document, citation_label, find_article, structure
from assistant.numerals import full_years
from assistant.config import Settings
from assistant.ingest.documents import SUPPORTED_SUFFIXES, Document
from assistant.ingest import regmeta
from assistant.ingest.regmeta import CURRENT, STATUSES
from assistant.retrieval.embeddings import NOTICE_MARKER, Embedder, LazyEmbedder
from assistant.errors import DocumentError, KnowledgeBaseError, QuestionError
from assistant.retrieval.colloquial import Lexicon
from assistant.retrieval.glossary import Glossary
from assistant.ingest.isolation import load_document
from assistant.retrieval.lexical import TOKENIZER_VERSION, LexicalIndex, Tokenizer
from assistant.retrieval import highlight
from assistant.retrieval.docview import DocumentView, view
from assistant.retrieval.manifest import DocumentRecord, Manifest
from assistant.retrieval.status import STATUS_MARGIN, STATUS_WEIGHT, notice, public_meta, status_of, version_changes, with_status
from assistant.retrieval.vectorstore import VectorStore, collection_name, open_vector_store

Progress = Callable[[int, int, str], None]
RRF_K = 60
GENERAL_WORD_WEIGHT = 0.25  # a word that is not a topic word (verb, adverb, phrase) weighs this share of its IDF weight
# an everyday word no passage uses, in a clause before the one that asks ("总务主任" in "……，总务主任问……，会不会直接
# 罚款"): the user's scene, weighed this share (dev: colloquial +2, decline unchanged; 0.1 the same)
SCENE_WORD_WEIGHT = 0.3
WEIGHTS_CACHED = 4096  # questions whose term weights are kept (all made again when the index changes)
_RELATIVE_YEAR = re.compile(r"本年度?|今年|去年|前年|明年|当年")
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
    fused_score: float | None = None  # reciprocal-rank fusion of both rankings (their scores status-weighted)
    lexical_rank: int | None = None  # 1-based place in the BM25 ranking (None: not in it)
    dense_rank: int | None = None
    sentences: tuple[str, ...] = ()  # the passage's sentences that best match the question (search --explain)

    @property
    def meta(self) -> dict:
        """文号, issuer, dates (those known) and status of the hit's document."""
        return public_meta(self.chunk.meta)

    @property
    def status(self) -> str:
        return status_of(self.chunk.meta)

    def citation_label(self) -> str:
        """《标题》（国务院令第530号）第十五条（第3页）, and （该文件已废止） for a document that is no longer current."""
        c = self.chunk
        return (citation_label(c.title, c.article, c.page, c.heading_path[-1] if c.heading_path else None,
                               c.meta.get("doc_number")) + notice(c.meta))

    def to_dict(self) -> dict:
        c = self.chunk
        data = {"doc_id": c.doc_id, "title": c.title, "source": c.source, "page": c.page, "article": c.article,
                "text": c.text, "score": round(self.score, 6), "chunk_id": c.chunk_id, "doc_type": c.doc_type,
                "heading_path": list(c.heading_path), "ocr": c.ocr, "coverage": round(self.coverage, 3),
                "lexical_score": None if self.lexical_score is None else round(self.lexical_score, 4),
                "dense_score": None if self.dense_score is None else round(self.dense_score, 4),
                "fused_score": None if self.fused_score is None else round(self.fused_score, 6),
                "lexical_rank": self.lexical_rank, "dense_rank": self.dense_rank,
                "status": self.status, "meta": self.meta}
        if self.sentences:
            data["sentences"] = list(self.sentences)
        return data


@dataclass(frozen=True)
class SearchResult:
    query: str
    mode: str  # hybrid | lexical | dense
    hits: list[SearchHit]
    filters: dict = field(default_factory=dict)  # doc_type and status the search was limited to
    explained: bool = False

    def to_dict(self) -> dict:
        data = {"query": self.query, "mode": self.mode, "results": [h.to_dict() for h in self.hits]}
        if self.explained:
            data["explain"] = {"filters": self.filters, "rrf_k": RRF_K,
                               "fused": "1/(rrf_k + lexical_rank) + 1/(rrf_k + dense_rank)",
                               "status": {"lexical_weight": STATUS_WEIGHT, "dense_margin": STATUS_MARGIN,
                                          "applies_to": ["已修订", "已废止"]}}
        return data


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
        self._member_words: dict[str, frozenset[str]] = {}  # glossary member -> its words, made once
        self._speller = None  # (lexical index, Speller over its vocabulary and saved sound table)
        self._weights: tuple[object, dict] = (None, {})  # (lexical index, query → its term weights)
        # (lexical index, its two-character words by first character): what 抵掉 is written as (抵消)
        self._by_first: tuple[LexicalIndex, dict[str, list[str]]] | None = None
        self._article_rows: tuple[LexicalIndex, dict[str, np.ndarray]] | None = None  # label -> that index's rows
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
                                    notice_marker=settings.home / NOTICE_MARKER, backend=settings.embed_backend,
                                    home_models=settings.home / "models")
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

    def document(self, doc_id_or_source: str, article: str | None = None) -> DocumentView:
        """The whole stored document: metadata, 章/节/条 structure and text, with `article` ("第十五条") in focus."""
        record = self._find(doc_id_or_source)
        return view(record, structure(self.manifest.stored_document(record.doc_id)), article)

    def search(self, query: str, k: int = 5, doc_type: str | None = None, status: str | None = None,
               explain: bool = False) -> SearchResult:
        """Hybrid search: BM25 and dense rankings fused by reciprocal rank (k=60); lexical-only without a model.

        Status: a passage of a 已修订 or 已废止 document counts for less in both rankings before they are fused: its
        BM25 score is multiplied by STATUS_WEIGHT (0.5) and its cosine similarity lowered by STATUS_MARGIN (0.05).
        For the same question the current document's passage so ranks first, while the old one still appears below
        it (staff may ask about an old text; every hit carries its status). `status` keeps only documents of that
        status. `explain` adds each hit's best-matching sentences."""
        if status is not None and status not in STATUSES:
            raise QuestionError(f"状态应为 {'、'.join(STATUSES)} 之一。")
        query = (query or "").strip()
        if not query:
            raise QuestionError("请输入要检索的内容。")
        if len(query) > self.settings.max_question_chars:
            raise QuestionError(f"检索内容过长（{len(query)} 字），请精简到 {self.settings.max_question_chars} 字以内。")
        k = max(1, min(int(k), 100))
        pool = max(4 * k, 30)
        asked = query
        query = self.normalise_query(query)  # spoken forms, fillers and input slips → the documents' words
        embedder = self.embedder()
        # A question naming an article the knowledge base holds ("条例第十五条讲什么") is answered by the lexical
        # path, which puts that article first; a dense ranking would only reorder what follows it, so none is made.
        lookup = embedder is not None and doc_type is None and status is None and self._holds_article(query)
        # The query embedding (onnxruntime or torch, both release the GIL) runs beside the BM25 scoring.
        pending = self._dense_pool().submit(self._dense_ranking, query, doc_type, pool) if embedder and not lookup \
            else None
        lexical, article_first = self._lexical_ranking(query, doc_type, pool, status)
        dense = pending.result() if pending is not None else None
        mode = "hybrid" if dense is not None or lookup else "lexical"
        if dense is not None:
            statuses = self._chunk_statuses([cid for cid, _ in dense])
            if status:
                dense = [(cid, s) for cid, s in dense if statuses.get(cid, CURRENT) == status]
            dense = sorted(((cid, s - STATUS_MARGIN if statuses.get(cid, CURRENT) != CURRENT else s)
                            for cid, s in dense), key=lambda pair: -pair[1])
        fused: dict[str, float] = {}
        ranks: list[dict[str, int]] = []
        for ranking in (lexical, dense or []):
            ranks.append({})
            for rank, (chunk_id, _) in enumerate(ranking, start=1):
                fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank)
                ranks[-1][chunk_id] = rank
        order = sorted(fused, key=lambda cid: (article_first.get(cid, 0), -fused[cid]))
        lex_scores, dense_scores = dict(lexical), dict(dense or [])
        chunks = self.manifest.chunks(order[: 3 * k])
        tokens = self.manifest.tokens(list(chunks))
        weights = self.query_weights(query, normalised=True)
        same = self.glossary_equivalents(weights)
        hits: list[SearchHit] = []
        seen_text: set[str] = set()
        for cid in order:
            chunk = chunks.get(cid)
            if chunk is None or chunk.text in seen_text:
                continue  # a stale dense id, or the same passage stored twice
            seen_text.add(chunk.text)
            score = fused[cid] if mode == "hybrid" else lex_scores.get(cid, 0.0)
            coverage = _coverage(weights, tokens.get(cid, set()), same)
            marks = tuple(highlight.best(self, query, chunk.text)) if explain else ()
            hits.append(SearchHit(chunk, float(score), lex_scores.get(cid), dense_scores.get(cid), coverage,
                                  fused[cid], ranks[0].get(cid), ranks[1].get(cid) if len(ranks) > 1 else None,
                                  marks))
            if len(hits) == k:
                break
        filters = {k: v for k, v in (("doc_type", doc_type), ("status", status)) if v}
        return SearchResult(asked, mode, hits, filters, explain)

    def query_weights(self, query: str, normalised: bool = False) -> dict[str, float]:
        """The terms of what the question is about, weighted so that a rare word (火星) counts more than a common
        one (能耗). Fillers and question words (请问, 什么时候, 能不能) are not topic and carry no weight.

        Each whole word weighs the mean IDF of its search tokens, shared among them, so "计算机" counts once
        (not again as "计算" and "算机") and an unseen compound of common words ("能耗报告") stays light. A relative
        year (今年, 本年度) weighs as a general word, and an everyday word no passage uses, in a clause before the last,
        as the user's scene (SCENE_WORD_WEIGHT).
        """
        index = self._snapshot[0]
        cached, known = self._weights
        if cached is not index or len(known) > WEIGHTS_CACHED:
            known = {}
            self._weights = (index, known)  # made again for a new index: the weights rest on its IDF
        key = (query, normalised)
        if key not in known:
            known[key] = self._query_weights(index, query, normalised)
        return dict(known[key])

    def _query_weights(self, index, query: str, normalised: bool) -> dict[str, float]:
        idf = (lambda t: index.idf(t)) if index is not None else (lambda t: 1.0)  # noqa: E731
        if not normalised:
            query = self.normalise_query(query)
        weights: dict[str, float] = {}
        clauses = [c for c in re.split(r"[，。；！？,;!?\s]+", query) if c]
        last = clauses[-1] if len(clauses) > 1 else ""  # the clause that asks, when there are several
        for word in dict.fromkeys(self.tokenizer.words(self.colloquial.topic(query))):
            parts = list(dict.fromkeys(self.tokenizer.tokens(word))) or [word]
            share = sum(idf(p) for p in parts) / len(parts) / len(parts)
            if not self.tokenizer.is_topical(word) or _RELATIVE_YEAR.fullmatch(word):
                # "搞", "来着", "说白了": how it is asked, not what about; nor is "今年" (本年度) what a rule is about
                share *= GENERAL_WORD_WEIGHT
            elif last and word not in last and index is not None and not any(index.df.get(p) for p in parts) \
                    and not self.tokenizer.is_name(word) and self.tokenizer.is_common_word(word):
                share *= SCENE_WORD_WEIGHT
            for part in parts:
                weights[part] = weights.get(part, 0.0) + share
        return weights

    def glossary_equivalents(self, weights: dict[str, float]) -> dict[str, list[frozenset[str]]]:
        """For each question term the glossary groups with other words, the token sets of those other members: a
        passage that says 合同能源管理 holds what "EMC" asks about."""
        out: dict[str, list[frozenset[str]]] = {}
        for term in weights:
            for entry in self.glossary.lookup(term):
                for member in entry.members:
                    if member.lower() != term and self._words_of(member):
                        out.setdefault(term, []).append(self._words_of(member))
        return out

    def _words_of(self, member: str) -> frozenset[str]:
        words = self._member_words.get(member)
        if words is None:
            words = frozenset(self.tokenizer.words(member)) or frozenset(self.tokenizer.tokens(member))
            self._member_words[member] = words
        return words

    def correct_slips(self, text: str) -> str:
        """`text` with same-pinyin input slips corrected against the knowledge base's words (用点 → 用电), and
        nothing else rewritten: for reading a data question, whose own words (今年, 多少) must stay as typed."""
        index = self._snapshot[0]
        if index is None or not index.df:
            return text
        return self._speller_for(index).fix(text, self.tokenizer.words(text))

    def _speller_for(self, index: LexicalIndex):
        speller = self._speller
        if speller is None or speller[0] is not index:
            from assistant.retrieval.spelling import Speller

            speller = self._speller = (index, Speller(index.df, index.sounds, common=self.tokenizer.is_common_word))
        return speller[1]

    def normalise_query(self, query: str) -> str:
        """The question in the documents' words: spoken years written out (23年 → 2023年), the colloquial lexicon
        (spoken forms, typos, fillers), then same-pinyin corrections of words no passage contains (光幅 → 光伏;
        retrieval/spelling.py)."""
        text = _months_as_digits(self.colloquial.normalise(full_years(query)).text or query)
        index = self._snapshot[0]
        if index is None or not index.df:
            return text
        text = _LATIN.sub(lambda m: self._written_out(m.group(0), index), text)
        text = self._speller_for(index).fix(text, self.tokenizer.words(text))
        return self._completions_as_written(text, index)

    def _completions_as_written(self, text: str, index: LexicalIndex) -> str:
        """A spoken verb with a result ending that no passage uses (撤掉, 抵掉, 关掉) as the passages' most frequent
        two-character word on the same verb (撤除, 抵消, 关闭); the word as typed when the passages have none."""
        for word in dict.fromkeys(self.tokenizer.words(text)):
            if len(word) != 2 or word[1] not in _RESULT_ENDINGS or index.df.get(word) or \
                    not re.fullmatch(r"[\u4e00-\u9fff]{2}", word):
                continue
            written = max((w for w in self._two_character_words(index).get(word[0], ()) if w[1] not in _RESULT_ENDINGS),
                          key=lambda w: (index.df.get(w, 0), w), default=None)
            if written:
                text = text.replace(word, written)
        return text

    def _two_character_words(self, index: LexicalIndex) -> dict[str, list[str]]:
        cached = self._by_first
        if cached is None or cached[0] is not index:
            table: dict[str, list[str]] = {}
            for w in index.df:
                if len(w) == 2 and re.fullmatch(r"[\u4e00-\u9fff]{2}", w):
                    table.setdefault(w[0], []).append(w)
            cached = self._by_first = (index, table)
        return cached[1]

    def _written_out(self, word: str, index: LexicalIndex) -> str:
        """A Latin abbreviation no passage uses, as the glossary's term the passages do use (LPG → 液化石油气);
        otherwise the word as typed."""
        if index.df.get(word.lower()):
            return word
        return next((member for entry in self.glossary.lookup(word.lower()) for member in entry.members
                     if member.lower() != word.lower() and self._words_of(member) and
                     all(index.df.get(w) for w in self._words_of(member))), word)

    def unseen_words(self, query: str) -> list[str]:
        """Content words of the question (nouns, verbs, names, numbers) that no passage contains at all: "奥运会",
        "IPMVP", "驾照". One such word means the knowledge base cannot answer: the question is about something
        it never mentions. Spoken words (说白了, 一共) are normalised or dropped by the colloquial lexicon first."""
        index = self._snapshot[0]
        if index is None or not index.df:
            return []
        query = self.normalise_query(query)
        out = []
        for word in dict.fromkeys(self.tokenizer.words(self.colloquial.topic(query))):
            parts = list(dict.fromkeys(self.tokenizer.tokens(word))) or [word]
            if self.tokenizer.is_content(word) and not any(index.df.get(p) for p in parts) and \
                    not _NO_TOPIC.search(word) and not self.tokenizer.is_time(word):
                out.append(word)
        return out

    def unseen_runs(self, query: str) -> list[str]:
        """Words jieba does not know, as runs of single characters ("老蓝屏", "加氟"), that no passage contains as
        written: like an unseen word, though each character alone is common."""
        topic = self.colloquial.topic(self.normalise_query(query))
        return [run for run in dict.fromkeys(self.tokenizer.unknown_runs(topic))
                if not self.manifest.mentions(run) and not _NO_TOPIC.search(run)]

    def _lexical_ranking(self, query: str, doc_type: str | None, pool: int,
                         status: str | None = None) -> tuple[list[tuple[str, float]], dict[str, int]]:
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
        if status:
            scores = np.where(rows_info["status"] == status, scores, 0.0)
        if rows_info.get("status_weight") is not None:
            scores *= rows_info["status_weight"]  # see search()
        ranked = self._top(scores, pool)
        label = find_article(query)
        article_first: dict[str, int] = {}
        if label:
            # "条例第十五条讲什么": the named article comes first, the document the question names first of all.
            rows = self._rows_of_article(label)
            if doc_type:
                rows = rows[rows_info["doc_type"][rows] == doc_type]
            if status:
                rows = rows[rows_info["status"][rows] == status]
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

    def _holds_article(self, query: str) -> bool:
        """Whether the question names an article label ("第十五条") that some stored passage carries."""
        label = find_article(query)
        return label is not None and len(self._rows_of_article(label)) > 0

    def _rows_of_article(self, label: str) -> np.ndarray:
        """Rows of the lexical index whose passage belongs to article `label`, from a map made once per index
        (comparing 100k labels on every question cost about a millisecond)."""
        index, info = self._snapshot
        if index is None:
            return np.empty(0, dtype=np.int64)
        known = self._article_rows
        if known is None or known[0] is not index:
            rows: dict[str, list[int]] = {}
            for row, article in enumerate(info.get("article", ())):
                if article:
                    rows.setdefault(article, []).append(row)
            known = self._article_rows = (index, {a: np.array(r, dtype=np.int64) for a, r in rows.items()})
        return known[1].get(label, np.empty(0, dtype=np.int64))

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
            if changed:
                report.warnings.extend(self._apply_versions())
            current = self._snapshot[0]
            if changed or current is None or current.generation != self.manifest.generation:
                self._rebuild_lexical(save=True)
        return report

    def remove(self, doc_id_or_source: str) -> list[DocumentRecord]:
        """Remove a document (by doc_id or source path) from the manifest and both indexes."""
        self._require_writer()
        with self._mutex:
            record = self._find(doc_id_or_source)
            old_ids = self.manifest.chunk_ids(record.doc_id)
            generation = self.manifest.delete(record.doc_id)
            self._dense_apply(old_ids, [], generation)
            self._apply_versions()  # an older version of what was removed is current again
            self._rebuild_lexical(save=True)
        return [record]

    def set_status(self, doc_id_or_source: str, status: str, note: str | None = None) -> DocumentRecord:
        """An administrator's word on a document's status (现行有效, 已修订 or 已废止), with an optional note; it
        stands against the version rule. Searches see it at once (no re-indexing)."""
        self._require_writer()
        if status not in STATUSES:
            raise KnowledgeBaseError(f"状态“{status}”无效，应为 {'、'.join(STATUSES)} 之一。")
        with self._mutex:
            record = self._find(doc_id_or_source)
            meta = dict(record.meta or {})
            newer = meta.get("superseded_by") if status != CURRENT else None
            self.manifest.update_meta(record.doc_id, with_status(meta, status, "admin", (note or "").strip() or None,
                                                                 newer))
            self._refresh_status()
        return self.manifest.find(record.doc_id)

    def _find(self, doc_id_or_source: str) -> DocumentRecord:
        """A document by doc_id, source path, title or file name (the last two only when unambiguous)."""
        record = self.manifest.find(doc_id_or_source)
        if record is None:
            matches = [d for d in self.manifest.documents() if doc_id_or_source in (d.title, Path(d.source).name)]
            if len(matches) != 1:
                raise KnowledgeBaseError(f"知识库中没有文档“{doc_id_or_source}”。可用 greenleaf kb list 查看 doc_id。")
            record = matches[0]
        return record

    def _apply_versions(self) -> list[tuple[str, str]]:
        """Run the version rule over every document; returns (source, note) for each status it changed."""
        records = {d.doc_id: d for d in self.manifest.documents()}
        changes = version_changes((d.doc_id, d.title, d.meta or {}) for d in records.values())
        notes = []
        for doc_id, meta in changes.items():
            self.manifest.update_meta(doc_id, meta)
            newer = records.get(meta.get("superseded_by", ""))
            if newer is not None:
                notes.append((records[doc_id].source, f"已标为已修订：知识库中有较新的版本《{newer.title}》"
                                                      f"（{Path(newer.source).name}）"))
            else:
                notes.append((records[doc_id].source, "较新的版本已删除，恢复为现行有效"))
        if changes:
            self._refresh_status()
        return notes

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
                doc = _reread_metadata(self.manifest.stored_document(record.doc_id))
                chunks, tokens = self._prepare(doc, record.doc_id, record.doc_type)
                vectors = embedder.embed_documents([c.index_text for c in chunks]) if embedder and chunks else None
                self.manifest.replace(record.doc_id, doc, record.doc_type, chunks, tokens)
                if vectors is not None:
                    self._vector_store(embedder).add(*_vector_rows(chunks, vectors))
                total += len(chunks)
            if embedder is not None:
                self.manifest.set_meta(self._dense_key(embedder), str(self.manifest.generation))
            self.manifest.set_meta("glossary", self.glossary_digest())
            self._apply_versions()
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
        doc = Document(source, doc.title, doc.sections, doc.sha256, doc.doc_type, _carried_status(doc.meta, existing),
                       doc.warnings, doc.ocr)
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
        """Per-row doc_type, article, title, doc_id and status arrays aligned with the lexical index, for filters,
        boosts and the status weight; "row" maps a chunk id to its row."""
        doc_types, articles, titles, doc_ids = self.manifest.row_info(index.ids)
        info = {"doc_type": np.array(doc_types, dtype=object), "article": np.array(articles, dtype=object),
                "title": np.array(titles, dtype=object), "doc_id": np.array(doc_ids, dtype=object),
                "row": {cid: i for i, cid in enumerate(index.ids)}}
        info["status"] = self._status_array(info["doc_id"])
        info["status_weight"] = _status_weights(info["status"])
        return info

    def _status_array(self, doc_ids: np.ndarray) -> np.ndarray:
        statuses = {d.doc_id: status_of(d.meta) for d in self.manifest.documents()}
        return np.array([statuses.get(d, CURRENT) for d in doc_ids], dtype=object)

    def _refresh_status(self) -> None:
        """After a status change: new status per row, the same BM25 index (swapped as one snapshot)."""
        index, info = self._snapshot
        if index is not None:
            status = self._status_array(info["doc_id"])
            self._snapshot = (index, {**info, "status": status, "status_weight": _status_weights(status)})

    def _chunk_statuses(self, chunk_ids: list[str]) -> dict[str, str]:
        """Status of each chunk's document (chunks the lexical index does not know count as current)."""
        _, info = self._snapshot
        rows, status = info.get("row", {}), info.get("status")
        return {cid: status[rows[cid]] for cid in chunk_ids if cid in rows}

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


def _status_weights(status: np.ndarray) -> np.ndarray | None:
    """Per-row BM25 weight: STATUS_WEIGHT for passages of 已修订/已废止 documents, 1 for current ones; None when
    all are current (one array made per index, not a comparison of every row's status on every question)."""
    old = status != CURRENT
    return np.where(old, STATUS_WEIGHT, 1.0) if old.any() else None


_RESULT_ENDINGS = "掉完光走住"  # 撤掉, 用完, 花光, 拿走, 管住: the verb and its result
# A short "word" jieba forms across a particle, a preposition or a counted number ("开了个", "被扣", "进去", "里加",
# "两百人", "吨每"): how the question is put, never a thing the knowledge base would have to know
_NO_TOPIC = re.compile(r"[了着被把]|^.{1,2}[去给个每是]$|^不.$|^[一二两三四五六七八九十百千万几]+[人天次家个位年]$")
_CN_MONTH = re.compile(r"(?<![一二三四五六七八九十个第])(十[一二]|[一二三四五六七八九十])月(份)?(?![份]?[前后底初中末]?[一二三四五六七八九十]|亮|饼|光)")


def _months_as_digits(text: str) -> str:
    """Months in digits, as the documents write them: 九月 → 9月, 十二月份 → 12月份."""
    def digits(m: re.Match) -> str:
        name = m.group(1)
        number = 10 + "一二".index(name[1]) + 1 if len(name) == 2 else "一二三四五六七八九十".index(name) + 1
        return f"{number}月{m.group(2) or ''}"

    return _CN_MONTH.sub(digits, text)


_LATIN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9.\-]*(?![A-Za-z0-9])")


def _coverage(weights: dict[str, float], chunk_tokens: set[str],
              equivalents: dict[str, list[frozenset[str]]] | None = None) -> float:
    """IDF-weighted share of the question's terms a passage holds; a term also counts as held when the passage
    holds all the words of one of its glossary equivalents (EMC ↔ 合同能源管理)."""
    total = sum(weights.values())
    if not total:
        return 0.0
    equivalents = equivalents or {}
    return sum(w for t, w in weights.items()
               if t in chunk_tokens or any(alt <= chunk_tokens for alt in equivalents.get(t, ()))) / total


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


def _reread_metadata(doc: Document) -> Document:
    """A stored document's metadata read again from its text, filling in what an older version did not read; what
    is stored (front matter, status) wins."""
    meta, warnings = regmeta.describe(doc.text, doc.title, doc.meta)
    new = [w for w in warnings if w not in doc.warnings]
    return replace(doc, meta=meta, warnings=(*doc.warnings, *new))


def _carried_status(meta: dict, existing: DocumentRecord | None) -> dict:
    """A re-ingested file keeps the status an administrator gave it; a status the text states is marked as such."""
    meta = dict(meta)
    if "status" in meta:
        meta.setdefault("status_by", "text")
    elif existing is not None and (existing.meta or {}).get("status_by") == "admin":
        meta.update({k: v for k, v in existing.meta.items() if k.startswith("status") or k == "superseded_by"})
    return meta


def _vector_rows(chunks: list[Chunk], vectors: list[list[float]]) -> tuple[list, list, list]:
    metadatas = [{"doc_id": c.doc_id, "doc_type": c.doc_type, "article": c.article or "", "page": c.page or 0}
                 for c in chunks]
    return [c.chunk_id for c in chunks], vectors, metadatas


