"""Chinese numerals both ways: 15 → "十五" (article labels) and "十五" / "一百零一" / "三万" / "二〇二六" → int."""

from __future__ import annotations

import re

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


# "23年的数据", "那24年呢", "从18年到23年", "查下23年", "换成20年", "同22年比": a spoken year, unless the words
# around it make it a duration: "保修10年", "寿命是25年", "用了23年", "长达20年", "运行15年", "23年以上".
_EDITION_YEAR = re.compile(r"(?<![0-9A-Za-z./\-])([012][0-9])(?=版)")  # "08版", "20版": an edition's year
_SHORT_YEAR = re.compile(r"(?<![0-9.\u4e00-\u9fff])([12][0-9])(?=年(?!了|以上|以下|以内|之内|内|多(?!少)|后|左右|间|来|期|制|龄|级))|"
                         r"(?:(?<=还是)|(?<=就是)|(?<=[\u4e00-\u9fff])(?<![了过满近约用第每几十百千万是为有修命限期长达续行少多够共届任签]))"
                         r"([12][0-9])(?=年(?!了|以上|以下|以内|之内|内|多(?!少)|后|左右|间|来|期|制|龄|级|的(?:时间|工夫|功夫)))|"
                         r"(?<=是)([12][0-9])(?=年(?:的|呢|吧){1,2}[?？。!！]?$)")  # "不对，我要的是24年的"


# "比24年多了多少": after 比/较 a short year is a year, also before 多/少 (which elsewhere make it a duration)
_YEAR_COMPARED = re.compile(r"(?<=[比较])([12][0-9])(?=年(多|少|高|低|增|降|涨|减|上升|下降))")

# "23年对比20年", "18到22年": two short years on either side of a comparison or a range are both years.
_YEAR_PAIR = re.compile(r"(?<![0-9.])([12][0-9])(年?)(对比|比|和|与|跟|到|至|—|-|~)([12][0-9])年")
# "23到25趋势", "近十年的用水变化，15到25": a range of short years without 年, in a question about change over years
_BARE_RANGE = re.compile(r"(?<![0-9.])(1[0-9]|2[0-9]|一[〇零○一二三四五六七八九]|二[〇零○一二三四五六七八九])(到|至|—|-|~)"
                         r"(1[0-9]|2[0-9]|一[〇零○一二三四五六七八九]|二[〇零○一二三四五六七八九])(?![0-9.〇零○一二三四五六七八九])"
                         r"(?=的?(趋势|走势|变化|情况)|[，,。？?\s]*$)")
# "统计局 23比22", "降了多少 25比20": two short years compared, at the end of a question
_BARE_PAIR = re.compile(r"(?<![0-9.〇零○一二三四五六七八九])(1[0-9]|2[0-9]|[一二][〇零○一二三四五六七八九])(比|对比|vs|VS)"
                        r"(1[0-9]|2[0-9]|[一二][〇零○一二三四五六七八九])(?=[呢的吧啊？?。\s]*$)")  # also 二五比二四
# "二一到今年的用水趋势", "21到现在": a short year before a range up to now
_UNTIL_NOW = re.compile(r"(?<![0-9.〇零○一二三四五六七八九十])(1[5-9]|2[0-9]|一[五六七八九]|二[〇零○一二三四五六七八九])"
                        r"(到|至)(?=今年|去年|现在|目前|本年)")
_OVER_YEARS = re.compile(r"趋势|走势|变化|这几年|近[两二三四五六七八九十]年|逐年|历年|每年")


# Years in Chinese numerals: "二〇二三年", and the spoken two-character form "二一年" / "一五年" (2010–2029).
_CN_DIGIT = {"〇": "0", "零": "0", "○": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6",
             "七": "7", "八": "8", "九": "9"}
_CN_YEAR = re.compile(r"[一二][〇零○一二三四五六七八九]{3}(?=年|[到至—\-~][一二][〇零○一二三四五六七八九]{3}年)|"  # 二〇一九到二〇二二年
                      r"二[〇零○][一二][〇零○一二三四五六七八九](?![〇零○一二三四五六七八九])")  # 2010-2029 alone: 二零二三比二零二二
# The year said as a number, as voice input writes it: "两千二十四年", "二千零二十三年", "两千二十年"
_SPOKEN_YEAR = re.compile(r"[两二]千零?([一二])十([一二三四五六七八九])?(?=年)")
# also right after a word ("科技馆二四年的综合能耗", "实小 二四年 用电"), unless the word makes it a duration or a count
# ("用了二三年", "第二三年", "十二三年")
_CN_SHORT_YEAR = re.compile(r"(?:(?<=^)|(?<=[\s，,。？?！!、；;：:（(“\"那在从到至和跟与比较及自是])|(?<=还有)|"
                            r"(?<=[\u4e00-\u9fff])(?<![一二三四五六七八九十百千万两几了过满近约用第每为有修命限期长达续行少多够共届任签]))"
                            r"([一二][〇零○一二三四五六七八九])(?=年(?!了|以上|以下|以内|之内|内|多(?!少)|后|左右|间|来|期|制|龄|级))")
# "科技馆24年每平米…", "市监局24年综合能耗": a short year right after a name, when what follows is about data.
_YEAR_AFTER_NAME = re.compile(r"(?<=[\u4e00-\u9fff])(?<![了过满近约用第每几十百千万是为有])([12][0-9])"
                              r"(?=年(的|每|用|综合|单位|人均|碳|电|水|能|总|全年|上半年|下半年|[0-9一二三四五六七八九十]+月|"
                              r"预算|定额|有没有|同期|超|哪|各|全市|排|一共|总共|共|累计|合计|整年|是啥|是什么|怎么样|咋样))")


def _cn_digits(text: str) -> str:
    return "".join(_CN_DIGIT[c] for c in text)


def _short(year: str) -> str:
    """A two-digit short year in digits: "23" or "二三" → "23"."""
    return year if year.isdigit() else _cn_digits(year)


# "2026宣传周主题": a year written without 年 before an event or edition
_BARE_EVENT_YEAR = re.compile(r"(?<![0-9A-Za-z/.\-])(20[0-9]{2})(?=(全国|节能|宣传|低碳|世界|主题|版|届))")


# A standard's code read out digit by digit, as voice input writes it: "五一三六六" is 51366, "四零四九八" 40498
# (not a count run into a year: "排名前三二零二三年的" is 前三, 2023年)
_SPOKEN_CODE = re.compile(r"(?<![〇零○一二三四五六七八九十百千万两几前第头])[〇零○一二三四五六七八九]{5,}"
                          r"(?![〇零○一二三四五六七八九十百千万年])")


# A decimal read out, as voice input writes it: "零点五七零三" is 0.5703, "一点二二九" 1.229 (not "零点以后", midnight, nor
# "快一点", a little)
_SPOKEN_DECIMAL = re.compile(r"(?<![〇零○一二三四五六七八九十百千万两几])([零〇○])点([〇零○一二三四五六七八九]+)|"
                             r"(?<![〇零○一二三四五六七八九十百千万两几])([一二三四五六七八九])点([〇零○一二三四五六七八九]{2,})")


def spoken_decimals(text: str) -> str:
    """`text` with decimals read out in Chinese digits written in Arabic ones ("零点五三六六" → "0.5366")."""
    def written(m: re.Match) -> str:
        return _cn_digits(m.group(1) or m.group(3)) + "." + _cn_digits(m.group(2) or m.group(4))

    return _SPOKEN_DECIMAL.sub(written, text)


def full_years(text: str) -> str:
    """Spoken years written out: "23年全国节能宣传周" → "2023年…", "二〇二三年" → "2023年", "从一五年到二二年" →
    "从2015年到2022年" (short forms 2010–2029 only; durations such as "保修10年", "用了两三年" are left alone); a
    standard's code read out digit by digit also ("四零四九八" → "40498")."""
    text = _SPOKEN_CODE.sub(lambda m: _cn_digits(m.group(0)), spoken_decimals(text))
    text = _SPOKEN_YEAR.sub(lambda m: "20" + _cn_digits(m.group(1)) + _cn_digits(m.group(2) or "零"), text)
    text = _CN_YEAR.sub(lambda m: _cn_digits(m.group(0)), text)
    if _CN_SHORT_YEAR.search(text):
        text = _CN_SHORT_YEAR.sub(lambda m: "20" + _cn_digits(m.group(1)), text)
    text = _YEAR_PAIR.sub(lambda m: f"20{m.group(1)}年{m.group(3)}20{m.group(4)}年", text)
    text = _BARE_PAIR.sub(lambda m: f"20{_short(m.group(1))}年{m.group(2)}20{_short(m.group(3))}年", text)
    text = _UNTIL_NOW.sub(lambda m: f"20{_short(m.group(1))}年{m.group(2)}", text)
    if _OVER_YEARS.search(text):
        text = _BARE_RANGE.sub(lambda m: f"20{_short(m.group(1))}年{m.group(2)}20{_short(m.group(3))}年", text)
    text = _SHORT_YEAR.sub(lambda m: "20" + (m.group(1) or m.group(2) or m.group(3)), text)
    text = _YEAR_COMPARED.sub(lambda m: "20" + m.group(1), text)
    text = _BARE_EVENT_YEAR.sub(r"\1年", text)
    text = _EDITION_YEAR.sub(lambda m: "20" + m.group(1), text)  # "跟08版比": the 2008 edition
    return _YEAR_AFTER_NAME.sub(lambda m: "20" + m.group(1), text)
