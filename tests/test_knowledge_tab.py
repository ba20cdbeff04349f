"""知识库 tab: in a real headless Chromium the document list is never the one frozen when the app was built; the
upload panel says what the loaders read today.

The app here is built and served *before* its starter knowledge base exists, as `python app.py` does on a first
start; the starter build is held at a gate so the test decides when it finishes. Nothing on the page is pressed
to refresh the list.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from types import SimpleNamespace

import pytest

from assistant.config import Settings
from test_browser import WAIT, _tab, driver  # noqa: F401 - driver is a fixture used below
from test_ui import free_port, write_corpus

TITLES = ("公共机构节能条例（测试摘录）", "夏季空调温度设置提示")
LATE = """---
title: 会议室照明管理办法（测试）
doc_type: guide
---
# 会议室照明管理办法（测试）

会议室无人时关闭照明，散会后由最后离开的人员检查灯具和投影设备。
"""


@pytest.fixture(scope="module")
def held_app(tmp_path_factory):
    """(url, services, gate): served with an empty knowledge base; setting `gate` lets the starter build run."""
    from assistant.ui.app import Services, build_app, launch_options

    root = tmp_path_factory.mktemp("kbtab")
    settings = replace(Settings.from_env({}), home=root / "home", corpus_dir=write_corpus(root), embed_model=None)
    services = Services.open(settings)
    gate = threading.Event()
    build_starter = services.kb.ingest_starter_if_empty

    def held(progress=None):
        assert gate.wait(120), "the test never opened the gate"
        return build_starter(progress=progress)

    services.kb.ingest_starter_if_empty = held
    app = build_app(services)  # built while the knowledge base is empty, as on a first start
    options = launch_options(settings, [], "127.0.0.1", free_port())
    app.launch(prevent_thread_lock=True, quiet=True, **options)
    services.start_background()
    yield f"http://127.0.0.1:{options['server_port']}/", services, gate
    gate.set()
    services.wait_ready(60)
    app.close()
    services.close()


@pytest.mark.slow
def test_list_follows_the_starter_build_and_every_fresh_page_shows_it(held_app, driver):  # noqa: F811
    from selenium.webdriver.common.by import By

    url, services, gate = held_app
    wait = _wait(driver)
    _open(driver, url)
    _tab(driver, "知识库").click()
    wait.until(lambda d: "正在建立初始知识库" in d.find_element(By.ID, "gl-kb-stats").text)
    assert services.kb.documents() == []

    gate.set()  # the starter build runs and finishes; the open page is not touched
    wait.until(lambda d: "共 2 篇文档" in d.find_element(By.ID, "gl-kb-stats").text)
    table = driver.find_element(By.ID, "gl-kb-docs").text
    assert all(title in table for title in TITLES)
    assert services.wait_ready(60) and services.startup.phase == "ready"

    _open(driver, url)  # a fresh page: the list is there on the 知识库 tab at once, not the build-time "empty"
    _tab(driver, "知识库").click()
    wait.until(lambda d: "共 2 篇文档" in d.find_element(By.ID, "gl-kb-stats").text)
    table = driver.find_element(By.ID, "gl-kb-docs").text
    assert all(title in table for title in TITLES)
    assert "知识库还是空的" not in driver.find_element(By.ID, "gl-kb-stats").text


@pytest.mark.slow
def test_opening_the_tab_shows_a_document_another_session_uploaded(held_app, driver, tmp_path):  # noqa: F811
    from gradio_client import Client, handle_file
    from selenium.webdriver.common.by import By

    url, services, gate = held_app
    gate.set()
    assert services.wait_ready(60)
    wait = _wait(driver)
    _open(driver, url)
    _tab(driver, "知识库").click()
    wait.until(lambda d: "共 2 篇文档" in d.find_element(By.ID, "gl-kb-stats").text)
    _tab(driver, "智能问答").click()

    late = tmp_path / "zhaoming.md"
    late.write_text(LATE, encoding="utf-8")
    Client(url, verbose=False).predict([handle_file(str(late))], api_name="/ingest")  # a colleague's upload
    assert "会议室照明管理办法（测试）" in {d.title for d in services.kb.documents()}

    _tab(driver, "知识库").click()  # this page was loaded before the upload; opening the tab reads the list again
    wait.until(lambda d: "共 3 篇文档" in d.find_element(By.ID, "gl-kb-stats").text)
    assert "会议室照明管理办法（测试）" in driver.find_element(By.ID, "gl-kb-docs").text


def test_upload_help_says_what_the_loaders_read_today():
    from assistant.ui.knowledge import UPLOAD_TYPES, upload_help

    services = SimpleNamespace(settings=replace(Settings.from_env({}), max_file_mb=7.5))
    text = upload_help(services)
    assert "7.5 MB" in text and "无法提取" not in text
    assert "文字识别" in text and "PNG/JPG/TIF" in text and "〖存疑" in text
    assert {".png", ".jpg", ".tif", ".csv", ".xlsx"} <= set(UPLOAD_TYPES)  # what the text promises is accepted
    off = upload_help(SimpleNamespace(settings=replace(Settings.from_env({}), ocr="off")))
    assert "GREENLEAF_OCR=off" in off and "50 MB" in off


def _wait(driver):  # noqa: F811
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT)


def _open(driver, url: str) -> None:  # noqa: F811
    """Load the page and wait until its tabs are drawn."""
    from selenium.common.exceptions import NoSuchElementException

    driver.get(url)

    def drawn(d) -> bool:
        try:
            return _tab(d, "知识库").is_displayed()
        except NoSuchElementException:
            return False

    _wait(driver).until(drawn)
