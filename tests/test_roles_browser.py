"""Two roles end to end in a real headless Chromium: an admin signs in, uploads a document, marks it 已废止 and finds
both in the audit trail; a staff user signs in, sees no upload, removal, status action, data import or 管理 tab, and a
request crafted from that staff session to remove a document is refused by the server and recorded. The staff user's conversation is listed
in 我的对话 and reopens after a page reload. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import json

import pytest

from test_access import PASSWORDS, start
from test_browser import SHOTS, WAIT, _shot, _tab, driver  # noqa: F401 - driver is a fixture used below
from test_ui import write_corpus

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    root = tmp_path_factory.mktemp("roles")
    url, services, app = start(root / "home", write_corpus(root), PASSWORDS)
    yield url, services, root
    app.close()
    services.close()


def test_admin_uploads_and_staff_cannot_in_the_page_or_by_a_crafted_request(office, driver):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    url, services, root = office
    wait = WebDriverWait(driver, WAIT)
    SHOTS.mkdir(parents=True, exist_ok=True)

    # the admin: 管理 tab and upload panel shown; an upload goes in and into the audit trail
    _login(driver, wait, url, "guanli")
    wait.until(EC.text_to_be_present_in_element((By.ID, "gl-user"), "guanli（管理员）"))
    wait.until(lambda d: _tabs(d) >= {"智能问答", "知识库", "能耗数据", "文稿起草", "管理"})
    _tab(driver, "知识库").click()
    upload = root / "会议室照明管理办法.txt"
    upload.write_text("会议室无人时关闭照明，散会后由最后离开的人员检查灯具和投影设备。", encoding="utf-8")
    file_input = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#gl-kb-upload input[type=file]")))
    file_input.send_keys(str(upload))
    wait.until(EC.text_to_be_present_in_element((By.ID, "gl-kb-upload"), "会议室照明管理办法"))  # uploaded
    driver.find_element(By.ID, "gl-kb-ingest").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "gl-kb-results"), "已导入"))
    assert driver.find_element(By.ID, "gl-kb-remove").is_displayed()
    doc_id = next(d.doc_id for d in services.kb.documents() if d.source.endswith("会议室照明管理办法.txt"))
    # and marks it: the document view's status action
    driver.find_element(By.CSS_SELECTOR, "#gl-kb-doc-panel button").click()
    choice = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#gl-kb-doc-choice input")))
    choice.send_keys(doc_id, Keys.ENTER)
    driver.find_element(By.XPATH, "//*[@id='gl-kb-doc-status']//label[contains(., '已废止')]").click()
    driver.find_element(By.CSS_SELECTOR, "#gl-kb-doc-note textarea, #gl-kb-doc-note input").send_keys("由新办法取代")
    driver.find_element(By.ID, "gl-kb-doc-set").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "gl-kb-doc-said"), "已废止"))
    marked = next(d for d in services.kb.documents() if d.doc_id == doc_id).to_dict()["meta"]
    assert (marked["status"], marked.get("status_note")) == ("已废止", "由新办法取代")
    _tab(driver, "管理").click()
    wait.until(EC.element_to_be_clickable((By.ID, "gl-audit-show"))).click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "gl-audit-table"), "会议室照明管理办法.txt"))
    table = driver.find_element(By.ID, "gl-audit-table").text
    assert "上传文档" in table and "修改文档状态" in table
    _shot(driver, "roles-1-admin-audit")

    # sign out; the staff user sees the documents but none of the admin controls
    driver.get(url + "logout")
    _login(driver, wait, url, "zhangsan")
    wait.until(EC.text_to_be_present_in_element((By.ID, "gl-user"), "zhangsan（工作人员）"))
    wait.until(lambda d: _tabs(d) == {"智能问答", "知识库", "能耗数据", "文稿起草"})
    _tab(driver, "知识库").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "gl-kb-docs"), "会议室照明管理办法"))
    driver.find_element(By.CSS_SELECTOR, "#gl-kb-doc-panel button").click()  # the document view opens for staff
    wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#gl-kb-doc-choice input")))
    for hidden in ("gl-kb-upload", "gl-kb-ingest", "gl-kb-remove", "gl-kb-remove-choice", "gl-kb-doc-set"):
        assert not [e for e in driver.find_elements(By.ID, hidden) if e.is_displayed()], hidden
    _tab(driver, "能耗数据").click()
    wait.until(EC.visibility_of_element_located((By.ID, "gl-data-run")))
    assert not [e for e in driver.find_elements(By.ID, "gl-data-upload") if e.is_displayed()]
    _shot(driver, "roles-2-staff-knowledge")

    # a request crafted in the staff user's own browser session, with its HttpOnly cookie
    reply = driver.execute_async_script("""
        const [docId, done] = arguments;
        fetch('gradio_api/call/kb_remove', {method: 'POST', headers: {'Content-Type': 'application/json'},
                                            body: JSON.stringify({data: [docId]})})
          .then(r => r.json()).then(j => fetch('gradio_api/call/kb_remove/' + j.event_id))
          .then(r => r.text()).then(done, e => done('failed: ' + e));
    """, doc_id)
    assert "event: error" in reply and "工作人员角色" in json.loads(reply.split("data:", 1)[1].strip())["error"]
    assert doc_id in [d.doc_id for d in services.kb.documents()]
    refused = [e for e in services.gate.audit.events() if e.outcome == "refused"]
    assert [(e.actor, e.role, e.action, e.detail.get("doc_id")) for e in refused] == [
        ("zhangsan", "staff", "remove", doc_id)]
    assert not driver.execute_script("return document.cookie")  # the session cookie is not readable by scripts


def test_staff_conversation_is_listed_and_reopens_after_a_reload(office, driver):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    url, _, _ = office
    wait = WebDriverWait(driver, WAIT)
    driver.get(url + "logout")
    _login(driver, wait, url, "lisi")
    box = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#gl-question textarea")))
    box.send_keys("公共机构节能条例第十五条讲什么？")
    driver.find_element(By.ID, "gl-send").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "gl-chatbot"), "3月31日"))
    wait.until(EC.text_to_be_present_in_element((By.ID, "gl-conversations"), "公共机构节能条例第十五条讲什么？"))

    driver.refresh()  # a new page: empty chat, the saved conversation in the list
    item = wait.until(EC.element_to_be_clickable((By.XPATH, "//*[@id='gl-conversations']//label[contains(., '第十五条')]")))
    assert "3月31日" not in driver.find_element(By.ID, "gl-chatbot").text
    item.click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "gl-chatbot"), "3月31日"))
    _shot(driver, "roles-3-conversations")


def _login(driver, wait, url: str, name: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC

    driver.get(url)
    field = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "input[type=text]")))
    field.send_keys(name)
    driver.find_element(By.CSS_SELECTOR, "input[type=password]").send_keys(PASSWORDS[name])
    driver.find_element(By.XPATH, "//button[normalize-space(.)='登录']").click()
    wait.until(EC.presence_of_element_located((By.ID, "gl-question")))


def _tabs(driver) -> set[str]:
    from selenium.webdriver.common.by import By

    return {t.text.strip() for t in driver.find_elements(By.CSS_SELECTOR, "button[role=tab]") if t.is_displayed()}
