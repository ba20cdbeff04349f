"""Import of consumption, budget and quota files: encodings, XLSX, whole-file rejection with row numbers, names."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from assistant.config import Settings
from assistant.records.store import DataStore
from assistant.errors import DataError, LookupFailed

HEADER_ZH = "单位名称,单位类型,统计期,建筑面积,用能人数,电力,天然气,汽油,柴油,水"


@pytest.fixture
def store(tmp_path: Path):
    with DataStore.open(Settings(home=tmp_path / "home")) as s:
        yield s


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_utf8_csv_with_chinese_headers_imports_and_sums_months(store, tmp_path):
    f = write(tmp_path / "a.csv", HEADER_ZH + "\n"
              "市行政中心,党政机关,2024-01,20000,500,100000,800,,,1200\n"
              "市行政中心,党政机关,2024-02,20000,520,90000,700,50,,1100\n")
    report = store.import_file(f)
    assert (report.kind, report.rows) == ("consumption", 2)
    rec = store.annual("市行政中心", 2024)
    assert rec.electricity_kwh == 190000
    assert rec.natural_gas_m3 == 1500
    assert rec.gasoline_l == 50  # blank cells are zero
    assert rec.headcount == 520  # last period's headcount
    assert rec.months == (1, 2)


def test_utf8_bom_and_english_headers_and_unit_suffixes(store, tmp_path):
    text = ("institution,category,period,floor_area_m2 (m²),headcount,electricity_kwh,water_m3\n"
            "Test Hall,文化场馆,2023,5000,40,300000,900\n")
    store.import_file(write(tmp_path / "b.csv", text, "utf-8-sig"))
    rec = store.annual("TestHall", 2023)  # whitespace in names is ignored
    assert rec.floor_area_m2 == 5000 and rec.electricity_kwh == 300000 and rec.months == ()


def test_gbk_csv_imports(store, tmp_path):
    f = write(tmp_path / "gbk.csv", HEADER_ZH + "\n市第二中学,学校,2022-09,30000,1900,70000,900,,,2500\n", "gbk")
    store.import_file(f)
    assert store.institution_names() == ["市第二中学"]
    assert store.category("市第二中学") == "学校"


def test_xlsx_imports_numbers_and_dates(store, tmp_path):
    import datetime as dt

    wb = Workbook()
    ws = wb.active
    ws.append(["单位名称", "单位类型", "统计期", "建筑面积（m²）", "用能人数", "电力（kWh）"])
    ws.append(["市图书馆", "文化场馆", dt.datetime(2024, 3, 1), 22000, 3000, 150000])
    ws.append(["市图书馆", "文化场馆", "2024-04", 22000.0, 3000, 140000.5])
    wb.save(tmp_path / "x.xlsx")
    store.import_file(tmp_path / "x.xlsx")
    rows = store.rows("市图书馆", 2024)
    assert [r.period for r in rows] == ["2024-03", "2024-04"]
    assert rows[1].electricity_kwh == 140000.5


def test_bad_file_is_rejected_whole_listing_every_bad_row(store, tmp_path):
    text = (HEADER_ZH + "\n"
            "市财政局,党政机关,2024-01,4200,130,30000,,,,300\n"   # row 2 fine
            "市财政局,党政机关,2024-02,约2万,130,30000,,,,300\n"  # row 3 area not a number
            "市财政局,党政机关,2024-13,4200,130,-5,,,,300\n"     # row 4 bad month and negative electricity
            ",党政机关,2024-03,4200,130,30000,,,,300\n")          # row 5 no name
    with pytest.raises(DataError) as info:
        store.import_file(write(tmp_path / "bad.csv", text))
    problems = info.value.problems
    assert "第3行 建筑面积：不是数字“约2万”" in problems
    assert any(p.startswith("第4行 统计期") for p in problems)
    assert any(p.startswith("第4行 电力：不能为负数") for p in problems)
    assert "第5行 单位名称：不能为空" in problems
    assert not any(p.startswith("第2行") for p in problems)
    assert "bad.csv" in str(info.value)
    assert store.counts()["rows"] == 0  # the good row 2 was not written either


def test_bad_gbk_and_xlsx_files_are_rejected_with_row_numbers(store, tmp_path):
    gbk = write(tmp_path / "g.csv", HEADER_ZH + "\n市民政局,党政机关,2024,2800,八十五,1,,,,1\n", "gbk")
    with pytest.raises(DataError) as info:
        store.import_file(gbk)
    assert info.value.problems == ["第2行 用能人数：不是数字“八十五”"]
    wb = Workbook()
    ws = wb.active
    ws.append(["单位名称", "统计期", "建筑面积", "用能人数", "水"])
    ws.append(["市民政局", "2024-01", 2800, 85, 10])
    ws.append(["市民政局", "2024-02", 2800, 85, "n/a"])
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(DataError) as info:
        store.import_file(tmp_path / "bad.xlsx")
    assert info.value.problems == ["工作表“Sheet”第3行 水：不是数字“n/a”"]  # XLSX errors name the sheet too
    assert store.counts()["rows"] == 0


def test_leading_comment_row_shifts_row_numbers(store, tmp_path):
    text = "# 样例数据\n" + HEADER_ZH + "\n市审计局,党政机关,2024-01,2500,0,1,,,,1\n"
    with pytest.raises(DataError) as info:
        store.import_file(write(tmp_path / "c.csv", text))
    assert info.value.problems == ["第3行 用能人数：必须大于0"]


def test_unknown_columns_are_noted_and_missing_columns_named(store, tmp_path):
    # Issue 19 changed this: an unknown column is ignored with a note instead of rejecting the file.
    f = write(tmp_path / "h.csv", "单位名称,统计期,用能人数,电量(度),耗煤量\n市统计局,2024,65,1,1\n")
    with pytest.raises(DataError) as info:
        store.import_file(f)
    problems = info.value.problems
    assert not any("耗煤量" in p for p in problems)
    assert any("缺少必需的列“建筑面积”" in p for p in problems)
    notes = store.read_file(f).sheets[0].notes
    assert "E列“耗煤量”：不认识的列名，未导入" in notes


def test_duplicate_rows_and_mixed_annual_monthly_are_refused(store, tmp_path):
    text = (HEADER_ZH + "\n市商务局,党政机关,2024-01,2700,82,1,,,,1\n市商务局,党政机关,2024-1,2700,82,2,,,,1\n")
    with pytest.raises(DataError) as info:
        store.import_file(write(tmp_path / "d.csv", text))
    assert info.value.problems == ["第3行 统计期：与第2行重复（市商务局 2024-01）"]
    store.import_file(write(tmp_path / "m.csv", HEADER_ZH + "\n市商务局,党政机关,2024-01,2700,82,1,,,,1\n"))
    with pytest.raises(DataError) as info:
        store.import_file(write(tmp_path / "y.csv", HEADER_ZH + "\n市商务局,党政机关,2024,2700,82,12,,,,1\n"))
    assert "同时有全年数据和月度数据" in info.value.problems[0]


def test_reimporting_a_row_replaces_it(store, tmp_path):
    store.import_file(write(tmp_path / "1.csv", HEADER_ZH + "\n市教育局,党政机关,2024-05,3600,110,1000,,,,10\n"))
    store.import_file(write(tmp_path / "2.csv", HEADER_ZH + "\n市教育局,,2024-05,3600,111,1500,,,,10\n"))
    rows = store.rows("市教育局", 2024)
    assert len(rows) == 1 and rows[0].electricity_kwh == 1500 and rows[0].headcount == 111
    assert store.category("市教育局") == "党政机关"  # a blank category keeps the known one


def test_budget_and_quota_files_are_recognised_by_headers(store, tmp_path):
    store.import_file(write(tmp_path / "c.csv", HEADER_ZH + "\n市科技馆,文化场馆,2024-01,15000,2000,1,,,,1\n"))
    b = store.import_file(write(tmp_path / "b.csv", "单位名称,预算年度,能耗预算(kgce),电力预算(kWh)\n市科技馆,2025,150000,\n"))
    q = store.import_file(write(tmp_path / "q.csv", "单位类型,指标,约束值,引导值,单位\n文化场馆,单位建筑面积能耗,11,8.5,kgce/m²\n"
                                "文化场馆,人均用水量,14,10,m³/人\n"))
    assert (b.kind, q.kind) == ("budget", "quota")
    budget = store.budget("科技馆", 2025)
    assert budget.energy_budget_kgce == 150000 and budget.electricity_budget_kwh is None
    quotas = {x.indicator: (x.constraint, x.guide) for x in store.quotas("文化场馆")}
    assert quotas == {"energy_per_area": (11, 8.5), "water_per_capita": (14, 10)}


def test_bad_quota_rows_are_listed(store, tmp_path):
    text = ("单位类型,指标,约束值,引导值,单位\n"
            "学校,单位建筑面积能耗,3,4,kgce/m²\n"   # guide above constraint
            "幼儿园,人均综合能耗,80,55,kgce/人\n"     # unknown category
            "学校,人均电耗,80,55,kWh/人\n")          # unknown indicator
    with pytest.raises(DataError) as info:
        store.import_file(write(tmp_path / "q.csv", text))
    p = info.value.problems
    assert p[0].startswith("第2行 引导值：4 大于约束值 3")
    assert p[1].startswith("第3行 单位类型：“幼儿园”")
    assert p[2].startswith("第4行 指标：不认识“人均电耗”")
    assert store.quotas() == []


@pytest.fixture
def named_store(store, tmp_path):
    names = ["市行政中心", "市商品交易中心大楼", "市公共资源交易中心", "市发展改革委", "市人民医院", "市中医院"]
    body = "".join(f"{n},其他,2024,1000,10,1,,,,1\n" for n in names)
    store.import_file(write(tmp_path / "n.csv", HEADER_ZH + "\n" + body))
    return store


def test_fuzzy_name_resolves_exact_short_and_partial(named_store):
    assert named_store.resolve("市行政中心") == "市行政中心"
    assert named_store.resolve("行政中心") == "市行政中心"
    assert named_store.resolve("发改委") == "市发展改革委"
    assert named_store.resolve("人民医院") == "市人民医院"


def test_ambiguous_name_lists_candidates(named_store):
    with pytest.raises(LookupFailed) as info:
        named_store.resolve("交易中心")
    assert set(info.value.candidates) == {"市商品交易中心大楼", "市公共资源交易中心"}
    assert "对应多个单位" in str(info.value)


def test_unknown_name_says_not_found_with_close_names(named_store):
    with pytest.raises(LookupFailed) as info:
        named_store.resolve("市行政服务中心")
    assert str(info.value).startswith("未找到该单位“市行政服务中心”，相近的有：")
    assert "市行政中心" in info.value.candidates


def test_missing_year_lists_available_years(named_store):
    with pytest.raises(LookupFailed) as info:
        named_store.annual("行政中心", 2031)
    assert str(info.value) == "“市行政中心”没有2031年的数据，可用年份：2024。"
