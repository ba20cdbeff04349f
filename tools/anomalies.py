"""“AI 诊断”: months of one year whose consumption departs from the same month in earlier years, or (without
three earlier years) from the institution's own months of that year. Robust statistics, no model.

Same-month check: the history of that calendar month over up to 5 earlier years, scaled by the year's overall
level L (median over the year's months of x ÷ same-month median; a year-wide shift such as a retrofit or a fleet
reform is a trend, not a monthly anomaly, and is reported as a note when |L − 1| ≥ 30%). With m = L × median and
scale = max(1.4826 × L × MAD, 5% × m), a month is flagged when |x − m| ≥ 3.5 × scale AND |x − m| ≥ 30% × m
(Iglewicz–Hoaglin modified z-score 3.5, plus a minimum relative size). A zero reading where the history is not zero
is always flagged. Without 3 earlier years, the year's own months are the reference (scale floor 10%, minimum
+50%), and only highs and zeros are flagged, since seasonal lows (vacations) cannot be told from faults.
"全部" runs the same check for every institution with monthly data that year (AnomalyOverview); `metric` limits
either form to one source (用电, 用水 …, named as assistant/records/metrics.py names them).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from statistics import median

from assistant.records import metrics as vocab
from assistant.records.store import ConsumptionRow, DataStore
from assistant.errors import LookupFailed
from tools.common import check_year, fmt, is_all, r

Z_THRESHOLD = 3.5
MIN_HISTORY_YEARS = 3
HISTORY_YEARS = 5
SAME_MONTH_MIN_DEV, SAME_MONTH_SCALE_FLOOR = 0.30, 0.05
OWN_MIN_DEV, OWN_SCALE_FLOOR = 0.50, 0.10
# Likely causes when a reading is high, by source key; names and units come from the vocabulary.
_CAUSES = {
    "electricity": "设备长时间运行（空调、照明未关）、新增用电设备，或电表倍率/抄表错误",
    "natural_gas": "燃气泄漏、锅炉或灶具运行异常，或抄表错误",
    "water": "管道漏水、阀门或水箱浮球失灵、卫生洁具长流水，或水表故障",
    "gasoline": "公务用车出车异常增多或加油记录有误",
    "diesel": "备用发电机或车辆用油异常，或记录有误",
}
# row attribute -> (reading name, unit, likely causes when high)
CHECKED = {vocab.SOURCE_BY_KEY[k].column: (vocab.SOURCE_BY_KEY[k].reading, vocab.SOURCE_BY_KEY[k].unit, causes)
           for k, causes in _CAUSES.items()}
THRESHOLD = f"稳健z值≥{Z_THRESHOLD}且偏离≥{SAME_MONTH_MIN_DEV:.0%}（同月历史）"
RULE = (f"方法：与以往同月（最多{HISTORY_YEARS}年，至少{MIN_HISTORY_YEARS}年）的中位数比较，偏离超过 "
        f"{Z_THRESHOLD} 个稳健标准差（1.4826×MAD，至少取中位数的5%）且超过30%才算异常；读数为0而往年不为0也算异常。")


@dataclass(frozen=True)
class Anomaly:
    period: str
    month: int
    field: str
    name: str
    unit: str
    value: float
    expected: float  # the median it was compared with
    deviation_pct: float | None
    score: float | None  # robust z-score; None for a zero reading
    method: str  # "同月历史" | "本年各月"
    reference: str  # e.g. "2020–2024年同月"
    explanation: str

    def to_dict(self) -> dict:
        return {"period": self.period, "month": self.month, "field": self.field, "name": self.name, "unit": self.unit,
                "value": r(self.value), "expected": r(self.expected), "deviation_pct": r(self.deviation_pct),
                "score": r(self.score), "method": self.method, "reference": self.reference,
                "explanation": self.explanation}


@dataclass(frozen=True)
class AnomalyResult:
    institution: str
    year: int
    items: tuple[Anomaly, ...]
    checked: int  # month × quantity pairs examined
    inputs: tuple[dict, ...]
    factors: tuple = ()
    notes: tuple[str, ...] = ()
    metric: str | None = None  # the one source key checked; None = every source

    def to_dict(self) -> dict:
        return {"institution": self.institution, "year": self.year, "metric": self.metric, "count": len(self.items),
                "items": [a.to_dict() for a in self.items], "checked": self.checked, "threshold": THRESHOLD,
                "notes": list(self.notes), "inputs": list(self.inputs), "factors": [],
                "explanation": self.explain()}

    def explain(self) -> str:
        scope = f"{self.institution}{self.year}年" + (vocab.SOURCE_BY_KEY[self.metric].reading if self.metric else "")
        if not self.items:
            return f"{scope}共检查 {self.checked} 个月度读数，未发现异常。{RULE}" + "".join(self.notes)
        listed = " ".join(f"（{i}）{a.explanation}" for i, a in enumerate(self.items, 1))
        return (f"{scope}共检查 {self.checked} 个月度读数，发现 {len(self.items)} 处异常：{listed}"
                f"{RULE}" + "".join(self.notes))

    @property
    def severity(self) -> float:
        """The largest |deviation| among the anomalies found (0 when none)."""
        return max((_severity(a) for a in self.items), default=0.0)


@dataclass(frozen=True)
class AnomalyOverview:
    """The same check for every institution with monthly data in `year`; units with anomalies first."""

    year: int
    metric: str | None  # one source key, or None for every source
    results: tuple[AnomalyResult, ...]  # most severe unit first, clean units after by name; items by severity
    inputs: tuple[dict, ...]
    factors: tuple = ()
    notes: tuple[str, ...] = ()

    @property
    def with_anomalies(self) -> tuple[AnomalyResult, ...]:
        return tuple(res for res in self.results if res.items)

    @property
    def readings(self) -> int:
        return sum(res.checked for res in self.results)

    def to_dict(self) -> dict:
        found = self.with_anomalies
        return {"institution": "全部", "year": self.year, "metric": self.metric,
                "metric_name": vocab.SOURCE_BY_KEY[self.metric].reading if self.metric else None,
                "checked": len(self.results), "readings": self.readings, "count": sum(len(r.items) for r in found),
                "with_anomalies": [res.institution for res in found],
                "institutions": [{"institution": res.institution, "count": len(res.items), "checked": res.checked,
                                  "items": [a.to_dict() for a in res.items], "notes": list(res.notes)}
                                 for res in self.results],
                "threshold": THRESHOLD, "notes": list(self.notes), "inputs": list(self.inputs), "factors": [],
                "explanation": self.explain()}

    def explain(self) -> str:
        what = (vocab.SOURCE_BY_KEY[self.metric].reading if self.metric
                else "、".join(label for label, _, _ in CHECKED.values()))
        head = f"{self.year}年共检查 {len(self.results)} 家单位的{what}月度读数（{self.readings:,} 个）"
        found = self.with_anomalies
        if not found:
            return f"{head}，未发现异常。{RULE}" + "".join(self.notes)
        units = "；".join(f"{res.institution} {len(res.items)} 处：{'，'.join(_short(a) for a in res.items)}"
                         for res in found)
        rest = len(self.results) - len(found)
        return (f"{head}，{len(found)} 家发现异常（按偏离程度排列）：{units}。"
                + (f"其余 {rest} 家未发现异常。" if rest else "") + RULE + "".join(self.notes))


def anomalies(store: DataStore, institution: str, year: int,
              metric: str | None = None) -> AnomalyResult | AnomalyOverview:
    """AI 诊断：找出某单位（或全部单位）某年哪些月份的用电、用气、用水、用油明显偏离往年同月或本单位自身规律，并说明可能原因。
    用户问“有没有异常”“哪个月用水不正常”“帮我诊断一下能耗”时使用；需要月度数据。
    单位填“全部”表示逐家检查所有有当年月度数据的单位，用于“哪些单位用电有异常”。

    Args:
        institution: 单位名称或简称；“全部”表示所有有当年月度数据的单位，有异常的单位排在前面。
        year: 要诊断的年份，例如 2024。
        metric: 可选，只查一种用能：electricity（用电）、natural_gas（天然气）、water（用水）、gasoline（汽油）、diesel（柴油），也可用中文如“用电”“用水量”；不填为全部品种。
    """
    year = check_year(year)
    source = _source(metric)
    columns = {source.column: CHECKED[source.column]} if source else CHECKED
    key = source.key if source else None
    if is_all(institution):
        return _overview(store, year, key, columns)
    return _detect(store, store.resolve(institution), year, key, columns)


def _source(metric: str | None) -> vocab.Source | None:
    """The one source `metric` names, None for every source; LookupFailed when it names none we check."""
    if metric is None or not str(metric).strip() or is_all(metric):
        return None
    source = vocab.source_named(metric)
    if source is None or source.column not in CHECKED:
        known = "、".join(f"{vocab.SOURCE_BY_COLUMN[c].key}（{label}）" for c, (label, _, _) in CHECKED.items())
        raise LookupFailed(f"不认识要诊断的用能品种“{metric}”，可用：{known}；不填则检查全部品种。",
                           [vocab.SOURCE_BY_COLUMN[c].key for c in CHECKED])
    return source


def _overview(store: DataStore, year: int, metric: str | None, columns: dict) -> AnomalyOverview:
    results, annual_only, unused = [], [], []
    for info in store.institutions():
        if year not in info.years:
            continue
        if not any(row.month is not None for row in store.rows(info.name, year)):
            annual_only.append(info.name)
            continue
        res = _detect(store, info.name, year, metric, columns)
        if metric and not res.checked:  # the unit does not use this source at all
            unused.append(info.name)
            continue
        results.append(replace(res, items=tuple(sorted(res.items, key=lambda a: (-_severity(a), a.period)))))
    reading = vocab.SOURCE_BY_KEY[metric].reading if metric else ""
    if not results:
        raise LookupFailed(f"{year}年没有任何单位有{reading or '按月的能耗'}数据，无法做异常诊断。")
    results.sort(key=lambda res: (not res.items, -res.severity, res.institution))
    notes = [f"注意：{'、'.join(annual_only)} {year}年只有全年汇总数据，未诊断。"] if annual_only else []
    if unused:  # e.g. diesel: most units have none, so only a few are named
        names = f"：{'、'.join(unused)}" if len(unused) <= 10 else ""
        notes.append(f"另有 {len(unused)} 家单位没有{reading}数据，未检查{names}。")
    inputs = tuple({"institution": res.institution, "months": len(res.inputs), "readings": res.checked,
                    "anomalies": len(res.items)} for res in results)
    return AnomalyOverview(year, metric, tuple(results), inputs, (), tuple(notes))


def _detect(store: DataStore, name: str, year: int, metric: str | None, columns: dict) -> AnomalyResult:
    rows = [row for row in store.rows(name, year) if row.month is not None]
    if not rows:
        raise LookupFailed(f"“{name}”{year}年没有月度数据，无法做异常诊断（需要按月的能耗数据）。")
    history = [row for row in store.rows(name) if row.month is not None and year - HISTORY_YEARS <= row.year < year]
    by_month: dict[tuple[str, int], list[tuple[int, float]]] = {}
    for row in history:
        for attr in columns:
            by_month.setdefault((attr, row.month), []).append((row.year, getattr(row, attr)))
    items: list[Anomaly] = []
    checked = 0
    notes: list[str] = []
    for attr, (label, unit, causes) in columns.items():
        if not any(getattr(row, attr) for row in rows + history):
            if metric:
                notes.append(f"注意：{name}没有{label}数据。")
            continue  # the institution does not use this source
        own = [getattr(row, attr) for row in rows]
        level = _year_level(rows, attr, by_month)
        if abs(level - 1) >= 0.30:
            notes.append(f"注意：{year}年{label}整体为往年同月水平的 {level:.0%}，属于全年性变化（如改造、车改、面积变化），"
                         "已按这一水平调整后再找单月异常。")
        previous_zero = False
        for row in rows:
            checked += 1
            x = getattr(row, attr)
            hist = by_month.get((attr, row.month), [])
            if len(hist) >= MIN_HISTORY_YEARS:
                values = [v for _, v in hist]
                years = sorted(y for y, _ in hist)
                found = _judge(x, [v * level for v in values], SAME_MONTH_SCALE_FLOOR, SAME_MONTH_MIN_DEV)
                method, ref = "同月历史", f"{years[0]}–{years[-1]}年同月"
                if abs(level - 1) >= 0.005:
                    ref += f"（按本年整体水平 {level:.2f} 倍调整）"
            elif len(own) >= 6:
                found = _judge(x, own, OWN_SCALE_FLOOR, OWN_MIN_DEV)
                if found is not None and x != 0 and x < found[0]:
                    found = None  # seasonal lows cannot be told from faults without history
                method, ref = "本年各月", f"{year}年各月"
            else:
                found = None
                method, ref = "", ""
            if found is None:
                previous_zero = False
                continue
            expected, dev, score = found
            text = _explain(row, label, unit, causes, x, expected, dev, ref, previous_zero)
            items.append(Anomaly(row.period, row.month, attr, label, unit, x, expected, dev, score, method, ref, text))
            previous_zero = x == 0
    if len({row.month for row in rows}) < 12:
        notes.append(f"注意：{year}年只有{len(rows)}个月的数据。")
    if not history:
        notes.append("注意：没有往年月度数据，只能与本年各月比较，季节性用能高峰可能无法区分。")
    inputs = tuple({"period": row.period, **{a: getattr(row, a) for a in columns}, "source": row.source}
                   for row in rows)
    items.sort(key=lambda a: (a.period, a.field))
    return AnomalyResult(name, year, tuple(items), checked, inputs, (), tuple(notes), metric)


def _severity(anomaly: Anomaly) -> float:
    """|deviation| in %: a zero reading counts as 100%."""
    return abs(anomaly.deviation_pct) if anomaly.deviation_pct is not None else 100.0


def _short(a: Anomaly) -> str:
    if a.value == 0:
        return f"{a.month}月{a.name}为 0（{a.reference}中位数 {fmt(a.expected)} {a.unit}）"
    return f"{a.month}月{a.name} {fmt(a.value)} {a.unit}（{a.reference}中位数 {fmt(a.expected)}，{a.deviation_pct:+.0f}%）"


def _year_level(rows: list[ConsumptionRow], attr: str, by_month: dict) -> float:
    """Median over the year's months of x ÷ same-month history median; 1 when fewer than 6 months compare."""
    ratios = []
    for row in rows:
        hist = [v for _, v in by_month.get((attr, row.month), [])]
        x = getattr(row, attr)
        if len(hist) >= MIN_HISTORY_YEARS and median(hist) > 0 and x > 0:
            ratios.append(x / median(hist))
    return median(ratios) if len(ratios) >= 6 else 1.0


def _judge(x: float, values: list[float], floor: float,
           min_dev: float) -> tuple[float, float | None, float | None] | None:
    """(expected, deviation %, robust z) when x is anomalous against `values`, else None."""
    m = median(values)
    if m <= 0:
        return None
    if x == 0:
        return m, -100.0, None
    mad = median(abs(v - m) for v in values)
    scale = max(1.4826 * mad, floor * m)
    z = (x - m) / scale
    dev = (x - m) / m
    if abs(z) >= Z_THRESHOLD and abs(dev) >= min_dev:
        return m, dev * 100, z
    return None


def _explain(row: ConsumptionRow, label: str, unit: str, causes: str, x: float, expected: float,
             dev: float | None, ref: str, previous_zero: bool) -> str:
    when = f"{row.year}年{row.month}月"
    if x == 0:
        return (f"{when}{label}为 0，而{ref}的中位数是 {fmt(expected)} {unit}。可能是表计停走、漏抄或数据未录入，"
                f"建议核对表计读数和原始账单。")
    times = x / expected
    if dev is not None and dev > 0:
        text = (f"{when}{label} {fmt(x)} {unit}，是{ref}中位数 {fmt(expected)} {unit} 的 {times:.1f} 倍"
                f"（{dev:+.0f}%）。可能原因：{causes}；建议现场核查。")
        if previous_zero:
            text += "上月读数为0，本月偏高也可能是补录了上月用量。"
        return text
    return (f"{when}{label} {fmt(x)} {unit}，只有{ref}中位数 {fmt(expected)} {unit} 的 {times:.0%}（{dev:+.0f}%）。"
            f"可能是停用、抄表周期变化或漏记，建议核对。")
