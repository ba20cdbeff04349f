"""Loaders: one file → Document(title, sections with page numbers, metadata, warnings).

Formats: .pdf (pypdf, page by page; ruled tables via pdfplumber), .docx, .md (YAML front matter), .txt
(UTF-8/BOM/GBK/GB18030), .html, images (.png .jpg .tif, by OCR), and — when named explicitly — .csv/.xlsx as
knowledge tables. Untrusted files are parsed in a separate, time- and memory-limited process (isolation.py);
this module holds the parsers and raises DocumentError with a Chinese reason. Scanned pages are OCR'd only when
asked (`ocr=True`) and rapidocr-onnxruntime is installed; otherwise they are reported as warnings.
"""

from __future__ import annotations

import hashlib
import html.parser
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

import yaml

from assistant.ingest import regmeta, tables
from assistant.errors import DocumentError
from assistant.ingest.textclean import STRUCTURE_START, fix_spacing, garbage_ratio, join_lines, running_lines

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
# Folder ingests take these; spreadsheets are loaded only when named one by one, since a folder's CSV/XLSX is
# more often consumption data (greenleaf data import) than knowledge.
SUPPORTED_SUFFIXES = (".pdf", ".docx", ".md", ".markdown", ".txt", ".html", ".htm") + IMAGE_SUFFIXES
TABLE_SUFFIXES = (".csv", ".xlsx")
LOADABLE_SUFFIXES = SUPPORTED_SUFFIXES + TABLE_SUFFIXES
SUPPORTED_NAMES = "PDF、DOCX、MD、TXT、HTML、图片（PNG/JPG/TIF）、CSV、XLSX"
PageProgress = Callable[[int, int, int], None]  # (pages done, pages to OCR, page number): OCR progress
DOC_TYPES = ("policy", "standard", "case", "campaign", "data", "guide")
# Front matter keys kept as metadata: the regulation fields (regmeta.FIELDS), a status, and the older `date`.
META_KEYS = (*regmeta.FIELDS, "status", "date")


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
    meta: dict[str, str] = field(default_factory=dict)  # regmeta.FIELDS, status, date, ocr_pages
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


def parse_file(path: Path, ocr: bool = False, progress: PageProgress | None = None) -> Document:
    """Parse one file in this process. Use isolation.load_document for untrusted input.

    `ocr`: read scanned PDF pages and image files with OCR (when rapidocr-onnxruntime is installed);
    `progress` is called before and after each OCR'd page.
    """
    suffix = path.suffix.lower()
    source = str(path)
    if suffix not in LOADABLE_SUFFIXES:
        raise DocumentError(source, f"不支持的文件类型“{suffix or '无扩展名'}”，支持 {SUPPORTED_NAMES}。")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError(source, f"无法读取文件（{error.strerror or error}）。") from None
    if not data.strip():
        raise DocumentError(source, "文件为空。")
    sha = hashlib.sha256(data).hexdigest()
    if suffix == ".pdf":
        doc = _parse_pdf(path, data, sha, ocr, progress)
    elif suffix in IMAGE_SUFFIXES:
        doc = _parse_image(path, data, sha, ocr, progress)
    else:
        parser = {".docx": _parse_docx, ".md": _parse_markdown, ".markdown": _parse_markdown, ".txt": _parse_text,
                  ".html": _parse_html, ".htm": _parse_html, ".csv": _parse_csv, ".xlsx": _parse_xlsx}[suffix]
        doc = parser(path, data, sha)
    if not doc.text.strip():
        raise DocumentError(source, "文件中没有可提取的文字。")
    # 文号, issuer and dates as the text states them; front matter (already in doc.meta) wins.
    meta, warnings = regmeta.describe(doc.text, doc.title, doc.meta)
    return replace(doc, meta=meta, warnings=(*doc.warnings, *warnings))


# ---------------------------------------------------------------- PDF


def _parse_pdf(path: Path, data: bytes, sha: str, ocr: bool = False,
               progress: PageProgress | None = None) -> Document:
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

    running = running_lines([text.splitlines() for text in raw_pages])
    scanned = [n for n, raw in enumerate(raw_pages, start=1)
               if len(re.sub(r"\s", "", raw)) < 5 or garbage_ratio(raw) > 0.1]
    table_pages = tables.pdf_table_pages(data, [n for n in range(1, len(raw_pages) + 1) if n not in scanned], running)
    read: dict[int, list[Section]] = {}
    for number, raw in enumerate(raw_pages, start=1):
        if number in scanned:
            continue
        if number in table_pages:
            read[number] = [Section(text, number) for text in table_pages[number]]
            continue
        lines = [x for x in raw.splitlines() if fix_spacing(x) not in running]
        text = "\n".join(join_lines(lines))
        if text:
            read[number] = [Section(text, number)]
    warnings: list[str] = []
    meta: dict[str, str] = {}
    ocr_used = False
    if scanned and ocr:
        ocr_read, ocr_warnings, ocr_used = _ocr_pdf_pages(data, scanned, progress)
        read.update(ocr_read)
        warnings.extend(ocr_warnings)
        if ocr_used:
            meta["ocr_pages"] = _page_ranges(sorted(ocr_read))
    else:
        warnings.extend(f"第{n}页无可提取文字（可能是扫描件）" for n in scanned)
    sections = [section for number in sorted(read) for section in read[number]]
    if not sections:
        failed = next((w.split("OCR 识别失败：", 1)[1] for w in warnings if "OCR 识别失败：" in w), "")
        raise DocumentError(source, f"PDF 共 {len(raw_pages)} 页，均无可提取文字（可能是扫描件或图片），无法导入。"
                            + (f"OCR 识别失败：{failed}。" if failed else _no_ocr_hint(ocr)))
    first_lines = sections[0].text.splitlines()
    title = info_title or _title_from_lines(first_lines) or path.stem
    return Document(source, title, tuple(sections), sha, meta=meta, warnings=tuple(warnings), ocr=ocr_used)


def _no_ocr_hint(ocr: bool) -> str:
    from assistant.ingest import ocr as ocr_module

    if not ocr:
        return "OCR 识别已关闭（GREENLEAF_OCR=off）；如需识别扫描件，请设为 auto。"
    if not ocr_module.available():
        return "未安装 OCR 组件（rapidocr-onnxruntime），可运行 pip install rapidocr-onnxruntime 后重试。"
    return "OCR 也未识别出文字。"


def _ocr_pdf_pages(data: bytes, numbers: list[int],
                   progress: PageProgress | None) -> tuple[dict[int, list[Section]], list[str], bool]:
    """OCR the scanned pages; returns sections by page, warnings, and whether any page yielded text."""
    from assistant.ingest import ocr as ocr_module

    if not ocr_module.available():
        hint = "未安装 OCR 组件 rapidocr-onnxruntime，未识别"
        return {}, [f"第{n}页无可提取文字（可能是扫描件），{hint}" for n in numbers], False
    engine = ocr_module.OcrEngine()
    read: dict[int, list[Section]] = {}
    warnings: list[str] = []
    uncertain = 0
    if progress:
        progress(0, len(numbers), numbers[0])
    try:
        for done, (number, image) in enumerate(ocr_module.pdf_page_images(data, numbers), start=1):
            try:
                page = engine.read(image)
            except ocr_module.OcrFailed as error:
                warnings.append(f"第{number}页无可提取文字（可能是扫描件），OCR 识别失败：{error}")
                if progress:
                    progress(done, len(numbers), number)
                continue
            if page.paragraphs:
                read[number] = [Section(page.text, number)]
            else:
                warnings.append(f"第{number}页无可提取文字（可能是扫描件）")
            if page.uncertain:
                uncertain += len(page.uncertain)
                warnings.append(f"第{number}页有 {len(page.uncertain)} 行 OCR 识别置信度较低，已用〖存疑：…〗标出，"
                                "请对照原件核实")
            if progress:
                progress(done, len(numbers), number)
    except ocr_module.OcrUnavailable as error:
        warnings.append(f"OCR 组件无法加载（{error}），扫描页未识别")
    if read:
        warnings.insert(0, f"第{_page_ranges(sorted(read))}页为扫描件，已用 OCR 识别文字，引用前请核对原件")
    return read, warnings, bool(read)


def _page_ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5] → "1-3、5"."""
    out: list[str] = []
    for n in numbers:
        if out and out[-1].split("-")[-1] == str(n - 1):
            out[-1] = out[-1].split("-")[0] + f"-{n}"
        else:
            out.append(str(n))
    return "、".join(out)


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
    heading = ""  # the nearest heading above a table, its caption when it has none of its own
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
            caption = ""
            if blocks and blocks[-1].startswith("#"):
                caption = blocks[-1].lstrip("#").strip()
            elif blocks and tables.looks_like_caption(blocks[-1]):
                caption = blocks[-1] if STRUCTURE_START.match(blocks[-1]) else blocks.pop()
            parsed = tables.from_grid(_docx_grid(Table(element, document)), caption or heading)
            if parsed is not None:
                blocks.extend(parsed.lines())
            continue
        if blocks and blocks[-1].startswith("#"):
            heading = blocks[-1].lstrip("#").strip()
        elif blocks:
            heading = tables.last_heading(blocks[-1:]) or heading
    core_title = (document.core_properties.title or "").strip()
    title = core_title or first_heading or _title_from_lines(blocks) or path.stem
    return Document(source, title, (Section("\n".join(blocks)),), sha)


def _docx_grid(table: Any) -> list[list[str | None]]:
    """Cell texts; None where a cell continues a merge (python-docx repeats the merged cell's object)."""
    grid: list[list[str | None]] = []
    above: list[Any] = []
    for row in table.rows:
        cells = list(row.cells)
        out: list[str | None] = []
        for j, cell in enumerate(cells):
            merged = (j > 0 and cell._tc is cells[j - 1]._tc) or (j < len(above) and cell._tc is above[j]._tc)
            out.append(None if merged else "\n".join(p.text for p in cell.paragraphs))
        grid.append(out)
        above = cells
    return grid


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


# ---------------------------------------------------------------- images (OCR)


def _parse_image(path: Path, data: bytes, sha: str, ocr: bool, progress: PageProgress | None) -> Document:
    from assistant.ingest import ocr as ocr_module

    source = str(path)
    if not ocr:
        raise DocumentError(source, "图片只能靠 OCR 识别文字，但 OCR 识别已关闭（GREENLEAF_OCR=off）；如需导入，请设为 auto。")
    if not ocr_module.available():
        raise DocumentError(source, "图片需要 OCR 识别文字，但未安装 OCR 组件（rapidocr-onnxruntime），"
                                    "可运行 pip install rapidocr-onnxruntime 后重试。")
    try:
        frames = list(ocr_module.image_frames(data))
    except Exception as error:  # noqa: BLE001 - PIL raises many types for damaged or unknown images
        raise DocumentError(source, f"图片文件已损坏或格式不受支持（{type(error).__name__}）。") from None
    engine = ocr_module.OcrEngine()
    sections: list[Section] = []
    warnings: list[str] = []
    multi = len(frames) > 1  # a multi-page TIFF cites pages; a single picture has none
    if progress:
        progress(0, len(frames), 1)
    for number, frame in enumerate(frames, start=1):
        try:
            page = engine.read(frame)
        except ocr_module.OcrUnavailable as error:
            raise DocumentError(source, f"OCR 组件无法加载（{error}）。") from None
        except ocr_module.OcrFailed as error:
            raise DocumentError(source, f"OCR 识别失败：{error}。") from None
        where = f"第{number}页" if multi else "图片中"
        if page.paragraphs:
            sections.append(Section(page.text, number if multi else None))
        elif multi:
            warnings.append(f"{where}未识别出文字")
        if page.uncertain:
            warnings.append(f"{where}有 {len(page.uncertain)} 行 OCR 识别置信度较低，已用〖存疑：…〗标出，请对照原件核实")
        if progress:
            progress(number, len(frames), number)
    if not sections:
        raise DocumentError(source, "OCR 未在图片中识别出文字（图片可能过于模糊、过小或不含文字）。")
    warnings.insert(0, "图片文字由 OCR 识别，引用前请核对原件")
    title = _title_from_lines(sections[0].text.splitlines()) or path.stem
    meta = {"ocr_pages": _page_ranges([s.page for s in sections if s.page]) if multi else "1"}
    return Document(source, title, tuple(sections), sha, meta=meta, warnings=tuple(warnings), ocr=True)


# ---------------------------------------------------------------- CSV and XLSX as knowledge tables

_DATA_HEADERS = ({"单位名称", "institution"}, {"统计期", "period"})


def _parse_csv(path: Path, data: bytes, sha: str) -> Document:
    import csv

    source = str(path)
    text = decode_text(data, source).replace("\r\n", "\n").replace("\r", "\n")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;，")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows = [[c.strip() for c in row] for row in csv.reader(text.splitlines(), delimiter=delimiter)]
    return _sheet_document(path, sha, [(path.stem, rows)])


def _parse_xlsx(path: Path, data: bytes, sha: str) -> Document:
    import io
    import zipfile

    import openpyxl

    source = str(path)
    try:
        # Not read-only: merged-cell ranges are only known in the full model.
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise DocumentError(source, f"XLSX 文件已损坏或不是 Excel 2007 以上格式（{type(error).__name__}）。") from None
    sheets = []
    for sheet in book.worksheets:
        covered: set[tuple[int, int]] = set()
        for merged in sheet.merged_cells.ranges:
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if (r, c) != (merged.min_row, merged.min_col):
                        covered.add((r, c))
        rows: list[list[str | None]] = []
        for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append([None if (r, c) in covered else tables.cell_text(v) for c, v in enumerate(row, start=1)])
        sheets.append((sheet.title, rows))
    return _sheet_document(path, sha, sheets)


def _sheet_document(path: Path, sha: str, sheets: list[tuple[str, list[list[str | None]]]]) -> Document:
    """Each sheet becomes one table; rows above the header holding a single cell are its title."""
    sections: list[Section] = []
    warnings: list[str] = []
    title = ""
    for name, rows in sheets:
        titles: list[str] = []
        while rows and sum(1 for c in rows[0] if c) <= 1:
            cell = next((c for c in rows[0] if c), "")
            if cell:
                titles.append(cell.lstrip("#").strip())
            rows = rows[1:]
        if not rows:
            continue
        default_name = re.fullmatch(r"(Sheet|工作表)\s*\d*", name, flags=re.I) or name == path.stem
        caption = "；".join(titles) or ("" if default_name else name) or path.stem
        parsed = tables.from_grid(rows, caption)
        if parsed is None:
            continue
        title = title or (titles[0] if titles else "")
        sections.append(Section(parsed.text()))
        header_names = {h.strip().lower() for h in parsed.headers}
        if all(header_names & names for names in _DATA_HEADERS):
            warnings.append(f"“{name}”的表头与能耗数据一致；已作为知识表格导入。如需计算能耗指标，"
                            "请用 greenleaf data import 导入。")
    if not sections:
        raise DocumentError(str(path), "表格中没有可导入的内容（至少需要一行表头和一行数据）。")
    return Document(str(path), title or path.stem, tuple(sections), sha, warnings=tuple(warnings))


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
    if heading and title.startswith(heading) and title[len(heading):][:1] in ("_", "-", "–", "—", "|", "｜", " "):
        title = heading  # "民用建筑节能条例_中国政府网": the page's heading without the site's name
    return Document(source, title, (Section(body),), sha)
