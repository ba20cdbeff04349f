"""Which numbers in a model's text no evidence supports: the one number checker for answers and drafts.

Numbers are read as values, not substrings: "12,345" = "12345", "80.10" = "80.1", "3万" = 30000, "百分之十五" = 15%,
"一千二百" = 1200, "6月24日" is one date (not 6 and 24), and "189.5" is accepted as a rounding of "189.54".
Whole numbers up to 10 pass, since prose counts things ("三项措施", "3个方面"); so do citation markers [1] and
plan names (十四五). Not handled: fractions (三分之一) and unit conversion (1.4吨 is not 1400千克).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Iterable

from assistant.numerals import CN_DIGITS, chinese_to_int


@dataclass(frozen=True)
class Number:
    """A number found in text: `raw` as written, `value` normalised (commas, 万/亿, Chinese numerals)."""

    raw: str
    value: Decimal
    decimals: int
    percent: bool
    date: bool = False  # "6月23日" is one number, month × 100 + day, compared with dates only


def unsupported_numbers(text: str, evidence: Iterable[str]) -> list[str]:
    """The numbers in `text` (as written, each once) that no evidence text states; [n] citation markers are skipped."""
    flagged = unverified_numbers(_CITATION_MARKER.sub(" ", text), evidence)
    return list(dict.fromkeys(n.raw for n in flagged))


def unverified_numbers(text: str, allowed_texts: Iterable[str]) -> list[Number]:
    """Numbers in `text` not among those in `allowed_texts` (a number may be a rounding of an allowed one).

    Small whole numbers up to 10 pass: prose counts things ("三项措施", "2个方面") without stating facts.
    """
    allowed = [(n.value, n.date) for t in allowed_texts for n in find_numbers(t)]
    bad = []
    for n in find_numbers(text):
        if not n.percent and not n.date and n.decimals == 0 and n.value <= 10:
            continue
        if not any(_matches(n, a) for a, is_date in allowed if is_date == n.date):
            bad.append(n)
    return bad


def find_numbers(text: str) -> list[Number]:
    """Every number in `text`: Arabic (1,234.5 / 5% / 3万), 百分之五, and Chinese numerals such as 一千、二〇二六."""
    text = _PLACEHOLDER.sub("", text)  # before NFKC, which turns its full-width colon into ":"
    text = _PLAN_NAMES.sub("", unicodedata.normalize("NFKC", text))
    found: list[Number] = []
    for m in _DATE.finditer(text):
        month = int(m.group(1))
        found.append(Number(m.group(1) + "月" + m.group(2) + "日", Decimal(month * 100 + int(m.group(2))), 0, False, True))
        if m.group(4):
            end_month = int(m.group(3) or month)
            raw = (f"{m.group(3)}月" if m.group(3) else "") + m.group(4) + "日"
            found.append(Number(raw, Decimal(end_month * 100 + int(m.group(4))), 0, False, True))
    text = _DATE.sub(lambda m: " " * len(m.group(0)), text)  # dates are read once, as dates
    for m in _NUMBER.finditer(text):
        if m.group(1):
            digits = m.group(1).replace(",", "")
            value = Decimal(digits)
            if m.group(2):
                value *= 10000 if m.group(2) == "万" else 100000000
            decimals = len(digits.split(".")[1]) if "." in digits else 0
            found.append(Number(m.group(0).strip(), value, decimals if not m.group(2) else 0, bool(m.group(3))))
        elif m.group(4):
            value = _cn_number(m.group(4))
            if value is not None:
                found.append(Number(m.group(0), value, 0, True))
        else:
            raw = m.group(5)
            if not any(c in raw for c in "十百千万亿") and len(raw) < 4:
                continue  # 一二、三四: ordinals and idioms, not quantities
            value = _cn_number(raw)
            if value is not None:
                found.append(Number(raw, value, 0, False))
    return found


_NUMBER = re.compile(
    r"(?<![\d.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*([万亿])?\s*(%)?"
    r"|百分之([零〇一二两三四五六七八九十百点]+)"
    r"|([零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]+)"
)
_DATE = re.compile(r"(\d{1,2})月(\d{1,2})日(?:\s*[至到~～—–-]\s*(?:(\d{1,2})月)?(\d{1,2})日)?")
_PLAN_NAMES = re.compile(r"十[一二三四五六七八九]五")  # 十四五, 十五五: plan names, not numbers
_PLACEHOLDER = re.compile(r"【待补充：[^】]*】")  # a draft's missing-fact marker names the fact; its words are no figure
_CITATION_MARKER = re.compile(r"\[\d{1,3}\]")  # [1], [12]: which passage, not a figure


def _cn_number(raw: str) -> Decimal | None:
    if "点" in raw:
        whole, _, frac = raw.partition("点")
        w = _cn_number(whole) if whole else Decimal(0)
        digits = "".join(str(CN_DIGITS[c]) for c in frac if c in CN_DIGITS)
        return None if w is None or not digits else w + Decimal("0." + digits)
    value = chinese_to_int(raw)
    return None if value is None else Decimal(value)


def _matches(n: Number, allowed: Decimal) -> bool:
    if n.value == allowed:
        return True
    if abs(n.value) < 10 and n.decimals == 0:
        return False  # "3" is too coarse to count as a rounding of 3.27
    try:
        return allowed.quantize(Decimal(1).scaleb(-n.decimals)) == n.value
    except InvalidOperation:
        return False
