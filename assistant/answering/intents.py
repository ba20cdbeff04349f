"""Offline question understanding: intent and slots (institution, years, month, metric, category, draft kind).

Rules, not a model: staff questions about their own data are short and formulaic ("行政中心2024年单位面积能耗
多少？比2020年降了多少？"), and a rule that misfires can be read and fixed. Follow-ups ("那2023年呢？",
"和实验中学比呢？") inherit the previous question's slots.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from assistant.ingest.chunking import find_article
from assistant.numerals import chinese_to_int, full_years
from assistant.records.metrics import metric_synonyms
from assistant.retrieval.colloquial import pauses_as_commas

INTENTS = ("indicator", "compare", "rank", "quota", "budget", "carbon", "anomaly", "trend", "convert", "coverage",
           "knowledge", "draft", "greeting", "out_of_scope")
Tagger = Callable[[str], list[tuple[str, str]]]  # text -> (word, jieba part-of-speech flag) pairs
NUMERIC_INTENTS = {"indicator", "compare", "rank", "quota", "budget", "carbon", "anomaly", "trend"}
# Questions a follow-up does not continue: about the rules, a greeting, out of scope, a one-off conversion.
NO_DATA_CONTEXT = {"knowledge", "greeting", "out_of_scope", "convert"}
ALL_WORDS = ("全部单位", "所有单位", "全市", "全部", "各单位", "整体", "总体", "合计", "整个市", "咱们市", "我们市", "咱市",
             "各家")
# One vocabulary for "every institution at once", used two ways:
# - ALL_UNITS: the question has a data target although it names no unit ("哪些单位超定额了", "全市用电排名");
# - WHOLE_CITY: in a data question, a bare 哪个/哪些 also means every unit ("哪个预算最紧张"), so the question is
#   never narrowed to the last unit asked, and a follow-up with it asks a new whole-city question. Bare 哪个 is not
#   a data target by itself ("哪个部门管").
# "整体走势" of the unit being discussed is its overall trend, not every unit's ("全市整体呢" still names all units).
_OVERALL_OF_ONE = r"(整体|总体)(走势|趋势|变化|情况|上|来看|降|升|下降|上升|涨|减)|全部(排|列|都|看)"  # "其他类的几家全部排一下": all of those
_COUNTED_ALL = r"(?<![前这那后\d])\d{2,3}家单位.{0,12}(加起来|一共|合计|总共|总量)"  # "46家单位……加起来一共多少"
_EVERY_UNIT = (r"(哪些|哪几个?|哪个|哪家|各|所有|全部|每个|每家)(单位|机关|学校|医院|场馆|家)|哪家|谁家|全市|咱市|本市|我市|"
               r"整个市|咱们市|我们市|有没有单位|有单位|各家|(有|共|一共)(几|多少)家|的(都)?有(哪些|哪几家?|谁)|的单位[?？]?$|"
               r"全部|所有单位|各单位|" + _COUNTED_ALL)
# Asking for an order of units: one vocabulary for the data target (ALL_UNITS), the intent and the data check.
_RANK_WORDS = (r"排名|排行|排序|排个名|排一下|排一排|排一遍|再排|重新排|排个序|排下序|排下名|排第几|排老几|第几名|名次|"
               r"(怎么|咋|如何)排(?!查|放|水|污|气)|按[^，,。；]{1,10}(?<![安编])排(?!查|放|水|污|气|除|名|行|序|班)|"
               r"全排|排出来|[从由](高|大|多)到(低|小|少)|[从由](低|小|少)到(高|大|多)|"
               r"前\d+|前[一二两三四五六七八九十]+[名位家]|"
               r"前([2-9]|[二两三四五六七八九十])(?=$|[呢的是吧?？列给都单家有里，,。]|看看)|用能大户|耗能大户|排排")
_RANKING = _RANK_WORDS + "|最紧"
# A superlative ranks units only when the question asks which unit ("用电最多的是哪家"); "空调最低能开到多少度" is a
# rule about a temperature, "电网排放因子哪个省最低" a question about provinces.
_WHICH_UNIT = r"(哪(个|家|几家|两家|些)?(?!个?(省|市|国|地区|城市|区域|行业|年|月|类|种))|谁|单位|家)"
_MOST = r"(最高|最低|最多|最少|最大|最小|最(费|耗|省)([电水气能]|(?=的)))"  # "最费电的是哪家", "那最省的呢"
_SUPERLATIVE = f"{_MOST}(?=.*{_WHICH_UNIT})|{_WHICH_UNIT}.*{_MOST}"
ALL_UNITS = re.compile(f"{_EVERY_UNIT}|{_RANKING}|{_SUPERLATIVE}|超定额|超预算|超标(?!准)|超了")
WHOLE_CITY = re.compile(f"{_EVERY_UNIT}|哪些|哪几|哪个(?!月|季度|年)|所有|最紧|最高的几|排名|最[高低多少紧]的?前|"
                        r"^(那|那么)?最[高低多少省费大小]的(呢|是(哪|谁))|名单|"
                        r"最[高低多少紧]的?([2-9]|10|[二两三四五六七八九十])个?(单位|家)")  # not "前三名呢": that narrows a list
CATEGORY_WORDS = {"党政机关": "党政机关", "机关": "党政机关", "学校": "学校", "中小学": "学校", "高校": "学校",
                  "医院": "医院", "医疗": "医院", "文化场馆": "文化场馆", "场馆": "文化场馆", "其他": "其他"}
_GREETING = re.compile(r"^(你好|您好|hi|hello|嗨|在吗|早上好|下午好|晚上好|谢谢|多谢|感谢|辛苦了|你是谁|你能做什么|"
                       r"能做什么|怎么用|帮助|help)[！!。.？?，,～~\s]*(你好|您好)?[！!。.？?\s]*$", re.I)
_OUT_OF_SCOPE = re.compile(
    r"天气|股票|股市|基金|彩票|电影|电视剧|明星|菜谱|做菜|怎么做饭|个人所得税|个税|房价|买房|足球|篮球|比赛结果|写诗|作诗|"
    r"笑话|星座|算命|旅游攻略|机票|火车票|减肥|游戏|翻译成英文|世界杯|演唱会|汇率|比特币|高考分数|"
    # staff affairs and office chores that share the field's words (预算, 会议室, 电脑)
    r"放假安排|调休|年休假|公积金|(?<!人力)社保(?!局)|培训费|差旅费|出差补助|伙食补助|糖醋|红烧|排骨|"
    r"(连|共享|添加|装)(?!不上)[^，,。？?]{0,8}打印机(?!.{0,4}(待机|关|断电|节能))|打印机驱动|会议室(怎么|咋|如何)?(预约|预定|预订|订)")
# A forecast ("明天杭州下不下雨", "明天舟山有台风吗 轮渡停不停"): what the weather will do, which no document holds
_FORECAST = re.compile(r"(明天|后天|今晚|今天|这周|周末|下周|这几天)[^，,。？?]{0,8}(下不下雨|下雨|有雨|雨没|台风|降温|下雪|刮风|"
                       r"晴不晴|天晴|多少度|几度)|(台风|暴雨)[^，,。？?]{0,6}(要来|来不来|停不停|停航|登陆)|轮渡停")
# A household's or a person's own affairs ("家里空调外机滴水", "私家车年检"), with nothing about an institution, its staff
# or a campaign: not 公共机构 work, whatever domain words it shares
_PERSONAL = re.compile(r"(?<![一二两三四五六七八九十几各哪这那每多全有0-9专大])家(里|中)|我家|自己家|私家电?车|(?<![本该])小区|"
                       r"我(那|的|这|自己的?)(辆|台)?(车|小车|电动车|摩托车?)|(老婆|老公|爸妈|孩子|娃|对象)(的|说|让|要)")
_INSTITUTIONAL = re.compile(r"单位|机关|公共机构|职工|干部|员工|宣传|倡议|活动|带动|示范|学校|医院|办公")
# A device's fault and how to fix it ("电脑连不上打印机，一直显示脱机，咋弄", "太阳能热水器冬天不热是咋回事"): repair
# work, which no policy, standard or case answers; a meter's fault is a question about our data (DATA_FAULT)
_FAULT = re.compile(r"连不上|脱机|死机|蓝屏|黑屏|没反应|不制冷|不制热|(冬天|水)不热|坏了|失灵|报错|卡住|卡顿|跳闸|"
                    r"一闪一闪|漏电|异响|滴水")
# A brand or a product recommended ("食堂饭菜保温用什么保温台好 推荐个牌子", "节能灯哪个牌子好"): no document names one
_BRAND = re.compile(r"推荐[^，,。？?]{0,4}(牌子|品牌|厂家|厂商|型号)|(哪个|哪家|哪种|什么|啥)(牌子|品牌|厂家|厂商)[^，,。？?]{0,4}"
                    r"(好|靠谱|耐用|省电|便宜|划算|比较|更)")
_FIX_ASKED = re.compile(r"咋|怎么|如何|为啥|为什么|原因|回事|是不是|正常吗|修|办法")
_METER = re.compile(r"电表|水表|气表|表计|计量|读数|抄表|数据")
_ASKING_CLAUSE = re.compile(r"咋|怎么|如何|什么|啥|哪|多少|几|吗|是否")  # a clause that asks, not one that tells
_WRITE_FOR_ME = re.compile(r"帮我|给我|替我|起草|草拟|拟|模板|范文|你(来)?写|能写|可以写")  # a request to write
_DRAFT = re.compile(r"(起草|草拟|拟写|拟一份|撰写|帮我写|写一份|写一个|写份|写个|写一篇|生成一份|出一份|做一份|来一份|准备一份)")
_DRAFT_KINDS = [  # (keyword pattern, kind id) — most specific first
    (r"倡议", "initiative"), (r"活动方案|宣传周方案|实施方案", "campaign-plan"), (r"通知", "event-notice"),
    (r"新闻|通稿", "press-release"), (r"标语|口号", "slogans"), (r"海报|展板", "poster"),
    (r"预算执行|执行情况报告", "budget-report"), (r"统计分析|消费统计", "consumption-report"),
    (r"自评", "self-assessment"), (r"节水型|节水单位", "water-saving"),
    (r"节能量确认|托管项目|合同能源管理项目", "emc-savings"), (r"审计", "audit-outline"),
]
# Kinds any office writes about anything: GreenLeaf drafts them about energy and water saving only
_GENERIC_KINDS = {"event-notice", "press-release", "slogans", "poster", "campaign-plan"}
_DRAFT_DOMAIN = re.compile(r"节能|节水|节电|节约|低碳|绿色|环保|宣传周|低碳日|水日|水周|粮食日|环境日|垃圾|光盘|能耗|能源|"
                           r"碳|用能|用电|用水|预算|定额|公共机构|示范|领跑|无废|减排|光伏|充电|空调|照明|浪费|生态")
# "系统里最新的能耗数据是哪一年的？", "数据有哪几年": what the imported data cover.
_COVERAGE = re.compile(r"(最新|最近)的?.{0,8}数据.{0,6}(哪一?年|年份|哪个月|几月|什么时候)|数据.{0,6}(覆盖|有)哪(几|些)年|"
                       r"(数据|能耗).{0,4}(截至|截止|到)(哪一?年|什么时候)|(系统|数据)里.{0,6}(多少|几)家单位|"
                       r"有哪(几|些)年的.{0,4}数据|最新(的)?是哪一?年|哪一?年的数据|"
                       r"(能查|查得?到|有)(到)?(最近|最新|最晚)(哪一?年|几几年)的?(数据|数)|"
                       r"数据.{0,6}(最晚|最新|最近)?到?几几年|(几几年|哪几年)的(数据|数)")
_CONVERT = re.compile(r"(\d+(?:\.\d+)?)\s*(万千瓦时|万kWh|千瓦时|度电|度|kWh|立方米天然气|立方米|m³|m3|升汽油|升柴油|升|L|"
                      r"千克|公斤|kg|吨标准煤|吨标煤|tce|千克标准煤|kgce|吨)", re.I)


@dataclass(frozen=True)
class Understanding:
    intent: str
    slots: dict[str, Any] = field(default_factory=dict)
    unknown_institution: str | None = None  # a phrase that looks like a unit name but matches none
    ambiguous: tuple[str, ...] = ()  # candidates when a name matches several units

    def to_dict(self) -> dict:
        return {"intent": self.intent, "slots": dict(self.slots)}


# "卫健委的。23年超预算的单位有哪些", "实验中学总务处，二中今年用电量多少": a message that opens by saying who asks
# ("我们是区教育局，二中2025年用电多少": 我们是/我是/我在 and a name, then a comma)
SELF_INTRO = (r"^(?:[^，,。？?]{2,14}?(的[。，,]|(后勤|总务|办公室|财务|能源)(处|科|股|室)?(的)?[。，,])|"
              r"(?:我们?是|我在|这边是)[^，,。？?比]{2,12}[，,。])")
# "我是说全市的综合能耗，不是行政中心的": the unit the user turns away from is not asked about
_NOT_THIS = re.compile(r"(而?不是|并非|不要)[^，,。？?]{1,14}?(的|了|呢|$|(?=[，,。？?]))")
# "搞错了 是我们第一实验中学", "不对，我说的是中医院": a correction of the question just asked
# "不是疾控，是……", "不好意思我说错了，是科技馆"
# "哦不对，我想看的是实验小学"
CORRECTION = (r"^((不好意思|抱歉|对不起|哎呀?|啊|哦|噢)[，,]?(我)?(刚才)?)?"
              r"(不对|搞错了|弄错了|说错了|打错了|写错了|错了|我说的是|我是说|我问的是|我指的是|我(想|要)(看|查|问)的是|"
              r"不是.{1,12}[，,]\s*(而)?是)")


# "预算先放一放。同一年，有哪些单位超了约束值？", "预算就到这。……": the topic set aside is not what is asked
_SET_ASIDE = re.compile(r"^[^，,。；;！!？?]{1,10}?(先放一放|先放放|放一放|先放一边|就到这里?|先到这里?|先不(看|说|管|聊)了?|"
                        r"不(看|说|管|聊)了)[，,。；;！!]+")


# "2017年车改以后呢", "22年新楼投用那年的呢": the same figure of a year named by what happened then
_YEAR_OF_AN_EVENT = re.compile(r"(那|那么)?20\d\d年?[\u4e00-\u9fff]{1,8}?(以后|之后|以前|之前|那年|那一年|那会儿?)的?(呢|吧)[？?。]?")
# "需不需要主动跟机关事务局打个报告解释一下": the body a report goes to is not the unit asked about
_ADDRESSEE = re.compile(r"(跟|向|找|报给|交给|报送给?)([^，,。？?\s]{2,10}?)(打个?报告|报告|报备|备案|作出?说明|写说明|汇报|解释|申请)")


def understand(question: str, institutions: list[str], context: dict | None = None,
               today: date | None = None, latest_year: int | None = None,
               tagger: Tagger | None = None) -> Understanding:
    """Classify a question and fill its slots; `context` is the previous question's slots and intent. `tagger`
    gives (word, part of speech) pairs: the knowledge base's own tokenizer, so jieba's dictionary is loaded once
    per process (jieba's global tokenizer when None).

    A ranking asked for one unit's place ("我们排第几", "二中在学校里排老几") lists every unit and names that unit
    in the slot `place_of`; a quota or budget check asked whether one unit is among those over ("超了预算的单位里有我们
    吗") checks every unit and names that unit in the slot `member_of`."""
    question = _SET_ASIDE.sub("", question) or question
    u = _understand(question, institutions, context, today, latest_year, tagger)
    if u.intent == "compare" and u.slots.get("year") and u.slots.get("year") == u.slots.get("base_year") and \
            latest_year and latest_year > u.slots["year"]:
        # "跟2022年比，我们降了多少" while 2022 is discussed: a year against itself is the latest against it
        u = Understanding("compare", {**u.slots, "year": latest_year}, u.unknown_institution, u.ambiguous)
    before = (context or {}).get("slots", {})
    normalised = _normalise(question)
    member = MEMBER_ASKED.search(normalised)
    unit = u.slots.get("institution")
    if member and unit == "全部":  # "今年哪些单位超了预算，我们在不在里面": the unit is named beside the list
        unit = next(iter(_find_institutions(normalised, institutions)[0]), None)
    if u.intent in {"quota", "budget"} and unit not in (None, "全部") and not u.ambiguous and member:
        slots = {k: v for k, v in u.slots.items() if k != "other_institution"}
        return Understanding(u.intent, {**slots, "institution": "全部", "member_of": unit})
    size = _size_or_fuel(normalised, u, before, context) if not _other_place(normalised, institutions, tagger) else None
    asked_part = asking_part(normalised)
    absent = next((label for pattern, label in _NOT_RECORDED if pattern.search(asked_part)), None)
    if absent == _STAFF and u.intent == "knowledge" and not u.ambiguous and \
            len(_find_institutions(normalised, institutions)[0]) == 1:
        # "人民医院能源管理岗具体是哪个科室谁在负责": who works where in one of our units is in no document either
        unit = _find_institutions(normalised, institutions)[0][0]
        return Understanding("indicator", {"institution": unit, "not_recorded": absent})
    if absent and (size or u).intent in NUMERIC_INTENTS and not u.ambiguous:
        # "市财政局2024年电费花了多少钱", "供暖面积多少平方米": the data hold no such column; a figure of another
        # column would pass for it
        return Understanding((size or u).intent, {**(size or u).slots, "not_recorded": absent})
    if size is not None:
        return size
    # "这个数在全市算啥水平" right after a unit's figure: no metric word of its own, the figure discussed
    about_figure = u.intent == "knowledge" and (context or {}).get("intent") in NUMERIC_INTENTS and "metric" in before
    if (u.intent not in {"rank", "indicator"} and not about_figure) or u.ambiguous or \
            not PLACE_ASKED.search(normalised):
        return u
    own = u.slots.get("institution")
    unit = own if own not in (None, "全部") else before.get("institution")
    if unit in (None, "全部"):
        return u
    kept = {k: v for k, v in before.items() if k in {"metric", "year"}} if about_figure else {}
    slots = {k: v for k, v in u.slots.items() if k not in {"institution", "other_institution", "top", "lowest"}}
    return Understanding("rank", {**kept, **slots, "top": 0, "place_of": unit})


_STAFF = "人员和联系方式"
# What a unit's records do not hold, asked as a unit's or the city's figure: money, heated area, solar output,
# chargers, purchased heat, vehicles' fuel per 100 km, and who the staff are
_NOT_RECORDED = (
    (re.compile(r"(电费|水费|燃气费|气费|能源费用?|费用)[^，。？?]{0,8}(多少钱|多少元|几多钱|多少万|按元|花了?多少)|"
                r"花了?(多少|几多)钱|(多少|几多)钱|(按|折成|多少)(万)?元"), "费用金额"),
    (re.compile(r"(供暖|采暖|供热|空调)面积"), "供暖面积"),
    (re.compile(r"发电量|发了?(多少|几多)度?电|光伏[^，。？?]{0,6}(发|装机|多少千瓦)"), "光伏发电量"),
    (re.compile(r"充电桩[^，。？?]{0,6}(多少|几)|(多少|几)个?充电桩"), "充电桩数量"),
    (re.compile(r"(外购|集中)?(热力|供热量|蒸汽)[^，。？?]{0,6}(多少|几多)|(多少|几多)吨?(外购)?(热力|蒸汽)|吉焦|GJ", re.I), "外购热力"),
    (re.compile(r"百公里油耗|(车|车辆)[^，。？?]{0,6}(多少辆|几辆)"), "车辆情况"),
    # the data's fuels are electricity, natural gas, petrol and diesel; headcount is 用能人数, not the 编制
    (re.compile(r"液化气|液化石油气|LPG|煤气罐|燃料油|煤炭|原煤|生物质|木炭|甲醇", re.I), "其他燃料用量"),
    (re.compile(r"编制(人数|数|内)|在编"), "编制人数"),
    (re.compile(r"(管理员|负责人|联系人|能管员|[科处股]长|主任|局长|馆长|院长|校长)[^，。？?]{0,4}(叫啥|叫什么|姓名|名字|是谁)|"
                r"(电话|手机|联系方式)(号码?)?(是)?多少|(怎么|如何|咋)联系|(谁|哪位)在(负责|管|分管)|具体(是)?(谁|哪位)|哪个科室"),
     _STAFF),
    (re.compile(r"分项(计量)?的?(数据|用电|电量)|(空调|照明|动力|插座|电梯|机房|食堂)(系统)?的?用电量?[^，。？?]{0,10}(占|比例)|"
                r"按小时|逐时|负荷曲线|几点钟?的?用电|每天几点|峰谷"), "分项或逐时用电"),
    (re.compile(r"(科长|主任|处长|局长|负责人|管理员|能管员)[^，。？?]{0,6}(分管|负责|管)[^，。？?]{0,3}(哪|几|什么|啥)"), "人员分工"),
)

# A unit's size or one fuel's quantity, which the indicators report beside the metrics: "建筑面积多大", "它有多少人",
# "用了多少方天然气", "汽油用了多少升"
_SIZE_OR_FUEL = (
    (re.compile(r"建筑面积(有|是)?(多大|多少)|建筑面积(呢|的呢)?[?？]?$|面积(有|是)?多大|(有|是)多少平(方米?|米)?(?![均方米]?[^，。？?]{0,3}(能耗|碳|排))"),
     "floor_area"),
    (re.compile(r"用能人数(是|有)?多少|用能人数(呢|的呢)?[?？]?$|(有|共|一共)多少(个)?人(?!均)|有几个人"), "headcount"),
    (re.compile(r"(天然气|燃气|用气量?)(用了?|耗了?|消耗了?|用量)?(是|有)?(多少|几)|^(那|那么)?(天然气|燃气)(呢|的呢)[?？]?$|(多少|几)(方|立方米?)(的)?(天然)?气"),
     "natural_gas"),
    (re.compile(r"汽油(用了?|耗了?|用量)?(是|有)?(多少|几)|^(那|那么)?汽油(呢|的呢)[?？]?$|(多少|几)升(的)?汽油"), "gasoline"),
    (re.compile(r"柴油(用了?|耗了?|用量)?(是|有)?(多少|几)|^(那|那么)?柴油(呢|的呢)[?？]?$|(多少|几)升(的)?柴油"), "diesel"),
)


def _size_or_fuel(text: str, u: Understanding, before: dict, context: dict | None) -> Understanding | None:
    """A unit's floor area, head count or one fuel's quantity, asked of a unit named or being discussed (slot
    `asked`); None for anything else, a question about rules ("建筑面积怎么填") or one with a metric of its own."""
    asked = next((key for pattern, key in _SIZE_OR_FUEL if pattern.search(text)), None)
    if asked is None or u.intent not in {"knowledge", "indicator"} or u.ambiguous or _KNOWLEDGE_ASKS.search(text) \
            or re.search(r"怎么|咋|如何|算不算|要不要|能不能|填|算[^一]|属于|以上|以下|标准", text):
        return None
    if _metric(text) and asked in {"floor_area", "headcount"}:
        return None  # "人均综合能耗多少" asks a metric; its head count is not what is asked
    discussed = (context or {}).get("intent") in NUMERIC_INTENTS and before.get("institution") not in (None, "全部")
    unit = u.slots.get("institution") or (before["institution"] if discussed else None)
    if unit in (None, "全部"):
        return None
    year = u.slots.get("year") or (before.get("year") if discussed else None)
    return Understanding("indicator", {"institution": unit, **({"year": year} if year else {}), "asked": asked})


def _understand(question: str, institutions: list[str], context: dict | None = None,
                today: date | None = None, latest_year: int | None = None,
                tagger: Tagger | None = None) -> Understanding:
    today = today or date.today()
    text = _as_asked(_normalise(question), context)
    if _GREETING.match(text):
        return Understanding("greeting")
    if (_OUT_OF_SCOPE.search(text) or _FORECAST.search(text) or
            (_PERSONAL.search(text) and not _INSTITUTIONAL.search(text))) and not (
            _metric(text) and re.search(f"{_RANKING}|{WHOLE_CITY.pattern}|20\\d\\d|今年|去年", text)):
        # (not "今年夏天天气热，全市用电最多的前五家": the weather is the scene of a question about our figures)
        return Understanding("out_of_scope")
    if _FAULT.search(text) and _FIX_ASKED.search(text) and not _METER.search(text):
        return Understanding("out_of_scope", {"repair": True})
    if _BRAND.search(text):
        return Understanding("out_of_scope", {"brand": True})
    slots: dict[str, Any] = {}
    intro = re.match(SELF_INTRO, text)
    if intro:
        text = text[:intro.end()] + _own_district(text[:intro.end()], text[intro.end():], institutions)
    names, ambiguous = _find_institutions(_ADDRESSEE.sub(r"\1\3", text), institutions)
    if intro and not names and not ambiguous:
        # "我是东港区机关事务局的，……想看下我们区政府2024年综合能耗": a district body we do not hold asks about a unit
        names, ambiguous = _find_institutions(text[intro.end():], institutions)
    final = _last_clause(text)
    if intro and len(names) > 1 and not re.search(r"^[^，,。？?]{0,3}(和|跟|与|同)[^，,。？?]{1,12}比", text[intro.end():]):
        # (not "我们是二中，和一中比……": who asks is one side of the comparison)
        # "实验中学总务处，二中今年用电量多少": who asks is not what is asked
        asked_names = _find_institutions(text[intro.end():], institutions)[0]
        own_names = _find_institutions(text[:intro.end()], institutions)[0]
        if own_names and not _find_institutions(final, institutions)[0] and re.search(r"我们|咱们?|我单位|本单位", final):
            names = own_names  # "我是第三小学总务处的，教育局说我们学校用电涨得厉害。2025年我们用电多少度？"
        else:
            names = asked_names or names
    if not names and not ambiguous and ((NATIONAL_BODY.search(text) and not ALL_UNITS.search(text)) or
                                        _ISSUED_BY.search(text)):
        # "水利部2019年那个机关用水定额，南方地区的通用值是多少": a national body's standard or figure, not our data
        return Understanding("knowledge", slots)
    turned_away = _NOT_THIS.sub("，", text)
    if turned_away != text and names:
        names = _find_institutions(turned_away, institutions)[0]  # "全市的综合能耗，不是行政中心的"
    wider = _WIDER_SCOPE.search(final) and not any(w in final for w in ALL_WORDS)
    if (any(w in re.sub(_OVERALL_OF_ONE, "", text) for w in ALL_WORDS) or re.search(_COUNTED_ALL, text)) and \
            not names and not wider:
        names = ["全部"]  # (not "我在写全市……总结，……2021年那一年全国人均综合能耗是多少": the country's figure)
    if names:
        slots["institution"] = names[0]
        if len(names) > 1:
            slots["other_institution"] = names[1]
    asked = asking_part(text)  # a long message's question, after the scene it sets
    years = _years(text, today, latest_year)
    question_clause = asking_part(text, short_too=True)
    if intro and names and names[0] != "全部" and re.search(_EVERY_UNIT, text[intro.end():]) and \
            not re.search(r"我们|咱们?|我单位|本单位|自己", final) and \
            not _find_institutions(text[intro.end():], institutions)[0]:
        # "我这边是市公安局的，……，帮我查下2021年超定额的单位": who asks, then the city's list
        names = ["全部"]
        slots["institution"] = "全部"
        slots.pop("other_institution", None)
    scene = text[:len(text) - len(question_clause)] if text.endswith(question_clause) else ""
    # a short message's scene is an event dated before the question ("行政中心2022年起搞托管，2021年它综合能耗多少")
    scened = question_clause if asked != text or re.search(r"20\d\d年(起|开始|以后|之后|底|初)", scene) else asked
    asked_years = _years(scened, today, latest_year)
    scene_years = bool(asked_years) and len(years) > len(asked_years) and scened != text
    if scene_years:
        years = asked_years  # "行政中心22年开始搞能源托管了，你帮我看下2021年它用电多少": the scene's year is not asked
    if len(years) == 1:
        slots["year"] = years[0]
    elif years:
        slots["year"], slots["base_year"] = max(years), min(years)
    if re.search(r"十四五以来|较基准年|比基准年|和基准年|较2020|十四五期间|十三五末|十三五最后一年|十三五收官|十四五基期|"
                 r"(跟|和|与|比|较)基期", text) and \
            "base_year" not in slots:
        slots["base_year"] = 2020
    elif re.search(r"十四五(第一年|头一年|首年|开局那?年|开局之年|开局(?![前以之]))", text) and "base_year" not in slots:
        slots["base_year"] = 2021
    elif re.search(r"十四五(开局|开始|第一年)?(之?前|以前)(那|的)?一?年|十四五前一年", text) and "base_year" not in slots:
        slots["base_year"] = 2020  # "跟十四五开局前那年比": 2020, the base year
    if slots.get("year") and slots.get("year") == slots.get("base_year"):
        slots.pop("year")  # "跟十四五开局那年，就是2021年比呢": 2021 is the base, not the year asked
    recent = re.search(r"近([两二三四五六七八九十]|[2-9]|1[0-9])年", text)
    if recent and "base_year" not in slots:
        span = chinese_to_int(recent.group(1).replace("两", "二")) if not recent.group(1).isdigit() else int(recent.group(1))
        end = slots.get("year") or latest_year
        if span and end:
            slots["year"], slots["base_year"] = end, end - span + 1  # "近五年" up to 2025 is 2021–2025
    month = _through_month(text)
    if month:
        slots["month"] = month
    metric = (intro and _metric(text[intro.end():])) or _metric(text)  # not the 能耗 of "我是……管能耗的，我们……用电"
    lead = None if metric else re.match(r"(那|那么)?(水|电)(?=也|方面|这块|这边)", text)
    if lead:
        metric = "water" if lead.group(2) == "水" else "electricity"  # "水也同比看看" after a unit's electricity
    first = re.search(r"先(给|要|看|查|报)(我)?([^，,。；;]*)", text)
    if first and _metric(first.group(3)):
        metric = _metric(first.group(3))  # "……人均综合能耗、单位建筑面积能耗两项指标，先给人均综合能耗"
    if metric:
        slots["metric"] = metric
    programme_free, asked_free = _NOT_A_CATEGORY.sub("", text), _NOT_A_CATEGORY.sub("", asked)
    # the category of the asking clause first: "……教育局让我们出个通报。你先把6所学校……排出来" is about schools
    # and the one turned to ("党政机关一家都没有？那学校里呢？": schools)
    turned = re.search(r"那(么)?(" + "|".join(k for k in CATEGORY_WORDS if k != "其他") + ")", programme_free)
    category = CATEGORY_WORDS[turned.group(2)] if turned and names in ([], ["全部"]) else \
        next((v for where in (asked_free, programme_free) for k, v in CATEGORY_WORDS.items()
              if k in where and names in ([], ["全部"])), None)
    if category:
        slots["category"] = category
    top = re.search(r"前\s*(\d+|[一二两三四五六七八九十]+)\s*(名|位|个|家)?", text) or \
        re.search(r"倒数\s*(\d+|[二两三四五六七八九十]+)\s*(名|位|个|家)", text) or \
        re.search(r"的(\d+|[二两三四五六七八九十]+)(家|个单位)", text) or \
        re.search(r"排头\s*(\d+|[二两三四五六七八九十]+)\s*(家|个|名|位)", text) or \
        re.search(r"(\d+|[二两三四五六七八九十]+)(所|家|个)都?列", text)  # "用得最狠的五家", "六所都列出来"
    if top and not re.search(r"前(\d+|[一二两三四五六七八九十]+)个?(月|季度|年|天|周)", text):
        slots["top"] = int(top.group(1)) if top.group(1).isdigit() else chinese_to_int(top.group(1))
    elif re.search(r"(只|就)(要|看)第一|第一名?(是哪家)?就[行好够]|要第一名", text) or ONE_OF_THE_LIST.fullmatch(text) or \
            (_FIRST_OF_METRIC.search(text) and metric):
        slots["top"] = 1  # "只要第一" after a list of five; "2024年全市综合能耗第一"
    elif next_places := _NEXT_PLACES.search(text):
        slots["top"] = chinese_to_int(next_places.group(3))  # "第二第三也给我": down to the third
    elif re.search(r"全排|全部排|都排|排全|全列|全部(单位)?都?列出|都列出来|(排名|排序|排行)[，,、\s]*(要|看)?全部|"
                   r"从高到低.{0,3}全部|全部.{0,3}从高到低|"
                   r"\d+家(单位)?(全部|都要|全要)|(全部|所有)\d+家.{0,4}(排|列)", text):
        slots["top"] = 0  # "在场馆里排第几，全排出来看看": every unit, not the first ten
    elif "category" in slots and not names and re.search(r"依次|分别|各自|各是|每家|各家", text):
        slots["top"] = 0  # "三家医院今年人均用水依次是多少": every unit of the kind, in order

    if re.search(r"最(低|少|小|省)|倒数(前)?([2-9]|10|[几两二三四五六七八九十])|[从由]低到高|垫底的?([2-9]|10|[几两二三四五六七八九十])",
                 text) or (ONE_OF_THE_LIST.fullmatch(text) and "倒数" in text):
        # "人均能耗最低的五家", "倒数前三": the ranking from the bottom (every unit listed: still from the top,
        # "全排出来，我要看倒数几名")
        slots["lowest"] = slots.get("top") != 0
    elif re.search(r"最(高|多|大|费|耗)|[从由]高到低", text):
        slots["lowest"] = False  # "最高的呢" after the lowest five
    # "电梯有啥马上能做的省电措施 处里让写个倡议": why one asks, not a request to draft
    clauses = [c for c in re.split(r"[，,；;。]", text) if c.strip()]
    last = clauses[-1] if clauses else ""
    # (also "局长让我写个全市用能的总结……全市今年综合能耗一共是多少": a figure for the piece, asked now)
    told_to_write = re.search(r"让(我|咱|我们)?写", text) and not re.search(r"帮我|给我|替我|起草|草拟|拟", text) and \
        (re.search(r"有啥|有什么|哪些|什么|吗", text) or (_metric(last) and re.search(r"多少|几", last)))
    # "写行政中心节约型机关自评报告，先给我25年的每平米能耗": what is asked now is a figure for the draft
    figure_first = len(clauses) > 1 and not _DRAFT.search(clauses[-1]) and bool(_metric(clauses[-1])) and \
        bool(re.search(r"先|帮我(查|看|算)|给我", clauses[-1]))
    # "要写个材料，舟山示范创建的经验一句话咋个概括": the piece is why they ask; what is asked is about the documents
    # (the clause before a question mark is the one asked: "……通知，文号是多少来着？准备写进申报材料里")
    questioned = [m.group(1) for m in re.finditer(r"([^，,；;。？?]+)[？?]", text)]
    asked_clause = questioned[-1] if questioned else last
    asks = not _DRAFT.search(asked_clause) and bool(_ASKING_CLAUSE.search(asked_clause)) and \
        not _WRITE_FOR_ME.search(text)
    for_a_piece = len(clauses) > 1 and asks and \
        not any(re.search(p, text) for p, _ in _DRAFT_KINDS)  # (a kind named: "写一份活动方案，要包括哪些内容")
    # a question, then a remark on what it is for ("……文号是多少来着？准备写进申报材料里")
    remark_after = bool(questioned) and not re.search(r"[?？]\s*$", text) and asks
    if not told_to_write and not figure_first and not for_a_piece and not remark_after and (_DRAFT.search(text) or
                              re.search(r"倡议书|活动方案|新闻通稿|宣传标语|自评报告|申报材料|报告提纲", text)):
        kind = next((k for p, k in _DRAFT_KINDS if re.search(p, text)), None)
        if kind in _GENERIC_KINDS and not _DRAFT_DOMAIN.search(text) and \
                re.search(r"[\u4e00-\u9fff]{2,}的(活动|工作|宣传)?(通知|新闻|通稿|方案|海报|展板|标语|口号)", text):
            return Understanding("out_of_scope")  # "帮我写个周末部门团建的通知": a notice about something else
        if kind:
            slots["kind"] = kind
            return Understanding("draft", slots)
        if re.search(r"文稿|材料|稿子|公文|文件|报告|方案|宣传", text):
            return Understanding("draft", slots)  # a draft of a kind not named yet: list the kinds
        return Understanding("knowledge", slots)  # "帮我写首关于秋天的诗": not a document GreenLeaf drafts
    convert = _CONVERT.search(text)
    if convert and not _KNOWLEDGE_ASKS.search(text) and re.search(r"折合|折算|折成|折多少|换算|等于|合多少|是多少(吨|千克|公斤)?(标准?煤|二氧化碳|碳)|折标|相当于|"
                             r"排放多少|产生多少|多少(吨|千克|公斤)(二氧化碳|碳)", text):
        slots["quantity"], slots["unit"] = float(convert.group(1)), convert.group(2)
        target = re.search(r"(吨标准煤|吨标煤|tce|千克标准煤|kgce|公斤标准煤|吨二氧化碳|tCO2|千克二氧化碳|kgCO2|二氧化碳|万千瓦时|千瓦时)",
                           text[convert.end():], re.I)
        if target:
            slots["to_unit"] = target.group(1)
        return Understanding("convert", slots)

    if _COVERAGE.search(text):
        return Understanding("coverage", {"year": latest_year} if latest_year else {})
    bare_name = bool(names) and len(re.sub(r"[的呢吧啊？?。，,\s]", "", text)) <= 8 and \
        not re.search(r"什么|啥|怎么|为什么|如何|多少|几|吗", text)  # "统计局", "妇幼的", "审计局呢"
    # a question that names no unit, no category and not all units, about something other than figures, does not
    # continue a conversation about one unit's data ("学校医院要不要参加节约型机关创建" after a unit's figure)
    # (a category word may also match units' names: "医院" in "学校医院要不要参加节约型机关创建")
    elsewhere = not names and not (ambiguous and "category" not in slots) and not ("category" in slots and metric) and \
        not ALL_UNITS.search(text) and not _AGAINST_A_YEAR.match(text) and not _YEAR_OF_AN_EVENT.fullmatch(text) and \
        (bool(foreign_topic(_asking_clauses(question_clause), institutions, tagger)) or
         (bool(_WHAT_IF_SAVED.search(text)) and not years) or bool(_BY_A_NORM.search(text)))
    followup = (is_followup(text) or bare_name) and context is not None and context.get("intent") != "coverage" \
        and (context.get("intent") in NUMERIC_INTENTS or not bare_name) and not elsewhere
    discussed_unit = (context or {}).get("slots", {}).get("institution")
    if _FYP_TARGET_MET.search(text) and discussed_unit and (context or {}).get("intent") in {"indicator", "compare", "trend"} \
            and names in ([], [discussed_unit]) and not _WIDER_SCOPE.search(text) and latest_year:
        # "跟十四五目标比完成了没" about the unit discussed: its 2020–latest series, which carries the target line
        kept = {k: v for k, v in context["slots"].items() if k in {"institution", "metric", "category"}}
        return Understanding("trend", {**kept, **({"metric": metric} if metric else {}), "base_year": 2020,
                                       "year": latest_year})
    if followup and (_KNOWLEDGE_ASKS.search(text) or find_article(text) or
                     (not names and (_WIDER_SCOPE.search(text) or _other_place(text, institutions, tagger)))):
        return Understanding("knowledge", slots)  # "那第十六条呢", "那超了罚多少呢", "那广东高校的呢": not our figures
    if followup:
        merged = {k: v for k, v in context.get("slots", {}).items() if k not in {"other_institution"}}
        if re.search(r"全市|全部|所有单位|各单位|全市范围|整个市|咱们市|各家|(所有|全部|各)(类型|类别|种类)|不分(类型|类别)", text):
            merged.pop("category", None)  # "全市范围前三呢？" after a ranking of schools: every unit now
            if merged.get("institution") and merged["institution"] != "全部":
                merged["institution"] = "全部"
        if re.search(r"全年|年底|年末|年终|(?<!\d)12个月(全|都)?(算完|算下来|下来)", text):
            merged.pop("month", None)  # "全年看呢？", "截到年底有哪些超了" after "截至11月": the whole year
        current = merged.get("year") or latest_year  # a question without a year was answered for the latest
        back = re.match(r"^(那|那么)?(再)?往前(推|挪)?([一两二三四五]|[1-5])年|^(那|那么)?再前一年", text)
        ahead = re.match(r"^(那|那么)?(再)?往后(推|挪)?([一两二三]|[1-3])年|^(那|那么)?再?后一年|^(那|那么)?下一年", text)
        if current and back and not years:
            slots["year"] = current - _count(back.group(4))  # "再往前一年呢", "往前推两年": before the year discussed
        elif current and ahead and not years:
            slots["year"] = current + _count(ahead.group(4))  # "往后推一年呢": after the year discussed
        elif current and re.match(r"^(那|那么)?(它的?)?(上一年|前一年)",
                                  re.sub("|".join(map(re.escape, names)), "", text) if names else text):
            # ("它前一年的呢", its 它 already written out as the unit discussed)
            slots["year"] = current - 1  # "上一年是多少": the year before the one discussed, not the calendar's
        elif latest_year and re.match(r"^(那|那么)?(现在|目前|当前)(呢|的|怎么样|如何)?[?？]?$", text):
            slots["year"] = latest_year  # "现在呢" after a question about 2020: the latest year
        if re.search(r"(去年|上年)同期", text) and current:
            slots["year"], years = current - 1, [current - 1]  # "去年同期呢？": the same months a year earlier
        elif re.search(r"前年同期", text) and latest_year:
            slots["year"], years = latest_year - 2, [latest_year - 2]  # "前年同期" after "去年同期": the calendar's 前年
        elif re.search(r"^(20\d\d)年?同期", text):
            slots.pop("base_year", None)  # "2023年同期": that year, the same months
        if context.get("other_year") and current and not years and not names and _is_compare(text) and \
                not re.search(r"同比|上一?年", text):  # "同比" is the year discussed against the one before
            # "对比一下" after "教育局今年多少" and "前年的教育局": the two years just asked
            pair = (current, context["other_year"])
            return Understanding("compare", {**merged, **slots, "year": max(pair), "base_year": min(pair)})
        if current and re.search(r"同比|(比|较|和|跟|与)上一?年" + ("|上一年呢" if context.get("intent") == "compare" else ""), text) \
                and not re.search(r"20\d\d|去年|前年", text):
            # "同比呢？": the year being discussed against the one before
            return Understanding("compare", {**merged, **slots, "year": current, "base_year": current - 1})
        relative = re.search(r"(跟|和|与|同|比起?|较|对比|相比|相较于?)(它自己的?|它的?|自己的?)?(去年|上年|上一年|前年|今年|"
                             + _YEARS_AGO + ")", text)
        others = [y for y in years if y != current]
        ago = re.fullmatch(rf"({_FEW})年以?前", relative.group(3)) if relative else None
        if ago and current and len(years) == 1:
            # "跟三年前比呢" after a figure of 2023: 2023 against 2020, counted back from the year discussed
            kept = {k: v for k, v in slots.items() if k not in {"year", "base_year"}}
            _switch_metric(kept, text, merged.get("metric"))
            return Understanding("compare", {**merged, **kept, "year": current,
                                             "base_year": current - _count(ago.group(1))})
        if relative and current and others and len(years) <= 2:
            # "比去年呢？", "全市用水呢，也跟去年比一下": the year being discussed against that year (去年 and 前年
            # are counted as _years counts them, from the latest year with data when this year has none); "跟今年比一下"
            # after a question about 2023: this year against 2023
            kept = {k: v for k, v in slots.items() if k not in {"year", "base_year"}}
            _switch_metric(kept, text, merged.get("metric"))  # "人均的呢，和去年比"
            year, base = (max(years), min(years)) if len(years) == 2 else \
                (others[0], current) if relative.group(3) == "今年" else (current, others[0])
            return Understanding("compare", {**merged, **kept, "year": year, "base_year": base})
        against = re.search(r"(跟|和|与|比|较|对比|相比|对(?=20))[^0-9]{0,12}?(20\d\d)年?", text)  # "跟十四五基期2020年比呢", "也是对2020"
        if against and len(years) == 1 and current and years[0] < current and not re.match(r"^(比|较|相比)", text):
            # "人均能耗呢，也是跟20年比": the year being discussed against 2020, for the metric now asked
            kept = {k: v for k, v in slots.items() if k not in {"year", "base_year"}}
            _switch_metric(kept, text, merged.get("metric"))
            return Understanding("compare", {**merged, **kept, "year": current, "base_year": years[0]})
        if "category" in slots and not names and re.search(r"(跟|和|与|同)(别的|其他|其它)|比一下|比比|比较一下", text) \
                and len(years) < 2 and not re.search(r"去年|上年|前年|同比|(跟|和|与|比)20\d\d", text):
            # "跟别的学校比单位面积能耗呢", "场馆人均用水今年比一下": where the unit stands among its category
            kept = {k: v for k, v in merged.items() if k in {"year", "metric"}}
            switched = _metric_switch(text, merged.get("metric"))
            return Understanding("rank", {**kept, **({"metric": switched} if switched else {}),
                                          **{k: v for k, v in slots.items() if k != "institution"}, "top": 0})
        if names and names[0] != "全部" and _list_asked(text) and context.get("intent") in {"budget", "quota"}:
            merged["institution"] = "全部"  # "那今年超预算的单位有哪些，有我们吗": the list, where we stand too
            slots.pop("institution", None)
        if re.search(r"超(预算|定额|标)?了?的?(都)?(有)?哪些|哪些(单位)?超|超过?(100|百分之百)|都列|全列|列全|"
                     r"超了?.{0,3}的[呢吧？?]?$", text):  # "前年全年超了预算的": every unit over
            merged.pop("top", None)  # "今年全年超预算的有哪些" after the five tightest: every unit over, not five
        if len(years) == 2 and _is_compare(text):
            # "去年跟前年比呢，多了还是少了": the two years named, for what is being discussed ("按人均看，…": per head)
            _switch_metric(slots, text, merged.get("metric"))
            return Understanding("compare", {**merged, **slots, "year": max(years), "base_year": min(years)})
        since = re.search(r"(?:^|同样|也|就|，|,)(从|自)(20\d\d)年?(开始|算?起|以来|看|算)", text)
        if since and context.get("intent") == "trend":
            slots.pop("year", None)  # "从2019年开始算呢" after a trend: from 2019, to the same end
            slots["base_year"] = int(since.group(2))
        elif latest_year and len(years) == 1 and re.search(r"20\d\d年?(以来|至今)|到(现在|今天)", text):
            slots["base_year"], slots["year"] = years[0], latest_year  # "它2020年以来的走势": 2020 to the latest
        until = re.match(r"^(那|那么)?(一直)?到(20\d\d|今年|去年|本年)", text)
        if until and merged.get("year") and len(years) == 1 and years[0] > merged["year"]:
            # "到2024年是涨了还是降了，看下趋势" after a question about 2016: 2016 to 2024; "那到今年降了多少"; after a
            # trend from 2019 to 2024, "到2025年呢" runs from 2019 still
            start = merged.get("base_year") if context.get("intent") == "trend" else None
            slots["base_year"], slots["year"] = start or merged["year"], years[0]
        _switch_metric(slots, text, merged.get("metric"))  # "那人均呢？" after 单位面积能耗: 人均综合能耗
        per = next((p for p in ("_per_capita", "_per_area") if str(merged.get("metric", "")).endswith(p)), None)
        if per and slots.get("metric") == "energy" and not re.search(r"综合|总", text):
            slots["metric"] = "energy" + per  # "能耗的呢" after 人均用水: 人均综合能耗
        if re.match(r"^(比起|比|较|相比于?|相对于?|相较于?|对比|与|和|跟|同)?(20\d\d)年?(相比|比)?", text) and len(years) == 1 and \
                (re.match(r"^(比|较|相比|相对|相较|对比)", text) or (not names and "比" in text)):
            slots.pop("year", None)
            if context.get("intent") == "rank" and merged.get("place_of") and not names:
                # "同2022年比呢" after where one unit ranks: that unit against 2022
                kept = {k: v for k, v in merged.items() if k in {"metric", "year"}}
                return Understanding("compare", {**kept, **slots, "institution": merged["place_of"],
                                                 "base_year": years[0]})
            return Understanding("compare", {**merged, **slots, "base_year": years[0]})
        if "other_institution" not in slots and names and context.get("slots", {}).get("institution") \
                and re.match(r"^(和|跟|与|同(?!一|期|样|比|口径|类)|对比|比较)", text):
            merged["other_institution"] = names[0]
            slots.pop("institution", None)
            return Understanding("compare", {**merged, **{k: v for k, v in slots.items() if k != "institution"}})
        previous = context.get("slots", {})
        if re.search(r"全市|全部|所有单位", text) and re.search(r"总|合计|一共|加起来|合起来", text) and \
                context.get("intent") in {"rank", "quota", "budget", "anomaly"}:
            # "那全市总用电量是多少？" after a ranking: the city's total, not the ranking again
            kept = {k: v for k, v in merged.items() if k in {"year", "metric"}}
            return Understanding("indicator", {**kept, **slots, "institution": "全部"})
        own = _numeric_intent(text, slots)
        if "category" in slots and not names and context.get("intent") == "indicator" and own in (None, "indicator") \
                and merged.get("institution") not in (None, "全部") and not re.search(r"全市|合计|总|一共|加起来", text):
            # "医院那几家呢" after one unit's figure: each unit of that kind, not the unit again
            kept = {k: v for k, v in merged.items() if k in {"year", "metric"}}
            return Understanding("rank", {**kept, **{k: v for k, v in slots.items() if k != "institution"}, "top": 0})
        if own == "rank" and context.get("limit") and re.search(r"超(了|的|过了)|还剩|剩下|还有(哪|几)", text) and \
                not _metric(text) and not re.search(f"{_RANK_WORDS}|{_MOST}|前", text):
            # "全年下来有哪些单位超了" in a conversation about budgets: over the budget, not a ranking of use;
            # "到2025年还剩哪几家" after 2019's quota breaches: 2025's
            own = context["limit"]
            merged.pop("metric", None)
            slots.pop("base_year", None)
        if context.get("intent") == "anomaly" and re.search(r"排查|筛查|筛一遍|查一查|查查", text) and \
                not _KNOWLEDGE_ASKS.search(text) and not re.search(r"咋|怎么|如何|啥|什么", text):
            # "请单独就用水量进行排查" after checking a unit for anomalies: the same check, of that metric
            return Understanding("anomaly", {**merged, **slots})
        if context.get("intent") == "anomaly" and not _ANOMALY.search(text) and own in (None, "indicator") and \
                _metric(text) and (merged.get("institution") not in (None, "全部") or re.search(r"多少|几", text)):
            # "那它24年的用电呢" after checking one unit for anomalies: its figure; the month checked is not a
            # period. After a city-wide check, "用水方面呢" checks water.
            merged.pop("month", None)
            return Understanding("indicator", {**merged, **slots})
        if context.get("intent") in {"quota", "budget"} and own in (None, "indicator") and _metric(text) and \
                not re.search(r"超|定额|约束|引导|预算|执行|达标|哪|排|前", text) and len(years) <= 1:
            # "全市今年人均用水" after a quota check: the figure itself, not the check again
            kept = {k: v for k, v in merged.items() if k in {"year", "institution"}}
            return Understanding("indicator", {**kept, **slots})
        if names and names[0] != "全部" and context.get("limit") and _OVER_BY.search(text) and not _metric(text):
            # "它超了多少" after the units over the quota: that unit's check, with its gap
            kept = {k: v for k, v in merged.items() if k in {"year", "month"}}
            return Understanding(context["limit"], {**kept, **{k: v for k, v in slots.items() if k != "category"}})
        if context.get("intent") in {"rank", "quota", "budget", "anomaly"} and own in {"compare", "trend"} and \
                (names and names[0] != "全部" or (own == "trend" and "institution" in slots)) and \
                not _ANOMALY.search(text):
            # "体育中心2023年用电比2022年呢", "近五年我们街道用水的趋势" after a city-wide list: that unit's comparison
            # or trend, of the metric asked (or the one listed)
            kept = {k: v for k, v in merged.items() if k == "metric"}
            return Understanding(own, {**kept, **{k: v for k, v in slots.items() if k != "category"}})
        if names and names[0] != "全部" and context.get("intent") in {"rank", "quota", "budget", "anomaly"} and \
                own in (None, "indicator") and not (context.get("intent") in {"budget", "quota"} and _list_asked(text)):
            # "回到一中，它21年呢" after a ranking: that unit's figures again
            kept = {k: v for k, v in merged.items() if k in {"year", "metric"}}
            return Understanding("indicator", {**kept, **{k: v for k, v in slots.items() if k != "category"}})
        if own in {"quota", "budget"} and names and names[0] != "全部" and _list_asked(text):
            # "今年超预算名单里有我们开大吗", "今年超预算的单位都有谁，有我们吗": the city's list, where we stand too
            kept = {k: v for k, v in merged.items() if k == "year"}
            return Understanding(own, {**kept, **{k: v for k, v in slots.items()
                                                  if k not in {"institution", "other_institution"}},
                                       "institution": "全部"})
        if own == "rank" and context.get("intent") == "budget" and not _metric(text) and not names:
            own = "budget"  # "请提供前三季度口径排名前五位" after the tightest budgets: the same list, ranked again
        if own == "rank" and not _metric(text) and "top" in slots and not names and \
                context.get("last_list") in {"budget", "quota"} and context.get("intent") not in {"rank", "quota", "budget"}:
            # "去年同期排头两家呢 也是截至八月底" after a unit picked from the tightest budgets: that list again
            own = context["last_list"]
            merged.pop("metric", None)
        if own in {"rank", "quota", "budget", "anomaly"} and own != context.get("intent") and \
                (WHOLE_CITY.search(text) or ("category" in slots and not names) or
                 (merged.get("institution") == "全部" and not names and
                  context.get("intent") in {"indicator", "compare", "trend"}) or  # after a city total, 前两名 ranks
                 # "去年超定额的呢" after budgets; "超定额的呢" after one unit's figure
                 (own in {"quota", "budget"} and not names and
                  (context.get("intent") in {"rank", "quota", "budget", "anomaly"} or
                   re.search(r"超了?(定额|预算|标|约束值)?的", text))) or
                 # "执行率前五列一下" after one unit's figure (not "前三名呢" after a list: that narrows it)
                 (own in {"rank", "quota", "budget"} and not names and "top" in slots and
                  context.get("intent") not in {"rank", "quota", "budget", "anomaly"})):
            # "那年全市用电最多的是谁？": a new whole-city question about the year (or category) just discussed
            kept = {k: v for k, v in merged.items() if k in {"year", "category"} or
                    (k == "month" and context.get("intent") != "anomaly")}  # a month checked is not a period
            # (a city-wide check for anomalies that names no metric checks them all)
            slots.setdefault("metric", _metric(text) or (None if own == "anomaly" else merged.get("metric")))
            if own in {"budget", "anomaly"}:
                slots.setdefault("institution", "全部")
            if own in {"budget", "quota", "anomaly"} and _list_asked(text):
                slots["institution"] = "全部"  # "那今年超预算的单位有哪些，有我们吗"
            return Understanding(own, {**kept, **{k: v for k, v in slots.items() if v is not None}})
        if context.get("intent") == "compare" and len(years) == 1 and previous.get("year") and \
                "base_year" not in slots and \
                re.search(r"基期|基准年|基数年|对比年|比较的?年|参照年|(跟|和|与|比|对)的?那年|"
                          r"(都|也|还)(是|系)?(跟|和|与|同|对)20\d\d年?(相)?比", text) and years[0] < previous["year"]:
            # "基期改成2015年" after 2025 vs 2024, "综合能耗总量呢，都系同2022比": the same year against that one
            slots["year"], slots["base_year"] = previous["year"], years[0]
        elif context.get("intent") == "compare" and len(years) == 1 and previous.get("year") \
                and previous.get("base_year") and "base_year" not in slots and not re.search(r"到|至|截[至止]|终点", text):
            # "那2023年呢？" after 2024 vs 2023: the same comparison one step back, 2023 vs 2022
            slots["base_year"] = years[0] - (previous["year"] - previous["base_year"])
        if context.get("intent") == "trend" and len(years) == 1 and "base_year" not in slots and \
                re.search(r"起点|起始|开始|起算|从", text):
            # "起点改成2021", "不对，起始年份是2021": the same trend from another first year
            slots["base_year"] = slots.pop("year")
        if context.get("intent") in {"budget", "quota"} and "top" not in slots and \
                re.search(r"超(了|过|出)?(能耗|用能|电力|用水)?(预算|定额|约束值)?的|超了", text) and not re.search(r"前|最", text):
            merged.pop("top", None)  # "那全年下来有没有超能耗预算的" after the five tightest: every unit over
        if context.get("intent") in {"rank", "quota", "budget"} and names and names[0] != "全部" and \
                "base_year" in slots and (_is_compare(text) or re.search(r"20\d\d年?.{0,8}(比|和|与|对比|跟)20\d\d", text)):
            # "教育局2024比2023" after a ranking: that unit's two years, of the metric ranked
            kept = {k: v for k, v in merged.items() if k == "metric"}
            return Understanding("compare", {**kept, **{k: v for k, v in slots.items() if k != "category"}})
        merged.update(slots)
        asked_now = _numeric_intent(text, merged) if context.get("intent") == "indicator" else None
        if asked_now in {"trend", "compare"}:
            return Understanding(asked_now, merged)  # "到2024年是涨了还是降了，看下趋势" after one year's figure
        if context.get("intent") == "rank" and merged.get("place_of") and "base_year" in merged and \
                not names and (re.search(r"走势|趋势|变化情况", text) or _is_compare(text)):
            # "2020年到2025年的走势", "同2022年比呢" after where one unit ranks: that unit's trend or comparison
            kept = {k: v for k, v in merged.items() if k in {"metric", "year", "base_year"}}
            asked_as = "trend" if re.search(r"走势|趋势|变化情况", text) else "compare"
            return Understanding(asked_as, {**kept, "institution": merged["place_of"]})
        return Understanding(context.get("intent", "indicator"), merged)

    ours_compared = bool(names) and "base_year" in slots and _is_compare(text)  # "…做了EMC，对比下2022年和2020年的用电"
    # "……2021年7月起搞了物业+EMC。从2020年到今年，用电量走势如何": with years asked, a scheme named in the scene
    # does not make our figures a case study's
    asking = question_clause if "year" in slots else text  # also "商品交易中心大楼搞了EMC，它2021年用电多少"
    if (_CASE.search(text) and "year" not in slots) or (_NOT_OUR_DATA.search(asking) and not ours_compared) or \
            (_SAVINGS.search(text) and "base_year" not in slots):
        return Understanding("knowledge", slots)  # "舟山行政中心托管改造节电多少" asks about the case study
    against = re.search(r"(和|跟|与|同|比|较|对比|相比)(20[0-9]{2})年?", asked if scene_years else text)
    if len(years) == 1 and against and "base_year" not in slots and not re.search(r"今年|去年|前年", text):
        # "全市碳排放和2023年比怎么样": the year under discussion (or the latest) against the one named; "跟2022年比"
        # while 2022 is discussed: the latest against it
        now = (context or {}).get("slots", {}).get("year") or latest_year
        if now == years[0] and latest_year:
            now = latest_year
        if now and now > years[0]:
            slots["year"], slots["base_year"] = now, years[0]
    relative = re.search(r"(和|跟|与|比起?|较|对比|相比)(去年|上年|前年|" + _YEARS_AGO + ")",
                         asked if scene_years else text)
    if len(years) == 1 and relative and "base_year" not in slots and not re.search(r"今年|20\d\d", text):
        # "它的单位面积能耗跟前年比是升了还是降了" after its figure of 去年: the year discussed (or the latest)
        # against 前年, not 前年 against the year before it
        now = (context or {}).get("slots", {}).get("year") or latest_year
        if now and now > years[0]:
            slots["year"], slots["base_year"] = now, years[0]
    discussed = (context or {}).get("slots", {}).get("year") if (context or {}).get("intent") in NUMERIC_INTENTS else None
    since = re.search(r"(从|自)?(20\d\d)年?(开始|算?起|以来|看|算|到现在|至今)", text)
    if since and (since.group(1) or since.group(3) in {"以来", "至今", "到现在"}) and len(years) == 1 and \
            "base_year" not in slots:
        # "这几年怎么变的，从2018年算": from 2018 to the year being discussed (or the latest)
        slots["base_year"] = int(since.group(2))
        slots["year"] = latest_year if since.group(3) in {"到现在", "至今"} else discussed or latest_year
    if discussed and re.search(r"同比|(比|较|和|跟|与)上一?年|上一年", text) and not re.search(r"20\d\d|今年|去年|前年", text):
        # "回到行政中心，和上一年比变化多少" while 2023 is being discussed: 2023 against 2022
        slots["year"], slots["base_year"] = discussed, discussed - 1
    # In a conversation about one unit's data, a question that names no unit, no category and not all units is
    # about that unit ("人均多少", "18年到22年人均用水是什么走势", "折合综合能耗是多少").
    previous = (context or {}).get("slots", {}) if (context or {}).get("intent") in NUMERIC_INTENTS else {}
    inherited = previous.get("institution") if previous.get("institution") and not names \
        and not ambiguous and "category" not in slots and not WHOLE_CITY.search(text) and not unit_phrase(text) \
        and not elsewhere else None
    # a long message's scene clauses ("……发现我们的数变化挺大") do not set what is asked ("……综合能耗是多少")
    intent = _numeric_intent(asked, {**slots, "institution": inherited} if inherited else slots)
    if intent is None and (names or ambiguous) and _data_words(asked) and not _RULE_OR_FACTOR.search(asked):
        intent = "indicator"
    if intent is None and not names and unit_phrase(text) and _data_words(text) and "year" in slots:
        intent = "indicator"
    if intent in NUMERIC_INTENTS and "metric" not in slots and not re.search(r"预算|定额|约束值", text) and \
            not _ANOMALY.search(text):
        # what the user did not change stays ("学校里前三是哪几个"); "人均多少" goes per person, also after a
        # question that named no metric ("文化艺术中心今年人均多少" after a quota check)
        switched = _metric_switch(text, previous.get("metric"))
        if switched or previous.get("metric"):
            slots["metric"] = switched or previous["metric"]
    limit = (context or {}).get("limit")
    in_the_list = bool(_IN_THE_LIST.search(text))
    if limit and names and names[0] != "全部" and not _metric(text) and (_OVER_BY.search(text) or in_the_list):
        # "它超了多少" after the units over the quota: that unit's check; "二中在不在里面" after the units over the
        # budget: the list again, where the unit stands
        kept = {k: v for k, v in (context or {}).get("slots", {}).items() if k in {"year", "month"}}
        slots = {**kept, **{k: v for k, v in slots.items() if k != "other_institution"}}
        if in_the_list:
            slots["institution"] = "全部"
        return Understanding(limit, slots)
    if intent == "rank" and limit and not _metric(text) and \
            (re.search(r"超(了|的|过了)", text) and not re.search(f"{_RANK_WORDS}|{_MOST}|前", text) or
             re.search(r"超(得|出|的|了)?(最多|最厉害|最狠|最严重|最高)", text)):
        # "去年文化场馆里有哪几家超的" in a conversation about quotas: over the quota, not a ranking; "超得最多的三家"
        # after the units over the budget: the tightest three
        intent = limit
        slots["institution"] = "全部"
    elif limit and not names and not _metric(text) and re.search(r"超(了|过了)?的?(有|是)?(哪|谁)|(哪|谁).{0,4}超了", text) \
            and not (intent == "quota" != limit and re.search(r"定额|约束值|引导值", text)) \
            and not (intent == "budget" != limit and re.search(r"预算|执行率", text)):
        # "截至十一月底呢 超了的有哪个" after a unit's figure, in a conversation about budgets: every unit over
        intent = limit
        slots["institution"] = "全部"
    elif intent in NUMERIC_INTENTS and not _about_data(text, slots, names or ([inherited] if inherited else []),
                                                       institutions, tagger, named=bool(names)):
        intent = None  # a metric word alone ("为啥医院单位面积能耗最高", "广东中小学人均能耗") is a knowledge question
    if intent in NUMERIC_INTENTS and "institution" not in slots and context and context.get("slots", {}).get("institution") \
            and not ambiguous and not unit_phrase(text) and "category" not in slots and not elsewhere \
            and not WHOLE_CITY.search(text) and not (intent in {"budget", "quota"} and _list_asked(text)):
        slots["institution"] = context["slots"]["institution"]  # "今年用能预算用了多少？" right after a unit's question
    if intent == "compare" and not years and not names and (context or {}).get("other_year") and previous.get("year"):
        # "变化是百分之几" after "2024年综合能耗多少" and "2023年的": between the two years asked
        pair = (previous["year"], context["other_year"])
        slots["year"], slots["base_year"] = max(pair), min(pair)
    if intent == "compare" and len(years) == 1 and "base_year" not in slots and previous.get("year") and \
            previous["year"] > years[0] and re.search(r"比一下|比比|对比一?下|比较一下", text):
        # "2020年是多少 比一下" after a question about 2025: 2025 against 2020
        slots["year"], slots["base_year"] = previous["year"], years[0]
    if intent == "compare" and not years and previous.get("base_year") and "base_year" not in slots and \
            (context or {}).get("intent") in {"compare", "trend"}:
        # "人均用水同期降了多少" after "比2020年降了几个点": the same two years, for the metric now asked
        slots["year"], slots["base_year"] = previous.get("year") or latest_year, previous["base_year"]
    if intent in NUMERIC_INTENTS and "year" not in slots and context and context.get("slots", {}).get("year"):
        slots["year"] = context["slots"]["year"]  # the year the conversation is about, until the user names another
    if intent in {"budget", "anomaly"} and "institution" not in slots and (WHOLE_CITY.search(text) or _list_asked(text)):
        slots["institution"] = "全部"
    if intent in {"budget", "quota", "anomaly"} and names and names[0] != "全部" and \
            _list_asked(text):
        # "二中今年预算是不是超了？把全市超预算的都列一下": the city's list, where that unit stands too
        slots["institution"] = "全部"
        slots.pop("other_institution", None)
        kind = next((v for k, v in CATEGORY_WORDS.items() if re.search(f"{k}(这一?类|类|里)", programme_free)), None)
        if intent == "quota" and kind:
            slots["category"] = kind  # "22年我们学校超定额了吗？学校这一类里有哪些超了约束值": the schools' list
    if intent == "rank" and names and names[0] != "全部" and "category" not in slots and re.search(r"哪几|哪些|排|前", text):
        unnamed = re.sub("|".join(map(re.escape, names)), "", programme_free)  # 机关 in 市机关事务管理中心 is no category
        category = next((v for k, v in CATEGORY_WORDS.items() if k in unnamed), None)
        if category:
            slots["category"] = category  # "我是二中总务处的……今年学校里用电最多的是哪几所": schools, not 二中
    if intent == "indicator" and ambiguous and "institution" not in slots and "category" in slots and \
            re.search(r"[两二三四五六七八九十0-9]+\s*(家|所|个)|各|依次|分别|每(一)?(家|个|所)", text):
        intent, ambiguous = "rank", []  # "三家医院今年人均用水依次是多少": each unit of the category, not one of them
    if intent in {"rank", "quota"} and ambiguous and "institution" not in slots:
        category = next((v for k, v in CATEGORY_WORDS.items() if k in programme_free), None)
        if category:
            slots["category"], ambiguous = category, []  # "医院里单位面积能耗排个名": the category, not a unit
    if intent in {"quota", "budget", "anomaly"} and ambiguous and "institution" not in slots and \
            re.search(r"哪些|哪几|名单|都有谁", text):
        ambiguous = []  # "我们中心准备给超定额严重的单位下整改 2023年超定额的有哪些": the city's list
    if intent is not None:
        if ambiguous and "institution" not in slots:
            return Understanding(intent, slots, ambiguous=tuple(ambiguous))
        if "institution" not in slots and intent not in {"rank", "quota", "budget", "anomaly", "trend"}:
            phrase = unit_phrase(text)
            if phrase:
                return Understanding(intent, slots, unknown_institution=phrase)
        return Understanding(intent, slots)
    if ambiguous and _data_words(text) and _about_data(text, slots, [], institutions, tagger):
        return Understanding("indicator", slots, ambiguous=tuple(ambiguous))
    return Understanding("knowledge", slots)


_CN_MONTH = r"(1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])"
_PERIOD_MONTHS = (("上半年", 6), ("前半年", 6), ("前三季度", 9), ("前3季度", 9), ("一季度", 3), ("第一季度", 3),
                  ("二季度", 6), ("第二季度", 6), ("三季度", 9), ("第三季度", 9))


def _through_month(text: str) -> int | None:
    """The last month a question counts to: "截至11月", "前9个月", "头三个月", "三月份", "上半年" (6), "前三季度" (9)."""
    for word, month in _PERIOD_MONTHS:
        if word in text:
            return month
    found = re.search(rf"(?:截至|截止|到)(?:20\d\d年)?{_CN_MONTH}\s*月", text) or \
        re.search(rf"(?<![0-9年]){_CN_MONTH}\s*月(?!份?以来)", text) or \
        re.search(rf"(前|头|开头){_CN_MONTH}个?月", text)
    if not found:
        return None
    number = found.group(found.lastindex)
    return int(number) if number.isdigit() else chinese_to_int(number)


_BARE_SOURCE = re.compile(r"(那|那么|换成|改成|看)?(用)?(水|电)(的话)?(呢|的呢|的|量呢|量)?(咋样|怎么样|如何|情况)?[?？]?")
# "那水呢", "电", "电的话呢", "水咋样"


def _switch_metric(slots: dict, text: str, previous: str | None) -> None:
    """Sets the metric a short follow-up switches to (`_metric_switch`), unless `slots` already name one."""
    switched = _metric_switch(text, previous)
    if switched and "metric" not in slots:
        slots["metric"] = switched


def _metric_switch(text: str, previous: str | None) -> str | None:
    """The metric a short follow-up switches to: "那人均呢？" keeps energy or water and goes per person."""
    water = bool(previous and "water" in previous) or bool(re.search(r"水(?!平)", text))  # not 水平 ("是啥水平")
    if "人均" in text or _PER_PERSON.search(text):
        return "water_per_capita" if water else "energy_per_capita"
    if re.search(r"单位(建筑)?面积|每平方?米?|按(单位)?(建筑)?面积", text):
        carbon = bool(previous and previous.startswith("carbon")) or "碳" in text
        return "carbon_per_area" if carbon else "energy_per_area"  # "单位面积的呢" after 碳排放: per m² of carbon
    corrected = re.sub(r"^[，,\s]*(我说的是|我是说|我问的是|我(想|要)(看|查|问)?的是|要的是|是)?", "",
                       re.sub(CORRECTION, "", text))
    bare = _BARE_SOURCE.fullmatch(text) or _BARE_SOURCE.fullmatch(re.split(r"[，,\s]", text)[0]) or \
        (corrected != text and _BARE_SOURCE.fullmatch(corrected))  # "不对，我说的是水"
    if bare:  # "那水呢" (", 用了好多方") after a unit's electricity: its water (per person after a per-person figure)
        if bare.group(3) == "电":
            return "electricity"
        return "water_per_capita" if previous and previous.endswith("_per_capita") else "water"
    if previous and previous.endswith(("_per_capita", "_per_area")) and \
            re.fullmatch(r"(那|那么|换成|改成|看)?(总量|总数|总的|总额|合计)(的话)?(呢|吧)?[?？]?", text):
        return previous.rsplit("_per_", 1)[0]  # "总量呢" after 单位面积能耗: 综合能耗
    return None


# ---------------------------------------------------------------- pieces

# How a case or scheme worked: a knowledge question unless a year asks for our figures.
_CASE = re.compile(r"舟山|案例|经验|做法|怎么做的|改造|项目|托管|物业|模式|平台|管家")
# Quantities our data never hold (installed capacity, saving rates, PUE, a scheme's savings): always knowledge.
_NOT_OUR_DATA = re.compile(r"合同能源管理|EMC|融资租赁|装机|千瓦(?!时)|kW(?!h)|PUE|节电率|节能率|节水率|回收期", re.I)
# "省了多少电", "一年能省多少钱": savings are what a case or measure achieved; our data compare two years instead.
_SAVINGS = re.compile(r"(省|节约|节省|节)(了|下|下来)?(多少|几)|(年|一年|每年)节(电|水|气)(了|量)?(多少|几)|能省|节电量|节能量|节水量")
# Whether a figure of our data is a fault ("是数据出错了还是本来就这样"): a question about the data, not the figure
# again (offline.py answers it from the data's description in a conversation about our data).
DATA_FAULT = (r"数据(是不是)?(有|出|录)?(问题|错)(?!的(单位|有|是))|本来就(这样|这么)|录错|抄错|读数(有)?(问题|错)|"
              r"是不是(电表|水表|表计?|计量|抄表)的?问题|(电表|水表|表计|计量|抄表)(出|有)了?(问题|故障|毛病)|"
              r"月(份)?(那个)?(有|出)了?(啥|什么)?问题")
# Questions about reasons, rules and consequences are knowledge questions even when they name a metric.
_KNOWLEDGE_ASKS = re.compile(r"(承担|负|追究).{0,4}(啥|什么|哪些)?责任|先后顺序|先后次序|(该|要|得)(做|干)(些|点)?(啥|什么)|"
                             r"会被(咋|怎么)样?(对待|处理|处置)|分(几|哪几)(个)?(环节|步|阶段|部分|档)|(会|才|就)触发|"
                             r"(啥|什么)责任|平时.{0,6}(怎么|咋|该|要|靠)|靠(啥|什么)|"
                             r"何种|依规|时限|期限|门槛|应履行|为什么|为何|为啥|怎么会|咋会|咋回事|怎么回事|什么原因|原因是|后果|会怎样|会怎么样|会咋样|咋样处理|"
                             r"多大比例|(达到|占到?)多少比例|比例要?(达到|是)多少|"  # a target ratio: our data hold none
                             r"按.{0,12}(来|去)?编(的|制的)|(怎么|咋|如何)编|"  # how a budget is drawn up
                             r"(从)?(哪些|什么|啥|哪几个)(方面|地方|环节)(去|来|着手|入手)?(省|节约|节省|节能|节水|节电)|"
                             r"(怎么|咋|如何|怎样)(才能)?(省电|省水|节电|节水|节约|节省)|"  # how to save: a practice
                             r"(几月份?|哪个月|什么时候|啥时候)(一般)?(搞|开展|进行|组织|排查|部署)|"  # when a task is done
                             r"有没有规定|有无规定|是否有规定|(多少|几)个?(工作)?[天日](之内|以内|内)|"  # a deadline of a rule
                             r"(最晚|最迟|几号|哪天|什么时候|啥时候|何时)[^，,。？?]{0,4}(之前|以前|前)?[^，,。？?]{0,3}"
                             r"(报上去|交上去|上报|报送|提交|报给|交给)|"  # "数据最晚几号之前要报上去"
                             r"处罚|罚款|罚钱|处分|停电|能不能拿来|可不可以用|能否用|是否可以用|依据是|哪个文件|"
                             r"(咋|怎么|如何)(考核|分配|分到|分给|核定|定的|制定|确定|计算|算的|算出)|"
                             r"(?<!走势)(?<!趋势)(?<!变化)(?<!情况)(?<!幅度)(?<!比)如何(?!变)|跟什么有关|"
                             r"与什么有关|和什么有关|多少(才|算)?合理|要求(是)?多少|一般(用|是|在)?多少|要降多少|目标是|怎么办|咋办|咋整|"
                             r"如何处理|怎么处理|办法|措施|建议|妙招|招数|窍门|注意(点|些)?啥|注意什么|"
                             r"(通常|一般|平时|平常)(是)?(怎么|咋|如何)|"
                             # what a term means, whom to report to, what a report holds, how a rule counts something
                             r"[啥什么]意思|指的是|指什么|指啥|怎么定义|如何定义|定义是|向谁|找谁|写哪些|哪些内容|"
                             # "要是超了定额，得向哪个部门说明情况"; "超了算什么"; "是拿本期减基期再除以基期对吧"
                             r"(向|跟|给)(哪个|哪一?个?|什么)(部门|单位|机构|机关)|(超了|超标|超出了?)(算|属于)(什么|啥)|"
                             r"硬杠杠|硬性(规定|要求|指标)?|(拿|用)(?![水电能气])[^，,。？?]{1,12}(除以|(?<!增)减去?(?![少排碳])|乘以)|核对清单|检查清单|自查清单|"
                             r"注意事项|"
                             r"要不要(扣|算进|计入|算在)|(要不要|需不需要|该不该|能不能|可不可以)把.{0,10}(算进|计入|算在|扣|纳入|算上|加上)|罚多少|国家标准|行业标准|"
                             r"(能不能|可不可以|可以|能否)(直接)?(填|报|算成|计入|代替)|还能用|能用吗|能不能用|可以用吗|"
                             r"(怎么|如何|咋)(编|编制|编出来|定出来)|是怎么来的|一般先(查|做|看)|先查什么|"
                             r"(哪天|哪年|什么时候|何时)(开始)?(实施|施行|印发|发布|生效)|GB/?T|DB\d{2}|"
                             r"按(什么|哪个月|几月份?|哪一年|哪个|啥)(标准|方法|办法)?(来)?(算|编|定|核定|分)的?|哪一?条|第几条|哪个条款|"
                             r"(啥|什么|有何|有什么)(区别|不同)|样例数据(里|中)(?!(今年|去年|前年|20\d\d|有?哪些单位|有?哪几家|哪家))(?![^，,。？?]{0,12}(20\d\d年|今年|去年)[^，,。？?]{0,10}(多少|几))|数据说明(里|中)?|重复(算|计|统计)|"
                             r"(是)?(故意|有意)(这么|这样)?(设|编|造|放)|模拟(的)?(是)?(什么|啥)|"  # what a sample anomaly stands for
                             r"补(在|到|录在)哪|"
                             r"(要|该)(干嘛|做什么|干什么)|(写|交|报|提交|出具|作出)(个|份|一份)?(书面)?说明|会不会被|都?查哪些|(怎么|如何|咋)分摊|"
                             r"(系数|因子)(按.{1,3})?(是多少|是几|多少)$|"
                             r"(怎么|如何|咋)折(算|成|$|[?？吗呢])|算不算(用能)?人数|算不算(建筑)?面积|"
                             r"算不算进?(用能|能耗|综合能耗|用水)|"
                             # whether a figure is a data fault, what a ratio divides by, what a rule requires
                             + DATA_FAULT + r"|(数据|数)(出错|错了)|分母|分子|"
                             r"按条例|条例(里|上|中|上头|里头)?(怎么|咋|是否|有没有|要求|规定)|得(干嘛|干啥|做什么|干什么|怎么办)|"
                             r"哪些原因|原因有哪些|啥原因|(咋|怎么|为啥|为什么)这么(少|多|高|低|大|小)|哪来的|从哪来|出处|来源是|"
                             r"(那么|这么)(高|低|大|多|少).{0,4}(正常|合理)|"
                             r"能把.{0,12}(算进|计入|算在|纳入|加进)|(什么|啥)依据|(要|该|需要)扣(掉|除)?吗|核算边界|"
                             r"(当量值|等价值)还是|还是(当量值|等价值)|"
                             r"(一|每)(立方|方|度|千瓦时|升|吨|公斤|千克).{0,6}折(多少|合|成)|"
                             r"咋处理|对不上|(是)?谁(来)?(定|制定|编制?|发布|批准)的|(什么|啥)关系|"
                             r"(跟|给|对)谁(说明|报告|汇报|申请|报)|(啥|什么)毛病|(最常|容易|经常)被?挑|"
                             r"会不会.{0,4}(检查|监督|通报|处理)|是按.{1,10}(算|计算|统计)的(吗|么|不)|"
                             r"(说明|报告|材料)(里|中)?(怎么|咋|如何)写|(怎么|咋|为啥|为什么)(老是|总是|一直|经常)|"
                             r"怎么比(别的|其他|其它|同类).{0,8}(高|低|多|少)(那么|这么)多|多久(一次|通报|报一次)|一般多久|"
                             r"多长时间.{0,4}一次|(要不要|该不该|需不需要)剔除|(是|算)(不是)?一回事|是一个东西|一码事|"
                             r"按规定|(十四五|十五五)?规划(要求|里|中|目标|规定)|(十四五|十五五).{0,12}(要求|目标)|"
                             r"(十四五|十五五).{0,20}要.{0,10}(降|下降|减少)|"
                             r"要求(是)?(降|下降|减少)|(咋|怎么|如何)区分|(通则|标准|条例|办法|制度)里|"
                             r"出了?(啥|什么)问题|是不是有问题|是(数据)?有问题|(一般)?(咋|怎么)弄|官方(标准|的)|要?查(什么|啥)|"
                             r"(?<![预计核折估清结])算.{1,10}(部位|范围|单位|设备)吗|"
                             # whether a rule counts or covers something, suits or befalls a unit ("用能人数要不要算学生",
                             # "综合能耗里面包括水吗", "适合搞托管不", "会被重点检查吗"), what a statement holds
                             r"要不要算(?!一下|下)|包括.{0,8}(吗|么|不)$|包含.{0,8}(吗|么|不)$|包不包括|含不含|"
                             r"适合.{0,12}(吗|么|不)$|适不适合|会被.{0,10}(吗|么|不)$|写(些|点)?(啥|什么)|找(哪个|哪里|哪儿)|"
                             # what it takes ("一般要具备什么条件", "年综合能耗到多少吨标煤就算重点用能单位"), how a
                             # rule divides or counts ("只有一块总电表，能耗咋个分", "要算进用水量里头不")
                             r"(具备|满足|符合|达到)(什么|哪些|啥)(样的)?(条件|要求)|(多少|几).{0,10}(就|才)算|"
                             r"(咋|怎么|如何)个?(分|划分|界定|认定)的?(?![布析])|(算进|计入|算在).{0,8}(吗|么|不)$|"
                             r"查(哪几|哪些)(项|方面)|(多少|几)个?(工作日|天|日)内|"
                             # which value a rule takes ("电网因子该用全国的还是省里的")
                             r"(该|应该|应当|要|得)(用|选|取|采用)(哪|.{1,10}还是)|"
                             # whether a unit falls under a rule ("法院检察院在不在节约型机关创建范围里")
                             r"在不在.{0,14}(范围|名单|之列)|属不属于|算不算(是)?(公共机构|重点用能单位)")
# "办公楼按民用建筑能耗标准，每平米多少千瓦时算超": a value by a named standard or rule, not our figures
_BY_A_NORM = re.compile(r"(按|按照|根据|依据|参照)[^，,。？?]{2,12}(标准(?!煤)|规范|通则|条例|办法)[^，,。？?]{0,3}[，,]?"
                        r"[^。？?]{0,16}(多少|几)[^。？?]{0,6}算(超|高|正常|合理|达标|合格)")
# A saving stated as a quantity ("每个月少用1000度电，能少排多少二氧化碳"): a worked example, not a unit's figure
_WHAT_IF_SAVED = re.compile(r"(少|省|节约|节省|减少)(用|耗|了|下)?了?[\d.,万千百]+\s*(度|千瓦时|kWh|立方|方|吨|升|公斤|千克)", re.I)
_WIDER_SCOPE = re.compile(r"全国|省级|各省|哪个省|哪些省|全省|国家层面|各地|各个城市|中央国家机关|中央和国家机关|中直机关|"
                          r"国家(十四五|规划|要求|目标)")
# A norm or reference level asked without naming a unit ("医院单位面积能耗参考值是多少", "学校人均能耗一般多少
#算正常"): what the standards say, not our figures.
_REFERENCE = re.compile(r"参考值|基准值|标杆值|先进值|平均水平|全国平均|一般(是|在|要|为)?多少|算正常|正常范围|合理范围|"
                        r"国家标准|国标|行业标准")


def _about_data(text: str, slots: dict, names: list[str], institutions: list[str], tagger: Tagger | None,
                named: bool | None = None) -> bool:
    """The data path needs a metric or data word *and* a target: a unit, all units, or a year; and no other
    city's name (our data are this city's) and no question about reasons or rules. `named`: whether the question
    itself names a unit (a unit carried over from the conversation does not make "全国…" our data)."""
    named = bool(names) if named is None else named
    # (a place in the scene of a long message is not what is asked when the question names one of our units:
    # "图书馆去年夏天漏水……馆里领导……图书馆去年全年用水是多少")
    asked = asking_part(text)
    place_in = asked if asked != text and _find_institutions(asked, institutions)[0] else text
    if (_KNOWLEDGE_ASKS.search(_requested(asked)) and not re.search(_FAULTY_UNITS, text)) or \
            ("因子" not in text and _other_place(place_in, institutions, tagger)):
        return False
    clauses = re.split(r"[，,。；;！!？?]", text)
    if any(_KNOWLEDGE_ASKS.search(c) for c in clauses if _WANTS_TO_KNOW.match(c)):
        return False  # "我们医院是用能大户，想知道重点用能单位的门槛，年耗能多少吨标煤算": a rule asked
    wanted = [c[m.end():] for c in clauses[1:] if (m := _WANTS_TO_KNOW.match(c))]  # what 想问/请问 asks
    if wanted and all(len(w) >= 6 and not _data_words(w) and not re.search(r"20\d\d|今年|去年|预算|定额|排|异常|超", w)
                      for w in wanted):
        # "我们是人民医院基建科的，……，想问下重点用能单位的能源管理负责人要持什么证": what is asked names no figure
        return False
    if not named and _REFERENCE.search(text) and not ALL_UNITS.search(text):
        return False
    if _rule_yes_no(asking_part(text, short_too=True)):
        return False  # "要是买了绿电，碳排放能不能扣掉", "医院算不算重点用能单位": whether a rule allows, not a figure
    if not named and _WIDER_SCOPE.search(text):
        return False  # "全国公共机构2022年单位面积能耗", "省级电网因子哪个省最低": not our city's data
    target = bool(names) or "year" in slots or bool(ALL_UNITS.search(text))
    return target and (_data_words(text) or "metric" in slots or
                       bool(re.search(f"定额|约束值|引导值|超标|达标|预算|异常|突增|突降|{_RANK_WORDS}|{_MOST}", text)))


# A yes/no question about what a rule allows or counts; one about a figure has a verb of figures (超, 达标, 高, 降…) or
# asks a quantity
_YES_NO = re.compile(r"能不能|可不可以|可以不|能否|可否|会不会|算不算|要不要|需不需要|用不用|该不该|允不允许|是否|"
                     r"能(判断|看出|说明|确定|认定|证明|断定)(出)?(来)?(吗|不|么)")
_FIGURE_VERBS = re.compile(r"超|达标|达到|高|低|多|少|涨|降|升|增|减|变|排(?!放)|首位|第[一二三1-3]|前|名|居|异常|突|最|比|几|同期|对得上|准")


def _rule_yes_no(asked: str) -> bool:
    """Whether the asking clause is a yes/no question about a rule, not about a figure ("能不能扣掉", "算不算重点用能
    单位", "会不会被列为重点检查对象"; not "二中是不是超了", "人均是不是也降了")."""
    return bool(_YES_NO.search(asked)) and not _FIGURE_VERBS.search(asked)


_WANTS_TO_KNOW = re.compile(r"\s*(我)?(想知道|想问问?|想了解|请问|问一?下|想确认)")


def _list_asked(text: str) -> bool:
    """Whether a question that names one unit asks the city's list ("二中今年预算是不是超了？把全市超预算的都列一下",
    "司法局的，23年预算执行率前五里有没有我们"): the unit is where the asker stands, not what is asked."""
    return bool(re.search(r"全市|所有单位|各单位|全部单位|全部超|都列|排个名|排名|排序|排个序|排一下|全列|列给我|列一下|列出来|(有)?哪些单位|哪几家|单位有哪些|名单|都有谁|有谁|有哪些超|"
                          r"前([2-9]|10|[二两三四五六七八九十])|有(没有)?我们|有我们|我们在不在|" + _IN_THE_LIST.pattern + "|"
                          r"最(高|低|多|少|紧张?)的?([2-9]|10|[二两三四五六七八九十])(家|个|位)", text))


_ASKING_WORDS = re.compile(r"多少|几|什么|啥|哪|谁|怎么|咋|如何|吗|是否|有没有")  # a clause with one asks something
_COURTESY = re.compile(r"^.{0,8}(好吗|可以吗|行吗|好不好|行不行|成吗)$")
_REQUEST = re.compile(r"给我(看看|看下|瞅瞅|列|查|排)|列(一下|出来)|排(一下|个名|一排)|帮(我|忙)(查|看|算|列|排)|"
                      r"比(一)?下$|对比(一)?下|比一比$|比比$")


_YEAR_COMPARED = re.compile(r"(跟|和|与|比|较)(20\d\d|去年|前年|上一?年)")  # "跟2024年比", "比去年"
_ON_A_FIGURE = re.compile(r"(怎么|咋|为啥|为什么)?(这么|那么|这样|咋)(高|低|多|少|大|小)")  # "咋这么高": a remark on a figure


def _last_clause(text: str) -> str:
    """The message's last clause ("……，帮我查下2021年超定额的单位" → "帮我查下2021年超定额的单位")."""
    return re.split(r"[，,。；;！!？?]", text.rstrip("，,。；;！!？?"))[-1]


def _requested(text: str) -> str:
    """A message's last clause when it requests figures after a remark ("咋这么高，全市今年人均综合能耗前五给我看看":
    the request, not a why-question); the message otherwise."""
    clauses = [c for c in re.split(r"[，,。；;！!？?]", text) if c.strip()]
    if len(clauses) > 1 and _REQUEST.search(clauses[-1]) and _metric(clauses[-1]):
        return clauses[-1]
    if len(clauses) > 1 and _YEAR_COMPARED.search(clauses[-1]) and \
            re.search(r"多少|几|多了|少了|涨了|降了|升了", clauses[-1]):
        return clauses[-1]  # "咋这么高，我们跟2024年比多了多少": the comparison asked, after the remark
    if len(clauses) > 1 and _YEAR_COMPARED.search(clauses[-2]) and \
            re.fullmatch(r"(那|那么)?(高|低|多|少|涨|降|升|增加|减少)了?(多少|几)\S{0,4}", clauses[-1]):
        # "为啥比去年高这么多，高了多少": how much, of the comparison the remark makes
        return re.sub(r"为啥|为什么|咋|怎么", "", "，".join(clauses[-2:]))
    tail = re.search(r"(跟|和|与|同|较|比起?)(20\d\d年?|去年|前年|上一?年)(相?比)?(一下|下|一比|比)?[啊吧呢]?$", text)
    if tail and tail.start() > 0 and _ON_A_FIGURE.search(text[:tail.start()]):
        return text[tail.start():]  # "怎么这么高 跟23年比一下": the comparison asked, after the remark
    return text


def asking_part(text: str, short_too: bool = False) -> str:
    """A long message's question: from its last clause that asks something ("……领导问我为什么我也说不清，想先确认一下，
    2024年我们局综合能耗是多少" → the last clause); a short question as it is, unless `short_too`."""
    if len(text) <= 30 and not short_too:
        return text
    clauses = [c for c in re.split(r"[，,。；;！!？?]", text) if c.strip()]
    asking = [i for i, c in enumerate(clauses) if _ASKING_WORDS.search(c)]
    if len(asking) > 1 and _COURTESY.search(clauses[asking[-1]]):
        asking.pop()  # "……去年的综合能耗是个什么数，你帮我查一下好吗": 好吗 is courtesy, the question came before
    # "请列出2024年度全部超预算单位，以核实该单位是否仍在其中": the list requested is asked too
    requests = [i for i, c in enumerate(clauses) if re.search(r"列出|列一下|列示|请提供|排名|排序|给我看看", c)]
    if not asking:
        # "按照"十四五"…考核要求，……。请提供全市2025年人均用水量较2020年的变化": the request is what is asked
        if not requests:
            # "行政中心2022年起托管的，它2021年综合能耗": a fragment after the scene asks, as a question would
            return clauses[-1] if short_too and len(clauses) > 1 and _data_words(clauses[-1]) and \
                not _data_words("，".join(clauses[:-1])) else text
        start = requests[-1]
        if start and not _data_words(clauses[start]):
            start -= 1  # "……还缺一个数：2025年全市用电总量（kWh），请提供": what is requested came just before
        return "，".join(clauses[start:])
    start = asking[-1]
    while start - 1 in asking:
        start -= 1  # "我们街道去年人均用水量是多少，跟前年比怎么样": both clauses ask
    while start and re.match(r"(和|跟|与|同|比|较|对比|相比)", clauses[start]) and _data_words(clauses[start - 1]):
        start -= 1  # "……，就是2024年全市综合能耗总量，和2023年比变化了多少": the comparison of the figure named before
    while start and re.fullmatch(r"(那|那么|那就)?(和|跟|与|同|较|对比|相比)[^，]{0,10}(比|相比|比较|对比)?", clauses[start - 1]):
        start -= 1  # "……面积变大了。那跟2022年比，我们院2024年的单位面积能耗变了多少": the base named just before
    return "，".join(clauses[min(start, requests[-1]) if requests else start:])


def _other_place(text: str, institutions: list[str], tagger: Tagger | None = None) -> str | None:
    """A place name that is not part of any institution's name ("合肥市", "广东"): another region's figures.
    (A grid factor's region, "按浙江2022年因子", is not such a place: the caller skips questions about factors.)"""
    if tagger is None:
        import jieba.posseg

        pairs = [(p.word, p.flag) for p in jieba.posseg.lcut(text, HMM=False)]
    else:
        pairs = tagger(text)
    own = "".join(institutions)
    for word, flag in pairs:
        # (jieba tags 东西, "thing", and 长流水, a tap left running, as places: "好多东西还不太熟")
        # (nor 馆里, 院里, 局里: "in our library", the unit asking)
        if flag == "ns" and len(word) >= 2 and word not in own and word not in ("全市", "本市", "咱市", "东西", "长流水") \
                and not re.fullmatch(r"(局|院|馆|校|所|站|委|办|中心|厅|处|队|楼|园)里", word):
            return word
    return None


# Words a question about our own figures is made of, besides metric names, unit names and categories: what a data
# follow-up says when it names no unit ("人均是多少，感觉偏高", "全市同口径比呢", "截至9月底有没有已经超预算的"), and
# who asks (领导, 总务处). 百分制 is the speller's reading of 百分之.
_DATA_VOCABULARY = frozenset(
    "数据 情况 指标 单位 总量 合计 名单 排名 名次 前三名 趋势 走势 变化 变化趋势 同比 环比 同期 去年同期 同口径 口径 降幅 增幅 "
    "幅度 百分点 百分之 百分比 比例 执行率 预算 单位预算 超预算 定额 超定额 约束值 引导值 异常 异常值 读数 电表 水表 电费 "
    "电量 水量 用量 油耗 月份 季度 年份 时间段 段时间 全年 上半年 下半年 用电 用水 用气 用能 能耗 人均 面积 碳排放 排放 "
    "二氧化碳 标准煤 标煤 总体 整体 全部 全市 基期 开局 收官 水平 大户 电老虎 数值 个数 时候 一共 共用 方面 范围 实际 类型 "
    "顺带 系统 同类 感觉 度电 碳排放总量 百分制 领导 同事 稿子 办公室 总务处 后勤 人头 每人 时期 基准年 基准 名单 "
    "年度 上年度 本年度 增减 核实 在列 数据 排查 筛查 起点 起始 终点 起始年份 截止 单子 同口径 总能耗 总用能 总用电 总用水 能耗总量 "
    "能耗预算 用能预算 电力预算 用水预算 预算执行 执行进度 时段 同一时段 同期 倒数 末位 垫底 总结 材料 汇报 历年 逐年 每年 这几年 近几年 "
    "块儿 那块 这块 那块儿 这块儿 方面 部分".split())  # "用水量那块儿呢": which figure, not a topic
_FOREIGN_POS = {"n", "nr", "nrfg", "nrt", "ns", "nt", "nz", "ng", "j", "vn", "an", "x"}  # x: the glossary's own terms


def foreign_topic(text: str, institutions: list[str], tagger: Tagger | None) -> list[tuple[str, str]]:
    """Topic words of `text`, with their part-of-speech flag (x: a glossary term), that are not about our figures:
    not a metric, unit, category or data word ("能效领跑", "光伏", "工作日", "节约型机关创建"). A question that names no
    unit and holds such a word asks about the rules or a programme, not the figures of the unit discussed before
    ("改造完了要等多久才能去报能效领跑着")."""
    if tagger is None:
        import jieba.posseg

        pairs = [(p.word, p.flag) for p in jieba.posseg.lcut(text, HMM=False)]
    else:
        pairs = tagger(text)
    own = "".join(institutions) + "".join(metric_synonyms()) + "".join(CATEGORY_WORDS)
    return [(w, flag) for w, flag in pairs if len(w) >= 2 and flag in _FOREIGN_POS and w not in _DATA_VOCABULARY
            and w not in own and not re.fullmatch(r"[0-9.]+", w) and not re.fullmatch(r"([比看算查列排找试])\1", w)]
    # (a verb said twice, "比比", "算算", is not a name though jieba may tag it so)


def asks_about_other_than_figures(text: str, institutions: list[str], tagger: Tagger | None = None) -> bool:
    """Whether what `text` asks (its last asking clause on) is about something other than figures: it names no year
    and no metric, and holds a topic word that is not about our data ("节能法里重点用能单位是一年耗多少标煤以上的？
    我们医院会不会算进去" is about the law's threshold; "它22年新教学楼投用了，22年单位面积能耗比21年变了多少" asks a
    figure)."""
    text = _normalise(text)
    asked_part = asking_part(text, short_too=True)
    if re.search(r"20\d\d|今年|去年|前年|本年|上年", text):
        return False
    foreign = foreign_topic(text, institutions, tagger)
    # a term of the glossary (节能法, 重点用能单位) says so even beside a metric word; a common noun only without one
    return bool(foreign) and (not _metric(asked_part) or any(flag == "x" for _, flag in foreign))


_POLITE = re.compile(r"^(?:(?:您好|你好|请问一下|请问|麻烦(?:您|你)?(?:问一下|问下)|另外|谢谢|好的|并?请(?:提供|说明|给出)|"
                     r"麻烦提供)[，,。!！\s]*)+")


_BARE_YEAR = re.compile(r"(?:^|(?<=[\u4e00-\u9fff]))(?<!十)(1[5-9]|2[0-9]|二[〇零一二三四五六七八九]|一[五六七八九])"
                        r"(?=年?[呢的吧啊？?。]*$)")
_NOT_A_CATEGORY = re.compile(r"(节约型|节水型|示范|无废|绿色|零碳)(机关|学校|单位|医院)|机关事务")  # 机关 in these
_REMARK = re.compile(r"(.+?(?:呢|多少|[？?]))[？?，,]+(.+)$")
_ASKS_SOMETHING = re.compile(r"列|查|看|给我|排|多少|(?<!这)几(?!年)|吗|呢|哪|谁|什么|啥|怎么|如何|[？?]|\d")
_COMMENT = re.compile(r"^(我们|咱们|他们|孩子们|大家|学生|职工)|(挺|很|太|真|特别|蛮)[^，,]{0,4}(多|大|高|少|低|快|慢)的?了?$|"
                      r"(应该|估计|可能|大概|肯定)[^，,]{0,10}(吧|了)$")  # "车改以后应该降了不少吧": a guess


def _asking_clauses(text: str) -> str:
    """The clauses of `text` that ask something, without the remarks between or after them ("面积能耗2024比2023怎么样，
    新病房楼面积加了" → the first); `text` when none does."""
    clauses = [c for c in re.split(r"[，,。；;！!？?]", text) if c.strip()]
    asking = [c for c in clauses if _ASKING_WORDS.search(c) or re.search(r"呢|比|排|列|查", c)]
    return "，".join(asking) or text


def _as_asked(text: str, context: dict | None) -> str:
    """A normalised message as asked: without a polite opening ("请问与2023年相比变化幅度如何"), a bare year after a
    question with a year written out ("24", "三小 二五" → 2024, 2025), and without a remark after a follow-up
    ("那人均的呢？我们参观人数这几年变化挺大的", "那人均下来是多少呢，孩子们用水也挺多的")."""
    rest = _POLITE.sub("", text)
    text = rest if rest.strip("，,。!！？? ") else text  # "你好", "谢谢" alone are greetings
    if context and context.get("slots", {}).get("year") and \
            len(re.findall(r"\d+|[一二][〇零一二三四五六七八九](?!年)", text)) <= 1:
        text = _BARE_YEAR.sub(lambda m: full_years(m.group(1) + "年")[:4], text)
    remark = _REMARK.match(text)
    if remark and is_followup(re.sub(r"^(哦|噢|嗯|好的?|明白了?)[，,]?", "", remark.group(1))) and \
            not _ASKS_SOMETHING.search(remark.group(2)) and _COMMENT.search(remark.group(2)):
        text = remark.group(1)
    return text


def _normalise(question: str) -> str:
    text = question.strip().translate(str.maketrans("０１２３４５６７８９：，？！（）", "0123456789:,?!()"))
    text = re.sub(r"其中(?=医院)", "其中的", _shorthand(text))  # "其中医院": 其中 and a category, not 中医院
    if not re.search(r"[\u4e00-\u9fff]", text):
        return text
    text = full_years(re.sub(r"\s+", "", pauses_as_commas(text)))  # the scene of a spoken message is not the question
    # "今年对去年", "2025对2024", "25对22": one year against another, as "今年比去年"
    text = re.sub(r"(?<![0-9.])(1[5-9]|2[0-9])对(1[5-9]|2[0-9])(?![0-9.])", r"20\1年比20\2年", text)
    return re.sub(r"(今年|去年|前年|上年|20\d\d年?)对(比)?(?=今年|去年|前年|上一?年|20\d\d)", r"\1比", text)


# Shorthand typed into a data question: a metric by its unit ("资规局 2025 kgce/m²", "发改委 2023 kWh", "人均m³"),
# TOP5, YoY, vs, arrows and dashes between years ("20→25", "2019-2025", "24 vs 23"). A unit in a conversion ("100 kWh
# 折多少标煤", "1万千瓦时折多少kgce") or in a question about units stays as typed.
_UNIT_METRICS = ((r"kgce\s*/\s*(m²|m2|㎡|平方米|平米)|千克标准?煤\s*/\s*(平方米|平米|m²)", "单位建筑面积能耗"),
                 (r"kgCO2\s*/\s*(m²|m2|㎡|平方米|平米)|kgCO₂\s*/\s*(m²|m2|㎡)", "单位建筑面积碳排放"),
                 (r"kgce\s*/\s*人|千克标准?煤\s*/\s*人", "人均综合能耗"),
                 (r"(m³|m3|立方米?)\s*/\s*人|人均\s*(m³|m3)", "人均用水量"),
                 (r"(tCO2|tCO₂)(?![/A-Za-z0-9])", "碳排放"),
                 (r"kWh(?![/A-Za-z0-9])", "用电量"),
                 (r"(kgce|tce)(?![/A-Za-z0-9])", "综合能耗"),
                 (r"(m³|m3)(?![/A-Za-z0-9])", "用水量"))
TERSE_CHARS = 12  # Chinese characters at most in a terse request ("资规局 2025 kgce/m²" has 3)
# a conversion, or a question about the unit itself ("kgce和tce有啥区别", "kWh是什么单位")
_CONVERSION_WORDS = re.compile(r"折|换算|等于|相当于|合多少|是多少(吨|千克|公斤)|什么|啥|区别|意思|怎么|如何|为什么|是不是|哪个")
_YEAR_DIGITS = r"((?:19|20)[0-9]{2}|1[0-9]|2[0-9])"  # 2019, or 19 for it
_NOT_AFTER_A_FIGURE = r"(?<![0-9./万千百亿两一二三四五六七八九十])"  # "100 kWh", "1万kWh", "kgce/kWh": quantities, units


def _year_word(year: str) -> str:
    return f"{year if len(year) == 4 else '20' + year}年"


def _shorthand(text: str) -> str:
    """`text` with shorthand written out as words (see _UNIT_METRICS above)."""
    # units are read as metrics only in a terse request ("资规局 2025 kgce/m²"), not in a sentence that mentions one
    if len(re.findall(r"[\u4e00-\u9fff]", text)) <= TERSE_CHARS and not _CONVERSION_WORDS.search(text):
        # beside a metric word a unit is that metric's, said twice ("综合能耗kgce也给个YoY", "天然气用了多少m³")
        named = bool(_metric(text) or re.search(r"天然气|燃气|用气|汽油|柴油", text))
        for pattern, name in _UNIT_METRICS:
            text = re.sub(_NOT_AFTER_A_FIGURE + "(" + pattern + ")", "" if named else name, text, flags=re.I)
    # "海洋渔业局 23 24 25 用水": three or more years typed apart are a range
    text = re.sub(r"(?<![0-9.])(1[5-9]|2[0-9])(?:\s+(?:1[5-9]|2[0-9]))+\s+(1[5-9]|2[0-9])(?![0-9.])",
                  lambda m: f"20{m.group(1)}年到20{m.group(2)}年", text)
    # two ("24 25 用水") are two years, not the number 2425 once the space is gone
    text = re.sub(r"(?<![0-9.])(1[5-9]|2[0-9])\s+(1[5-9]|2[0-9])(?![0-9.])", r"20\1年和20\2年", text)
    # 名: "TOP10 2024", "前5 2024" are not 前102024, 前52024
    text = re.sub(r"(?<![A-Za-z])TOP\s*(\d+)|前(\d+)(?=\s+\d)", lambda m: f"前{m.group(1) or m.group(2)}名", text,
                  flags=re.I)
    text = re.sub(r"(?<![A-Za-z])YoY(?![A-Za-z])", "同比", text, flags=re.I)
    text = re.sub(r"(?<![A-Za-z])trend(?![A-Za-z])", "趋势", text, flags=re.I)
    # "24 vs 23", "20→25", "2019-2025", "2015 → 2025": two years compared, a range of years
    text = re.sub(r"(?<![0-9.])" + _YEAR_DIGITS + r"\s*(?:vs\.?|VS)\s*" + _YEAR_DIGITS + r"(?![0-9.])",
                  lambda m: f"{_year_word(m.group(1))}比{_year_word(m.group(2))}", text)
    text = re.sub(r"(?<![A-Za-z])vs\.?(?![A-Za-z])", "比", text, flags=re.I)
    return re.sub(r"(?<![0-9.])" + _YEAR_DIGITS + r"\s*(?:→|->|=>|—|–|-|~|～)\s*" + _YEAR_DIGITS + r"(?![0-9.])",
                  lambda m: f"{_year_word(m.group(1))}到{_year_word(m.group(2))}", text)




# Which units' data look wrong ("哪些单位数据有问题", "数据有问题的单位"): a whole-city check, not a data fault's cause
_FAULTY_UNITS = (r"(哪些|哪几家?|哪个|谁家)(单位)?.{0,6}(数据|读数).{0,3}(有|出了?)?(问题|毛病|不对)|"
                 r"(数据|读数)(有|出了?)?(问题|毛病)的(单位|有|是)|(数据|读数)不对的(单位|有|是)")
_ANOMALY = re.compile(r"异常|诊断|突增|突降|不正常|正常吗|不对劲|反常|偏高的月|哪个月.{0,6}(高|多|大|不对)|漏水|跑冒滴漏|"
                      + _FAULTY_UNITS + r"|"
                      r"[电水]表.{0,6}(坏|故障|停走|不走|跳)")


_FEW = r"[2-9]|10|[两二三四五六七八九十]"  # a few years, as counted back ("五年前")
_YEARS_AGO = rf"(?:{_FEW})年以?前"
# A message that opens by comparing with a year ("跟2019年比呢 疫情前", "比起前年呢"): the figure being discussed
_AGAINST_A_YEAR = re.compile(r"(那|那么)?((跟|和|与|同|对比|相比|相较于?|比起|较之?|比)(20\d\d|[去前]年|上一?年|"
                             + _YEARS_AGO + ")|同比|环比|"
                             # "跟新楼投用前的2022年比呢": the year described, then compared with
                             r"(跟|和|与|同|相比|比起)[^，,。？?]{1,10}?的(20\d\d)年?(比|相比|对比))")


# Whether the 14th five-year plan's target was met ("完成十四五目标没", "跟十四五目标比完成了没")
_FYP_TARGET_MET = re.compile(r"十四五.{0,4}(目标|任务).{0,8}(完成|达到|实现|达标|做到)|(完成|达到|实现)了?十四五.{0,4}(目标|任务)")
# "第一名是哪家就行", "倒数第一是哪家" (whole message) after a ranking: the same list, cut to its first or last unit
# "2024年全市综合能耗第一": the first of a ranking, asked by the metric and its place alone
_FIRST_OF_METRIC = re.compile(r"(?<!排)(?<!排在)第一(名|位)?(是(谁|哪家|哪个单位))?[？?。]?$")
# "第二第三也给我", "第二名和第三名呢": the next places of the list just given
_NEXT_PLACES = re.compile(r"第([二两三四五])(名|位|个)?[、和跟及,，]?第([三四五六七八九十])(名|位|个)?")
ONE_OF_THE_LIST = re.compile(r"(那|那么)?(只要|就要|只看)?(倒数)?第一名?(是|为)?(哪家|哪一家|哪个单位|谁)?"
                             r"(就行|就好|就够了|就可以)?[啊呀呢吧]?[？?。]?")
_IN_THE_LIST = re.compile(r"在(不在)?(里面|里头|其中|名单里)")  # "二中在不在里面": where a unit stands in a list
# "我们排第几", "二中在学校里排老几": the place of one unit in a ranking
PLACE_ASKED = re.compile(r"排(在)?第(几|多少)|排(几|多少)(名|位)|排名第?(几|多少)|排老几|第几名|(什么|啥|哪个)(位置|名次)|"
                         r"在(全市|全部单位|同类|学校|医院|机关|场馆|其他类)[^，,。？?]{0,4}(算(高|低|多|少)|(什么|啥)水平)")
# National bodies, whose standards and figures the documents hold and our data never do
NATIONAL_BODY = re.compile(r"水利部|住建部|住房和?城乡建设部|建设部|财政部|生态环境部|工信部|工业和信息化部|教育部|商务部|自然资源部|"
                           r"国家卫健委|国家发展改革委|国家发改委|国管局|国家机关事务管理局|国家统计局|国家能源局|市场监管总局")
# who issued a document ("JS/T 303-2026……是哪个单位发布的"): never a ranking of our units
_ISSUED_BY = re.compile(r"(哪个|哪家|哪一个|什么)(单位|部门|机构)(发布|印发|出台|制定|编制|发的|出的|颁布)|谁(发布|印发|出台|制定|编制|颁布)")
# "2025年超了用能预算的单位里有我们吗": whether a unit is among those over, asked of the whole city's list
MEMBER_ASKED = re.compile(r"(单位|名单|哪些|哪几家|的)(里|中|当中|里面|里头|之中)?[，,]?(有没有|有|包不包括|包括|含不含)"
                          r"(我们|咱们?|我单位|本单位|它|\S{1,14}(局|院|中心|学校|中学|小学|大学|馆|委|办|所|站|政府|处))"
                          r"(吗|没有|没|不)?[？?]?$|(在不在|有没有在|算不算在)(里面|里头|其中|名单|内|这里面)")
_OVER_BY = re.compile(r"超(了|出|过)?(多少|几)|超标?(了)?(没|吗|不)")  # how far over, whether over


# Whether a quantity counts in a total, or what one unit of a fuel gives: the documents answer, not the data
_RULE_OR_FACTOR = re.compile(r"(是不是|要不要|需不需要|需要|算不算|能不能|可不可以)(也)?(要)?.{0,10}(算进|计入|算入|折成|折算成?)|"
                             r"(?<![\d万千百十])(一|1|每)(方|度|吨|立方米?|千瓦时|升|公斤)(的)?(天然气|电|水|汽油|柴油|煤|气|油)?.{0,4}"
                             r"(排|折|产生|算)(放)?(多少|几多|几)")


def _numeric_intent(text: str, slots: dict) -> str | None:
    # A category ("学校") is a target for rankings and quota checks, or with a named metric ("医院人均能耗").
    has_target = "institution" in slots or ("category" in slots and bool(_metric(text)))
    if re.search(r"怎么算|如何计算|计算方法|公式|什么是|是什么意思|定义|含义|哪些规定|依据", text) and \
            not re.search(r"20\d\d|今年|去年", text):
        return None
    if _RULE_OR_FACTOR.search(text):
        return None  # "用水是不是也要折成标准煤算进综合能耗", "一方天然气排多少二氧化碳": a rule or a factor
    final = _last_clause(text)
    if _ANOMALY.search(text) and not (final != text and not _ANOMALY.search(final) and _metric(final) and
                                      re.search(r"全年|多少|看下|看看|查下|查一下", final)):
        # (not "我们23年11月电表停走了，想看下我们2023年全年用电量": the scene's fault, then the figure asked)
        return "anomaly" if has_target or "year" in slots or ALL_UNITS.search(text) else None
    if re.search(r"执行(得|率)?.{0,2}(最|较|比较)?(紧|吃紧)", text):
        return "budget"  # "到10月份为止的话 执行最紧的前五家": only a budget is executed tight
    if re.search(r"预算|执行率", text) and re.search(r"执行|用了|用得|使用|进度|超|还剩|剩余|完成|情况|多少|紧|快用完|用完|"
                                            r"见底|花完|花光|快没了|不够", text):
        return "budget"
    if re.search(r"定额|约束值|引导值|超标(?!准)|达标", text):
        return "quota" if (has_target or re.search(r"哪些|哪个|有没有|是否|单位|有.{0,8}吗", text) or "category" in slots
                           or ALL_UNITS.search(text)) else None
    if re.search(f"{_RANK_WORDS}|{_MOST}|排前|哪些单位|哪个单位|哪家|哪几家", text) or \
            (re.search(r"第[一二三1-3]名?的?是(谁|哪)", text) and _metric(text)) or \
            (_FIRST_OF_METRIC.search(text) and _metric(text)) or \
            ("top" in slots and slots.get("institution") in (None, "全部")):  # "党政机关用电前十 2025"
        return "rank"
    if re.search(r"趋势|历年|逐年|走势|变化情况|历史数据|这几年|近几年|近.{1,2}年|十四五进展|完成情况|怎么变|咋变|如何变化|"
                 r"每年(都|各|分别)?是?多少|一年比一年|"
                 r"(怎么|咋|如何)个?走的?$|(怎么|咋)个?走的|走向|(怎么|咋)个变|"
                 r"从20\d\d年?.{0,3}到(20\d\d|今年|去年|现在)|(?<!\d)20\d\d年?(到|至|—|~)(20\d\d年?|今年|去年|现在)$|"
                 r"20\d\d年?以来|"
                 # "海洋渔业局 23 24 25 用水": a span of years, then the metric alone
                 r"(?<!\d)20\d\d年?(到|至|—|~)20\d\d年?的?\S{0,8}?(用电量?|用水量?|能耗|排放|用气量?)(呢|吧)?$|"
                 r"(?<!\d)20\d\d年?(到|至)20\d\d年?的?.{0,8}(变化|走势|趋势)",
                 text) and has_target and not re.search(r"较(上一?年|去年|20\d\d)", text):  # "较2024年度变化情况": two years
        return "trend"
    if has_target and (_is_compare(text) or "other_institution" in slots or
                       ("base_year" in slots and re.search(r"比|较|对比|相比", text))):
        return "compare"
    if has_target and re.search(r"碳排放|二氧化碳|碳排", text) and re.search(r"因子|华东|浙江|全国|按.*计算", text):
        return "carbon"
    if has_target and _data_words(text):
        return "indicator"
    return None


def _is_compare(text: str) -> bool:
    return bool(re.search(r"比.{0,8}(降|升|增|减|少|多|高|低|变化|怎么样|如何)|相比|对比|比较|同比|较上年|较去年|较20\d\d|增减|涨跌|升降|下降|降了|上升|增长|变了(多少|几)|"
                          r"(减|增)了(多少|几)|(降|涨|升|减)(下来|上去|上来)了?(没有?|吗|不)|(降|涨|升)没(降|涨|升)|"
                          r"降低|减少了|增加了|变化|和.+比|跟.+比|与.+比|同.{1,12}比|差了|差多少|相差|差距|对一下|对照一下|比对|"
                          r"涨了|涨幅|降幅|增幅|多用了|少用了|多了多少|少了多少|比一下|比比|对比下", text))


def _data_words(text: str) -> bool:
    return bool(_metric(text) or re.search(r"能耗|用电|用水|用气|碳排放|指标|多少|数据|情况|消耗|人均|单位面积|每平", text))


# Spoken ways to ask a metric. Per m² wins over the table ("24年每平米的碳排放", though 碳排放 alone is in it); the
# totals are asked only where the table has no word ("用了多少电", "水用了多少").
_PERSON = r"(按人头|平均每个?人|每个?人的?|一个人)"  # per person, as said: 按人头, 平均每人, 一个人用多少水
_PER_PERSON = re.compile(_PERSON + r"(平均)?(能耗|用能|用水|用多少|综合能耗|用|耗)|按人头|平均每个?人|(摊|分摊|平摊|分)到每?个?人头?上?|每个人头上")
_SPOKEN_PER_AREA = ((re.compile(_PERSON + r".{0,16}(用水|水)"), "water_per_capita"),  # ("按人头算市中医院一年用多少水")
                    (re.compile(_PERSON + r".{0,16}(能耗|用能|综合能耗|耗能)"), "energy_per_capita"),
                    (re.compile(r"(每平米?|每平方米?|单位面积|单位建筑面积)(.{0,4}|[^，,能]{0,10}二氧化)碳|碳排放?.{0,4}(每平米?|每平方米?)"),
                     "carbon_per_area"),
                    (re.compile(r"(每平米?|每平方米?|按(单位)?(建筑)?面积算?的?).{0,4}(能耗|用能)|(能耗|用能).{0,4}(每平米?|每平方米?)"),
                     "energy_per_area"))
_SPOKEN_TOTALS = ((re.compile(r"(排|排放)了?(多少|几)(万)?(吨|千克|公斤)?(二氧化碳|碳)"), "carbon"),
                  (re.compile(r"(用|耗|费)了?(多少|几|好多|几多)(万)?(度|千瓦时|kWh)?电|电用了|(多少|几)度电|电费?用了多少|电费单|电表|电.{0,8}多少度|"
                               r"电(少|多|省|降|增|涨)了?(多少|几)|电老虎|用电大户|耗电大户|最(费|耗|省)电"), "electricity"),
                  (re.compile(r"人均.{0,3}(几|多少)(方|立方|吨水)"), "water_per_capita"),
                  (re.compile(r"(用|耗)了?(多少|好多|几多)(吨|方|立方米?)?水|水用了|水表|(几|多少)方水|最(费|耗|省)水|"
                              r"用水大户"), "water"))


def _spoken_metric(text: str, patterns: tuple[tuple[re.Pattern, str], ...]) -> str | None:
    return next((key for pattern, key in patterns if pattern.search(text)), None)


def _metric(text: str) -> str | None:
    text = text.replace("用能单位", "单位")  # 重点用能单位 is a kind of unit, not 用能 asked
    table = metric_synonyms()
    table.pop("水", None)  # too short to mean 用水量 on its own (节水型单位, 水效)
    spoken = _spoken_metric(text, _SPOKEN_PER_AREA)
    if spoken:
        return spoken
    found = [(text.find(name), -len(name), key) for name, key in table.items() if name in text]
    if not found:
        return _spoken_metric(text, _SPOKEN_TOTALS)
    # The longest phrase wins ("人均用水量" over "用水量"); at equal length the earliest.
    found.sort(key=lambda t: (t[1], t[0]))
    key = found[0][2]
    if key in {"carbon", "energy"} and re.search(r"(?<![不别])按(单位)?(建筑)?面积|每平方?米|单位(建筑)?面积", text) and \
            not re.search(r"总量|总的", text):
        return f"{key}_per_area"  # "按面积算的碳排放前五": per m²
    return key


def _years(text: str, today: date, latest_year: int | None = None) -> list[int]:
    # "前年也就是2022年": the year written out says which year the word meant
    text = re.sub(r"(大前年|前年|去年|上一?年|今年)[，,]?(也就是|就是|即|也即)(?=(20)?\d\d年)", "", text)
    # not a quantity ("少用2000度电", "2050万元")
    years = [int(y) for y in re.findall(r"(?<![\d.])(20[0-9]{2})(?:年|$|[^0-9.度千万立方吨升元米个家公斤克%％kKmM])", text)]
    if years and re.search(r"(比|较|与|和)(上年|去年|上一年)|同比", text):
        return list(dict.fromkeys(years + [max(years) - 1]))  # "2022年……比上年" is 2022 against 2021
    # "今年" is the latest year that has data; when the calendar year has none yet, 去年 and 前年 count back from that
    # year too, so that 今年 and 去年 never name the same year (the answer states the year it used).
    anchor = latest_year if latest_year and latest_year < today.year else today.year
    if not years and re.search(r"(跟|和|与|同|比|较|对比|相比)(它自己的?|它的?|自己的?)?(去年|上年|上一年)", text) and \
            "前年" not in text:
        this_year = latest_year if latest_year else today.year
        return [this_year, this_year - 1]  # "疾控跟去年比怎么样": this year against last year
    # (大前年 is three years back, and not also 前年)
    for word, offset in (("今年", 0), ("本年", 0), ("最(新|近)(的)?(那)?一?年(?!度?以来)", 0), ("去年", -1), ("上年", -1), ("上一年", -1),
                         ("大前年", -3), ("(?<!大)前年", -2)):
        if re.search(word, text) and not re.search(word + r"(度)?(同期|以来)", text):
            years.append((latest_year if offset == 0 and latest_year else anchor) + offset)
    ago = re.search(r"(?<![\d十])(" + _FEW + r")年以?前", text)  # "跟五年前比"
    if ago:
        years.append(anchor - _count(ago.group(1)))
    return list(dict.fromkeys(years))


def _count(word: str | None) -> int:
    """A small count as said: "两" and "二" are 2, "5" is 5; none is 1 ("再前一年")."""
    if not word:
        return 1
    return int(word) if word.isdigit() else chinese_to_int(word.replace("两", "二")) or 1


def is_followup(text: str) -> bool:
    """A short question that leans on the one before ("那2023年呢？", "换成人均呢", "跟二中比呢", "只看文化场馆",
    "前三就行", "前年学校的", "23年同期")."""
    if re.search(r"(换成|改成|按).{0,12}(再排|重新排|排一遍|重排)", text):
        return True  # "嗯，职院排第一我能理解，它面积大。那你换成单位面积能耗再排一遍看看": the same list, by another metric
    if ONE_OF_THE_LIST.fullmatch(text):
        return True  # "第一名是哪家就行" after a ranking: the same list, cut to its first
    if _NEXT_PLACES.search(text) and len(text) <= 14:
        return True  # "第二第三也给我" after the first: the same list, to its third
    if re.fullmatch(r"那?(从|自)(20)?\d\d年?(开始|起)算?(呢|吧)?", text):
        return True  # "从2020开始算" after a trend: the same trend from another year
    if re.match(r"还是(看|按|回到)", text):
        return True  # "还是看医院，回到单位面积能耗，看2025年": back to what was asked before, however long
    if re.search(r"也(拿|按|看|照|比|算|查|给|列|排)|照(这个|刚才|上面)|同样的?(口径|办法|算法)", text) and \
            (_metric(text) or re.search(r"20\d\d|今年|去年|最新", text)) and \
            not re.search(r"什么|啥|怎么|为什么|如何|能不能|是不是|吗", text):
        return True  # "那单位面积能耗呢，也拿最新这年和2020年比比": the same question again, however long
    if len(text) > 20:
        # "行，那再帮我看一眼2023年的，只看文化场馆这一类": short follow-ups one after another
        clauses = [c for c in re.split(r"[，,。；;！!？?\s]", text)
                   if c and not re.fullmatch(r"行|好|好的|嗯+|OK|ok|哦+|噢|对|是的|明白了?|收到|谢谢", c)]
        # (not "回到数据，全市2024年人均用水量比2023年呢": a metric and a year make a question of their own)
        return len(clauses) > 1 and all(len(c) <= 20 and is_followup(c) for c in clauses) and \
            not (_metric(text) and re.search(r"20\d\d", text))
    if re.match(CORRECTION, text) or _BARE_SOURCE.fullmatch(text) or re.search(r"同口径|同样的?口径|口径(一样|相同|不变)", text) or \
            re.search(r"(时间段?|时段|年份|区间|年头|单位)(不变|一样|照旧)|[，,](换成|改成)", text):
        return True  # "电" after a unit's water trend; "电力消耗同口径": the same question of another metric
    if re.match(r"^(那|那么|那如果|如果是|换成|换|改成|改|和|跟|与|同|对比|比较|还有|比|较|相比|只要|只看|就看|光看|再看|再往前|往前|再往后|往后|同样|照样|上一年|前一年|其中|回到|刚才|刚刚|"
                r"(一直)?到(20\d\d|今年|去年))", text) or text.endswith(("呢", "呢?", "就行", "就好", "就可以")) or "呢," in text or "呢，" in text:
        return True
    if re.search(r"还剩(下)?(哪|几|谁)|剩下(的)?(哪|几|谁)", text) and len(text) <= 20 and \
            not re.search(r"什么|啥|怎么|为什么|如何|预算|额度", text):
        return True  # "对照一下，2025年还剩哪些？" after the units over the quota: that year's list
    if re.search(r"超过?(100|百分之百)|(都|全)列出来", text) and not re.search(r"什么|啥|怎么|为什么|如何", text):
        return True  # "全年超过100%的都列出来" after the tightest budgets: every unit over, of the same year
    # A fragment: a year, month, category or ranking with nothing asked ("前年学校的", "23年同期", "截至11月有没有超的")
    # (up to 16 characters when it asks no "which": "截至6月的时候有没有已经超的"; "今年有哪些单位超了" is a new question)
    # "23年是什么情况", "23年场馆类超的有几家": the same question asked again of another year or category
    rest = re.sub(r"(又是|是)?(什么|啥)(情况|样子?)|(怎么|咋)样了?|(有)?(几|多少)(家|个)", "", text)
    return len(text) <= (12 if re.search(r"哪|谁", text) else 16) and \
        not re.search(r"什么|啥|怎么|为什么|如何|是不是|能不能|多少|几", rest) and \
        bool(re.search(r"20\d\d年?的?$|20\d\d年|同期|同比|环比|比上年|[前去今]年|[0-9一二三四五六七八九十]+月|学校|医院|机关|场馆|其[他它]类|"
                       r"前[二两三四五六七八九十\d]|全市|整个市|全部|人均|单位面积|每平|超了|超的|超标|这一年|那一年|当年|倒数|"
                       r"都列|全列|全年|上半年|下半年|季度|进行排查|(所有|全部|各)(类型|类别|种类)|不分(类型|类别)|都算上|单独.{0,6}排查|历年|逐年|每年|这几年|近几年|走势|趋势", text) or
                 (len(text) <= 8 and _metric(text)))


def institutions_named(text: str, names: list[str]) -> tuple[list[str], list[str]]:
    """The units `text` names and the ambiguous candidates, as understand() reads them."""
    return _find_institutions(_normalise(text), names)


# Abbreviations of government departments everyone uses (疾控中心, 人社局, 住建局): written out before matching.
_DEPARTMENT_ABBREVIATIONS = {"疾控": "疾病预防控制", "人社": "人力资源和社会保障", "住建": "住房和城乡建设",
                             "市监": "市场监督管理", "市场监管": "市场监督管理", "卫健": "卫生健康", "文广旅体": "文化和广电旅游体育",
                             "文广旅": "文化和广电旅游体育", "自然资源局": "自然资源和规划局", "自规": "自然资源和规划",
                             "资规": "自然资源和规划",
                             "海渔": "海洋与渔业", "妇保": "妇幼保健", "机关事务局": "机关事务管理中心", "科技局": "科学技术局",
                             "机关事务中心": "机关事务管理中心", "职院": "职业技术学院", "职业学院": "职业技术学院",
                             "妇幼": "妇幼保健"}


def _own_district(intro: str, rest: str, institutions: list[str]) -> str:
    """`rest` with "我们区政府" written as the government of the district the user's `intro` names ("我是东港区机关事务局
    的，……我们区政府……" → 东港区人民政府)."""
    districts = [n for n in institutions if n.endswith("区人民政府") and n.removesuffix("人民政府") in intro]
    if len(districts) != 1:
        return rest
    return re.sub(r"(?:我们|咱们?)区(?:人民)?政府", districts[0], rest)


def shortened_names(names: list[str]) -> list[str]:
    """Our units' names as everyone shortens a department's (市市场监管局 for 市市场监督管理局, 市住建局): the forms a
    voice-input slip is read against ("市场间管局")."""
    return [name.replace(full, short) for name in names for short, full in _DEPARTMENT_ABBREVIATIONS.items()
            if full in name]


_HIGHER_ORGANS = "部厅署"  # what ends a national ministry's or a province's department's name, never a city unit's


def _bare(name: str) -> str:
    """A unit's name as people shorten it first: without a leading 市/区/县 ("第二中学" for 市第二中学)."""
    return name[1:] if name.startswith(("市", "区", "县")) and len(name) > 3 else name


def with_full_names(text: str, names: list[str]) -> str:
    """`text` with our units written out where it shortens them ("二中的预算为啥这么紧" → "市第二中学的预算……"): the
    documents, like the data, use the full names."""
    found, _ = institutions_named(text, names)
    for name in found:
        organ = name.endswith(("委", "局", "政府", "院", "处")) and not name.endswith(("医院", "学院", "保健院"))
        if name == "全部" or name in text or organ:
            continue  # "发改委", "法院": as often the national body or any court, not our city's
        bare = _bare(name)
        if bare in text:
            continue
        span = _abbreviation(text, bare) or _longest_common(text, bare)
        if span and len(span) >= 2:
            text = text.replace(span, name, 1)
    return text


def _find_institutions(text: str, names: list[str]) -> tuple[list[str], list[str]]:
    """Institutions named in `text`, in order of appearance; and candidates when a mention is ambiguous."""
    for short, full in _DEPARTMENT_ABBREVIATIONS.items():
        if short in text and full not in text:
            text = re.sub(f"{short}(?![{_HIGHER_ORGANS}])", full, text)  # 住建部 is the ministry, not our 住建局
    scored: list[tuple[int, int, str]] = []  # (position, -match length, name)
    for name in names:
        bare = _bare(name)
        span = _longest_common(text, bare)
        length = len(span)
        after = text[text.find(span) + length: text.find(span) + length + 1] if span else ""
        if span and length < len(bare) and after and after in _HIGHER_ORGANS:
            span, length = "", 0  # "住房和城乡建设部", "省卫生健康委": a ministry or province's department
        start = text.find(span) + length if span else 0
        if span and length < len(bare) and text[start:start + 2] in ("机构", "部门"):
            span, length = "", 0  # "机关事务管理机构": any such organ, not our 市机关事务管理中心
        if span and (length >= len(bare) or (length >= 3 and length >= 0.6 * len(bare))
                     or (length >= 4 and length >= 0.5 * len(bare))):
            scored.append((text.find(span), -length, name))
            continue
        abbrev = _abbreviation(text, bare)  # 发改委 → 发展改革委, 人社局 → 人力资源和社会保障局
        place = re.sub(r"(人民政府|政府|街道办事处|办事处)$", "", bare)  # 西岙区 for 西岙区人民政府
        core = re.sub(r"(区|县|街道)$", "", place)  # "东港的是多少": 东港 for 东港区人民政府
        if place != bare and len(place) >= 2 and place in text:
            scored.append((text.find(place), -len(place), name))
        elif place != bare and len(core) >= 2 and core in text:
            scored.append((text.find(core), -len(core), name))
        elif abbrev:
            scored.append((text.find(abbrev), -len(abbrev), name))
        elif len(school := re.sub(r"^第", "", re.sub(r"(中学|小学)$", "", bare))) >= 3 and school != bare and \
                school in text:
            scored.append((text.find(school), -len(school), name))  # "一实验" for 第一实验中学
        elif length >= 2 and bare.endswith(span) and (
                (span in _GENERIC_SUFFIXES and not _MANY_BEFORE.search(text[:text.find(span)])
                 and not re.search(r"第?[一二三四五六七八九十0-9]+$", text[:text.find(span)])) or (
                span not in _TOO_GENERIC and _starts_a_word(text, text.find(span)))):
            scored.append((text.find(span), -length, name))  # "中学" alone: one of several schools; "法院": 人民法院
    if not scored:
        return [], []
    # Keep, at each position, only the best (longest) matches; equal best at one position = ambiguous.
    by_pos: dict[int, list[tuple[int, str]]] = {}
    for pos, neg_len, name in scored:
        by_pos.setdefault(pos, []).append((neg_len, name))
    found: list[str] = []
    ambiguous: list[str] = []
    covered: list[tuple[int, int]] = []
    districts: set[str] = set()
    for pos in sorted(by_pos):
        best = min(n for n, _ in by_pos[pos])
        winners = [name for n, name in by_pos[pos] if n == best]
        span = (pos, pos - best)
        if any(a <= span[0] < b for a, b in covered):
            continue
        if found and covered and found[-1] in districts and re.fullmatch(
                r"第?[一二三四五六七八九十\d]*", text[covered[-1][1]:span[0]]) and span[0] > covered[-1][0]:
            # "东港区第二实验小学": a unit of that district we do not hold, not 东港区人民政府 and 市实验小学
            return [], []
        covered.append(span)
        exact = [w for w in winners if w in text or w.lstrip("市区县") in text]
        if len(winners) == 1 or len(exact) == 1:
            found.append((exact or winners)[0])
            if found[-1] not in text and re.search(r"(人民政府|街道办事处)$", found[-1]):
                districts.add(found[-1])  # named by its place alone ("东港区")
        else:
            ambiguous.extend(winners)
    return found, ambiguous


_GENERIC_SUFFIXES = {"中学", "小学", "医院", "学院", "中心", "大学"}
# "市里几家医院", "各中学", "这类医院", "三甲医院": a kind of unit, not one of ours shortened
_MANY_BEFORE = re.compile(r"([几两三四五六七八九十\d]+[家所个]|[各些类甲立]|哪个|哪家)$")
_TOO_GENERIC = {"大楼", "政府", "街道", "大学", "学院", "中心", "委员会", "管理局", "事务所", "单位"}  # never a unit alone


def _starts_a_word(text: str, position: int) -> bool:
    """Whether a mention at `position` stands on its own: "法院的", "看看检察院", not the 务局 of 税务局."""
    return position == 0 or not re.match(r"[\u4e00-\u9fff]", text[position - 1]) or \
        text[position - 1] in "那和跟与及同对比是看查问下在给"


def _abbreviation(text: str, name: str) -> str | None:
    """A span of `text` of 3+ characters that keeps `name`'s first and last characters and skips some between."""
    start = 1 if name.startswith("第") and len(name) > 3 else 0  # "二中" for 第二中学
    for i, ch in enumerate(text):
        if ch != name[start]:
            continue
        k = start + 1
        for j in range(i + 1, min(len(text), i + len(name))):
            found = name.find(text[j], k)
            if found < 0:
                break
            k = found + 1
            span = text[i:j + 1]
            # Ends at the name's end, or just before the 学 of 中学/小学 ("二中", "实小").
            ends = k == len(name) or (name[k:] == "学" and len(span) >= 2)
            if len(span) >= (2 if start or name[k:] == "学" else 3) and ends and len(span) < len(name):
                return span
    return None


def _longest_common(text: str, name: str) -> str:
    best = ""
    for i in range(len(name)):
        for j in range(len(name), i + len(best), -1):
            if name[i:j] in text:
                best = name[i:j]
                break
    return best


def unit_phrase(text: str) -> str | None:
    """A phrase that names an institution the data does not know ("市税务局2024年能耗多少" → "市税务局")."""
    text = re.sub(r"^(今年|去年|前年|明年|本年度?|当年|(19|20)\d\d年度?)", "", text)  # not "今年局里开了个会"
    match = re.match(r"^(.{2,15}?(?<![开格布结大全当])(局|委|办|中心|学校|中学|小学|大学|学院|医院|馆|院|所|站|公司|集团|政府|法院|"
                     r"检察院|部|厅|处|队))", text)
    # not "跟十四五开局前那年比" (开局, 布局, 格局 are no units), nor a comparison's opening word
    # nor a national body ("国务院2024年出的那个节约用水条例")
    if match and not re.search(r"什么|怎么|如何|哪些|哪个|^(跟|和|与|同|比|较|对比|相比)|^(国务院|国管局|国家|全国|中央)|"
                               r"^([几两三四五六七八九十\d]+[家所个]|各)", match.group(1)):  # "三家医院": a kind, counted
        return match.group(1)
    return None
