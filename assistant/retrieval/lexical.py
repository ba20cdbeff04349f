"""Lexical retrieval: jieba tokens (search mode, stop words, the domain glossary as user dictionary) + bm25s.

The index is rebuilt from stored token lists (fast: no re-tokenising) and saved atomically in the home folder
together with the chunk ids and the knowledge-base generation it reflects.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import shutil
from importlib import resources
from pathlib import Path
from typing import Iterable

import numpy as np

from assistant.retrieval.glossary import Glossary
from assistant.numerals import chinese_to_int

# Bump when tokens() changes: stored token lists are then re-made on the next open (knowledge.py).
TOKENIZER_VERSION = "2"  # 2: jieba search mode without HMM, numerals of article labels
_WORD = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")
_CJK = re.compile(r"[\u3400-\u9fff]")
# Characters that join words in a sentence rather than make one (谁去查, 跟谁, 来定, 弄好, 算咱, 某家, 十三五末)
_GRAMMAR = frozenset("去来到完好很谁跟给被某咱想没不按各比先做我你他她它们的了着过得地在把让向从对为和与及或也都就才又还再太更最些点下上里中个"
                     "一二三四五六七八九十百千万两几多少哪啥么吗呢吧啊呀嘛")
_NUMBER_PREFIX = re.compile(r"^第[零〇一二三四五六七八九十百千]+[条章节款]$")


# jieba tags of topic words: nouns, person/place/organisation names, other proper nouns, abbreviations, Latin words,
# nominal verbs (采购, 管理). Idioms and fixed phrases (l, i: 说白了, 特别注意) are how something is asked.
_TOPICAL_POS = {"n", "nr", "nrfg", "nrt", "ns", "nt", "nz", "ng", "j", "eng", "vn", "an"}
# "两件事", "三个方面": how many things are asked about, not what (the dictionary tags some as nouns)
_QUANTITY = re.compile(r"^[一二两三四五六七八九十几]+(件|个|项|条|种|类|次|点|步|样|块|方面)")
_NAME_POS = {"nr", "nrfg", "nrt", "ns", "nt", "nz", "j", "eng"}
_NOT_CONTENT = {"vd", "ad", "vg", "ag", "tg"}  # verb/adjective used as adverb, bound morphemes
_LATIN_OR_NUMBER = re.compile(r"[0-9a-z][0-9a-z.\-]*")


COMMON_WORD_FREQ = 300  # 一直 18596, 黑夜 715, 打招呼 370; slips are rare or absent (引子 63, 用点 and 光幅 none)


class Tokenizer:
    """jieba tokenizer with its own dictionary instance, so user words never leak between knowledge bases."""

    def __init__(self, glossary: Glossary | None = None) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        self.glossary = glossary or Glossary.empty()
        for word in self.glossary.words():
            if len(word) >= 2:
                self._jieba.add_word(word, freq=20000)
        for word in ("万家", "万余家", "余家"):  # "约158.6万家" counts 家 (多少家), not 万家 as in 万家灯火
            self._jieba.del_word(word)
        self.stopwords = load_stopwords()
        self._glossary_words = frozenset(w.lower() for w in self.glossary.words())
        self._pos = None  # jieba.posseg over this dictionary, made on first use

    def is_common_word(self, word: str) -> bool:
        """True for a word people write often (jieba's dictionary frequency at least COMMON_WORD_FREQ: 一直, 黑夜,
        打招呼): typed on purpose, never an input slip to correct."""
        return self._jieba.FREQ.get(word, 0) >= COMMON_WORD_FREQ

    def tokens(self, text: str) -> list[str]:
        """Index tokens: jieba search-mode words, lower-cased, without stop words and punctuation."""
        out = []
        for word in self._jieba.lcut_for_search(text, HMM=False):
            word = word.strip().lower()
            if not word or word in self.stopwords or not _WORD.search(word):
                continue
            out.append(word)
            if _NUMBER_PREFIX.match(word):  # "第十五条" also yields "十五" and "15", so "第15条" queries meet it
                out.append(word[1:-1])
                number = chinese_to_int(word[1:-1])
                if number is not None:
                    out.append(str(number))
        return out

    def words(self, text: str) -> list[str]:
        """Whole words only (jieba precise mode, no sub-words), for weighing how much of a question a passage covers."""
        out = []
        for word in self._jieba.lcut(text, HMM=False):
            word = word.strip().lower()
            if word and word not in self.stopwords and _WORD.search(word):
                out.append(word)
        return out

    def pieces(self, text: str) -> list[str]:
        """Every word of `text` as jieba's dictionary splits it (precise mode), stop words included."""
        return [w for w in self._jieba.lcut(text, HMM=False) if w.strip()]

    def unknown_runs(self, text: str) -> list[str]:
        """Runs of two or more single characters that jieba's dictionary does not join into a word and that are
        not stop words ("老蓝屏", "加氟", "餐补"): a word it does not know, to be looked up as written."""
        runs, run = [], ""
        for piece in self._jieba.lcut(text, HMM=False):
            if len(piece) == 1 and _CJK.fullmatch(piece) and piece not in self.stopwords and piece not in _GRAMMAR:
                run += piece
                continue
            if len(run) >= 2:
                runs.append(run)
            run = ""
        if len(run) >= 2:
            runs.append(run)
        return runs

    def is_topical(self, word: str) -> bool:
        """True for what a question is about: glossary terms, Latin words and numbers (2019, IPMVP), and nouns,
        names, places and abbreviations of two or more characters (奥运会, 发改委, 遥控器). Verbs, adverbs and
        spoken phrases (搞, 一般, 说白了) say how it is asked, not what about."""
        if word in self._glossary_words or _LATIN_OR_NUMBER.fullmatch(word):
            return True
        if len(word) < 2 or _QUANTITY.match(word):
            return False
        return any(flag in _TOPICAL_POS for flag in self._flags(word))

    def is_time(self, word: str) -> bool:
        """True for a word of a past time ("上周", "昨晚", "上个月"): when something happened, not what it is about.
        Not a time to come (明天, 下周: a forecast or a plan is asked) nor a named period (秦朝, 公元前)."""
        flags = self._flags(word)
        return bool(flags) and all(flag == "t" for flag in flags) and len(word) <= 3 and \
            re.match(r"[上昨前去]", word) is not None

    def is_name(self, word: str) -> bool:
        """True for names of particular things: people, places, organisations, other proper nouns and
        abbreviations (合肥市, 冬奥会, 发改委), Latin words and numbers (IPMVP, 2019). A knowledge base that never
        mentions such a name cannot answer about it; a common noun it never uses (饮水机) may be a synonym."""
        if _LATIN_OR_NUMBER.fullmatch(word):
            return True
        return len(word) >= 2 and any(flag in _NAME_POS for flag in self._flags(word))

    def is_content(self, word: str) -> bool:
        """True for content words of two or more characters: nouns, verbs, adjectives, time and place words,
        abbreviations, Latin words and numbers (驾照, 下雨, 明天, 遥控器). Adverbs, conjunctions, pronouns,
        measure words and set phrases (大概, 但是, 那边, 几百, 说白了) are not."""
        if _LATIN_OR_NUMBER.fullmatch(word):
            return True
        if len(word) < 2 or _QUANTITY.match(word):
            return False
        flags = self._flags(word)
        return any(flag == "eng" or (flag[:1] in "nvatsj" and flag not in _NOT_CONTENT) for flag in flags)

    def tagged(self, text: str) -> list[tuple[str, str]]:
        """(word, jieba part-of-speech flag) pairs of `text`, over this tokenizer's dictionary."""
        if self._pos is None:
            import jieba.posseg

            self._pos = jieba.posseg.POSTokenizer(self._jieba)
        return [(pair.word, pair.flag) for pair in self._pos.cut(text, HMM=False) if pair.word.strip()]

    def _flags(self, word: str) -> list[str]:
        return [flag for _, flag in self.tagged(word)]

    def query_tokens(self, query: str, expand: bool = True) -> list[str]:
        """Tokens of a question, plus glossary synonyms of the terms it contains."""
        tokens = self.tokens(query)
        if expand:
            for synonym in self.glossary.expansions(query):
                tokens.extend(t for t in self.tokens(synonym) if t not in tokens)
        return tokens


def load_stopwords() -> frozenset[str]:
    text = resources.files("assistant.retrieval").joinpath("data/stopwords_zh.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


class LexicalIndex:
    """BM25 over the chunks' token lists; `scores(tokens)` returns one score per chunk, in `ids` order."""

    def __init__(self, ids: list[str], retriever=None, generation: int = 0, df: dict[str, int] | None = None,
                 sounds: dict[str, list[str]] | None = None) -> None:
        self.ids = ids
        self._retriever = retriever
        self.generation = generation
        self._vocab = set(retriever.vocab_dict) if retriever is not None else set()
        self.df = df or {}  # token -> number of chunks containing it
        self.sounds = sounds  # pinyin -> tokens (retrieval/spelling.py); None for an index saved before it existed

    def idf(self, token: str) -> float:
        """BM25-style inverse document frequency; a token no chunk contains gets the highest weight."""
        n = len(self.ids)
        df = self.df.get(token, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    @classmethod
    def build(cls, rows: Iterable[tuple[str, str]], generation: int) -> "LexicalIndex":
        """Index (chunk_id, space-separated tokens) rows. Tokens become int32 id arrays as they stream in, so
        100k chunks cost tens of MB rather than the GB that lists of Python strings would."""
        import bm25s
        from bm25s.tokenization import Tokenized

        vocab: dict[str, int] = {"\u2205": 0}  # bm25s needs a token per document: empty chunks get this one
        ids: list[str] = []
        docs: list[np.ndarray] = []
        for chunk_id, text in rows:
            ids.append(chunk_id)
            tokens = text.split() or ["\u2205"]
            docs.append(np.fromiter((vocab.setdefault(t, len(vocab)) for t in tokens), dtype=np.int32,
                                    count=len(tokens)))
        if not ids:
            return cls([], None, generation)
        retriever = bm25s.BM25()
        retriever.index(Tokenized(ids=docs, vocab=vocab), show_progress=False)
        counts = np.bincount(np.concatenate([np.unique(d) for d in docs]), minlength=len(vocab))
        names = list(vocab)
        df = {names[i]: int(counts[i]) for i in np.flatnonzero(counts)}
        from assistant.retrieval.spelling import sound_table

        return cls(ids, retriever, generation, df, sound_table(df))

    def scores(self, tokens: list[str]) -> np.ndarray:
        known = [t for t in dict.fromkeys(tokens) if t in self._vocab]
        if self._retriever is None or not known:
            return np.zeros(len(self.ids), dtype=np.float32)
        return self._retriever.get_scores(known)

    def save(self, directory: Path) -> None:
        """Write to a temporary folder, then swap it in, so a reader never sees half an index."""
        tmp = directory.with_name(directory.name + f".tmp-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self._retriever is not None:
            self._retriever.save(str(tmp), show_progress=False)
        (tmp / "ids.json").write_text(json.dumps({"generation": self.generation, "ids": self.ids}), encoding="utf-8")
        (tmp / "df.json").write_text(json.dumps(self.df, ensure_ascii=False), encoding="utf-8")
        if self.sounds is not None:
            (tmp / "sounds.json").write_text(json.dumps(self.sounds, ensure_ascii=False), encoding="utf-8")
        old = directory.with_name(directory.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if directory.exists():
            directory.rename(old)
        tmp.rename(directory)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> "LexicalIndex | None":
        """Load a saved index; None if it is missing or unreadable (the caller rebuilds it)."""
        import bm25s

        try:
            meta = json.loads((directory / "ids.json").read_text(encoding="utf-8"))
            retriever = None
            if meta["ids"]:
                retriever = bm25s.BM25.load(str(directory), show_progress=False, verbosity=0)
            df = json.loads((directory / "df.json").read_text(encoding="utf-8"))
            sounds_file = directory / "sounds.json"
            sounds = json.loads(sounds_file.read_text(encoding="utf-8")) if sounds_file.exists() else None
            return cls(list(meta["ids"]), retriever, int(meta["generation"]), df, sounds)
        except (OSError, ValueError, KeyError):
            return None
