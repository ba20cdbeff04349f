"""The offline engine: answers with no LLM, from the same tools and retrieval the agent uses.

Numeric questions go to a tool and the answer is the tool's own explanation (figure, unit, period, formula,
factors); knowledge questions get the sentences that answer them from the best passages, each cited; weak
evidence gets "知识库中未找到相关内容" and no citations. It never writes a number of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Callable

from assistant.answering.answers import NOT_FOUND, Answer, Citation
from assistant.answering.direct import (ARTICLE_NUMBER, DATING_SENTENCE, FAQ_MARK, MIN_LEAD_CHARS, PROVINCES,
                                        STANDARD_CODE, TYPE_PATTERNS, YEAR,
                                        asked, asked_figures, asked_item_unverified, asked_value, asking_clauses,
                                        asks_amended_articles, code_asked, counted_noun, direct_answers, first_figure,
                                        holds_figure, is_unverified_note, question_parts, quotable_sentences,
                                        states_value, yes_or_no)
from assistant.answering.docdates import asked_date, document_date
from assistant.answering.intents import (DATA_FAULT, NO_DATA_CONTEXT, NUMERIC_INTENTS, Understanding,
                                         asking_part, asks_about_other_than_figures, institutions_named, understand,
                                         shortened_names, unit_phrase, with_full_names)
from assistant.answering.references import points_into_list, resolve
from assistant.answering.toolbox import ToolRunner
from assistant.config import Settings
from assistant.errors import LookupFailed
from assistant.ingest.chunking import find_article
from assistant.numerals import full_years
from assistant.records import metrics as vocab
from assistant.records.store import is_subsequence
from assistant.retrieval.knowledge import KnowledgeBase, SearchHit
from assistant.retrieval.spelling import fix_names, fix_terms

# A why/how question about our own data in a conversation about it is answered from the data's description (doc_type
# data: how the budgets were drawn up, which anomalies are planted) when its best passage covers this much (dev: the
# budget rule's passage covers 0.24-0.35 of such questions, whose scene words are figures and unit names)
DATA_NOTE_COVERAGE = 0.2
# (这些数据 borrowed for a purpose is not asked about: "2025年节能宣传周是哪几天 想借这些数据做个展板")
_ABOUT_OUR_DATA = re.compile(r"样例数据|(?<![借拿引])(?<!参考)这(个|些)?(预算|定额|数据|定额表)|(预算|定额)表|" + DATA_FAULT + r"|"
                             r"(用电|用水|读数|数据|电量|水量)(是|为)(0|零)|停电了吗|"
                             r"有意|故意|设进去|(按|是)(啥|什么|哪个)?.{0,4}编的|按(啥|什么)定的|怎么编|咋编|为啥.{0,14}(往下走|往上走|这么[高低紧多少]|"
                             r"翻了|突然)|(怎么|为什么|为啥)(会)?(这么|那么)(高|低|紧|多|少)|"
                             r"(为啥|为什么|怎么)(少|多|高|低|降|涨)了?(这么|那么)多|(高|低|多|少)(那么|这么)多|"
                             r"(做|搞|实施)了(啥|什么|哪些)(改造|措施|项目)|编的时候|编得(紧|松)|压得紧|"
                             r"(数据|面积|电量|水量|用电|用水|读数|这个数).{0,10}(怎么回事|咋回事)|是不是变(过|了)|"
                             r"系统里|数据里|(刚好|正好|恰好).{0,8}(一样|相同|一致)|(怎么|为啥|为什么)(老是|总是)")
# How to fill in a report or what a rule says ("年中面积变了，统计报表建筑面积该填哪个数"): the rules answer it, even in
# a conversation about our data whose description mentions the same event
# (also practice: "管子漏水，平时靠啥能早点发现", "卫生间长流水这种，节水有哪些管理要点")
_HOW_TO_REPORT = re.compile(r"(报表|年报|填报|直报|统计制度|条例|规定|标准|文件|办法)(里|上|中)?.{0,12}"
                            r"(填|报|算|计|怎么|咋|哪个|哪一|要不要|该)|"
                            r"平时.{0,6}(怎么|咋|该|要|靠|从)|(有)?(哪些|什么|啥)(管理)?(要点|措施|办法|做法)|"
                            # a case supposed, how it is handled ("要是电表读数录错了 统计数跟账单对不上咋处理")
                            r"^(要是|如果|假如|万一|若是?).{2,30}(咋|怎么|如何|应该|应当|该)(处理|办|核对|查|弄|改|更正)|"
                            r"^(要是|如果|假如|万一|若是?).{2,30}(以|按)(什么|啥|哪个)(为|来)?(依据|准)|"
                            r"^(要是|如果|假如|万一|若是?)[^，,。？?\s]{2,30}[，,\s].{0,30}(哪些|哪几|什么|啥)(内容|项|方面|材料|依据|规定)|"
                            # a standard named ("能耗定额是按哪个国家标准编的")
                            r"(按|依据|根据|参照)?(哪个|哪一?项|什么|啥)(国家|行业)标准")
# What was issued lately: the newest list, notice or final figures, or this year's call or theme
_LOCAL_RULES = r"条例|办法|规定|政策|细则|实施方案|规划"  # a city's own rules, asked by the city's name
# the kind of local document asked whether it exists ("有没有自己的……管理办法或者地方条例", "出台了什么实施细则")
_LOCAL_KINDS = re.compile(r"(?:有没有|有无|是否有|出台|制定|印发|发布|出过|颁布)[^，,。？?]{0,16}?(条例|办法|细则|实施方案|规划)"
                          r"(?:[^，,。？?]{0,6}?(条例|办法|细则|实施方案|规划))?")
_EVENTS = r"(节能宣传周|低碳日|世界水日|中国水周|环境日|世界粮食日|宣传周)"
_GRID_REGION = r"(华北|东北|华东|华中|西北|南方|西南)(区域|地区|电网|区域电网)"  # a regional grid's factor
_WHEN = r"(哪天|哪几天|哪一天|几号|啥时候|什么时候|几月|日期)"
_LATEST = re.compile(r"(最新|最近)(一批|一期|一版|公布|发布|出台|发)?的?.{0,12}(名单|通知|文件|清单|政策)|"
                     r"(今年|本年度?).{0,12}(通知|申报|截止|名单|主题)|最终(统计|能耗)?(数据|数|结果)|"
                     + _EVENTS + r"(今年|本年度?)的?.{0,4}(主题|口号)|"
                     r"(今年|本年度?)的?(全国)?" + _EVENTS + r".{0,8}(主场|启动仪式|在哪|哪个城市|哪座城市|什么地方|地点)")
# "今年全国低碳日是哪天", "节能宣传周今年啥时候": 今年 is the calendar's year for an event, not the data's latest
# (its theme is not held either: _LATEST declines that outright)
_THIS_YEARS_EVENT = re.compile(r"(今年|本年度?)的?(全国)?" + _EVENTS + r".{0,8}" + _WHEN + "|" +
                               _EVENTS + r"(今年|本年度?)的?.{0,4}" + _WHEN)
# A rule asked of how something counts ("这些人能折算进用能人数吗？怎么折"), not why our figure is what it is
_HOW_A_RULE_COUNTS = re.compile(r"算进|计入|折算|怎么折|咋折|依据|规定|条例|要不要|能不能|可不可以|算法|口径")
# What a term means or what it takes ("当量值跟等价值啥区别", "评能效领跑者要具备什么条件"): the documents answer it,
# also inside a conversation about our data
_TERM_OR_CONDITION = re.compile(r"(啥|什么|有何|有什么)(区别|不同)|(具备|满足|符合|要有|需要)(什么|哪些|啥)(样的)?条件|"
                                r"条件是(什么|啥)|是什么意思|(啥|什么)意思")
# What to do or what follows ("超了以后我们要怎么办，上面会怎么处理"): the rules answer it, not the data's description
_WHAT_FOLLOWS = re.compile(r"(要|该|得)(怎么办|咋办|怎么做|做什么|干啥|干什么)|会(怎么|咋)(处理|办|样)|(什么|啥)后果|"
                           r"(怎么|咋|如何)处理")
_DATA_NAMED = re.compile(r"样例|示例数据|海州|数据说明|虚构|演示(数据|的时候)|模拟的?(是)?(什么|啥)")
# share of the question's topic terms (IDF-weighted) the best passage must contain; swept on the dev half of the
# everyday sets (python -m evals.everyday), the sweeps are in docs/PERFORMANCE.md
MIN_COVERAGE = 0.4
# A long message whose scene is not covered is searched again by its asking clauses alone ("我们今年七月份搬到新楼去了，
# ……，年报上头建筑面积到底填哪个"), with a stricter floor and only when they hold enough terms to be evidence
# (dev half: floor 0.6 over 0.75; 4 terms tied 3 and is the stricter)
FOCUSED_COVERAGE = 0.6
# "施工队说先开工后补手续，这样行不行？条例哪条管这个": which article of a held law the scene falls under; that law's
# article passage answers at a lower floor than other passages (the scene's own words are rarely the law's)
LAW_ARTICLE_COVERAGE = 0.2
RULE_ARTICLE_COVERAGE = 0.25  # the same for a rule asked without naming the law (dev: 0.3 +2, 0.25 and 0.2 +4)
# What the rules allow, require or sanction, asked
_RULE_ASKED = re.compile(r"依据|规定|哪一?条|条例|法律|法规|违规|违法|行不行|可不可以|能不能|中不中|后果|罚|处分|处理|"
                         r"要不要|需不需要|有没有要求|硬性|举报")
_SANCTION_WORDS = " 责令改正 通报 处分 罚款"  # searched with a question about what follows a breach
_STORY = re.compile(r"我|咱|他们|她们|我们|有栋|有座")  # a clause that tells the user's own story
_CONSEQUENCE = re.compile(r"后果|处罚|罚|处分|追究|会被|会怎么样|会怎样|会有(啥|什么)")  # not "一般咋个处理": how to handle
RARE_QUALIFIER = 4.5  # IDF weight of a word (in one or two passages) that qualifies a value asked ("旅馆" of 约束值)
# "按条例，计量要做到什么程度", "……，条例怎么说": what a named law says, asked as a rule rather than as an article
_LAW_SAYS = re.compile(r"^(按|依据|根据|照)(条例|节能法|法律|法规)|(条例|节能法|法里|法规)(里)?(怎么|咋|是怎么|是咋)(说|规定|写|要求)的?|"
                       r"(条例|节能法|法规)(里)?(有)?(啥|什么|哪些)(规定|要求)")
SCENE_UNSEEN_SHARE = 0.4  # a scene whose unseen words weigh this much of the message is what it is about
FOCUSED_TERMS = 4
MAIN_TERM_SHARE = 0.5  # a term this heavy is what the question is about: a figure from a passage without it answers not
NEAR_BEST = 0.7  # share of the best coverage a passage needs to be quoted, or for its figures to answer a figure asked
SEARCHED_PASSAGES = 8  # passages read for an answer (dev half: 6 -> 8 let a well-covering 7th or 8th passage be quoted)
FAQ_MATCH = 0.75  # share of a FAQ question's term weight the user's message must hold for that passage to answer
FAQ_OVERRIDE = 0.85  # ... and the share that makes a FAQ the evidence even when another passage covers the message well
FAQ_OVERRIDE_BACK = 0.6  # (with this share of the message's own term weight in the FAQ's question)
FAQ_TERMS = 4  # a FAQ question this short ("什么是公共机构") is matched by coverage alone
WIDER_TRIALS = 6  # passages tried one by one for a sentence that states the indicator asked
WIDER_PASSAGES = 24  # passages read for one that holds the figure asked, when none of the first ones does
USED_PASSAGES = 3  # passages quoted under the direct answer, one per document
STRONG_COVERAGE = 0.7  # with this much of the topic covered, one unknown verb or adjective does not sink an answer
NAMED_FLOOR = 0.4  # the same for a passage of the document the question names (条例, 统计制度)
AUTHORITY_FLOOR = 0.5  # share of the best coverage a policy/standard passage needs to be quoted beside a guide (dev: 0.5 over 0.6, 0.7)
_REFERS_BACK = re.compile(r"\s*(那么|那)?(这|那)(东西|玩意儿?|个东西|份|些东西)|\s*它们?(?![\u4e00-\u9fff]{0,2}(说|讲))")
_NEAR_DAY = re.compile(r"(大?后|明)(天|日|晚|早|儿)|今(晚|夜|儿晚上)|明天(早上|上午|下午|晚上)")
_QUANTITY_OR_DATE = re.compile(r"多少|(?<!这)几(?!乎)|哪一?年|哪天|几号|何时|什么时候|啥时候|多久|多长")
RELAXED_NOUN_COVERAGE = 0.5  # the same two floors for a question that asks no figure (dev: see docs/PERFORMANCE.md)
RELAXED_STRONG_COVERAGE = 0.55
NOUN_COVERAGE = 0.6  # the same for a common noun the knowledge base never uses (dev half: declines with one lie at 0.52 or below, answerable ones at 0.68; the middle)
# The data's own words, for same-pinyin slips jieba splits into single characters (能号, 能好 → 能耗; 排明 → 排名)
_DATA_TERMS = tuple(dict.fromkeys([w for w in vocab.metric_synonyms() if len(w) == 2] +
                                   ["排名", "预算", "定额", "同比", "趋势", "用电", "用水", "人均", "前三", "前五", "前十"]))
_DATA_PHRASES = tuple(w for w in vocab.metric_synonyms() if len(w) > 2)  # 人均用水, 碳排放: what confirms a slip
_PLAN_PERIOD = re.compile(r"十[一二三四五六七八九]五")  # "十五五": a five-year plan is named like a year
# A bare conversion ("1万千瓦时折合多少吨标煤"): the tool's answer is the whole answer.
_CONVERSION_ONLY = re.compile(r"(请问|帮我算一下|算一下|帮忙算)?[\d.,万千百]+\s*[^\d]{0,8}?(折合|折算|折成|换算成?|等于|相当于|合|是)"
                              r"(多少|几)[^\d]{0,10}")
# "《公共机构节能条例》第十五条", "《中华人民共和国节约能源法》（2018年修正）第八十一条": a law's article named in a sentence.
_LAW_REFERENCE = re.compile(r"《([^》]{4,40})》(?:（[^）]{0,20}）)?\s*(第[一二三四五六七八九十百零〇0-9]+条)")
# "按条例第十七条", "节能法第八十二条": a law named by its short name, without the title's brackets
_SHORT_LAW_REFERENCE = re.compile(r"(?<![》\u4e00-\u9fff])(?:按|依照|根据|依据|按照)?((?:节能|节约能源|节水)?(?:条例|法))"
                                  r"(第[一二三四五六七八九十百零〇0-9]+条)(?![、至和及到—\-]|第)")  # one article, not a list


def _same_document(named: str, title: str) -> bool:
    """Whether a title named in a text ("节能法"…) and a stored document's title are one document."""
    a, b = _title_core(named), _title_core(title)
    return a in b or b in a


def _title_core(title: str) -> str:
    """A title without brackets, book-title marks, 中华人民共和国 and a leading standard code: what two mentions of
    one document share ("节约能源法", "综合能耗计算通则")."""
    return re.sub(r"（[^）]*）|\([^)]*\)|《|》|[\"“”‘’']|^中华人民共和国|^[A-Z/ ]+[0-9.\-—]+\s*", "", title).strip()


# Documents named by their short names, and what their titles say instead when it differs
_SHORT_NAMES = re.compile(r"统计制度|条例|节约能源法|十四五规划|(?<![0-9])(?:40498|2589|51161|51366)(?![0-9])")
_SHORT_TITLES = {"十四五规划": "十四五”公共机构节约能源资源工作规划"}
_RULES_ASKED = re.compile(r"按规定|规定(要|是|了|的|上|里)|法律上|法规上|依规|有(啥|什么)规定")
_AUTHORITATIVE = {"policy", "standard"}  # doc_type of what rules rest on (guides, cases and FAQs restate them)
# A law or regulation named without book-title marks ("可再生能源法对……有没有规定", "请问党政机关厉行节约反对浪费条例
# 里头……"): from a clause start or a filler word to the first 法 or 条例 (not 办法, 方法, 做法 …)
_LAW_NAME = re.compile(r"(?:^|[\s，,。？?！!、：:（(]|请问|问一?下|那个|这个|按照|根据|依据|关于)"
                       r"([\u4e00-\u9fff]{2,16}?(?:(?<![办方做算说写想看用手违合依执守非司立宪提位])法|条例))(?![律规则定案院人官庭制治务])")
# jieba's tags of words a name does not begin after: pronoun, preposition, number, time, quantity, particle, conjunction
_NOT_IN_NAMES = set("rpmtquc")
_COPULAS = {"是", "算", "算不算", "是不是", "属于", "属不属于", "不算", "不是"}  # "食堂算不算条例要求的……" names no 条例
_ACTIONS = re.compile(r"(删除|删掉|清空|移除|修改|篡改|改成|覆盖|重置).{0,12}(知识库|文档|数据|记录|预算|定额)|"
                      r"把.{0,12}(知识库|文档|数据|记录|预算|定额).{0,8}(删除|删掉|删了|清空|移除|改成|覆盖|重置)")  # "把这个预算数据删除掉"

GREETING = (
    "您好，我是绿叶智答，公共机构节能工作的知识库助手。可以这样问我：\n"
    "· 政策法规：“公共机构节能条例第十五条讲什么？”“能源费用托管有什么政策？”\n"
    "· 能耗数据：“行政中心2024年单位面积能耗多少？比2020年降了多少？”“哪些单位超定额了？”\n"
    "· 用能预算：“行政中心2025年用能预算执行情况”\n"
    "· 文稿起草：“帮我起草一份节能宣传周倡议书”\n"
    "回答中的数字都由计算工具从能耗数据算出，政策内容都附出处。"
)


@dataclass
class OfflineEngine:
    settings: Settings
    kb: KnowledgeBase
    store: Any  # assistant.records.store.DataStore
    # (the knowledge base's titles, the law and regulation names they give): made again only when the titles change
    _law_names: tuple[tuple[str, ...], list[str]] = field(default=((), []), init=False, repr=False)

    def ask(self, question: str, history: list[tuple[str, str]]) -> Answer:
        if _ACTIONS.search(question):
            return self._answer("问答中不能删除或修改知识库和能耗数据。请到“知识库”或“能耗数据”页面操作。", "out_of_scope")
        understanding, read, context = self._read(question, history)
        about_data = context is not None
        if understanding.intent == "knowledge":
            names = self.store.institution_names()
            if history:
                # in a conversation about our units, "二中" is 市第二中学, as the sample data's notes write it
                read = with_full_names(read, names)
            covered = None  # how well the documents cover `question`, once measured
            if read != question and not set(self.kb.unseen_words(read)) - set(self.kb.unseen_words(question)):
                covered = self._best_coverage(question)
                read_hits = self._searched(read)
                read_covered = _best(read_hits)
                by_name = max(read_hits[:4], key=lambda h: h.coverage, default=None)
                if read_covered >= covered and not (by_name is not None and by_name.chunk.doc_type == "data" and
                                                    _HOW_A_RULE_COUNTS.search(question)):
                    # "它怎么会高出别人这么多": searched with the unit's name, if the documents know it and it helps; not
                    # "我们准备申报节水型单位，它和节水型机关是一个东西吗", where 它 is not the unit discussed before;
                    # nor when the name only finds the data's list of units ("我们区政府……这些人能折算进用能人数吗")
                    question, covered = read, read_covered
            fixed = self._without_slips(question, names)
            if fixed != question and self._best_coverage(fixed) > (
                    self._best_coverage(question) if covered is None else covered):
                question = fixed  # "十四五人军用睡目标降几个点": the data terms' slips, when the documents then cover more
            metric = (context or {}).get("slots", {}).get("metric")
            if metric in vocab.METRIC_BY_KEY and re.search(r"(这个|这项|这一?|该)指标", question):
                # "国家对这个指标的要求是降多少" after 单位面积碳排放's trend: that indicator, by its name
                question = re.sub(r"(这个|这项|这一?|该)指标", vocab.metric(metric).name, question)
            named = institutions_named(question, names)[0]
            if (about_data or named) and _ABOUT_OUR_DATA.search(question) and not _HOW_TO_REPORT.search(question) \
                    and not _TERM_OR_CONDITION.search(question) and not re.search(r"算法|口径", question):
                # ("是不是算法不一样": how a kind of unit is counted, which the rules say, not the data's notes)
                unit = (context or {}).get("slots", {}).get("institution")
                if unit and unit != "全部" and not named:
                    question = f"{unit}：{question}"  # "为啥少这么多，是做了啥改造吗" about the unit being discussed
                # "这个预算当时是按啥编的", "两千多公斤一个人，是数据出错了还是本来就这样": what the data's description says
                noted = self._knowledge(question, understanding, doc_type="data")
                if noted.citations:
                    return noted
        try:
            if understanding.intent == "knowledge":
                return self._knowledge(question, understanding, about_data=about_data)
            handler: Callable[[str, Understanding], Answer] = getattr(self, f"_{understanding.intent}")
            return handler(question, understanding)
        except LookupFailed as error:
            return self._answer(str(error), understanding.intent)

    def understand(self, question: str, history: list[tuple[str, str]]) -> Understanding:
        """Intent and slots of `question`, with the slots of earlier questions as context for follow-ups."""
        return self._read(question, history)[0]

    def _read(self, question: str, history: list[tuple[str, str]]) -> tuple[Understanding, str, dict | None]:
        """The understanding of `question`, the question as read (slips corrected, a unit pointed at (它, 第一名那家,
        我们 after "我是二中的") written as its name), and the conversation's last data question (intent and slots;
        None when it has asked nothing about our data)."""
        names = self.store.institution_names()
        years = self.store.years()
        latest = max(years) if years else None
        context = None  # the last data question's: a question about the rules in between does not reset it
        turns: list[tuple[str, str, str, dict]] = []  # (question, answer, intent, slots) of the earlier questions
        for previous, reply in history[-6:]:
            u = understand(resolve(self._without_slips(previous, names), turns, names, self.store.category), names, context,
                           latest_year=latest, tagger=self.kb.tokenizer.tagged)
            turns.append((previous, reply, u.intent, u.slots))
            if u.intent not in NO_DATA_CONTEXT:
                before = context
                context = {"intent": u.intent, "slots": u.slots}
                if before and before["intent"] == u.intent == "indicator" and \
                        before["slots"].get("institution") == u.slots.get("institution") and \
                        before["slots"].get("year") and before["slots"].get("year") != u.slots.get("year"):
                    context["other_year"] = before["slots"]["year"]  # "2024年…多少", "2023年的": two years asked
        kinds = [intent for _, _, intent, _ in turns if intent in {"rank", "quota", "budget"}]
        limits = [kind for kind in kinds if kind != "rank"]
        if context is not None and limits:
            context["limit"] = limits[-1]  # the limit last checked: what "哪些单位超了" is over
        if context is not None and kinds:
            context["last_list"] = kinds[-1]  # the kind of the last list: what "排头两家呢" asks again
        fixed = self._without_slips(question, names)
        read = resolve(fixed, turns, names, self.store.category)
        if read != fixed and not any(institutions_named(fixed, names)) and not points_into_list(fixed) and \
                asks_about_other_than_figures(fixed, names, self.kb.tokenizer.tagged):
            # "我们单位一年才几百吨标煤，算重点用能单位不" after "我是二中的……": a question about a rule asked of one's
            # own unit is not a question about its figures; 我们 stays as typed
            read = fixed
        understood = understand(read, names, context, latest_year=latest, tagger=self.kb.tokenizer.tagged)
        lists = [slots for _, _, intent, slots in turns if intent in {"rank", "quota", "budget"}]
        listed = lists[-1] if lists and (context["intent"] in {"rank", "quota", "budget"} or
                                         points_into_list(fixed)) else None
        if read != fixed and listed and understood.intent in NUMERIC_INTENTS and listed.get("year") and \
                understood.slots.get("year") in (None, context["slots"].get("year")) and \
                not re.search(r"今年|去年|前年|20\d\d|[一二]\S年", fixed):
            # "第十位是谁 碳排放总量多少" after 2024's ranking (and questions about another year since): that unit in
            # 2024, the year of the list
            understood = Understanding(understood.intent, {**understood.slots, "year": listed["year"]},
                                       understood.unknown_institution, understood.ambiguous)
        return understood, (resolve(question, turns, names, self.store.category) if read != fixed else question), \
            context

    @property
    def _city_core(self) -> str:
        """Our own city's name without 市 (海州), as questions often say it."""
        return re.sub(r"市$", "", self.settings.city)

    def _without_own_city(self, question: str, names: list[str]) -> str:
        """`question` without our own city's name, which names no other region: "海州所有单位合起来算" is every unit,
        "海州市财政局" is 市财政局 (the data's units are named 市…)."""
        core = self._city_core
        if len(core) < 2 or core not in question or re.search(_LOCAL_RULES, question):
            return question  # (not in "海州市有没有自己的节能管理办法": the city's own rules are asked)

        def own(match: re.Match) -> str:
            rest = question[match.end():]
            return "市" if any(n.startswith("市") and rest.startswith(n[1:3]) for n in names) else ""

        return re.sub(re.escape(core) + "市?", own, question)

    def _without_slips(self, question: str, names: list[str]) -> str:
        """"司法局2024用点多少度" read as 用电; never at the cost of a unit's name (一中 is not 一种). A slip in a
        unit's name ("博物管今年用水多少") is corrected when the question names no unit as typed."""
        question = self.kb.colloquial.fix_typos(question)
        question = self._without_own_city(question, names)
        if not any(institutions_named(question, names)):
            question = fix_names(question, names + shortened_names(names))  # "市场间管局" → 市场监管局
        question = fix_names(question, self._held_law_names())  # "节约能原法" → 节约能源法
        fixed = self.kb.correct_slips(question)
        fixed = fix_terms(fixed, self.kb.tokenizer.pieces(fixed), _DATA_TERMS + _DATA_PHRASES)  # 能号 → 能耗
        return fixed if fixed == question or institutions_named(fixed, names) == institutions_named(question, names) \
            else question

    # ------------------------------------------------------------ simple intents

    def _greeting(self, question: str, u: Understanding) -> Answer:
        return self._answer(GREETING, "greeting")

    def _out_of_scope(self, question: str, u: Understanding) -> Answer:
        if u.slots.get("repair"):
            return self._answer(NOT_FOUND + "设备故障的排查和维修不在知识库的范围内，请联系物业、信息中心或设备厂家。绿叶智答"
                                "回答节能政策、标准、案例和本单位能耗数据方面的问题。", "out_of_scope")
        if u.slots.get("brand"):
            return self._answer(NOT_FOUND + "知识库不推荐具体的品牌、厂家或型号。绿叶智答回答节能政策、标准、案例和本单位能耗"
                                "数据方面的问题，比如节能产品采购要符合哪些规定。", "out_of_scope")
        return self._answer(NOT_FOUND + "这个问题不在公共机构节能工作的范围内，绿叶智答只回答节能政策、标准、案例和本单位能耗数据方面的问题。",
                            "out_of_scope")

    def _draft(self, question: str, u: Understanding) -> Answer:
        from assistant.drafting import drafts as drafting

        kind = u.slots.get("kind")
        if not kind:
            kinds = "、".join(k.title for k in drafting.list_kinds())
            return self._answer(f"可以起草这些文稿：{kinds}。请说明要哪一种，例如“起草一份节能宣传周活动方案”；"
                                "也可在“文稿起草”页面填写参数后下载 Word 文件。", "draft")
        params = {k: u.slots[k] for k in ("institution", "year") if k in u.slots and u.slots[k] != "全部"}
        runner = self._runner()
        call, result = runner.run("draft_document", {"kind": kind, **params})
        if result is None:
            return Answer(f"起草失败：{call.result['error']}", "offline", [], runner.calls, intent="draft")
        missing = f"\n\n待补充：{'；'.join(result.missing)}。" if result.missing else ""
        text = (f"已按模板起草《{result.title}》，数字均来自数据工具，缺少的事实标为【待补充】。"
                f"完整 Word 文件请在“文稿起草”页面下载。{missing}\n\n"
                f"{result.text}")
        return Answer(text, "offline", [], runner.calls, intent="draft")

    # ------------------------------------------------------------ knowledge

    def _knowledge(self, question: str, u: Understanding, doc_type: str | None = None,
                   about_data: bool = False) -> Answer:
        """The answer from the documents (of `doc_type` only, when given: then a lower coverage floor, and no
        unknown word sinks it, the topic being known). `about_data`: the conversation has asked about our data."""
        question = full_years(asked(question))  # a trailing remark is not evidence; "23年" is 2023
        floor = DATA_NOTE_COVERAGE if doc_type else MIN_COVERAGE
        hits = self._passages(question, SEARCHED_PASSAGES, doc_type)
        if doc_type is None:
            hits = _without_data_notes(hits, question, about_data)
        if not hits:
            return self._answer(NOT_FOUND, "knowledge")
        unheld = self._unheld_title(question)
        if unheld:
            # "《公共机构能源审计管理暂行办法》是哪年印发的": a document the knowledge base neither holds nor mentions
            return self._answer(f"{NOT_FOUND}知识库没有收录《{unheld}》，收录的文件中也没有提到它。可以在“知识库”页面"
                                "上传该文件后再问。", "knowledge")
        code = self._unheld_code(question)
        if code:
            # "GB/T 31342公共机构能源审计技术导则 审计报告要包括哪些章节": a standard no document holds or mentions
            return self._answer(f"{NOT_FOUND}知识库没有收录 {code}，收录的文件中也没有提到它。可以在“知识库”页面上传该标准"
                                "后再问。", "knowledge")
        unnumbered = self._article_of_unheld_law(question)
        if unnumbered:
            # "反食品浪费法哪一条是讲机关食堂的": the law is mentioned, but no passage gives its articles
            return self._answer(f"{NOT_FOUND}知识库没有收录《{unnumbered}》的条文，收录的文件只提到它，没有给出条款序号。"
                                "可以在“知识库”页面上传该法规的全文后再问。", "knowledge")
        this_year = date.today().year
        event = _THIS_YEARS_EVENT.search(question)
        # (a passage of this year about something else, "2026年用能预算", does not hold this year's event)
        # (nor a passage of this year on another topic: "2023年度因子于2026年1月前后公布" for 全国人均能耗最终数据)
        if (event or _LATEST.search(question)) and not any(
                f"{this_year}年" in h.chunk.text and (not event or re.search(_EVENTS, h.chunk.text)) and
                h.coverage >= floor * NEAR_BEST for h in hits):
            if event:
                # the documents hold earlier years only: say so, then what they hold of those years
                held = self._knowledge(re.sub(r"今年|本年度?", "", question), u, doc_type, about_data)
                if held.citations:
                    return Answer(f"{NOT_FOUND}知识库收录的文件里还没有{this_year}年的这项内容，以下是收录的往年情况："
                                  f"\n\n{held.answer}", "offline", held.citations, [], intent="knowledge")
            # "国管局最新一批能效领跑者名单公布了没", "今年示范单位申报啥时候截止": what was issued lately is not in
            # the documents unless one of this year is
            if re.search(_EVENTS, question):
                return self._answer(f"{NOT_FOUND}知识库收录的文件里还没有{this_year}年这项活动的安排（主题、主场、"
                                    "启动仪式等），请以主管部门当年发布的通知为准，收到后可在“知识库”页面上传。", "knowledge")
            return self._answer(NOT_FOUND + "知识库收录的文件里没有今年发布的名单、通知或最终数据，无法确认最新情况；"
                                "请以主管部门最新发布的文件为准，收到后可在“知识库”页面上传。", "knowledge")
        article = find_article(question)
        law = self._law_of_article(question) if article else None
        if law and not any(h.chunk.article == article and _title_core(h.chunk.title) == law for h in hits):
            # "节约能源法第三十五条讲什么（不是条例的）": another law's article of that number does not answer
            held = [h for h in self.kb.search(f"{law}{article}", k=SEARCHED_PASSAGES, doc_type=doc_type).hits
                    if h.chunk.article == article and _title_core(h.chunk.title) == law]
            if not held:
                return self._answer(f"{NOT_FOUND}知识库收录的{law}文本中没有{article}的条文，可以在“知识库”页面上传该法规"
                                    "的全文后再问。", "knowledge")
            hits = held + [h for h in hits if h.chunk.text not in {x.chunk.text for x in held}]
        if article and not any(h.chunk.article == article for h in hits):
            # "节能法第八十二条罚多少": no passage holds that article; quoting another one would mislead
            return self._answer(f"{NOT_FOUND}知识库收录的文件中没有检索到{article}的条文，可以在“知识库”页面上传"
                                "该文件的全文后再问。", "knowledge")
        if article and hits[0].chunk.article == article and (
                hits[0].coverage >= 0.3 or self._names_document(question, hits[0])):
            chosen = [h for h in hits if h.chunk.doc_id == hits[0].chunk.doc_id and h.chunk.article == article]
            wanted = asked_figures(question)
            if wanted and not any(holds_figure(f, s, question) for f in wanted for h in chosen
                                  for s in quotable_sentences(h.chunk.text)):
                # "条例第十七条说超定额要作说明但没说期限，一般规定多少个工作日内交": the article names no such figure
                return self._answer(f"{NOT_FOUND}{Citation.from_hit(chosen[0]).label}{article}没有规定所问的期限或数字，"
                                    "知识库收录的其他文件中也没有找到。", "knowledge")
            body = "\n".join(f"{_without_instructions(h.chunk.text)}[1]" for h in chosen)
            citation = Citation.from_hit(chosen[0])
            return Answer(f"{citation.label}的内容如下：\n{body}\n\n来源：[1] {citation.label}", "offline",
                          [citation], [], intent="knowledge")
        dated = document_date(question, hits, self._title_named_in(question))
        if dated:
            quoted = dated.passage_sentence(hits)
            citation = Citation.from_hit(quoted[0] if quoted else dated.hit)
            evidence = f"依据：\n{quoted[1]}[1]" if quoted else \
                "日期取自该文件本身（入库时从文件开头或 front matter 读取的文件信息）。"
            return Answer(f"{dated.sentence()}。[1]\n\n{evidence}\n\n来源：\n[1] {citation.label}", "offline",
                          [citation], [], intent="knowledge")
        best = _best(hits)  # the evidence is the best-covering of the top passages
        in_law = self._article_of_named_law(question, hits) if best < floor and doc_type is None else None
        if in_law is None and best < floor and doc_type is None:
            in_law = self._article_for_rule_asked(question)
        if in_law is not None:
            hits = [in_law] + [h for h in hits if h is not in_law]
            best = max(best, in_law.coverage, floor)
        faq = None if doc_type is not None else self._faq_asked(question, hits) if best < floor else \
            self._faq_asked(question, hits, FAQ_OVERRIDE, FAQ_OVERRIDE_BACK)
        if faq is not None:
            # "……合署办公，整栋楼就一块总电表，……那电量到底怎么分": the message holds a FAQ's own question, though
            # its scene's words leave the passage's coverage low; that passage is the evidence
            faq = replace(faq, coverage=max(faq.coverage, floor))
            hits = [faq] + [h for h in hits if h.chunk.chunk_id != faq.chunk.chunk_id]
            best = max(best, floor)
        # (and a scene word no passage uses, 旧楼, does not sink it)
        if best < floor or (doc_type is None and faq is None and self._unseen_sinks(question, best)):
            focused = self._focused(question, about_data) if doc_type is None else None
            if focused is None:
                return self._answer(NOT_FOUND + "可以换个说法，或在“知识库”页面上传相关文件后再问。", "knowledge")
            question, hits = focused  # the scene is not covered, the question itself is
            best = _best(hits)
        place = self._place_not_covered(question, hits[:4], floor)
        if place:
            # "杭州市十四五期间单位面积能耗降了多少": passages about 舟山 or the whole country do not answer for 杭州
            return self._answer(NOT_FOUND + f"检索到的文件里没有{place}的相关内容。", "knowledge")
        local = self._local_rule_missing(question, hits)
        if local:
            return self._answer(NOT_FOUND + local + "可以在“知识库”页面上传后再问。", "knowledge")
        unit = self._unit_not_covered(question, hits[:4], floor)
        if unit:
            # "海州市第四小学2024年人均综合能耗是多少": no passage and no unit of the data is that one
            return self._answer(NOT_FOUND + f"知识库的文件和能耗数据里都没有“{unit}”的这项内容。", "knowledge")
        figures = asked_figures(question)
        near = [h for h in hits if h.coverage >= max(floor * 0.8, best * NEAR_BEST)]
        if doc_type is None and "penalty" in self._question_types(question) and _CONSEQUENCE.search(question) and \
                not any(TYPE_PATTERNS["penalty"].search(h.chunk.text) for h in near):
            # "统计年报3月底前没交 逾期了会有啥后果": the duty's article is found, the article that sanctions it is not
            sanctioning = [h for h in self.kb.search(question + _SANCTION_WORDS, k=SEARCHED_PASSAGES).hits
                           if h.chunk.article and TYPE_PATTERNS["penalty"].search(h.chunk.text) and h.coverage >= floor]
            hits, near = sanctioning[:1] + hits, sanctioning[:1] + near
        # what the asking clauses need, or the first clause when later ones rest on it ("改了哪几条，原来咋写的")
        needed = figures or [f for f in (first_figure(question),) if f is not None]

        subject = _main_parts(self.kb.query_weights(question))

        def names_subject(hit: SearchHit) -> bool:
            # a passage that never names what the question is mostly about gives another thing's figure ("绿证多少钱
            # 一张": not a retrofit's savings in 万元)
            held = subject & self.kb.manifest.tokens([hit.chunk.chunk_id]).get(hit.chunk.chunk_id, set())
            return 2 * len(held) >= len(subject)

        def holding(passages: list[SearchHit]) -> list[SearchHit]:
            # (an article passage gives its own number: "第二十七条" heads it)
            return [h for h in passages if names_subject(h) and
                    any((f is ARTICLE_NUMBER and h.chunk.article and not asks_amended_articles(question)) or
                        any(holds_figure(f, s, question) for s in quotable_sentences(h.chunk.text)) for f in needed)]

        if needed and not holding(near):
            # "全国一共有多少家公共机构": among passages as close that rank further down, one that holds the figure
            # (only for a count of a named thing: a figure of a mere unit, 元 or 文号, is in many passages about other
            # things)
            wider = _without_data_notes(self._passages(question, WIDER_PASSAGES), question, about_data) \
                if doc_type is None and counted_noun(question) else []
            extra = holding([h for h in wider if h.chunk.text not in {x.chunk.text for x in hits} and
                             h.coverage >= max(floor * 0.8, best * NEAR_BEST)])
            if not extra:
                # "屋顶光伏一共装了多少千瓦": no passage that covers the question gives a figure in that unit, so none
                # can be quoted (a 立方米 figure in a passage about another topic does not answer "通用值是多少立方米")
                return self._no_figure(hits)
            hits = extra[:1] + hits
            near = extra[:1] + near
        weights = self.kb.query_weights(question)
        used = _distinct_documents(near, USED_PASSAGES)
        # A guide, case or FAQ restating a rule is quoted with the policy or standard it rests on, when one of the
        # passages read covers the question well enough too
        used = _quoted_also(used, hits, lambda h: h.chunk.doc_type in _AUTHORITATIVE,
                            max(floor * 0.8, best * AUTHORITY_FLOOR))
        wanted, named = self._wanted_source(question)
        if wanted is not None:
            # "按统计制度填报的话……", "按规定要写说明吗": the document or the kind of document the question rests on is
            # quoted too, when one of its passages covers the question well enough (less well when named)
            share = NAMED_FLOOR if named else AUTHORITY_FLOOR
            used = _quoted_also(used, hits, wanted, max(floor * 0.6, best * share))
        # the years asked: those of the asking clauses when they name one ("2019年的多少 18年和20年的我都查到了")
        spaced = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff\d])", "，", question)  # a space parts clauses
        asking = asking_clauses(spaced)
        # (not the year of the user's own story, told before the question: "我们2023年7月新病房楼投用了，……那年的年报
        # 建筑面积到底填哪个数", "他们22年有栋新教学楼启用，……")
        story = "".join(c for c in re.split(r"[，,。；;！!？?\s]", spaced) if c not in asking and _STORY.search(c))
        years = set(YEAR.findall("".join(asking))) or {
            y for y in YEAR.findall(question) if not (asking and (re.search(f"{y}年[0-9一二三四五六七八九十]+月", question)
                                                                   or f"{y}年" in story))}
        if years and not any(y in h.chunk.text for h in used for y in years):
            # "2018年节能宣传周的主题是啥": passages about other years do not answer it
            return self._answer(NOT_FOUND + f"知识库中没有 {'、'.join(sorted(years))} 年的相关内容。", "knowledge")
        absent = _stated_absent(question, years, used, list(weights)) or \
            _listed_unverified(question, [h for h in hits[:3] if h.coverage >= best * NEAR_BEST])
        if absent:
            # "浙江省2023年度电力排放因子数值是多少": the passage itself says that year's provincial factor is not held
            return self._answer(NOT_FOUND + absent, "knowledge")
        picked = []  # (best sentence score, hit, sentences)
        for first in used:
            # (a short passage whose words are all in its title, "重新生成……", gives no sentence: the next passage of
            # the same document that covers the question as well does)
            for hit in [first] + [h for h in hits if h.chunk.doc_id == first.chunk.doc_id and h is not first and
                                  h.coverage >= first.coverage * NEAR_BEST]:
                scored = self._best_sentences(hit, weights, max_chars=max(120, 420 // len(used)))
                if scored:
                    picked.append((max(score for score, _ in scored), hit, [s for _, s in scored]))
                    break
        if not picked:
            return self._answer(NOT_FOUND, "knowledge")
        # the passage whose sentence answers best comes first; a FAQ whose own question was asked before all
        picked.sort(key=lambda p: (faq is None or p[1].chunk.chunk_id != faq.chunk.chunk_id, -p[0]))
        lines, citations = [], []
        for _, hit, sentences in picked:
            citations.append(Citation.from_hit(hit))
            lines.append(f"{''.join(sentences).replace('**', '')}[{len(citations)}]")  # no stray bold marks
        quoted = [hit for _, hit, _ in picked]
        # The direct answer may come from any well-covering passage of those read, quoted ones first.
        pool = quoted + [h for h in hits if h not in quoted and h.coverage >= floor * 0.8]
        # (a FAQ whose own question was asked answers from its own answer, which opens with the sentence asked:
        # "一般按年末实际使用的面积填报")
        lead, noted = self._lead(question, pool[:1], citations, weights) if faq is not None else ("", [])
        lead = lead or (_opening_of(faq, citations) if faq is not None else "")
        if not lead:
            lead, noted = self._lead(question, pool, citations, weights)
        scene, _, focused = question.rstrip("。！!").rpartition("。")
        if scene and len(focused) >= 6 and _unverified_in(lead):
            # "我们单位想申报近零碳试点，专家说……。零碳建设中一般容易出哪几个问题": the scene, a sentence of its own,
            # found a note that its item is unverified; the asking sentence alone finds the sentence that answers
            trial = list(citations)
            retry, renoted = self._lead(focused, pool, trial, self.kb.query_weights(focused))
            if retry and not _unverified_in(retry):
                lead, noted, citations[:] = retry, renoted, trial
        spoken = self.kb.colloquial.normalise(question).text  # "宣传州" is 宣传周
        provinces = [core for _, core in self._places(question) if core in PROVINCES]
        if provinces and lead and re.search(r"\d", lead) and not any(p in lead.split("（《")[0] for p in PROVINCES) and \
                (_asks_quantity(question) or re.search(r"数据|数字", question)):
            # "云南22年电网因字多少": the sentence that answers best gives the national factor; a passage that names
            # the province may state its own (a sentence about another province is declined below)
            found = self._lead_naming(question, set(provinces), lambda text: {p for p in provinces if p in text},
                                      pool, citations, weights, floor, doc_type)
            if found is not None:
                lead, noted = found
        cities = [core for _, core in self._places(question, loose=True) if core not in PROVINCES]
        said = lead.split("（《")[0]
        if cities and "全国" in said and not any(c in said for c in cities) and asked_figures(question):
            # "舟山公共机构十四五人均用水量比2020年降了多少": the sentence gives the national figure; a row of the
            # city's own table may give the city's
            found = self._lead_naming(question, set(cities), lambda text: {c for c in cities if c in text},
                                      pool, citations, weights, floor, doc_type)
            if found is not None:
                lead, noted = found
        asking = "".join(asking_clauses(question)) or question
        code = code_asked(question)
        topic, names_topic = self._subject_of_code(question, asking) if code is not None else ("", lambda text: True)
        # ("无废机关国标编号": the code of 综合能耗计算通则 is no code of what is asked)
        if code is not None and lead and not _unverified_in(lead) and \
                (not code.search(lead.split("（《")[0]) or not names_topic(lead)):
            # "……国管局有没有专门讲节水的文件，文号是啥": the sentence that answers best gives no number; a passage
            # read that holds one, about the asking clauses' rarest word, may (codes of unrelated standards are
            # everywhere). A note that the very item is unverified is answered as such below.
            found = self._lead_naming(question, {"编号"}, lambda text: {"编号"} if code.search(text) and
                                      names_topic(text) else set(),
                                      [h for h in pool if topic in h.chunk.text], citations, weights, floor, doc_type,
                                      widen=False)
            if found is None:
                return self._no_figure(hits)
            lead, noted = found
        for named, what in ((_indicators_in, "指标"), (_fuels_in, "能源品种")):
            # the sentence that answers best gives another indicator ("浙江十四五规划单位建筑面积能耗要求降多少" →
            # the per-person target) or another fuel's factor ("天然气的排放因子" → electricity's): a passage that
            # names the one asked may state it; if none does, the question is declined
            wanted = named(asking)
            if not (wanted and _asks_quantity(question) and named(lead) and not wanted & named(lead)):
                continue
            found = self._lead_naming(question, wanted, named, pool, citations, weights, floor, doc_type)
            if found is None:
                return self._answer(f"{NOT_FOUND}检索到的文件里找到的是{'、'.join(sorted(named(lead)))}的内容，"
                                    f"没有{'、'.join(sorted(wanted))}的这项内容。", "knowledge")
            lead, noted = found
        asked_events, led_events = _events_in(spoken), _events_in(lead)
        if asked_events and led_events and not asked_events & led_events:
            # the sentence that answers best is about another campaign: the passages about the one asked answer
            about = [h for h in pool if asked_events & _events_in(h.chunk.title + h.chunk.text)]
            trial = list(citations)
            retry, renoted = self._lead(question, about, trial, weights) if about else ("", [])
            if retry and (asked_events & _events_in(retry) or not _events_in(retry)):
                lead, noted, citations[:] = retry, renoted, trial
                led_events = _events_in(lead)
        if asked_events and led_events and not asked_events & led_events:
            # "城市节水宣传周2025年主题是什么": a sentence about 低碳日 does not answer for another campaign
            return self._answer(NOT_FOUND + f"检索到的句子讲的是{'、'.join(sorted(led_events))}，不是所问的"
                                f"{'、'.join(sorted(asked_events))}。", "knowledge")
        if noted and not self._asks_what_or_how(question):
            # "舟山屋顶光伏一共装了多少千瓦": the sentence with a figure in 千瓦 is about the whole country, and the
            # case's own note, as close to the question, says its capacity is not held
            return self._answer(f"{NOT_FOUND}{'、'.join(f'《{t}》' for t in noted)}注明所问的这一项没有收录或尚未核实。",
                                "knowledge")
        referred = _year_referred(lead, hits) if years and lead and len(lead.splitlines()) == 1 else None
        if referred and referred not in years:
            # "2025年全国公共机构节能宣传周启动仪式在哪里办的": "同年全国节能宣传周的启动仪式在广州" is about the year
            # the passage named before it (2023)
            return self._answer(NOT_FOUND + f"知识库中没有 {'、'.join(sorted(years))} 年的这项内容。", "knowledge")
        if years and lead and YEAR.search(lead) and not any(_names_year(lead, y, question) for y in years):
            # "2024年全国人均能耗是多少": the sentence that answers best is about 2018; none answers for 2024
            return self._answer(NOT_FOUND + f"知识库中没有 {'、'.join(sorted(years))} 年的这项内容。", "knowledge")
        if years and lead and re.search(_EVENTS, spoken) and re.search(r"主题|口号|主场|启动|" + _WHEN, spoken) and \
                not any(y in lead for y in years) and _year_referred(lead, hits) not in years:
            # "2024年中国水周的主题是什么": a sentence about the event in general (or another year's) does not give it
            return self._answer(NOT_FOUND + f"知识库中没有 {'、'.join(sorted(years))} 年的这项内容。", "knowledge")
        if years and lead and asks_amended_articles(question) and not any(y in lead for y in years):
            # "条例2017年修订具体改了哪几条": a sentence that names an article but not that revision does not say
            return self._answer(NOT_FOUND + f"检索到的文件没有列出 {'、'.join(sorted(years))} 年修订改动的条款。", "knowledge")
        periods = set(_PLAN_PERIOD.findall(question))
        told = re.sub(r"《[^》]*》", "", lead)  # a period in a cited title (《"十四五"…规划》) is not what the lead is about
        if periods and _PLAN_PERIOD.search(told) and not any(p in told for p in periods):
            # "十五五规划人均能耗要降多少": the sentence that answers best gives the 十四五 target
            return self._answer(NOT_FOUND + f"知识库中没有“{'、'.join(sorted(periods))}”的这项内容。", "knowledge")
        if needed and not lead:
            # "条例17年修订改了哪几条": passages hold some article or figure of that kind, but no sentence that holds
            # one answers the question (it is about something else)
            return self._no_figure(hits)
        # (named as itself, not as who asks: "我们是市人民医院的能源管理员，想拿广东……对比"; not the 机关事务 body of
        # the rules)
        # (in the clause that asks the count: "市大数据中心能耗这么大，……门槛是多少吨标煤" asks a rule's figure)
        counted = [c for c in re.split(r"[，,。；;！!？?\s]", question) if re.search(r"多少|(?<![这好])几(?!乎)", c)]
        ours = [n for n in (institutions_named(question, self.store.institution_names())[0] if counted else [])
                if any(n.lstrip("市") in c for c in counted) and "机关事务" not in n and
                not re.search(r"(我是|我们是|我在)[^，,。？?]{0,4}" + re.escape(n.lstrip("市")), question)]
        if ours and lead and doc_type is None and not any(n.lstrip("市") in lead for n in ours if n != "全部"):
            # "市行政中心大楼一共几部电梯": a figure of one of our units, which the data do not record and the sentence
            # found (about lifts in general) does not give
            return self._answer(f"{NOT_FOUND}能耗数据和知识库文件里都没有{ours[0]}的这项内容（能耗数据只记录面积、"
                                "人数和各类能源、水的用量）。", "knowledge")
        unheld = [law for law in self._unheld_laws(question) if _title_core(law) not in lead.split("（《")[0]]
        if unheld and lead:
            # "统计法对不按时报送的单位罚多少": the knowledge base only mentions that law; a sentence that does not
            # name it gives another law's rule. A passage that names it may say what is asked ("统计法第七条……")
            core = _title_core(unheld[0])
            found = self._lead_naming(question, {core}, lambda text: {core} if core in text else set(),
                                      pool, citations, weights, floor, doc_type)
            kinds = self._question_types(question) & {"penalty", "when", "how_many", "duration"}
            if found is not None and all(TYPE_PATTERNS[k].search(found[0].split("（《")[0]) for k in kinds):
                # (and of the kind asked: "统计法第七条要求如实提供" gives no fine for "统计法罚多少")
                lead, noted = found
                unheld = []
        if unheld and lead:
            return self._answer(f"{NOT_FOUND}知识库没有收录《{unheld[0]}》的全文，检索到的句子也不是该法规的规定。"
                                "可以在“知识库”页面上传该文件后再问。", "knowledge")
        short = self._lead_falls_short(question, lead, hits) or _noted_in_passage(question, lead, citations)
        if short:
            return self._answer(NOT_FOUND + short, "knowledge")
        unverified = _unverified_in(lead)
        # (a how-question about a standard whose very content the note says is unverified: "JS/T 301—2024里面托管基准
        # 咋个定的")
        said = lead.split("（《")[0]
        if unverified and re.search(r"未核实原文|原文(尚)?未(经)?核实|原文待核实", lead) and \
                max(weights, key=weights.get, default="") in said and \
                any(holds_figure(f, said, question) for f in asked_figures(question)):
            # "办公室空调夏天最低能开到多少度": the sentence gives the figure and says only that the original notice it
            # comes from is not verified; quoted with that caveat, it answers (when it names the question's heaviest
            # term: "机房空调设几度" is not answered by the rule for offices)
            unverified = []
        if unverified and (not self._asks_what_or_how(question) or _same_code(lead, question)):
            # "节约型机关国家评价细则满分多少": each sentence that answers best says the item asked (a figure, date,
            # number, name) has not been verified; a note can still answer what something is or how to proceed
            return self._answer(f"{NOT_FOUND}{'、'.join(unverified)}注明这一项尚未核实，没有可以引用的确切内容。",
                                "knowledge")
        primary = next((p for line in _lead_sentences(lead, question) if (p := self._primary_source(line, citations))),
                       None) if lead else None
        if primary is None and lead:
            # (a document the lead does not name may be named by a supporting sentence: a table row leads, the
            # sentence under it names the plan it comes from)
            primary = self._stated_source(lead, question, citations) or \
                self._named_document(lead, question, citations) or \
                next((hit for line in lines if (hit := self._named_document(line, question, citations))), None)
        if primary is not None:
            # The lead restates a law's article the knowledge base holds: the article itself is cited too
            citations.append(Citation.from_hit(primary))
            text = "".join(s for _, s in self._best_sentences(primary, weights, max_chars=160)) or \
                _without_instructions(primary.chunk.text)[:160]
            lines.append(f"{text}[{len(citations)}]")
        sources = "\n".join(f"[{i}] {c.label}" for i, c in enumerate(citations, start=1))
        body = "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1)) if len(lines) > 1 else lines[0]
        if lead:
            return Answer(f"{lead}\n\n依据：\n{body}\n\n来源：\n{sources}", "offline", citations, [],
                          intent="knowledge")
        return Answer(f"根据知识库：\n{body}\n\n来源：\n{sources}", "offline", citations, [], intent="knowledge")

    def _no_figure(self, hits: list[SearchHit]) -> Answer:
        """The answer when the question asks a figure, date, name or article that no passage read gives."""
        closest = Citation.from_hit(max(hits, key=lambda h: h.coverage)).title
        return self._answer(f"{NOT_FOUND}检索到的文件（最相关的是《{closest}》）里没有给出所问的具体数字、日期、"
                            "名称或条款。", "knowledge")

    def _primary_source(self, lead: str, citations: list[Citation]) -> SearchHit | None:
        """The article a lead sentence cites ("《公共机构节能条例》第十五条要求……"), when the knowledge base holds that
        document and article and the answer does not cite it yet: a guide that restates a law is not its source."""
        cited = {(c.doc_id, c.article) for c in citations}
        found = _LAW_REFERENCE.search(lead)
        short = _SHORT_LAW_REFERENCE.search(lead) if not found else None
        if found:
            named, article = found.group(1), find_article(found.group(2))
        elif short:
            # the knowledge base's own name for it (节能法 → 节约能源法); 条例 is the one whose article it holds
            named, article = self.kb.normalise_query(short.group(1)), find_article(short.group(2))
        else:
            # "第四条规定了管理体制：……" in a guide about one law: the law is the one its passage named last before it
            article = find_article(lead)
            sentence = lead[:12]
            passage = next((c.text for c in citations if sentence in c.text and not c.article), "")
            named_before = re.findall(r"《([^》]{4,40})》", passage[:passage.find(sentence)]) if article and passage else []
            if not named_before:
                return None
            named = named_before[-1]
        if not article or (not short and len(_title_core(named)) < 4):
            return None
        for hit in self.kb.search(f"{named}{article}", k=3).hits:
            same = named in hit.chunk.title if short else _same_document(named, hit.chunk.title)
            if hit.chunk.article == article and same and (hit.chunk.doc_id, article) not in cited:
                return hit
        return None

    def _unheld_title(self, question: str) -> str | None:
        """A title the question names in book-title marks that no stored document has and no passage mentions. Users
        shorten titles (《十四五规划》, 《能耗定额编制通则》): a stored title holding the named one's characters in order
        counts as that document."""
        marked = re.findall(r"《([^》]{4,40})》", question)
        names = marked + self._laws_named(question)
        titles = [d.title for d in self.kb.documents()] if names else []
        for named in names:
            core = _title_core(named)
            if len(core) < 3 or _held_document(named, titles):
                continue
            if named not in marked and named.endswith("条例") and self._topic_of_held_regulation(named[:-2]):
                continue  # "空调温度控制条例是怎么要求的": the held 条例's rule on a topic, not a regulation of that name
            if not any(core in h.chunk.text for h in self.kb.search(core, k=5).hits):
                return named
        return None

    def _unheld_code(self, question: str) -> str | None:
        """A standard's code the question names ("GB/T 31342") whose number no passage holds; None otherwise."""
        for match in re.finditer(r"\b(?:GB|DB\d{2}|JGJ|CJJ|JG|CJ)(?:/T|/Z)?\s*(\d{4,5})", question):
            number = match.group(1)
            if not any(re.search(rf"(?<!\d){number}(?!\d)", h.chunk.text)
                       for h in self.kb.search(match.group(0), k=SEARCHED_PASSAGES).hits):
                return match.group(0)
        return None

    def _unheld_laws(self, question: str) -> list[str]:
        """Laws and regulations the question names that the knowledge base does not hold as documents (it may
        mention them): "统计法", "民用建筑节能条例"."""
        if not re.search(r"法|条例|办法|《", question):
            return []  # (read on every answer: most name no law)
        out = []
        found = re.findall(r"[\u4e00-\u9fff]{4,16}?(?:管理办法|实施办法|暂行办法|审查办法|考核办法|评价办法|认定办法|实施细则)",
                           question)
        stripped = [re.sub(r"^(按照|根据|依据|依照|按|关于|请问|那个|这个|.{0,4}?(新的|新版|最新的?))", "", m) for m in found]
        # (a question, not a name: "有没有管理办法"; nor "节水型单位的评价办法", a kind of rule, not its title)
        measures = [m for m in stripped if not re.search(r"有没有|什么|啥|哪|自己|我们|咱们|是否|要不要|的", m)]
        names = re.findall(r"《([^》]{4,40})》", question) + self._laws_named(question) + measures
        titles = [d.title for d in self.kb.documents()] if names else []
        for named in names:
            if len(_title_core(named)) >= 3 and not _held_document(named, titles) and \
                    not (named.endswith("条例") and self._topic_of_held_regulation(named[:-2])):
                out.append(named)
        return out

    def _topic_of_held_regulation(self, topic: str) -> bool:
        """Whether an article of a held 条例 covers `topic` well ("空调温度控制", "能耗统计台账"): then "topic条例" is
        that 条例's rule on the topic."""
        return any(h.chunk.article and "条例" in h.chunk.title and h.coverage >= MIN_COVERAGE
                   for h in self.kb.search(topic, k=5).hits)

    def _held_law_names(self) -> list[str]:
        """The names of the laws and regulations the knowledge base holds, as their titles give them ("节约能源法",
        "公共机构节能条例"): what a slip in a law's name is corrected to."""
        titles = tuple(d.title for d in self.kb.documents())
        if self._law_names[0] != titles:
            found = {m for t in titles for m in re.findall(r"[\u4e00-\u9fff]{2,16}?(?:法|条例)(?![\u4e00-\u9fff])",
                                                           _title_core(t))}
            self._law_names = (titles, sorted(found))
        return self._law_names[1]

    def _article_of_named_law(self, question: str, hits: list[SearchHit]) -> SearchHit | None:
        """For a question asking which article of a held law a situation falls under ("条例哪条管这个", "节能法第几条
        写的"), the best of the top passages that is an article of that law, when it covers the question at least
        LAW_ARTICLE_COVERAGE; None otherwise. The law must be named as itself: 条例 in 民用建筑节能条例 is another law."""
        if "article" not in self._question_types(question) and not _LAW_SAYS.search(question):
            return None
        normalised = self.kb.normalise_query(question)
        laws = {law for law in self._held_law_names() for alias in _law_aliases(law)
                if re.search(r"(^|[^\u4e00-\u9fff]|[说是按依据照的个在里那这问查看翻])" + re.escape(alias), normalised)}
        return next((h for h in hits[:5] if h.chunk.article and _title_core(h.chunk.title) in laws and
                     h.coverage >= LAW_ARTICLE_COVERAGE), None)

    def _article_for_rule_asked(self, question: str) -> SearchHit | None:
        """For a story that asks what the rules allow, require or sanction ("施工方问电表要不要分开装……条例对这个有硬性
        要求吗", "……这样行不行"), the article of a held law or regulation that covers it best, when it covers at least
        RULE_ARTICLE_COVERAGE; None otherwise. The story's own words rarely are the law's."""
        if not _RULE_ASKED.search(question) or self.kb.unseen_words(question):
            return None
        return next((h for h in self.kb.search(question, k=3, doc_type="policy").hits
                     if h.chunk.article and h.coverage >= RULE_ARTICLE_COVERAGE), None)

    def _article_of_unheld_law(self, question: str) -> str | None:
        """A law the question asks an article of ("……法哪一条", "……法第几条") that the knowledge base does not hold and
        whose articles no passage numbers; None otherwise."""
        if "article" not in self._question_types(question):
            return None
        titles = [_title_core(d.title) for d in self.kb.documents()]
        for law in self._laws_named(question):
            core = _title_core(law)
            if any(_same_document(law, t) for t in titles):
                continue
            numbered = re.compile(re.escape(core) + r"》?\s*(（[^）]*）)?\s*第[一二三四五六七八九十百零0-9]+条")
            if not any(numbered.search(h.chunk.text) for h in self.kb.search(f"{core}第条", k=10).hits):
                return law
        return None

    def _law_of_article(self, question: str) -> str | None:
        """The held law or regulation whose article the question asks, when it names one right before the article
        ("节能法第三十五条" → 节约能源法); None when it names none there."""
        normalised = self.kb.normalise_query(question)
        return next((law for law in self._held_law_names()
                     if re.search(re.escape(law) + r"(的|里的?|中的?)?第", normalised)), None)

    def _laws_named(self, question: str) -> list[str]:
        """Laws and regulations the question names without book-title marks ("可再生能源法对……有没有规定"): each
        from where its words begin, after any preposition, pronoun, number or particle ("能源审计按条例" names none)."""
        names: list[str] = []
        titles: list[str] | None = None  # the held documents' title cores, read once when a 条例 needs them
        for found in _LAW_NAME.findall(self.kb.normalise_query(question)):
            words = list(self.kb.tokenizer.tagged(found))
            # ("锅炉房要重点监测是条例哪一条说的": a name does not run back over the copula)
            starts = [i + 1 for i, (w, flag) in enumerate(words) if flag[:1] in _NOT_IN_NAMES or w in _COPULAS]
            name = "".join(w for w, _ in words[max(starts, default=0):])
            if name.endswith("条例"):
                # "公务用车节能条例是怎么要求的", "电梯和照明条例有啥要求": a topic, then the 条例 the knowledge base
                # holds; a regulation's own name is longer and no part of it ends a held title ("机关事务管理条例")
                titles = titles if titles is not None else [_title_core(d.title) for d in self.kb.documents()]
                # ("国务院2024年出的那个节约用水条例": said to be issued, a shorter name is a name too)
                issued = re.search(r"(出|发|颁布|出台|印发|公布)的(那个|这个|新)?" + re.escape(name), question)
                # ("民用建筑节能条例里……是第几条": read as a document with articles, it is one of its own)
                own = re.search(re.escape(name) + r"(里|中|第|的第|原文|全文|条文)", self.kb.normalise_query(question))
                if len(name) < (5 if issued else 8) or (not own and
                        any(is_subsequence(name[-k:], t) for k in range(4, len(name)) for t in titles)):
                    continue
            if len(name) >= 3 and name.endswith(("法", "条例")):
                names.append(name)
        return names

    def _stated_source(self, lead: str, question: str, citations: list[Citation]) -> SearchHit | None:
        """What a quoted FAQ answer names as its own source ("来源：《公共机构节能条例》第三十五条", "来源：《"十四五"
        公共机构节约能源资源工作规划》"), when the knowledge base holds it and the answer does not cite it yet: the
        rule itself is cited beside the guide that restates it. The lead's passage first, then the others quoted."""
        number = re.search(r"\[(\d+)\]", lead)
        first = int(number.group(1)) - 1 if number and int(number.group(1)) <= len(citations) else 0
        for citation in [citations[first]] + citations[:first] + citations[first + 1:]:
            stated = re.search(r"来源：([^\n]+)", citation.text)
            if not stated:
                continue
            for named, articles in re.findall(r"《([^》]{4,40})》((?:[、和及]?第[一二三四五六七八九十百零〇0-9]+条)*)",
                                              stated.group(1)):
                # "《公共机构节能条例》第十七条、第三十七条": each article in turn, the first not cited yet
                for article in re.findall(r"第[一二三四五六七八九十百零〇0-9]+条", articles):
                    found = self._primary_source(f"《{named}》{article}", citations)
                    if found is not None:
                        return found
            found = self._named_document(stated.group(1), question, citations) or \
                self._coded_document(stated.group(1), question, citations)
            if found is not None:
                return found
        return None

    def _coded_document(self, text: str, question: str, citations: list[Citation]) -> SearchHit | None:
        """The passage, best matching the question, of a standard `text` names by its code ("来源：GB/T 24915"), when
        the knowledge base holds that standard and the answer does not cite it yet."""
        cited = {c.doc_id for c in citations}
        for code in re.findall(r"(?:GB/T|GB|DB\d{2}/T)\s*\d{3,6}", text):
            core = re.sub(r"\s+", "", code)
            for hit in self.kb.search(f"{code} {question}", k=5).hits:
                if core in re.sub(r"\s+", "", hit.chunk.title) and hit.chunk.doc_id not in cited:
                    return hit
        return None

    def _place_not_covered(self, question: str, hits: list[SearchHit], floor: float = MIN_COVERAGE) -> str | None:
        """A place the question names (杭州市, 江苏) that none of the well-covering passages mentions: they are
        about somewhere else. The country itself (中国, 全国) is no such place."""
        good = [h for h in hits if h.coverage >= floor]
        for place, core in self._places(question):
            if not any(core in h.chunk.text or core in h.chunk.title for h in good):
                return place
        return None

    def _local_rule_missing(self, question: str, hits: list[SearchHit]) -> str | None:
        """Why our own city's rules asked by its name cannot be answered, or None: no passage found is of a document
        of the city ("咱们海州市有没有自己的节能管理办法": the national or another city's rule does not answer), or the
        city's documents held are of another kind than the one asked ("海州市有没有出台管理办法": a 通知 is held)."""
        city = self._city_core
        if len(city) < 2 or city not in question or not re.search(_LOCAL_RULES, question):
            return None
        if not any(city in h.chunk.text for h in hits if h.chunk.doc_type != "data"):  # (the data's notes hold no rule)
            return f"知识库没有收录{self.settings.city}本地的政策文件。"
        sought = {kind for found in _LOCAL_KINDS.findall(question) for kind in found if kind}
        local = [d.title for d in self.kb.documents() if city in d.title and d.doc_type != "data"] if sought else []
        if not sought or any(kind in title for kind in sought for title in local):
            return None
        held = f"收录的{self.settings.city}本地文件只有{'、'.join(f'《{t}》' for t in local)}。" if local else ""
        return f"知识库没有收录{self.settings.city}本地的{'或'.join(sorted(sought))}。{held}"

    def _unit_not_covered(self, question: str, hits: list[SearchHit], floor: float) -> str | None:
        """A unit a figure question opens with ("海州市第四小学2024年……是多少") that no well-covering passage
        mentions, when our data holds no such unit either (the question reached the documents)."""
        if not YEAR.search(question) or not re.search(r"多少|几", question):
            return None
        unit = unit_phrase(question) or ""
        core = re.sub(r"^[\u4e00-\u9fff]{2,3}?[市县区]", "", unit)
        # a name, then the year: "海州市档案馆2024年" (not "2022年节能宣传周是几个部", "广东2021年场馆")
        if len(core) < 3 or not re.fullmatch(r"[\u4e00-\u9fff]+", unit) or re.search(r"[年是的]", unit) or \
                not re.match(r"(20)?\d\d年|今年|去年", question[len(unit):]):
            return None
        if any(core in h.chunk.text or core in h.chunk.title for h in hits if h.coverage >= floor * 0.5):
            return None
        return unit

    def _places(self, text: str, loose: bool = False) -> list[tuple[str, str]]:
        """The places a text names (江苏省, 杭州市, 山东), each with its core (江苏, 杭州, 山东). Named for sure: a word
        tagged as a place that ends in 省/市/县, or a province's short name; tags alone are noisy (东西, 城市, 海洋 are
        tagged as places too), and `loose` takes any of two characters or more (舟山, 宁波)."""
        tagged = []
        for word, flag in self.kb.tokenizer.tagged(text):
            head = re.match(r"[\u4e00-\u9fff]{2,3}?[省市县]", word) if flag == "x" else None
            if head and list(self.kb.tokenizer.tagged(head.group(0))) == [(head.group(0), "ns")]:
                word, flag = head.group(0), "ns"  # "舟山市公共机构", a term of the glossary, begins with a place
            tagged.append((word, flag))
        places = [w for w, flag in tagged if flag == "ns" and (
                  re.fullmatch(r"..+[省市县]", w) or w in PROVINCES or (loose and len(w) >= 2))]
        return [(p, p[:-1] if len(p) > 2 and p[-1] in "省市县" else p) for p in places]

    def _names_of(self, question: str) -> list[str]:
        """The names, numbers, places and directions a question holds (2023, 西南, 南方, 舟山)."""
        tokenizer = self.kb.tokenizer
        return [w for w, flag in tokenizer.tagged(question)
                if len(w) >= 2 and (flag in ("f", "s", "ns") or tokenizer.is_name(w))]

    def _lead_falls_short(self, question: str, lead: str, passages: Sequence[SearchHit]) -> str | None:
        """Why the direct answer's sentence, close as it is, does not answer the question (said after NOT_FOUND);
        None when it does or there is none. `passages`: those quoted below it."""
        said = lead.split("（《")[0]  # the sentence without its source
        others = [core for _, core in self._places(said) if core in PROVINCES]
        for place, core in self._places(question) if others else []:
            if core in PROVINCES and core not in said and any(o != core for o in others):
                # "江苏党政机关能耗定额的基准值": the sentence is about 山东
                return f"检索到的文件里没有{place}的这项内容。"
        if not others and re.search(r"\d", said) and (_asks_quantity(question) or re.search(r"数据|数字", question)):
            home = [h for h in passages if said[:20] in h.chunk.text]
            for place, core in self._places(question):
                if core in PROVINCES and core not in said and home and not any(core in h.chunk.text for h in home):
                    # "广东医院类公共机构有没有2023年的单位面积能耗数据": the figure is the whole country's
                    return f"检索到的文件里没有{place}的这项内容。"
        if others and "全国" in question and "全国" not in said and not self._places(question):
            # "全国公共机构2021年人均用水量几多": the sentence gives 广东's
            return f"检索到的文件里没有全国的这项内容，找到的是{others[0]}的。"
        if asked_figures(question) and "全国" in said:
            for place, core in self._places(question, loose=True):
                # "舟山屋顶光伏一共装了多少千瓦": the figure in 千瓦 is the whole country's. A city's figure may rest
                # on the national grid factor ("按全国电网平均排放因子……年减排759吨"); a province's may not
                if core not in said and (core in PROVINCES or re.search(r"全国(?!电网|电力|低碳日|节能宣传周)", said)):
                    return f"检索到的文件里没有{place}的这个数字，找到的是全国的数字。"
        if re.search(r"最终(统计)?(数据|数字|结果)|实际(完成|数据|值|降了|下降了)|完成情况", question) and \
                re.search(r"要求|目标|力争|确保", said) and not re.search(r"实际|完成了|已完成|实现了", said):
            # "2025年全国人均能耗的最终数据公布了吗": the sentence gives the plan's target, not the outcome
            return "检索到的文件只给出了目标要求，没有所问的实际数据。"
        if re.search(r"(之前|改造前|以前|原来|基准)[^。？?]{0,12}(一共|总共|全年|一年)?(用了|用电量|用气量|用量|耗电|消耗)", question) \
                and re.search(r"(节电|节约|节省|少用|下降|减少|降低)[^，,。；]{0,6}\d", said) and \
                not re.search(r"(改造前|之前|原来|基准)[^，,。；]{0,12}\d", said):
            # "舟山行政中心搞托管之前那一年一共用了多少度电": the sentence gives what the retrofit saved, not the use before
            return "检索到的文件只给出了节约量或降幅，没有所问的原来的用量。"
        if re.search(r"退回|更正|撤回|改正|补报|重新报|修改", question) and re.search(r"流程|手续|程序|咋个|怎么|如何|能不能|还能", question) \
                and re.search(r"填错|报错|错了|多填|漏填|已经(提交|报)", question) and \
                not re.search(r"退回|更正|撤回|改正|补报|重新报|修改|核对|纠正", said):
            # "年报都报上去了才发现电量多填了一个零 咋个申请退回修改": the sentence gives the deadline, no correction
            return "检索到的文件没有说明报送后发现错误如何退回或更正。"
        sibling = _sibling_named(question, said)
        if sibling:
            # "节约型机关评价总分多少": the sentence is about 节水型机关
            return f"检索到的文件里这句话说的是{sibling[1]}，没有{sibling[0]}的这项内容。"
        asked_kinds, said_kinds = _building_kinds(question), _building_kinds(said)
        if asked_kinds and said_kinds and not asked_kinds & said_kinds and \
                (asked_figures(question) or asked_value(question)):
            # "GB/T 51161里医院建筑的约束值": the sentence gives office buildings' values
            asked_words = [re.search(p, question).group(0) for k, p in _BUILDING_KINDS if k in asked_kinds]
            return f"检索到的文件里这句话给的是{'、'.join(sorted(said_kinds))}的数值，没有{'、'.join(asked_words)}的。"
        grid = re.search(_GRID_REGION, question)
        if grid and grid.group(1) not in said and re.search(r"全国|" + _GRID_REGION, said) and \
                not any(re.search(grid.group(1) + r"[\s|：:为（(]{0,4}0\.\d", h.chunk.text) and
                        all(y in h.chunk.text for y in YEAR.findall(question)) for h in passages):
            # "2023年度南方区域电网的排放因子": the sentence gives the national or another region's factor
            return f"检索到的文件里没有{grid.group(1)}区域电网的这个数字。"
        value = asked_value(question)
        if value and not (lead and states_value(said, value)):
            # "江苏DB32/T 4001里党政机关约束值是多少": the sentence that answers best gives another figure
            return f"检索到的文件里没有给出所问的{value}。"
        if value and lead:
            # "旅馆能耗约束值多少": the sentence gives office buildings' values; a rare word that qualifies the value
            # asked must be in it
            clause = next((c for c in re.split(r"[，,。？?\s]", question) if value in c), "")
            weights = self.kb.query_weights(clause[:clause.find(value)]) if clause else {}
            rare = [w for w, weight in weights.items() if weight >= RARE_QUALIFIER and re.fullmatch(r"[\u4e00-\u9fff]{2,}", w)
                    and self.kb.tokenizer.is_topical(w) and w not in said]
            if rare:
                return f"检索到的文件里没有{rare[0]}的{value}。"
        noted = self._only_in_notes(question, said, passages)
        if noted:
            # "2589-2020附录里液化天然气的折标系数是多少": the passages name 液化天然气 only to say it is not verified
            return f"{noted}注明所问的这一项尚未核实，没有可以引用的确切内容。"
        sentence, title = _with_source(lead)
        # (a rare word of the question that the sentence names only in that note: "光伏余电上网卖电的钱单位账上怎么入"
        # against "……（舟山项目的并网方式和余电处理方式待核实）")
        rare = [w for w, weight in self.kb.query_weights(question).items()
                if weight >= RARE_QUALIFIER and re.fullmatch(r"[\u4e00-\u9fff]{2,}", w)]
        if title and len(lead.splitlines()) == 1 and \
                asked_item_unverified(question, sentence, [*self._names_of(question), *rare]):
            # "反食品浪费法里机关食堂浪费了罚多少钱": the sentence notes in brackets that the law's articles (the very
            # item asked) are not verified
            return f"{title}注明所问的这一项尚未核实，没有可以引用的确切内容。"
        return None

    def _only_in_notes(self, question: str, said: str, passages: Sequence[SearchHit]) -> str | None:
        """The title of a passage whose note says the knowledge base has not verified a thing the question names and
        the answer's sentence does not, when the passages name that thing only in such notes; None otherwise."""
        types = self._question_types(question)
        if not ({"how_many", "when", "duration", "penalty"} & types or asked_figures(question)):
            return None  # (a how or whether question is answered by what the passages do say)
        tokenizer = self.kb.tokenizer
        terms = [w for w in dict.fromkeys(tokenizer.words(self.kb.normalise_query(question)))
                 if len(w) >= 4 and tokenizer.is_topical(w) and w not in said]
        for term in terms:
            mentions = [(s, h) for h in passages for s in quotable_sentences(h.chunk.text) if term in s]
            if mentions and all(is_unverified_note(s) for s, _ in mentions):
                return f"《{mentions[0][1].chunk.title}》"
        return None

    def _named_document(self, lead: str, question: str, citations: list[Citation]) -> SearchHit | None:
        """The passage of a document the lead names by title (《"十四五"公共机构节约能源资源工作规划》) that best
        matches the question, when the knowledge base holds that document and the answer does not cite it yet."""
        cited = {c.doc_id for c in citations}
        for named in re.findall(r"《([^》]{4,40})》", lead.split("（《")[0]):
            if len(_title_core(named)) < 4:
                continue
            for hit in self.kb.search(f"{named} {question}", k=5).hits:
                if _same_document(named, hit.chunk.title) and hit.chunk.doc_id not in cited:
                    return hit
        return None

    def _focused(self, question: str, about_data: bool) -> tuple[str, list[SearchHit]] | None:
        """The asking clauses of a long message and their passages, when those clauses alone are covered well
        ("我们今年七月份搬到新楼去了，老楼新楼面积差好多，年报上头建筑面积到底填哪个"); None otherwise, or when they
        hold too few terms to be evidence ("……，怎么清理")."""
        asking = asking_clauses(question)
        clauses = [c for c in re.split(r"[，,；;。！!？?：:]", question) if c.strip()]
        if asking and _REFERS_BACK.match(asking[0]) and asking[0] in clauses and clauses.index(asking[0]) > 0:
            # "……实施方案刚写完，这东西最后要交到哪个部门备案": what "这东西" is, is said just before
            asking = [clauses[clauses.index(asking[0]) - 1], *asking]
        foci = ["，".join(asking)]
        scene, _, last = question.rstrip("。！!？? ").rpartition("。")
        if scene and not re.search(r"[？?]", scene) and len(last) >= 6:
            # "上个月还在学校教书，这个月调来当节能专干了。听说每年有个能耗报告要交给机关事务局，最晚几号前得交": the
            # sentences before the last tell who asks; the last one asks, and its scene clauses are part of the question
            foci.append(last)
        for focused in foci:
            found = self._focused_on(question, focused, about_data)
            if found is not None:
                return found
        return None

    def _focused_on(self, question: str, focused: str, about_data: bool) -> tuple[str, list[SearchHit]] | None:
        """`focused`, part of `question`, and its passages, when it alone is covered well and holds enough terms."""
        if len(self.kb.query_weights(focused)) < FOCUSED_TERMS:
            return None
        weights = self.kb.query_weights(question)
        dropped = [w for w in self.kb.unseen_words(question) if w not in focused and
                   re.fullmatch(r"[\u4e00-\u9fff]+", w) and not self.kb.tokenizer.is_common_word(w)]
        scene = sum(v for t, v in weights.items() if any(t in w for w in dropped))
        if scene >= SCENE_UNSEEN_SHARE * sum(weights.values()):
            return None  # "腰椎间盘突出，平时坐办公室要注意啥": the scene, which no passage mentions, is the topic
        hits = _without_data_notes(self._passages(focused, SEARCHED_PASSAGES), question, about_data)
        best = _best(hits)
        if best < FOCUSED_COVERAGE or self._unseen_sinks(focused, best):
            return None
        return focused, hits

    def _subject_of_code(self, question: str, asking: str) -> tuple[str, Callable[[str], bool]]:
        """For a document number or standard code asked: the rarest word of what the document is about, and whether
        a sentence names that subject: each rarer word of a subject named after 关于 ("关于充电基础设施建设的那个通知":
        充电, 基础设施, 建设), else, in a one-clause question, the rarest word or a part of it (托管意见: 托管)."""
        subject = re.search(r"关于(.{2,24}?)的?(那个|这个|那份|这份)?(通知|意见|办法|文件|方案|规定|标准|指南)", asking)
        weights = {t: w for t, w in self.kb.query_weights(subject.group(1) if subject else asking).items()
                   if not re.search(r"编号|文号|字号|代号|标准号|文件|通知|意见|规定|办法|国标|标准|出处|来源|依据", t)}
        topic = max(weights, key=lambda t: (weights[t], len(t)), default="")
        topics = [t for t, w in _whole_terms(weights).items() if w >= 1] if subject else []
        one_clause = not re.search(r"[，,。？?；;\s]", question.strip(" ？?。"))

        def names(text: str) -> bool:
            if topics:
                return all(t in text for t in topics)
            return not (one_clause and topic) or any(t in text for t in weights if t == topic or t in topic)

        return topic, names

    def _lead_naming(self, question: str, wanted: set[str], named: Callable[[str], set[str]], pool: list[SearchHit],
                     citations: list[Citation], weights: dict[str, float], floor: float,
                     doc_type: str | None, widen: bool = True) -> tuple[str, list[str]] | None:
        """A direct answer whose sentence names one of `wanted` (as `named` reads a text), from the passages read
        or (`widen`) a wider search that name it, tried one at a time with the words of `wanted` weighing more;
        `citations` gains its source. None when no passage gives one."""
        known = {x.chunk.chunk_id for x in pool}
        wider = pool + [h for h in (self._passages(question, WIDER_PASSAGES, doc_type) if widen else [])
                        if h.coverage >= floor * 0.8 and h.chunk.chunk_id not in known]
        stressed = {t: 3 * w if any(t in name for name in wanted) else w for t, w in weights.items()}
        found = []  # (coverage of the passage, weight of the question said, order, lead, notes, citations)
        for order, passage in enumerate([h for h in wider if wanted & named(h.chunk.text)][:WIDER_TRIALS]):
            # one passage at a time: of two sentences alike, the one that names what is asked; of several passages
            # that give one and cover the question nearly as well as the best, the one whose sentence says most of
            # it (the 十四五 targets, not 浙江's 十三五 outcomes)
            trial = list(citations)
            retry, renoted = self._lead(question, [passage], trial, stressed)
            if retry and wanted & named(retry) and not _dated_otherwise(retry, passage, question):
                said = retry.split("（《")[0]
                held = sum(w for t, w in weights.items() if t in said)  # how much of the question the sentence says
                found.append((passage.coverage, held, order, retry, renoted, trial))
        if not found:
            return None
        top = max(f[0] for f in found)
        *_, retry, renoted, trial = min((f for f in found if f[0] >= top * NEAR_BEST), key=lambda f: (-f[1], f[2]))
        citations[:] = trial
        return retry, renoted

    def _faq_asked(self, question: str, hits: list[SearchHit], match: float = FAQ_MATCH,
                   back: float = 0.0) -> SearchHit | None:
        """The first of `hits` that answers a FAQ question ("问：几个单位合署办公，只有一块总电表，怎么分？") whose
        terms the user's message holds nearly all of (`match` of their weight, FAQ_TERMS terms at least) and that
        holds `back` of the message's own term weight."""
        said = self.kb.normalise_query(question)
        own = _whole_terms(self.kb.query_weights(question)) if back else {}
        for hit in hits:
            for asked in _faq_questions(hit):  # a passage may hold several questions and their answers
                # ("按啥子标准收" does not hold 标准煤, whatever its part 标准)
                weights = _whole_terms(self.kb.query_weights(asked))
                if len(weights) < FAQ_TERMS:
                    continue
                held = sum(w for term, w in weights.items() if term in said)
                if held >= match * sum(weights.values()) and \
                        sum(w for t, w in own.items() if t in asked) >= back * sum(own.values()):
                    return replace(hit, chunk=replace(hit.chunk, text=_faq_answer(hit.chunk.text, asked)))
        return None

    def _searched(self, question: str) -> list[SearchHit]:
        """The top passages for `question` as `_knowledge` reads it."""
        return self._passages(full_years(asked(question)), SEARCHED_PASSAGES)

    def _passages(self, query: str, k: int, doc_type: str | None = None) -> list[SearchHit]:
        """The passages of a search as answers quote them: a list under its heading carries the heading."""
        return _headed(self.kb.search(query, k=k, doc_type=doc_type).hits)

    def _best_coverage(self, question: str) -> float:
        """How well the best of the top passages covers `question` (as `_knowledge` reads it)."""
        return _best(self._searched(question))

    def _question_types(self, question: str) -> set[str]:
        """The question types the colloquial lexicon's question words give ("哪条" → article, "多少" → how_many)."""
        return set(self.kb.colloquial.normalise(question).types)

    def _asks_what_or_how(self, question: str) -> bool:
        """Whether the question asks what something is or how to proceed, and no figure, date or penalty: a note that
        an item is unverified can still answer it."""
        types = self._question_types(question)
        # ("节能收益是咋个分成的，节能公司拿几成": a share asked beside the how is a figure asked)
        return bool({"definition", "how_to"} & types) and not {"when", "how_many", "duration", "penalty"} & types \
            and not asked_figures(question)

    def _unseen_sinks(self, question: str, best: float) -> bool:
        """Whether a word the knowledge base never contains means it cannot answer. A name, place, abbreviation
        or number it never mentions (合肥市, 冬奥会, IPMVP) always does: the question is about something else. A
        common noun (饮水机) may be the user's word for the documents' term, so only when the rest of the question is
        not well covered either (below NOUN_COVERAGE); an unknown verb or adjective (判刑, 下雨), or a word jieba does
        not know at all (蓝屏, 加氟), below STRONG_COVERAGE."""
        tokenizer = self.kb.tokenizer
        asking = asking_clauses(question)

        def asked_about(word: str) -> bool:
            # "局里让我牵头能效领跑者的工作，市级中心主要负责什么": the context clause is not the question
            return not asking or any(word in clause for clause in asking)

        # A question that asks no figure, date or count (how, why, what, whether) with one such word more often uses
        # its own word for the documents' term; one that asks a figure is answered by a near passage's figure if let
        # through, and two such words ("驾照扣分怎么查询") mean it is about something else
        unseen = self.kb.unseen_words(question)
        relaxed = not _asks_quantity(question) and sum(map(asked_about, unseen)) <= 1
        noun_floor = RELAXED_NOUN_COVERAGE if relaxed else NOUN_COVERAGE
        strong_floor = RELAXED_STRONG_COVERAGE if relaxed else STRONG_COVERAGE
        for word in unseen:
            if tokenizer.is_name(word) or (_NEAR_DAY.fullmatch(word) and asked_about(word)):
                return True  # (a day to come, "明晚海州有没有台风": a forecast, which no document gives)
            if asked_about(word) and best < (noun_floor if tokenizer.is_topical(word) else strong_floor):
                return True
        # a word jieba does not know, written nowhere in the documents (老蓝屏, 加氟, 餐补, 困人): like an unknown verb
        return best < STRONG_COVERAGE and any(asked_about(run) for run in self.kb.unseen_runs(question))

    def _lead(self, question: str, hits: list[SearchHit], citations: list[Citation],
              weights: dict[str, float]) -> tuple[str, list[str]]:
        """The direct answer: per question part, the quoted sentence that answers it, with its source; a part
        the passages do not answer is named. Empty when no sentence answers the question well enough. Second: the
        titles of the documents whose own note says what is asked is not held, when such a note covers every
        answered part at least as well as its sentence."""
        leads = direct_answers(question, hits, self.kb, weights=weights)
        if not any(lead.sentence for lead in leads):
            return "", []
        answered = [lead for lead in leads if lead.sentence]
        best = max(h.coverage for h in hits)
        # a note from one of the passages that cover the question best, about no province the question does not name
        # ("其他浙江省目标本知识库未核实" does not answer for the whole country)
        noted = [] if not all(lead.note and lead.note[1].coverage >= best * NEAR_BEST and
                              not any(p in lead.note[0] and p not in question for p in PROVINCES)
                              for lead in answered) else \
            list(dict.fromkeys(lead.note[1].chunk.title for lead in answered))
        lines = []
        for lead in leads:
            if lead.sentence is None:
                lines.append(f"{lead.part}：{NOT_FOUND}")
                continue
            keys = [(c.doc_id, c.text) for c in citations]
            key = (lead.hit.chunk.doc_id, lead.hit.chunk.text)
            if key not in keys:
                citations.append(Citation.from_hit(lead.hit))
                keys.append(key)
            number = keys.index(key) + 1
            sentence = lead.sentence.rstrip("。；;，, ")
            label = citations[number - 1].label
            verdict = yes_or_no(lead.part, sentence)
            text = f"{verdict + '。' if verdict else ''}{sentence}（{label}）。[{number}]"
            lines.append(text if len(leads) == 1 else f"{lead.part}：{text}")
        return "\n".join(lines), noted

    def _wanted_source(self, question: str) -> tuple[Callable[[SearchHit], bool] | None, bool]:
        """The passages of the document a question names by its short name (统计制度, 条例, 节能法, 40498), or of a
        law or regulation when it asks what the rules say (按规定, 法律上); None when it asks neither. Second: whether
        the question names the document."""
        named = _SHORT_NAMES.findall(self.kb.normalise_query(question))  # the lexicon reads 节能法 as 节约能源法
        if named:
            return (lambda h: any(_SHORT_TITLES.get(n, n) in h.chunk.title for n in named)), True
        if _RULES_ASKED.search(question):
            return (lambda h: h.chunk.doc_type == "policy"), False
        return None, False

    def _title_named_in(self, question: str) -> Callable[[SearchHit], bool]:
        """Whether the question names a hit's document: by its number (40498, 国务院令第531号), by its title without
        the country, the number and the brackets (节约能源法, also when asked as 节能法), or by title words that
        carry at least half of what the question is about, the date words aside. The question is read once."""
        normalised = self.kb.normalise_query(question)
        weights = {t: w for t, w in self.kb.query_weights(normalised, normalised=True).items() if not asked_date(t)}
        total = sum(weights.values())

        def named(hit: SearchHit) -> bool:
            digits = re.findall(r"\d{3,}", (hit.chunk.meta or {}).get("doc_number", ""))
            if digits and any(d in question for d in digits):
                return True
            core = _title_core(hit.chunk.title)
            if len(core) >= 4 and core in normalised:
                return True
            title = self.kb.title_terms(hit.chunk.title)
            return total > 0 and sum(w for t, w in weights.items() if t in title) / total >= 0.5

        return named

    def _names_document(self, question: str, hit: SearchHit) -> bool:
        """Whether the question names the hit's document ("条例第14条" and 《公共机构节能条例……》)."""
        return bool(self.kb.title_terms(hit.chunk.title) & set(self.kb.tokenizer.query_tokens(question)))

    def _best_sentences(self, hit: SearchHit, weights: dict[str, float], max_chars: int) -> list[tuple[float, str]]:
        """The passage's sentences that share most (IDF-weighted) terms with the question, in passage order."""
        sentences = [s.strip() for s in quotable_sentences(hit.chunk.text) if s.strip() and not s.strip().startswith("|")]
        scored = []
        for position, sentence in enumerate(sentences):
            tokens = set(self.kb.tokenizer.tokens(sentence))
            score = sum(w for t, w in weights.items() if t in tokens)
            if score > 0:
                scored.append((score, position, sentence))
        scored.sort(key=lambda t: (-t[0], t[1]))
        chosen, length = [], 0
        for score, position, sentence in scored:
            if chosen and length + len(sentence) > max_chars:
                continue
            chosen.append((position, score, sentence))
            length += len(sentence)
            if length >= max_chars * 0.6:
                break
        taken = {position for position, _, _ in chosen}
        for position, score, sentence in list(chosen):
            # "六、数据填报和计算的核对清单：" introduces the items after it: they are quoted with it
            following = position + 1
            while sentence.endswith(("：", ":")) and following < len(sentences) and following not in taken and \
                    following <= position + 3 and length + len(sentences[following]) <= max_chars * 1.5:
                chosen.append((following, score, sentences[following]))
                taken.add(following)
                length += len(sentences[following])
                following += 1
        return [(score, s) for _, score, s in sorted(chosen)]

    # ------------------------------------------------------------ numeric intents

    def _indicator(self, question: str, u: Understanding) -> Answer:
        return self._numeric(question, u)

    _compare = _rank = _quota = _budget = _carbon = _anomaly = _trend = _indicator

    def _coverage(self, question: str, u: Understanding) -> Answer:
        return self._call("data_coverage", {}, "coverage")

    def _convert(self, question: str, u: Understanding) -> Answer:
        unit_to = u.slots.get("to_unit") or "tce"
        answer = self._call("convert", {"quantity": u.slots["quantity"], "unit": u.slots["unit"], "to_unit": unit_to},
                            "convert")
        if not _CONVERSION_ONLY.fullmatch(re.sub(r"[\s，,。？?！!]", "", question)):
            # "屋顶光伏…每少买1万千瓦时电能少排多少吨二氧化碳": the conversion, and what the documents say about it
            known = self._knowledge(question, Understanding("knowledge", {}))
            if known.citations:
                return Answer(f"{answer.answer}\n\n知识库中的相关内容：\n{known.answer}", "offline", known.citations,
                              answer.tool_calls, intent="convert")
        return answer

    def _numeric(self, question: str, u: Understanding) -> Answer:
        slots = dict(u.slots)
        if u.unknown_institution:
            try:
                self.store.resolve(u.unknown_institution)
            except LookupFailed as error:
                return self._answer(_not_in_data(str(error)) or str(error), u.intent)
        if u.ambiguous:
            return self._answer(f"请说明是哪个单位：{'、'.join(u.ambiguous)}。", u.intent)
        if slots.get("not_recorded"):
            return self._answer(f"{NOT_FOUND}能耗数据中没有{slots['not_recorded']}：数据只记录各单位每月的建筑面积、用能人数"
                                "和用电、天然气、汽油、柴油、用水量，以及用能预算和能耗定额。", u.intent)
        institution = slots.get("institution")
        if institution is None and u.intent in {"budget", "anomaly"}:
            institution = "全部"  # "今年上半年有没有超预算的", "今年的数据有没有异常": every unit, not a question back
        if institution is None and u.intent in {"indicator", "compare", "carbon"}:
            names = [i.name for i in self.store.institutions(slots.get("category"))] if slots.get("category") \
                else self.store.institution_names()
            shown = "、".join(names[:10]) + ("等" if len(names) > 10 else "")
            return self._answer(f"请说明要查询哪个单位，例如：{shown}。", u.intent)
        year = slots.get("year") or self._latest_year(institution)
        metric = slots.get("metric") or "energy_per_area"
        note = "" if slots.get("year") else f"（未指定年份，按有数据的最近年份 {year} 年计算）"
        if "人均" in question and not metric.endswith("per_capita"):
            # "人均用电": no such indicator; say what is shown instead of passing a total off as per person
            note += f"（系统的人均指标只有人均综合能耗和人均用水量，没有人均{vocab.metric(metric).name}，以下为{vocab.metric(metric).name}）"
        # "全市学校今年用电多少": the total of that category's units, not of every unit
        category = {"category": slots["category"]} if institution == "全部" and slots.get("category") else {}
        if u.intent == "indicator":
            answer = self._call("indicators", {"institution": institution, "year": year, **category}, u.intent)
            if slots.get("asked"):
                return self._size_or_fuel(answer, slots["asked"], note)
            return self._focus(answer, metric, note)
        if u.intent == "compare":
            if slots.get("other_institution"):
                return self._compare_two(institution, slots["other_institution"], metric, year, note)
            args = {"institution": institution, "metric": metric, "year": year, "base_year": slots.get("base_year"),
                    **category}
            return self._call("compare", args, u.intent, note=note)
        if u.intent == "rank":
            args = {"metric": metric, "year": year, "category": slots.get("category"), "top": slots.get("top", 10)}
            if slots.get("lowest"):
                args["lowest_first"] = True
            answer = self._call("rank", args, u.intent, note=note)
            return self._place_of(answer, slots["place_of"]) if slots.get("place_of") else answer
        if u.intent == "quota":
            unheld = self._quota_not_held(question)
            if unheld:
                return self._answer(unheld, "quota")
            args = {"institution": institution or "全部", "year": year}
            if args["institution"] == "全部" and slots.get("category"):
                args["category"] = slots["category"]  # "医院里呢？" after "哪几家超定额了"
            answer = self._call("check_quota", args, u.intent, note=note)
            return self._member_of(answer, slots["member_of"]) if slots.get("member_of") else answer
        if u.intent == "budget":
            args = {"institution": institution, "year": year, "through_month": slots.get("month")}
            answer = self._call("budget_status", args, u.intent, note=note)
            return self._member_of(answer, slots["member_of"]) if slots.get("member_of") else answer
        if u.intent == "carbon":
            args = {"institution": institution, "year": year, "factor_set": _factor_set(question)}
            return self._call("carbon", args, u.intent, note=note)
        if u.intent == "anomaly":
            # the meter named ("用电异常"), else the metered metric asked ("电表看着像坏了", "水表呢")
            source = vocab.source_named(question) or vocab.SOURCE_BY_KEY.get(slots.get("metric"))
            args = {"institution": institution, "year": year, "metric": source.key if source else None}
            return self._call("anomalies", args, u.intent, note=note)
        start = slots.get("base_year") or 2015
        args = {"institution": institution or "全部", "metric": metric, "from_year": start,
                "to_year": slots.get("year") or self._latest_year(institution), **category}
        return self._call("trend", args, "trend")

    def _runner(self) -> ToolRunner:
        return ToolRunner(self.store, self.kb)

    def _call(self, name: str, args: dict, intent: str, note: str = "") -> Answer:
        call, result = self._runner().run(name, args)
        if result is None:
            error = call.result["error"]
            return Answer(_not_in_data(error) or f"无法计算：{error}", "offline", [], [call], intent=intent)
        return Answer(call.explanation + note, "offline", [], [call], intent=intent)

    def _place_of(self, answer: Answer, unit: str) -> Answer:
        """A ranking led by one unit's place in it ("我们排第几"), taken from the tool result."""
        from tools.common import fmt

        if not answer.tool_calls or "error" in answer.tool_calls[0].result:
            return answer
        result = answer.tool_calls[0].result
        row = next((r for r in result["rows"] if r["institution"] == unit), None)
        if row is None:
            lead = f"{unit}{result['year']}年没有参与这项排名的数据（可能不属于所排的单位类型）。\n"
        else:
            order = "从低到高" if result.get("lowest_first") else "从高到低"
            lead = (f"{unit}{result['year']}年{result['metric_name']}为 {fmt(row['value'])} "
                    f"{row['unit']}，在{result['category'] + '类' if result.get('category') else '全部'}{result['total']}家单位中"
                    f"{order}排第 {row['rank']} 名。\n")
        return Answer(lead + answer.answer, answer.mode, answer.citations, answer.tool_calls, answer.intent)

    def _member_of(self, answer: Answer, unit: str) -> Answer:
        """A whole-city quota or budget check led by whether one unit is among those over ("超预算的单位里有我们吗"),
        taken from the tool result."""
        if not answer.tool_calls or "error" in answer.tool_calls[0].result:
            return answer
        result = answer.tool_calls[0].result
        if "breaches" in result:
            over = {b["institution"] for b in result["breaches"] if b.get("verdict") == "超过约束值"}
            what = "超过能耗定额约束值的单位"
        else:
            over = {r["institution"] for r in result.get("rows", []) if r.get("level") == "超预算"}
            month = result.get("through_month")
            what = f"截至{month}月超用能预算的单位" if month and month != 12 else "超用能预算的单位"
        verdict = "在" if unit in over else "不在"
        lead = f"{unit}{verdict}{result['year']}年{what}之中（共 {len(over)} 家）。\n"
        return Answer(lead + answer.answer, answer.mode, answer.citations, answer.tool_calls, answer.intent)

    def _focus(self, answer: Answer, metric: str, note: str) -> Answer:
        """Lead with the figure that was asked for, taken from the tool result."""
        from tools.common import fmt

        if not answer.tool_calls or "error" in answer.tool_calls[0].result:
            return answer
        result = answer.tool_calls[0].result
        value = result.get(vocab.metric(metric).field)
        if value is None:
            return answer
        name, unit = vocab.metric(metric).name, vocab.metric(metric).unit
        lead = f"{result['institution']}{result['year']}年{name}为 {fmt(value)} {unit}{note}。\n"
        return Answer(lead + answer.answer, answer.mode, answer.citations, answer.tool_calls, answer.intent)

    def _size_or_fuel(self, answer: Answer, asked: str, note: str) -> Answer:
        """Lead with the unit's floor area, head count or one fuel's quantity, from the indicators result."""
        from tools.common import fmt

        if not answer.tool_calls or "error" in answer.tool_calls[0].result:
            return answer
        result = answer.tool_calls[0].result
        head = f"{result['institution']}{result['year']}年"
        if asked in vocab.ATTRIBUTE_BY_KEY:
            attribute = vocab.ATTRIBUTE_BY_KEY[asked]
            period = f"（取{result['last_period']}期）" if result.get("last_period") else ""
            lead = f"{head}{attribute.name}为 {fmt(result[attribute.field], 0)} {attribute.unit}{period}{note}。\n"
        else:
            source = vocab.SOURCE_BY_KEY[asked]
            line = next((s for s in result.get("by_source", []) if s["source"] == asked), None)
            lead = f"{head}{source.reading}为 {fmt(line['quantity'], source.digits)} {line['unit']}{note}。\n" if line \
                else f"{head}没有{source.name}用量记录（为 0）{note}。\n"
        return Answer(lead + answer.answer, answer.mode, answer.citations, answer.tool_calls, answer.intent)

    def _compare_two(self, first: str, second: str, metric: str, year: int, note: str) -> Answer:
        from tools.common import fmt

        answers = [self._call("indicators", {"institution": n, "year": year}, "compare")
                   for n in (first, second)]
        calls = [a.tool_calls[0] for a in answers]
        failed = [c for c in calls if "error" in c.result]
        if failed:
            return Answer("无法比较：" + "；".join(c.result["error"] for c in failed), "offline", [], calls,
                          intent="compare")
        values = [c.result[vocab.metric(metric).field] for c in calls]  # the figures the two calls returned
        name, unit = vocab.metric(metric).name, vocab.metric(metric).unit
        a, b = calls[0].result["institution"], calls[1].result["institution"]
        relation = "高于" if values[0] > values[1] else "低于" if values[0] < values[1] else "等于"
        text = (f"{year}年{name}：{a} {fmt(values[0])} {unit}，{b} {fmt(values[1])} {unit}，{a}{relation}{b}"
                f"{'' if relation == '等于' else f'（相差 {fmt(abs(values[0] - values[1]))} {unit}）'}{note}。\n"
                + "\n".join(c.explanation for c in calls))
        return Answer(text, "offline", [], calls, intent="compare")

    def _latest_year(self, institution: str | None) -> int:
        years = self.store.years(None if institution in (None, "全部") else institution)
        if not years:
            raise LookupFailed("还没有导入能耗数据，请先在“能耗数据”页面导入。")
        return max(years)

    def _quota_not_held(self, question: str) -> str | None:
        """The decline for a 约束值/引导值 asked of carbon emissions when the quota table holds none ("党政机关单位建筑面积
        碳排放的约束值是多少"): a check of the energy quotas would pass for it."""
        if not (re.search(r"约束值|引导值|定额", question) and re.search(r"碳排|二氧化碳|碳强度", asking_part(question))):
            return None
        held = {q.indicator for q in self.store.quotas()}
        if any(key.startswith("carbon") for key in held):
            return None
        names = "、".join(vocab.metric(key).name for key in sorted(held)) or "（无）"
        return f"{NOT_FOUND}能耗定额中没有碳排放的约束值或引导值：已导入的定额只有{names}。"

    @staticmethod
    def _answer(text: str, intent: str) -> Answer:
        return Answer(text, "offline", [], [], intent=intent)


# Names of one kind that differ by the word before a shared head: 节约型机关 and 节水型机关 (not the campaigns' 宣传周:
# a sentence about 节能宣传周 often answers for another week too; dev: −6 colloquial with it)
_NAME_HEADS = ("型机关", "型单位", "型公共机构")
_BUILDING_KINDS = (("医院", r"医院|医疗建筑|卫生院"), ("学校", r"学校|中小学|高校|大学|校园"),
                   ("商场", r"商场|商店|超市"), ("酒店", r"酒店|宾馆|旅馆|饭店"),
                   ("文化场馆", r"图书馆|博物馆|体育馆|场馆|文化馆|科技馆|展览馆"),
                   ("办公建筑", r"办公建筑|办公楼|写字楼|党政机关|机关办公"))


# (a figure's unit names its indicator too: "214.97千克标准煤/人")
_INDICATORS = (("人均综合能耗", r"人均(综合)?能耗|(千克标准煤|kgce)\s*/\s*人"),
               ("单位建筑面积能耗", r"单位(建筑)?面积(综合)?能耗|每平米?能耗|(千克标准煤|kgce)\s*/\s*(平方米|m²|㎡)"),
               ("人均用水量", r"人均(用)?水(量|耗)?|(立方米|吨|m³)\s*/\s*人"), ("能源消费总量", r"能源消费总量|能耗总量"))


def _indicators_in(text: str) -> set[str]:
    """The consumption indicators `text` names (人均综合能耗, 单位建筑面积能耗 …)."""
    return {name for name, pattern in _INDICATORS if re.search(pattern, text)}


_FUELS = (("电力", r"电力|电网|用电|千瓦时|度电"), ("天然气", r"天然气|燃气"), ("汽油", r"汽油"), ("柴油", r"柴油"),
          ("液化石油气", r"液化石油气|液化气"), ("热力", r"热力|蒸汽"), ("煤炭", r"原煤|煤炭|烟煤|无烟煤"))


def _fuels_in(text: str) -> set[str]:
    """The kinds of energy `text` names (电力, 天然气, 汽油 …)."""
    return {name for name, pattern in _FUELS if re.search(pattern, text)}


def _building_kinds(text: str) -> set[str]:
    """The kinds of building `text` names (医院, 学校, 办公建筑 …)."""
    return {kind for kind, pattern in _BUILDING_KINDS if re.search(pattern, text)}


_EVENT_NAMES = (("城市节水宣传周", r"城市节(约用)?水宣传周"), ("垃圾分类宣传周", r"垃圾分类.{0,2}宣传周"),
                ("节能宣传周", r"(?<!水)(?<!分类)节能宣传周"), ("低碳日", r"低碳日"), ("中国水周", r"中国水周"),
                ("世界水日", r"世界水日"), ("环境日", r"环境日"), ("粮食日", r"粮食日"))


def _events_in(text: str) -> set[str]:
    """The yearly campaigns `text` names (节能宣传周, 低碳日, 城市节水宣传周 …)."""
    return {name for name, pattern in _EVENT_NAMES if re.search(pattern, text)}


def _main_parts(weights: dict[str, float]) -> set[str]:
    """The search terms of the whole term that carries more than MAIN_TERM_SHARE of the question's weight (with its
    parts: 绿色, 电力, 证书 … of 绿色电力证书); empty when no term does."""
    total = sum(weights.values())
    held = {t: sum(w for u, w in weights.items() if u in t) for t in _whole_terms(weights)}
    term = max(held, key=held.get, default=None)
    if term is None or len(term) < 2 or held[term] <= MAIN_TERM_SHARE * total:
        return set()
    return {u for u in weights if u in term and u != term} or {term}


def _whole_terms(weights: dict[str, float]) -> dict[str, float]:
    """The terms that are no part of another term: 标准煤, not its part 标准; 办公室, not 办公."""
    return {t: w for t, w in weights.items() if not any(t != u and t in u for u in weights)}


def _opening_of(hit: SearchHit, citations: list[Citation]) -> str:
    """A direct answer from the first sentence of a cited passage, with its citation; empty when it has none."""
    opening = next((s.strip() for s in quotable_sentences(hit.chunk.text) if len(s.strip()) >= MIN_LEAD_CHARS), "")
    number = next((i + 1 for i, c in enumerate(citations) if (c.doc_id, c.text) == (hit.chunk.doc_id, hit.chunk.text)),
                  0)
    return f"{opening.rstrip('。；;，, ')}（{citations[number - 1].label}）。[{number}]" if opening and number else ""


def _held_document(named: str, titles: list[str]) -> bool:
    """Whether one of the stored `titles` is the document `named`; users shorten titles (《十四五规划》, 《能耗定额编制
    通则》), so a title holding the named one's characters in order counts."""
    core = _title_core(named)
    return any(_same_document(named, t) or is_subsequence(core, _title_core(t)) for t in titles)


def _faq_answer(text: str, question: str) -> str:
    """Of a passage holding several bold questions and their answers, the part that asks `question` and answers it
    (the whole passage when it holds no such part)."""
    start = text.find(f"{FAQ_MARK}{question}**")
    if start < 0:
        return text
    end = text.find(FAQ_MARK, start + 1)
    return text[start:end if end > 0 else len(text)].strip()


def _faq_questions(hit: SearchHit) -> list[str]:
    """The questions a FAQ passage answers: its heading ("### 问：……"), or each bold question that opens a line
    ("**问：……？**")."""
    heading = next((h for h in reversed(hit.chunk.heading_path or ()) if h.startswith("问：")), None)
    if heading:
        return [heading[2:]]
    return re.findall("^" + re.escape(FAQ_MARK) + r"(.+?)\*\*", hit.chunk.text, flags=re.M)


def _sibling_named(question: str, said: str) -> tuple[str, str] | None:
    """(the name asked, the name said) when the sentence names another of the same kind and not the one asked."""
    for head in _NAME_HEADS:
        said_cores = {m.group(0) for m in re.finditer(r"[\u4e00-\u9fff]{2}" + head, said)}
        for found in re.finditer(r"[\u4e00-\u9fff]{2}" + head, question):
            if said_cores and found.group(0) not in said:
                return found.group(0), sorted(said_cores)[0]
    return None


_ABSENT = re.compile(r"(本知识库|知识库)(中)?(尚未|未|没有)(找到|收录|掌握)")


def _stated_absent(question: str, years: set[str], hits: Sequence[SearchHit], terms: Sequence[str]) -> str | None:
    """What a passage says it does not hold, when that is the question's year and place ("浙江2023年度省级因子本知识库
    尚未找到" for "浙江省2023年度电力排放因子是多少"), and one more of the question's `terms` (因子); None otherwise.
    (Not whether a plan is out yet, "十五五目标出了没": a passage saying it has not been published answers that.)"""
    places = {p for p in PROVINCES if p in question}
    if not years or not places:
        return None
    for hit in hits:
        for clause in re.split(r"[，,。；;！？\n]", hit.chunk.text):
            if _ABSENT.search(clause) and all(y in clause for y in years) and all(p in clause for p in places) \
                    and any(t in clause for t in terms if len(t) >= 2 and not t.isdigit() and t not in places):
                return f"{Citation.from_hit(hit).label}注明：{re.sub(r'^(但是?|不过|而|只是)', '', clause.strip())}。"
    return None


# "平台的具体功能模块、接入单位数量、接入计量表数量和建设投资，本知识库尚未掌握（待核实）": the items a passage lists as
# not held, each a thing and what of it (数量, 投资 …)
_LISTED_NOT_HELD = re.compile(r"([^。；：:]{4,80}?)[，,]?(本知识库)?(尚未掌握|尚未核实|尚未收录|未掌握|待核实)")
_ITEM = re.compile(r"(?:具体)?(?:的)?([\u4e00-\u9fff]{1,8}?)(数量|数目|个数|金额|投资|费用|规模)$")
_ITEM_ASKED = {"数量": r"(多少|几|几多|好多)(家|个|块|台|只|座|栋|所|套)?", "数目": r"(多少|几|几多)(家|个|块|台|只)?",
               "个数": r"(多少|几|几多)(家|个|块|台|只)?", "金额": r"多少钱|多少元|多少万|金额", "投资": r"投(了|入|资)",
               "费用": r"多少钱|费用", "规模": r"多大|规模"}


# "本知识库没有舟山公共建筑屋顶光伏的装机容量、覆盖建筑数量、年发电量和投资方式等数据": items named first
_NOT_HELD_LIST = re.compile(r"本知识库(没有|未收录|尚未掌握|不掌握|未掌握)([^。]{4,120}?)等?(数据|数字|信息)")
_SPECIFIC_ITEMS = {"装机容量": r"多少(千瓦|kW|兆瓦|MW)|装机|装了(多少|几多|好多)", "发电量": r"发(了)?(多少|几多|好多)度?电?|发电量",
                   "投资": r"投(了|入|资)|花了?(多少|几多)钱", "数量": r"(多少|几|几多|好多)(家|个|块|台|只|座|栋|所|套)"}


def _listed_unverified(question: str, hits: Sequence[SearchHit]) -> str | None:
    """A passage's list of items it does not hold, when the question asks one of them ("舟到e管家接了多少家单位、多少块
    计量表" against "……接入单位数量、接入计量表数量……本知识库尚未掌握"); None otherwise."""
    for hit in hits:
        for match in _NOT_HELD_LIST.finditer(hit.chunk.text):
            if match.group(2).strip()[:2] not in question or ("全国" in question and "全国" not in match.group(2)):
                continue  # the note is about another subject ("舟山……" against a question about the whole country)
            items = [i.strip() for i in re.split(r"[、，,]|和|及", match.group(2)) if i.strip()]
            for item in items:
                asked = next((pattern for key, pattern in _SPECIFIC_ITEMS.items() if key in item), None)
                if asked and re.search(asked, question):
                    return f"{Citation.from_hit(hit).label}注明本知识库没有{match.group(2).strip()}等数据，没有可以引用的确切数字。"
    for hit in hits:
        for match in _LISTED_NOT_HELD.finditer(hit.chunk.text):
            for item in re.split(r"[、，,]|和|及", match.group(1)):
                found = _ITEM.search(item.strip())
                if not found:
                    continue
                noun = found.group(1)[-2:]  # "接入计量表" → 量表, matched a word apart: "多少块计量表"
                if re.search(f"({_ITEM_ASKED[found.group(2)]}).{{0,2}}{re.escape(noun)}|{re.escape(noun)}.{{0,4}}"
                             f"({_ITEM_ASKED[found.group(2)]})", question):
                    return f"{Citation.from_hit(hit).label}注明{item.strip()}本知识库尚未掌握，没有可以引用的确切数字。"
    return None


def _lead_sentences(lead: str, question: str) -> list[str]:
    """The quoted sentences of a direct answer, without the question part each answers ("……归哪个部门管：第四条规定……"
    → "第四条规定……")."""
    parts = question_parts(question)
    out = []
    for line in lead.split("\n"):
        for part in parts if len(parts) > 1 else []:
            if line.startswith(f"{part}："):
                line = line[len(part) + 1:]
                break
        out.append(line)
    return out


def _same_code(lead: str, question: str) -> bool:
    """Whether the lead names a standard's code the question names too ("JS/T 301")."""
    def codes(text: str) -> set[str]:
        return {re.sub(r"\s", "", m.group(0)) for m in re.finditer(STANDARD_CODE, text)}
    return bool(codes(lead) & codes(question))


def _dated_otherwise(lead: str, hit: SearchHit, question: str) -> bool:
    """Whether a lead that names no year is dated, by the short sentence before it in its passage ("2022年度省级因子
    差别很大。较低的有……四川0.1404"), to a year other than the ones the question asks."""
    said = lead.split("（《")[0]
    asked_years = set(YEAR.findall(full_years(question)))
    if not asked_years or YEAR.search(said):
        return False
    at = hit.chunk.text.find(said[:12])
    if at <= 0:
        return False
    # (the lead may open mid-sentence, after "；": the sentence before is the one before the sentence it is in)
    opening = re.split(r"(?<=[。！？\n])", hit.chunk.text[:at])
    before = (opening[-2] if len(opening) > 1 else "").strip("。！？\n ")
    named = set(YEAR.findall(before))
    return len(before) <= DATING_SENTENCE and bool(named) and not named & asked_years


def _year_referred(lead: str, hits: list[SearchHit]) -> str | None:
    """The year a lead that opens with 同年/当年/该年 and names none means: the last year its passage names before it."""
    said = lead.split("（《")[0]
    if not re.match(r"(同年|当年|该年|这一年)", said) or YEAR.search(said):
        return None
    for hit in hits:
        at = hit.chunk.text.find(said[:12])
        if at > 0:
            before = YEAR.findall(hit.chunk.text[:at])
            return before[-1] if before else None
    return None


def _names_year(lead: str, year: str, question: str) -> bool:
    """Whether the lead is about `year`: for a 年度 figure ("2024年度……排放因子公布了没有"), not a date in that year or
    a notice number (2024年4月12日, 公告2024年第12号……发布2021年度……)."""
    lead = re.sub(r"（《[^》]*》[^）]*）", "", lead)  # not the cited title's year: "（《……成效（2025年末对比2020年）》）"
    # (a figure or data of that year asked: "广东有没有2023年的能耗数据" is not answered by "2023年1月3日发布的通知")
    figure = re.search(r"数据|数字|多少", question) and \
        not re.search(_WHEN + r"|几月|哪年|修订|修改|印发|发布|出台|实施", question)
    if f"{year}年度" not in question and not figure:
        return year in lead
    return re.search(f"(?<!公告){year}(?!年[0-9一二三四五六七八九十]+月|年第)", lead) is not None


def _unverified_in(lead: str) -> list[str]:
    """The titles cited, when every line of the direct answer is a document's note that the asked item is not
    verified (or a part the documents do not answer); empty when any line answers."""
    titles: list[str] = []
    for line in lead.splitlines() if lead else []:
        if line.endswith(NOT_FOUND):
            continue
        said, title = _with_source(line)
        if title is None or not is_unverified_note(said):
            return []
        if title not in titles:
            titles.append(title)
    return titles


# An item asked, what a sentence that gives it holds, and the words of a note saying it is not verified
_NOTED_IN_PASSAGE = (
    ("分成比例", re.compile(r"分成|[拿占分](几|多少)成|比例"), re.compile(r"[0-9]\s*(%|％)|百分之|[一二三四五六七八九十]成"),
     re.compile(r"分成|比例")),
    ("出处", re.compile(r"出自|出处|哪个文件|哪份文件|来源于?哪"), re.compile(r"《[^》]+》(?!）)"), re.compile(r"出处|来源")),
)


def _noted_in_passage(question: str, lead: str, citations: list[Citation]) -> str | None:
    """When the question asks a share ("节能公司拿几成") or a source ("0.11这个数出自哪个文件") and the one sentence
    answering gives none while its document's quoted passages note that very item as not verified ("……分成比例
    待核实", "……没有在权威文件中找到出处（待核实）"): that note, not the sentence, answers."""
    if not lead or len(lead.splitlines()) != 1:
        return None
    number = re.search(r"\[(\d+)\]", lead)
    if not number or int(number.group(1)) > len(citations):
        return None
    cited = citations[int(number.group(1)) - 1]
    said = lead.split("（《")[0]
    passages = [c.text for c in citations if c.doc_id == cited.doc_id]  # the document's passages quoted
    for item, asks, gives, noted in _NOTED_IN_PASSAGE:
        if asks.search(question) and not gives.search(said) and any(
                noted.search(s) and (is_unverified_note(s) or re.search(r"待核实|未核实", s))  # (a bracketed note too)
                for text in passages for s in quotable_sentences(text)):
            return f"{cited.label}注明所问的{item}尚未核实，没有可以引用的确切内容。"
    return None


def _with_source(line: str) -> tuple[str, str | None]:
    """A direct answer's line ("……（《公共机构节能条例》第十五条）。[1]") as what it says and the title it cites
    (None when it cites none)."""
    start = line.rfind("（《")
    title = re.match(r"《[^》]+》", line[start + 1:]) if start > 0 else None
    return (line[:start], title.group(0)) if title else (line, None)


def _asks_quantity(question: str) -> bool:
    """Whether a question asks a figure, count, date or span ("补助多少", "几家", "哪一年", "多久"), which a near
    passage's figure would answer wrongly; how, why, what and whether questions do not."""
    return bool(asked_figures(question) or first_figure(question) or _QUANTITY_OR_DATE.search(question))


def _best(hits: list[SearchHit]) -> float:
    """The coverage of the best-covering of the top four passages: the evidence an answer rests on."""
    return max((h.coverage for h in hits[:4]), default=0.0)


# A unit or a year the data do not hold: the question cannot be answered, said as every such answer is
_ABSENT_FROM_DATA = re.compile(r"未找到该单位|没有(20\d\d|19\d\d)年的|(20\d\d|19\d\d)年没有任何单位的数据")  # also a year with none


def _law_aliases(law: str) -> tuple[str, ...]:
    """How staff name a held law: in full, or shortened ("公共机构节能条例" → 节能条例, 条例; "节约能源法" → 节能法)."""
    if law.endswith("条例"):
        return law, law[-4:], "条例"
    return law, law.replace("节约能源", "节能")


def _not_in_data(message: str) -> str | None:
    """A lookup the data cannot answer ("未找到该单位“档案馆”…", "“市人民医院”没有2014年的数据…", "2027年没有任何单位的
    数据…"), led by the not-found sentence every unanswerable question gets; None for any other error."""
    if not _ABSENT_FROM_DATA.search(message):
        return None
    return NOT_FOUND + message.replace("未找到该单位", "能耗数据中没有单位", 1)


_LIST_START = re.compile(r"\s*(1[.、．]|[（(]1[)）]|[-*] )")


def _headed(hits: list[SearchHit]) -> list[SearchHit]:
    """A passage that is a list under its heading ("## 六、数据填报和计算的核对清单", then "1. 能源品种是否齐全……")
    read with that heading as its lead-in: its items are then quoted as what the heading names."""
    out = []
    for hit in hits:
        chunk = hit.chunk
        head = re.sub(r"^#+\s*", "", chunk.heading_path[-1]).strip() if chunk.heading_path else ""
        if head and not chunk.article and _LIST_START.match(chunk.text) and head not in chunk.text[:200]:
            hit = replace(hit, chunk=replace(chunk, text=f"{head.rstrip('：:')}：\n{chunk.text}"))
        out.append(hit)
    return out


def _without_data_notes(hits: list[SearchHit], question: str, about_data: bool) -> list[SearchHit]:
    """Outside a conversation about our data, the data's description answers only questions that name it (样例,
    海州): "大数据中心那种机房有啥节能办法" is not answered with the data notes that name 市大数据中心. Inside one, a
    question about how to report is answered by the rules."""
    if _DATA_NAMED.search(question) or (about_data and not _HOW_TO_REPORT.search(question) and
                                        not _HOW_A_RULE_COUNTS.search(question) and
                                        not _TERM_OR_CONDITION.search(question) and
                                        not _WHAT_FOLLOWS.search(question)):
        return hits
    return [h for h in hits if h.chunk.doc_type != "data"]


def _quoted_also(used: list[SearchHit], hits: list[SearchHit], kind: Callable[[SearchHit], bool],
                 coverage: float) -> list[SearchHit]:
    """`used` with the first of `hits` of that kind covering the question this well, when `used` has none of it."""
    if any(kind(h) for h in used):
        return used
    source = next((h for h in hits if kind(h) and h.coverage >= coverage), None)
    return used + [source] if source is not None else used


def _distinct_documents(hits: list[SearchHit], limit: int) -> list[SearchHit]:
    """The best passage of each of the first `limit` documents, in rank order: three passages of one document
    would crowd out a second document that answers the question better."""
    seen: set[str] = set()
    out = []
    for hit in hits:
        if hit.chunk.doc_id not in seen:
            seen.add(hit.chunk.doc_id)
            out.append(hit)
    return out[:limit]


def _without_instructions(text: str) -> str:
    return "".join(quotable_sentences(text))


def _factor_set(question: str) -> str:
    year = "2023" if "2023" in question and "因子" in question else "2022"
    if "华东" in question:
        return f"east_china_{year}"
    if "浙江" in question:
        return "zhejiang_2022"
    return f"national_{year}"
