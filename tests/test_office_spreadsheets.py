"""Spreadsheets laid out the way county and district offices keep them (issue 19), built here with openpyxl, csv
(GBK) and xlwt, imported through the real DataStore, CLI and UI handlers; expected figures are worked out by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from assistant.config import Settings
from assistant.errors import DataError
from assistant.records.layout import Choices
from assistant.records.store import DataStore

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def store(tmp_path: Path):
    with DataStore.open(Settings(home=tmp_path / "home")) as s:
        yield s


def book(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
    wb.save(path)
    return path


def test_title_row_serial_column_and_month_only_periods(store, tmp_path):
    f = book(tmp_path / "东海县.xlsx", {"能耗": [
        ["东海县公共机构2024年月度能耗统计表"],
        ["序号", "单位名称", "统计月份", "建筑面积（平方米）", "用能人数", "电力消耗量(kWh)", "天然气用量（立方米）", "备注"],
        [1, "东海县人民政府", "1月", 12000, 300, 50000, 400, ""],
        [2, "东海县人民政府", "2月", 12000, 310, 42000, 350, "春节"],
        ["", "合计", "", "", "", "=SUM(F3:F4)", "=SUM(G3:G4)", ""],
        ["填表人：王某", "", "审核人：李某"],
    ]}, {"能耗": ["A1:H1"]})
    report = store.import_file(f)
    assert report.rows == 2 and report.written
    rows = store.rows("东海县人民政府", 2024)
    assert [(r.period, r.electricity_kwh, r.natural_gas_m3, r.headcount) for r in rows] == [
        ("2024-01", 50000, 400, 300), ("2024-02", 42000, 350, 310)]
    sheet = report.sheets[0]
    assert sheet.header_rows == (2,) and sheet.year == 2024 and sheet.year_source.startswith("标题")
    assert {c.header: c.field for c in sheet.columns}["序号"] == "ignore"
    assert any("第5行" in s and "合计" in s for s in sheet.skipped)
    assert any("第6行" in s and "填表人" in s for s in sheet.skipped)


def test_two_row_header_with_units_below_converts_wan_kwh(store, tmp_path):
    f = book(tmp_path / "月报.xlsx", {"Sheet1": [
        ["西湖区公共机构能耗月报"],
        ["单位名称", "统计期", "建筑面积", "用能人数", "用电量", "天然气", "用水量"],
        [None, None, "㎡", "人", "万千瓦时", "万立方米", "吨"],
        ["西湖区图书馆", "2024-03", 8000, 60, 1.25, 0.03, 420],
    ]}, {"Sheet1": ["A2:A3", "B2:B3"]})
    report = store.import_file(f)
    (row,) = store.rows("西湖区图书馆", 2024)
    assert row.electricity_kwh == pytest.approx(12500)  # 1.25 万千瓦时
    assert row.natural_gas_m3 == pytest.approx(300)  # 0.03 万立方米
    assert row.water_m3 == 420 and row.floor_area_m2 == 8000
    assert report.sheets[0].header_rows == (2, 3)
    conv = {c.header: c.conversion for c in report.sheets[0].columns}
    assert "万千瓦时 × 10000 → kWh" in conv["用电量（万千瓦时）"]


def test_group_header_above_names_with_merged_cells(store, tmp_path):
    f = book(tmp_path / "q4.xlsx", {"Sheet1": [
        ["南湖区2023年第四季度能源消耗"],
        ["单位名称", "统计期", "建筑面积(m2)", "用能人数", "能源消耗量", None, "水资源"],
        [None, None, None, None, "电(kWh)", "天然气(方)", "用水量(m³)"],
        ["南湖区中学", "2023年10月", 20000, 1500, 80000, 0, 3000],
    ]}, {"Sheet1": ["A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:F2"]})
    store.import_file(f)
    (row,) = store.rows("南湖区中学", 2023)
    assert (row.period, row.electricity_kwh, row.water_m3, row.headcount) == ("2023-10", 80000, 3000, 1500)


def test_gbk_annual_report_takes_year_from_title_and_fuel_in_tonnes(store, tmp_path):
    from tools.energy import indicators

    path = tmp_path / "年报.csv"
    rows = [["北山县2023年度公共机构能源资源消费统计年报"], [],
            ["序号", "单位名称", "建筑面积（㎡）", "用能人数（人）", "用电量（千瓦时）", "汽油（吨）", "柴油（吨）"],
            [1, "北山县财政局", 5000, 100, 200000, "1.45", "0.83"],
            ["", "总计", "", "", 200000, "", ""]]
    with path.open("w", encoding="gbk", newline="") as fh:
        csv.writer(fh).writerows(rows)
    report = store.import_file(path)
    (row,) = store.rows("北山县财政局", 2023)
    assert row.period == "2023"  # an annual row
    assert row.gasoline_l == pytest.approx(1450 / 0.725)  # 1.45 t = 1450 kg, stored as litres at 0.725 kg/L
    assert row.diesel_l == pytest.approx(830 / 0.83)
    # kgce by hand from the kg: 200000 × 0.1229 + 1450 × 1.4714 + 830 × 1.4571 = 24580 + 2133.53 + 1209.393
    assert indicators(store, "北山县财政局", 2023).energy_kgce == pytest.approx(27922.923, rel=1e-9)
    conv = {c.header: c.conversion for c in report.sheets[0].columns}
    assert "0.725 kg/L" in conv["汽油（吨）"] and "按升存储" in conv["汽油（吨）"]


def test_utf8_csv_with_yyyymm_periods_and_du(store, tmp_path):
    path = tmp_path / "清河.csv"
    path.write_text("单位名称,统计期,建筑面积,人数,用电(度),用水量(立方米),备注\n清河县医院,202407,9000,400,"
                    "\"61,000\",800,样例\n", encoding="utf-8")
    store.import_file(path)
    (row,) = store.rows("清河县医院", 2024)
    assert (row.period, row.electricity_kwh, row.water_m3) == ("2024-07", 61000, 800)


def test_excel_date_cells_as_periods(store, tmp_path):
    f = book(tmp_path / "台账.xlsx", {"Sheet1": [
        ["单位名称", "月份", "建筑面积", "用能人数", "电量(kWh)"],
        ["云台区政府", dt.datetime(2024, 2, 1), 6000, 150, 30000],
        ["云台区政府", 45383, 6000, 150, 31000],  # an Excel date serial: 2024-04-01
    ]})
    store.import_file(f)
    assert [r.period for r in store.rows("云台区政府", 2024)] == ["2024-02", "2024-04"]


def test_wide_grids_on_several_sheets_combine_into_months(store, tmp_path):
    months = [f"{m}月" for m in range(1, 13)]
    f = book(tmp_path / "临江县.xlsx", {
        "基本情况": [["单位名称", "建筑面积", "用能人数"], ["临江县政府", 10000, 200]],
        "用电量（千瓦时）": [["临江县2024年各单位用电量"], ["序号", "单位名称", *months, "合计"],
                          [1, "临江县政府", *[1000 * m for m in range(1, 13)], 78000], ["", "合计", *[0] * 12]],
        "用水量（吨）": [["临江县2024年各单位用水量"], ["序号", "单位名称", *months],
                      [1, "临江县政府", *[100] * 12]],
    })
    report = store.import_file(f)
    rows = store.rows("临江县政府", 2024)
    assert len(rows) == 12 and report.rows == 12
    assert (rows[2].period, rows[2].electricity_kwh, rows[2].water_m3, rows[2].floor_area_m2) == ("2024-03", 3000, 100,
                                                                                                    10000)
    rec = store.annual("临江县政府", 2024)
    assert rec.electricity_kwh == 78000 and rec.water_m3 == 1200
    roles = {s.name: s.role for s in report.sheets}
    assert roles == {"基本情况": "info", "用电量（千瓦时）": "wide", "用水量（吨）": "wide"}


def test_wide_grid_with_unit_only_in_title(store, tmp_path):
    f = book(tmp_path / "石门.xlsx", {"Sheet1": [
        ["石门县2023年公共机构用电量统计表"], ["单位：万千瓦时"],
        ["单位名称", "建筑面积", "用能人数", "1月", "2月", "3月"],
        ["石门县档案馆", 3000, 40, 0.5, 0.4, 0.45],
    ]})
    store.import_file(f)
    assert [r.electricity_kwh for r in store.rows("石门县档案馆", 2023)] == pytest.approx([5000, 4000, 4500])


def test_wide_grid_without_area_stops_with_a_question(store, tmp_path):
    f = book(tmp_path / "用电.xlsx", {"用电量": [["2024年用电量（千瓦时）"], ["单位名称", "1月", "2月", "3月"],
                                              ["某单位", 1, 2, 3]]})
    report = store.read_file(f)
    assert not report.ok and any("缺少建筑面积和用能人数" in q for q in report.questions)
    with pytest.raises(DataError):
        store.import_file(f)
    assert store.counts()["rows"] == 0


def test_sheet_per_month_with_year_from_file_name(store, tmp_path):
    header = ["单位名称", "建筑面积", "用能人数", "用电量(kWh)"]
    f = book(tmp_path / "城关镇2024年能耗台账.xlsx", {"1月": [header, ["城关镇政府", 4000, 80, 9000]],
                                                     "2月": [header, ["城关镇政府", 4000, 82, 8000]]})
    report = store.import_file(f)
    assert [(r.period, r.electricity_kwh) for r in store.rows("城关镇政府", 2024)] == [("2024-01", 9000),
                                                                                       ("2024-02", 8000)]
    assert report.sheets[0].year_source.startswith("文件名") and report.sheets[0].month == 1


def test_year_and_month_in_separate_columns(store, tmp_path):
    f = book(tmp_path / "新安.xlsx", {"Sheet1": [["单位", "年份", "月份", "面积(m²)", "人数", "用电"],
                                                ["新安县局", 2022, 3, 2000, 50, 7000]]})
    store.import_file(f)
    assert store.rows("新安县局", 2022)[0].period == "2022-03"


def test_old_xls_is_read_with_xlrd(store, tmp_path):
    xlwt = pytest.importorskip("xlwt")
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("能耗")
    ws.write_merge(0, 0, 0, 4, "白沙县2024年公共机构能耗月报")
    for c, h in enumerate(["单位名称", "统计期", "建筑面积（平方米）", "用能人数", "用电量（千瓦时）"]):
        ws.write(1, c, h)
    for c, v in enumerate(["白沙县医院", "2024年5月", 7000, 300, 52000]):
        ws.write(2, c, v)
    wb.save(str(tmp_path / "old.xls"))
    store.import_file(tmp_path / "old.xls")
    (row,) = store.rows("白沙县医院", 2024)
    assert (row.period, row.electricity_kwh) == ("2024-05", 52000)


def test_bad_value_names_sheet_row_and_column_and_writes_nothing(store, tmp_path):
    f = book(tmp_path / "bad.xlsx", {"二月": [["某县2024年能耗"], ["单位名称", "统计期", "建筑面积", "用能人数", "电力消耗量(kWh)"],
                                             ["甲局", "2024-01", 1000, 10, 500], ["乙局", "2024-01", 1000, 10, "约五百"]]})
    with pytest.raises(DataError) as info:
        store.import_file(f)
    assert info.value.problems == ["工作表“二月”第4行 电力（E列“电力消耗量(kWh)”）：不是数字“约五百”"]
    assert store.counts()["rows"] == 0  # the good row 3 was not written either


def test_formula_without_cached_value_is_not_a_number(store, tmp_path):
    f = book(tmp_path / "f.xlsx", {"S": [["单位名称", "统计期", "建筑面积", "用能人数", "电力"],
                                         ["甲局", "2024-01", 1000, 10, "=100*5"]]})
    report = store.read_file(f)
    assert any("第2行 电力" in p and "公式" in p for p in report.problems)


def test_two_candidate_header_rows_stop_with_a_question(store, tmp_path):
    f = book(tmp_path / "two.xlsx", {"S": [["单位名称", "统计期", "建筑面积", "用能人数", "电力"],
                                           ["甲局", "2024-01", 1000, 10, 5],
                                           ["单位", "年月", "面积", "人数", "用水量"],
                                           ["甲局", "2024-01", 1000, 10, 5]]})
    report = store.read_file(f)
    assert not report.ok and any("第1行、第3行都像表头" in q for q in report.questions)


def test_unreadable_unit_stops_with_a_question(store, tmp_path):
    path = tmp_path / "u.csv"
    path.write_text("单位名称,统计期,建筑面积,用能人数,天然气(千克)\n甲局,2024,100,1,5\n", encoding="utf-8")
    report = store.read_file(path)
    assert any("“天然气(千克)”的单位“千克”无法换算" in q for q in report.questions)
    with pytest.raises(DataError):
        store.import_file(path)


def test_month_only_periods_without_any_year_ask_and_a_chosen_year_answers(store, tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text("单位名称,月份,建筑面积,用能人数,用电量\n甲局,3月,100,2,50\n", encoding="utf-8")
    report = store.read_file(path)
    assert any("找不到年份" in p for p in report.problems)
    report = store.import_file(path, Choices(year=2025))
    assert store.rows("甲局", 2025)[0].period == "2025-03"
    assert report.sheets[0].year_source == "用户指定"


def test_dry_run_writes_nothing_and_json_has_the_reading(tmp_path):
    f = book(tmp_path / "东海县2024.xlsx", {"S": [["东海县2024年能耗"], ["序号", "单位名称", "统计月份", "建筑面积", "用能人数",
                                                                       "用电量（万千瓦时）"],
                                                [1, "甲局", "1月", 100, 2, 0.5], ["", "合计", "", "", "", 0.5]]})
    home = tmp_path / "home"
    cmd = [sys.executable, "-m", "assistant", "--home", str(home), "data", "import", str(f), "--dry-run", "--json"]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["dry_run"] is True and doc["imported"] == 0 and doc["failed"] == 0
    (item,) = doc["files"]
    assert item["ok"] and not item["written"] and item["rows"] == 1
    sheet = item["sheets"][0]
    assert sheet["header_rows"] == [2] and sheet["year"] == 2024 and sheet["year_source"].startswith("标题")
    cols = {c["header"]: c for c in sheet["columns"]}
    assert cols["用电量（万千瓦时）"]["field"] == "electricity_kwh"
    assert "× 10000" in cols["用电量（万千瓦时）"]["conversion"]
    assert cols["序号"]["field"] == "ignore"
    assert any("合计" in s for s in sheet["skipped"])
    assert item["preview"][0]["electricity_kwh"] == pytest.approx(5000) and item["preview"][0]["period"] == "2024-01"
    with DataStore.open(Settings(home=home)) as s:
        assert s.counts()["rows"] == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("单位名称,统计期,建筑面积,用能人数\n甲,2024,x,1\n", encoding="utf-8")
    out = subprocess.run(cmd[:7] + [str(bad), "--json"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 1 and json.loads(out.stdout)["files"][0]["problems"]
    out = subprocess.run(cmd[:7], capture_output=True, text=True, cwd=ROOT)  # no file: a usage error
    assert out.returncode == 2


def test_budget_file_with_a_title_row_still_imports(store, tmp_path):
    data = tmp_path / "c.csv"
    data.write_text("单位名称,统计期,建筑面积,用能人数\n甲局,2024,100,2\n", encoding="utf-8")
    store.import_file(data)
    path = tmp_path / "b.csv"
    path.write_text("2025年用能预算\n单位名称,预算年度,能耗预算(kgce)\n甲局,2025,1000\n", encoding="utf-8")
    assert store.import_file(path).kind == "budget"
    assert store.budget("甲局", 2025).energy_budget_kgce == 1000


def test_ui_preview_then_confirm_with_a_corrected_column_is_remembered(tmp_path):
    from assistant.ui import data as ui_data
    from assistant.ui.services import Services

    settings = replace(Settings.from_env({}), home=tmp_path / "home", embed_model=None)
    services = Services(settings, kb=None, store=DataStore.open(settings))
    header = ["单位名称", "统计期", "建筑面积", "用能人数", "电表读数"]
    first = book(tmp_path / "a.xlsx", {"S": [header, ["甲局", "2024-01", 100, 2, 300]]})
    markdown, table, year = ui_data.preview_import(services, str(first))
    assert "可以导入" in markdown and services.store.counts()["rows"] == 0
    assert table.loc[table["表头"] == "电表读数", "读作"].item() == "不导入"
    table.loc[table["表头"] == "电表读数", "读作"] = "电力"
    message, *_ = ui_data.confirm_import(services, str(first), table, "")
    assert "导入成功" in message and "已记住" in message
    assert services.store.rows("甲局", 2024)[0].electricity_kwh == 300
    second = book(tmp_path / "b.xlsx", {"S": [header, ["乙局", "2024-02", 100, 2, 700]]})
    markdown, table, _ = ui_data.preview_import(services, str(second))
    assert table.loc[table["表头"] == "电表读数", "读作"].item() == "电力"  # remembered for the same header
    ui_data.confirm_import(services, str(second), table, "")
    assert services.store.rows("乙局", 2024)[0].electricity_kwh == 700
    services.store.close()


def test_ui_template_has_the_documented_columns_and_an_example_row(tmp_path, store):
    from assistant.ui import data as ui_data

    path = ui_data.template_file()
    ws = load_workbook(path).active
    assert [c.value for c in ws[2]][:5] == ["单位名称", "单位类型", "统计期", "建筑面积（m²）", "用能人数"]
    assert str(ws["A3"].value).startswith("示例")
    ws.append(["河口区政府", "党政机关", "2024-01", 1000, 20, 5000])
    ws.parent.save(tmp_path / "filled.xlsx")
    report = store.import_file(tmp_path / "filled.xlsx")
    assert report.institutions == ("河口区政府",)  # the example row is skipped
