"""Chinese structure-aware chunking: 章/节/条, 一、（一） clauses, Markdown headings, sentence ends.

A chunk never spans two articles (条) or two headed sections; a long article splits at 。！？； with a small
overlap. Tables (tables.py: a "表格：" caption line, then self-describing rows) split between rows only, and
each continuation chunk starts with the caption again. Each chunk carries its title, heading path, article
label and start page, so answers cite "《公共机构节能条例》第十五条（第3页）". Chunk size: see
docs/ARCHITECTURE.md ("Chunk size").
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from assistant.ingest import tables
from assistant.ingest.documents import Document
from assistant.numerals import to_chinese_numeral

_NUM = r"[零〇一二三四五六七八九十百千0-9０-９]+"
_CHAPTER = re.compile(rf"^第({_NUM})(章|编)\s*(.*)$")
_SECTION = re.compile(rf"^第({_NUM})节\s*(.*)$")
# An article label is followed by a space (full- or half-width), a bracketed caption, or the line end;
# "第十五条规定，……" at a line start is a reference, not an article.
_ARTICLE = re.compile(rf"^第({_NUM})条(?=[\s\u3000（(]|$)")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_CLAUSE_1 = re.compile(r"^[一二三四五六七八九十]+、\s*(.+)$")
_CLAUSE_2 = re.compile(r"^[（(][一二三四五六七八九十]+[)）]\s*(.+)$")
_SENTENCE = re.compile(r"[^。！？；!?;]*[。！？；!?;]+[”’」』）)]*|[^。！？；!?;]+$")


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    doc_id: str
    ord: int
    text: str
    title: str
    doc_type: str
    source: str
    page: int | None = None
    article: str | None = None
    heading_path: tuple[str, ...] = ()
    ocr: bool = False
    meta: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def header(self) -> str:
        """Context header indexed with the text: "公共机构节能条例 › 第三章 节能管理 › 第十五条"."""
        parts = [self.title, *self.heading_path]
        if self.article and self.article not in parts:
            parts.append(self.article)
        return " › ".join(parts)

    @property
    def index_text(self) -> str:
        return f"{self.header}\n{self.text}"

    def to_dict(self) -> dict:
        return {
            "chunk_id": self.chunk_id, "doc_id": self.doc_id, "title": self.title, "doc_type": self.doc_type,
            "source": self.source, "page": self.page, "article": self.article,
            "heading_path": list(self.heading_path), "text": self.text, "ocr": self.ocr,
        }


def chunk_document(doc: Document, doc_id: str, doc_type: str, max_chars: int = 400, overlap: int = 60) -> list[Chunk]:
    """Split a document into chunks along its structure."""
    units = _units(doc)
    chunks: list[Chunk] = []
    content_key = hashlib.sha256(doc.sha256.encode() + f"{max_chars}:{overlap}".encode()).hexdigest()[:8]
    for unit in units:
        for text, page in _pack(unit.paragraphs, max_chars, overlap):
            ordinal = len(chunks)
            chunks.append(Chunk(
                chunk_id=f"{doc_id}-{content_key}-{ordinal:05d}", doc_id=doc_id, ord=ordinal, text=text,
                title=doc.title, doc_type=doc_type, source=doc.source, page=page, article=unit.article,
                heading_path=unit.path, ocr=doc.ocr, meta=dict(doc.meta),
            ))
    return chunks


def citation_label(title: str, article: str | None, page: int | None, heading: str | None = None,
                   doc_number: str | None = None) -> str:
    """《标题》（国务院令第530号）第十五条（第3页）; a heading stands in for the article where the document has none;
    the 文号 is shown when known."""
    label = f"《{title.strip('《》')}》"
    if doc_number and doc_number not in label:
        label += f"（{doc_number}）"
    if article:
        label += article
    elif heading:
        label += " " + heading
    return label + (f"（第{page}页）" if page else "")


def structure(doc: Document) -> list[tuple[tuple[str, ...], str | None, str, int | None]]:
    """The document as it is laid out: (heading path 章/节, article label, text, start page) per article or headed
    section, in order; what chunks are cut from, without the cutting (for reading a whole document)."""
    return [(u.path, u.article, "\n".join(text for text, _ in u.paragraphs), u.paragraphs[0][1]) for u in _units(doc)]


def article_label(number: str) -> str:
    """Normalise "15" / "十五" / "１５" to the label "第十五条"."""
    return f"第{to_chinese_numeral(number)}条"


def find_article(text: str) -> str | None:
    """The article label a question asks about ("条例第15条讲什么" → "第十五条"), if any."""
    match = re.search(rf"第\s*({_NUM})\s*条", text)
    return article_label(match.group(1)) if match else None


# ---------------------------------------------------------------- structure


@dataclass
class _Unit:
    path: tuple[str, ...]
    article: str | None
    paragraphs: list[tuple[str, int | None]] = field(default_factory=list)


def _units(doc: Document) -> list[_Unit]:
    """Group paragraphs into units that a chunk may not cross (an article, or a headed section)."""
    levels: dict[int, str] = {}  # heading level -> heading text; 章=1, 节=2 for laws, Markdown # = 1..6
    article: str | None = None
    units: list[_Unit] = []
    has_articles = any(_ARTICLE.match(re.sub(r"^#+\s*", "", line.strip())) for line in doc.text.split("\n"))

    def path() -> tuple[str, ...]:
        return tuple(levels[k] for k in sorted(levels) if levels[k] != doc.title)

    def start(new_article: str | None) -> None:
        nonlocal article
        article = new_article
        units.append(_Unit(path(), article))

    def set_heading(level: int, text: str) -> None:
        for deeper in [k for k in levels if k >= level]:
            del levels[deeper]
        levels[level] = text
        start(None)

    start(None)
    for section in doc.sections:
        for line in section.text.split("\n"):
            line = line.strip()
            if not line:
                continue
            md = _MD_HEADING.match(line)
            heading_text = md.group(2).strip() if md else line
            if _ARTICLE.match(heading_text):
                label = article_label(_ARTICLE.match(heading_text).group(1))
                start(label)
                rest = heading_text if not md else heading_text[len(_ARTICLE.match(heading_text).group(0)):].strip()
                if rest:
                    units[-1].paragraphs.append((rest, section.page))
                continue
            if md:
                set_heading(len(md.group(1)), heading_text)
                continue
            chapter = _CHAPTER.match(line)
            if chapter and len(line) <= 30:
                set_heading(7, line)  # law chapters nest below any Markdown headings
                continue
            sect = _SECTION.match(line)
            if sect and len(line) <= 30:
                set_heading(8, line)
                continue
            if not has_articles and len(line) <= 30 and not re.search(r"[。；，：]$", line):
                if _CLAUSE_1.match(line):
                    set_heading(9, line)
                    continue
                if _CLAUSE_2.match(line):
                    set_heading(10, line)
                    continue
            units[-1].paragraphs.append((line, section.page))
    return [u for u in units if u.paragraphs]


def _pack(paragraphs: list[tuple[str, int | None]], max_chars: int, overlap: int) -> list[tuple[str, int | None]]:
    """Pack paragraphs into chunks of at most about `max_chars`; split long ones at sentence ends.

    Table rows are never cut between a header and its value: a long row splits between cells (its label
    repeated), and a chunk that starts inside a table starts with the table's caption and "（续）".
    """
    # (text, page, what a chunk starting with this piece starts with: a table's caption and "（续）", or a Markdown
    # table's header row and rule, so that its rows still say what their columns are)
    pieces: list[tuple[str, int | None, str | None]] = []
    caption: str | None = None
    header: str | None = None  # of the Markdown table being read
    for text, page in paragraphs:
        if _PIPE_RULE.match(text) and pieces and _PIPE_ROW.match(pieces[-1][0]) and len(pieces[-1][0]) < max_chars // 2:
            header = f"{pieces[-1][0]}\n{text}"
            pieces.append((text, page, None))
            continue
        if header is not None and _PIPE_ROW.match(text):
            pieces.append((text, page, header))
            continue
        header = None
        if tables.is_caption_line(text):
            caption = text
            pieces.append((text, page, None))
        elif caption is not None and tables.is_row_line(text):
            prefix = caption.removesuffix(tables.CONTINUED) + tables.CONTINUED
            pieces.extend((row, page, prefix) for row in
                          (tables.split_row(text, max_chars - len(caption) - 4) if len(text) > max_chars else [text]))
        else:
            caption = None
            if len(text) <= max_chars:
                pieces.append((text, page, None))
            else:
                pieces.extend((s, page, None) for s in _split_sentences(text, max_chars, overlap))
    chunks: list[tuple[str, int | None]] = []
    buffer, buffer_page = "", None
    for text, page, table in pieces:
        if buffer and len(buffer) + 1 + len(text) > max_chars:
            # a heading line that ends the full chunk ("**6. 同比变化率**") heads the next one, what it introduces
            body, _, last = buffer.rpartition("\n")
            lead_in = last if body and _LEAD_IN.match(last) and table is None else ""
            chunks.append((body if lead_in else buffer, buffer_page))
            buffer, buffer_page = lead_in, page if lead_in else None
            if table is not None:
                buffer, buffer_page = table, page
        buffer = f"{buffer}\n{text}" if buffer else text
        buffer_page = buffer_page if buffer_page is not None else page
    if buffer:
        chunks.append((buffer, buffer_page))
    return chunks


_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_LEAD_IN = re.compile(r"^\s*\*\*[^*\n]{1,40}\*\*[：:]?\s*$|^[^。；\n]{1,40}[：:]\s*$")  # a bold line, a short "……如下："
_PIPE_RULE = re.compile(r"^\s*\|(\s*:?-{2,}:?\s*\|)+\s*$")


def _split_sentences(text: str, max_chars: int, overlap: int) -> list[str]:
    sentences = [s for s in _SENTENCE.findall(text) if s.strip()]
    out: list[str] = []
    current = ""
    for sentence in sentences:
        while len(sentence) > max_chars:  # a run-on sentence: cut at commas, else hard
            cut = max(sentence.rfind("，", 0, max_chars), sentence.rfind(",", 0, max_chars))
            cut = cut + 1 if cut > max_chars // 3 else max_chars
            if current:
                out.append(current)
                current = ""
            out.append(sentence[:cut])
            sentence = sentence[cut:]
        if current and len(current) + len(sentence) > max_chars:
            out.append(current)
            tail = _tail(current, overlap)
            current = tail + sentence if len(tail) + len(sentence) <= max_chars else sentence
        else:
            current += sentence
    if current:
        out.append(current)
    return out


def _tail(text: str, overlap: int) -> str:
    """The last whole sentence(s) of `text` within `overlap` characters, repeated at the next chunk's start."""
    sentences = _SENTENCE.findall(text)
    tail = ""
    for sentence in reversed(sentences):
        if len(tail) + len(sentence) > overlap:
            break
        tail = sentence + tail
    return tail
