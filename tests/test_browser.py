"""A real headless Chromium (Debian's chromium + chromium-driver, via Selenium) uses the page as staff would: asks
a question and sees a source card, opens every tab, runs a data query and a draft, and saves screenshots under
test-artifacts/screenshots/. Never skipped: make test installs the browser (scripts/system-packages.sh); without it
this test fails and says so.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from test_ui import start_app, write_corpus

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1400,1000", "--lang=zh-CN"]
REPO = Path(__file__).resolve().parent.parent
SHOTS = REPO / "test-artifacts" / "screenshots"
# A few real starter documents and the real sample data, so the screenshots show what staff will see.
REAL_DOCS = ["policies/public-institution-energy-regulation-part1.md", "policies/14th-fyp-public-institution-energy-plan.md",
             "guides/xinyuangong-rumen-zhinan.md"]
WAIT = 60

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def page_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    corpus = write_corpus(root)
    for name in REAL_DOCS:
        target = corpus / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "corpus" / name, target)
    for table in (REPO / "corpus" / "data").glob("*.csv"):
        shutil.copy(table, corpus / "data" / table.name)
    url, services, app = start_app(root / "home", corpus, max_file_mb=50)
    yield url
    app.close()
    services.close()


@pytest.fixture(scope="module")
def driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    for binary in (CHROMIUM, CHROMEDRIVER):
        assert Path(binary).exists(), (f"{binary} 不存在：请安装 Debian 软件包 chromium chromium-driver"
                                       "（make test 会通过 scripts/system-packages.sh 安装）。")
    options = Options()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="greenleaf-chromium-")
    for flag in FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    # Staff browsers are Chinese; Gradio picks its own labels (upload area, buttons) from the browser language.
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    browser.set_page_load_timeout(WAIT)
    yield browser
    browser.quit()
    shutil.rmtree(profile, ignore_errors=True)


def test_staff_can_ask_browse_query_and_draft_in_a_real_browser(page_url, driver):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(driver, WAIT)
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.get(page_url)

    # 智能问答: the page opens on the chat, says it is ready and offline, answers with a source card
    box = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#gl-question textarea")))
    wait.until(EC.text_to_be_present_in_element((By.ID, "gl-startup-status"), "系统已就绪"))
    assert "离线" in driver.find_element(By.ID, "gl-mode-badge").text
    box.send_keys("公共机构节能条例第十五条讲什么？")
    driver.find_element(By.ID, "gl-send").click()
    card = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#gl-sources .gl-source-card")))
    assert "第十五条" in card.text
    wait.until(EC.text_to_be_present_in_element((By.ID, "gl-chatbot"), "3月31日"))
    _shot(driver, "1-chat")

    # an example question that needs a tool shows its calculation card
    _button(driver, "市行政中心2024年单位建筑面积能耗是多少？").click()
    tool = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#gl-tools .gl-tool-card")))
    assert "kgce" in tool.text and "0.1229" in tool.text
    _shot(driver, "2-chat-tool")

    # 知识库: the document list and its counts
    _tab(driver, "知识库").click()
    stats = wait.until(EC.visibility_of_element_located((By.ID, "gl-kb-stats")))
    assert "共 5 篇文档" in stats.text
    table = wait.until(EC.visibility_of_element_located((By.ID, "gl-kb-docs")))
    assert "公共机构节能条例（测试摘录）" in table.text
    search = driver.find_element(By.CSS_SELECTOR, "#gl-kb-query textarea")
    search.send_keys("能源消费统计 台账\n")
    wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#gl-kb-hits .gl-source-card")))
    _shot(driver, "3-knowledge-base")

    # 能耗数据: the institution list fills on load; a query draws cards and both charts
    _tab(driver, "能耗数据").click()
    wait.until(lambda d: "市行政中心" in d.find_element(By.ID, "gl-data-institution").get_attribute("innerHTML")
               or d.find_element(By.CSS_SELECTOR, "#gl-data-institution input").get_attribute("value") == "市行政中心")
    driver.find_element(By.ID, "gl-data-run").click()
    cards = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#gl-data-cards .gl-metric")))
    assert cards.is_displayed()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#gl-data-trend canvas, #gl-data-trend svg"))
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#gl-data-rank canvas, #gl-data-rank svg"))
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#gl-data-quota .gl-status"))
    assert "十四五目标" in driver.find_element(By.TAG_NAME, "body").text
    assert driver.find_elements(By.CSS_SELECTOR, "#gl-data-download a")  # CSV / XLSX links
    _shot(driver, "4-consumption-data")

    # 文稿起草: the default kind drafts and offers a .docx
    _tab(driver, "文稿起草").click()
    first = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#gl-draft-field-0 textarea, "
                                                                          "#gl-draft-field-0 input")))
    first.clear()
    first.send_keys("市行政中心")
    driver.find_element(By.ID, "gl-draft-run").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "gl-draft-preview"), "倡议"))
    link = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#gl-draft-download a")))
    assert ".docx" in (link.get_attribute("href") or "") + link.text
    _shot(driver, "5-drafting")

    # the page asks nothing of the internet (no web fonts, no CDN): it works on an isolated intranet
    origin = page_url.rstrip("/")
    resources = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    outside = [r for r in resources if r.startswith("http") and not r.startswith(origin)]
    assert outside == []


def _tab(driver, label: str):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.XPATH, f"//button[@role='tab' and contains(normalize-space(.), '{label}')]")


def _button(driver, label: str):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.XPATH, f"//button[normalize-space(.)='{label}']")


def _shot(driver, name: str) -> Path:
    """Save the whole page (the window grown to the page's height), not only the first screen."""
    height = driver.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
    driver.set_window_size(1400, max(1000, min(int(height) + 40, 4000)))
    driver.execute_script("window.scrollTo(0, 0)")
    path = SHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    driver.set_window_size(1400, 1000)
    return path
