"""“AI 诊断”: months of one year whose consumption departs from the same month in earlier years, or (without
three earlier years) from the institution's own months of that year. Robust statistics, no model.

Same-month check: the history of that calendar month over up to 5 earlier years, scaled by the year's overall
level L (median over the year's months of x ÷ same-month median; a year-wide shift such as a retrofit or a fleet
reform is a trend, not a monthly anomaly, and is reported as a note when |L − 1| ≥ 30%). With m = L × median and
scale = max(1.4826 × L × MAD, 5% × m), a month is flagged when |x − m| ≥ 3.5 × scale AND |x − m| ≥ 30% × m
(Iglewicz–Hoaglin modified z-score 3.5, plus a minimum relative size). A zero reading where the history is not zero
is always flagged. Without 3 earlier years, the year's own months are the reference (scale floor 10%, minimum
+50%), and only highs and zeros are flagged, since seasonal lows (vacations) cannot be told from faults.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from assistant.records import metrics as vocab
from assistant.records.store import ConsumptionRow, DataStore
from assistant.errors import LookupFailed
from tools.common import check_year, fmt, r

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

    def to_dict(self) -> dict:
        return {"institution": self.institution, "year": self.year, "count": len(self.items),
                "items": [a.to_dict() for a in self.items], "checked": self.checked,
                "threshold": f"稳健z值≥{Z_THRESHOLD}且偏离≥{SAME_MONTH_MIN_DEV:.0%}（同月历史）",
                "notes": list(self.notes), "inputs": list(self.inputs), "factors": [],
                "explanation": self.explain()}

    def explain(self) -> str:
        rule = (f"方法：与以往同月（最多{HISTORY_YEARS}年，至少{MIN_HISTORY_YEARS}年）的中位数比较，偏离超过 "
                f"{Z_THRESHOLD} 个稳健标准差（1.4826×MAD，至少取中位数的5%）且超过30%才算异常；读数为0而往年不为0也算异常。")
        if not self.items:
            return f"{self.institution}{self.year}年共检查 {self.checked} 个月度读数，未发现异常。{rule}" + "".join(self.notes)
        listed = " ".join(f"（{i}）{a.explanation}" for i, a in enumerate(self.items, 1))
        return (f"{self.institution}{self.year}年共检查 {self.checked} 个月度读数，发现 {len(self.items)} 处异常：{listed}"
                f"{rule}" + "".join(self.notes))


def anomalies(store: DataStore, institution: str, year: int) -> AnomalyResult:
    """AI 诊断：找出某单位某年哪些月份的用电、用气、用水、用油明显偏离往年同月或本单位自身规律，并说明可能原因。
    用户问“有没有异常”“哪个月用水不正常”“帮我诊断一下能耗”时使用；需要月度数据。

    Args:
        institution: 单位名称或简称。
        year: 要诊断的年份，例如 2024。
    """
    year = check_year(year)
    name = store.resolve(institution)
    rows = [row for row in store.rows(name, year) if row.month is not None]
    if not rows:
        raise LookupFailed(f"“{name}”{year}年没有月度数据，无法做异常诊断（需要按月的能耗数据）。")
    history = [row for row in store.rows(name) if row.month is not None and year - HISTORY_YEARS <= row.year < year]
    by_month: dict[tuple[str, int], list[tuple[int, float]]] = {}
    for row in history:
        for attr in CHECKED:
            by_month.setdefault((attr, row.month), []).append((row.year, getattr(row, attr)))
    items: list[Anomaly] = []
    checked = 0
    notes: list[str] = []
    for attr, (label, unit, causes) in CHECKED.items():
        if not any(getattr(row, attr) for row in rows + history):
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
    inputs = tuple({"period": row.period, **{a: getattr(row, a) for a in CHECKED}, "source": row.source}
                   for row in rows)
    items.sort(key=lambda a: (a.period, a.field))
    return AnomalyResult(name, year, tuple(items), checked, inputs, (), tuple(notes))


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
