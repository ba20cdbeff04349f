"""Questions as staff type them, in the documents' words: the colloquial lexicon (corpus/colloquial.tsv).

Rows are `spoken, standard, kind, note`: `replace` and `typo` rows rewrite a spoken form or an input-method slip
(啥→什么, 节能宣传州→节能宣传周), `dialect` rows a dialect word that data questions read too (成个市→全市, 超咗→超了),
`filler` rows are dropped (请问, 麻烦问一下; a note saying 句首/句末 limits them to
the start/end of the question), and `question` rows name question words with their type (什么时候 → when). A note
saying 数字后 limits a row to right after a digit ("30方"). Question words stay in the text: they say what is
asked, but `topic()` removes them so that only what the question is about counts as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

QUESTION_TYPES = ("when", "how_many", "duration", "penalty", "department", "how_to", "definition", "yes_no", "formula",
                  "article")
_END_PUNCT = "？?。！!，,～~ \t"
_CN_NUMERALS = "一二两三四五六七八九十百千万"
_AFTER_DIGIT_EXCEPT = {"方": "面案式向法"}  # 方 after a digit is 立方米, unless it starts 方面/方案/方式 …


@dataclass(frozen=True)
class Normalised:
    text: str  # the question in the documents' words
    types: tuple[str, ...] = ()  # question types, in the order their words appear
    removed: tuple[str, ...] = ()  # fillers dropped


@dataclass
class Lexicon:
    replace: dict[str, str] = field(default_factory=dict)
    after_digit: dict[str, str] = field(default_factory=dict)
    fillers: set[str] = field(default_factory=set)
    leading: set[str] = field(default_factory=set)
    trailing: set[str] = field(default_factory=set)
    questions: dict[str, str] = field(default_factory=dict)  # question word -> type
    typos: dict[str, str] = field(default_factory=dict)  # slips and dialect words (also rewritten in data questions)

    @classmethod
    def load(cls, path: Path) -> "Lexicon":
        """Read the TSV; a missing file gives an empty lexicon (questions pass through unchanged)."""
        lexicon = cls()
        if not path.is_file():
            lexicon._compile()
            return lexicon
        for line in path.read_text(encoding="utf-8-sig").splitlines()[1:]:
            parts = (line.split("\t") + ["", "", ""])[:4]
            spoken, standard, kind, note = (p.strip() for p in parts)
            if not spoken or line.startswith("#"):
                continue
            if kind in ("replace", "typo", "dialect"):
                (lexicon.after_digit if "数字后" in note else lexicon.replace)[spoken] = standard
                if kind in ("typo", "dialect") and "数字后" not in note:
                    lexicon.typos[spoken] = standard
            elif kind == "filler":
                (lexicon.leading if "句首" in note else lexicon.trailing if "句末" in note else lexicon.fillers).add(spoken)
            elif kind == "question" and standard in QUESTION_TYPES:
                lexicon.questions[spoken] = standard
        lexicon._compile()
        return lexicon

    def _compile(self) -> None:
        # One pass, longest key first at each position, so 电费单上的度数 wins over 电费单 and nothing is rewritten twice.
        rewrites = {**self.replace, **{k: "" for k in self.fillers}}
        self._rewrite = _alternation(rewrites)
        self._rewrites = rewrites
        self._digit = _alternation(self.after_digit)
        self._typo = _alternation(self.typos)
        self._question = _alternation(self.questions)
        self._leading = sorted(self.leading | self.fillers, key=lambda w: (-len(w), w))  # longest first, stable
        self._trailing = sorted(self.trailing, key=lambda w: (-len(w), w))
        # A sentence-final particle that ends a spoken word is part of it: 干嘛 is 做什么, not 干 and a filler 嘛
        self._ends_a_word = {w: tuple(k for k in self.replace if k.endswith(w) and len(k) > len(w))
                             for w in self._trailing}

    def normalise(self, question: str) -> Normalised:
        """The question with spoken forms replaced, typos fixed and fillers dropped; its question types."""
        text = question.strip()
        removed: list[str] = []
        changed = True
        while changed:  # 句首/句末 fillers, possibly several ("那个，请问……呗")
            changed = False
            for word in self._leading:
                if text.startswith(word):
                    text, changed = text[len(word):].lstrip(_END_PUNCT), True
                    removed.append(word)
                    break
            stripped = text.rstrip(_END_PUNCT)
            for word in self._trailing:
                if stripped.endswith(word) and len(stripped) > len(word) and \
                        not any(stripped.endswith(k) for k in self._ends_a_word[word]):
                    text, changed = stripped[: -len(word)] + text[len(stripped):], True
                    removed.append(word)
                    break
        if self._rewrite is not None:
            def sub(match: re.Match) -> str:
                word = match.group(0)
                if word in self.fillers:
                    removed.append(word)
                return self._rewrites[word]

            text = self._rewrite.sub(sub, text)
        if self._digit is not None:
            text = self._digit.sub(self._after_digit, text)
        types = tuple(dict.fromkeys(self.questions[m.group(0)] for m in self._question.finditer(text))) \
            if self._question is not None else ()
        return Normalised(text.strip(), types, tuple(removed))

    def fix_typos(self, text: str) -> str:
        """`text` with the lexicon's input-method slips and dialect words rewritten and nothing else ("医院里人均用水排
        一夏", "成个市有边啲单位超咗"): for data questions, whose own words must stay as typed."""
        return self._typo.sub(lambda m: self.typos[m.group(0)], text) if self._typo is not None else text

    def topic(self, text: str) -> str:
        """`text` without its question words: what the question is about."""
        return self._question.sub(" ", text) if self._question is not None else text

    def _after_digit(self, match: re.Match) -> str:
        word = match.group(0)
        start, end = match.start(), match.end()
        before = match.string[start - 1] if start else ""
        after = match.string[end] if end < len(match.string) else ""
        # After a Chinese numeral only a unit of two or more characters: "一千度电" is 1000 kWh, but 第三方 and 一方面
        # are no volumes
        numeral = before.isdigit() or (len(word) >= 2 and before in _CN_NUMERALS)
        if not numeral or (after and after in _AFTER_DIGIT_EXCEPT.get(word, "")):
            return word
        return self.after_digit[word]


def _alternation(table: dict[str, str]) -> re.Pattern | None:
    keys = sorted((k for k in table if k), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys))) if keys else None


SPOKEN_MESSAGE_CHARS = 24  # a message longer than this, typed without punctuation, pauses where it has spaces


def pauses_as_commas(text: str) -> str:
    """A long message spoken without punctuation ("我是二中的 校长问我为啥今年预算又超了 我们2025年人均用水多少")
    with each pause (a space between Chinese characters) written as a comma, so that its clauses can be told apart;
    a short one ("今年 超预算 名单") as typed."""
    if len(re.sub(r"\s+", "", text)) <= SPOKEN_MESSAGE_CHARS:
        return text
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "，", text)
