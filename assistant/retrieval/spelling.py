"""Input-method slips in questions: a word no passage contains, typed with the same pinyin as a word the passages
do contain, one character apart (光幅 → 光伏, 排放引子 → 排放因子, 能效领跑着 → 能效领跑者).

Pinyin input makes exactly this kind of error: the right syllables, the wrong character. The correction is made
only when it is unambiguous (one candidate) and only for words the knowledge base has never seen, so a correctly
typed word is never touched. Known slips can still be listed in corpus/colloquial.tsv; this covers the rest.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Iterable

_CJK = re.compile(r"^[\u4e00-\u9fff]{2,6}$")
# A degree adverb and an adjective ("最紧", "太高", "很少") are two words jieba may join, not a slip of one word:
# "预算最紧" must not become 最近.
_DEGREE = re.compile(r"^[最很太更挺较超蛮]\w$")


def _pinyin(word: str) -> str:
    from pypinyin import lazy_pinyin

    return " ".join(lazy_pinyin(word))


def sound_table(vocabulary: Iterable[str]) -> dict[str, list[str]]:
    """Pinyin ("guang fu") -> the Chinese words of `vocabulary` that sound so. Made once with the lexical index
    and saved beside it (about 2 s for the vocabulary of 100k chunks), not on the first question."""
    table: dict[str, list[str]] = {}
    for word in vocabulary:
        if _CJK.match(word):
            table.setdefault(_pinyin(word), []).append(word)
    return table


class Speller:
    """Same-pinyin corrections against the knowledge base's own vocabulary."""

    def __init__(self, vocabulary: Iterable[str], sounds: dict[str, list[str]] | None = None,
                 common: Callable[[str], bool] | None = None) -> None:
        self._known = vocabulary if isinstance(vocabulary, (set, frozenset, dict)) else set(vocabulary)
        self._by_sound = sounds if sounds is not None else sound_table(self._known)
        self._common = common  # a word of the language typed on purpose (一直 is not a slip of 一致)

    def correct(self, word: str) -> str | None:
        """The one known word that sounds like `word` and differs in one character; None if none or several."""
        if word in self._known or not _CJK.match(word) or _DEGREE.match(word) or (self._common and self._common(word)):
            return None
        candidates = [w for w in self._by_sound.get(_pinyin(word), [])
                      if len(w) == len(word) and sum(a != b for a, b in zip(w, word)) == 1]
        return candidates[0] if len(candidates) == 1 else None

    def fix(self, text: str, words: list[str]) -> str:
        """`text` with each unknown word (or pair of unknown single characters, which is how jieba splits a slip
        such as 光幅) replaced by its correction. `words` are the text's words in order."""
        text = self.fix_syllables(text)
        spans = [w for w in words if len(w) >= 2 and w not in self._known]
        # two single characters jieba left apart, but not an administrative prefix and the next word's first
        # character ("市大数据中心" is 市 + 大数据中心, not a slip of 十大)
        pairs = [a + b for a, b in zip(words, words[1:]) if len(a) == 1 and len(b) == 1 and a + b in text
                 and a not in "市省县区镇乡"]
        spans += pairs
        # and the character after the pair, which jieba may drop as a stop word ("低谈日": 低 + 谈 + 日 → 低碳日)
        spans += [m.group(0) for pair in pairs for m in re.finditer(re.escape(pair) + r"[\u4e00-\u9fff]", text)]
        for span in dict.fromkeys(spans):
            if re.fullmatch(r"[前第头][一二两三四五六七八九十]", span) or "分之" in span or \
                    re.match(r"[一二两三四五六七八九十百千万零〇几]+[点时号天年月周个吨度台辆块元次]", span):
                continue  # "前七" is the first seven, not 前期; "十点多了" is a time, not 试点; "一吨" is not 亿吨, "几度" not 季度;
                # "百分之" is a share, not 百分制
            fixed = self.correct(span)
            if fixed:
                text = text.replace(span, fixed)
        return text

    def fix_syllables(self, text: str) -> str:
        """`text` with a syllable left in pinyin beside Chinese characters written as the one known word it completes
        ("全国低碳ri" → 全国低碳日): the input method's candidate was never picked. Lower case only (EMC, PUE are
        abbreviations), and only when exactly one known word of two to four characters fits."""
        def written(match: re.Match) -> str:
            syllable = match.group(0)
            before, after = text[:match.start()], text[match.end():]
            for k in (3, 2, 1):
                head = before[-k:]
                if len(head) == k and re.fullmatch(r"[\u4e00-\u9fff]+", head):
                    found = {w for w in self._by_sound.get(f"{_pinyin(head)} {syllable}", ()) if w.startswith(head)}
                    if len(found) == 1:
                        return found.pop()[k:]
                tail = after[:k]
                if len(tail) == k and re.fullmatch(r"[\u4e00-\u9fff]+", tail):
                    found = {w for w in self._by_sound.get(f"{syllable} {_pinyin(tail)}", ()) if w.endswith(tail)}
                    if len(found) == 1:
                        return found.pop()[:-k]
            return syllable

        return re.sub(r"(?<=[\u4e00-\u9fff])[a-z]{1,6}(?![A-Za-z0-9])|(?<![A-Za-z0-9])[a-z]{1,6}(?=[\u4e00-\u9fff])",
                      written, text)


def fix_terms(text: str, pieces: list[str], terms: tuple[str, ...]) -> str:
    """`text` with a two-character slip of one of `terms` corrected where jieba leaves the two characters apart
    (`pieces` are its words in order, stop words included): "体育中心今年能号多少" → 能耗, "综合能好多少" → 能耗.
    A slip whose second character jieba joined to the next word ("人军用睡": 人|军用|睡) is corrected only when the
    corrected text then holds a longer term of `terms` over it (人均用水, 碳排放), so that "能好好利用" stays.
    Only when exactly one term sounds like the pair and differs from it in one character."""
    by_sound = _pair_sounds(terms)
    starts, position = {i for i, c in enumerate(text) if c.isspace()}, 0
    for piece in pieces:  # where jieba's words (and spaces) begin
        found_at = text.find(piece, position)
        if found_at >= 0:
            starts.add(found_at)
            position = found_at + len(piece)
    fixes: list[tuple[int, str, bool]] = []  # (position, term, whether the pair is two one-character words)
    start = 0
    while start < len(text) - 1:
        pair = text[start:start + 2]
        found = [] if pair in pieces else [
            t for t in by_sound.get((_char_sound(pair[0]), _char_sound(pair[1])), ())
            if sum(x != y for x, y in zip(t, pair)) == 1]
        if len(found) == 1:
            alone = {start, start + 1, start + 2} <= starts | {len(text)}  # two single-character words
            fixes.append((start, found[0], alone))
            start += 2
        else:
            start += 1
    fixed = text
    for at, term, _ in reversed(fixes):
        fixed = fixed[:at] + term + fixed[at + 2:]
    longer = [t for t in terms if len(t) > 2]
    covered = {i for t in longer for m in re.finditer(re.escape(t), fixed) for i in range(m.start(), m.end())}
    for at, term, alone in reversed(fixes):
        if alone or {at, at + 1} <= covered:
            text = text[:at] + term + text[at + 2:]
    return text


@lru_cache(maxsize=8)
def _pair_sounds(terms: tuple[str, ...]) -> dict[tuple[str, ...], list[str]]:
    """The sounds of each two-character term, character by character -> those terms (made once per term list)."""
    by_sound: dict[tuple[str, ...], list[str]] = {}
    for term in dict.fromkeys(terms):
        if len(term) == 2 and _CJK.match(term):
            by_sound.setdefault(tuple(_char_sound(c) for c in term), []).append(term)
    return by_sound


@lru_cache(maxsize=16384)
def _char_sound(char: str) -> str:
    from pypinyin import lazy_pinyin

    return lazy_pinyin(char)[0] if "\u4e00" <= char <= "\u9fff" else char


@lru_cache(maxsize=8)
def _name_forms(names: tuple[str, ...]) -> dict[tuple[str, ...], list[str]]:
    """The sounds of each unit name's forms (the name, without 市, without 人民) -> those forms."""
    forms: dict[tuple[str, ...], list[str]] = {}
    for name in names:
        bare = name.removeprefix("市")
        for form in {name, bare, name.replace("人民", ""), bare.replace("人民", "")}:
            if len(form) >= 3 and _CJK.match(form):
                forms.setdefault(tuple(_char_sound(c) for c in form), []).append(form)
    return forms


def fix_names(text: str, names: Iterable[str]) -> str:
    """`text` with a slip in a unit's name corrected (博物管 → 博物馆, 图书官 → 图书馆, 西岙区政付 → 西岙区政府): a
    stretch of the text that sounds like the name, or the name without 市/人民, and differs from it in one character.
    Only when exactly one name fits."""
    forms = _name_forms(tuple(names))
    sounds = tuple(_char_sound(c) for c in text)
    lengths = {len(key) for key in forms}
    fixes = set()
    for n in lengths:
        for start in range(len(text) - n + 1):
            for form in forms.get(sounds[start:start + n], ()):
                window = text[start:start + n]
                if sum(a != b for a, b in zip(window, form)) == 1:
                    fixes.add((window, form))
    # "市财正局" fits 市财政局 and, inside it, 财政局: the same slip, read once
    fixes = {(w, f) for w, f in fixes if not any(w != other and w in other for other, _ in fixes)}
    return text.replace(*fixes.pop()) if len(fixes) == 1 else text
