"""Regulation metadata read from a document's own words: 文号, issuing body, dates, and a stated 时效性.

Chinese laws, regulations, rules and normative documents say who made them and when in their header lines
("2008年7月23日 国务院第18次常务会议通过", "国管节能〔2021〕195号"), in the 施行 article ("本条例自2008年10月1日起施行")
and, for 公文, in the signature block above the date. This module reads those places and nothing else: a field the
text does not state is absent, and a date it cannot read or a 文号 with two candidates becomes a warning, never a
guess. Status changes (a newer version, an administrator's word) belong to the knowledge base, not here.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from assistant.numerals import chinese_to_int

FIELDS = ("doc_number", "issuer", "adopted", "promulgated", "effective", "last_amended")
DATE_FIELDS = ("adopted", "promulgated", "effective", "last_amended")
CURRENT, AMENDED, REPEALED = "现行有效", "已修订", "已废止"
STATUSES = (CURRENT, AMENDED, REPEALED)
LABELS = {"doc_number": "文号", "issuer": "发文机关", "adopted": "通过日期", "promulgated": "公布日期",
          "effective": "施行日期", "last_amended": "最近修改日期", "status": "效力状态"}

_CN = "〇零○Ｏ一二三四五六七八九十"
# Loose on purpose: "2008年13月5日" and "2008年7月日" are found, so that they can be reported as unreadable.
DATE = re.compile(rf"(?P<y>[0-9]{{4}}|[{_CN}]{{4}})\s*年\s*(?P<m>[0-9{_CN}]{{0,3}})\s*月\s*(?P<d>[0-9{_CN}]{{0,4}})\s*日")
_ISO = re.compile(r"^\s*(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\s*$")
_NUM = r"[0-9一二三四五六七八九十百零〇]+"
# "中华人民共和国国务院令第530号", "建设部令第1号", "主席令（第十六号）"
_DECREE = re.compile(rf"(?:中华人民共和国)?(?P<organ>[\u4e00-\u9fff]{{2,20}}?)令\s*[（(]?\s*第\s*(?P<n>{_NUM})\s*号")
# "国管节能〔2021〕195号"; Word users type the 六角括号 as [] 【】 （） as well
_WENHAO = re.compile(r"(?P<org>[\u4e00-\u9fff]{1,12}?)\s*[〔［\[【（(]\s*(?P<y>\d{4})\s*[〕］\]】）)]\s*(?P<n>\d+)\s*号")
# "杭州市人民代表大会常务委员会第36号（公布）", "……人民政府令第12号" is a decree
_ANNOUNCEMENT = re.compile(rf"(?P<organ>[\u4e00-\u9fff]{{2,30}}?(?:人民代表大会常务委员会|人民代表大会|人民政府))"
                           rf"(?P<kind>公告)?\s*第\s*(?P<n>{_NUM})\s*号")
# A header event's verb: the first one that ends its phrase ("……会议通过的《决定》修正" is a 修正).
_VERB = re.compile(r"(通\s*过|公\s*布|发\s*布|印\s*发|批\s*准|修\s*订|修\s*正|施\s*行|实\s*施)(?=[\s，,。.、；;：:）)]|$)")
_VERB_FIELD = {"通过": "adopted", "公布": "promulgated", "发布": "promulgated", "印发": "promulgated",
               "修订": "last_amended", "修正": "last_amended", "施行": "effective", "实施": "effective"}
# Where the header ends: the first chapter, article, 总则, outline item, or the 主送机关 line of a 公文.
_BODY_START = re.compile(rf"^(第{_NUM}[章节条编]|总\s*则$|目\s*录$|[一二三四五六七八九十]+、)")
_IN_FORCE = re.compile(
    rf"本(?:法|条例|办法|规定|细则|实施细则|决定|规则|准则|制度|意见|通知|方案|规划|标准|规程|通告|公告)?\s*自\s*"
    rf"(?:(?P<date>{DATE.pattern})|(?P<event>印发|发布|公布)之日)\s*起\s*(?:施行|实施|执行|生效)")
_LABELLED = re.compile(r"(发文机关|制定机关|发布机关|颁布机关|发布部门|发文字号|文号|通过日期|公布日期|发布日期|颁布日期|成文日期|"
                       r"印发日期|施行日期|实施日期|生效日期|修订日期|修正日期|时效性|效力状态|效力位阶|效力级别|法律性质|发布文号)\s*[：:]\s*")
_LABEL_FIELD = {"发文机关": "issuer", "制定机关": "issuer", "发布机关": "issuer", "颁布机关": "issuer",
                "发布部门": "issuer", "发文字号": "doc_number", "文号": "doc_number", "通过日期": "adopted",
                "公布日期": "promulgated", "发布日期": "promulgated", "颁布日期": "promulgated",
                "成文日期": "promulgated", "印发日期": "promulgated", "施行日期": "effective",
                "实施日期": "effective", "生效日期": "effective", "修订日期": "last_amended",
                "修正日期": "last_amended", "时效性": "status", "效力状态": "status", "发布文号": "doc_number",
                "效力位阶": None, "效力级别": None, "法律性质": None}
_STATUS_WORDS = {"现行有效": CURRENT, "有效": CURRENT, "已被修改": AMENDED, "已修改": AMENDED, "已修订": AMENDED,
                 "已修正": AMENDED, "已废止": REPEALED, "废止": REPEALED, "失效": REPEALED, "已失效": REPEALED}
_ORG = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}(局|委|部|厅|院|委员会|政府|办公室|办公厅|中心|办|署|会|处|站|所|中央)$")
_TITLE_ISSUER = re.compile(r"^(?P<org>[\u4e00-\u9fff、 ]{2,60}?)关于.{2,120}的(通知|意见|决定|通告|公告|批复|函|报告|"
                           r"规定|办法|指导意见|实施意见|解释)$")
# Titles of laws, regulations and rules, whose header ought to say who made them and when (an office's own 通知 or
# 方案 often says neither, and that is no fault worth a warning).
_REGULATION_TITLE = re.compile(r"(法|条例|办法|规定|细则|决定|规则)([（(].*[)）])?$")
_HEADER_LINES = 24
_FULL_WIDTH = str.maketrans("０１２３４５６７８９：（）", "0123456789:()")


@dataclass(frozen=True)
class Reading:
    """What the text says about itself: `fields` (ISO dates; absent = not stated) and what could not be read."""

    fields: dict[str, str]
    problems: tuple[tuple[str, str], ...] = ()  # (field, Chinese warning)

    @property
    def warnings(self) -> list[str]:
        return [message for _, message in self.problems]


def describe(text: str, title: str = "", given: dict | None = None) -> tuple[dict[str, str], list[str]]:
    """A document's metadata and what could not be read: the text's own statements (`read`), overridden by what
    front matter sets (`given`, which may set any field); a regulation-like title with nothing read is a warning."""
    reading = read(text, title)
    meta, warnings = merge(reading.fields, given or {})
    given_keys = {k for k, v in (given or {}).items() if v not in (None, "")}
    warnings = [message for field, message in reading.problems if field not in given_keys] + warnings
    if not any(k in meta for k in FIELDS) and _REGULATION_TITLE.search(title.strip("《》 ")):
        warnings.append("元数据：未从正文读到文号、发文机关或日期（可在 Markdown front matter 中补充）")
    return meta, list(dict.fromkeys(warnings))


def read(text: str, title: str = "") -> Reading:
    """Read 文号, issuer and dates from the header lines, the 施行 article and a 公文's signature block."""
    lines = [_clean_line(x) for x in text.translate(_FULL_WIDTH).splitlines()]
    lines = [x for x in lines if x]
    header = _header(lines)
    found = _Found()
    _labelled(header, found)
    _header_events(header, found)
    _standalone_numbers(header, found)
    issuer_from_title = _title_issuer(title, header)
    if issuer_from_title:
        found.add("issuer", issuer_from_title, "标题", rank=3)
    _signature(lines, len(header), found, formal=bool(found.candidates("doc_number")) or bool(issuer_from_title))
    _in_force_article(text.translate(_FULL_WIDTH), found)
    return found.resolve()


def parse_date(text: str) -> str | None:
    """"2008年7月23日", "2008 年 7 月 23 日", "二〇〇八年七月二十三日", "２００８年７月２３日", "2008-07-23" →
    "2008-07-23"; None when `text` is not one valid calendar date."""
    text = str(text or "").translate(_FULL_WIDTH).strip()
    iso = _ISO.match(text)
    if iso:
        parts = [int(p) for p in iso.groups()]
    else:
        match = DATE.fullmatch(text)
        if not match:
            return None
        parts = [_number(match.group(g)) for g in ("y", "m", "d")]
        if None in parts:
            return None
    try:
        return datetime.date(*parts).isoformat()
    except ValueError:
        return None


def normal_status(word: str) -> str | None:
    """"现行有效" / "已被修改" / "失效" … → one of STATUSES, or None."""
    return _STATUS_WORDS.get(str(word or "").strip())


def merge(read_fields: dict[str, str], given: dict) -> tuple[dict[str, str], list[str]]:
    """The document's meta: what the text says, overridden by what front matter sets (`given`), dates as ISO.

    Returns (meta, warnings); a front-matter date that is not a date is reported and the text's value kept."""
    meta = dict(read_fields)
    warnings = []
    for key, value in given.items():
        if value in (None, ""):
            continue
        value = str(value).strip()
        if key in DATE_FIELDS:
            iso = parse_date(value)
            if iso is None:
                warnings.append(f"元数据：front matter 的 {key}“{value}”不是有效日期，未采用")
                continue
            value = iso
        elif key == "status":
            status = normal_status(value)
            if status is None:
                warnings.append(f"元数据：front matter 的 status“{value}”应为 {'、'.join(STATUSES)} 之一，未采用")
                continue
            value = status
        meta[key] = value
    return meta, warnings


# ---------------------------------------------------------------- the places a header states things


class _Found:
    """Candidates per field, each with where it came from and a rank (lower wins when sources disagree)."""

    def __init__(self) -> None:
        self._values: dict[str, list[tuple[int, str, str]]] = {}  # field -> [(rank, value, where)]
        self.problems: list[tuple[str, str]] = []

    def add(self, field: str, value: str, where: str, rank: int = 1) -> None:
        self._values.setdefault(field, []).append((rank, value, where))

    def add_date(self, field: str, raw: str, where: str, rank: int = 1) -> None:
        iso = parse_date(raw)
        if iso is None:
            self.problems.append((field, f"元数据：{where}的{LABELS[field]}“{_squash(raw)}”不是有效日期，未采用"))
        else:
            self.add(field, iso, where, rank)

    def candidates(self, field: str) -> list[str]:
        return [v for _, v, _ in self._values.get(field, [])]

    def resolve(self) -> Reading:
        fields: dict[str, str] = {}
        problems = list(self.problems)
        for field in (*FIELDS, "status"):
            entries = sorted(self._values.get(field, []))
            if not entries:
                continue
            if field == "last_amended":
                fields[field] = max(v for _, v, _ in entries)  # several amendments: the latest
                continue
            best = entries[0][0]
            top = list(dict.fromkeys(v for rank, v, _ in entries if rank == best))
            if len(top) > 1:
                problems.append((field, f"元数据：{LABELS[field]}有{len(top)}个候选（{'、'.join(top)}），未采用，请核对原件"))
                continue
            fields[field] = top[0]
            others = list(dict.fromkeys(v for rank, v, _ in entries if rank > best and v != top[0]))
            others = [v for v in others if not v.startswith("@")]
            if field == "effective" and others:
                where = entries[0][2]
                problems.append((field, f"元数据：施行日期两处不一致（{where} {top[0]}，条文 {'、'.join(others)}），"
                                        f"采用{where}的"))
        if "effective" in fields and fields["effective"].startswith("@"):
            event = fields.pop("effective")[1:]  # "自印发之日起施行": the day it was issued, when that is stated
            if "promulgated" in fields:
                fields["effective"] = fields["promulgated"]
            else:
                problems.append(("effective", f"元数据：正文说自{event}之日起施行，但没有读到{event}日期"))
        return Reading(fields, tuple(dict.fromkeys(problems)))


def _header(lines: list[str]) -> list[str]:
    """The lines above the body: title, 文号, the 通过/公布/施行 lines, a decree's words and signature."""
    out = []
    for line in lines[:_HEADER_LINES * 2]:
        text = line.lstrip("#").strip()
        if text.startswith("<!--"):
            continue
        if _BODY_START.match(text) or (text.endswith((":", "：")) and len(text) < 80):
            break
        if len(text) > 240 and not DATE.match(text.lstrip("（(")):
            break  # prose; a long run of header statements glued into one line (web pages do that) goes on
        out.append(text)
        if len(out) >= _HEADER_LINES:
            break
    return out


def _labelled(header: list[str], found: _Found) -> None:
    """"发文字号：国务院令第530号", "施行日期：2008-10-01", "时效性：现行有效" (database printouts)."""
    for line in header:
        marks = list(_LABELLED.finditer(line))
        for i, mark in enumerate(marks):
            value = line[mark.end(): marks[i + 1].start() if i + 1 < len(marks) else len(line)].strip(" ;；,，")
            field = _LABEL_FIELD[mark.group(1)]
            if not value or field is None:
                continue
            if field in DATE_FIELDS:
                found.add_date(field, value, "标注", rank=0)
            elif field == "status":
                if normal_status(value):
                    found.add("status", normal_status(value), "标注", rank=0)
            elif field == "doc_number":
                found.add("doc_number", _number_form(value) or _squash(value), "标注", rank=0)
            else:
                found.add("issuer", _squash(value), "标注", rank=0)


def _header_events(header: list[str], found: _Found) -> None:
    """Each date in the header with the phrase after it: "……会议通过", "……令第530号公布", "自……起施行".

    A statement may hold two dates ("……会议通过并经2020年9月25日……批准的《决定》修正"); an amendment counts from
    the latest of them, the day the amending decision was approved."""
    text = "\n".join(header)
    dates = list(DATE.finditer(text))
    chained: list[str] = []  # dates of a statement whose verb comes after a later date
    for i, match in enumerate(dates):
        end = dates[i + 1].start() if i + 1 < len(dates) else len(text)
        phrase = text[match.end():end]
        before = text[:match.start()].rstrip(" \u3000（(")
        line_before = before.rsplit("\n", 1)[-1].strip()
        if before.endswith("自") and re.match(r"^\s*起\s*(施\s*行|实\s*施|生\s*效)", phrase):
            found.add_date("effective", match.group(0), "开头", rank=1)
            chained = []
            continue
        verb = _VERB.search(phrase)
        if verb is None:
            if not line_before and not phrase.split("\n", 1)[0].strip(" ）)。"):
                found.add_date("promulgated", match.group(0), "落款", rank=2)  # a date alone on its line
                chained = []
            elif "\n" not in phrase:
                chained.append(match.group(0))
            continue
        body = re.sub(r"\s", "", phrase[:verb.start()])
        word = re.sub(r"\s", "", verb.group(1))
        earlier, chained = chained, []
        if word == "批准" or len(body) > 120:
            continue
        field = _VERB_FIELD[word]
        found.add_date(field, match.group(0), "开头", rank=1)
        if field == "last_amended":
            for date in earlier:
                found.add_date(field, date, "开头", rank=1)
        elif field == "promulgated":
            _numbered_body(body, found)
        elif field == "adopted":
            organ = _meeting_body(body)
            if organ:
                found.add("issuer", organ, "开头", rank=2)


def _numbered_body(body: str, found: _Found) -> None:
    """"中华人民共和国国务院令第530号" → 文号 国务院令第530号, issuer 国务院."""
    decree = _DECREE.search(body)
    if decree:
        organ = decree.group("organ").removeprefix("中华人民共和国")
        found.add("doc_number", f"{organ}令第{decree.group('n')}号", "开头", rank=1)
        if not organ.endswith("主席"):  # a 主席令 promulgates what the 人大 adopted: the adopting body issued it
            found.add("issuer", organ, "开头", rank=1)
        return
    announcement = _ANNOUNCEMENT.search(body)
    if announcement:
        organ = announcement.group("organ")
        found.add("doc_number", f"{organ}{announcement.group('kind') or ''}第{announcement.group('n')}号", "开头", 1)
        found.add("issuer", organ, "开头", rank=1)
        return
    number = _WENHAO.search(body)
    if number:
        found.add("doc_number", _wenhao(number), "开头", rank=1)
    elif _ORG.match(body.removeprefix("中华人民共和国")):
        found.add("issuer", body.removeprefix("中华人民共和国"), "开头", rank=1)  # "1987年9月15日 国务院发布"


def _standalone_numbers(header: list[str], found: _Found) -> None:
    """A 文号 on a line of its own ("国管节能〔2021〕195号", or "国务院令" and "第530号" on two lines)."""
    for i, line in enumerate(header):
        text = re.sub(r"\s", "", line)
        if text.endswith("令") and i + 1 < len(header) and re.fullmatch(rf"第{_NUM}号", re.sub(r"\s", "", header[i + 1])):
            text += re.sub(r"\s", "", header[i + 1])
        decree = _DECREE.fullmatch(text)
        if decree:
            organ = decree.group("organ").removeprefix("中华人民共和国")
            found.add("doc_number", f"{organ}令第{decree.group('n')}号", "开头", rank=1)
            if not organ.endswith("主席"):
                found.add("issuer", organ, "开头", rank=1)
            continue
        number = _WENHAO.match(text)
        if number and (number.end() == len(text) or text[number.end():].startswith(("签发人", "签发"))):
            found.add("doc_number", _wenhao(number), "开头", rank=1)


def _title_issuer(title: str, header: list[str]) -> str | None:
    """"国管局 国家发展改革委关于印发……的通知" → "国管局 国家发展改革委"."""
    candidates = [title] + [" ".join(header[:n]) for n in (1, 2, 3) if len(header) >= n]
    for text in candidates:
        text = " ".join(str(text).split()).strip("《》# ")
        match = _TITLE_ISSUER.match(text)
        if match:
            return match.group("org").strip()
    return None


def _signature(lines: list[str], start: int, found: _Found, formal: bool) -> None:
    """A 公文's 落款: one or more organ lines and then the date alone on a line ("国家机关事务管理局\\n2021年6月1日")."""
    for i in range(start, len(lines)):
        date = DATE.fullmatch(re.sub(r"\s", "", lines[i]))
        if not date:
            continue
        organs: list[str] = []
        for line in reversed(lines[max(start, i - 4):i]):
            parts = line.split()
            if not parts or not all(_ORG.match(p) for p in parts):
                break
            organs = parts + organs
        if not organs:
            continue
        if not formal and i < len(lines) - 3:
            continue  # in a document that is no 公文, only a signature at its very end counts
        found.add_date("promulgated", date.group(0), "落款", rank=2)
        found.add("issuer", " ".join(organs), "落款", rank=4)
        return


def _in_force_article(text: str, found: _Found) -> None:
    """"本条例自2008年10月1日起施行" (and "自印发之日起施行") anywhere in the body."""
    flat = re.sub(r"[ \t\u3000]+", "", text)
    flat = re.sub(r"(?<=[\u4e00-\u9fff0-9])\n(?=[\u4e00-\u9fff0-9])", "", flat)  # a line broken inside the sentence
    for match in _IN_FORCE.finditer(flat):
        if match.group("date"):
            found.add_date("effective", match.group("date"), "条文", rank=3)
        else:
            found.add("effective", "@" + match.group("event"), "条文", rank=3)


# ---------------------------------------------------------------- small helpers


def _meeting_body(body: str) -> str | None:
    """"第八届全国人民代表大会常务委员会第二十八次会议" → "全国人民代表大会常务委员会"; "国务院第18次常务会议" → "国务院"."""
    body = re.sub(r"^(在|由|经)", "", body)
    body = re.sub(rf"第?{_NUM}届", "", body)
    body = re.sub(rf"第?{_NUM}次.*$", "", body)
    body = re.sub(r"(常务会议|全体会议|会议)$", "", body)
    if re.match(r"^[省市县区](人大|人民)", body):  # "市十二届人大常委会": which city is not said here
        return None
    if not re.search(r"(大会|委员会|常委会|国务院|政府|院|部|局|委|中央)$", body) or len(body) > 40:
        return None
    return body


def _number_form(text: str) -> str | None:
    text = re.sub(r"\s", "", text)
    decree = _DECREE.fullmatch(text)
    if decree:
        return f"{decree.group('organ').removeprefix('中华人民共和国')}令第{decree.group('n')}号"
    number = _WENHAO.fullmatch(text)
    return _wenhao(number) if number else None


def _wenhao(match: re.Match) -> str:
    return f"{match.group('org')}〔{match.group('y')}〕{match.group('n')}号"


def _number(text: str) -> int | None:
    text = text.replace("○", "〇").replace("Ｏ", "〇")
    if not text:
        return None
    if text.isdigit():
        return int(text)
    return chinese_to_int(text)


def _clean_line(line: str) -> str:
    return line.strip().strip("\u3000").strip()


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", str(text))
