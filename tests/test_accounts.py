"""Accounts, the audit trail, the login throttle, saved conversations and feedback as stored in a real home folder,
and the `greenleaf user|audit|chat --resume` commands run through the real CLI entry point.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
from pathlib import Path

import pytest

from assistant.cli.main import main
from assistant.errors import AccountError, LookupFailed
from assistant.office.accounts import Accounts
from assistant.office.audit import AuditTrail
from assistant.office.conversations import Conversations, title_of
from assistant.office.feedback import FeedbackLog
from assistant.office.throttle import LoginThrottle

PASSWORD = "节能-Password-1"


def password_file(tmp_path: Path, text: str = PASSWORD) -> str:
    path = tmp_path / "pw.txt"
    path.write_text(text + "\nsecond line is ignored\n", encoding="utf-8")
    return str(path)


# ---------------------------------------------------------------- accounts


def test_passwords_are_stored_as_salted_scrypt_hashes_never_in_plain_text(settings):
    accounts = Accounts.open(settings)
    accounts.add("张科长", PASSWORD, "admin")
    accounts.add("zhangsan", PASSWORD, "staff")
    raw = settings.home.joinpath("accounts.sqlite3").read_bytes()
    assert PASSWORD.encode() not in raw
    with sqlite3.connect(settings.home / "accounts.sqlite3") as db:
        stored = dict(db.execute("SELECT name, password FROM users").fetchall())
    assert all(value.startswith("scrypt$16384$8$1$") for value in stored.values())
    assert stored["张科长"] != stored["zhangsan"]  # same password, different salt
    scheme, n, r, p, salt, digest = stored["zhangsan"].split("$")
    expected = hashlib.scrypt(PASSWORD.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    assert expected.hex() == digest


def test_verify_accepts_only_the_right_password(settings):
    accounts = Accounts.open(settings)
    accounts.add("zhangsan", PASSWORD, "staff")
    assert accounts.verify("zhangsan", PASSWORD).role == "staff"
    assert accounts.verify("zhangsan", PASSWORD[:-1]) is None
    assert accounts.verify("lisi", PASSWORD) is None
    assert accounts.verify("zhangsan", "") is None


def test_bad_names_roles_and_short_passwords_are_refused_in_chinese(settings):
    accounts = Accounts.open(settings)
    with pytest.raises(AccountError, match="用户名"):
        accounts.add("zhang san", PASSWORD, "staff")
    with pytest.raises(AccountError, match="角色"):
        accounts.add("zhangsan", PASSWORD, "root")
    with pytest.raises(AccountError, match="至少 8 个字符"):
        accounts.add("zhangsan", "short", "staff")
    accounts.add("zhangsan", PASSWORD, "staff")
    with pytest.raises(AccountError, match="已存在"):
        accounts.add("zhangsan", PASSWORD, "admin")


def test_a_password_or_role_change_moves_changed_at(settings):
    accounts = Accounts.open(settings)
    first = accounts.add("zhangsan", PASSWORD, "staff")
    second = accounts.set_password("zhangsan", PASSWORD + "x")
    third = accounts.set_role("zhangsan", "admin")
    assert first.changed_at < second.changed_at < third.changed_at
    assert third.created_at == first.created_at


def test_cli_user_add_list_passwd_role_remove(settings, tmp_path, capsys):
    home = ["--home", str(settings.home)]
    assert main([*home, "user", "add", "guanli", "--role", "admin", "--password-file", password_file(tmp_path)]) == 0
    assert main([*home, "user", "add", "zhangsan", "--role", "staff", "--password-file",
                 password_file(tmp_path)]) == 0
    capsys.readouterr()
    assert main([*home, "user", "list", "--json"]) == 0
    users = json.loads(capsys.readouterr().out)["users"]
    assert [(u["name"], u["role"]) for u in users] == [("guanli", "admin"), ("zhangsan", "staff")]
    assert "password" not in json.dumps(users)

    accounts = Accounts.open(settings)
    assert accounts.verify("zhangsan", PASSWORD)  # the first line of the file, without its newline
    assert main([*home, "user", "passwd", "zhangsan", "--password-file", password_file(tmp_path, "new-pass-2025")]) == 0
    assert accounts.verify("zhangsan", "new-pass-2025") and not accounts.verify("zhangsan", PASSWORD)
    assert main([*home, "user", "role", "zhangsan", "admin"]) == 0
    assert accounts.get("zhangsan").role == "admin"
    assert main([*home, "user", "remove", "zhangsan"]) == 0
    assert accounts.get("zhangsan") is None

    capsys.readouterr()
    assert main([*home, "user", "remove", "nobody"]) == 1
    assert "没有用户“nobody”" in capsys.readouterr().err
    assert main([*home, "user", "add", "x", "--role", "staff", "--password-file",
                 password_file(tmp_path, "short")]) == 1
    with pytest.raises(SystemExit) as usage:
        main([*home, "user", "add", "x", "--role", "boss"])
    assert usage.value.code == 2


def test_cli_user_add_without_a_terminal_asks_for_a_password_file(settings, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("typed-password\n"))
    assert main(["--home", str(settings.home), "user", "add", "zhangsan", "--role", "staff"]) == 1
    assert "--password-file" in capsys.readouterr().err
    assert Accounts.open(settings).get("zhangsan") is None


# ---------------------------------------------------------------- audit trail


def test_account_changes_from_the_cli_are_in_the_audit_trail(settings, tmp_path, capsys):
    home = ["--home", str(settings.home)]
    main([*home, "user", "add", "guanli", "--role", "admin", "--password-file", password_file(tmp_path)])
    main([*home, "user", "role", "guanli", "staff"])
    main([*home, "user", "remove", "guanli"])
    capsys.readouterr()
    assert main([*home, "audit", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["intact"] is True
    assert [(e["action"], e["target"], e["source"]) for e in report["events"]] == [
        ("user_add", "guanli", "cli"), ("user_role", "guanli", "cli"), ("user_remove", "guanli", "cli")]
    assert report["events"][1]["detail"] == {"role": "staff"}


def test_cli_ingest_remove_and_data_import_are_audited_with_file_hashes(settings, tmp_path, capsys):
    home = ["--home", str(settings.home)]
    doc = tmp_path / "食堂节约通知.txt"
    doc.write_text("机关食堂推行小份菜和半份菜，厨余垃圾每日称重登记。", encoding="utf-8")
    table = tmp_path / "能耗.csv"
    table.write_text("单位名称,统计期,建筑面积,用能人数,电力\n测试单位,2024,1000,10,5000\n", encoding="utf-8")
    assert main([*home, "ingest", str(doc)]) == 0
    assert main([*home, "data", "import", str(table)]) == 0
    capsys.readouterr()
    main([*home, "kb", "list", "--json"])
    doc_id = json.loads(capsys.readouterr().out)["documents"][0]["doc_id"]
    assert main([*home, "kb", "remove", doc_id]) == 0

    events = AuditTrail.open(settings).events()
    assert [e.action for e in events] == ["upload", "import", "remove"]
    doc_hash = hashlib.sha256(doc.read_bytes()).hexdigest()
    assert events[0].detail["files"][0]["sha256"] == doc_hash
    assert events[1].detail["files"][0]["sha256"] == hashlib.sha256(table.read_bytes()).hexdigest()
    assert events[2].detail["documents"][0]["doc_id"] == doc_id
    assert events[2].detail["documents"][0]["sha256"] == doc_hash
    assert all(e.source == "cli" and e.actor for e in events)


def test_audit_since_keeps_later_events_and_a_bad_date_is_a_usage_error(settings, capsys):
    trail = AuditTrail.open(settings)
    trail.record("guanli", "upload", role="admin", target="a.txt")
    capsys.readouterr()
    assert main(["--home", str(settings.home), "audit", "--since", "2999-01-01", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["events"] == []
    assert main(["--home", str(settings.home), "audit", "--since", "2000-01-01"]) == 0
    assert "guanli（管理员）上传文档 a.txt：完成" in capsys.readouterr().out
    with pytest.raises(SystemExit) as usage:
        main(["--home", str(settings.home), "audit", "--since", "上周"])
    assert usage.value.code == 2


def test_audit_trail_refuses_updates_and_deletes(settings):
    trail = AuditTrail.open(settings)
    trail.record("guanli", "remove", role="admin", target="《旧文件》")
    with sqlite3.connect(trail.path) as db:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("UPDATE events SET actor = 'someone else'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("DELETE FROM events")
    assert [e.actor for e in trail.events()] == ["guanli"]


def test_an_edit_made_around_the_triggers_breaks_the_chain(settings, capsys):
    trail = AuditTrail.open(settings)
    for name in ("a.txt", "b.txt", "c.txt"):
        trail.record("guanli", "upload", role="admin", target=name)
    assert trail.verify() == []
    with sqlite3.connect(trail.path) as db:
        db.execute("DROP TRIGGER events_no_update")
        db.execute("UPDATE events SET target = 'x.txt' WHERE id = 2")
    assert trail.verify() == [2]
    assert main(["--home", str(settings.home), "audit"]) == 1
    assert "被改动过" in capsys.readouterr().err


# ---------------------------------------------------------------- login throttle


def test_throttle_locks_a_name_from_one_address_and_frees_it_after_the_window():
    now = [1000.0]
    throttle = LoginThrottle(per_user_and_source=3, per_source=10, window_s=60, clock=lambda: now[0])
    assert [throttle.failed("zhangsan", "10.0.0.8") for _ in range(3)] == [False, False, True]
    assert throttle.wait_s("zhangsan", "10.0.0.8") == pytest.approx(60)
    assert throttle.wait_s("zhangsan", "10.0.0.9") == 0  # another address
    assert throttle.wait_s("lisi", "10.0.0.8") == 0  # another name from the same address
    now[0] += 59
    assert throttle.wait_s("zhangsan", "10.0.0.8") == pytest.approx(1)
    now[0] += 1.5
    assert throttle.wait_s("zhangsan", "10.0.0.8") == 0


def test_throttle_limits_one_address_guessing_across_names():
    throttle = LoginThrottle(per_user_and_source=3, per_source=5, window_s=60, clock=lambda: 0.0)
    for name in ("a", "b", "c", "d", "e"):
        throttle.failed(name, "10.0.0.8")
    assert throttle.wait_s("f", "10.0.0.8") > 0
    assert throttle.wait_s("f", "10.0.0.9") == 0


def test_a_right_password_clears_that_names_failures():
    throttle = LoginThrottle(per_user_and_source=3, per_source=10, window_s=60, clock=lambda: 0.0)
    throttle.failed("zhangsan", "10.0.0.8")
    throttle.failed("zhangsan", "10.0.0.8")
    throttle.succeeded("zhangsan", "10.0.0.8")
    assert throttle.failed("zhangsan", "10.0.0.8") is False
    assert throttle.wait_s("zhangsan", "10.0.0.8") == 0


# ---------------------------------------------------------------- conversations


def test_conversations_belong_to_their_owner_only(settings):
    store = Conversations.open(settings)
    mine = store.add_turn("zhangsan", None, "公共机构节能条例第十五条讲什么？", "……3月31日前……", "offline", ["第十五条"])
    store.add_turn("zhangsan", mine, "那第十六条呢？", "……定额……", "offline")
    theirs = store.add_turn("lisi", None, "什么是合同能源管理？", "……", "offline")

    assert [c.id for c in store.list("zhangsan")] == [mine]
    conversation = store.get("zhangsan", mine)
    assert conversation.title == "公共机构节能条例第十五条讲什么？"
    assert conversation.history() == [("公共机构节能条例第十五条讲什么？", "……3月31日前……"), ("那第十六条呢？", "……定额……")]
    assert conversation.turns[0].citations == ("第十五条",)
    for attempt in (lambda: store.get("zhangsan", theirs), lambda: store.delete("zhangsan", theirs),
                    lambda: store.add_turn("zhangsan", theirs, "偷看", "", "offline")):
        with pytest.raises(LookupFailed, match=f"没有编号为 {theirs} 的对话"):
            attempt()
    assert len(store.get("lisi", theirs).turns) == 1  # untouched
    store.delete("zhangsan", mine)
    assert store.list("zhangsan") == []
    with pytest.raises(LookupFailed):
        store.get("zhangsan", "abc")


def test_title_is_the_first_question_on_one_line_and_short():
    assert title_of("  市行政中心\n2024年能耗  ") == "市行政中心 2024年能耗"
    assert len(title_of("节能" * 40)) == 30 and title_of("节能" * 40).endswith("…")


def test_cli_chat_is_saved_and_resume_keeps_the_follow_up_context(settings, tmp_path, monkeypatch, capsys):
    home = ["--home", str(settings.home)]
    table = tmp_path / "能耗.csv"
    table.write_text("单位名称,单位类型,统计期,建筑面积,用能人数,电力\n测试行政中心,党政机关,2020,10000,250,1000000\n"
                     "测试行政中心,党政机关,2024,10000,250,900000\n", encoding="utf-8")
    monkeypatch.setenv("GREENLEAF_EMBED_MODEL", "none")
    assert main([*home, "data", "import", str(table)]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("测试行政中心2024年单位建筑面积能耗是多少？\n"))
    capsys.readouterr()
    assert main([*home, "chat"]) == 0
    first = capsys.readouterr()
    assert "11.06" in first.out  # 900000 kWh × 0.1229 ÷ 10000 m²
    conversation_id = Conversations.open(settings).list("本机用户")[0].id
    assert f"greenleaf chat --resume {conversation_id}" in first.err

    # a new process, a follow-up that only makes sense with the saved context: 1000000 × 0.1229 ÷ 10000 = 12.29
    monkeypatch.setattr("sys.stdin", io.StringIO("那2020年呢？\n"))
    assert main([*home, "chat", "--resume", str(conversation_id)]) == 0
    assert "12.29" in capsys.readouterr().out
    turns = Conversations.open(settings).get("本机用户", conversation_id).turns
    assert [t.question for t in turns] == ["测试行政中心2024年单位建筑面积能耗是多少？", "那2020年呢？"]

    assert main([*home, "chat", "--resume", str(conversation_id), "--user", "lisi"]) == 1
    assert "没有编号为" in capsys.readouterr().err


# ---------------------------------------------------------------- feedback


def test_feedback_is_listed_newest_first_and_exported_for_spreadsheets(settings, tmp_path):
    from openpyxl import load_workbook

    log = FeedbackLog.open(settings)
    answer = {"question": "=1+1 是什么？", "answer": "知识库中未找到相关内容。", "mode": "offline", "intent": "knowledge",
              "citations": ["《条例》第十五条", "《指南》"], "tool_calls": []}
    log.record("有用", {**answer, "question": "第一个问题"}, user="zhangsan")
    log.record("没用", answer, user="zhangsan", comment="应该引用第十六条")
    log.record("没用", {**answer, "question": "第三个问题"}, user="lisi")
    assert [f.question for f in log.entries("没用")] == ["第三个问题", "=1+1 是什么？"]
    assert len(log.entries()) == 3

    rows = list(csv.reader(log.export(log.entries("没用"), tmp_path / "out.csv").open(encoding="utf-8-sig")))
    assert rows[0] == ["时间", "评价", "用户", "问题", "回答", "引用", "模式", "说明"]
    assert rows[2][2:] == ["zhangsan", "'=1+1 是什么？", "知识库中未找到相关内容。", "《条例》第十五条；《指南》", "offline",
                           "应该引用第十六条"]  # a leading = is not a formula in Excel
    sheet = load_workbook(log.export(log.entries("没用"), tmp_path / "out.xlsx")).active
    assert [c.value for c in sheet[1]] == rows[0]
    assert sheet.cell(row=3, column=8).value == "应该引用第十六条"
