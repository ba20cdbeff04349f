"""Shared fixtures: settings in a temp home, real Chinese PDFs written with a real CJK TrueType font."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.config import Settings

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
]

LATIN_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a fresh home and no dense model (tests that need one pass an embedder)."""
    return replace(Settings.from_env({}), home=tmp_path / "home", embed_model=None)


def cjk_font() -> str:
    for path in FONT_CANDIDATES:
        if os.path.exists(path):
            return path
    raise RuntimeError("找不到中文 TrueType 字体：请安装 Debian 软件包 fonts-droid-fallback"
                       "（make test 会通过 scripts/system-packages.sh 安装）。")


def write_pdf(path: Path, pages: list[list[str]], title: str | None = None, width_mm: float = 120,
              image_pages: set[int] = frozenset()) -> Path:
    """Write a real PDF: each page's paragraphs wrapped by fpdf2 at `width_mm`, so lines break mid-phrase
    the way a Word export does. Pages whose 1-based number is in `image_pages` hold only a picture."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("cjk", fname=cjk_font())
    # Droid Sans Fallback has no Latin digits; DejaVu supplies them, as a second font would in a Word export.
    pdf.add_font("latin", fname=LATIN_FONT)
    pdf.set_fallback_fonts(["latin"])
    if title:
        pdf.set_title(title)
    for number, paragraphs in enumerate(pages, start=1):
        pdf.add_page()
        if number in image_pages:
            pdf.image(_scan_image(path.parent), x=20, y=20, w=150)
            continue
        pdf.set_font("cjk", size=12)
        for paragraph in paragraphs:
            pdf.multi_cell(width_mm, 8, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        pdf.set_auto_page_break(False)  # the footer must not spill onto a new page
        pdf.set_y(-20)
        pdf.cell(0, 8, f"- {number} -", align="C")
        pdf.set_auto_page_break(True, margin=20)
    pdf.output(str(path))
    return path


def _scan_image(folder: Path) -> str:
    """A picture of text (a stand-in for a scanned page): pixels only, no text layer."""
    from PIL import Image, ImageDraw

    target = folder / "scan.png"
    if not target.exists():
        image = Image.new("RGB", (800, 1000), "white")
        draw = ImageDraw.Draw(image)
        for row in range(20):
            draw.rectangle([60, 60 + row * 45, 740 - (row % 3) * 80, 80 + row * 45], fill="black")
        image.save(target)
    return str(target)


@pytest.fixture
def pdf_writer():
    return write_pdf


def render_scan(paragraphs: list[str], width_px: int = 1240, height_px: int = 1754, font_px: int = 26):
    """A page image like a 150-dpi scan: paragraphs wrapped at the margin, first lines indented two characters;
    Chinese in the CJK font, digits and Latin letters in DejaVu (the CJK font has none)."""
    from PIL import Image, ImageDraw, ImageFont

    cjk = ImageFont.truetype(cjk_font(), font_px)
    latin = ImageFont.truetype(LATIN_FONT, font_px)
    image = Image.new("L", (width_px, height_px), 255)
    draw = ImageDraw.Draw(image)
    left, right, y = 120, width_px - 120, 140
    for paragraph in paragraphs:
        x = left + 2 * font_px
        for ch in paragraph:
            font = latin if ch.isascii() else cjk
            advance = draw.textlength(ch, font=font)
            if x + advance > right:
                x, y = left, y + int(font_px * 1.7)
            draw.text((x, y), ch, font=font, fill=0)
            x += advance
        y += int(font_px * 1.7) + font_px // 2
    return image


def write_scan_pdf(path: Path, pages: list[list[str]], dpi: int = 150, title: str | None = None) -> Path:
    """An image-only PDF (no text layer), one rendered page image per entry of `pages`."""
    images = [render_scan(paragraphs).convert("RGB") for paragraphs in pages]
    extra = {"title": title} if title else {}
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=dpi, **extra)
    return path
