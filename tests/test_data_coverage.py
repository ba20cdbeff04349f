"""data_coverage: years, institutions and the latest period, checked against the sample CSV read directly."""

import csv
from pathlib import Path

import pytest

from assistant.answering.intents import understand
from assistant.config import Settings
from assistant.errors import LookupFailed
from assistant.records.store import DataStore
from tools.coverage import data_coverage

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "data" / "样例数据_能耗月度_2015-2025.csv"


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    with DataStore.open(Settings(home=tmp_path_factory.mktemp("coverage"))) as store:
        store.import_file(SAMPLE)
        yield store


def _csv_rows() -> list[dict]:
    lines = SAMPLE.read_text(encoding="utf-8-sig").splitlines()
    return list(csv.DictReader(line for line in lines if not line.startswith("#")))


def test_coverage_matches_the_csv(sample_store):
    rows = _csv_rows()
    periods = [r["统计期"] for r in rows]
    years = sorted({int(p[:4]) for p in periods})
    latest = max(years)
    result = data_coverage(sample_store)
    assert list(result.years) == years
    assert result.latest_year == latest
    assert result.institutions == len({r["单位名称"] for r in rows})
    assert result.latest_year_institutions == len({r["单位名称"] for r in rows if r["统计期"].startswith(str(latest))})
    by_type: dict[str, set] = {}
    for r in rows:
        by_type.setdefault(r["单位类型"], set()).add(r["单位名称"])
    assert dict(result.by_category) == {k: len(v) for k, v in by_type.items()}
    assert f"最新的能耗数据是 {latest} 年" in result.explain()


def test_empty_store_says_to_import_first(tmp_path):
    with DataStore.open(Settings(home=tmp_path)) as store, pytest.raises(LookupFailed, match="还没有导入能耗数据"):
        data_coverage(store)


@pytest.mark.parametrize("question", ["系统里最新的能耗数据是哪一年的？", "现在数据有哪几年的", "能耗数据截至哪一年"])
def test_coverage_questions_are_understood_and_carry_the_latest_year(question):
    u = understand(question, ["市行政中心"], latest_year=2025)
    assert u.intent == "coverage" and u.slots == {"year": 2025}
    follow = understand("那一年全市综合能耗一共多少？", ["市行政中心"], context=u.to_dict(), latest_year=2025)
    assert follow.intent == "indicator" and follow.slots["institution"] == "全部" and follow.slots["year"] == 2025
