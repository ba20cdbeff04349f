"""A unit named by where it stood earlier in the conversation, written back as its name before the question is read.

Staff point at units instead of naming them: "学校里排第一那家跟去年比" (the first of the last ranking),
"回到一开始问的那家" (the unit of the first question), "超定额那家今年每平米能耗多少" (the one unit the last quota
check listed). The earlier answers are the assistant's own tool answers, which list units in ranked order.
"""

from __future__ import annotations

import re
from typing import Callable, Sequence

from assistant.answering.intents import NO_DATA_CONTEXT, ONE_OF_THE_LIST, SELF_INTRO, institutions_named
from assistant.numerals import chinese_to_int

_WITHIN = r"(?:全市|全部|学校里?|医院里?|机关里?|场馆里?|里面|其中)?"
_NUMBER = r"([一二两三四五六七八九十]|\d{1,2})"
_UNIT = r"单位(?!面积|建筑)"  # "第3位单位", not the 单位 of 单位面积 ("榜首单位面积碳排")
# "排第一那家", "第二名", "全市第一名那家", "排名第三的", "第四个": a place in the last list
_PLACE = re.compile(rf"(?:位列|位居|排在|排名)第{_NUMBER}(?:名|位)?(?:者|的单位|的那家|的)?|"
                    rf"{_WITHIN}(?:排名?)?第{_NUMBER}(?:名|位)?(?:的|那|的那|这)(?:家|个单位|个)|"
                    rf"{_WITHIN}排名?第{_NUMBER}(?:的|名)?|{_WITHIN}第{_NUMBER}名|"
                    rf"{_WITHIN}第{_NUMBER}个(?!问|说|查|月|季度|年|工作日|单位的)|"  # "第四个是谁", "第二个人均用水"
                    rf"{_WITHIN}第{_NUMBER}位(?:的?{_UNIT}|的)?|"  # "第五位的人均是多少", "第3位单位 kWh 2023"
                    rf"(?:名单|榜单|单子|列表)?(?:上|里|中)?的?第{_NUMBER}家(?:{_UNIT})?|"  # "名单上第一家2023年用电呢"
                    # the first, without a number: "榜首那家", "排头那家", "头一名", "排名首位单位", "超得最多的那家"
                    # (not "超得最多的三家", "排头两家": the first few of the list)
                    rf"(?:排名)?(?:榜首|首位|排头|头一名|头名|超得最多)(?!的?前?[两二三四五六七八九十0-9]+(?:家|个|位|名))"
                    rf"(?:的?(?:那|这)?(?:家|个单位|个|位|{_UNIT}))?"
                    r"(?:的)?")  # "榜首单位面积碳排": 单位面积 is the metric
# "排最后的那所", "最后一名", "倒数第二那家", "垫底的": a place counted from the end of the last list
_FROM_END = re.compile(rf"{_WITHIN}(?:排(?:在)?|排名)?(?:倒数第{_NUMBER}(?:名|位)?|最后(?:一名|一位|一个)?|垫底|末位|末尾|最末)"
                       rf"(?:的那|的|那|这)?(?:家|所|个单位|个|位|{_UNIT})?")
# "上面那几个里的学校", "里面那个学校": the one unit of that category in the last list
_OF_KIND_IN_LIST = re.compile(r"(?:(?:上面|刚才|前面|上述)?(?:那|这)?(?:几个|几家|些)(?:单位)?(?:里|中|里面|当中|之中)的?|"
                              r"(?:里面|其中|当中)(?:那|这)?(?:个|家|所)的?)"  # "里面那个学校"
                              r"(学校|医院|文化场馆|场馆|党政机关|机关)")
_KIND_WORDS = {"学校": "学校", "医院": "医院", "文化场馆": "文化场馆", "场馆": "文化场馆", "党政机关": "党政机关",
               "机关": "党政机关"}
# "一开始问的那家", "刚才第一个问的那家", "最开始那家": the unit of the conversation's first question about one unit
_FIRST_ASKED = re.compile(r"(?:一开始|最开始|刚开始|开头|刚才第一个|最早|第一个)(?:问的|说的|查的)?(?:那|这)(?:家|个单位|个)")
# "超定额那家", "超预算的那家": the one unit the last check listed
_THE_ONE_OVER = re.compile(r"(?:超定额|超预算|超标|超了)的?(?:那|这)(?:家|个单位|个)")
LISTS = {"rank", "quota", "budget"}
# "我是二中管能源的", "开大这边的，我们学校……": the unit the user works at (one unit named beside 我/我们/这边的);
# "我们"/"咱们单位" later in the conversation means it, "我们这类场馆" its category
_SELF = re.compile(r"我是|我们是|我在|我们|咱们|咱单位|这边的|我这边|" + SELF_INTRO)
_OURS = re.compile(r"(?:我们|咱们|咱)(?:单位|学校|医院|局|馆|场馆|中心|这边|这里|这儿|区(?:人民)?政府|街道(?:办事处|办)?)?"
                   r"(?![市区县省国]|这类|这种|这一类|同类)")
# "它怎么会高出别人这么多", "这家去年呢": the unit the last data question was about ("就它一家？" asks about the list)
# (also the written 该局, 该院, 其: "请提供该局2024年度碳排放总量", "请提供其较2024年度增减情况")
_IT = re.compile(r"它们|(?<!就)(?<!只有)它(?!一家)|这家单位|这家|那家单位|那家(?![^，,。？?]{0,6}(超|最))|该单位|这个单位|"
                 r"(?:这|那)(?:栋|幢|座|个)?大?楼|该(?:局|院|馆|中心|校|委|所)|"
                 r"(?<![尤极与])其(?=[0-9较单人综用碳年])")
# "同类的几家排排看": the category of the unit being discussed
_SAME_KIND = re.compile(r"(?<![合不])同类型?的?(?:单位)?|同一类的?(?:单位)?")  # not 合同类型, 不同类
# "我们局和2020年比降了多少" after a question about 住建局, the user never having said where they work: the unit
# being discussed, when it is of that kind
_KIND_ENDINGS = {"局": ("局",), "医院": ("医院", "保健院"), "学校": ("中学", "小学", "学院", "大学"), "馆": ("馆",),
                 "中心": ("中心",), "街道": ("街道办事处",), "区政府": ("区人民政府",), "区人民政府": ("区人民政府",)}


def points_into_list(question: str) -> bool:
    """Whether the question points at a place in the last list ("第二名呢", "倒数第一那家"): a unit, whatever is asked."""
    return bool(_PLACE.search(question) or _FROM_END.search(question))


def names_in_order(answer: str, names: Sequence[str]) -> list[str]:
    """The units an answer names, in the order it names them (a ranking's order)."""
    found = []
    for name in sorted(names, key=len, reverse=True):  # 市人民医院 before a shorter name inside it
        position = answer.find(name)
        if position >= 0 and not any(position >= p and position < p + len(n) for p, n in found):
            found.append((position, name))
    return [name for _, name in sorted(found)]


def resolve(question: str, turns: Sequence[tuple[str, str, str, dict]], names: Sequence[str],
            category_of: Callable[[str], str | None] | None = None) -> str:
    """`question` with a pointed-at unit replaced by its name, and "同类" by the category of the unit discussed
    (`category_of` gives a unit's category). `turns` are the earlier (question, answer, intent, slots), oldest
    first."""
    discussed = _discussed(turns)
    same = _SAME_KIND.search(question)
    if same and category_of is not None:
        unit = discussed or _own_unit(turns, names)
        category = category_of(unit) if unit else None
        if category:
            question = question.replace(same.group(0), "其他类" if category == "其他" else category, 1)
    if not institutions_named(question, list(names))[0]:
        own = _own_unit(turns, names)
        ours = _OURS.search(question)
        if own and ours:
            return question.replace(ours.group(0), own, 1)  # "那我们今年人均能耗多少" after "我是开大的"
        last = next((turn for turn in reversed(turns) if turn[2] not in NO_DATA_CONTEXT), None)
        kind = next((k for k in _KIND_ENDINGS if ours and ours.group(0).endswith(k)), None)
        if not own and kind and discussed and discussed.endswith(_KIND_ENDINGS[kind]):
            return question.replace(ours.group(0), discussed, 1)
        it = _IT.search(question) if not points_into_list(question) else None  # "第一名是哪家？它……": the list decides
        named_before = turns[-1][3].get("institution") if turns and turns[-1][2] in NO_DATA_CONTEXT else None
        if it and it.group(0) != "它们" and named_before not in (None, "全部"):
            # "它2025年一共用了多少度电" right after "大数据中心单位面积能耗四十多，是不是数据录错了"
            return question.replace(it.group(0), named_before, 1)
        if it and it.group(0) != "它们" and last:
            _, answer, intent, slots = last
            unit = slots.get("institution")
            if unit and unit != "全部":
                return question.replace(it.group(0), unit, 1)
            listed = names_in_order(answer, names)
            if len(listed) == 1 and last is turns[-1] and intent in LISTS | {"anomaly"}:
                # "它今年用水总量多少" after "只要第一": the one unit the last list answer named
                return question.replace(it.group(0), listed[0], 1)
            if discussed and discussed in listed:
                # "它这些年有没有降下来" after a ranking that lists the unit talked about before: that unit
                return question.replace(it.group(0), discussed, 1)
            if listed and last is turns[-1] and intent in LISTS:
                # "它二三年人均能耗几多" after "预算执行率最高的是哪家": the list's first
                return question.replace(it.group(0), listed[0], 1)
            if discussed and unit == "全部" and not listed:
                # "那它呢" after the city's total, asked after one unit's figure: that unit
                return question.replace(it.group(0), discussed, 1)
    of_kind = _OF_KIND_IN_LIST.search(question)
    if of_kind and category_of is not None:
        kind = _KIND_WORDS[of_kind.group(1)]
        matching = [n for n in _last_listed(turns, names, LISTS) if category_of(n) == kind]
        if len(matching) == 1:
            return question.replace(of_kind.group(0), matching[0], 1)
    end = _FROM_END.search(question)
    pointer = end or _PLACE.search(question)  # "倒数第一那家" is not "第一那家"
    if pointer:
        number = next((g for g in pointer.groups() if g), "一")  # "最后一名", "垫底的": the last
        n = int(number) if number.isdigit() else chinese_to_int(number.replace("两", "二"))
        # ("排第一那家", "第二名" point into the last ranking, also when a quota check came after it)
        ranked = re.search(r"排|名(?!单)", pointer.group(0)) and not end
        listed = (ranked and _last_listed(turns, names, {"rank"})) or _last_listed(turns, names, LISTS)
        if ONE_OF_THE_LIST.fullmatch(question):
            # "第一名是哪家就行", "倒数第一是哪家": the list cut to its first (or last), a ranking of one that
            # follow-ups re-rank
            return question
        from_bottom = bool(end) and not _listed_lowest_first(turns)  # a list from the lowest up starts at the bottom
        if n and 0 < n <= len(listed):
            return _put(question, pointer.group(0), listed[-n] if from_bottom else listed[n - 1])
    first = _FIRST_ASKED.search(question)
    if first:
        for _, _, _, slots in turns:
            unit = slots.get("institution")
            if unit and unit != "全部":
                return question.replace(first.group(0), unit, 1)
    one = _THE_ONE_OVER.search(question)
    if one:
        listed = _last_listed(turns, names, {"quota", "budget"})
        if len(listed) == 1:
            return question.replace(one.group(0), listed[0], 1)
    return question


def _last_listed(turns: Sequence[tuple[str, str, str, dict]], names: Sequence[str], kinds: set[str]) -> list[str]:
    """The units the last answer of one of `kinds` (a ranking, a quota or budget check) names, in its order; of a list
    cut to its first N, those N (the answer may name other units after them: "……市图书馆用水量 125.42%")."""
    return next((names_in_order(answer, names)[:slots.get("top") or None]
                 for _, answer, intent, slots in reversed(turns) if intent in kinds), [])


def _listed_lowest_first(turns: Sequence[tuple[str, str, str, dict]]) -> bool:
    """Whether the last list was ranked from the lowest up ("人均能耗最低的五家")."""
    return next((bool(slots.get("lowest")) for _, _, intent, slots in reversed(turns) if intent in LISTS), False)


def _put(question: str, pointer: str, name: str) -> str:
    """The question with a list place replaced by the unit's name: "第一名是哪家？它今年用电跟去年比咋样" asks about
    that unit ("市人民医院今年用电跟去年比咋样"), the who having been answered by the list."""
    question = question.replace(pointer, name, 1)
    asked_who = re.search(re.escape(name) + r"(?:是|为)(?:哪家|哪一家|哪个单位|哪个|谁)[啊呀呢]?[？?，,。\s]*", question)
    if asked_who and question[asked_who.end():].strip():
        rest = question[asked_who.end():]
        it = _IT.search(rest)
        return name + (rest.replace(it.group(0), "", 1) if it and it.start() == 0 else rest)
    return question


def _discussed(turns: Sequence[tuple[str, str, str, dict]]) -> str | None:
    """The one unit the last data question about a single unit was about."""
    return next((slots["institution"] for _, _, intent, slots in reversed(turns) if intent not in NO_DATA_CONTEXT
                 and slots.get("institution") not in (None, "全部")), None)


def _own_unit(turns: Sequence[tuple[str, str, str, dict]], names: Sequence[str]) -> str | None:
    """The unit the user said they work at ("我是二中管能源的，我们学校今年用电多少"), if they said so."""
    for question, _, _, _ in turns:
        if _SELF.search(question):
            named = institutions_named(question, list(names))[0]
            if len(named) == 1 and named[0] != "全部":
                return named[0]
    return None
