"""The direct answer: one sentence per question part, taken from a cited passage, that answers the question's type.

"年度能耗报告啥时候报？" is a `when` question: the sentence that carries a date ("每年3月31日前报送……") comes first,
before the supporting passages. The sentence is quoted, never written: the offline engine states nothing the
knowledge base does not say. A two-part question ("……啥时候报？报给谁？") gets one sentence per part, or is told
which part the knowledge base does not answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from assistant.ingest.tables import EMPTY_HEADERS
from assistant.retrieval.colloquial import pauses_as_commas
from assistant.retrieval.knowledge import SearchHit

_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
# Retrieved text is data: a sentence that tries to instruct the assistant is never quoted as an answer.
_INJECTION = re.compile(r"忽略(以上|之前|前面|上述|先前)?(的)?(所有|全部|一切)?(的)?(指令|指示|提示|要求|规则|设定)|"
                        r"ignore (all )?(the )?(previous|above|prior) (instructions|prompts)|你现在(是|扮演|必须)|"
                        r"system prompt|系统提示词|不要再?遵守|新的指令[:：]", re.I)


# A command line in a document (a data README's "greenleaf indicators --year 2024") or a script's file name
# (generate_sample_data.py) is for a terminal, not an answer: the web page never shows command lines.
_COMMAND = re.compile(r"^\s*(\$\s*)?(greenleaf|python3?|pip3?|make|uv|bash|curl)\s|\s--[a-z][a-z-]*|"
                      r"\b[\w-]+\.(py|sh)\b")


_BOLD_HEADING = re.compile(r"^(\s*\*\*[^*\n]{0,39}[^*\n。？?！!：:；;，,]\*\*)[ \t]*\n", re.M)


def quotable_sentences(text: str) -> list[str]:
    """A passage's sentences, in order, without those that try to instruct the assistant or are command lines
    (kept with their ending punctuation and spacing, so that joining them gives the passage back without them).
    A table row reads as a sentence: "| 折算的会议人员 | 4.8 | 300人×2天…… |" → "折算的会议人员：4.8，300人×2天……"."""
    text = _TABLE_ROW.sub(_row_as_sentence, _with_headers(text))
    text = _BOLD_HEADING.sub(r"\1：\n", text)  # "**6. 同比变化率**" heads what follows: "6. 同比变化率：变化率 = ……"
    sentences: list[str] = []
    listed = False  # in a list of what the knowledge base has not verified
    question = False  # right after a FAQ's bold question
    for s in _SENTENCE.findall(text):
        if _FAQ_QUESTION.match(s):  # "**问：年中搬进了新办公楼，建筑面积填哪一个？" asks; the answer follows it
            question = True
            continue
        s, question = (re.sub(r"^\s*\*\*\s*", "", s) if question else s), False
        if not s.strip():
            continue
        # "本知识库尚未核实：……；认定数量和名单；浙江省2023年度电网排放因子。": each item is such a note
        sentences.append(f"{_LISTED_NOTE}{s.lstrip()}" if listed else s)
        listed = s.rstrip().endswith(("；", ";")) and (listed or _UNVERIFIED_LIST.search(s) is not None)
    return [s for s in sentences if not _INJECTION.search(s) and not _COMMAND.search(s)]


FAQ_MARK = "**问："  # how a FAQ passage opens each of its questions: "**问：……？** 答……"
_FAQ_QUESTION = re.compile(r"\s*" + re.escape(FAQ_MARK))
_UNVERIFIED_LIST = re.compile(r"(尚未核实|待核实|未核实|尚未掌握)[^：:]{0,20}[：:]")
_LISTED_NOTE = "本知识库尚未核实："
_TABLE_ROW = re.compile(r"^[ \t]*\|(.*)\|[ \t]*$", re.M)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _with_headers(text: str) -> str:
    """Table rows of short values with their column's header before each value, so that a row read alone says what
    its figures are: "| 医院 | 15.88 | 294.06 |" under "| 机构类型 | 单位建筑面积能耗（千克标准煤/平方米） | 人均综合能耗…
    |" → "| 医院 | 单位建筑面积能耗15.88千克标准煤/平方米 | 人均综合能耗294.06千克标准煤/人 |"."""
    lines = text.split("\n")
    header: list[str] | None = None
    year = None  # the one year the lines just before the table name ("### （二）2022年度因子"): what its rows are of
    for i, line in enumerate(lines):
        if not _TABLE_ROW.fullmatch(line):
            header = None
            continue
        cells = _cells(line)
        if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c) and any(cells):
            header = _cells(lines[i - 1]) if i and _TABLE_ROW.fullmatch(lines[i - 1]) else None
            year = _year_above(lines[:i - 1])
            continue
        # (also a year's row of words: "| 2019年 | 6月17日至23日 | 绿色发展 节能先行 |" under "| 年份 | 日期 | 主题 |")
        if header and len(cells) == len(header) and all(header[1:]) and (
                all(len(c) <= 12 and re.search(r"\d", c) for c in cells[1:]) or
                (re.fullmatch(r"(19|20)[0-9]{2}年?度?", cells[0]) and all(len(c) <= 40 for c in cells[1:]))):
            first = cells[0] if not year or re.search(r"(19|20)[0-9]{2}", cells[0]) else f"{cells[0]}（{year}年）"
            lines[i] = "| " + " | ".join([first] + [_headed(h, c) for h, c in zip(header[1:], cells[1:])]) + " |"
    return "\n".join(lines)


def _year_above(lines: list[str]) -> str | None:
    """The one year the line introducing a table names ("2022年度区域电力平均二氧化碳排放因子："), else the one its
    nearest heading names ("## 三、分类型参考：广东省2021年数据")."""
    above = [x for x in lines[-12:] if x.strip() and not _TABLE_ROW.fullmatch(x)]
    for line in ([above[-1]] if above else []) + [x for x in reversed(above) if x.lstrip().startswith("#")][:1]:
        named = set(re.findall(r"(?<![0-9])((?:19|20)[0-9]{2})年", line))
        if len(named) == 1:
            return named.pop()
    return None


# a table row tagged with its year ("华北（2022年）：…") or the line that opens a table of one year ("2022年度…：")
_OF_A_YEAR = re.compile(r"[^：:]{1,20}（(?:19|20)[0-9]{2}年）[：:]|\s*(?:19|20)[0-9]{2}年[^。；;：:]*[：:]\s*$")


def _headed(header: str, value: str) -> str:
    """A value under its column's header, the unit in brackets after it: "单位建筑面积能耗15.88千克标准煤/平方米"."""
    if header in EMPTY_HEADERS:
        return value
    unit = re.fullmatch(r"(.+?)[（(]([^（）()]+)[）)]", header)
    if unit and re.fullmatch(r"[0-9.]+", value):
        return f"{unit.group(1)}{value}{unit.group(2)}"
    return f"{header}{value}" if re.search(r"\d", value) else f"{header}为{value}"  # "节能宣传周主题为绿色发展 节能先行"


def _row_as_sentence(match: re.Match) -> str:
    cells = [c.strip() for c in match.group(1).split("|")]
    if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c) or not any(cells):
        return ""  # the |---|---| line under a header
    cells = [c for c in cells if c]
    return f"{cells[0]}：{'，'.join(cells[1:])}。" if len(cells) > 1 else f"{cells[0]}。"
# What a sentence that answers each question type contains.
TYPE_PATTERNS: dict[str, re.Pattern] = {
    "when": re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}\s*年\s*\d{1,2}\s*月|每年.{0,8}[月日前]|[0-9]{4}年起|"
                       r"[0-9]{4}年(开始|以来)|[0-9]{4}年"),
    "how_many": re.compile(r"\d+(\.\d+)?\s*(%|％|万|亿|家|个|项|类|级|种|吨|千克|kgce|tce|kg|立方米|m³|千瓦时|kWh|小时|天|"
                           r"元|人|倍|平方米|m²|位|分(?!钟|类|项|别|级|为|成|解|析|布|散|摊|配|之))|"
                           r"(?<![这那每第])[一二三四五六七八九十百千两]+(家|个|项|类|级|种|大|条|倍)"),
    "duration": re.compile(r"\d+\s*(年|个月|天|日|小时|周|个工作日)|每(年|月|季度|半年|周|天)|[一二三四五六七八九十两]+(年|个月|天)|"
                           r"\d{4}\s*[—–-]\s*\d{4}"),
    "penalty": re.compile(r"罚款|处分|责令|通报|追究|处以|元以上|元以下|吊销|处罚|刑事责任|批评"),
    "department": re.compile(r"部门|委员会|委|局|国务院|机关事务|发展改革|主管|负责|组织|牵头|管理机构|政府|办公室"),
    "how_to": re.compile(r"应当|要|可以|建议|首先|第一步|步骤|措施|做法|先|通过|采用|开展"),
    "definition": re.compile(r"是指|指的是|简称|即|定义|是.{0,12}(的|之一)|就是|称为"),
    "formula": re.compile(r"[=＝÷×/]|除以|乘以|相除|相乘|相加|之和|之比|公式|折算|换算|按.{0,12}(计算|折算)"),
    "yes_no": re.compile(r"不得|应当|可以|不能|不计入|计入|需要|无需|不需要|属于|不属于|不纳入|纳入|必须|禁止|不宜|不应|不用|"
                         r"不是|并不|并非|是错误的"),
}
# A figure asked in a unit ("装了多少千瓦", "收费标准是多少钱", "满分多少"): only a sentence that holds a number in that
# unit answers it. A fine (罚多少钱) is not here: "处以罚款" without an amount answers what the law says.
_FIGURE = r"[0-9一二三四五六七八九十两几][0-9.一二三四五六七八九十百千万两几]*\s*"  # (a number first: "万元" alone is none)
# a span of time (not a date: "3月31日")
_SPAN = r"(?<![月0-9])([0-9]{1,3}|[一二三四五六七八九十两半]+|若干)\s*(个月|个?(年|季度|工作日|日|天|周|小时))|即时|当天|当日|随时"
STANDARD_CODE = r"(GB|DB\d{2}|[A-Z]{2,4})(/T|/Z)?\s*\d{3,}"  # a standard's code: GB/T 2589, DB37/T 2672, JS/T 301
_CODE = re.compile(STANDARD_CODE + r"([～~—–-][0-9.]+)*")  # a standard's code with its range and year: 2672～2674-2019
_HOW_MUCH = re.compile(r"(?<=[是有发投花用省装了])好多(?=[^单个家人]|$)")  # "一年发好多电，投了好多钱": 好多 asks 多少


def _value_of(indicator: str) -> re.Pattern:
    """"<indicator>是多少", "<indicator>大概几": its value asked, not how it changed ("人均综合能耗下降多少")."""
    return re.compile(f"({indicator})(?![^，,。？?]{{0,8}}(降|减|升|增|提高|变化|幅度))[^，,。？?]{{0,8}}(多少|几)")


ARTICLE_NUMBER = re.compile(r"第[一二三四五六七八九十百零〇0-9]+条")  # what "第几条" asks for


def asks_amended_articles(question: str) -> bool:
    """Whether "哪几条" asks which articles an amendment changed ("2017年修订改了哪几条"): a sentence must list them;
    otherwise any sentence of an article passage tells which article rules the matter (its citation numbers it)."""
    return bool(re.search(r"修订|修改|修正|改了|改动|动了|删了|删除|增加了|新增", question))


ASKED_FIGURES = (
    (re.compile(r"多少(千瓦|kW|兆瓦|MW)(?!时)|装机(容量|规模)|总装机|多大(的)?容量", re.I),
     re.compile(_FIGURE + r"(千瓦|kW|兆瓦|MW)(?!时|h)", re.I)),
    (re.compile(r"多少度电|多少万?(千瓦时|kWh)|(发|用|省|节)了?多少电|(发电|节电|耗电)量(是|有)?多少", re.I),
     re.compile(_FIGURE + r"(万?千瓦时|kWh|度电|万度)", re.I)),
    (re.compile(r"(?<![哪前近这那面头])(?<![^以]后)(几|多少)年(?!度|前|后|级|的)"),  # "以后几年" asks, "后几年" not
     re.compile(r"(?<![0-9近前后])[0-9]{1,2}\s*(年|个月)(?![0-9度])|(?<![近前后这])[一二三四五六七八九十两]+年(?!度|级)|"
                r"[0-9]{4}\s*年?\s*[—–\-至到]\s*[0-9]{4}")),
    (re.compile(r"(哪年|哪一年|什么时候|何时|第一届|首届|第一批|首批).{0,6}(开始|设立|创办|举办|办的|启动|评的|遴选|首次|设的|搞的|起)|"
                r"从哪(一)?年|起始年份|始于哪"),
     re.compile(r"[0-9]{4}\s*年.{0,20}(开始|设立|创办|首次|首届|第一届|首批|第一批|起|启动|确定|定为)|"
                r"(开始|设立|首次|首届|第一届|首批|第一批|起|自|从).{0,15}[0-9]{4}\s*年")),
    # who did it ("那次审计是哪个单位组织做的", "谁牵头"): a sentence that names a body
    (re.compile(r"(哪个|哪家|哪一个|什么)(单位|部门|机构|部委)(组织|牵头|主办|主持|发布|印发|审批|批准|负责|出的|搞的|做的|承办)|"
                r"谁(组织|牵头|主办|主持|发布|印发|审批|批准|承办)"),
     re.compile(r"部门|委员会|委(?!托)|局|国务院|机关事务|发展改革|办公室|政府|中心|协会|研究院|大学|学会|公司|厅|(?<!全)部(?!分)")),
    # how often or how long ("能源审计多久要做一次", "整改期限一般给多久", "多少个工作日内报"): a period, not "定期"
    (re.compile(r"多久.{0,6}一次|多长时间.{0,6}一次|周期(是|有|为)?多长|(几|多少)年.{0,4}一次"),
     re.compile(r"(每|按)(年|月|季度?|半年|周|天|日)|" + _SPAN)),
    (re.compile(r"(几|多少)(个)?工作日|期限(一般)?(是|给|有)?多(久|长)|(给|有|是)?多长时间(?!.{0,6}一次)"),
     re.compile(_SPAN)),  # a span, not "按月份"
    # how many days or months ("整改期限一般给多少天", "几个月内"): a number of them, not "及时"
    (re.compile(r"(?<![哪第前这那])(?<![^以]后)(多少|几)(个)?(天|周|星期|工作日)(?![前后])"),
     re.compile(r"(?<![月0-9])[0-9一二三四五六七八九十两半]+\s*(个)?(工作日|天|日|周|星期)")),
    (re.compile(r"(?<![哪第前后这那])(多少|几)个月(?![前后])"), re.compile(r"[0-9一二三四五六七八九十两半]+\s*个月")),
    # the day of a deadline ("最晚几月几号之前要备案", "几号前报"): a day of a month
    (re.compile(r"几月几[号日]|几[号日](之前|前|以前|截止)|截止(日期|时间)是?(哪天|几号|什么时候)"),
     re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]|\d{1,2}\s*月(底|末|中旬|上旬|下旬)")),
    # an ordinal ("按第几个百分位取的", "第几批"): a sentence that states one (第几条 is below)
    (re.compile(r"第几(?!条)"), re.compile(r"第\s*[0-9一二三四五六七八九十百]+")),
    (re.compile(r"(多少|几)(万)?(个)?小时|寿命"), re.compile(_FIGURE + r"(万)?(个)?小时")),
    (re.compile(r"(多少|几)(万)?平(方)?(米)?(?!均|时|台)|面积(是|有)?多(少|大)"),
     re.compile(_FIGURE + r"(万)?(平方米|平米|m²|㎡)")),
    (re.compile(r"多少(升|L\b)"), re.compile(_FIGURE + r"(升|L\b)")),
    # a temperature ("机房空调温度设几度合适") or a thickness ("外墙保温层一般做多厚"): a sentence that gives one
    (re.compile(r"(温度|空调|设|调|开)(到|在|成|为)?(几|多少)度(?!电)|几摄氏度|多少摄氏度"),
     re.compile(_FIGURE + r"(摄氏度|℃|°C|度(?![电量数]))")),
    (re.compile(r"多厚|厚度(是|有|要|为)?(多少|几)"), re.compile(_FIGURE + r"(毫米|厘米|mm|cm)", re.I)),
    (re.compile(r"(?<!罚)多少钱|金额(要|得)?(到|达到|超过|在|是)?多少|(?<!罚)(多少|几)(万块钱?|块钱)|多少万元|收费|收多少|费用是?多少|多少元|交多少|价格|价钱|单价|投资(金额|额)|(投|花)了?多少|"
                r"罚款(金额|数额|标准)?(是|为|有)?多少"),
     re.compile(_FIGURE + r"(元|万元|亿元)")),
    (re.compile(r"多少分|满分|几分(?!钟)"), re.compile(_FIGURE + r"分(?!钟|类|项|别|级|为|成|解|析|布|散|摊|配|之)")),
    # ("这几家超了定额的按规定要干啥": 这几家 points at units; it asks no count)
    *((re.compile(f"多少{c}|(?<![哪这那])几{c}"), re.compile(_FIGURE + c)) for c in "家台座辆届"),
    # how many times ("冷却塔一年清洗几次"), how far ("运输距离默认取多少公里")
    (re.compile(r"(?<!哪)(几|多少)次"), re.compile(_FIGURE + r"次|每(年|半年|季度|月|周)")),
    (re.compile(r"多少(公里|千米|km)|多远", re.I), re.compile(_FIGURE + r"(公里|千米|km)", re.I)),
    (re.compile(r"多少(千克|公斤)标准?煤"), re.compile(_FIGURE + r"(千克|公斤)标准?煤|kgce", re.I)),
    (re.compile(r"(多少|几)吨"), re.compile(_FIGURE + r"吨")),
    # "门诊人数按什么系数折": a sentence that gives a number beside a coefficient, not "按规定方法折算"
    (re.compile(r"(什么|啥|哪个|多大的?)(折算|换算|折标)?系数"),
     re.compile(r"系数[^。；;]{0,16}[0-9]|[0-9][0-9.]*\s*(倍|%|％)|[0-9.]+\s*人次?(折|算|计)")),
    (re.compile(r"(多少|几)(克|千克|公斤)(?!标准?煤|二氧化碳|CO)"), re.compile(_FIGURE + r"(克|千克|公斤|kg\b|g\b)")),
    (re.compile(r"多少(立方米?|方|m³|m3)(?!面|案|式|法)", re.I), re.compile(_FIGURE + r"(立方米|m³|方(?!面|案|式|法))")),
    # which company: the documents name none by its registered name
    # ("ESCO是啥公司" asks what kind of company it is: a definition)
    (re.compile(r"(哪家|哪个|(?<!是)什么|(?<!是)啥)(节能服务|节能|能源|服务|物业|托管)?(公司|企业)|(公司|企业)(叫|是)(啥|什么|哪家)|"
                r"(公司|企业|方)(又|都|分别)?是哪[家个](?=$|[啊呀呢？?，,。\s])"),
     re.compile(r"有限(责任)?公司|股份有限|集团")),
    # which article ("哪一条是管机关食堂的", "是第几条规定的"): only a sentence that names one gives it
    (re.compile(r"第几条|哪一?条(?=$|[是规说管里在的？?，,\s啊呀])|哪几条(?=$|[是规说管里在？?，,\s啊呀])"),
     ARTICLE_NUMBER),
    # a document's number (文号) or a standard's code: only a sentence that holds one gives it
    (re.compile(r"文号|发文字号|令号"), re.compile(r"〔\d{4}〕\s*\d+\s*号|\[\d{4}\]\s*\d+\s*号|第\s*\d+\s*号|令第")),
    (re.compile(r"(标准)?编号|标准号|标准代号"), re.compile(r"\b" + STANDARD_CODE)),
    (re.compile(r"公式|计算式"), re.compile(r"[=＝×÷]|除以|乘以|之和|之比|相除|相乘")),
    (re.compile(r"百分之几|百分之多少|多大比例|比例是?多少|多少比例|(降|下降|减少|提高|增长)了?多少|(拿|占|分)(几|多少)成|"
                r"[\u4e00-\u9fff]率(是|有|为|达到|能到|控制在|要|应|要求)?(多少|几)|几几开|几比几|各(占|拿|分)(几|多少)"),
     re.compile(_FIGURE + r"(%|％|个?百分点)|百分之|[一二三四五六七八九]成|[一二三四五六七八九][一二三四五六七八九]开|"
                r"[0-9]+\s*[:：比]\s*[0-9]+")),
    # "反食品浪费法是哪天开始施行的": a date of that event, not any date ("每年10月16日是世界粮食日")
    (re.compile(r"(哪年|哪一年|哪天|什么时候|何时|几号|几月).{0,8}(施行|实施|生效)|(施行|实施|生效)(日期|时间)"),
     re.compile(r"(年|月|日|号).{0,15}(施行|实施|生效)|(施行|实施|生效).{0,15}[0-9]{4}")),
    # "改造是哪一年开工、哪一年完工验收的": a date of that step, not any figure of the project
    (re.compile(r"(哪年|哪一年|哪天|什么时候|何时|几号|几月).{0,6}(开工|完工|竣工|建成|投用|投入使用|上线|验收|动工)"),
     re.compile(r"[0-9]{4}\s*年.{0,20}(开工|完工|竣工|建成|投用|投入使用|上线|验收|动工|启用)|"
                r"(开工|完工|竣工|建成|投用|投入使用|上线|验收|动工|启用).{0,20}[0-9]{4}\s*年")),
    (re.compile(r"(哪年|哪一年|哪天|什么时候|何时|几号|几月).{0,8}(印发|发布|出台|公布|颁布|发的)"),
     re.compile(r"[0-9]{4}\s*年.{0,25}(印发|发布|出台|公布|颁布)|(印发|发布|出台|公布|颁布).{0,25}[0-9]{4}\s*年")),
    # An indicator's value asked by its name ("2021年全国人均综合能耗是多少"): a figure in that indicator's unit, not
    # its target change ("下降6%") or a year
    (_value_of(r"人均(综合)?能耗|人均耗能|人均用能"), re.compile(_FIGURE + r"(千克|公斤)标准?煤|kgce", re.I)),
    (_value_of(r"单位(建筑)?面积能耗|每平(方)?米?能耗"), re.compile(_FIGURE + r"(千克|公斤)标准?煤|kgce", re.I)),
    (_value_of(r"人均用水量?|人均水耗"), re.compile(_FIGURE + r"(立方米|m³|吨)", re.I)),
    # a table row under a "排放因子（千克二氧化碳/千瓦时）" header gives the bare factor ("华东：0.5617")
    (_value_of(r"排放因子|碳因子|碳系数|电网系数|碳转换系数"),
     re.compile(_FIGURE + r"(千克|kg|吨|t)\s*(二氧化碳|CO2|CO₂)|(?<![0-9.])0\.[0-9]{3,4}(?![0-9])", re.I)),
    # any other coefficient ("折标系数取多少"): a decimal
    (_value_of(r"[\u4e00-\u9fff]{0,4}系数"), re.compile(r"(?<![0-9.])[0-9]+\.[0-9]+(?![0-9.])")),
    # "单位数、表计数是多少": a count of units or meters (last: a rate asked beside it decides)
    (re.compile(r"(单位|表计|计量表|水表|电表)(个)?数"), re.compile(_FIGURE + r"(家|块|个|台|只)")),
)


# "有几家单位想冲领跑者", "上周去几个单位检查" tell that some do; "改完过多久再申报" asks
_ASKING = re.compile(r"多少|多久|多长时间|(?<![有去到跑对给跟帮])几(?![家个位]单位[想要打准])|什么|啥|哪|谁|怎么|咋|如何|吗|是否|([能要会可用在算该行对够需属])不\1|有没有|可不可以")


def _asking(text: str, separators: str) -> tuple[list[str], int]:
    """The clauses of `text` (split at `separators`) that ask something, and how many clauses there are."""
    clauses = [c for c in re.split(f"[{separators}，]", pauses_as_commas(text)) if c.strip()]
    return [c for c in clauses if _ASKING.search(c)], len(clauses)


def asking_clauses(question: str) -> list[str]:
    """The clauses of a message that ask something, when others only set the scene ("下个月要办宣传周活动，想参考
    2024年的做法，那年的启动仪式在哪个城市办的" → the last); empty when every clause asks or none does."""
    asking, clauses = _asking(question, "，,；;。！!？?：:")
    return asking if asking and len(asking) < clauses else []


_NUMBER = re.compile(r"(?<![0-9.])[0-9]+(?:\.[0-9]+)?(?![0-9.])")


@lru_cache(maxsize=256)
def _given_numbers(question: str) -> frozenset[str]:
    """The numbers a question states itself, years aside ("2025版" names a year)."""
    return frozenset(n for n in _NUMBER.findall(question) if not re.fullmatch(r"(19|20)[0-9]{2}", n))


def holds_figure(figure: re.Pattern, sentence: str, question: str) -> bool:
    """Whether `sentence` holds the figure asked, other than one the question itself states: "70%的目标实际完成比例是
    多少" is not answered by "……不低于70%"."""
    if STANDARD_CODE not in figure.pattern:
        sentence = _CODE.sub("", sentence)  # "GB/T 24915-2010" is a code, not the years 4915–2010
    given = _given_numbers(question)
    # "一年节约134万多": a figure said roughly is the one the sentence gives exactly (134.13万元)
    rough = {m.group(1) for m in re.finditer(r"(?<![0-9.])([0-9]+)(?:万|千|亿)?(?:多|余|左右|来)", question)}
    if given:
        sentence = _NUMBER.sub(lambda m: "" if m.group(0) in given or m.group(0).split(".")[0] in rough
                               else m.group(0), sentence)
    return figure.search(sentence) is not None


_FILLER_CLAUSE = re.compile(r"(请问|问一?下|那个|这个|就是)?(啥|什么|什么来着|啥来着)?(啊|呀)?")


def _asked_clauses(part: str) -> list[str]:
    """The clauses of a question part that ask something, without a filler clause ("那个啥，到2023年底……")."""
    return [c for c in _asking(part, "，,；;、。")[0] if not _FILLER_CLAUSE.fullmatch(c.strip())]


def asked_figure(part: str) -> re.Pattern | None:
    """What a sentence must hold to answer a question part that asks a figure in a unit; None if it asks none,
    or asks something else beside it ("宣传周办几天，多少家单位参加": two questions without question marks)."""
    asking = _asked_clauses(part)
    if len(asking) > 1:
        return None
    # the asking clause's figure, else one asked elsewhere ("……到哪一年、多大比例的学校达标"), but not a number of
    # units the scene mentions ("下个月要对几家单位做检查，按条例查哪几方面")
    return (_figure_for(asking[0]) if asking else None) or _figure_for(_SOME_UNITS.sub("", part))


_HOW_COMPUTED = re.compile(r"(怎么|咋|如何|怎样)(个)?(计)?算(?!进|入|不算|是)|计算方法|算法")


def _figure_for(text: str) -> re.Pattern | None:
    if _HOW_COMPUTED.search(text):
        return None  # "同比下降多少个百分比具体咋算": the method is asked, not a figure
    text = _HOW_MUCH.sub("多少", text)
    counted = counted_noun(text)
    if counted:
        # "全国一共有多少家公共机构": a count of 公共机构 ("全国公共机构约158.6万家"), not of 领跑者 ("领跑者184家")
        # (the kind or its last words: "舟山行政中心入驻单位" are counted as "43家入驻单位")
        noun = "(" + "|".join(re.escape(counted[i:]) for i in range(max(1, len(counted) - 3))) + ")"
        # ("实行用能预算的单位有多少家": units that do something, "43家入驻单位实行用能预算管理")
        what, _, head = counted.rpartition("的")
        doing = "" if len(what) < 2 or len(head) < 2 else \
            f"|[0-9.]+\\s*万?(余|多)?家[\\u4e00-\\u9fff]{{0,4}}{head}[^。；]{{0,12}}{re.escape(what[-4:])}"
        # (the noun alone: not "节水型公共机构3万余家", "184家公共机构能效领跑者")
        return re.compile(f"(?<!型){noun}(约|近|共|共计|总数|数量)?(有|为|达|超过|逾)?\\s*[0-9.]+\\s*万?(余|多)?家|"
                          f"[0-9.]+\\s*万?(余|多)?家{noun}(?![\\u4e00-\\u9fff]{{0,6}}(者|示范单位))" + doing)
    return next((holds for ask, holds in ASKED_FIGURES if ask.search(text)), None)


_COUNTED = re.compile(r"(?:多少|几)万?家([\u4e00-\u9fff]{2,8}?)(?=[啊呀吗呢？?，,。\s]|$)")


# "2020年全国公共机构一共有多少家": the kind counted, named before the count
_COUNTED_BEFORE = re.compile(r"([\u4e00-\u9fff]{2,10}?(机构|单位|机关|学校|医院|者))(一共|总共|共|到底|大概|大约)*有?"
                             r"(多少|几)万?家(?=[啊呀吗呢？?，,。\s]|$)")


def counted_noun(text: str) -> str | None:
    """What a "多少家……" question counts, when it names a kind of thing ("多少家公共机构", "全国公共机构一共有多少家";
    not "多少家单位在办公")."""
    counted = _COUNTED.search(text)
    if counted and not re.match(r"(单位|机构|公司|企业|[在有是])", counted.group(1)):
        return counted.group(1)
    before = _COUNTED_BEFORE.search(text)
    noun = re.sub(r"^[年的]+", "", before.group(1)) if before else ""
    return noun if len(noun) >= 4 else None


# A named value asked ("党政机关约束值是多少", "有没有硬门槛，具体是多少方", "配备比例要求是多少"): a sentence that
# does not name it gives some other figure (dev half: also 因子, 系数, 目标 cost right answers)
_ASKED_VALUE = re.compile(r"((?<=的)热值|(?!的)[\u4e00-\u9fff]{2}值|(?!的)[\u4e00-\u9fff]{2}率|门槛|分数线|达标线|及格线|合格线|比例|指标)"
                          r"(?:要求|具体|到底|一般|大概|大约|分别|都|各|又|应|要|的|不得|不能|不|低于|少于|至少|最低|最少|[，,\s])*"
                          r"(?:是|为|有|达到|定的?)?(?:多少|几|多大)")


def asked_value(question: str) -> str | None:
    """The named value a one-part question asks for (约束值, 门槛, 比例), if any."""
    found = _ASKED_VALUE.search(question) if len(question_parts(question)) == 1 else None
    if found is None and not re.search(r"什么|啥|怎么|意思|区别|是指|定义|含义|哪|还是|对照|按", question):
        found = re.search(r"((?!的)[\u4e00-\u9fff]{2}值)[？?。\s]*$", question)  # "51161旅馆约束值": the fragment asks it
    if found and found.group(1)[-2:] in ("取值", "数值", "比值"):
        return None  # "密度取值多少", "那版数值多少": a figure asked, not a value the documents name
    return found.group(1) if found else None


_CODE_OR_YEAR = re.compile(_CODE.pattern + "|"
                           r"(19|20)[0-9]{2}\s*年(度)?|[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日|〔[0-9]{4}〕\s*[0-9]+\s*号")


def states_value(sentence: str, value: str) -> bool:
    """Whether a sentence gives the value asked: names it with a number ("约束值 12 kgce/m²", not "评价细则的分值和
    达标分数线"), or right after stating it ("……一万吨标准煤及以上的单位……远低于这一门槛"), or gives a share as a
    percentage."""
    if value == "比例" and re.search(r"%|％|百分之|[一二三四五六七八九]成", sentence):
        return True
    if value.endswith("率") and value[:-1] not in ("效", "功"):  # "计量率不低于多少": a rate is a percentage
        return value in sentence and re.search(r"[0-9]\s*(%|％)|百分之", sentence) is not None
    sentence = _CODE_OR_YEAR.sub("", sentence)  # "DB37/T 2672～2674-2019……超过基准值的" states no 基准值
    sentence = re.sub(r"^\s*\d{1,2}[.、．]\s*", "", sentence)  # "4. 与约束值、引导值比较……": a list's number
    if value.endswith("热值") and "发热量" in sentence:
        value = "发热量"  # "1千克标准煤的热值": "低位发热量为29307千焦"
    return value in sentence and (re.search(r"[0-9]|[一二三四五六七八九十百千万两]+(万|千|吨|元|分|家|立方|千克|%)", sentence)
                                  is not None or re.search(f"(这一?|这个|该|上述|此){value}", sentence) is not None)


_SOME_UNITS = re.compile(r"(?<=[这那好有对去给到跟帮])几[家个位所]")


def first_figure(question: str) -> re.Pattern | None:
    """What a sentence must hold to answer the first asking clause, when that clause asks a figure and later ones
    ask something that rests on it ("改了哪几条，原来咋写的现在咋写的")."""
    parts = question_parts(question)
    clauses = _asked_clauses(parts[0])
    if len(parts) > 1 or len(clauses) < 2 or re.search(r"^几", clauses[0]) or _SOME_UNITS.search(clauses[0]):
        return None  # "几家合署办公只有一块总电表，能耗怎么分": some units, not a count asked
    return _figure_for(clauses[0])


def code_asked(question: str) -> re.Pattern | None:
    """What a sentence must hold when an asking clause asks a document's number or a standard's code, whatever the
    other clauses ask ("零碳公共机构国家评价标准叫啥，编号多少", "有没有专门讲节水的文件，文号是啥")."""
    for part in question_parts(question):
        for clause in _asked_clauses(part) or [part]:
            if re.search(r"文号|发文字号|令号|编号|标准号|标准代号", clause):
                return _figure_for(clause)
    return None


def asked_figures(question: str) -> list[re.Pattern] | None:
    """What each asking clause of the question needs a sentence to hold, when every one asks a figure
    ("海洋碳汇买了多少吨，一吨啥价钱" → tonnes, yuan); None when any clause asks something else."""
    out = []
    for part in question_parts(question):
        clauses = _asked_clauses(part) or [part]
        for clause in clauses:
            figure = _figure_for(clause)
            if figure is None:
                return None
            out.append(figure)
    return out


YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?=年)")  # "2021年" → 2021
TYPE_BONUS = 1.0  # a sentence of the asked-for kind outranks one that only repeats the question's words
DATING_SENTENCE = 30  # a sentence this short that names a year dates the next one ("2023年度因子于2026年1月前后公布。")
YEAR_BONUS = 0.2  # a sentence that names the year asked, over a near one about another year (dev: 0.5 declined less)
MIN_LEAD_CHARS = 8  # shorter "sentences" are labels and headings ("**合同能源管理。**"), not answers
_MARKUP = re.compile(r"^[\s#>*\-|]*(\d+[.、)]\s*)?(\*\*)?(答|问|注)[:：]\s*|\*\*|^[\s#>*\-]+")


@dataclass(frozen=True)
class Lead:
    part: str  # the question part this sentence answers
    sentence: str | None  # None: the knowledge base does not answer this part
    hit: SearchHit | None
    # A note that what this part asks is not held or verified, when it covers the part better than the sentence chosen
    # ("本知识库没有舟山屋顶光伏的装机容量……" against a 全国 figure in 千瓦)
    note: tuple[str, SearchHit] | None = None


def question_parts(question: str) -> list[str]:
    """"年度能耗报告啥时候报？报给谁？" → two parts; a one-part question → itself."""
    # Only what ends in a question mark is asked: "……是几号啊？怕赶不上" is one question and a remark.
    parts = [p.strip(" ，,。") for p in re.findall(r"[^？?]+[？?]", question)]
    parts = [p.rstrip("？?") for p in parts if len(p.rstrip("？?")) >= 3]
    merged: list[str] = []
    for part in parts:
        if merged and _RESTATED.match(part):
            merged[-1] += "，" + part  # "……多少年要做一次？有没有明确的频次要求？": the same question again
        else:
            merged.append(part)
    return merged if len(merged) >= 2 else [question]


# "有没有明确的频次要求", "有没有硬性规定": the part before asked again as whether a rule says so
_RESTATED = re.compile(r"^(那)?(有没有|是不是有|有无)(明确|具体|硬性|统一|相关|正式|成文)的?[\u4e00-\u9fff]{0,4}(规定|要求|标准|说法|依据)")


# A clause that asks, as a trailing remark does not: also "……，算重点用能单位不", "……，是预警还是直接停供" (not
# _ASKING, which also counts 会不会 and 用不用: dev half one answer fewer with it)
_ASKS = re.compile(r"多少|几|什么|啥|哪|谁|怎么|咋|如何|吗|么|是否|有没有|呢|能不能|要不要|可不可以|是不是|算不算|还是|干嘛|"
                   r"[不没否吧][?？]?$")


_ELABORATES = re.compile(r"比如|比方说?|例如|譬如|像是?|就是说?|具体(说|来说|讲)?|也就是|即")


def asked(question: str) -> str:
    """The question without a trailing remark: "中国水周是哪几天？怕记错" asks only the first part, and so does
    "今年宣传周是哪几天 主题是啥 稿子里要写" (a space between words typed as a clause break)."""
    question = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "，", question.strip())
    last = max(question.rfind("？"), question.rfind("?"))
    if last > 0:
        after = question[last + 1:].strip()
        # ("……有没有硬性规定？比如新增车辆必须百分之多少是新能源": an example that names the figure asked)
        return question if not after or (_ELABORATES.match(after) and asked_figures(after)) else question[: last + 1]
    clauses = re.split(r"[，,；;]", question)
    while len(clauses) > 1 and not _ASKS.search(clauses[-1]) and any(_ASKS.search(c) for c in clauses[:-1]):
        clauses.pop()  # "绿色学校创建是哪个部门牵头的，领导可能会问": the remark asks nothing
    return "，".join(clauses)


_UNVERIFIED = re.compile(r"尚未核实|待核实|未经核实|未核实|未能核实|无法核实|未在[^，。；]{1,10}中核实|尚未掌握|不能给出|无法给出|待查证|本知识库没有|没有找到可靠|"
                         r"(?:本知识库)?(?:尚未|未)(?:收录|找到)")
# A note that the asked item is unverified leads only when no other sentence comes this close (dev: 0.5 over 0, 0.2)
UNVERIFIED_PENALTY = 0.5

# Provinces by their short names: a sentence about one of them does not answer for the whole country
PROVINCES = set("北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 "
                 "云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门".split())


def is_unverified_note(sentence: str) -> bool:
    """Whether a sentence says the knowledge base has not verified what it is about ("……评价细则（文号、分值）在本知识库
    中尚未核实，不能据此给出确切的打分标准"); a note in brackets beside a statement ("……由国管局牵头（联合发文部门
    待核实）") does not make the statement one."""
    said = re.sub(r"（[^（）]*）|\([^()]*\)", "", sentence)
    # "……本知识库只核实了“满分100分、90分及以上为合格”这一条，其他条款待核实": it does state what was verified
    return bool(_UNVERIFIED.search(said)) and not re.search(r"核实了|已核实|已经核实", said)


# What a question asks, and the words a document's bracketed note uses for that item when it has not verified it
_NOTED_ITEMS = (
    (re.compile(r"文号|发文字号"), re.compile(r"文号")),
    (re.compile(r"罚|处罚|处分"), re.compile(r"条款|罚")),
    (re.compile(r"比例"), re.compile(r"比例")),
    (re.compile(r"编号|标准号"), re.compile(r"编号")),
    (re.compile(r"多少分|满分|分数线|几分"), re.compile(r"分值|分数")),
    (re.compile(r"时限|期限|多久|几天|工作日"), re.compile(r"时限|期限|时间")),
)


def asked_item_unverified(question: str, sentence: str, names: Iterable[str] = ()) -> bool:
    """Whether the sentence's bracketed note says the very item the question asks has not been verified ("罚多少钱"
    against "（该法的施行日期和具体条款在本知识库中待核实）"), or names one of the question's `names` (places, years)
    that the sentence outside its brackets does not: "南方区域的因子是多少" against "华北0.6361……（南方、西南区域数值
    本知识库尚未收录）"."""
    brackets = re.findall(r"（([^（）]*)）|\(([^()]*)\)", sentence)  # (full-width, half-width) per bracket
    notes = [text for pair in brackets for text in pair if text and _UNVERIFIED.search(text)]
    if any(ask.search(question) and any(noted.search(n) for n in notes) for ask, noted in _NOTED_ITEMS):
        return True
    outside = re.sub(r"（[^（）]*）|\([^()]*\)", "", sentence)
    return any(name in note and name not in outside for name in names for note in notes)


def direct_answers(question: str, hits: list[SearchHit], kb, min_share: float = 0.25,
                   weights: dict[str, float] | None = None) -> list[Lead]:
    """For each part of `question`, the sentence of `hits` that best answers it (its words, its type).

    A part whose best sentence covers less than `min_share` of that part's own topic weight is not answered.
    """
    parts = question_parts(question)
    whole = weights if weights is not None else kb.query_weights(question)
    leads: list[Lead] = []
    used: set[str] = set()
    for part in parts:
        own = kb.query_weights(part) if len(parts) > 1 else whole
        types = kb.colloquial.normalise(part).types
        figure = asked_figure(part) or (first_figure(part) if len(parts) == 1 else None)
        value = asked_value(part)
        years = YEAR.findall(part)
        total = sum(own.values()) or 1.0
        defined = _definition_of(part, own, kb) if "definition" in types else None
        nationwide = "全国" in part and not any(p in part for p in PROVINCES)
        # "十五五目标出了没": whether something has come out is answered by a note that it is not held yet
        out_yet = re.search(r"出(来|台)?了?(没|吗|没有)|(公布|发布|印发|定)了?(没|吗|没有)", part) is not None
        best: tuple[float, str, SearchHit, float] | None = None
        note: tuple[float, str, SearchHit] | None = None
        for rank, hit in enumerate(hits):
            sentences = quotable_sentences(hit.chunk.text)
            for index, raw in enumerate(sentences):
                sentence = clean(raw)
                quoted = _with_what_it_introduces(sentence, sentences[index + 1:])  # scored as itself, quoted whole
                if value is not None and index and re.search(f"(这一?|这个|该|上述|此){value}", sentence) and \
                        (figure is None or not figure.search(sentence)):
                    start = index - 1  # with the sentence before, and what a ；joins to it: "一是……；二是……。……这一门槛"
                    while start and sentences[start - 1].rstrip().endswith(("；", ";")):
                        start -= 1
                    quoted = "".join(clean(x) for x in sentences[start:index]) + quoted
                if is_unverified_note(sentence) and (figure is not None or value is not None):
                    tokens = set(kb.tokenizer.tokens(sentence))
                    held = sum(w for t, w in own.items() if t in tokens) / total
                    if note is None or held > note[0]:
                        note = (held, sentence, hit)
                # no table cells, no FAQ question ("问：年中搬进了新办公楼，建筑面积填哪一个？"; dev half: skipping it
                # over quoting the answer after it); the figure or the named value asked
                if len(sentence) < MIN_LEAD_CHARS or quoted in used or "|" in sentence or \
                        re.match(r"\s*(来源|出处|资料来源)[：:]", sentence) or \
                        sentence.rstrip("*） )").endswith(("？", "?")) or \
                        (figure is not None and not holds_figure(figure, quoted, part) and
                         not (figure is ARTICLE_NUMBER and hit.chunk.article and not asks_amended_articles(part))) or \
                        (value is not None and not states_value(quoted, value)) or \
                        (nationwide and "全国" not in quoted and any(p in quoted for p in PROVINCES)) or \
                        (years and _OF_A_YEAR.match(sentence) and not any(f"{y}年" in sentence for y in years)):
                    continue  # (the last two: "十三五期间全国人均能耗降了多少" is not answered by 浙江's; a table row of
                    # 2022, "华北（2022年）：…", or the line opening its table, does not answer for 2023)
                tokens = set(kb.tokenizer.tokens(sentence))
                before = clean(sentences[index - 1]) if index else ""
                if years and before and len(before) <= DATING_SENTENCE and not YEAR.search(quoted) and \
                        any(re.search(f"(?<!公告){y}年(?![0-9一二三四五六七八九十]+月|第)", before) for y in years):
                    # "2023年度因子于……公布。全国电力平均二氧化碳排放因子为0.5306": the short sentence before says of what
                    tokens |= set(kb.tokenizer.tokens(before))
                if figure is not None and figure.pattern.startswith(_FIGURE):
                    # "行政中心托管改造年减碳多少吨" → "……年减少二氧化碳排放约759吨": the subject is the passage's title
                    tokens |= set(kb.tokenizer.tokens(hit.chunk.title))
                share = sum(w for t, w in own.items() if t in tokens) / total
                context = sum(w for t, w in whole.items() if t in tokens) / (sum(whole.values()) or 1.0)
                score = share + 0.3 * context - 0.02 * rank
                if share >= min_share and types and any(TYPE_PATTERNS[t].search(quoted) for t in types
                                                         if t in TYPE_PATTERNS):
                    score += TYPE_BONUS
                if share >= min_share and defined is not None and defined.search(sentence):
                    score += TYPE_BONUS  # "分项指区分照明、空调……": the term asked about, then what it means
                # (a sentence naming no year is of the year the sentence before it names: "2023年度因子于……公布。全国
                # 电力平均二氧化碳排放因子为0.5306")
                dated = quoted if YEAR.search(quoted) or not index else before
                if years and any(re.search(f"(?<![比较于])(?<!相比){y}年", dated) for y in years):
                    score += YEAR_BONUS  # "2021年度全国电力平均排放因子": the sentence about that year, not "比2021年下降"
                if out_yet and re.search(r"(尚未|还没有?|未)(见)?(公开|正式)?(发布|公布|印发|出台)", sentence):
                    score += TYPE_BONUS  # "……“十五五”目标尚未见公开发布": whether it is out, answered
                if is_unverified_note(sentence):
                    score -= UNVERIFIED_PENALTY  # "……尚未核实": a sentence nearly as close that answers comes first
                if share >= min_share and (best is None or score > best[0]):
                    best = (score, quoted, hit, share)
        if best is None:
            leads.append(Lead(part, None, None))
        else:
            used.add(best[1])
            unheld = (note[1], note[2]) if note is not None and note[0] > best[3] else None
            leads.append(Lead(part, best[1], best[2], unheld))
    return leads


_ASKED_VERB = re.compile(r"([能要算是用可得会])不\1|可不可以|是否|需不需要|用不用|应不应该?")
# What a plain yes or no looks like, by what is asked: counting something in (算不算, 要不要算进), being allowed
# (能不能, 可不可以), being required (要不要, 需不需要), being something (是不是), happening (会不会). Only these words
# give a verdict: "需要注意……" or "……可再生能源应用" says neither yes nor no.
_VERDICTS = {
    "count": (re.compile(r"计入|算入|算作|算进|算在|纳入|列入|属于"),
              re.compile(r"不(计入|算入|算作|算进|算在|纳入|列入|属于|算)|不能(计入|算)")),
    "may": (re.compile(r"可以|允许|能够"), re.compile(r"不得|不能|不可以?|禁止|严禁|不允许")),
    "must": (re.compile(r"应当|应该|必须|需要(?!注意|说明|指出|提醒)|要求"), re.compile(r"无需|无须|不需要|不必|不用|不要求")),
    "is": (re.compile(r"属于|就是|是指"), re.compile(r"不是|不属于")),
    "will": (re.compile(r"(?<!不)会"), re.compile(r"不会")),
}
_KIND_OF_VERB = {"算": "count", "能": "may", "可": "may", "得": "may", "可不可以": "may", "要": "must",
                 "需不需要": "must", "用": "must", "用不用": "must", "应不应": "must", "应不应该": "must",
                 "是": "is", "是否": "is", "会": "will"}
_ANSWER_WORDS = {"能": ("能", "不能"), "要": ("要", "不要"), "算": ("算", "不算"), "是": ("是", "不是"),
                 "用": ("要用", "不用"), "可": ("可以", "不可以"), "得": ("可以", "不可以"), "会": ("会", "不会"),
                 "可不可以": ("可以", "不可以"), "是否": ("是", "否"), "需不需要": ("需要", "不需要"),
                 "用不用": ("要用", "不用"), "应不应": ("应当", "不应当"), "应不应该": ("应当", "不应当")}


def _definition_of(part: str, weights: dict[str, float], kb) -> re.Pattern | None:
    """For "分项计量的分项是指啥": a sentence that says what the asked term is ("分项指……", "能耗基准是……")."""
    words = [w for w in kb.tokenizer.words(kb.colloquial.topic(kb.normalise_query(part))) if len(w) >= 2]
    if not words:
        return None
    term = max(words, key=lambda w: (weights.get(w, 0.0), -part.find(w)))
    return re.compile(re.escape(term) + r"[”\"」’]?(）|\))?\s*(是指|指的是|指|即|就是|是|为)(?!否|不|了|何|什么)")


def yes_or_no(part: str, sentence: str) -> str | None:
    """"算"/"不算" for "雨水回用的水算不算用水量" when the quoted sentence says one of them plainly
    (不计入用水量), None when it says both or neither: a wrong yes/no is worse than none. "要不要算进" asks
    whether something counts, so 计入/不计入 decide it."""
    asked = _ASKED_VERB.search(part)
    if not asked:
        return None
    verb = asked.group(0) if asked.group(0) in _ANSWER_WORDS else asked.group(1) or ""
    words = _ANSWER_WORDS.get(verb)
    if not words:
        return None
    kind = _KIND_OF_VERB.get(verb, "must")
    if re.match(r"(折成.{0,6})?(算|计|纳|列)", part[asked.end():]):
        kind = "count"  # "要不要算进综合能耗"
    positive, negative = _VERDICTS[kind]
    said_no = bool(negative.search(sentence))
    said_yes = bool(positive.search(negative.sub("", sentence)))
    if said_no == said_yes:
        return None
    return words[1] if said_no else words[0]


def _with_what_it_introduces(sentence: str, following: list[str], max_chars: int = 160) -> str:
    """"新员工最容易犯的错误有以下几类：" is no answer by itself: the items it introduces are quoted with it."""
    if not sentence.endswith(("：", ":")):
        return sentence
    for item in following[:3]:
        item = clean(item)
        if not item or len(sentence) + len(item) > max_chars:
            break
        sentence += item
    return sentence


def clean(sentence: str) -> str:
    """A passage sentence as a quotable answer: without Markdown marks, list numbers and 问/答 labels."""
    text = sentence.strip()
    for _ in range(3):
        stripped = _MARKUP.sub("", text).strip()
        if stripped == text:
            break
        text = stripped
    # "第二十三条　能源审计包括七项内容：……": the article's number is in the citation, not in the sentence quoted
    return re.sub(r"^第[一二三四五六七八九十百零]+条(之[一二三四五六七八九十])?[\s\u3000]+(?=\S)", "", text.strip(" *"))
