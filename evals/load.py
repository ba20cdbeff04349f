"""`python -m evals.load [--users 20] [--minutes 3] [--seed 7]`: many staff at once against the real web app.

Builds a fresh home (starter knowledge base, sample data, `--users` staff accounts and one admin), starts the real
app in its own process (`python app.py`, login on, queue settings as shipped), and drives it through gradio_client:
each simulated staff member signs in and, with a few seconds' thought between requests, asks questions (policy,
data, follow-ups in one conversation), looks up an institution's figures and searches the knowledge base. Half-way
through, the admin uploads a document. Reports per kind p50/p95/max latency, errors, and what was lost: every answer
a user received must be saved in that user's conversations, and the upload must be listed, searchable and audited.
Writes evals/results/load-<date>.json; exit 1 when anything failed or was lost.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from assistant.config import Settings
from assistant.office.accounts import Accounts

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "公共机构节能条例第十五条讲什么？", "公共机构每年什么时候报送能源消费状况？", "什么是合同能源管理？",
    "十四五期间公共机构单位建筑面积能耗要下降多少？", "夏天办公室空调温度怎么设？", "节能宣传周一般在几月？",
    "能源审计多久做一次？", "公共机构违反节能规定会怎么处理？", "什么是能源费用托管？", "节水型单位有什么要求？",
]
DATA_QUESTIONS = ["{unit}{year}年单位建筑面积能耗是多少？", "{unit}{year}年人均综合能耗多少？",
                  "{unit}{year}年是否超过能耗定额？", "{unit}{year}年用水量是多少？"]
FOLLOW_UPS = ["那{other}年呢？", "那人均呢？", "跟{other}年比呢？"]
SEARCHES = ["能源审计", "合同能源管理", "统计台账", "空调温度", "节约用水", "能耗定额"]
METRICS = ["energy_per_area", "energy_per_capita", "water_per_capita", "carbon_per_area"]
UPLOAD_WORD = "负载测试专用词"


@dataclass
class Record:
    kind: str
    seconds: float
    ok: bool
    error: str = ""


@dataclass
class User:
    name: str
    password: str
    records: list[Record] = field(default_factory=list)
    answers: int = 0  # answers this user received (each must be saved in a conversation)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.load", description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--home", type=Path, help="use this (new or prepared) home instead of a temporary one")
    parser.add_argument("--out", type=Path, help="JSON result file (default evals/results/load-<date>.json)")
    args = parser.parse_args(argv)

    home = args.home or Path(tempfile.mkdtemp(prefix="greenleaf-load-"))
    settings = replace(Settings.from_env(), home=home)
    print(f"准备数据目录 {home}（初始知识库、样例数据、{args.users} 个工作人员账号）……", file=sys.stderr)
    units, years, mode = prepare(settings)
    staff = [User(f"staff{i:02d}", secrets.token_urlsafe(12)) for i in range(1, args.users + 1)]
    admin = User("loadadmin", secrets.token_urlsafe(12))
    accounts = Accounts.open(settings)
    for user in staff:
        accounts.add(user.name, user.password, "staff")
    accounts.add(admin.name, admin.password, "admin")

    port = _free_port()
    log = (home / "load-server.log").open("w", encoding="utf-8")  # a file, not a pipe: a full pipe would stall it
    server = subprocess.Popen([sys.executable, str(REPO / "app.py"), "--home", str(home), "--port", str(port)],
                              cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "GREENLEAF_AUTH": ""})
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(url, server, home / "load-server.log")
        upload_result: dict = {}
        deadline = time.monotonic() + args.minutes * 60
        threads = [threading.Thread(target=simulate, args=(url, user, units, years, deadline, args.seed + i),
                                    name=user.name) for i, user in enumerate(staff)]
        threads.append(threading.Thread(target=upload_midway, args=(url, admin, deadline, args.minutes * 30,
                                                                    upload_result), name="admin"))
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        lost = check_nothing_lost(url, staff, admin, upload_result)
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    report = summarise(staff, admin, upload_result, lost, elapsed, args, mode)
    out = args.out or REPO / "evals" / "results" / f"load-{datetime.now():%Y-%m-%d}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(markdown(report))
    print(f"结果已写入 {out}", file=sys.stderr)
    return 0 if report["ok"] else 1


def prepare(settings: Settings) -> tuple[list[str], list[int], str]:
    """Build the starter knowledge base and the sample data once, as a first start would, before timing anything."""
    from assistant.ui.services import Services

    services = Services.open(settings)
    try:
        services.start_background()
        if not services.wait_ready(1800) or services.startup.phase != "ready":
            raise SystemExit(f"启动失败：{services.startup.text()}")
        units = services.store.institution_names()
        years = sorted({int(p[:4]) for row in services.store.institutions() for p in (row.first_period,
                                                                                       row.last_period)})
        return units, list(range(years[0], years[-1] + 1)), services.kb.mode
    finally:
        services.close()


def simulate(url: str, user: User, units: list[str], years: list[int], deadline: float, seed: int) -> None:
    """One staff member: sign in, then a mix of questions, data lookups and searches until the deadline."""
    from gradio_client import Client

    rng = random.Random(seed)
    time.sleep(rng.uniform(0, 3))  # people do not all arrive in the same second
    try:
        client = Client(url, auth=(user.name, user.password), verbose=False)
    except Exception as error:  # noqa: BLE001 - a failed sign-in is a result, recorded
        user.records.append(Record("login", 0.0, False, repr(error)[:200]))
        return
    history: list = []
    last_year = rng.choice(years)
    while time.monotonic() < deadline:
        roll = rng.random()
        if roll < 0.35:
            kind, question = "question", rng.choice(QUESTIONS)
        elif roll < 0.55:
            last_year = rng.choice(years[-4:])
            kind, question = "data_question", rng.choice(DATA_QUESTIONS).format(unit=rng.choice(units),
                                                                                 year=last_year)
        elif roll < 0.65 and history:
            other = rng.choice([y for y in years[-4:] if y != last_year] or years)
            kind, question = "follow_up", rng.choice(FOLLOW_UPS).format(other=other)
        elif roll < 0.85:
            kind, question = "data_lookup", None
        else:
            kind, question = "search", None
        start = time.monotonic()
        try:
            if question is not None:
                _, messages, _, _ = client.predict(question, history, api_name="/ask")
                answer = messages[-1]
                if answer.get("role") != "assistant" or not _text(answer).strip():
                    raise RuntimeError("empty answer")
                history = messages
                user.answers += 1
            elif kind == "data_lookup":
                cards, *_ = client.predict(rng.choice(units), str(rng.choice(years[-4:])), rng.choice(METRICS),
                                           api_name="/data_query")
                if "gl-metric" not in cards:
                    raise RuntimeError("no indicator cards")
            else:
                hits = client.predict(rng.choice(SEARCHES), "", api_name="/kb_search")
                if "gl-source-card" not in hits:
                    raise RuntimeError("no search hits")
            user.records.append(Record(kind, time.monotonic() - start, True))
        except Exception as error:  # noqa: BLE001 - every failure is counted and shown
            user.records.append(Record(kind, time.monotonic() - start, False, repr(error)[:200]))
        time.sleep(rng.uniform(1.0, 4.0))  # reading the answer, typing the next question


def upload_midway(url: str, admin: User, deadline: float, after_s: float, result: dict) -> None:
    """The admin uploads one document half-way through the run."""
    from gradio_client import Client, handle_file

    time.sleep(after_s)
    folder = Path(tempfile.mkdtemp(prefix="greenleaf-load-upload-"))
    doc = folder / "负载测试通知.txt"
    doc.write_text(f"机关事务管理中心通知：{UPLOAD_WORD}，会议室离开时随手关灯，打印机下班关机。", encoding="utf-8")
    start = time.monotonic()
    try:
        client = Client(url, auth=(admin.name, admin.password), verbose=False)
        summary, table, *_ = client.predict([handle_file(str(doc))], api_name="/ingest")
        result.update(ok="成功 1 个" in summary, seconds=time.monotonic() - start, summary=summary)
    except Exception as error:  # noqa: BLE001 - recorded in the report
        result.update(ok=False, seconds=time.monotonic() - start, error=repr(error)[:300])
    admin.records.append(Record("upload", result["seconds"], bool(result.get("ok")), result.get("error", "")))


def check_nothing_lost(url: str, staff: list[User], admin: User, upload: dict) -> dict:
    """Every received answer saved in its user's conversations; the upload listed, searchable and audited."""
    from gradio_client import Client

    missing: dict[str, int] = {}
    for user in staff:
        client = Client(url, auth=(user.name, user.password), verbose=False)
        saved = 0
        for conversation in client.predict(api_name="/conversations"):
            _, messages, *_ = client.predict(conversation["id"], api_name="/conversation_open")
            saved += sum(1 for m in messages if m["role"] == "assistant")
        if saved != user.answers:
            missing[user.name] = user.answers - saved
    admin_client = Client(url, auth=(admin.name, admin.password), verbose=False)
    searchable = UPLOAD_WORD in admin_client.predict(UPLOAD_WORD, "", api_name="/kb_search")
    audited = any(row[5] == "上传文档" and "负载测试通知.txt" in row[6]
                  for row in admin_client.predict("", api_name="/audit")["data"])
    return {"answers_not_saved": missing, "upload_searchable": searchable, "upload_audited": audited,
            "upload_ok": bool(upload.get("ok"))}


def summarise(staff: list[User], admin: User, upload: dict, lost: dict, elapsed: float, args, mode: str) -> dict:
    records = [r for u in staff for r in u.records] + admin.records
    kinds: dict[str, dict] = {}
    for kind in ("question", "data_question", "follow_up", "data_lookup", "search", "upload", "login"):
        rows = [r for r in records if r.kind == kind]
        if not rows:
            continue
        times = sorted(r.seconds for r in rows if r.ok)
        kinds[kind] = {"requests": len(rows), "errors": sum(1 for r in rows if not r.ok),
                       "p50_s": _pct(times, 50), "p95_s": _pct(times, 95), "max_s": round(times[-1], 2) if times else None}
    answers = sorted(r.seconds for r in records if r.ok and r.kind in ("question", "data_question", "follow_up"))
    errors = [f"{r.kind}: {r.error}" for r in records if not r.ok]
    nothing_lost = (not lost["answers_not_saved"] and lost["upload_ok"] and lost["upload_searchable"]
                    and lost["upload_audited"])
    return {
        "date": datetime.now().isoformat(timespec="minutes"), "users": args.users, "minutes": args.minutes,
        "seed": args.seed, "elapsed_s": round(elapsed, 1), "cpus": os.cpu_count(), "retrieval_mode": mode,
        "requests": len(records), "requests_per_minute": round(len(records) / elapsed * 60, 1),
        "answers": {"count": len(answers), "p50_s": _pct(answers, 50), "p95_s": _pct(answers, 95),
                    "max_s": round(answers[-1], 2) if answers else None},
        "kinds": kinds, "errors": errors[:50], "error_count": len(errors), "lost": lost, "upload": upload,
        "ok": not errors and nothing_lost,
    }


def markdown(report: dict) -> str:
    a = report["answers"]
    lines = [f"{report['users']} 个工作人员同时使用 {report['elapsed_s'] / 60:.1f} 分钟（{report['cpus']} 核，检索方式 "
             f"{report['retrieval_mode']}）：{report['requests']} 个请求，每分钟 {report['requests_per_minute']} 个；"
             f"回答 {a['count']} 个，p50 {a['p50_s']} s，p95 {a['p95_s']} s，最长 {a['max_s']} s；"
             f"错误 {report['error_count']} 个。", "",
             "| 请求 | 次数 | 错误 | p50 s | p95 s | 最长 s |", "| --- | --- | --- | --- | --- | --- |"]
    labels = {"question": "政策问题", "data_question": "数据问题", "follow_up": "追问", "data_lookup": "数据查询",
              "search": "知识库检索", "upload": "上传（管理员，中途）", "login": "登录"}
    for kind, k in report["kinds"].items():
        lines.append(f"| {labels[kind]} | {k['requests']} | {k['errors']} | {k['p50_s']} | {k['p95_s']} | {k['max_s']} |")
    lost = report["lost"]
    lines += ["", f"丢失：未保存的回答 {sum(lost['answers_not_saved'].values())} 个；上传"
              f"{'成功' if lost['upload_ok'] else '失败'}、{'可检索' if lost['upload_searchable'] else '检索不到'}、"
              f"{'已记入操作记录' if lost['upload_audited'] else '操作记录中没有'}。"]
    return "\n".join(lines)


def _pct(values: list[float], q: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 2)
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 2)


def _text(message: dict) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content or "")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, server: subprocess.Popen, log: Path, timeout_s: float = 300) -> None:
    import httpx

    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if server.poll() is not None:
            raise SystemExit(f"网页界面未能启动：{log.read_text(encoding='utf-8')[-2000:]}")
        try:
            if httpx.get(url + "gradio_api/info", timeout=5).status_code in (200, 401):
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise SystemExit("网页界面在 5 分钟内没有响应。")


if __name__ == "__main__":
    sys.exit(main())
