"""文稿起草 tab of the real app: gaps stand out in the preview (<mark>) as in the Word file, the placeholders are
listed beside the download, and the red 版头 is offered to 公文 kinds only. Over HTTP with gradio_client, and in a
real headless Chromium for what staff see."""

from __future__ import annotations

import pytest
from docx import Document

from test_browser import WAIT, _tab, driver  # noqa: F401 - driver is a fixture used below
from test_ui import start_app, write_corpus

pytestmark = pytest.mark.slow

BLANK = [""] * 10  # the ten form fields, left to the kinds' defaults


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("draftui")
    url, services, app = start_app(root / "home", write_corpus(root))
    yield url, services
    app.close()
    services.close()


@pytest.fixture
def client(served):
    from gradio_client import Client

    return Client(served[0], verbose=False)


def red_runs(path: str) -> list[str]:
    doc = Document(path)
    return [r.text for p in doc.paragraphs for r in p.runs
            if r.font.color is not None and r.font.color.type is not None and str(r.font.color.rgb) == "FF0000"]


def test_official_draft_gets_the_red_header_in_the_preview_and_the_docx(client):
    fields = ["测试行政中心", "2031", *BLANK[2:]]  # a year with no campaign dates: gaps, the date among them
    preview, status, path = client.predict("campaign-plan", *fields, True, "海州市机关事务管理局", "海机管[2031]3号",
                                           api_name="/draft")
    assert preview.startswith('<div class="gl-red-header"><div class="gl-red-mark">海州市机关事务管理局文件</div>')
    assert '<div class="gl-red-number">海机管〔2031〕3号</div>' in preview
    assert '<mark class="gl-gap">【待补充：成文日期】</mark>' in preview
    assert "【待补充：" not in preview.replace('<mark class="gl-gap">【待补充：', "")  # every gap is marked
    assert "带红头" in status and "待补充" in status and "成文日期" in status
    assert red_runs(path) == ["海州市机关事务管理局文件"]


def test_publicity_draft_ignores_the_red_header_and_says_why(client):
    preview, status, path = client.predict("initiative", "测试行政中心", "2025", *BLANK[2:], True, "", "",
                                           api_name="/draft")
    assert "gl-red-header" not in preview
    assert "不是公文，不加红头" in status and "已按普通文稿生成" in status
    assert red_runs(path) == []


def test_red_header_falls_back_to_the_institution(client):
    _, _, path = client.predict("budget-report", "测试行政中心", "2024", *BLANK[2:], True, "", "", api_name="/draft")
    assert red_runs(path) == ["测试行政中心文件"]


def test_staff_see_highlighted_gaps_and_no_red_header_box_for_a_publicity_kind(served, driver):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(driver, WAIT)
    driver.get(served[0])
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#gl-question textarea")))
    _tab(driver, "文稿起草").click()
    first = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#gl-draft-field-0 textarea, "
                                                                          "#gl-draft-field-0 input")))
    box = driver.find_element(By.CSS_SELECTOR, "#gl-draft-red input[type=checkbox]")
    assert not box.is_enabled()  # the first kind is the 倡议书: never a red header
    assert "不是公文" in driver.find_element(By.ID, "gl-draft-red").text
    year = driver.find_element(By.CSS_SELECTOR, "#gl-draft-field-1 textarea, #gl-draft-field-1 input")
    year.clear()
    year.send_keys("2031")  # no campaign dates or theme known for 2031: the draft has gaps
    first.clear()
    first.send_keys("测试行政中心")
    driver.find_element(By.ID, "gl-draft-run").click()
    marks = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#gl-draft-preview mark.gl-gap"))
    assert all(m.text.startswith("【待补充：") for m in marks)
    assert any(m.text == "【待补充：本年度活动主题】" for m in marks)
    colour = marks[0].value_of_css_property("background-color")
    assert colour in ("rgba(255, 242, 0, 1)", "rgb(255, 242, 0)"), colour
    wait.until(EC.text_to_be_present_in_element((By.ID, "gl-draft-status"), "待补充"))
    assert "本年度活动主题" in driver.find_element(By.ID, "gl-draft-status").text  # listed beside the download
    assert driver.find_elements(By.CSS_SELECTOR, "#gl-draft-download a")
