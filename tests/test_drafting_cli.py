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


def _red_texts(path: Path) -> list[str]:
    doc = Document(str(path))
    return [r.text for p in doc.paragraphs for r in p.runs
            if r.font.color is not None and r.font.color.type is not None and str(r.font.color.rgb) == "FF0000"]


def test_red_header_uses_the_organ_setting_and_the_number(capsys, settings, tmp_path, monkeypatch):
    monkeypatch.setenv("GREENLEAF_ORGAN_NAME", "海州市机关事务管理局")
    out_file = tmp_path / "notice.docx"
    code, _, err = run(capsys, settings.home, "event-notice", "--set", "institution=市行政中心", "--set", "year=2025",
                       "--red-header", "--doc-number", "海机管〔2025〕7号", "--out", str(out_file), "--offline")
    assert code == 0, err
    assert _red_texts(out_file) == ["海州市机关事务管理局文件"]
    assert "海机管〔2025〕7号" in [p.text for p in Document(str(out_file)).paragraphs]
    assert "红头：海州市机关事务管理局文件" in err


def test_red_header_falls_back_to_the_institution_and_organ_flag_wins(capsys, settings, tmp_path, monkeypatch):
    monkeypatch.delenv("GREENLEAF_ORGAN_NAME", raising=False)
    out_file = tmp_path / "plan.docx"
    code, _, _ = run(capsys, settings.home, "campaign-plan", "--set", "institution=市行政中心", "--red-header",
                     "--out", str(out_file), "--offline")
    assert code == 0 and _red_texts(out_file) == ["市行政中心文件"]
    code, _, _ = run(capsys, settings.home, "campaign-plan", "--set", "institution=市行政中心", "--red-header",
                     "--organ", "海州市节能办", "--out", str(out_file), "--offline")
    assert code == 0 and _red_texts(out_file) == ["海州市节能办文件"]


def test_red_header_is_refused_for_publicity_kinds_and_without_docx(capsys, settings, tmp_path, monkeypatch):
    monkeypatch.setenv("GREENLEAF_ORGAN_NAME", "海州市机关事务管理局")
    for kind in ("initiative", "press-release", "slogans"):
        out_file = tmp_path / f"{kind}.docx"
        code, out, err = run(capsys, settings.home, kind, "--red-header", "--out", str(out_file), "--offline")
        assert code == 2 and out == "" and "不是公文，不加红头" in err
        assert not out_file.exists()
    code, _, err = run(capsys, settings.home, "campaign-plan", "--red-header", "--out", str(tmp_path / "p.md"))
    assert code == 2 and ".docx" in err
    monkeypatch.delenv("GREENLEAF_ORGAN_NAME")
    code, _, err = run(capsys, settings.home, "campaign-plan", "--red-header", "--out", str(tmp_path / "p.docx"))
    assert code == 2 and "GREENLEAF_ORGAN_NAME" in err
