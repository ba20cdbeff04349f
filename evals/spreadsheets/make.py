"""Make the sample office spreadsheets (样例数据，虚构) for evals/spreadsheet_import.py, and their expected indicators.

Each file lays out invented readings the way a county or district office keeps them (title rows, 序号, two-row
headers, units in headers, 统计年报, month grids on several sheets, years only in the title, sheet or file name,
合计 rows, signature lines, GBK CSV, .xls). The expected indicators are computed here from the numbers chosen, with
plain arithmetic and the DESIGN.md factors, never through the importer.

    .venv/bin/python -m evals.spreadsheets.make      # rewrites the files and expected.json in this folder
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
SAMPLE = "（样例数据，虚构，仅供测试）"
# DESIGN.md factors (当量值)
KGCE = {"electricity": 0.1229, "gas": 1.2143, "gasoline_kg": 1.4714, "diesel_kg": 1.4571}
DENSITY = {"gasoline": 0.725, "diesel": 0.83}


@dataclass
class Reading:
    """One institution-period in plain units: kWh, m³ gas, fuel in kg, m³ water."""

    institution: str
    year: int
    month: int | None
    area: float
    headcount: int
    kwh: float = 0.0
    gas: float = 0.0
    gasoline_kg: float = 0.0
    diesel_kg: float = 0.0
    water: float = 0.0


def readings(prefix: str, year: int, months: list[int] | None, seed: int, fuel: bool = False,
             litres: bool = True) -> list[Reading]:
    """Three institutions of one county; fuel in whole litres (so L → kg is exact) or whole kg."""
    rng = random.Random(seed)
    out = []
    for name, area, head in ((f"{prefix}人民政府", 12000, 310), (f"{prefix}第一中学", 26000, 1450),
                             (f"{prefix}人民医院", 18000, 820)):
        for m in months or [None]:
            scale = 1 if m else 12
            r = Reading(name, year, m, area, head, kwh=rng.randrange(300, 900) * 100 * scale,
                        gas=rng.randrange(20, 90) * 10 * scale, water=rng.randrange(80, 300) * 10 * scale)
            if fuel:
                if litres:
                    r.gasoline_kg = rng.randrange(200, 900) * scale * DENSITY["gasoline"]
                    r.diesel_kg = rng.randrange(50, 300) * scale * DENSITY["diesel"]
                else:
                    r.gasoline_kg = rng.randrange(150, 600) * scale
                    r.diesel_kg = rng.randrange(40, 250) * scale
            out.append(r)
    return out


def expected(rs: list[Reading]) -> list[dict]:
    """Indicators per institution-year: sums over periods; area and headcount of the last period."""
    out = []
    for inst in dict.fromkeys(r.institution for r in rs):
        for year in sorted({r.year for r in rs if r.institution == inst}):
            mine = sorted((r for r in rs if r.institution == inst and r.year == year), key=lambda r: r.month or 0)
            energy = sum(r.kwh * KGCE["electricity"] + r.gas * KGCE["gas"] + r.gasoline_kg * KGCE["gasoline_kg"]
                         + r.diesel_kg * KGCE["diesel_kg"] for r in mine)
            last = mine[-1]
            out.append({"institution": inst, "year": year, "energy_kgce": energy,
                        "energy_per_area_kgce_m2": energy / last.area, "energy_per_capita_kgce": energy / last.headcount,
                        "water_m3": sum(r.water for r in mine)})
    return out


def litres(kg: float, fuel: str) -> float:
    return round(kg / DENSITY[fuel], 6)


def save(wb: Workbook, name: str) -> Path:
    path = HERE / name
    wb.properties.creator = "GreenLeaf evals (样例数据，虚构)"
    wb.save(path)
    return path


# ---------------------------------------------------------------- the layouts


def f01_title_serial_month_only() -> tuple[str, list[Reading]]:
    """Title row with the year, 序号, 统计月份 as "1月", 电力消耗量(kWh), 天然气用量（立方米）, 合计 row, 填表人 line."""
    rs = readings("东海县", 2024, [1, 2, 3], 1)
    wb = Workbook()
    ws = wb.active
    ws.title = "能耗统计"
    ws.append([f"东海县公共机构2024年月度能耗统计表{SAMPLE}"])
    ws.merge_cells("A1:I1")
    ws.append(["序号", "单位名称", "统计月份", "建筑面积（平方米）", "用能人数", "电力消耗量(kWh)", "天然气用量（立方米）",
               "用水量（吨）", "备注"])
    for i, r in enumerate(rs, 1):
        ws.append([i, r.institution, f"{r.month}月", r.area, r.headcount, r.kwh, r.gas, r.water, ""])
    n = len(rs) + 2
    ws.append(["", "合计", "", "", "", f"=SUM(F3:F{n})", f"=SUM(G3:G{n})", f"=SUM(H3:H{n})", ""])
    ws.append(["填表人：王某", "", "审核人：李某", "", "单位负责人：赵某"])
    save(wb, "01_标题行_序号_统计月份.xlsx")
    return "01_标题行_序号_统计月份.xlsx", rs


def f02_two_row_units_below() -> tuple[str, list[Reading]]:
    """Two-row header, names above and units below (万千瓦时, ㎡, 吨), 单位名称 merged down both rows."""
    rs = readings("西湖区", 2024, [4, 5, 6], 2)
    wb = Workbook()
    ws = wb.active
    ws.append([f"西湖区机关事务管理局 公共机构能耗月报{SAMPLE}"])
    ws.append(["单位名称", "统计期", "建筑面积", "用能人数", "用电量", "天然气", "用水量"])
    ws.append([None, None, "㎡", "人", "万千瓦时", "m³", "吨"])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    for r in rs:
        ws.append([r.institution, f"{r.year}-{r.month:02d}", r.area, r.headcount, r.kwh / 1e4, r.gas, r.water])
    save(wb, "02_两行表头_单位在下.xlsx")
    return "02_两行表头_单位在下.xlsx", rs


def f03_group_header() -> tuple[str, list[Reading]]:
    """Group name merged above (能源消耗量) with the names and units below: 电(kWh), 天然气(方), 汽油(升), 柴油(升)."""
    rs = readings("南湖区", 2023, [10, 11, 12], 3, fuel=True)
    wb = Workbook()
    ws = wb.active
    ws.append([f"南湖区2023年第四季度公共机构能源消耗情况{SAMPLE}"])
    ws.append(["序号", "单位名称", "统计期", "建筑面积(m2)", "用能人数", "能源消耗量", None, None, None, "水资源"])
    ws.append([None, None, None, None, None, "电(kWh)", "天然气(方)", "汽油(升)", "柴油(升)", "用水量(m³)"])
    for rng in ("A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "F2:I2"):
        ws.merge_cells(rng)
    for i, r in enumerate(rs, 1):
        ws.append([i, r.institution, f"{r.year}年{r.month}月", r.area, r.headcount, r.kwh, r.gas,
                   litres(r.gasoline_kg, "gasoline"), litres(r.diesel_kg, "diesel"), r.water])
    save(wb, "03_分组表头_合并单元格.xlsx")
    return "03_分组表头_合并单元格.xlsx", rs


def f04_gbk_annual_report() -> tuple[str, list[Reading]]:
    """GBK CSV 统计年报: no period column, the year only in the title; fuel in 吨 (stored as litres via density)."""
    rs = readings("北山县", 2023, None, 4, fuel=True, litres=False)
    rows = [[f"北山县2023年度公共机构能源资源消费统计年报{SAMPLE}"], [],
            ["序号", "单位名称", "单位类型", "建筑面积（㎡）", "用能人数（人）", "用电量（千瓦时）", "天然气（立方米）",
             "汽油（吨）", "柴油（吨）", "用水量（立方米）"]]
    for i, (r, cat) in enumerate(zip(rs, ("党政机关", "学校", "医院")), 1):
        rows.append([i, r.institution, cat, r.area, r.headcount, r.kwh, r.gas, f"{r.gasoline_kg / 1000:.3f}",
                     f"{r.diesel_kg / 1000:.3f}", r.water])
    rows.append(["", "总计", "", "", "", sum(r.kwh for r in rs), "", "", "", ""])
    rows.append(["单位负责人：", "", "填表人：", "", "填报日期：2024年3月20日"])
    path = HERE / "04_GBK_统计年报.csv"
    with path.open("w", encoding="gbk", newline="") as f:
        csv.writer(f).writerows(rows)
    return path.name, rs


def f05_utf8_yyyymm() -> tuple[str, list[Reading]]:
    """UTF-8 CSV, periods YYYYMM, 用电(度), 天然气(万立方米), 用水量(立方米), a 备注 column."""
    rs = readings("清河县", 2024, [7, 8, 9], 5)
    rows = [["单位名称", "统计期", "建筑面积", "人数", "用电(度)", "天然气(万立方米)", "用水量(立方米)", "备注"]]
    for r in rs:
        rows.append([r.institution, f"{r.year}{r.month:02d}", r.area, r.headcount, r.kwh, f"{r.gas / 1e4:.4f}",
                     r.water, "样例数据"])
    path = HERE / "05_UTF8_年月数字.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(f"# {SAMPLE}\n")
        csv.writer(f).writerows(rows)
    return path.name, rs


def f06_excel_dates() -> tuple[str, list[Reading]]:
    """Excel date cells for the period, 汽油 and 柴油 in 吨."""
    rs = readings("云台区", 2024, [1, 2], 6, fuel=True, litres=False)
    wb = Workbook()
    ws = wb.active
    ws.append([f"云台区公共机构能耗台账{SAMPLE}"])
    ws.append(["单位名称", "月份", "建筑面积(平方米)", "用能人数", "电量(kWh)", "天然气(m3)", "汽油(t)", "柴油(t)",
               "水(吨)"])
    for r in rs:
        ws.append([r.institution, dt.datetime(r.year, r.month, 1), r.area, r.headcount, r.kwh, r.gas,
                   r.gasoline_kg / 1000, r.diesel_kg / 1000, r.water])
        ws.cell(ws.max_row, 2).number_format = "yyyy年m月"
    save(wb, "06_Excel日期_燃油按吨.xlsx")
    return "06_Excel日期_燃油按吨.xlsx", rs


def f07_wide_sheets() -> tuple[str, list[Reading]]:
    """Month grids, one sheet per resource (用电量（千瓦时）, 天然气（立方米）, 用水量（吨）), 合计 column and row,
    area and headcount on a 基本情况 sheet."""
    rs = readings("临江县", 2024, list(range(1, 13)), 7)
    wb = Workbook()
    info = wb.active
    info.title = "基本情况"
    info.append([f"临江县公共机构基本情况{SAMPLE}"])
    info.append(["序号", "单位名称", "单位类型", "建筑面积（㎡）", "用能人数"])
    insts = list(dict.fromkeys(r.institution for r in rs))
    for i, inst in enumerate(insts, 1):
        r = next(x for x in rs if x.institution == inst)
        info.append([i, inst, "其他", r.area, r.headcount])
    for sheet, attr, title in (("用电量（千瓦时）", "kwh", "用电量"), ("天然气（立方米）", "gas", "天然气用量"),
                               ("用水量（吨）", "water", "用水量")):
        ws = wb.create_sheet(sheet)
        ws.append([f"临江县2024年各单位{title}统计表{SAMPLE}"])
        ws.append(["序号", "单位名称", *[f"{m}月" for m in range(1, 13)], "合计"])
        for i, inst in enumerate(insts, 1):
            vals = [getattr(r, attr) for r in rs if r.institution == inst]
            ws.append([i, inst, *vals, sum(vals)])
        ws.append(["", "合计", *[sum(getattr(r, attr) for r in rs if r.month == m) for m in range(1, 13)], ""])
    save(wb, "07_月份表_多工作表_基本情况.xlsx")
    return "07_月份表_多工作表_基本情况.xlsx", rs


def f08_wide_unit_in_title() -> tuple[str, list[Reading]]:
    """One month grid; the resource and unit only in the title (单位：万千瓦时); area (万平方米) and headcount as
    columns of the grid; the year from the title."""
    rs = readings("石门县", 2023, list(range(1, 13)), 8)
    wb = Workbook()
    ws = wb.active
    ws.append([f"石门县2023年公共机构用电量统计表{SAMPLE}"])
    ws.append(["单位：万千瓦时"])
    ws.append(["单位名称", "建筑面积（万平方米）", "用能人数", *[f"{m}月" for m in range(1, 13)]])
    for inst in dict.fromkeys(r.institution for r in rs):
        mine = [r for r in rs if r.institution == inst]
        ws.append([inst, mine[0].area / 1e4, mine[0].headcount, *[r.kwh / 1e4 for r in mine]])
    for r in rs:
        r.gas = r.water = 0.0  # this file holds electricity only
    save(wb, "08_月份表_单位在标题.xlsx")
    return "08_月份表_单位在标题.xlsx", rs


def f09_sheet_per_month_year_in_file_name() -> tuple[str, list[Reading]]:
    """One sheet per month (1月, 2月, 3月), no period column and no year inside: the year from the file name."""
    rs = readings("城关镇", 2024, [1, 2, 3], 9)
    wb = Workbook()
    wb.remove(wb.active)
    for m in (1, 2, 3):
        ws = wb.create_sheet(f"{m}月")
        ws.append([f"城关镇公共机构能耗台账{SAMPLE}"])
        ws.append(["单位名称", "建筑面积", "用能人数", "用电量(kWh)", "天然气(m³)", "用水量(m³)"])
        for r in rs:
            if r.month == m:
                ws.append([r.institution, r.area, r.headcount, r.kwh, r.gas, r.water])
    save(wb, "09_每月一表_城关镇2024年.xlsx")
    return "09_每月一表_城关镇2024年.xlsx", rs


def f10_year_and_month_columns() -> tuple[str, list[Reading]]:
    """Separate 年份 and 月份 columns; 人数 and 面积; electricity as 用电."""
    rs = readings("新安县", 2022, [3, 4, 5], 10)
    wb = Workbook()
    ws = wb.active
    ws.append([f"新安县公共机构能耗{SAMPLE}"])
    ws.append(["单位", "年份", "月份", "面积(m²)", "人数", "用电", "用气量(立方米)", "用水(吨)"])
    for r in rs:
        ws.append([r.institution, r.year, r.month, r.area, r.headcount, r.kwh, r.gas, r.water])
    save(wb, "10_年份月份分列.xlsx")
    return "10_年份月份分列.xlsx", rs


def f11_old_xls() -> tuple[str, list[Reading]]:
    """Old .xls (Excel 97–2003): title row, periods "2024年5月", 用电量（千瓦时）."""
    import xlwt

    rs = readings("白沙县", 2024, [5, 6], 11)
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("能耗")
    ws.write_merge(0, 0, 0, 6, f"白沙县2024年公共机构能耗月报{SAMPLE}")
    for c, h in enumerate(["单位名称", "统计期", "建筑面积（平方米）", "用能人数", "用电量（千瓦时）", "天然气（立方米）",
                           "用水量（吨）"]):
        ws.write(1, c, h)
    for i, r in enumerate(rs, 2):
        for c, v in enumerate([r.institution, f"{r.year}年{r.month}月", r.area, r.headcount, r.kwh, r.gas, r.water]):
            ws.write(i, c, v)
    book.save(str(HERE / "11_老格式.xls"))
    return "11_老格式.xls", rs


def f12_notes_blank_rows_year_from_sheet() -> tuple[str, list[Reading]]:
    """Notes and blank rows above the header; periods "M月" with the year from the sheet name (2023年); 电(kWh)."""
    rs = readings("平山县", 2023, [6, 7, 8], 12, fuel=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "2023年"
    ws.append([f"平山县公共机构能耗统计{SAMPLE}"])
    ws.append([])
    ws.append(["注：本表由各单位按月填报，数据为样例。"])
    ws.append([])
    ws.append(["单位名称", "月份", "建筑面积(㎡)", "用能人数", "电(kWh)", "天然气(m3)", "汽油(L)", "柴油(升)", "水(m3)"])
    for r in rs:
        ws.append([r.institution, f"{r.month}月", r.area, r.headcount, r.kwh, r.gas, litres(r.gasoline_kg, "gasoline"),
                   litres(r.diesel_kg, "diesel"), r.water])
    ws.append(["说明：1. 用水量以水费单为准。"])
    save(wb, "12_注释空行_年份在工作表名.xlsx")
    return "12_注释空行_年份在工作表名.xlsx", rs


def f13_template() -> tuple[str, list[Reading]]:
    """Our own template (DESIGN.md columns), as a baseline."""
    rs = readings("河口区", 2024, [1, 2], 13, fuel=True)
    rows = [["单位名称", "单位类型", "统计期", "建筑面积", "用能人数", "电力", "天然气", "汽油", "柴油", "水"]]
    for r in rs:
        rows.append([r.institution, "其他", f"{r.year}-{r.month:02d}", r.area, r.headcount, r.kwh, r.gas,
                     litres(r.gasoline_kg, "gasoline"), litres(r.diesel_kg, "diesel"), r.water])
    path = HERE / "13_模板格式.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        f.write(f"# {SAMPLE}\n")
        csv.writer(f).writerows(rows)
    return path.name, rs


def f14_wide_electricity_water_area_in_grid() -> tuple[str, list[Reading]]:
    """Two month grids (用电, 用水) with 建筑面积/用能人数 columns in the electricity sheet; sheet names "用电" and
    "用水", units in the titles."""
    rs = readings("江北区", 2024, list(range(1, 7)), 14)
    wb = Workbook()
    el = wb.active
    el.title = "用电"
    el.append([f"江北区2024年1-6月用电量（单位：千瓦时）{SAMPLE}"])
    el.append(["序号", "单位名称", "建筑面积", "用能人数", *[f"{m}月" for m in range(1, 7)]])
    wa = wb.create_sheet("用水")
    wa.append([f"江北区2024年1-6月用水量（单位：吨）{SAMPLE}"])
    wa.append(["序号", "单位名称", *[f"{m}月" for m in range(1, 7)]])
    for i, inst in enumerate(dict.fromkeys(r.institution for r in rs), 1):
        mine = [r for r in rs if r.institution == inst]
        el.append([i, inst, mine[0].area, mine[0].headcount, *[r.kwh for r in mine]])
        wa.append([i, inst, *[r.water for r in mine]])
    for r in rs:
        r.gas = 0.0
    save(wb, "14_月份表_用电用水.xlsx")
    return "14_月份表_用电用水.xlsx", rs


LAYOUTS = (f01_title_serial_month_only, f02_two_row_units_below, f03_group_header, f04_gbk_annual_report,
           f05_utf8_yyyymm, f06_excel_dates, f07_wide_sheets, f08_wide_unit_in_title,
           f09_sheet_per_month_year_in_file_name, f10_year_and_month_columns, f11_old_xls,
           f12_notes_blank_rows_year_from_sheet, f13_template, f14_wide_electricity_water_area_in_grid)


def main() -> None:
    files = []
    for make in LAYOUTS:
        name, rs = make()
        files.append({"file": name, "layout": (make.__doc__ or "").split("\n")[0], "expected": expected(rs)})
    (HERE / "expected.json").write_text(json.dumps({"note": f"样例数据{SAMPLE}；期望值由 make.py 按 DESIGN.md 系数独立计算",
                                                     "files": files}, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(files)} spreadsheets written to {HERE}")


if __name__ == "__main__":
    main()
