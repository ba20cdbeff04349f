"""`greenleaf draft`: the stable JSON shapes, files written, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from docx import Document

from assistant.cli.main import main
from assistant.records.store import DataStore


def run(capsys, home: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--home", str(home), "draft", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_json_has_kinds_with_params(capsys, settings):
    code, out, _ = run(capsys, settings.home, "--list", "--json")
    assert code == 0
    kinds = json.loads(out)["kinds"]
    assert len(kinds) >= 10
    for kind in kinds:
        assert set(kind) == {"id", "title", "params"}
        for param in kind["params"]:
            assert set(param) == {"name", "label", "default"}
    plan = next(k for k in kinds if k["title"] == "节能宣传周活动方案")
    assert {"institution", "year", "theme", "date", "place"} <= {p["name"] for p in plan["params"]}


def test_draft_writes_docx_and_prints_the_json_contract(capsys, settings, tmp_path):
    (tmp_path / "c.csv").write_text(
        "单位名称,单位类型,统计期,建筑面积,用能人数,电力\n市行政中心,党政机关,2025,10000,200,800000\n", encoding="utf-8")
    with DataStore.open(settings) as store:
        store.import_file(tmp_path / "c.csv")
    out_file = tmp_path / "report.docx"
    code, out, err = run(capsys, settings.home, "年度能源资源消费统计分析报告", "--set", "institution=市行政中心",
                         "--set", "year=2025", "--out", str(out_file), "--json", "--offline")
    assert code == 0
    data = json.loads(out)
    assert {"kind", "title", "text", "facts", "missing"} <= set(data)
    assert data["kind"] == "consumption-report"
    # 800,000 kWh × 0.1229 = 98,320 kgce = 98.32 tce; ÷ 10,000 m² = 9.83 kgce/m²
    assert "全年综合能耗98.32吨标准煤" in data["text"]
    assert "单位建筑面积能耗为9.83千克标准煤/平方米" in data["text"]
    assert any(m.startswith("2025年综合能耗较上年变化") for m in data["missing"])  # no 2024 data
    doc = Document(str(out_file))
    assert doc.paragraphs[0].text == data["title"]
    assert "待补充" in err


def test_markdown_out_and_plain_text(capsys, settings, tmp_path):
    out_file = tmp_path / "slogans.md"
    code, out, _ = run(capsys, settings.home, "slogans", "--set", "year=2023", "--out", str(out_file), "--offline")
    assert code == 0 and out == ""
    assert "1. 节能降碳，你我同行" in out_file.read_text(encoding="utf-8")
    code, out, _ = run(capsys, settings.home, "slogans", "--set", "year=2023", "--offline")
    assert code == 0 and out.startswith("# 2023年节能宣传周宣传标语")


def test_usage_errors_exit_2(capsys, settings):
    assert run(capsys, settings.home)[0] == 2
    assert run(capsys, settings.home, "slogans", "--set", "year")[0] == 2
    code, _, err = run(capsys, settings.home, "slogans", "--set", "colour=red")
    assert code == 2 and "可用参数" in err
    code, _, err = run(capsys, settings.home, "请假条")
    assert code == 2 and "可选" in err


def test_unwritable_output_exits_1(capsys, settings, tmp_path):
    for name in ("dir.docx", "dir.md"):
        code, _, err = run(capsys, settings.home, "slogans", "--out", str(tmp_path / "no" / "such" / name), "--offline")
        assert code == 1 and "无法写入" in err
