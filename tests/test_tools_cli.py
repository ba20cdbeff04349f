"""The shell: `greenleaf data import`, `data list`, `indicators --json` and `tool NAME --arg` as real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def run(home: Path, *args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GREENLEAF_")}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "assistant", "--home", str(home), *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "能耗.csv"
    path.write_text("单位名称,单位类型,统计期,建筑面积,用能人数,电力,天然气,水\n"
                    "市行政中心,党政机关,2024-01,20000,560,700000,5000,1500\n"
                    "市行政中心,党政机关,2024-02,20000,560,700000,5000,1500\n", encoding="gbk")
    return path


def test_import_then_indicators_json(tmp_path, data_file):
    home = tmp_path / "home"
    imported = run(home, "data", "import", str(data_file))
    assert imported.returncode == 0, imported.stderr
    assert "已导入能耗数据 2 行" in imported.stderr
    done = run(home, "indicators", "--institution", "行政中心", "--year", "2024", "--json")
    assert done.returncode == 0, done.stderr
    d = json.loads(done.stdout)  # stdout holds exactly one JSON object
    energy = 1_400_000 * 0.1229 + 10_000 * 1.2143  # 172 060 + 12 143 = 184 203 kgce
    assert d["institution"] == "市行政中心" and d["year"] == 2024
    assert d["energy_kgce"] == pytest.approx(energy, abs=1e-3)
    assert d["energy_per_area_kgce_m2"] == pytest.approx(energy / 20000, abs=1e-4)
    assert d["energy_per_capita_kgce"] == pytest.approx(energy / 560, abs=1e-4)
    assert d["water_per_capita_m3"] == pytest.approx(3000 / 560, abs=1e-4)
    assert d["carbon_t"] == pytest.approx((1_400_000 * 0.5366 + 10_000 * 2.1622) / 1000, abs=1e-4)
    assert {f["name"] for f in d["factors"]} >= {"electricity_kgce_per_kwh", "grid_co2_kg_per_kwh"}
    assert len(d["inputs"]) == 2


def test_factor_override_from_environment(tmp_path, data_file):
    home = tmp_path / "home"
    run(home, "data", "import", str(data_file))
    done = run(home, "indicators", "--institution", "市行政中心", "--year", "2024", "--json",
               env_extra={"GREENLEAF_FACTORS": "grid_co2_kg_per_kwh=0.5306"})
    d = json.loads(done.stdout)
    assert d["carbon_t"] == pytest.approx((1_400_000 * 0.5306 + 10_000 * 2.1622) / 1000, abs=1e-4)


def test_bad_file_exits_1_and_names_rows(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("单位名称,统计期,建筑面积,用能人数\n甲,2024,约2万,10\n", encoding="utf-8")
    done = run(tmp_path / "home", "data", "import", str(bad), "--json")
    assert done.returncode == 1
    d = json.loads(done.stdout)
    assert d["failed"] == 1 and d["files"][0]["problems"] == ["第2行 建筑面积：不是数字“约2万”"]


def test_data_list_and_generic_tool(tmp_path, data_file):
    home = tmp_path / "home"
    run(home, "data", "import", str(data_file))
    listed = json.loads(run(home, "data", "list", "--json").stdout)
    assert listed["institutions"][0]["name"] == "市行政中心"
    assert listed["institutions"][0]["first_period"] == "2024-01" and listed["institutions"][0]["last_period"] == "2024-02"
    conv = run(home, "tool", "convert", "--arg", "quantity=84.08", "--arg", "unit=万kWh", "--arg", "to_unit=tce", "--json")
    assert conv.returncode == 0, conv.stderr
    assert json.loads(conv.stdout)["result"]["value"] == pytest.approx(84.08 * 1.229)
    missing = run(home, "tool", "indicators", "--arg", "institution=行政中心")
    assert missing.returncode == 2 and "缺少参数：year" in missing.stderr
    unknown = run(home, "tool", "indicators", "--arg", "institution=财政局", "--arg", "year=2024")
    assert unknown.returncode == 1 and "未找到该单位“财政局”" in unknown.stderr


@pytest.fixture
def sample_home(tmp_path: Path, monkeypatch) -> Path:
    from assistant.config import Settings
    from assistant.records.store import DataStore

    for key in [k for k in os.environ if k.startswith("GREENLEAF_")]:
        monkeypatch.delenv(key)
    home = tmp_path / "home"
    with DataStore.open(Settings(home=home)) as store:
        for name in ("样例数据_能耗月度_2015-2025.csv", "样例数据_用能预算.csv", "样例数据_能耗定额.csv"):
            store.import_file(REPO / "corpus" / "data" / name)
    return home


@pytest.mark.parametrize("tool, args, check", [
    ("check_quota", ["year=2024"], lambda r: r["checked"] == 46 and len(r["over"]) == 3),
    ("budget_status", ["year=2025", "through_month=10"], lambda r: r["through_month"] == 10 and len(r["rows"]) == 46),
    ("anomalies", ["year=2024", "metric=用水"], lambda r: r["metric"] == "water" and r["checked"] == 46),
])
def test_tool_command_takes_all_institutions(sample_home, capsys, tool, args, check):
    from assistant.cli.main import main

    argv = ["--home", str(sample_home), "tool", tool, "--arg", "institution=全部"]
    for arg in args:
        argv += ["--arg", arg]
    assert main([*argv, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)  # stdout holds exactly one JSON object
    assert out["name"] == tool and out["args"]["institution"] == "全部"
    assert out["result"]["institution"] == "全部" and check(out["result"])
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith(("2024年共", "2025年共"))
