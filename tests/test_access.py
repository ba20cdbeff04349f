"""Accounts and roles against the real app over HTTP: staff are refused every admin action by the server (through
the client, a crafted API call and a raw queue request alike) and each refusal is audited; admins' changes are
audited with file hashes; wrong passwords are throttled per name and address; session cookies are HttpOnly; a removed
or changed account loses its session; file paths from outside the upload folder are refused; conversations are
private and survive a restart; 没用 feedback is reviewed and exported; the login policy for non-local binding.
"""

from __future__ import annotations

import csv
import hashlib
import json
import uuid
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.office.accounts import Accounts
from assistant.office.throttle import LoginThrottle
from test_ui import free_port, write_corpus

PASSWORDS = {"guanli": "admin-pass-2025", "zhangsan": "staff-pass-2025", "lisi": "staff-pass-lisi",
             "wangwu": "staff-pass-wangwu"}
ROLES = {"guanli": "admin", "zhangsan": "staff", "lisi": "staff", "wangwu": "staff"}
# Every public endpoint, by what it needs. A new endpoint fails test_every_public_endpoint_is_classified until it is
# put here — and an admin one must be wrapped in access.admin_only.
ADMIN_ENDPOINTS = {"ingest", "kb_remove", "data_import", "data_preview", "data_confirm", "audit", "feedback_review",
                   "feedback_export_csv", "feedback_export_xlsx", "kb_set_status"}
STAFF_ENDPOINTS = {"ask", "feedback_useful", "feedback_useless", "conversation_open", "conversation_delete",
                   "conversations", "kb_search", "data_query", "data_template", "draft", "kb_explain", "kb_document"}
REFUSAL = "工作人员角色"


def start(home: Path, corpus: Path, accounts: dict[str, str] | None = None, legacy=()):
    """The real app with these accounts on `home`; returns (url, services, app)."""
    from assistant.ui.app import Services, build_app, launch_options

    settings = replace(Settings.from_env({}), home=home, corpus_dir=corpus, embed_model=None, max_file_mb=1)
    store = Accounts.open(settings)
    for name in accounts or {}:
        if store.get(name) is None:
            store.add(name, PASSWORDS[name], ROLES[name])
    services = Services.open(settings)
    services.gate.legacy.update(dict(legacy))
    services.start_background()
    assert services.wait_ready(120), services.startup.text()
    app = build_app(services)
    options = launch_options(settings, [], "127.0.0.1", free_port(), gate=services.gate)
    app.launch(prevent_thread_lock=True, quiet=True, **options)
    return f"http://127.0.0.1:{options['server_port']}/", services, app


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    root = tmp_path_factory.mktemp("office")
    url, services, app = start(root / "home", write_corpus(root), PASSWORDS)
    yield url, services, app
    app.close()
    services.close()


def client(url: str, name: str, password: str | None = None):
    from gradio_client import Client

    return Client(url, auth=(name, password or PASSWORDS[name]), verbose=False)


def http_session(url: str, name: str, password: str | None = None) -> httpx.Client:
    """A plain HTTP client holding the session cookies of `name`, for crafted requests."""
    http = httpx.Client(base_url=url, timeout=60)
    response = http.post("login", data={"username": name, "password": password or PASSWORDS[name]})
    assert response.status_code == 200, response.text
    return http


def queue_call(http: httpx.Client, fn_index: int, data: list) -> dict:
    """What the page does: join the queue by function index (private events included), read the result."""
    session = uuid.uuid4().hex
    body = {"data": data, "fn_index": fn_index, "session_hash": session, "event_data": None, "trigger_id": None}
    joined = http.post("gradio_api/queue/join", json=body)
    assert joined.status_code == 200, joined.text
    with http.stream("GET", "gradio_api/queue/data", params={"session_hash": session}) as stream:
        for line in stream.iter_lines():
            if line.startswith("data:"):
                message = json.loads(line[5:])
                if message.get("msg") == "process_completed":
                    return message
    raise AssertionError("the queue closed without a result")


def refusals(services, actor: str) -> list:
    return [e for e in services.gate.audit.events() if e.actor == actor and e.outcome == "refused"]


# ---------------------------------------------------------------- roles


def test_staff_can_ask_search_query_and_draft(office):
    url, _, _ = office
    staff = client(url, "zhangsan")
    _, messages, sources, _ = staff.predict("公共机构节能条例第十五条讲什么？", [], api_name="/ask")
    assert "3月31日" in str(messages[-1]["content"]) and "第十五条" in sources
    assert "第十五条" in staff.predict("能源消费统计", "", api_name="/kb_search")
    cards, *_ = staff.predict("测试行政中心", "2024", "energy_per_area", api_name="/data_query")
    assert "11.06" in cards  # 900000 kWh × 0.1229 ÷ 10000 m²
    values = ["测试行政中心", "2025", "", "", "", "全体干部职工", "", "", "", ""]
    assert "倡议" in staff.predict("initiative", *values, api_name="/draft")[0]


def test_staff_is_refused_every_admin_endpoint_and_each_refusal_is_audited(office, tmp_path):
    from gradio_client import handle_file
    from gradio_client.exceptions import AppError

    from assistant.ui.data import MAPPING_HEADERS

    url, services, _ = office
    staff = client(url, "lisi")
    doc = tmp_path / "不该进来的文件.txt"
    doc.write_text("工作人员试图上传的内容。", encoding="utf-8")
    table = tmp_path / "数据.csv"
    table.write_text("单位名称,统计期,建筑面积,用能人数,电力\n测试行政中心,2024,1,1,1\n", encoding="utf-8")
    documents_before = [d.doc_id for d in services.kb.documents()]
    rows_before = services.store.counts()
    target = documents_before[0]
    mapping = {"headers": MAPPING_HEADERS, "data": [], "metadata": None}
    calls = {
        "ingest": ([handle_file(str(doc))],),
        "kb_remove": (target,),
        "data_import": (handle_file(str(table)),),
        "data_preview": (handle_file(str(table)), mapping, ""),
        "data_confirm": (handle_file(str(table)), mapping, ""),
        "audit": ("",),
        "feedback_review": (),
        "feedback_export_csv": (),
        "feedback_export_xlsx": (),
        "kb_set_status": (target, "已废止", "工作人员试图改状态"),
    }
    assert set(calls) == ADMIN_ENDPOINTS
    for name, args in calls.items():
        with pytest.raises(AppError, match=REFUSAL):
            staff.predict(*args, api_name=f"/{name}")
    assert [d.doc_id for d in services.kb.documents()] == documents_before
    assert all(d.to_dict()["meta"]["status"] == "现行有效" for d in services.kb.documents())
    assert services.store.counts() == rows_before
    refused = refusals(services, "lisi")
    assert sorted(e.action for e in refused) == sorted(
        ["upload", "remove", "import", "import_preview", "import", "audit_view", "feedback_view", "feedback_export",
         "feedback_export", "status"])
    assert all(e.role == "staff" and e.source == "127.0.0.1" for e in refused)
    upload = next(e for e in refused if e.action == "upload")
    assert upload.detail["files"][0]["sha256"] == hashlib.sha256(doc.read_bytes()).hexdigest()
    remove = next(e for e in refused if e.action == "remove")
    assert remove.detail["doc_id"] == target


def test_every_guarded_handler_refuses_a_crafted_queue_request_from_staff(office):
    """Private events too: the page calls them by index, and so can anyone with a session."""
    import gradio as gr

    url, services, app = office
    app_fns = app.fns
    guarded = {index: fn for index, fn in app_fns.items() if getattr(fn.fn, "admin_action", None)}
    assert {fn.api_name for fn in guarded.values()} >= {"ingest", "kb_remove", "data_import", "data_confirm"}
    assert any(fn.api_visibility == "private" for fn in guarded.values())  # the preview on file change
    http = http_session(url, "wangwu")
    before = len(refusals(services, "wangwu"))
    for index, fn in guarded.items():
        empty = [{"headers": list(c.headers or []), "data": [], "metadata": None} if isinstance(c, gr.Dataframe)
                 else None for c in fn.inputs]
        result = queue_call(http, index, empty)
        assert result["success"] is False, fn.api_name
        assert REFUSAL in json.dumps(result["output"], ensure_ascii=False), fn.api_name
    assert len(refusals(services, "wangwu")) == before + len(guarded)


def test_every_public_endpoint_is_classified(office):
    url, _, _ = office
    named = set(client(url, "guanli").view_api(return_format="dict", print_info=False)["named_endpoints"])
    assert {n.strip("/") for n in named} == ADMIN_ENDPOINTS | STAFF_ENDPOINTS


def test_admin_upload_and_remove_are_audited_with_file_hashes(office, tmp_path):
    from gradio_client import handle_file

    url, services, _ = office
    admin = client(url, "guanli")
    doc = tmp_path / "空调节能提示.txt"
    doc.write_text("会议室空调下班前半小时关闭，温度不低于26摄氏度。", encoding="utf-8")
    digest = hashlib.sha256(doc.read_bytes()).hexdigest()
    summary, _, table, *_ = admin.predict([handle_file(str(doc))], api_name="/ingest")
    assert "成功 1 个" in summary
    doc_id = next(row[0] for row in table["data"] if row[4] == "空调节能提示.txt")
    message, *_ = admin.predict(doc_id, api_name="/kb_remove")
    assert "已删除" in message

    events = [e for e in services.gate.audit.events() if e.actor == "guanli" and e.outcome == "ok"]
    upload, remove = events[-2:]
    assert (upload.action, upload.role, upload.target) == ("upload", "admin", "空调节能提示.txt")
    assert upload.detail["files"] == [{"name": "空调节能提示.txt", "sha256": digest, "bytes": doc.stat().st_size}]
    assert upload.detail["documents"][0]["doc_id"] == doc_id
    assert (remove.action, remove.detail["doc_id"], remove.detail["sha256"]) == ("remove", doc_id, digest)
    rows = admin.predict("", api_name="/audit")["data"]
    assert rows[0][5:8] == ["删除文档", f"《空调节能提示》（{doc_id}）", "完成"]  # newest first
    assert services.gate.audit.verify() == []


# ---------------------------------------------------------------- login and sessions


def test_wrong_passwords_are_throttled_per_user_and_source(office):
    url, services, _ = office
    try:
        for _ in range(5):
            assert httpx.post(url + "login", data={"username": "wangwu", "password": "guess"}).status_code == 400
        locked = httpx.post(url + "login", data={"username": "wangwu", "password": PASSWORDS["wangwu"]})
        assert locked.status_code == 429  # the right password too, while locked
        assert "密码错误次数过多" in locked.json()["detail"] and int(locked.headers["retry-after"]) > 0
        as_the_page_posts = {"username": (None, "wangwu"), "password": (None, PASSWORDS["wangwu"])}  # multipart
        assert httpx.post(url + "login", files=as_the_page_posts).status_code == 429
        # another name from the same address is not locked by wangwu's failures
        assert httpx.post(url + "login", data={"username": "lisi", "password": PASSWORDS["lisi"]}).status_code == 200
        event = [e for e in services.gate.audit.events() if e.action == "login_locked"][-1]
        assert (event.actor, event.source, event.outcome) == ("wangwu", "127.0.0.1", "refused")
    finally:
        services.gate.throttle = LoginThrottle()  # the other tests log in from the same address


def test_session_cookies_are_http_only(office):
    url, _, _ = office
    response = httpx.post(url + "login", data={"username": "zhangsan", "password": PASSWORDS["zhangsan"]})
    cookies = response.headers.get_list("set-cookie")
    assert len(cookies) == 2 and all("access-token" in c for c in cookies)
    assert all("httponly" in c.lower() for c in cookies)


def test_a_changed_or_removed_account_loses_its_session(office):
    url, services, _ = office
    accounts = services.gate.accounts
    accounts.add("zhaoliu", "zhaoliu-pass-1", "staff")
    http = http_session(url, "zhaoliu", "zhaoliu-pass-1")
    assert http.get("gradio_api/info").status_code == 200
    accounts.set_password("zhaoliu", "zhaoliu-pass-2")  # as `greenleaf user passwd` does, from another process
    assert http.get("gradio_api/info").status_code == 401
    http = http_session(url, "zhaoliu", "zhaoliu-pass-2")
    assert http.get("gradio_api/info").status_code == 200
    accounts.set_role("zhaoliu", "admin")  # a role change ends the session too: the new role starts with a new login
    assert http.get("gradio_api/info").status_code == 401
    http = http_session(url, "zhaoliu", "zhaoliu-pass-2")
    accounts.remove("zhaoliu")
    assert http.get("gradio_api/info").status_code == 401
    assert httpx.post(url + "login", data={"username": "zhaoliu", "password": "zhaoliu-pass-2"}).status_code == 400


def test_file_paths_outside_the_upload_folder_are_refused(office, tmp_path):
    url, services, _ = office
    secret = tmp_path / "机密.txt"
    secret.write_text("不应进入知识库的内部文件。", encoding="utf-8")
    http = http_session(url, "guanli")
    before = [d.doc_id for d in services.kb.documents()]
    for path in (str(secret), "/etc/hostname", "../../../../etc/hostname"):
        payload = {"data": [[{"path": path, "meta": {"_type": "gradio.FileData"}}]]}
        event = http.post("gradio_api/call/ingest", json=payload).json()["event_id"]
        reply = http.get(f"gradio_api/call/ingest/{event}").text
        assert "event: error" in reply, (path, reply)
    assert [d.doc_id for d in services.kb.documents()] == before


def test_uploaded_file_names_cannot_climb_out_of_the_upload_folder(office):
    import gradio as gr

    url, _, _ = office
    http = http_session(url, "guanli")
    name = f"../../../greenleaf-escape-{uuid.uuid4().hex}.txt"
    response = http.post("gradio_api/upload", files={"files": (name, b"x", "text/plain")})
    assert response.status_code == 200
    stored = Path(response.json()[0]).resolve()
    assert stored.is_relative_to(Path(gr.utils.get_upload_folder()).resolve())
    assert not (Path(gr.utils.get_upload_folder()) / name).resolve().exists()


# ---------------------------------------------------------------- conversations


def test_conversations_are_private_and_survive_a_restart(tmp_path):
    from gradio_client.exceptions import AppError

    corpus, home = write_corpus(tmp_path), tmp_path / "home"
    url, services, app = start(home, corpus, PASSWORDS)
    try:
        zhang = client(url, "zhangsan")
        _, messages, _, _ = zhang.predict("测试行政中心2024年单位建筑面积能耗是多少？", [], api_name="/ask")
        assert "11.06" in str(messages[-1]["content"])
    finally:
        app.close()
        services.close()

    url, services, app = start(home, corpus, PASSWORDS)  # a new process on the same home
    try:
        zhang = client(url, "zhangsan")
        listed = zhang.predict(api_name="/conversations")
        assert [c["title"] for c in listed] == ["测试行政中心2024年单位建筑面积能耗是多少？"]
        conversation_id = listed[0]["id"]
        _, messages, *_ = zhang.predict(conversation_id, api_name="/conversation_open")
        assert [m["role"] for m in messages] == ["user", "assistant"] and "11.06" in str(messages[1]["content"])
        # continue it: the follow-up needs the reopened context (2020: 1000000 × 0.1229 ÷ 10000 = 12.29)
        _, messages, _, _ = zhang.predict("那2020年呢？", messages, api_name="/ask")
        assert "12.29" in str(messages[-1]["content"])
        stored = services.conversations.get("zhangsan", conversation_id)
        assert [t.question for t in stored.turns] == ["测试行政中心2024年单位建筑面积能耗是多少？", "那2020年呢？"]

        li = client(url, "lisi")
        assert li.predict(api_name="/conversations") == []
        for api in ("/conversation_open", "/conversation_delete"):
            with pytest.raises(AppError, match="没有编号为"):
                li.predict(conversation_id, api_name=api)
        zhang.predict(conversation_id, api_name="/conversation_delete")
        assert zhang.predict(api_name="/conversations") == []
    finally:
        app.close()
        services.close()


# ---------------------------------------------------------------- feedback


def test_useless_feedback_with_a_comment_is_reviewed_and_exported_by_admins(office):
    from gradio_client.exceptions import AppError

    url, _, _ = office
    staff = client(url, "zhangsan")
    staff.predict("什么是合同能源管理？", [], api_name="/ask")
    staff.predict("缺少合同能源管理的定义", api_name="/feedback_useless")
    staff.predict("公共机构节能条例第十五条讲什么？", [], api_name="/ask")
    staff.predict("", api_name="/feedback_useful")  # not in the 没用 review

    admin = client(url, "guanli")
    review, accounts = admin.predict(api_name="/feedback_review")
    first = review["data"][0]
    assert (first[1], first[2], first[6]) == ("zhangsan", "什么是合同能源管理？", "缺少合同能源管理的定义")
    assert all(row[2] != "公共机构节能条例第十五条讲什么？" for row in review["data"])
    assert ["guanli", "管理员"] == accounts["data"][0][:2]
    exported = admin.predict(api_name="/feedback_export_csv")
    rows = list(csv.reader(Path(exported).open(encoding="utf-8-sig")))
    assert rows[1][2:4] == ["zhangsan", "什么是合同能源管理？"] and rows[1][7] == "缺少合同能源管理的定义"
    assert admin.predict(api_name="/feedback_export_xlsx").endswith(".xlsx")
    with pytest.raises(AppError, match=REFUSAL):
        staff.predict(api_name="/feedback_export_csv")


# ---------------------------------------------------------------- login policy


def test_non_local_binding_without_accounts_refuses_to_start(tmp_path, capsys):
    import app as app_py
    from assistant.ui import access
    from assistant.ui.app import check_login_policy

    settings = replace(Settings.from_env({}), home=tmp_path / "home")
    gate = access.Gate.open(settings)
    with pytest.raises(ConfigError, match="--insecure-no-login"):
        check_login_policy(gate, "0.0.0.0")
    check_login_policy(gate, "127.0.0.1")  # local: no login needed
    check_login_policy(gate, "0.0.0.0", insecure_no_login=True)
    assert "不要求登录" in capsys.readouterr().err
    assert app_py.main(["--host", "0.0.0.0", "--home", str(tmp_path / "home")]) == 1
    assert "greenleaf user add" in capsys.readouterr().err
    assert not (tmp_path / "home" / "knowledge.sqlite3").exists()  # refused before anything was opened
    Accounts.open(settings).add("guanli", PASSWORDS["guanli"], "admin")
    check_login_policy(access.Gate.open(settings), "0.0.0.0")


def test_old_greenleaf_auth_users_are_admins_with_a_deprecation_notice(tmp_path, capsys):
    from assistant.ui import access
    from assistant.ui.app import check_login_policy

    settings = replace(Settings.from_env({}), home=tmp_path / "home", auth="kezhang:legacy-pass")
    gate = access.Gate.open(settings)
    check_login_policy(gate, "0.0.0.0")  # a login exists, so a non-local binding is allowed
    assert "GREENLEAF_AUTH 登录方式将在下一版停用" in capsys.readouterr().err
    assert gate.login_required and gate.role("kezhang") == "admin" and gate.role("someone") == ""

    url, services, app = start(tmp_path / "home2", write_corpus(tmp_path), legacy=[("kezhang", "legacy-pass")])
    try:
        legacy = client(url, "kezhang", "legacy-pass")
        assert legacy.predict("", api_name="/audit") is not None  # an admin endpoint
    finally:
        app.close()
        services.close()
