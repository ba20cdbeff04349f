"""`greenleaf doctor`: what this installation can do and what is missing (a thin shell over assistant.doctor).

Prints the report on stdout (one JSON object with --json); exit 1 when a check failed (e.g. the home folder is not
writable), 0 otherwise, also when the model, OCR or the LLM endpoint is missing: the rest still works.
"""

from __future__ import annotations

import argparse
from typing import Any

from assistant.cli.output import err, json_flag, print_json
from assistant.config import Settings


def register_cli(sub: Any) -> None:
    p = sub.add_parser("doctor", help="检查本机能做什么、缺什么：语义检索模型、文字识别、大模型接口、知识库和数据、主目录、磁盘",
                       description="检查本机能做什么、缺什么。有检查项故障（如主目录不可写）时退出码为 1。")
    json_flag(p).set_defaults(handler=cmd_doctor)


def cmd_doctor(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.doctor import diagnose

    err("正在检查（文字识别和大模型接口约需几秒）……")
    report = diagnose(settings)
    if args.json:
        print_json(report.to_dict())
    else:
        print(report.text())
    return 1 if report.status == "fail" else 0
