"""When a document was adopted, issued, put into effect or last amended, answered from its metadata.

"节能法是哪天开始施行的？" names a document the knowledge base holds and asks one of its dates. The dates were read
from the document itself when it was ingested (ingest/regmeta.py: front matter, the lines under the title, 自…起施行)
and are stored with it, so the answer is exact and cited to that document, whatever words the question used and
however the passages that mention the date are phrased.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.answering.direct import quotable_sentences
from assistant.retrieval.knowledge import SearchHit

# What the question asks about, in order of precedence: a question with 修订 asks the amendment date even if it also
# says 施行 ("修订后的版本哪天施行的" is still the effective date of the current text: 施行 wins over 修订 there).
_ASKS = (
    ("effective", re.compile(r"施行|实施|生效|起效|开始执行|执行的|开始用")),
    ("promulgated", re.compile(r"发布|印发|公布|颁布|出台|发的|下发")),
    ("adopted", re.compile(r"通过")),
    ("last_amended", re.compile(r"修订|修正|修改|改过")),
)
_WHEN = re.compile(r"什么时候|啥时候|哪天|哪一天|哪年|哪一年|几月|几号|何时|多会儿|日期|时间|从哪")
_VERB = {"effective": "起施行", "promulgated": "发布", "adopted": "通过", "last_amended": "最近一次修改"}


@dataclass(frozen=True)
class DocumentDate:
    hit: SearchHit  # the best passage of the document the question names
    field: str
    date: str  # ISO date from the document's metadata

    def sentence(self) -> str:
        """"《中华人民共和国节约能源法》自2008年4月1日起施行", from the metadata, never from a passage."""
        title = self.hit.chunk.title.strip("《》")
        meta = self.hit.chunk.meta or {}
        number = f"（{meta['doc_number']}）" if meta.get("doc_number") and meta["doc_number"] not in title else ""
        when = chinese_date(self.date)
        if self.field == "effective":
            return f"《{title}》{number}自{when}起施行"
        if self.field == "last_amended":
            return f"《{title}》{number}最近一次修改是在{when}"
        if self.field == "promulgated" and re.search(r"令|法$|条例$", meta.get("doc_number", "") + re.sub(r"（.*", "", title)):
            return f"《{title}》{number}于{when}公布"  # laws and regulations are 公布; standards and notices 发布
        return f"《{title}》{number}于{when}{_VERB[self.field]}"

    def passage_sentence(self, hits: list[SearchHit]) -> tuple[SearchHit, str] | None:
        """A sentence of the same document that states the date (第四十三条 "本条例自2008年10月1日起施行"), to quote
        as the evidence with its page or article; None when no retrieved passage states it."""
        when = chinese_date(self.date)
        for hit in [self.hit] + [h for h in hits if h.chunk.doc_id == self.hit.chunk.doc_id]:
            for sentence in quotable_sentences(hit.chunk.text):  # a table row reads "实施日期：2022年3月1日。"
                if when in sentence.replace(" ", ""):
                    return hit, sentence.strip()
        return None


def chinese_date(iso: str) -> str:
    """2008-04-01 → 2008年4月1日 (a year alone or a year and month as given)."""
    parts = [int(p) for p in iso.split("-")]
    return "".join(f"{n}{unit}" for n, unit in zip(parts, "年月日"))


def asked_date(question: str) -> str | None:
    """The metadata field a when-question asks about, or None when it is not a question about a date."""
    if not _WHEN.search(question):
        return None
    return next((name for name, pattern in _ASKS if pattern.search(question)), None)


def document_date(question: str, hits: list[SearchHit], named: Callable[[SearchHit], bool]) -> DocumentDate | None:
    """The date `question` asks of a document it names (`named(hit)` tells whether the question names the hit's
    document: its title words or its number), from the best-ranked such hit whose document records that date."""
    field = asked_date(question)
    if field is None:
        return None
    for hit in hits:
        date = (hit.chunk.meta or {}).get(field)
        if date and named(hit):
            return DocumentDate(hit, field, date)
    return None
