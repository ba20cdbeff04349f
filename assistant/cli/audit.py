"""`greenleaf audit [--since DATE] [--json]`: the audit trail, oldest first; and `record`, with which the other
commands that change the knowledge base, the data or the accounts add their event (actor: the operating-system
user, source `cli`).
"""

from __future__ import annotations

import argparse
import getpass
from datetime import date
from pathlib import Path
from typing import Any

from assistant.cli.output import err, json_flag, print_json
from assistant.config import Settings
from assistant.office.audit import AuditTrail, file_sha256, parse_since


def register_cli(sub: Any) -> None:
    p = sub.add_parser("audit", help="操作记录：谁在何时上传、删除、修改状态、导入、重建了什么，以及被拒绝的操作")
    p.add_argument("--since", type=_since, metavar="DATE", help="只列出这一天（YYYY-MM-DD）及以后的记录")
    json_flag(p).set_defaults(handler=cmd_audit)


def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    trail = AuditTrail.open(settings)
    events = trail.events(since=args.since)
    broken = trail.verify()
    if args.json:
        print_json({"events": [e.to_dict() for e in events], "intact": not broken, "broken": broken})
    else:
        for event in events:
            print(f"{event.id}\t{event.describe()}")
        err(f"共 {len(events)} 条记录。" if events else "没有记录。")
    if broken:
        err(f"警告：操作记录被改动过（编号 {'、'.join(map(str, broken))} 与前一条的校验值不符）。")
        return 1
    return 0


def record(settings: Settings, action: str, target: str, detail: dict | None = None, outcome: str = "ok") -> None:
    """Append a command's event to the home folder's audit trail."""
    AuditTrail.open(settings).record(_os_user(), action, source="cli", outcome=outcome, target=target,
                                     detail=detail)


def files_detail(paths: list[str]) -> list[dict]:
    """name, sha256 and size of each path that is a file (folders are listed by the caller's report)."""
    found = []
    for name in paths:
        path = Path(name)
        if path.is_file():
            found.append({"name": str(name), "sha256": file_sha256(path), "bytes": path.stat().st_size})
    return found


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container user with no passwd entry
        return "命令行用户"


def _since(text: str) -> date:
    try:
        return parse_since(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”应写成 2025-06-01 这样的格式") from None
