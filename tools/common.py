"""Small shared pieces of the tools: number formatting, rounding for JSON, the "whole set" names."""

from __future__ import annotations

from assistant.records.store import ALL_NAMES


def is_all(institution: str) -> bool:
    """True when the caller means the whole set of institutions ("全部", "all", "全市" …)."""
    return str(institution or "").strip().lower() in {n.lower() for n in ALL_NAMES}


def r(value: float | None, digits: int = 4) -> float | None:
    """Round for JSON output; the explanation shows fewer digits, the stored data keeps full precision."""
    return None if value is None else round(float(value), digits)


def fmt(value: float | None, digits: int = 2) -> str:
    """12345.678 → "12,345.68"; integers lose the trailing ".00"."""
    if value is None:
        return "—"
    text = f"{value:,.{digits}f}"
    if digits and float(value).is_integer() and abs(value) >= 100:
        text = text.split(".")[0]
    return text


def pct(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value:+.{digits}f}%"


def check_year(year: object) -> int:
    """Years arrive from LLMs as "2024" or 2024.0; anything else is an error the caller can fix."""
    from assistant.errors import LookupFailed

    try:
        number = int(str(year).strip().rstrip("年"))
    except (TypeError, ValueError):
        raise LookupFailed(f"年份应为四位数字，例如 2024，实际为“{year}”。") from None
    if not 1990 <= number <= 2100:
        raise LookupFailed(f"年份“{year}”不合理，请给出四位年份，例如 2024。")
    return number
