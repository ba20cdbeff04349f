"""Offline OCR of scanned PDF pages and images with rapidocr-onnxruntime (PP-OCRv4 models inside the wheel).

Pages are rendered with pypdfium2, read line by line, put in reading order and split into blocks at indents
and wide gaps; textclean.join_lines then joins each block as it does for text PDFs. Lines the recogniser is
unsure of are wrapped in 〖存疑：…〗 and counted in a warning. Runs inside isolation.py's limited child process.
Does not find tables in scans, and does not handle multi-column layouts beyond left-to-right within a row.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from assistant.ingest.textclean import STRUCTURE_START, fix_spacing, is_page_number, join_lines

RENDER_DPI = 150  # A4 at 150 dpi is 1240×1754 px, under the recogniser's 2000 px cap: no second resize
MAX_SIDE = 2000
LOW_CONFIDENCE = 0.80  # lines below this are kept but marked 〖存疑：…〗
DROP_CONFIDENCE = 0.50  # below this rapidocr's own filter already drops a line (stamps, noise)
LOW_MARK = "〖存疑：{}〗"

PageProgress = Callable[[int, int, int], None]  # (done, total, page number)

_LABEL = re.compile(r"^第[零〇一二三四五六七八九十百千0-9]+[章节条][\u3000 ]?")


class OcrUnavailable(RuntimeError):
    """rapidocr-onnxruntime (or its models) cannot be loaded."""


class OcrFailed(RuntimeError):
    """One image could not be read; the message is a short Chinese reason."""


@dataclass(frozen=True)
class OcrLine:
    text: str
    score: float
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        return max(1.0, self.y1 - self.y0)


@dataclass(frozen=True)
class OcrPage:
    """One page read by OCR: paragraphs in reading order, and the lines marked as uncertain."""

    paragraphs: tuple[str, ...]
    uncertain: tuple[str, ...]
    seconds: float

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def available() -> bool:
    """True when rapidocr-onnxruntime can be imported (its models ship inside the wheel)."""
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except Exception:  # noqa: BLE001 - a broken onnxruntime install fails with several error types
        return False
    return True


class OcrEngine:
    """Loads the recogniser once, lazily; `read(image)` returns an OcrPage."""

    def __init__(self) -> None:
        self._engine: Any = None

    def _get(self) -> Any:
        if self._engine is None:
            try:
                from rapidocr_onnxruntime import RapidOCR

                self._engine = RapidOCR()
            except Exception as error:  # noqa: BLE001 - import or model load failure
                raise OcrUnavailable(f"{type(error).__name__}: {error}") from None
        return self._engine

    def read(self, image: Any) -> OcrPage:
        """OCR one PIL image."""
        start = time.monotonic()
        image = _prepare(image)
        engine = self._get()
        try:
            result, _ = engine(image)
        except MemoryError:
            raise
        except Exception as error:  # noqa: BLE001 - onnxruntime reports allocation failures as its own type
            text = str(error).lower()
            if "alloc" in text or "memory" in text:
                raise OcrFailed("内存不足，可用 GREENLEAF_PARSE_MEMORY_MB 调高解析内存上限") from None
            raise OcrFailed(type(error).__name__) from None
        lines = [OcrLine(str(text), float(score), *_bounds(box)) for box, text, score in (result or [])]
        paragraphs, uncertain = assemble(lines, image.width)
        return OcrPage(tuple(paragraphs), tuple(uncertain), time.monotonic() - start)


def assemble(lines: list[OcrLine], page_width: float) -> tuple[list[str], list[str]]:
    """Reading order → blocks → paragraphs. Returns (paragraphs, uncertain line texts)."""
    lines = [x for x in lines if x.text.strip() and x.score >= DROP_CONFIDENCE]
    rows = _rows(lines)
    if not rows:
        return [], []
    # Bare page numbers at the top or bottom of the page ("- 3 -") are not text.
    while rows and is_page_number(rows[0].text):
        rows.pop(0)
    while rows and is_page_number(rows[-1].text):
        rows.pop()
    uncertain = [r.text for r in rows if r.score < LOW_CONFIDENCE]
    paragraphs: list[str] = []
    for block in _blocks(rows, page_width):
        for paragraph in join_lines([r.text for r in block]):
            paragraphs.append(_mark(paragraph, uncertain))
    return paragraphs, uncertain


def pdf_page_images(data: bytes, numbers: list[int], dpi: int = RENDER_DPI) -> Iterator[tuple[int, Any]]:
    """Render the given 1-based pages of a PDF to PIL images."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        for number in numbers:
            page = document[number - 1]
            try:
                scale = dpi / 72
                width, height = page.get_size()
                if max(width, height) * scale > MAX_SIDE:  # a poster-size page: cap the pixels, not the dpi
                    scale = MAX_SIDE / max(width, height)
                bitmap = page.render(scale=scale, grayscale=True)
                yield number, bitmap.to_pil().convert("RGB")
            finally:
                page.close()
    finally:
        document.close()


def image_frames(data: bytes) -> Iterator[Any]:
    """The frames of an image file (a multi-page TIFF has several), as RGB PIL images."""
    import io

    from PIL import Image, ImageSequence

    with Image.open(io.BytesIO(data)) as image:
        for frame in ImageSequence.Iterator(image):
            yield frame.convert("RGB")


# ---------------------------------------------------------------- layout


@dataclass(frozen=True)
class _Row:
    text: str
    score: float  # the lowest score of the boxes in the row
    x0: float
    x1: float
    y0: float
    y1: float


def _prepare(image: Any) -> Any:
    image = image.convert("RGB")
    if max(image.size) > MAX_SIDE:
        ratio = MAX_SIDE / max(image.size)
        image = image.resize((max(1, int(image.width * ratio)), max(1, int(image.height * ratio))))
    return image


def _bounds(box: Any) -> tuple[float, float, float, float]:
    xs = [float(p[0]) for p in box]
    ys = [float(p[1]) for p in box]
    return min(xs), min(ys), max(xs), max(ys)


def _rows(lines: list[OcrLine]) -> list[_Row]:
    """Group boxes whose vertical extents overlap into one physical row, left to right."""
    groups: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda x: (x.y0 + x.y1) / 2):
        center = (line.y0 + line.y1) / 2
        if groups:
            last = groups[-1]
            top = min(x.y0 for x in last)
            bottom = max(x.y1 for x in last)
            if top <= center <= bottom:
                last.append(line)
                continue
        groups.append([line])
    rows = []
    for group in groups:
        group.sort(key=lambda x: x.x0)
        text = group[0].text.strip()
        for left, right in zip(group, group[1:]):
            # A gap of about a character or more separates words ("第十五条　公共机构"); less is one run.
            gap = right.x0 - left.x1
            text += ("\u3000" if gap > 0.8 * min(left.height, right.height) else "") + right.text.strip()
        rows.append(_Row(text, min(x.score for x in group), min(x.x0 for x in group), max(x.x1 for x in group),
                         min(x.y0 for x in group), max(x.y1 for x in group)))
    return rows


def _blocks(rows: list[_Row], page_width: float) -> list[list[_Row]]:
    """Split rows where a new paragraph visibly starts: an indented first line, a wide vertical gap."""
    heights = sorted(r.y1 - r.y0 for r in rows)
    char = max(1.0, heights[len(heights) // 2])  # the body text's line height ≈ one character's width
    # The left margin is where long (body) lines start; indented first lines and centred titles lie right of it.
    widest = max(r.x1 - r.x0 for r in rows)
    margin = min(r.x0 for r in rows if r.x1 - r.x0 >= 0.6 * widest)
    blocks: list[list[_Row]] = [[rows[0]]]
    for prev, row in zip(rows, rows[1:]):
        indented = row.x0 - margin > 1.2 * char
        gap = row.y0 - prev.y1
        if indented or gap > 1.5 * char or STRUCTURE_START.match(row.text):
            blocks.append([row])
        else:
            blocks[-1].append(row)
    return blocks


def _mark(paragraph: str, uncertain: list[str]) -> str:
    """Wrap the uncertain lines found in `paragraph`; an article label at the start stays outside the mark."""
    for line in uncertain:
        line = fix_spacing(line)  # as join_lines saw it; it restores "第十五条　" when OCR ran them together
        start = paragraph.find(line)
        if start < 0 or not line:
            continue
        label = _LABEL.match(line)
        keep = label.end() if label else 0
        if not line[keep:]:
            continue
        paragraph = paragraph[:start] + line[:keep] + LOW_MARK.format(line[keep:]) + paragraph[start + len(line):]
    return paragraph
