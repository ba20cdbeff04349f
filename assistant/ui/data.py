"""能耗数据 tab: import CSV/XLSX, pick an institution and a year, see indicator cards, the 2015–2025 trend with the
十四五 target line, a ranking within the institution's category, quota and budget status in colour, the anomaly
table, and the year-by-year table for download as CSV/XLSX.

All figures come from tools/ (the same functions the chat and the CLI call); this module only lays them out.
A section whose data is missing (no budget that year, no quota table) says so in grey instead of failing the page.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Callable

import gradio as gr
import pandas as pd

from assistant.ui import cards as ui_cards
from assistant.errors import LookupFailed
from assistant.records import metrics as vocab
from assistant.records.units import FIELDS as IMPORT_FIELDS
from assistant.ui.access import ADMIN_CLASS, admin_only
from assistant.ui.services import Services, friendly

ALL = "全部"
MAPPING_HEADERS = ["工作表", "列", "表头", "读作"]
FIELD_CHOICES = tuple(name for name, _ in IMPORT_FIELDS.values())  # what the 读作 column accepts
TREND_FROM, TREND_TO = 2015, 2025
RANK_TOP = 15  # more bars than this and the names on the axis overlap
ANOMALY_HEADERS = ["统计期", "项目", "读数", "参考值", "偏离", "比较依据", "说明"]
TARGET_METRICS = ("energy_per_area", "energy_per_capita", "water_per_capita", "carbon_per_area")
ANNUAL_COLUMNS = [("年份", None), ("建筑面积(m²)", "floor_area_m2"), ("用能人数", "headcount")] + [
    (f"{vocab.metric(k).name}({vocab.metric(k).unit})", vocab.metric(k).field)
    for k in ("electricity", "energy", "energy_per_area", "energy_per_capita", "water", "water_per_capita", "carbon",
              "carbon_per_area")]


def build(services: Services) -> Callable[[], tuple]:
    """Lay out the data tab; returns the page-load refresher for the institution and year lists."""
    with gr.Row():
        with gr.Column(scale=1, min_width=260, elem_classes=ADMIN_CLASS):  # admins only (access.py)
            gr.Markdown("### 导入数据\n能耗数据、用能预算表、能耗定额表（按表头识别），CSV（UTF-8 或 GBK）、Excel"
                        f"（.xlsx/.xls），单个文件不超过 {services.settings.max_file_mb:g} MB：模板格式或各单位自己的台账"
                        "（标题行、两行表头、表头里带单位、按月分列、多个工作表都可以）。上传后先看预览：每一列读作什么、"
                        "单位怎么换算、年份从哪里来、跳过了哪些行；读错的列可在下表“读作”一栏改正（改过的对应关系会记住），"
                        "确认无误再点“确认导入”。有任何一格出错，整份文件不导入，并列出工作表、行和列。")
            upload = gr.File(label="选择数据文件", file_types=[".csv", ".xlsx", ".xls"], elem_id="gl-data-upload")
            import_year = gr.Textbox(label="统计年份（表中没有年份时填写，可留空）", max_lines=1,
                                     elem_id="gl-data-import-year")
            mapping_table = gr.Dataframe(headers=MAPPING_HEADERS, interactive=True, wrap=True,
                                         label="各列读作（可改“读作”一栏：" + "、".join(FIELD_CHOICES) + "）",
                                         elem_id="gl-data-mapping")
            with gr.Row():
                do_preview = gr.Button("预览", elem_id="gl-data-preview")
                do_confirm = gr.Button("确认导入", variant="primary", elem_id="gl-data-confirm")
            preview = gr.Markdown("", elem_id="gl-data-report")
            imported = gr.Markdown("")
            do_import = gr.Button("导入数据", visible=False, elem_id="gl-data-import")  # one-step API (scripts)
            do_template = gr.Button("下载导入模板", size="sm", elem_id="gl-data-template")
            template = gr.File(label="导入模板（.xlsx）", interactive=False, elem_id="gl-data-template-file")
        with gr.Column(scale=3):
            gr.Markdown("### 查询单位")
            with gr.Row():
                # Custom values allowed: the lists fill on page load, and the API may name any unit (resolved fuzzily).
                institution = gr.Dropdown(label="单位", choices=[], allow_custom_value=True, scale=3,
                                          elem_id="gl-data-institution")
                year = gr.Dropdown(label="年份", choices=[], allow_custom_value=True, scale=1, elem_id="gl-data-year")
                metric = gr.Dropdown([(m.name, m.key) for m in vocab.METRICS], value="energy_per_area",
                                     label="趋势指标", scale=2)
                run = gr.Button("查询", variant="primary", scale=1, elem_id="gl-data-run")
            cards = gr.HTML(ui_cards.empty("选择单位和年份后点“查询”。"), elem_id="gl-data-cards")
    with gr.Row():
        trend_plot = gr.LinePlot(x="年份", y="数值", color="系列", title="逐年趋势（2015–2025）", height=360,
                                 x_axis_format="d", y_title="指标值", color_title="", elem_id="gl-data-trend")
        rank_plot = gr.BarPlot(x="单位", y="数值", color="标记", title=f"同类单位排名（前{RANK_TOP}名）", height=360,
                               x_label_angle=-60, y_title="指标值", color_title="", sort="-y", elem_id="gl-data-rank")
    trend_note = gr.Markdown("")
    with gr.Row():
        quota = gr.HTML("", elem_id="gl-data-quota")
        budget = gr.HTML("", elem_id="gl-data-budget")
    gr.Markdown("### 异常诊断（与往年同月比较）")
    anomaly_table = gr.Dataframe(headers=ANOMALY_HEADERS, interactive=False, wrap=True, elem_id="gl-data-anomalies")
    gr.Markdown("### 逐年指标表")
    annual = gr.Dataframe(interactive=False, elem_id="gl-data-annual")
    downloads = gr.File(label="下载本表（CSV / Excel）", file_count="multiple", interactive=False,
                        elem_id="gl-data-download")
    with gr.Accordion("计算过程与所用系数", open=False):
        explanation = gr.Markdown("")

    outputs = [cards, trend_plot, trend_note, rank_plot, quota, budget, anomaly_table, annual, downloads, explanation]
    run.click(friendly(lambda i, y, m: query(services, i, y, m)), [institution, year, metric], outputs,
              api_name="data_query", concurrency_limit=2, concurrency_id="data")
    institution.change(lambda name: years_update(services, name), institution, year, api_visibility="private")
    do_import.click(admin_only(services, "import", friendly(lambda f: import_data(services, f))), upload,
                    [imported, institution, year],
                    api_name="data_import", concurrency_limit=1, concurrency_id="ingest")
    preview_outputs = [preview, mapping_table, import_year]
    upload.change(admin_only(services, "import_preview", friendly(lambda f: preview_import(services, f))), upload,
                  preview_outputs, api_visibility="private")
    do_preview.click(admin_only(services, "import_preview", friendly(lambda f, t, y: preview_import(services, f, t, y))),
                     [upload, mapping_table, import_year],
                     preview_outputs, api_name="data_preview", concurrency_limit=2, concurrency_id="data")
    do_confirm.click(admin_only(services, "import", friendly(lambda f, t, y: confirm_import(services, f, t, y))),
                     [upload, mapping_table, import_year],
                     [imported, institution, year], api_name="data_confirm", concurrency_limit=1,
                     concurrency_id="ingest")
    do_template.click(lambda: template_file(), None, template, api_name="data_template")
    return lambda: choices_update(services), [institution, year]


def query(services: Services, institution: str | None, year: Any, metric: str | None) -> tuple:
    """Everything the tab shows for one institution and year."""
    from tools.energy import indicators

    if not institution:
        raise gr.Error("请先选择单位（没有单位可选时，请先导入能耗数据）。")
    if not str(year or "").strip().isdigit():
        raise gr.Error("请选择年份（四位数字，例如 2024）。")
    year = int(year)
    metric = metric or "energy_per_area"
    store = services.store
    ind = indicators(store, institution, year)
    name = ind.institution if institution != ALL else ALL
    cards = ui_cards.metric_cards([
        ("综合能耗（当量值）", f"{ind.energy_kgce / 1000:,.2f}", "吨标准煤 tce"),
        *_metric_card(ind, "energy_per_area", "{:.2f}"), *_metric_card(ind, "energy_per_capita", "{:.1f}"),
        *_metric_card(ind, "water_per_capita", "{:.2f}"), *_metric_card(ind, "carbon", "{:,.2f}"),
        *_metric_card(ind, "carbon_per_area", "{:.2f}"),
    ])
    title = f"<h4>{ui_cards.escape(ind.institution)} · {ui_cards.escape(ind.period_label)}</h4>"
    cards = title + cards + "".join(ui_cards.status_box(n, "amber") for n in ind.notes)
    explanations = [ind.explain()]

    trend_df, trend_note, text = _trend(store, name, metric)
    explanations.append(text)
    rank_df, text = _rank(store, ind.institution if name != ALL else None, ind.category, metric, year)
    explanations.append(text)
    quota_html, text = _section(lambda: _quota(store, name, year), "能耗定额对标")
    explanations.append(text)
    budget_html, text = _section(lambda: _budget(store, name, year), "用能预算执行")
    explanations.append(text)
    anomaly_rows, text = _anomalies(store, name, year)
    explanations.append(text)
    table = annual_table(store, name)
    files = export_table(table, f"{ind.institution}_逐年指标")
    explanation = "\n\n".join(f"- {ui_cards.escape(t)}" for t in explanations if t)
    return cards, trend_df, trend_note, rank_df, quota_html, budget_html, anomaly_rows, table, files, explanation


def annual_table(store: Any, institution: str) -> pd.DataFrame:
    """One row per year with data, 2015–2025: inputs and every indicator."""
    from tools.energy import indicators

    years = store.years() if institution == ALL else store.years(institution)
    rows = []
    for y in (y for y in years if TREND_FROM <= y <= TREND_TO):
        ind = indicators(store, institution, y)
        # intensities keep 4 decimals (they are compared with quotas); totals 2
        rows.append([y] + [round(float(getattr(ind, attr)), 4 if "per" in attr else 2) for _, attr in ANNUAL_COLUMNS[1:]])
    return pd.DataFrame(rows, columns=[label for label, _ in ANNUAL_COLUMNS])


def export_table(table: pd.DataFrame, stem: str) -> list[str]:
    """Write the table as UTF-8 CSV (with BOM, so Excel opens it in Chinese) and as .xlsx in a fresh temp folder."""
    folder = Path(tempfile.mkdtemp(prefix="greenleaf-export-"))
    stem = "".join(ch for ch in stem if ch not in '\\/:*?"<>|')
    csv_path, xlsx_path = folder / f"{stem}.csv", folder / f"{stem}.xlsx"
    table.to_csv(csv_path, index=False, encoding="utf-8-sig")
    table.to_excel(xlsx_path, index=False, sheet_name="逐年指标")
    return [str(csv_path), str(xlsx_path)]


def import_data(services: Services, file: str | None) -> tuple:
    """One step: read and write the file as the reader understands it (the API for scripts)."""
    report = services.store.import_file(_upload_path(file))
    return (f"**导入成功**：{report.summary()}", *choices_update(services))


def preview_import(services: Services, file: str | None, table: Any = None, year: Any = None) -> tuple:
    """Read the uploaded file without writing: (the report as Markdown, the column table, the year box)."""
    if not file:
        return "", pd.DataFrame(columns=MAPPING_HEADERS), ""
    path = _upload_path(file)
    report = services.store.read_file(path, _choices(services, path, table, year))
    return _report_markdown(report), mapping_rows(report), str(year or "").strip()


def confirm_import(services: Services, file: str | None, table: Any = None, year: Any = None) -> tuple:
    """Write the file as previewed, with the user's column and year corrections; the corrections are remembered
    for the next file with the same header."""
    path = _upload_path(file)
    choices = _choices(services, path, table, year)
    report = services.store.read_file(path, choices)
    if not report.ok:
        raise gr.Error(report.text(), duration=None, print_exception=False)
    report = services.store.commit(report, choices)
    remembered = "（您改过的列已记住，下次同样表头的文件按此读取）" if choices.columns else ""
    return (f"**导入成功**：{report.summary()}{remembered}", *choices_update(services))


def template_file() -> str:
    """The import template (.xlsx) in a fresh temp folder."""
    from assistant.records.template import write_template

    folder = Path(tempfile.mkdtemp(prefix="greenleaf-template-"))
    return str(write_template(folder / "能耗数据导入模板.xlsx"))


def mapping_rows(report: Any) -> pd.DataFrame:
    """The report's columns as the editable table: 工作表, 列, 表头, 读作 (month columns of grids are not listed)."""
    rows = [[c.sheet, c.column, c.header, "不导入" if c.field == "ignore" else c.label]
            for s in report.sheets for c in s.columns if not c.field.startswith("month:")]
    return pd.DataFrame(rows, columns=MAPPING_HEADERS)


def _choices(services: Services, path: Path, table: Any, year: Any):
    """The user's corrections: fields where the table's 读作 differs from how the reader reads the column alone."""
    from assistant.records.layout import Choices
    from assistant.records.units import field_for_label

    text = str(year or "").strip()
    if text and not (text.isdigit() and 1990 <= int(text) <= 2100):
        raise gr.Error(f"统计年份应为四位数字，例如 2024；现在是“{text}”。")
    chosen_year = int(text) if text else None
    rows = _table_rows(table)
    if not rows:
        return Choices(year=chosen_year)
    auto = {(c.sheet, c.column): c for s in services.store.read_file(path).sheets for c in s.columns}
    columns: dict[tuple[str, str], str] = {}
    for sheet, letter, header, wanted in rows:
        fld = field_for_label(wanted)
        if fld is None:
            raise gr.Error(f"{letter}列“{header}”的“读作”填了“{wanted}”，不认识；可填：{'、'.join(FIELD_CHOICES)}。")
        known = auto.get((sheet, letter))
        if known is None or fld != known.field:
            columns[(sheet, letter)] = fld
    return Choices(columns=columns, year=chosen_year)


def _table_rows(table: Any) -> list[tuple[str, str, str, str]]:
    if table is None:
        return []
    frame = table if isinstance(table, pd.DataFrame) else pd.DataFrame(
        table.get("data", []) if isinstance(table, dict) else table, columns=MAPPING_HEADERS)
    return [tuple("" if v is None else str(v).strip() for v in row[:4]) for row in frame.itertuples(index=False)
            if any(str(v or "").strip() for v in row)]


def _upload_path(file: str | None) -> Path:
    if not file:
        raise gr.Error("请先选择要导入的 CSV 或 Excel 文件。")
    path = Path(file)
    if path.suffix.lower() not in (".csv", ".xlsx", ".xls"):
        raise gr.Error(f"不支持的文件格式“{path.suffix or '无扩展名'}”，请上传 CSV、.xlsx 或 .xls。")
    return path


def _report_markdown(report: Any) -> str:
    head = "**可以导入**：核对下面的读法后点“确认导入”。" if report.ok else "**暂不能导入**：请先处理下面列出的问题。"
    return f"{head}\n\n```\n{report.text()}\n```"


def choices_update(services: Services) -> tuple:
    names = services.store.institution_names()
    if not names:
        return gr.Dropdown(choices=[], value=None), gr.Dropdown(choices=[], value=None)
    default = "市行政中心" if "市行政中心" in names else names[0]
    return gr.Dropdown(choices=[(f"{ALL}（所有单位合计）", ALL), *names], value=default), years_update(services, default)


def years_update(services: Services, institution: str | None) -> gr.Dropdown:
    if not institution:
        return gr.Dropdown(choices=[], value=None)
    years = services.store.years(None if institution == ALL else institution)
    return gr.Dropdown(choices=[str(y) for y in reversed(years)], value=str(years[-1]) if years else None)


# ---------------------------------------------------------------- sections


def _metric_card(ind: Any, key: str, form: str) -> tuple[tuple[str, str, str]]:
    """One metric tile: name, value formatted by `form`, unit — names and units from the vocabulary."""
    m = vocab.metric(key)
    return ((m.name, form.format(getattr(ind, m.field)), m.unit),)


def _trend(store: Any, institution: str, metric: str) -> tuple[pd.DataFrame, str, str]:
    from tools.energy import trend

    name, unit = vocab.metric(metric).name, vocab.metric(metric).unit
    result = trend(store, institution, metric, TREND_FROM, TREND_TO)
    rows = [(p.year, p.value, f"实际值（{unit}）") for p in result.points if p.value is not None]
    if result.target_value is not None:
        label = f"十四五目标：2025年不高于 {result.target_value:.2f}"
        rows += [(2020, result.target_value, label), (2025, result.target_value, label)]
        note = (f"**{name}**：2020年基数 {result.base_value:.2f} {unit}，十四五目标下降 {result.target_pct:g}% → "
                f"2025年不高于 **{result.target_value:.2f} {unit}**（目标线，来源：{ui_cards.escape(_target_source())}）。")
    elif metric in TARGET_METRICS:
        note = f"**{name}**：缺少2020年数据，无法画出十四五目标线（目标以2020年为基数）。"
    else:
        note = f"**{name}**：十四五目标线只适用于{'、'.join(vocab.metric(k).name for k in TARGET_METRICS)}。"
    note += "".join(f"\n\n{ui_cards.escape(n)}" for n in result.notes)
    return pd.DataFrame(rows, columns=["年份", "数值", "系列"]), note, result.explain()


def _target_source() -> str:
    from tools.factors import FYP14_SOURCE

    return FYP14_SOURCE


def _rank(store: Any, institution: str | None, category: str | None, metric: str, year: int) -> tuple[pd.DataFrame, str]:
    from tools.energy import rank

    try:
        result = rank(store, metric, year, category=category if institution else None, top=0)
    except LookupFailed as error:
        return pd.DataFrame(columns=["单位", "数值", "标记"]), str(error)
    shown = [row for row in result.rows if row.rank <= RANK_TOP or row.institution == institution]
    rows = [(f"{row.rank}. {row.institution}", row.value,
             "本单位" if row.institution == institution else f"{row.category or ''}其他单位" if institution else "各单位")
            for row in shown]
    return pd.DataFrame(rows, columns=["单位", "数值", "标记"]), result.explain()


def _quota(store: Any, institution: str, year: int) -> tuple[str, str]:
    from tools.quota import BETTER, OVER, check_quota

    result = check_quota(store, institution, year)
    colour = {OVER: "red", BETTER: "green"}.get(result.overall, "green")
    boxes = [ui_cards.status_box(item.sentence(), "red" if item.verdict == OVER else "green", item.verdict)
             for item in result.items]
    head = ui_cards.status_box(f"{result.institution}（{result.category}）{year}年：{result.overall}", colour,
                               "能耗定额对标")
    return head + "".join(boxes), result.explain()


def _budget(store: Any, institution: str, year: int) -> tuple[str, str]:
    from tools.budget import budget_status

    result = budget_status(store, institution, year)
    boxes = []
    for item in result.items:
        colour = "red" if item.execution_rate >= 100 else "amber" if item.warnings else "green"
        text = item.sentence(result.through_month) + "。" + ("".join(f"\n预警：{w}" for w in item.warnings))
        boxes.append(ui_cards.status_box(text, colour, f"{item.name}：执行率 {item.execution_rate:.1f}%"))
    worst = "red" if any(i.execution_rate >= 100 for i in result.items) else "amber" if result.warnings else "green"
    head = ui_cards.status_box(
        f"截至{result.through_month}月，" + ("触发预警：" + "；".join(result.warnings) if result.warnings
                                          else "未触发预警（执行率达80%预警、达100%超支）"), worst, "用能预算执行")
    notes = "".join(ui_cards.status_box(n, "grey") for n in result.notes)
    return head + "".join(boxes) + notes, result.explain()


def _anomalies(store: Any, institution: str, year: int) -> tuple[list[list], str]:
    from tools.anomalies import anomalies

    if institution == ALL:
        return [], ""
    try:
        result = anomalies(store, institution, year)
    except LookupFailed as error:
        return [["—", "—", "—", "—", "—", "—", str(error)]], str(error)
    rows = [[a.period, a.name, f"{a.value:,.0f} {a.unit}", f"{a.expected:,.0f} {a.unit}",
             "读数为0" if a.deviation_pct is None else f"{a.deviation_pct:+.0f}%", a.reference, a.explanation]
            for a in result.items]
    if not rows:
        rows = [["—", "—", "—", "—", "—", "—", f"{year}年共检查 {result.checked} 个月度读数，未发现异常。"]]
    return rows, result.explain()


def _section(compute: Callable[[], tuple[str, str]], title: str) -> tuple[str, str]:
    """Run one section; missing data becomes a grey box with the reason, not an error for the whole page."""
    try:
        return compute()
    except LookupFailed as error:
        return ui_cards.status_box(str(error), "grey", title), ""
