"""One spreadsheet cell at a time: numbers, periods and text as offices type them.

Periods: YYYY, YYYY-MM (also 2024/3, 2024.03, 2024年3月, 202403, Excel dates and date serials), or only a month
("3月", "3") when the year comes from elsewhere. Every parser raises ValueError with a Chinese reason.
"""

from __future__ import annotations

import datetime as dt
import re

from assistant.numerals import chinese_to_int

_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def text(cell: object) -> str:
    """The cell as text without any whitespace ("市 行政中心" → "市行政中心"); integral floats lose their ".0"."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return re.sub(r"\s+", "", str(cell).replace("\u3000", " "))


def is_blank(cell: object) -> bool:
    return cell is None or str(cell).strip() == ""


def looks_numeric(cell: object) -> bool:
    if isinstance(cell, bool):
        return False
    if isinstance(cell, (int, float, dt.date)):
        return True
    return bool(re.fullmatch(r"-?[\d,]+(\.\d+)?", str(cell or "").strip()))


def number(cell: object, required: bool, blank: float | None = 0.0) -> float | None:
    """Parse a non-negative number; blank gives `blank` (missing consumption means zero) unless required."""
    if isinstance(cell, bool):
        raise ValueError(f"不是数字“{cell}”")
    if isinstance(cell, (int, float)):
        value = float(cell)
    else:
        raw = str(cell if cell is not None else "").strip().replace("\u3000", "")
        if not raw or raw in {"-", "—", "/", "－"}:
            if required:
                raise ValueError("不能为空")
            return blank
        if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", raw):
            raw = raw.replace(",", "")  # thousands separators as Excel exports them
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(f"不是数字“{raw}”") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"不是有效数字“{cell}”")
    if value < 0:
        raise ValueError(f"不能为负数（{value:g}）")
    return value


def period(cell: object, year: int | None = None) -> str:
    """"YYYY" or "YYYY-MM" from a period cell; a month alone needs `year` (from the title, sheet or file name)."""
    if isinstance(cell, (dt.date, dt.datetime)):
        return f"{cell.year:04d}-{cell.month:02d}"
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, int) and 20000 <= cell <= 80000:  # an Excel date serial (1954–2119)
        day = _EXCEL_EPOCH + dt.timedelta(days=cell)
        return f"{day.year:04d}-{day.month:02d}"
    raw = re.sub(r"\s+", "", str(cell if cell is not None else ""))
    if not raw:
        raise ValueError("不能为空（应为 YYYY 或 YYYY-MM）")
    m = (re.fullmatch(r"(\d{4})(?:年度?)?(?:[-/.](\d{1,2})(?:[-/.]\d{1,2})?|(\d{1,2})月份?)?", raw)
         or re.fullmatch(r"(\d{4})(\d{2})()", raw))
    if m:
        y, month = int(m.group(1)), m.group(2) or m.group(3) or None
    else:
        month_only = month_of(raw)
        if month_only is None:
            raise ValueError(f"格式不对“{raw}”（应为 YYYY 或 YYYY-MM，例如 2024 或 2024-03）")
        if year is None:
            raise ValueError(f"只有月份“{raw}”，找不到年份：请在标题、工作表名或文件名中写明年份，或在预览中指定年份")
        y, month = year, str(month_only)
    if not 1990 <= y <= 2100:
        raise ValueError(f"年份不合理“{raw}”")
    if month is None:
        return f"{y:04d}"
    if not 1 <= int(month) <= 12:
        raise ValueError(f"月份不合理“{raw}”")
    return f"{y:04d}-{int(month):02d}"


def month_of(raw: object) -> int | None:
    """"3月", "03月份", "三月", "3" → 3; None for anything else."""
    s = re.sub(r"\s+", "", str(raw if raw is not None else ""))
    if isinstance(raw, float) and raw.is_integer():
        s = str(int(raw))
    m = re.fullmatch(r"(\d{1,2}|[一二三四五六七八九十]{1,3})(月份?)?", s)
    if not m:
        return None
    value = int(m.group(1)) if m.group(1).isdigit() else chinese_to_int(m.group(1))
    return value if value and 1 <= value <= 12 else None


def year_of(cell: object) -> int:
    """A four-digit year (预算年度, 年度 columns)."""
    p = period(cell)
    if len(p) != 4:
        raise ValueError(f"应为年份（YYYY），实际为“{cell}”")
    return int(p)


def column_letter(idx: int) -> str:
    """0 → "A", 27 → "AB"."""
    letters = ""
    idx += 1
    while idx:
        idx, rem = divmod(idx - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
