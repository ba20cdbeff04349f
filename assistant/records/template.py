"""下载导入模板: an .xlsx with the documented consumption columns (DESIGN.md) and one example row labelled 示例.

The importer skips rows whose 单位名称 starts with “示例：”, so a template filled in below the example imports as is.
"""

from __future__ import annotations

from pathlib import Path

from assistant.records.units import FIELDS

COLUMNS = ("institution", "category", "period", "floor_area_m2", "headcount", "electricity_kwh", "natural_gas_m3",
           "gasoline_l", "diesel_l", "water_m3")
EXAMPLE = ("示例：某某县机关事务管理局", "党政机关", "2024-01", 8000, 150, 52000, 600, 320, 0, 1100)
NOTE = ("说明：每行一个单位一个统计期（YYYY-MM 为月，YYYY 为全年）；单位名称、统计期、建筑面积、用能人数必填，"
        "用量空着按 0 计；单位类型为 党政机关/学校/医院/文化场馆/其他。第3行是示例，可删去，不删也不会被导入。")


def write_template(path: Path) -> Path:
    """Write the template workbook to `path` and return it."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "能耗数据"
    ws.append([NOTE])
    ws.append([_header(f) for f in COLUMNS] + ["备注"])
    ws.append([*EXAMPLE, "示例行"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for i, width in enumerate((28, 10, 10, 14, 10, 14, 14, 10, 10, 12, 12)):
        ws.column_dimensions[chr(65 + i)].width = width
    wb.save(path)
    return path


def _header(field: str) -> str:
    name, unit = FIELDS[field]
    return f"{name}（{unit}）" if unit and field != "headcount" else name
