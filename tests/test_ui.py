"""The web UI driven over HTTP with gradio_client: a cited chat answer, an upload that becomes searchable, a data
query whose figures are worked out by hand here, feedback, drafting, and the security settings.

The app under test is the real one (assistant.ui.app.build_app + launch_options) on a temp home with a small corpus,
no dense model, and a hand-made consumption table.
"""

from __future__ import annotations

import csv
import json
import socket
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from assistant.config import Settings
from assistant.errors import ConfigError

ARTICLE_15 = ("第十五条　公共机构应当安排专人做能源消费统计，照实记下计量数据，建立统计台账；"
              "每年3月31日前把上年度能源消费状况报送本级管理机关事务的机构。")
POLICY = f"""---
title: 公共机构节能条例（测试摘录）
doc_type: policy
issuer: 国务院
date: 2008-08-01
---
# 公共机构节能条例（测试摘录）

## 第三章 节能管理

第十四条　公共机构应当实行能源消费计量制度，区分用能种类和用能系统，实行分户分类计量。

{ARTICLE_15}

第十六条　公共机构应当在能源消耗定额范围内使用能源，加强能源消耗支出管理。
"""
GUIDE = """---
title: 夏季空调温度设置提示
doc_type: guide
---
# 夏季空调温度设置提示

办公区域夏季空调温度设置不低于26摄氏度，下班前半小时关闭空调，会议室无人时及时关机。
"""
# One institution, annual rows: 2020 and 2024 (hand figures in test_data_query_gives_hand_computed_figures).
DATA = [
    ["单位名称", "单位类型", "统计期", "建筑面积", "用能人数", "电力", "水"],
    ["测试行政中心", "党政机关", "2020", "10000", "250", "1000000", "6000"],
    ["测试行政中心", "党政机关", "2024", "10000", "250", "900000", "5000"],
    ["测试二中", "学校", "2024", "20000", "1000", "1200000", "30000"],
]


def write_corpus(root: Path) -> Path:
    corpus = root / "corpus"
    (corpus / "policies").mkdir(parents=True)
    (corpus / "guides").mkdir()
    (corpus / "data").mkdir()
    (corpus / "policies" / "tiaoli.md").write_text(POLICY, encoding="utf-8")
    (corpus / "guides" / "kongtiao.md").write_text(GUIDE, encoding="utf-8")
    with (corpus / "data" / "能耗月度_测试.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(DATA)
    return corpus


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(home: Path, corpus: Path, max_file_mb: float = 1.0):
    """Start the real app in this process; returns (url, services, app)."""
    from assistant.ui.app import Services, build_app, launch_options

    settings = replace(Settings.from_env({}), home=home, corpus_dir=corpus, embed_model=None,
                       max_file_mb=max_file_mb)
    services = Services.open(settings)
    services.start_background()
    assert services.wait_ready(120), services.startup.text()
    app = build_app(services)
    options = launch_options(settings, [], "127.0.0.1", free_port())
    app.launch(prevent_thread_lock=True, quiet=True, **options)
    return f"http://127.0.0.1:{options['server_port']}/", services, app


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("ui")
    url, services, app = start_app(root / "home", write_corpus(root))
    yield url, services
    app.close()
    services.close()


@pytest.fixture
def client(served):
    from gradio_client import Client

    return Client(served[0], verbose=False)


def _text(message: dict) -> str:
    content = message["content"]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content)
    return str(content)


def test_first_start_ingests_corpus_and_sample_data(served):
    _, services = served
    titles = {d.title for d in services.kb.documents()}
    assert titles == {"公共机构节能条例（测试摘录）", "夏季空调温度设置提示"}
    assert services.store.institution_names() == ["测试二中", "测试行政中心"]
    assert "系统已就绪" in services.startup.text()


def test_chat_answer_cites_the_article_it_quotes(client):
    _, messages, sources, _tools = client.predict("公共机构节能条例第十五条讲什么？", [], api_name="/ask")
    answer = _text(messages[-1])
    assert messages[-1]["role"] == "assistant"
    assert "3月31日" in answer
    assert "gl-source-card" in sources
    assert "《公共机构节能条例（测试摘录）》 第十五条" in sources
    assert "照实记下计量数据" in sources  # the passage itself, not only its label
    assert "tiaoli.md" in sources


def test_chat_numeric_question_shows_tool_card(client):
    _, messages, _sources, tools = client.predict("测试行政中心2024年单位建筑面积能耗是多少？", [], api_name="/ask")
    # 900000 kWh × 0.1229 kgce/kWh = 110610 kgce; ÷ 10000 m² = 11.061 kgce/m²
    assert "11.06" in _text(messages[-1])
    assert "gl-tool-card" in tools
    assert "电力折标系数" in tools and "0.1229" in tools


def test_feedback_is_appended_to_home_file(served, client):
    _, services = served
    path = services.settings.home / "feedback.jsonl"
    before = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    client.predict("公共机构节能条例第十五条讲什么？", [], api_name="/ask")
    note = client.predict(api_name="/feedback_useless")
    assert "没用" in note
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(before) + 1
    record = json.loads(lines[-1])
    assert record["rating"] == "没用"
    assert record["question"] == "公共机构节能条例第十五条讲什么？"
    assert record["citations"] and "第十五条" in record["citations"][0]


def test_feedback_before_any_question_is_refused(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="请先提问"):
        client.predict(api_name="/feedback_useful")


def test_uploaded_file_becomes_searchable_and_removable(served, client, tmp_path):
    from gradio_client import handle_file

    upload = tmp_path / "食堂节约通知.txt"
    upload.write_text("机关食堂推行小份菜和半份菜，厨余垃圾每日称重登记，月底公布减量成效。", encoding="utf-8")
    summary, results, docs, stats, _choice = client.predict([handle_file(str(upload))], api_name="/ingest")
    assert results["data"] == [["食堂节约通知.txt", "已导入", "新增文档"]]
    assert "成功 1 个" in summary
    assert "共 3 篇文档" in stats
    assert any(row[4] == "食堂节约通知.txt" for row in docs["data"])

    hits = client.predict("厨余垃圾称重", "", api_name="/kb_search")
    assert "食堂节约通知.txt" in hits and "每日称重登记" in hits

    doc_id = next(row[0] for row in docs["data"] if row[4] == "食堂节约通知.txt")
    message, docs, stats, _ = client.predict(doc_id, api_name="/kb_remove")
    assert "已删除" in message and "共 2 篇文档" in stats
    assert "食堂节约通知.txt" not in client.predict("厨余垃圾称重", "", api_name="/kb_search")


def test_upload_reports_each_file_in_chinese(client, tmp_path):
    from gradio_client import handle_file

    good = tmp_path / "重复的提示.md"
    good.write_text(GUIDE, encoding="utf-8")  # same content as the corpus guide: skipped, with the reason
    empty = tmp_path / "空白.txt"
    empty.write_text("   \n", encoding="utf-8")
    _, results, *_ = client.predict([handle_file(str(good)), handle_file(str(empty))], api_name="/ingest")
    by_name = {row[0]: row for row in results["data"]}
    assert by_name["重复的提示.md"][1] == "已跳过"
    assert "夏季空调温度设置提示" in by_name["重复的提示.md"][2]
    assert by_name["空白.txt"][1] == "失败"
    assert by_name["空白.txt"][2]  # a Chinese reason, not an exception name
    assert "Error" not in by_name["空白.txt"][2]


def test_passage_markup_is_shown_as_text(client, tmp_path):
    from gradio_client import handle_file

    upload = tmp_path / "带标签.txt"
    upload.write_text("节水器具改造说明<script>alert('x')</script><b>感应水龙头</b>更换完成。", encoding="utf-8")
    client.predict([handle_file(str(upload))], api_name="/ingest")
    hits = client.predict("感应水龙头", "", api_name="/kb_search")
    assert "&lt;script&gt;" in hits and "&lt;b&gt;感应水龙头" in hits
    assert "<script>" not in hits and "<b>感应" not in hits


def test_upload_over_size_limit_is_refused(served, client, tmp_path):
    from gradio_client import handle_file

    _, services = served
    url, services = served
    big = tmp_path / "超大文件.txt"
    big.write_text("节能" * 400_000, encoding="utf-8")  # 2.4 MB against the 1 MB limit of this app
    with pytest.raises(ValueError, match="maximum file size"):  # the client reads the limit from the app
        client.predict([handle_file(str(big))], api_name="/ingest")
    # and the server enforces it for anyone posting directly
    with big.open("rb") as f:
        response = httpx.post(url + "gradio_api/upload", files={"files": ("超大文件.txt", f, "text/plain")})
    assert response.status_code == 413
    assert all(d.source != "超大文件.txt" for d in services.kb.documents())


def test_upload_of_disallowed_type_is_refused(client, tmp_path):
    from gradio_client import handle_file
    from gradio_client.exceptions import AppError

    script = tmp_path / "run.exe"
    script.write_bytes(b"MZ")
    with pytest.raises(AppError, match="Invalid file type"):
        client.predict([handle_file(str(script))], api_name="/ingest")


def test_data_query_gives_hand_computed_figures(client):
    cards, trend, note, rank, quota, budget, anomalies, annual, files, explanation = client.predict(
        "测试行政中心", "2024", "energy_per_area", api_name="/data_query")
    # 2024: 900000 kWh × 0.1229 = 110610 kgce = 110.61 tce; ÷ 10000 m² = 11.06 kgce/m²; ÷ 250 人 = 442.4 kgce/人
    # water 5000 m³ ÷ 250 = 20.00 m³/人; CO2 900000 × 0.5366 = 482940 kg = 482.94 t; ÷ 10000 m² = 48.29 kg/m²
    for figure in ("110.61", "11.06", "442.4", "20.00", "482.94", "48.29"):
        assert figure in cards, figure
    # 2020 base 1000000 × 0.1229 ÷ 10000 = 12.29; 十四五 target −5 % → 12.29 × 0.95 = 11.6755 ≈ 11.68
    assert "12.29" in note and "11.68" in note
    series = {}
    for year, value, name in trend["data"]:
        series.setdefault(name, {})[year] = value
    assert series["实际值（kgce/m²）"] == {2020: pytest.approx(12.29), 2024: pytest.approx(11.061)}
    assert series["十四五目标：2025年不高于 11.68"] == {2020: pytest.approx(11.6755), 2025: pytest.approx(11.6755)}
    assert "没有" in quota  # no quota table imported: a grey box saying so
    assert "gl-grey" in quota and "gl-grey" in budget
    assert annual["headers"][0] == "年份"
    assert [row[0] for row in annual["data"]] == [2020, 2024]
    csv_path = next(f for f in files if f.endswith(".csv"))
    rows = list(csv.reader(Path(csv_path).open(encoding="utf-8-sig")))
    assert rows[0][0] == "年份" and rows[2][0] == "2024"
    per_area = rows[0].index("单位建筑面积能耗(kgce/m²)")
    assert float(rows[2][per_area]) == pytest.approx(11.061)
    assert any(f.endswith(".xlsx") for f in files)


def test_data_query_ranks_within_category(client):
    _, _, _, rank, *_ = client.predict("测试二中", "2024", "energy_per_area", api_name="/data_query")
    # the only school: 1200000 kWh × 0.1229 ÷ 20000 m² = 7.3740 kgce/m²; the 党政机关 unit is not in its ranking
    assert rank["data"] == [["1. 测试二中", pytest.approx(7.374), "本单位"]]
    _, _, _, rank, *_ = client.predict("全部", "2024", "energy_per_area", api_name="/data_query")
    assert [row[0] for row in rank["data"]] == ["1. 测试行政中心", "2. 测试二中"]  # 11.061 > 7.374


def test_data_query_unknown_institution_is_a_chinese_error(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="测试三中|没有|找不到|未找到"):
        client.predict("测试三中", "2024", "energy_per_area", api_name="/data_query")


def test_data_import_rejects_bad_rows_with_row_numbers(client, tmp_path):
    from gradio_client import handle_file
    from gradio_client.exceptions import AppError

    bad = tmp_path / "错误数据.csv"
    bad.write_text("单位名称,统计期,建筑面积,用能人数,电力\n某单位,2024,约2万,100,5000\n", encoding="utf-8")
    with pytest.raises(AppError, match="第2行"):
        client.predict(handle_file(str(bad)), api_name="/data_import")


def test_draft_downloads_a_docx(client):
    from docx import Document

    values = ["测试行政中心", "2025", "", "", "", "全体干部职工", "", "", "", ""]
    preview, status, path = client.predict("initiative", *values, api_name="/draft")
    assert "倡议" in preview and "测试行政中心" in preview
    assert "已生成" in status
    assert path.endswith(".docx")
    text = "\n".join(p.text for p in Document(path).paragraphs)
    assert "测试行政中心" in text and "倡议" in text


def test_launch_options_keep_the_app_local_and_limited(tmp_path):
    import asyncio

    from assistant.ui.app import launch_options

    settings = replace(Settings.from_env({}), home=tmp_path / "home", max_file_mb=5)
    options = launch_options(settings, [], "127.0.0.1", 7860)
    assert options["share"] is False
    assert options["server_name"] == "127.0.0.1"
    assert options["max_file_size"] == 5 * 1024 * 1024
    assert options["auth"] is None
    check = launch_options(settings, [("kezhang", "s3cret")], "0.0.0.0", 7860)["auth"]  # the deprecated list
    assert asyncio.run(check("kezhang", "s3cret"))
    assert not asyncio.run(check("kezhang", "s3cre")) and not asyncio.run(check("other", "s3cret"))


def test_app_py_and_cli_default_to_localhost():
    import app
    from assistant.cli import main as cli

    with pytest.raises(SystemExit):
        app.main(["--help"])
    parser = cli._build_parser()
    args = parser.parse_args(["serve"])
    assert args.host == "127.0.0.1"


def test_users_from_env_string_and_file(tmp_path):
    from assistant.config import load_users

    assert load_users(None) == []
    assert load_users("kezhang:a1, zhuren:b:2") == [("kezhang", "a1"), ("zhuren", "b:2")]
    users = tmp_path / "users.txt"
    users.write_text("# 登录用户\nkezhang:a1\n\nzhuren:b2\n", encoding="utf-8")
    assert load_users(str(users)) == [("kezhang", "a1"), ("zhuren", "b2")]
    with pytest.raises(ConfigError, match="用户名:密码"):
        load_users("kezhang")
    with pytest.raises(ConfigError, match="不存在"):
        load_users("/nonexistent/users.txt")


@pytest.mark.slow
def test_first_start_builds_the_real_starter_corpus(tmp_path):
    """Once, on the real corpus: the page is built before the starter knowledge base is, and it finishes."""
    from assistant.ui.app import Services, build_app

    settings = replace(Settings.from_env({}), home=tmp_path / "home", embed_model=None)
    services = Services.open(settings)
    try:
        services.start_background()
        build_app(services)  # must not wait for the background work
        assert services.wait_ready(300)
        assert services.startup.phase == "ready", services.startup.text()
        md_files = [p for p in settings.corpus_dir.rglob("*.md") if p.parent.name != "data"]
        assert len(services.kb.documents()) >= len(md_files)
        assert len(services.store.institution_names()) == 46
        assert "初始知识库" in services.startup.text()
    finally:
        services.close()
