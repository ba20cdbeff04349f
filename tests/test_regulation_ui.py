"""The 知识库 tab's 命中测试 panel, document view and status action, and the source cards, in the real app: through
gradio_client (the same endpoints the page calls) and in a real headless Chromium (test_browser's setup)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from evals.regmeta import export, laws
from test_browser import WAIT, _shot, _tab, driver  # noqa: F401 - driver is a fixture used below
from test_ui import start_app, write_corpus

LAWS = {law.name: law for law in laws()}
SYSTEM = "国家建立集中统一的统计系统"


@pytest.fixture(scope="module")
def regulations(tmp_path_factory):
    """The app over the test corpus plus real laws: two versions of the Statistics Law, the Civil Buildings
    Regulation as a Word→PDF export. Returns (url, services)."""
    root = tmp_path_factory.mktemp("regulations")
    corpus = write_corpus(root)
    folder = corpus / "policies"
    for name, fmt in (("tongji-fa-2009", "txt"), ("tongji-fa-2024", "docx"), ("minyong-jianzhu-jieneng-tiaoli", "pdf")):
        export(replace(LAWS[name], format=fmt), folder)
    url, services, app = start_app(root / "home", corpus)
    yield url, services
    app.close()
    services.close()


def _doc_id(services, stem: str) -> str:
    return next(d.doc_id for d in services.kb.documents() if Path(d.source).stem == stem)


def test_retrieval_test_endpoint_shows_scores_mode_coverage_filters_and_sentences(regulations):
    from gradio_client import Client

    url, services = regulations
    client = Client(url, verbose=False)
    html, data = client.predict(SYSTEM, "", "", 5, api_name="/kb_explain")
    assert data["mode"] == "lexical" and "关键词检索" in html
    assert [r["meta"]["last_amended"] for r in data["results"][:2]] == ["2024-09-13", "2009-06-27"]
    assert data["results"][1]["status"] == "已修订" and "gl-doc-status" in html and "已修订" in html
    assert "关键词 第1位" in html and "融合" in html and "覆盖" in html
    assert f'<mark class="gl-hl">{SYSTEM}' in html  # the sentence that matches, marked
    filtered_html, filtered = client.predict(SYSTEM, "", "已修订", 5, api_name="/kb_explain")
    assert {r["status"] for r in filtered["results"]} == {"已修订"} and "状态：已修订" in filtered_html


def test_document_view_and_status_action_through_the_endpoints(regulations):
    from gradio_client import Client

    url, services = regulations
    client = Client(url, verbose=False)
    civil = _doc_id(services, "minyong-jianzhu-jieneng-tiaoli")
    html = client.predict(civil, "第四条", api_name="/kb_document")
    assert "国务院令第530号" in html and "2008-10-01" in html and "现行有效" in html
    assert 'class="gl-doc-article gl-doc-focus"><b>第四条</b>' in html
    assert "第一章" in html and "结构：" in html

    said, html = client.predict(civil, "已废止", "测试：假定已废止", api_name="/kb_set_status")
    try:
        assert "已废止" in said and "该文件已废止" in html
        cards = client.predict("太阳能 既有建筑节能改造 可再生能源", "", api_name="/kb_search")
        assert "（国务院令第530号）" in cards and "gl-doc-status" in cards and "该文件已废止" in cards
        audit = [e for e in services.gate.audit.events() if e.action == "status"]
        assert audit and audit[-1].outcome == "ok" and audit[-1].detail["doc_id"] == civil
    finally:
        client.predict(civil, "现行有效", "", api_name="/kb_set_status")


@pytest.mark.slow
def test_retrieval_test_panel_and_document_view_in_a_real_browser(regulations, driver):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    url, services = regulations
    wait = WebDriverWait(driver, WAIT)
    driver.get(url)
    wait.until(EC.text_to_be_present_in_element((By.ID, "gl-startup-status"), "系统已就绪"))
    _tab(driver, "知识库").click()
    wait.until(EC.visibility_of_element_located((By.ID, "gl-kb-docs")))
    assert "国务院令第530号" in driver.find_element(By.ID, "gl-kb-docs").text  # the 文号 column
    assert "已修订" in driver.find_element(By.ID, "gl-kb-docs").text  # the 2009 Statistics Law

    # 命中测试: a question, the ranked passages with their scores, the old version labelled and below
    driver.find_element(By.CSS_SELECTOR, "#gl-kb-hit-panel button, #gl-kb-hit-panel .label-wrap").click()
    box = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#gl-hit-query textarea")))
    box.send_keys(SYSTEM)
    driver.find_element(By.ID, "gl-hit-run").click()
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#gl-hit-result .gl-source-card")) >= 2)
    cards = driver.find_elements(By.CSS_SELECTOR, "#gl-hit-result .gl-source-card")
    assert "已修订" not in cards[0].find_element(By.CLASS_NAME, "gl-card-title").text
    assert "已修订" in cards[1].find_element(By.CLASS_NAME, "gl-card-title").text
    assert "关键词 第1位" in cards[0].text and "覆盖" in cards[0].text
    assert cards[0].find_elements(By.CSS_SELECTOR, "mark.gl-hl")  # the matching sentence, highlighted
    assert "关键词检索" in driver.find_element(By.ID, "gl-hit-result").text
    _shot(driver, "6-retrieval-test")

    # 查看文档: open the Civil Buildings Regulation at 第四十五条; the article is marked and scrolled into view
    driver.find_element(By.CSS_SELECTOR, "#gl-kb-doc-panel button, #gl-kb-doc-panel .label-wrap").click()
    choice = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#gl-kb-doc-choice input")))
    choice.click()
    choice.send_keys(Keys.CONTROL, "a")
    choice.send_keys(Keys.BACKSPACE, "民用建筑节能条例")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "ul[role='listbox'] li"))
    choice.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    driver.find_element(By.CSS_SELECTOR, "#gl-kb-doc-article textarea, #gl-kb-doc-article input").send_keys("第四十五条")
    driver.find_element(By.ID, "gl-kb-doc-open").click()
    focus = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#gl-kb-doc .gl-doc-focus")))
    assert focus.text.startswith("第四十五条") and "2008年10月1日" in focus.text
    # the panel sits far down the page: the article is on screen only because the view scrolled to it
    wait.until(lambda d: d.execute_script(
        "const f = arguments[0].getBoundingClientRect(); return f.top >= 0 && f.bottom <= window.innerHeight;", focus))
    assert driver.execute_script("return window.scrollY") > 0
    assert "国务院令第530号" in driver.find_element(By.ID, "gl-kb-doc").text
    _shot(driver, "7-document-view")
