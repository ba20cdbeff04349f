"""Clean text extracted from PDFs (and OCR): rejoin lines broken inside Chinese sentences, fix odd spacing.

A Word-exported PDF breaks lines wherever the page edge falls ("公共\\n机构"), pads dates ("3 月 31 日"),
and repeats running headers and page numbers. This module turns one page of such text into paragraphs,
one per line. It does not detect structure (articles, headings): chunking.py does.
"""

from __future__ import annotations

import re
from collections import Counter

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef\u2014\u2018\u2019\u201c\u201d\u2026\u00b7"
_CJK_CHAR = re.compile(f"[{CJK}]")
_CJK_WIDE = re.compile(f"[{CJK}{CJK_PUNCT}]")

# A line that starts a new block: 第X章/节/条, 一、 （一） 1. 1、 (1) 3.1, 附件, bullets, Markdown headings.
STRUCTURE_START = re.compile(
    r"^(第[零〇一二三四五六七八九十百千0-9０-９]+[章节条款编]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十0-9]+[)）]"
    r"|[0-9]+(\.[0-9]+)*[.、．]\s*\S|[0-9]+\.[0-9]+\s|附件|附录|附表|注[:：]|[•·●■◆▪-]\s|#{1,6}\s)"
)
_SENTENCE_END = re.compile(r"[。！？；：!?;:」』”）)]$")
# Spaces between two Chinese characters/punctuation, or between Chinese and a digit, carry no meaning.
_ODD_SPACE = re.compile(f"(?<=[{CJK}{CJK_PUNCT}])[ \\t\u00a0\u3000]+(?=[{CJK}{CJK_PUNCT}0-9])"
                        f"|(?<=[0-9])[ \\t\u00a0\u3000]+(?=[{CJK}{CJK_PUNCT}])")
_ARTICLE_ALONE = re.compile(r"^第[零〇一二三四五六七八九十百千0-9]+条$")
_PAGE_NUMBER = re.compile(r"^[-—–－ ]*(第\s*)?[0-9０-９]+\s*(页)?(\s*/\s*[0-9]+|\s*共\s*[0-9]+\s*页)?[-—–－ ]*$")
# "第十五条公共机构……" (label and text run together, as OCR often returns them) gets its separator back;
# "第十五条规定的……" at a line start is a reference and is left alone.
_ARTICLE_LABEL = re.compile(f"^(第[零〇一二三四五六七八九十百千0-9]+条)\\s*(?=[{CJK}])(?![的所中至之和及与规款项])")


def is_cjk(ch: str) -> bool:
    return bool(ch) and bool(_CJK_CHAR.match(ch))


def fix_spacing(line: str) -> str:
    """Collapse whitespace and drop spaces that sit between Chinese characters, punctuation and digits."""
    line = re.sub(r"[ \t\u00a0\u3000]+", " ", line.strip())
    # Keep the separator after an article label: "第十五条 公共机构……" reads better than "第十五条公共机构……".
    label = _ARTICLE_LABEL.match(line)
    if label:
        rest = _ODD_SPACE.sub("", line[label.end():].lstrip())
        return _ODD_SPACE.sub("", label.group(1)) + "\u3000" + rest
    return _ODD_SPACE.sub("", line)


def join_lines(lines: list[str]) -> list[str]:
    """Join physical lines into paragraphs; return one string per paragraph."""
    # Line widths are measured on the raw line (spaces included, Chinese counted double), since whether a
    # line reached the right margin is a matter of how it was laid out, not of the cleaned text.
    raw = [(fix_spacing(line), _width(line)) for line in lines]
    raw = [(text, width) for text, width in raw if text]
    # A bare number is a page number only at the top or bottom of a page; mid-page it is a wrapped "31".
    edge = set(range(2)) | set(range(len(raw) - 2, len(raw)))
    raw = [x for i, x in enumerate(raw) if not (i in edge and _PAGE_NUMBER.match(x[0]))]
    if not raw:
        return []
    widths = sorted(width for _, width in raw)
    # A "full" line reaches the right margin; with few lines the longest one is the best guess.
    full = widths[int(0.8 * (len(widths) - 1))] if len(widths) >= 5 else widths[-1]
    paragraphs: list[str] = [raw[0][0]]
    for (prev, prev_width), (cur, _) in zip(raw, raw[1:]):
        if _ARTICLE_ALONE.match(paragraphs[-1]):
            paragraphs[-1] += "\u3000" + cur  # "第十五条" wrapped onto a line of its own
        elif _starts_block(prev, prev_width < 0.75 * full, cur):
            paragraphs.append(cur)
        else:
            paragraphs[-1] = _glue(paragraphs[-1], cur)
    return paragraphs


def _width(line: str) -> int:
    line = line.strip()
    return len(line) + len(_CJK_WIDE.findall(line))


def clean_page(text: str) -> str:
    """Clean the raw text of one page: paragraphs separated by newlines."""
    return "\n".join(join_lines(text.splitlines()))


def drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Remove header/footer lines that repeat on most pages (document title, unit name, "内部资料")."""
    running = running_lines(pages)
    if not running:
        return pages
    return [[x for x in lines if fix_spacing(x) not in running] for lines in pages]


def running_lines(pages: list[list[str]]) -> set[str]:
    """The header/footer lines (after fix_spacing) that repeat at the top or bottom of most pages."""
    if len(pages) < 3:
        return set()
    edge = Counter()
    for lines in pages:
        stripped = [fix_spacing(x) for x in lines if x.strip()]
        for line in set(stripped[:2] + stripped[-2:]):
            if len(line) <= 40:
                edge[line] += 1
    return {line for line, n in edge.items() if n >= max(3, int(0.6 * len(pages)))}


def is_page_number(line: str) -> bool:
    """A line that is only a page number: "3", "- 3 -", "第3页", "3/10", "第 3 页 共 10 页"."""
    return bool(_PAGE_NUMBER.match(fix_spacing(line)))


def join_wrapped(text: str) -> str:
    """Join the lines of a short wrapped text (a table cell) into one line, with no stray spaces."""
    # A cell with Chinese in it is wrapped character by character, even inside "kgce": no space at the joins.
    chinese = bool(_CJK_CHAR.search(text))
    out = ""
    for line in text.splitlines():
        line = fix_spacing(line)
        if line:
            out = (out + line if chinese else _glue(out, line)) if out else line
    return out


def garbage_ratio(text: str) -> float:
    """Share of characters that signal failed extraction: U+FFFD, private-use glyphs, "(cid:NN)" codes."""
    if not text:
        return 1.0
    bad = text.count("\ufffd") + sum(1 for ch in text if "\ue000" <= ch <= "\uf8ff")
    bad += 6 * len(re.findall(r"\(cid:\d+\)", text))
    visible = sum(1 for ch in text if not ch.isspace())
    return min(1.0, bad / visible) if visible else 1.0


def _starts_block(prev: str, short: bool, cur: str) -> bool:
    if STRUCTURE_START.match(cur) or prev.startswith("#"):
        return True
    if _SENTENCE_END.search(prev) and short:
        return True  # the previous paragraph ended before the margin
    # A short line of Chinese without ending punctuation is a heading or a title line.
    return short and len(prev) <= 30 and len(_CJK_CHAR.findall(prev)) >= 2 and not re.search(r"[，、,]$", prev)


def _glue(left: str, right: str) -> str:
    a, b = left[-1], right[0]
    if a == "-" and len(left) > 1 and left[-2].isalpha() and b.isalpha() and b.isascii():
        return left[:-1] + right  # English word hyphenated at the line end
    if (a.isdigit() or a in "-/.") and b.isdigit():
        return left + right  # a number or code wrapped at the margin ("0580-\n0000000")
    if a.isascii() and b.isascii() and a.isalnum() and b.isalnum():
        return left + " " + right
    return left + right
