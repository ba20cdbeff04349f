"""Chinese numerals both ways: 15 → "十五" (article labels) and "十五" / "一百零一" / "三万" / "二〇二六" → int."""

from __future__ import annotations

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_DIGIT_NAMES = "零一二三四五六七八九"


def to_chinese_numeral(number: str) -> str:
    """"15" / "１５" → "十五"; anything that is not a number below 10000 comes back as given."""
    number = number.translate(str.maketrans("０１２３４５６７８９", "0123456789")).replace("〇", "零")
    if not number.isdigit():
        return number
    n = int(number)
    if n == 0:
        return "零"
    if n >= 10000:
        return number
    out, zero = "", False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += ("" if (value == 10 and digit == 1 and not out) else _DIGIT_NAMES[digit]) + name
    return out


def chinese_to_int(text: str) -> int | None:
    """"十五" → 15, "一百零一" → 101, "三万五千" → 35000, "二〇二六" → 2026; None if `text` is not a numeral."""
    if not text:
        return None
    if all(c in CN_DIGITS for c in text):  # read digit by digit: 二〇二六
        return int("".join(str(CN_DIGITS[c]) for c in text))
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            section += (digit or 1) * CN_UNITS[ch]
            digit = 0
        elif ch in "万亿":
            total = (total + section + digit) * (10000 if ch == "万" else 100000000)
            section, digit = 0, 0
        else:
            return None
    return total + section + digit
