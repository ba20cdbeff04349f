"""Loaders: one file → Document(title, sections with page numbers, metadata, warnings).

Formats: .pdf (pypdf, page by page), .docx, .md (YAML front matter), .txt (UTF-8/BOM/GBK/GB18030), .html.
Untrusted files are parsed in a separate, time- and memory-limited process (isolation.py); this module holds
the parsers themselves and raises DocumentError with a Chinese reason. Scanned pages are reported, not OCR'd.
"""

from __future__ import annotations

import hashlib
import html.parser
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import DocumentError
from assistant.textclean import clean_page, drop_running_lines, garbage_ratio, join_lines

SUPPORTED_SUFFIXES = (".pdf", ".docx", ".md", ".markdown", ".txt", ".html", ".htm")
DOC_TYPES = ("policy", "standard", "case", "campaign", "data", "guide")
META_KEYS = ("issuer", "doc_number", "date")


@dataclass(frozen=True)
class Section:
    """A run of text; `page` is the 1-based PDF page it comes from (None for other formats)."""

    text: str
    page: int | None = None


@dataclass(frozen=True)
class Document:
    source: str
    title: str
    sections: tuple[Section, ...]
    sha256: str
    doc_type: str | None = None  # from front matter; the knowledge base infers one when absent
    meta: dict[str, str] = field(default_factory=dict)  # issuer, doc_number, date
    warnings: tuple[str, ...] = ()
    ocr: bool = False

    @property
    def text(self) -> str:
        return "\n".join(s.text for s in self.sections)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parse_file(path: Path) -> Document:
    """Parse one file in this process. Use isolation.load_document for untrusted input."""
    suffix = path.suffix.lower()
    source = str(path)
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(source, f"不支持的文件类型“{suffix or '无扩展名'}”，支持 PDF、DOCX、MD、TXT、HTML。")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError(source, f"无法读取文件（{error.strerror or error}）。") from None
    if not data.strip():
        raise DocumentError(source, "文件为空。")
    sha = hashlib.sha256(data).hexdigest()
    parser = {".pdf": _parse_pdf, ".docx": _parse_docx, ".md": _parse_markdown, ".markdown": _parse_markdown,
              ".txt": _parse_text, ".html": _parse_html, ".htm": _parse_html}[suffix]
    doc = parser(path, data, sha)
    if not doc.text.strip():
        raise DocumentError(source, "文件中没有可提取的文字。")
    return doc


# ---------------------------------------------------------------- PDF


def _parse_pdf(path: Path, data: bytes, sha: str) -> Document:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    source = str(path)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Many PDFs carry only an owner password (printing restrictions); an empty user password opens them.
            try:
                opened = reader.decrypt("")
            except Exception:  # noqa: BLE001 - pypdf raises several types for unsupported crypto
                opened = 0
            if not opened:
                raise DocumentError(source, "PDF 已加密，需要密码才能打开。请先去除密码保护后再导入。")
        raw_pages = []
        for page in reader.pages:
            try:
                raw_pages.append(page.extract_text() or "")
            except Exception:  # noqa: BLE001 - a damaged content stream fails only its own page
                raw_pages.append("")
        info_title = _pdf_info_title(reader)
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        raise DocumentError(source, f"PDF 文件已损坏或格式不正确，无法解析（{type(error).__name__}）。") from None
    if not raw_pages:
        raise DocumentError(source, "PDF 没有任何页面。")

    pages_lines = drop_running_lines([text.splitlines() for text in raw_pages])
    sections: list[Section] = []
    warnings: list[str] = []
    for number, (raw, lines) in enumerate(zip(raw_pages, pages_lines), start=1):
        visible = re.sub(r"\s", "", raw)
        if len(visible) < 5 or garbage_ratio(raw) > 0.1:
            warnings.append(f"第{number}页无可提取文字（可能是扫描件）")
            continue
        text = "\n".join(join_lines(lines))
        if text:
            sections.append(Section(text, number))
    if not sections:
        raise DocumentError(source, f"PDF 共 {len(raw_pages)} 页，均无可提取文字（可能是扫描件或图片），无法导入。")
    first_lines = sections[0].text.splitlines()
    title = info_title or _title_from_lines(first_lines) or path.stem
    return Document(source, title, tuple(sections), sha, warnings=tuple(warnings))


def _pdf_info_title(reader: Any) -> str | None:
    try:
        title = (reader.metadata or {}).get("/Title")
    except Exception:  # noqa: BLE001 - broken info dictionaries are common and harmless
        return None
    if not isinstance(title, str):
        return None
    title = re.sub(r"^Microsoft (Word|PowerPoint) - ", "", title.strip())
    title = re.sub(r"\.(docx?|wps|pdf)$", "", title, flags=re.I)
    if not title or title.lower() in {"untitled", "无标题", "document"} or not re.search(r"[\u4e00-\u9fffA-Za-z]", title):
        return None
    return title


def _title_from_lines(lines: list[str]) -> str | None:
    for line in lines[:3]:
        line = line.strip().lstrip("#").strip()
        if 2 <= len(line) <= 40 and not re.search(r"[。；]$", line):
            return line
    return None


# ---------------------------------------------------------------- DOCX


def _parse_docx(path: Path, data: bytes, sha: str) -> Document:
    import io
    import zipfile

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    source = str(path)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise DocumentError(source, f"DOCX 文件已损坏或不是 Word 2007 以上格式（{type(error).__name__}）。") from None
    blocks: list[str] = []
    first_heading = None
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(element, document)
            text = paragraph.text.strip()
            if not text:
                continue
            level = _docx_heading_level(paragraph.style.name if paragraph.style is not None else "")
            if level:
                first_heading = first_heading or text
                blocks.append("#" * level + " " + text)
            else:
                blocks.extend(join_lines(text.splitlines()))
        elif tag == "tbl":
            for row in Table(element, document).rows:
                cells = []
                for cell in row.cells:
                    value = " ".join(cell.text.split())
                    if value and (not cells or cells[-1] != value):  # merged cells repeat their text
                        cells.append(value)
                if cells:
                    blocks.append("｜".join(cells))
    core_title = (document.core_properties.title or "").strip()
    title = core_title or first_heading or _title_from_lines(blocks) or path.stem
    return Document(source, title, (Section("\n".join(blocks)),), sha)


def _docx_heading_level(style: str) -> int:
    match = re.match(r"^(Heading|标题)\s*(\d)$", style.strip(), flags=re.I)
    if match:
        return min(int(match.group(2)), 6)
    return 1 if style.strip().lower() in {"title", "标题"} else 0


# ---------------------------------------------------------------- Markdown and text


def decode_text(data: bytes, source: str) -> str:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 (BOM), else GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise DocumentError(source, "无法识别文件编码（既不是 UTF-8 也不是 GBK/GB18030）。请另存为 UTF-8 后再导入。")
    return str(best)


def _parse_markdown(path: Path, data: bytes, sha: str) -> Document:
    source = str(path)
    text = decode_text(data, source).replace("\r\n", "\n")
    front: dict[str, Any] = {}
    match = re.match(r"^---\s*\n(.*?)\n---\s*(\n|$)", text, flags=re.S)
    if match:
        try:
            loaded = yaml.safe_load(match.group(1))
        except yaml.YAMLError as error:
            raise DocumentError(source, f"文件开头的 YAML 元数据格式有误：{str(error).splitlines()[0]}") from None
        if isinstance(loaded, dict):
            front = loaded
        text = text[match.end():]
    heading = re.search(r"^#\s+(.+)$", text, flags=re.M)
    title = str(front.get("title") or "").strip() or (heading.group(1).strip() if heading else "") or path.stem
    doc_type = str(front.get("doc_type") or "").strip() or None
    if doc_type and doc_type not in DOC_TYPES:
        raise DocumentError(source, f"doc_type“{doc_type}”无效，应为 {'/'.join(DOC_TYPES)} 之一。")
    meta = {key: str(front[key]).strip() for key in META_KEYS if front.get(key) not in (None, "")}
    return Document(source, title, (Section(text.strip()),), sha, doc_type=doc_type, meta=meta)


def _parse_text(path: Path, data: bytes, sha: str) -> Document:
    text = decode_text(data, str(path)).replace("\r\n", "\n").replace("\r", "\n")
    # Plain-text exports often wrap lines like PDFs do; blank lines separate paragraphs.
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        paragraphs.extend(join_lines(block.splitlines()))
    body = "\n".join(paragraphs)
    title = _title_from_lines(paragraphs) or path.stem
    return Document(str(path), title, (Section(body),), sha)


# ---------------------------------------------------------------- HTML


class _VisibleText(html.parser.HTMLParser):
    HIDDEN = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
    BLOCK = {"p", "div", "br", "li", "tr", "section", "article", "table", "ul", "ol", "blockquote", "pre",
             "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "dd", "dt"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "title":
            self._in_title = True
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")
            if re.fullmatch(r"h[1-6]", tag):
                self.parts.append("#" * int(tag[1]) + " ")
        elif tag in {"td", "th"}:
            self.parts.append("｜")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if not self.hidden:
            self.parts.append(data)


def _parse_html(path: Path, data: bytes, sha: str) -> Document:
    source = str(path)
    raw = decode_text(data, source)
    parser = _VisibleText()
    parser.feed(raw)
    parser.close()
    lines = []
    for line in "".join(parser.parts).split("\n"):
        line = re.sub(r"^｜", "", " ".join(line.split()))
        if line and line not in {"#", "##", "###"}:
            lines.append(line)
    body = "\n".join(join_lines(lines)) if lines else ""
    heading = next((x.lstrip("#").strip() for x in lines if x.startswith("# ")), "")
    title = " ".join(parser.title.split()) or heading or path.stem
    return Document(source, title, (Section(body),), sha)
