"""The sentence, highlighted: which sentences of a passage an answer used, or best match a question.

An answer quotes sentences word for word (the offline engine always does); those are the ones to mark. Where an
answer paraphrases (an LLM) or there is no answer (a search), the sentences that carry most of the question's
topic weight are marked instead. Splitting the passage into marked and unmarked runs is `segments`; drawing them
is the front ends' business.
"""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?[”’」』）)]*")
_QUOTE_MIN = 8  # a shorter run of shared characters is a shared phrase, not a quoted sentence


def sentences(text: str) -> list[str]:
    """The passage's sentences, stripped, in order (one line is at least one sentence)."""
    return [s.strip() for s in _SENTENCE.findall(text or "") if s.strip()]


def quoted(text: str, answer: str) -> list[str]:
    """Sentences of `text` that `answer` repeats (without their end punctuation, which answers often change)."""
    flat = re.sub(r"\s", "", answer or "")
    out = []
    for sentence in sentences(text):
        core = re.sub(r"\s", "", sentence).rstrip("。！？；!?;，,")
        if len(core) >= _QUOTE_MIN and core in flat:
            out.append(sentence)
    return out


def best(kb, question: str, text: str, limit: int = 2, min_share: float = 0.3) -> list[str]:
    """Up to `limit` sentences of `text` that cover most of the question's topic weight (KnowledgeBase.query_weights),
    best first; none that covers less than `min_share` of it."""
    weights = kb.query_weights(question)
    total = sum(weights.values())
    if not total:
        return []
    scored = []
    for position, sentence in enumerate(sentences(text)):
        tokens = set(kb.tokenizer.tokens(sentence))
        share = sum(w for t, w in weights.items() if t in tokens) / total
        if share >= min_share:
            scored.append((-share, position, sentence))
    return [s for _, _, s in sorted(scored)[:limit]]


def marked(kb, question: str, text: str, answer: str | None = None, limit: int = 2) -> list[str]:
    """The sentences to mark: those the answer quotes, else those that best match the question."""
    return quoted(text, answer or "") or best(kb, question, text, limit)


def segments(text: str, marks: list[str]) -> list[tuple[str, bool]]:
    """`text` cut into (run, is_marked) pieces, in order; joining the runs gives `text` back."""
    spans = []
    for mark in dict.fromkeys(m for m in marks if m):
        start = text.find(mark)
        if start >= 0:
            spans.append((start, start + len(mark)))
    out: list[tuple[str, bool]] = []
    position = 0
    for start, end in sorted(spans):
        if start < position:
            continue  # overlapping marks: the first one wins
        if start > position:
            out.append((text[position:start], False))
        out.append((text[start:end], True))
        position = end
    if position < len(text):
        out.append((text[position:], False))
    return out
